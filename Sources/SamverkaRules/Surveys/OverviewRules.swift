import Foundation

/// An indicator's value for a region and year. `unknown` (not surveyed, no records) is never `no`.
public enum TriState: String, Codable, Sendable, CaseIterable {
    case yes, no, unknown
    public var isKnown: Bool { self != .unknown }
}

/// Where a value comes from: `platform` (computed from the records kept here for that year), `reported` (what the
/// region answered a national survey, imported), or `none` (neither).
public enum OverviewSource: String, Codable, Sendable, CaseIterable { case platform, reported, none }

/// One cell of the national overview, with both sources kept when they disagree.
public struct OverviewCell: Sendable, Equatable {
    public var value: TriState
    public var source: OverviewSource
    /// The reported answer when the platform's records decide the value (shown beside it).
    public var reported: TriState?
    /// True when the platform and the reported answer are both known and differ.
    public var conflict: Bool
    public init(value: TriState, source: OverviewSource, reported: TriState? = nil, conflict: Bool = false) {
        self.value = value
        self.source = source
        self.reported = reported
        self.conflict = conflict
    }
}

public enum OverviewRules {
    /// The indicators of the overview, keyed as in the API.
    public static let indicators = ["agreement", "iop", "iopCount", "councils", "grants", "grantsSek", "signatories"]
    /// The yes/no indicators: the only ones regions report.
    public static let reportedIndicators = ["agreement", "iop"]

    /// Records decide where the platform has them; otherwise the reported answer; otherwise unknown.
    /// `platform` is nil when the region keeps no records of this kind on the platform.
    public static func cell(platform: Bool?, reported: TriState?) -> OverviewCell {
        if let platform {
            let v: TriState = platform ? .yes : .no
            let r = reported.flatMap { $0.isKnown ? $0 : nil }
            return OverviewCell(value: v, source: .platform, reported: r, conflict: r.map { $0 != v } ?? false)
        }
        if let reported { return OverviewCell(value: reported, source: .reported) }
        return OverviewCell(value: .unknown, source: .none)
    }

    /// A reported answer as a national report prints it: Ja/Nej (or yes/no) in any case; an empty cell or a dash
    /// (-, –, —), with or without a footnote mark (`*`, `¹`, `a)` …), is "not surveyed". Anything else is nil (an error).
    public static func reportedValue(_ raw: String) -> TriState? {
        var v = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let marks = CharacterSet(charactersIn: "*†‡¹²³⁴⁵⁶⁷⁸⁹⁰")
        while let last = v.unicodeScalars.last, marks.contains(last) { v = String(v.unicodeScalars.dropLast()).trimmingCharacters(in: .whitespaces) }
        if v.hasSuffix(")"), let open = v.lastIndex(of: "("), v.distance(from: open, to: v.endIndex) <= 4 { v = String(v[..<open]).trimmingCharacters(in: .whitespaces) }
        switch v.lowercased() {
        case "ja", "yes", "j": return .yes
        case "nej", "no", "n": return .no
        case "", "-", "–", "—", "−", "?", "n/a", "uppgift saknas", "ej tillfrågad": return .unknown
        default: return nil
        }
    }

    /// Other names national reports use for a county's region, besides "<stem>", "<stem>s län" and "Region <stem>".
    public static let regionAliases: [String: [String]] = [
        "04": ["Sörmland", "Region Sörmland"],
        "23": ["Jämtland Härjedalen", "Region Jämtland Härjedalen", "Jämtland-Härjedalen"],
        "01": ["Region Stockholm", "Stockholms läns landsting", "SLL"],
        "14": ["VGR", "Västra Götalandsregionen"],
    ]

    /// The stem of a county's name: "Stockholms län" → "Stockholm", "Skåne län" → "Skåne".
    public static func stem(ofCountyName name: String) -> String {
        var s = name.trimmingCharacters(in: .whitespaces)
        if s.lowercased().hasSuffix(" län") { s = String(s.dropLast(4)) }
        if s.hasSuffix("s") { s = String(s.dropLast()) }
        return s
    }

    /// The region's own name as the overview prints it: "Region Värmland" (Gotland: "Region Gotland").
    public static func regionName(countyCode: String, countyName: String) -> String {
        if countyCode == "14" { return "Västra Götalandsregionen" }
        if countyCode == "04" { return "Region Sörmland" }
        if countyCode == "23" { return "Region Jämtland Härjedalen" }
        return "Region " + stem(ofCountyName: countyName)
    }

    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "sv_SE"))
            .replacingOccurrences(of: "-", with: " ").split(separator: " ").joined(separator: " ")
    }

    /// The county code for what a file wrote in its `region` column: a county code ("17" or "1"), the county's name
    /// ("Värmlands län"), the region's name ("Region Värmland") or a short name ("Värmland", "Sörmland",
    /// "Jämtland Härjedalen", "Västra Götaland"); case and diacritics are ignored. Nil when none fits.
    public static func countyCode(for raw: String, counties: [(code: String, name: String)]) -> String? {
        let v = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty else { return nil }
        if v.allSatisfy(\.isNumber), let n = Int(v) {
            let code = String(format: "%02d", n)
            return counties.contains { $0.code == code } ? code : nil
        }
        let key = fold(v)
        for c in counties {
            let stem = stem(ofCountyName: c.name)
            var names = [c.name, stem, stem + "s län", stem + "s", "Region " + stem, "Region " + c.name, stem + " län", regionName(countyCode: c.code, countyName: c.name)]
            names += regionAliases[c.code] ?? []
            if names.contains(where: { fold($0) == key }) { return c.code }
        }
        return nil
    }

    /// A value that changed between two years (both known), or one that cannot be compared (unknown in either).
    public struct Change: Sendable, Equatable {
        public var countyCode: String
        public var indicator: String
        public var from: String
        public var to: String
        public init(countyCode: String, indicator: String, from: String, to: String) {
            self.countyCode = countyCode
            self.indicator = indicator
            self.from = from
            self.to = to
        }
    }

    /// Compares one region's values between two years, indicator by indicator (values as text; "unknown" for
    /// unknown). Known in both years and different → a change; unknown in either year → not comparable; the same
    /// → neither.
    public static func changes(countyCode: String, from a: [String: String], to b: [String: String], indicators: [String]) -> (changed: [Change], notComparable: [Change]) {
        var changed: [Change] = [], open: [Change] = []
        for i in indicators {
            let x = a[i] ?? TriState.unknown.rawValue, y = b[i] ?? TriState.unknown.rawValue
            let c = Change(countyCode: countyCode, indicator: i, from: x, to: y)
            if x == TriState.unknown.rawValue || y == TriState.unknown.rawValue { open.append(c) } else if x != y { changed.append(c) }
        }
        return (changed, open)
    }

    /// How many regions answered yes, no and unknown.
    public static func summary(_ values: [TriState]) -> (yes: Int, no: Int, unknown: Int) {
        (values.filter { $0 == .yes }.count, values.filter { $0 == .no }.count, values.filter { $0 == .unknown }.count)
    }

    /// A year the overview can be asked about.
    public static func isYear(_ y: Int) -> Bool { (1990...2100).contains(y) }

    /// A period [from, to] overlaps a calendar year.
    public static func overlaps(year: Int, from: LocalDate?, to: LocalDate?) -> Bool {
        guard let start = LocalDate(year: year, month: 1, day: 1), let end = LocalDate(year: year, month: 12, day: 31) else { return false }
        if let from, from > end { return false }
        if let to, to < start { return false }
        return true
    }
}
