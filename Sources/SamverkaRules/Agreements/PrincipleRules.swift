import Foundation

/// The six principles of the national överenskommelse between the government and civil society (2008), which
/// regional and local agreements start from and rename, merge or add to.
public enum NationalPrinciple: String, Vocabulary {
    case sjalvstandighet, dialog, kvalitet, langsiktighet, oppenhet, mangfald
    public static let labelPrefix = "principle"
    public var aliases: [String] {
        switch self {
        case .sjalvstandighet: return ["självständighet och oberoende", "självständighet", "oberoende", "independence"]
        case .dialog: return ["dialog", "dialogue"]
        case .kvalitet: return ["kvalitet", "quality"]
        case .langsiktighet: return ["långsiktighet", "long-term", "continuity"]
        case .oppenhet: return ["öppenhet och insyn", "öppenhet", "insyn", "openness", "transparency"]
        case .mangfald: return ["mångfald", "diversity"]
        }
    }

    /// The Swedish name as the national agreement writes it.
    public var name: String {
        switch self {
        case .sjalvstandighet: return "Självständighet och oberoende"
        case .dialog: return "Dialog"
        case .kvalitet: return "Kvalitet"
        case .langsiktighet: return "Långsiktighet"
        case .oppenhet: return "Öppenhet och insyn"
        case .mangfald: return "Mångfald"
        }
    }

    /// What the principle asks of the parties (a summary, for a new agreement's prefilled text).
    public var summary: String {
        switch self {
        case .sjalvstandighet:
            return "De idéburna organisationerna är självständiga och bestämmer själva över sina mål, sin verksamhet och sina åsikter, också när de får offentligt stöd."
        case .dialog:
            return "Parterna möts regelbundet och i god tid inför beslut, och den som lämnat synpunkter får veta vad som hände med dem."
        case .kvalitet:
            return "Samverkan och stöd följs upp och utvecklas utifrån de behov som organisationerna och deras målgrupper har."
        case .langsiktighet:
            return "Stöd och samverkan ges förutsättningar att vara stabila över tid, så att organisationerna kan planera sin verksamhet."
        case .oppenhet:
            return "Beslut, regler och underlag är öppna och begripliga för alla, och parterna har insyn i varandras arbete med överenskommelsen."
        case .mangfald:
            return "Alla delar av det civila samhället ska kunna delta, oavsett storlek, ort, verksamhetsområde eller organisationsform."
        }
    }
}

/// One principle of a version of an agreement, as the parties wrote it.
public struct PrincipleInput: Codable, Sendable, Equatable {
    public var key: String?
    public var name: String?
    public var description: String?
    /// The national principle it corresponds to (its indicators then apply), if any.
    public var nationalKey: String?
    /// The principle the others rest on (Värmland's dialog).
    public var isPortal: Bool?
    public init(key: String? = nil, name: String?, description: String?, nationalKey: String? = nil, isPortal: Bool? = nil) {
        self.key = key
        self.name = name
        self.description = description
        self.nationalKey = nationalKey
        self.isPortal = isPortal
    }
}

public struct Principle: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var description: String
    public var nationalKey: NationalPrinciple?
    public var isPortal: Bool
    public init(key: String, name: String, description: String, nationalKey: NationalPrinciple?, isPortal: Bool) {
        self.key = key
        self.name = name
        self.description = description
        self.nationalKey = nationalKey
        self.isPortal = isPortal
    }
}

public enum PrincipleRules {
    public static let maxPrinciples = 20

    /// The six national principles, as a new agreement starts.
    public static var national: [Principle] {
        NationalPrinciple.allCases.map { Principle(key: $0.rawValue, name: $0.name, description: $0.summary, nationalKey: $0, isPortal: false) }
    }

    /// Checks a version's list: names required and unique, keys stable and unique, at most one portal principle,
    /// national keys known and used once.
    public static func validate(_ input: [PrincipleInput], errors: inout FieldErrors) -> [Principle] {
        var out: [Principle] = []
        if input.isEmpty { errors.add("principles", code: "required") }
        if input.count > maxPrinciples { errors.add("principles", code: "tooMany", String(maxPrinciples)) }
        var names = Set<String>(), keys = Set<String>(), nationals = Set<NationalPrinciple>()
        for (i, p) in input.prefix(maxPrinciples).enumerated() {
            let name = TextRules.line(p.name, field: "principles[\(i)].name", max: 120, required: true, errors: &errors)
            let description = TextRules.paragraph(p.description, field: "principles[\(i)].description", max: 4000, errors: &errors)
            if !name.isEmpty && !names.insert(normalizeWord(name)).inserted { errors.add("principles[\(i)].name", code: "duplicate") }
            var national: NationalPrinciple?
            if let raw = p.nationalKey, !raw.isEmpty {
                if let n = NationalPrinciple.parse(raw) {
                    if !nationals.insert(n).inserted { errors.add("principles[\(i)].nationalKey", code: "duplicate") }
                    national = n
                } else {
                    errors.add("principles[\(i)].nationalKey", code: "oneOf", NationalPrinciple.rawValues.joined(separator: ", "))
                }
            }
            var key = (p.key ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            if key.isEmpty || key.unicodeScalars.count > 40 || !key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                key = national?.rawValue ?? "p\(i + 1)"
            }
            while keys.contains(key) { key += "x" }
            keys.insert(key)
            out.append(Principle(key: key, name: name, description: description, nationalKey: national, isPortal: p.isPortal ?? false))
        }
        if out.filter(\.isPortal).count > 1 { errors.add("principles", code: "onePortal") }
        return out
    }
}

/// Signatures of an agreement: who had signed on a day, and the rules for signing and withdrawing.
public enum SignatoryRules {
    public struct Signature: Sendable, Equatable {
        public var organisationID: UUID
        public var signedOn: LocalDate
        public var withdrawnOn: LocalDate?
        public init(organisationID: UUID, signedOn: LocalDate, withdrawnOn: LocalDate?) {
            self.organisationID = organisationID
            self.signedOn = signedOn
            self.withdrawnOn = withdrawnOn
        }
        /// Signed on or before `day` and not withdrawn by then (withdrawal takes effect on its day).
        public func isActive(on day: LocalDate) -> Bool { signedOn <= day && (withdrawnOn.map { day < $0 } ?? true) }
    }

    /// The organisations that had signed and not withdrawn on `day`.
    public static func active(_ all: [Signature], on day: LocalDate) -> Set<UUID> {
        Set(all.filter { $0.isActive(on: day) }.map(\.organisationID))
    }

    /// A new signature: on or after the first adoption, not in the future, and not while the organisation's
    /// previous signature is still in effect.
    public static func sign(organisationID: UUID, on raw: String?, firstAdopted: LocalDate?, existing: [Signature], today: LocalDate,
                            errors: inout FieldErrors) -> LocalDate? {
        guard let day = TextRules.date(raw, field: "signedOn", required: true, errors: &errors) else { return nil }
        guard let firstAdopted else {
            errors.add("signedOn", code: "notAdopted")
            return nil
        }
        if day < firstAdopted { errors.add("signedOn", code: "signedBeforeAdoption", firstAdopted.description) }
        if day > today { errors.add("signedOn", code: "inFuture") }
        if existing.contains(where: { $0.organisationID == organisationID && ($0.withdrawnOn.map { $0 > day } ?? true) }) {
            errors.add("organisationId", code: "alreadySigned")
        }
        return errors.isEmpty ? day : nil
    }

    /// Withdrawing a signature: after signing, not in the future.
    public static func withdraw(_ s: Signature, on raw: String?, today: LocalDate, errors: inout FieldErrors) -> LocalDate? {
        guard let day = TextRules.date(raw, field: "withdrawnOn", required: true, errors: &errors) else { return nil }
        if s.withdrawnOn != nil { errors.add("withdrawnOn", code: "alreadyWithdrawn") }
        if day <= s.signedOn { errors.add("withdrawnOn", code: "withdrawnBeforeSigning", s.signedOn.description) }
        if day > today { errors.add("withdrawnOn", code: "inFuture") }
        return errors.isEmpty ? day : nil
    }

    /// Signatories at the end of each month from the first signature to `until` (for the chart and its table).
    public static func timeline(_ all: [Signature], until: LocalDate) -> [(month: LocalDate, count: Int)] {
        guard let first = all.map(\.signedOn).min(), first <= until else { return [] }
        var out: [(LocalDate, Int)] = []
        var y = first.year, m = first.month
        while (y, m) <= (until.year, until.month) {
            let end = min(LocalDate.clamped(year: y, month: m, day: 31), until)
            out.append((LocalDate.clamped(year: y, month: m, day: 1), active(all, on: end).count))
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return out
    }
}

/// Action plans: a period of years, development areas, activities with an owner, a due date and a status.
public enum ActionPlanRules {
    public static func period(from rawFrom: Int?, to rawTo: Int?, errors: inout FieldErrors) -> (Int, Int)? {
        guard let from = rawFrom else { errors.add("periodFrom", code: "required"); return nil }
        guard let to = rawTo else { errors.add("periodTo", code: "required"); return nil }
        if !(2000...2100).contains(from) { errors.add("periodFrom", code: "range", "2000", "2100") }
        if !(2000...2100).contains(to) { errors.add("periodTo", code: "range", "2000", "2100") }
        if to < from { errors.add("periodTo", code: "periodOrder") }
        if to - from > 10 { errors.add("periodTo", code: "periodTooLong", "10") }
        return errors.isEmpty ? (from, to) : nil
    }

    /// Two plans of one agreement may not cover the same year.
    public static func overlaps(_ period: (Int, Int), others: [(Int, Int)]) -> Bool {
        others.contains { $0.0 <= period.1 && period.0 <= $0.1 }
    }

    /// Status changes: a planned activity starts, is done or cancelled; an ongoing one is done or cancelled; a done or
    /// cancelled one may be reopened (to ongoing) when it turns out not to be finished.
    public static func mayChange(from: ActivityStatus, to: ActivityStatus) -> Bool {
        switch (from, to) {
        case (let a, let b) where a == b: return true
        case (.planned, _): return true
        case (.ongoing, .done), (.ongoing, .cancelled): return true
        case (.done, .ongoing), (.cancelled, .planned), (.cancelled, .ongoing): return true
        default: return false
        }
    }

    /// An activity counts as late when it is not done or cancelled and its due date has passed.
    public static func isLate(status: ActivityStatus, dueOn: LocalDate?, today: LocalDate) -> Bool {
        guard status == .planned || status == .ongoing, let due = dueOn else { return false }
        return due < today
    }
}
