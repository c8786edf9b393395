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

/// The outcome of one condition. The reason is a message code (`invalid.elig.<code>` in the localisation files) with its
/// arguments; `reason` holds its text once the app has put it in the reader's language.
public struct ConditionResult: Codable, Sendable, Equatable {
    public var kind: EligibilityCondition.Kind
    public var status: EligibilityStatus
    public var code: String
    public var args: [String]
    public var reason: String

    public init(kind: EligibilityCondition.Kind, status: EligibilityStatus, code: String, args: [String] = [], reason: String = "") {
        self.kind = kind
        self.status = status
        self.code = code
        self.args = args
        self.reason = reason
    }
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
    /// Names of the activity areas by code, so that a reason names an area as people read it.
    public var areaNames: [String: String] = [:]

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
        func r(_ s: EligibilityStatus, _ code: String, _ args: String...) -> ConditionResult {
            ConditionResult(kind: c.kind, status: s, code: code, args: args)
        }
        let countyLabel = c.county.map { f.countyNames[$0] ?? $0 }
        switch c.kind {
        case .legalFormIn:
            let allowed = c.values ?? []
            return allowed.contains(f.legalForm) ? r(.pass, "legalFormOk") : r(.fail, "legalFormNot", allowed.joined(separator: "|"))
        case .levelIn:
            let allowed = c.values ?? []
            return allowed.contains(f.level) ? r(.pass, "levelOk") : r(.fail, "levelNot", allowed.joined(separator: "|"))
        case .activeInMunicipalities, .branchesInMunicipalities:
            let source = c.kind == .activeInMunicipalities ? f.municipalities : f.branchMunicipalities
            let counted = Set(source.filter { c.county == nil || f.countyOf[$0] == c.county })
            let need = c.min ?? 1
            let what = c.kind == .activeInMunicipalities ? "active" : "branches"
            let suffix = countyLabel == nil ? "" : "In"
            let place = countyLabel ?? ""
            if counted.count >= need { return r(.pass, what + "Ok" + suffix, "\(counted.count)", "\(need)", place) }
            if source.isEmpty && c.kind == .branchesInMunicipalities { return r(.unknown, "branchesNone" + suffix, "\(need)", place) }
            return r(.fail, what + "Fail" + suffix, "\(counted.count)", "\(need)", place)
        case .youngMembersInCounty:
            let year = c.year ?? callYear - 1
            let need = c.min ?? 0
            guard let county = c.county else { return r(.unknown, "noCounty") }
            let rows = f.members.filter { $0.year == year }
            let perMunicipality = rows.filter { $0.municipality != nil }
            var young: Int?
            if !perMunicipality.isEmpty, perMunicipality.contains(where: { $0.young != nil }) {
                young = perMunicipality.filter { $0.municipality.flatMap { f.countyOf[$0] } == county }.compactMap(\.young).reduce(0, +)
            } else if let whole = rows.first(where: { $0.municipality == nil }), let y = whole.young {
                // A whole-organisation figure counts only when the organisation is active in this county alone.
                let counties = Set(f.municipalities.compactMap { f.countyOf[$0] })
                if counties == [county] { young = y } else { return r(.unknown, "youngWholeOnly", "\(year)") }
            }
            guard let young else { return r(.unknown, "youngMissing", "\(year)") }
            return r(young >= need ? .pass : .fail, young >= need ? "youngOk" : "youngFail", "\(young)", countyLabel ?? county, "\(year)", "\(need)")
        case .membersAtLeast:
            let year = c.year ?? callYear - 1
            let need = c.min ?? 0
            guard let whole = f.members.first(where: { $0.year == year && $0.municipality == nil }) else { return r(.unknown, "membersMissing", "\(year)") }
            return r(whole.total >= need ? .pass : .fail, whole.total >= need ? "membersOk" : "membersFail", "\(whole.total)", "\(year)", "\(need)")
        case .representedInCouncil:
            let council = c.text ?? ""
            guard !council.isEmpty else { return r(.unknown, "noCouncil") }
            return f.councils.contains { $0.lowercased().contains(council.lowercased()) } ? r(.pass, "councilOk", council) : r(.fail, "councilFail", council)
        case .parentIs:
            guard let parent = f.parent else { return r(.fail, "noParent") }
            if let level = c.values?.first, parent.level != level { return r(.fail, "parentLevel", level) }
            if let area = c.text, !area.isEmpty, !parent.areas.contains(area) { return r(.fail, "parentArea", f.areaNames[area] ?? area) }
            return r(.pass, "parentOk")
        case .registeredYears:
            let need = c.min ?? 0
            guard let founded = f.foundedYear else { return r(.unknown, "foundedMissing") }
            let years = callYear - founded
            return years >= need ? r(.pass, "foundedOk", "\(founded)", "\(years)") : r(.fail, "foundedFail", "\(founded)", "\(years)", "\(need)")
        case .lastYearReportSubmitted:
            switch f.lastYearReports {
            case .nothingOwed: return r(.pass, "reportsNothingOwed")
            case .allSubmitted: return r(.pass, "reportsSubmitted")
            case .missing: return r(.fail, "reportsMissing")
            }
        case .notInReclaim:
            return f.openReclaims == 0 ? r(.pass, "reclaimsNone") : r(.fail, "reclaimsOpen", "\(f.openReclaims)")
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
