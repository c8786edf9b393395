import Foundation

/// A version of an agreement as the rules see it.
public struct AgreementVersionFacts: Sendable, Equatable {
    public var id: UUID
    public var number: Int
    public var status: AgreementVersionStatus
    /// The day the draft was written (created).
    public var draftedOn: LocalDate
    public var adoptedOn: LocalDate?
    /// The first day in force (the adoption day unless the decision says later).
    public var validFrom: LocalDate?
    /// The first day no longer in force (replaced by a revision, or the agreement ended).
    public var endedOn: LocalDate?
    /// The last day of the remiss on the draft, when it went out for consultation.
    public var consultationDeadline: LocalDate?

    public init(id: UUID, number: Int, status: AgreementVersionStatus, draftedOn: LocalDate, adoptedOn: LocalDate? = nil,
                validFrom: LocalDate? = nil, endedOn: LocalDate? = nil, consultationDeadline: LocalDate? = nil) {
        self.id = id
        self.number = number
        self.status = status
        self.draftedOn = draftedOn
        self.adoptedOn = adoptedOn
        self.validFrom = validFrom
        self.endedOn = endedOn
        self.consultationDeadline = consultationDeadline
    }

    /// Adopted at some point (in force now, earlier, or later).
    public var wasAdopted: Bool { status == .adopted || status == .replaced || status == .ended }
}

/// The life of an överenskommelse: which version is in force on a day, and what an adoption, a revision or an end
/// must satisfy. Used by every list, page, API and the national overview, so "in force" means one thing.
public enum AgreementRules {
    /// The version in force on `day`: adopted, started on or before the day, and not replaced or ended by then.
    public static func inForce(_ versions: [AgreementVersionFacts], on day: LocalDate) -> AgreementVersionFacts? {
        versions.filter { v in
            guard v.wasAdopted, let from = v.validFrom, from <= day else { return false }
            return v.endedOn.map { day < $0 } ?? true
        }.max { ($0.validFrom ?? day) < ($1.validFrom ?? day) }
    }

    /// Whether any version was in force on some day between `from` and `to` (both included), e.g. during a year.
    public static func inForce(_ versions: [AgreementVersionFacts], from: LocalDate, to: LocalDate) -> Bool {
        versions.contains { v in
            guard v.wasAdopted, let start = v.validFrom, start <= to else { return false }
            return v.endedOn.map { from < $0 } ?? true
        }
    }

    /// The first day any version was in force (nil before the first adoption).
    public static func firstInForce(_ versions: [AgreementVersionFacts]) -> LocalDate? {
        versions.filter(\.wasAdopted).compactMap(\.validFrom).min()
    }

    public struct Adoption: Sendable, Equatable {
        public var adoptedOn: LocalDate
        public var validFrom: LocalDate
        public var paragraph: String
        public var diarienummer: String
        public var organ: String
    }

    /// Checks an adoption of `version` among `all` versions of the agreement. The draft must exist before it is
    /// adopted, a remiss must have run its time, and the new version must begin after every version adopted
    /// before it (it then replaces the one in force): two versions are never in force on the same day.
    public static func adoption(of version: AgreementVersionFacts, among all: [AgreementVersionFacts],
                                adoptedOn rawAdopted: String?, validFrom rawFrom: String?, paragraph rawParagraph: String?,
                                diarienummer rawDiarie: String?, organ rawOrgan: String?, errors: inout FieldErrors) -> Adoption? {
        if version.status != .draft && version.status != .consultation {
            errors.add("status", code: "versionNotDraft", version.status.rawValue)
        }
        let adopted = TextRules.date(rawAdopted, field: "adoptedOn", required: true, errors: &errors)
        let from = TextRules.date(rawFrom, field: "validFrom", errors: &errors) ?? adopted
        let organ = TextRules.line(rawOrgan, field: "decidingOrgan", max: 200, required: true, min: 2, errors: &errors)
        let paragraph = self.paragraph(rawParagraph, field: "paragraph", errors: &errors)
        let diarie = diarienummer(rawDiarie, field: "diarienummer", required: true, errors: &errors)
        guard let adopted, let from else { return nil }
        if adopted < version.draftedOn {
            errors.add("adoptedOn", code: "adoptedBeforeDraft", version.draftedOn.description)
        }
        if version.status == .consultation, let deadline = version.consultationDeadline, adopted <= deadline {
            errors.add("adoptedOn", code: "adoptedDuringConsultation", deadline.description)
        }
        if from < adopted { errors.add("validFrom", code: "validBeforeAdoption") }
        for other in all where other.id != version.id && other.wasAdopted {
            if let start = other.validFrom, start >= from {
                errors.add("validFrom", code: "overlapsVersion", String(other.number), start.description)
            }
        }
        guard errors.isEmpty, let paragraph, let diarie else { return nil }
        return Adoption(adoptedOn: adopted, validFrom: from, paragraph: paragraph, diarienummer: diarie, organ: organ)
    }

    /// The versions an adoption replaces: every adopted version still open-ended, or ending after the new start.
    public static func replacedBy(_ adoption: Adoption, among all: [AgreementVersionFacts], except id: UUID) -> [UUID] {
        all.filter { v in
            guard v.id != id, v.status == .adopted || v.status == .ended, let start = v.validFrom, start < adoption.validFrom else { return false }
            return v.endedOn.map { $0 > adoption.validFrom } ?? true
        }.map(\.id)
    }

    /// Ending the agreement: the version in force stops on `endedOn` (its first day out of force), with a reason.
    public static func end(_ inForce: AgreementVersionFacts?, endedOn raw: String?, reason rawReason: String?, errors: inout FieldErrors) -> (LocalDate, String)? {
        let day = TextRules.date(raw, field: "endedOn", required: true, errors: &errors)
        let reason = TextRules.paragraph(rawReason, field: "endReason", max: 2000, required: true, errors: &errors)
        guard let current = inForce, current.status == .adopted else {
            errors.add("endedOn", code: "nothingInForce")
            return nil
        }
        if let day, let from = current.validFrom, day <= from { errors.add("endedOn", code: "endBeforeStart", from.description) }
        guard errors.isEmpty, let day else { return nil }
        return (day, reason)
    }

    /// A new draft (the first one, or a revision): only when no other draft or remiss is under way.
    public static func mayStartDraft(_ all: [AgreementVersionFacts]) -> Bool {
        !all.contains { $0.status == .draft || $0.status == .consultation }
    }

    /// A paragraph of minutes: "§ 174", "174", "§174", "174 §", "§ 12 a" → "§ 174" / "§ 12 a".
    public static func paragraph(_ raw: String?, field: String, errors: inout FieldErrors) -> String? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            errors.add(field, code: "required")
            return nil
        }
        var rest = Substring(text)
        if rest.hasPrefix("§") { rest = rest.dropFirst() } else if rest.hasSuffix("§") { rest = rest.dropLast() }
        rest = Substring(rest.trimmingCharacters(in: .whitespaces))
        let scalars = Array(rest.unicodeScalars)
        var digits = ""
        var index = 0
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { digits.unicodeScalars.append(scalars[index]); index += 1 }
        let suffix = String(String.UnicodeScalarView(scalars[index...])).trimmingCharacters(in: .whitespaces)
        let letterOK = suffix.isEmpty || (suffix.unicodeScalars.count == 1 && suffix.unicodeScalars.allSatisfy { ("a"..."z").contains($0) })
        guard !digits.isEmpty, digits.count <= 5, digits.first != "0", letterOK else {
            errors.add(field, code: "paragraphFormat")
            return nil
        }
        return suffix.isEmpty ? "§ \(digits)" : "§ \(digits) \(suffix)"
    }

    /// A diarienummer typed from the body's registry ("RS 2014-00123", "RV/2022:45"): letters, digits, space and
    /// `- / . :`, with at least one digit, 3–40 characters.
    public static func diarienummer(_ raw: String?, field: String, required: Bool, errors: inout FieldErrors) -> String? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { errors.add(field, code: "required") }
            return nil
        }
        let allowed = text.unicodeScalars.allSatisfy { s in
            ("0"..."9").contains(s) || ("A"..."Z").contains(s) || ("a"..."z").contains(s) || "ÅÄÖåäö -/.:".unicodeScalars.contains(s)
        }
        guard allowed, (3...40).contains(text.unicodeScalars.count), text.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) else {
            errors.add(field, code: "diarieFormat")
            return nil
        }
        return text
    }
}

/// One section of an agreement's text.
public struct AgreementSection: Codable, Sendable, Equatable {
    public var key: String
    public var title: String
    public var text: String
    public init(key: String, title: String, text: String) {
        self.key = key
        self.title = title
        self.text = text
    }
}

/// Sections as typed in a form or body: titles and texts required, keys stable (kept from the previous version,
/// made from the position for new sections).
public enum SectionRules {
    public static let maxSections = 60
    public static let maxText = 20_000

    public static func validate(_ sections: [AgreementSection], errors: inout FieldErrors) -> [AgreementSection] {
        var out: [AgreementSection] = []
        var keys = Set<String>()
        if sections.count > maxSections { errors.add("sections", code: "tooMany", String(maxSections)) }
        for (i, s) in sections.prefix(maxSections).enumerated() {
            var e = FieldErrors()
            let title = TextRules.line(s.title, field: "sections[\(i)].title", max: 300, required: true, errors: &e)
            let text = TextRules.paragraph(s.text, field: "sections[\(i)].text", max: maxText, errors: &e)
            var key = s.key.trimmingCharacters(in: .whitespaces)
            if key.isEmpty || key.unicodeScalars.count > 40 || !key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                key = "s\(i + 1)"
            }
            while keys.contains(key) { key += "x" }
            keys.insert(key)
            errors.append(e)
            out.append(AgreementSection(key: key, title: title, text: text))
        }
        return out
    }
}

/// What changed between two versions, section by section (sections are matched by their key), with the words
/// added and removed inside a changed section.
public enum SectionDiff {
    public enum Change: String, Sendable, Codable { case added, removed, changed, unchanged }
    public enum PieceKind: String, Sendable, Codable { case same, added, removed }

    public struct Piece: Sendable, Equatable, Codable {
        public var kind: PieceKind
        public var text: String
    }

    public struct SectionChange: Sendable, Equatable, Codable {
        public var key: String
        public var change: Change
        public var oldTitle: String?
        public var newTitle: String?
        public var pieces: [Piece]
    }

    public static func compare(_ old: [AgreementSection], _ new: [AgreementSection]) -> [SectionChange] {
        let oldByKey = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let newKeys = Set(new.map(\.key))
        var out: [SectionChange] = []
        for s in new {
            guard let o = oldByKey[s.key] else {
                out.append(SectionChange(key: s.key, change: .added, oldTitle: nil, newTitle: s.title, pieces: [Piece(kind: .added, text: s.text)]))
                continue
            }
            if o.title == s.title && o.text == s.text {
                out.append(SectionChange(key: s.key, change: .unchanged, oldTitle: o.title, newTitle: s.title, pieces: [Piece(kind: .same, text: s.text)]))
            } else {
                out.append(SectionChange(key: s.key, change: .changed, oldTitle: o.title, newTitle: s.title, pieces: words(o.text, s.text)))
            }
        }
        for o in old where !newKeys.contains(o.key) {
            out.append(SectionChange(key: o.key, change: .removed, oldTitle: o.title, newTitle: nil, pieces: [Piece(kind: .removed, text: o.text)]))
        }
        return out
    }

    /// A word diff (longest common subsequence over words and the spaces between them); very long texts that
    /// would make the table too large are compared paragraph by paragraph instead.
    public static func words(_ a: String, _ b: String) -> [Piece] {
        var x = tokens(a), y = tokens(b)
        if x.count * y.count > 4_000_000 {
            x = a.components(separatedBy: "\n").map { $0 + "\n" }
            y = b.components(separatedBy: "\n").map { $0 + "\n" }
            if x.count * y.count > 4_000_000 { return [Piece(kind: .removed, text: a), Piece(kind: .added, text: b)] }
        }
        let n = x.count, m = y.count
        var table = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i][j] = x[i] == y[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
        }
        var pieces: [Piece] = []
        func push(_ kind: PieceKind, _ t: String) {
            if let last = pieces.last, last.kind == kind { pieces[pieces.count - 1].text += t } else { pieces.append(Piece(kind: kind, text: t)) }
        }
        var i = 0, j = 0
        while i < n && j < m {
            if x[i] == y[j] { push(.same, x[i]); i += 1; j += 1 }
            else if table[i + 1][j] >= table[i][j + 1] { push(.removed, x[i]); i += 1 }
            else { push(.added, y[j]); j += 1 }
        }
        while i < n { push(.removed, x[i]); i += 1 }
        while j < m { push(.added, y[j]); j += 1 }
        return pieces
    }

    /// Words and the whitespace runs between them, so joining the tokens gives the text back.
    static func tokens(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inSpace = false
        for ch in s {
            let space = ch.isWhitespace
            if !current.isEmpty && space != inSpace { out.append(current); current = "" }
            current.append(ch)
            inSpace = space
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
