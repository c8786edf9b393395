import Foundation

/// One condition of a programme's eligibility rule set. Rules are data (stored as JSON with the
/// programme), composed by an official from these typed conditions.
public struct EligibilityCondition: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The legal form is one of `values`.
        case legalFormIn
        /// The level is one of `values` (e.g. `regional` for district organisations).
        case levelIn
        /// The organisation itself is active in at least `min` municipalities (of `county`, when given).
        case activeInMunicipalities
        /// Its local branches (child organisations) are active in at least `min` municipalities (of `county`).
        case branchesInMunicipalities
        /// At least `min` members aged 6–25 living in `county` in `year` (default: the year before the call year).
        case youngMembersInCounty
        /// At least `min` members in total in `year` (default: the year before).
        case membersAtLeast
        /// Represented in a council whose name contains `text` (recorded on the organisation, or a seat).
        case representedInCouncil
        /// The parent organisation has level `values[0]` and, when given, the area `text`.
        case parentIs
        /// Registered at least `min` years ago.
        case registeredYears
        /// Last year's grants from this body have been reported.
        case lastYearReportSubmitted
        /// No open reclaim (återkrav).
        case notInReclaim
    }

    public var kind: Kind
    public var values: [String]?
    public var min: Int?
    public var county: String?
    public var year: Int?
    public var text: String?

    public init(_ kind: Kind, values: [String]? = nil, min: Int? = nil, county: String? = nil, year: Int? = nil, text: String? = nil) {
        self.kind = kind
        self.values = values
        self.min = min
        self.county = county
        self.year = year
        self.text = text
    }
}

public enum EligibilityStatus: String, Codable, Sendable { case pass, fail, unknown }

/// The outcome of one condition, with the reason in Swedish.
public struct ConditionResult: Codable, Sendable, Equatable {
    public var kind: EligibilityCondition.Kind
    public var status: EligibilityStatus
    public var reason: String
}

public struct EligibilityResult: Codable, Sendable, Equatable {
    /// fail if any condition fails; unknown if none fails but one cannot be decided; pass otherwise.
    public var status: EligibilityStatus
    public var conditions: [ConditionResult]
}

/// Everything the conditions look at, gathered from the Directory and the grant records.
public struct EligibilityFacts: Sendable {
    public struct Members: Sendable {
        public var year: Int
        public var municipality: String?
        public var total: Int
        public var young: Int?
        public init(year: Int, municipality: String?, total: Int, young: Int?) {
            self.year = year
            self.municipality = municipality
            self.total = total
            self.young = young
        }
    }
    public enum ReportState: Sendable { case nothingOwed, allSubmitted, missing }

    public var legalForm: String
    public var level: String
    public var municipalities: [String]
    public var branchMunicipalities: [String]
    public var members: [Members]
    /// County code of every municipality code.
    public var countyOf: [String: String]
    public var councils: [String]
    public var parent: (level: String, areas: [String])?
    public var foundedYear: Int?
    public var lastYearReports: ReportState
    public var openReclaims: Int
    public var countyNames: [String: String] = [:]

    public init(legalForm: String, level: String, municipalities: [String], branchMunicipalities: [String] = [], members: [Members] = [],
                countyOf: [String: String], councils: [String] = [], parent: (level: String, areas: [String])? = nil, foundedYear: Int? = nil,
                lastYearReports: ReportState = .nothingOwed, openReclaims: Int = 0) {
        self.legalForm = legalForm
        self.level = level
        self.municipalities = municipalities
        self.branchMunicipalities = branchMunicipalities
        self.members = members
        self.countyOf = countyOf
        self.councils = councils
        self.parent = parent
        self.foundedYear = foundedYear
        self.lastYearReports = lastYearReports
        self.openReclaims = openReclaims
    }
}

public enum EligibilityRules {
    /// Evaluates every condition; `callYear` is the grant year (member figures default to the year before).
    public static func evaluate(_ conditions: [EligibilityCondition], facts: EligibilityFacts, callYear: Int) -> EligibilityResult {
        let results = conditions.map { evaluate($0, facts, callYear) }
        let status: EligibilityStatus = results.contains { $0.status == .fail } ? .fail : results.contains { $0.status == .unknown } ? .unknown : .pass
        return EligibilityResult(status: status, conditions: results)
    }

    public static func evaluate(_ c: EligibilityCondition, _ f: EligibilityFacts, _ callYear: Int) -> ConditionResult {
        func r(_ s: EligibilityStatus, _ why: String) -> ConditionResult { ConditionResult(kind: c.kind, status: s, reason: why) }
        let countyLabel = c.county.map { f.countyNames[$0] ?? "län \($0)" }
        switch c.kind {
        case .legalFormIn:
            let allowed = c.values ?? []
            return allowed.contains(f.legalForm) ? r(.pass, "Juridisk form uppfyller kraven.") : r(.fail, "Juridisk form ska vara en av: \(allowed.joined(separator: ", ")).")
        case .levelIn:
            let allowed = c.values ?? []
            return allowed.contains(f.level) ? r(.pass, "Organisationsnivån uppfyller kraven.") : r(.fail, "Organisationen ska vara på nivån \(allowed.joined(separator: " eller ")).")
        case .activeInMunicipalities, .branchesInMunicipalities:
            let source = c.kind == .activeInMunicipalities ? f.municipalities : f.branchMunicipalities
            let counted = Set(source.filter { c.county == nil || f.countyOf[$0] == c.county })
            let need = c.min ?? 1
            let what = c.kind == .activeInMunicipalities ? "Verksam i" : "Lokalavdelningar i"
            let whereText = countyLabel.map { " i \($0)" } ?? ""
            if counted.count >= need { return r(.pass, "\(what) \(counted.count) kommuner\(whereText) (krav: minst \(need)).") }
            if source.isEmpty && c.kind == .branchesInMunicipalities {
                return r(.unknown, "Inga lokalavdelningar är registrerade; krav: lokalavdelningar i minst \(need) kommuner\(whereText).")
            }
            return r(.fail, "\(what) \(counted.count) kommuner\(whereText); krav: minst \(need).")
        case .youngMembersInCounty:
            let year = c.year ?? callYear - 1
            let need = c.min ?? 0
            guard let county = c.county else { return r(.unknown, "Regeln saknar län.") }
            let rows = f.members.filter { $0.year == year }
            let perMunicipality = rows.filter { $0.municipality != nil }
            var young: Int?
            if !perMunicipality.isEmpty, perMunicipality.contains(where: { $0.young != nil }) {
                young = perMunicipality.filter { f.countyOf[$0.municipality!] == county }.compactMap(\.young).reduce(0, +)
            } else if let whole = rows.first(where: { $0.municipality == nil }), let y = whole.young {
                // A whole-organisation figure counts only when the organisation is active in this county alone.
                let counties = Set(f.municipalities.compactMap { f.countyOf[$0] })
                if counties == [county] { young = y }
                else { return r(.unknown, "Medlemmar 6–25 år \(year) finns bara för hela organisationen, som är verksam i flera län; ange antal per kommun.") }
            }
            guard let young else { return r(.unknown, "Antal medlemmar 6–25 år för \(year) saknas.") }
            return young >= need
                ? r(.pass, "\(young) medlemmar 6–25 år bosatta i \(countyLabel ?? county) \(year) (krav: minst \(need)).")
                : r(.fail, "\(young) medlemmar 6–25 år bosatta i \(countyLabel ?? county) \(year); krav: minst \(need).")
        case .membersAtLeast:
            let year = c.year ?? callYear - 1
            let need = c.min ?? 0
            guard let whole = f.members.first(where: { $0.year == year && $0.municipality == nil }) else {
                return r(.unknown, "Medlemsantal för \(year) saknas.")
            }
            return whole.total >= need ? r(.pass, "\(whole.total) medlemmar \(year) (krav: minst \(need)).") : r(.fail, "\(whole.total) medlemmar \(year); krav: minst \(need).")
        case .representedInCouncil:
            let name = (c.text ?? "").lowercased()
            guard !name.isEmpty else { return r(.unknown, "Regeln saknar rådets namn.") }
            return f.councils.contains { $0.lowercased().contains(name) }
                ? r(.pass, "Representerad i \(c.text!).") : r(.fail, "Organisationen är inte representerad i \(c.text!).")
        case .parentIs:
            guard let parent = f.parent else { return r(.fail, "Organisationen hör inte till någon moderorganisation.") }
            let level = c.values?.first
            if let level, parent.level != level { return r(.fail, "Moderorganisationen är inte på nivån \(level).") }
            if let area = c.text, !area.isEmpty, !parent.areas.contains(area) { return r(.fail, "Moderorganisationen verkar inte inom området \(area).") }
            return r(.pass, "Moderorganisationen uppfyller kraven.")
        case .registeredYears:
            let need = c.min ?? 0
            guard let founded = f.foundedYear else { return r(.unknown, "Registreringsår saknas.") }
            let years = callYear - founded
            return years >= need ? r(.pass, "Registrerad \(founded) (\(years) år).") : r(.fail, "Registrerad \(founded), \(years) år sedan; krav: minst \(need) år.")
        case .lastYearReportSubmitted:
            switch f.lastYearReports {
            case .nothingOwed: return r(.pass, "Ingen redovisning var skyldig från förra året.")
            case .allSubmitted: return r(.pass, "Förra årets bidrag är redovisade.")
            case .missing: return r(.fail, "Redovisning av förra årets bidrag saknas.")
            }
        case .notInReclaim:
            return f.openReclaims == 0 ? r(.pass, "Inga obetalda återkrav.") : r(.fail, "Organisationen har \(f.openReclaims) obetalda återkrav.")
        }
    }

    /// Checks a rule set an official composed: the parameters each kind needs.
    public static func validate(_ conditions: [EligibilityCondition]) -> FieldErrors {
        var e = FieldErrors()
        var seen = Set<EligibilityCondition.Kind>()
        for (i, c) in conditions.enumerated() {
            let f = "eligibility[\(i)]"
            if !seen.insert(c.kind).inserted { e.add(f, code: "duplicateRule") }
            switch c.kind {
            case .legalFormIn, .levelIn:
                if (c.values ?? []).isEmpty { e.add(f + ".values", code: "required") }
            case .activeInMunicipalities, .branchesInMunicipalities, .membersAtLeast, .registeredYears:
                if (c.min ?? -1) < 0 || (c.min ?? 0) > 10_000_000 { e.add(f + ".min", code: "range", "0", "10000000") }
            case .youngMembersInCounty:
                if (c.min ?? -1) < 0 { e.add(f + ".min", code: "range", "0", "10000000") }
                if c.county == nil { e.add(f + ".county", code: "required") }
            case .representedInCouncil:
                if (c.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty { e.add(f + ".text", code: "required") }
            case .parentIs, .lastYearReportSubmitted, .notInReclaim:
                break
            }
            if let y = c.year, !(1900...2200).contains(y) { e.add(f + ".year", code: "range", "1900", "2200") }
            if let county = c.county, !(county.count == 2 && county.allSatisfy(\.isNumber)) { e.add(f + ".county", code: "unknownCounty", county) }
        }
        return e
    }
}
