import Foundation

/// The states of an IOP, in the order they cannot be skipped.
public enum PartnershipState: String, Codable, Sendable, CaseIterable, Vocabulary {
    case initiative, analysis, assessment, decision, agreement, active, ended, rejected, withdrawn
    public static let labelPrefix = "partnershipState"
    public var aliases: [String] { [] }

    /// The state after this one on the way to an agreement in force (nil at the end of the road).
    public var next: PartnershipState? {
        switch self {
        case .initiative: return .analysis
        case .analysis: return .assessment
        case .assessment: return .decision
        case .decision: return .agreement
        case .agreement: return .active
        case .active, .ended, .rejected, .withdrawn: return nil
        }
    }

    public var isClosed: Bool { self == .ended || self == .rejected || self == .withdrawn }
}

/// What each side puts into the partnership per year.
public struct Contribution: Codable, Sendable, Equatable {
    /// "body" or "organisation".
    public var party: String
    public var kronorPerYear: Int
    public var staffHoursPerYear: Int
    public var premises: String
    public var volunteers: Int
    public var other: String
    public init(party: String, kronorPerYear: Int = 0, staffHoursPerYear: Int = 0, premises: String = "", volunteers: Int = 0, other: String = "") {
        self.party = party; self.kronorPerYear = kronorPerYear; self.staffHoursPerYear = staffHoursPerYear
        self.premises = premises; self.volunteers = volunteers; self.other = other
    }
    public var isEmpty: Bool { kronorPerYear == 0 && staffHoursPerYear == 0 && premises.isEmpty && volunteers == 0 && other.isEmpty }
}

/// Moving an IOP on: one state at a time, each with what it needs before the next can start.
public enum PipelineRules {
    public struct Facts: Sendable, Equatable {
        public var state: PartnershipState
        public var problemAnalysis: String
        public var goals: [String]
        public var contributions: [Contribution]
        public var assessment: IOPConclusion?
        public var assessedBy: String
        public var override: String
        public var decision: (organ: String, day: LocalDate?, paragraph: String, diarienummer: String)?
        public var period: (from: LocalDate, to: LocalDate)?
        public var agreementText: String
        public init(state: PartnershipState, problemAnalysis: String = "", goals: [String] = [], contributions: [Contribution] = [],
                    assessment: IOPConclusion? = nil, assessedBy: String = "", override: String = "",
                    decision: (organ: String, day: LocalDate?, paragraph: String, diarienummer: String)? = nil,
                    period: (from: LocalDate, to: LocalDate)? = nil, agreementText: String = "") {
            self.state = state; self.problemAnalysis = problemAnalysis; self.goals = goals; self.contributions = contributions
            self.assessment = assessment; self.assessedBy = assessedBy; self.override = override; self.decision = decision
            self.period = period; self.agreementText = agreementText
        }
        public static func == (a: Facts, b: Facts) -> Bool { a.state == b.state && a.problemAnalysis == b.problemAnalysis && a.assessment == b.assessment }
    }

    /// Checks moving from `f.state` to `to`. Closing (rejected, withdrawn) is possible from any open state with a
    /// reason; ending only from an active partnership; otherwise only the next state, with its content in place.
    public static func move(_ f: Facts, to: PartnershipState, reason: String, errors: inout FieldErrors) {
        if f.state.isClosed { errors.add("state", code: "partnershipClosed", f.state.rawValue); return }
        switch to {
        case .rejected, .withdrawn:
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("reason", code: "required") }
            return
        case .ended:
            if f.state != .active { errors.add("state", code: "skipState", f.state.rawValue, to.rawValue) }
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("reason", code: "required") }
            return
        default:
            guard f.state.next == to else { errors.add("state", code: "skipState", f.state.rawValue, to.rawValue); return }
        }
        // What the state being left must hold.
        switch f.state {
        case .initiative:
            break
        case .analysis:
            if f.problemAnalysis.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("problemAnalysis", code: "required") }
            if f.goals.isEmpty { errors.add("goals", code: "required") }
            if !f.contributions.contains(where: { $0.party == "body" && !$0.isEmpty }) { errors.add("contributions", code: "bodyContribution") }
            if !f.contributions.contains(where: { $0.party == "organisation" && !$0.isEmpty }) { errors.add("contributions", code: "organisationContribution") }
        case .assessment:
            guard let a = f.assessment, !f.assessedBy.isEmpty else { errors.add("assessment", code: "assessmentMissing"); return }
            if a != .iopSuitable && f.override.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.add("assessment", code: "assessmentAgainstIOP", a.rawValue)
            }
        case .decision:
            guard let d = f.decision, d.day != nil, !d.organ.isEmpty, !d.paragraph.isEmpty, !d.diarienummer.isEmpty else {
                errors.add("decision", code: "decisionMissing"); return
            }
        case .agreement:
            if f.period == nil { errors.add("periodFrom", code: "required") }
            if f.agreementText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("agreementText", code: "required") }
        case .active, .ended, .rejected, .withdrawn:
            break
        }
    }

    /// An IOP is in force on a day when active and the day is inside its period.
    public static func inForce(state: PartnershipState, period: (from: LocalDate, to: LocalDate)?, on day: LocalDate) -> Bool {
        guard state == .active || state == .ended, let p = period else { return false }
        return p.from <= day && day <= p.to
    }

    /// An IOP was in force on some day between `from` and `to` (e.g. during a year): active or since ended, its
    /// period overlapping, and not closed before `from`.
    public static func inForce(state: PartnershipState, period: (from: LocalDate, to: LocalDate)?, closedOn: LocalDate?, from: LocalDate, to: LocalDate) -> Bool {
        guard state == .active || state == .ended, let p = period, p.from <= to, from <= p.to else { return false }
        return closedOn.map { from < $0 } ?? true
    }
}

/// De minimis aid per undertaking (Commission Regulation (EU) 2023/2831): every aid converted to euro at the rate of
/// its grant day, summed over the three years that end on the day checked, against the ceiling in force that day.
public enum StateAidRules {
    public struct Aid: Sendable, Equatable {
        public var id: UUID
        public var source: String
        public var grantedOn: LocalDate
        public var amount: Int
        /// Minor units (öre, cent) per major unit is 100 for every currency here.
        public var currency: String
        public init(id: UUID, source: String, grantedOn: LocalDate, amount: Int, currency: String) {
            self.id = id; self.source = source; self.grantedOn = grantedOn; self.amount = amount; self.currency = currency
        }
    }

    public struct Rate: Sendable, Equatable {
        public var currency: String
        public var day: LocalDate
        /// Units of the currency per euro, e.g. 11.5 SEK.
        public var perEuro: Double
        public init(currency: String, day: LocalDate, perEuro: Double) { self.currency = currency; self.day = day; self.perEuro = perEuro }
    }

    /// EUR 300 000 from 2024 (Regulation 2023/2831); EUR 200 000 before (Regulation 1407/2013).
    public static func ceilingEuro(on day: LocalDate) -> Int {
        day < LocalDate.clamped(year: 2024, month: 1, day: 1) ? 200_000 : 300_000
    }

    /// The first day of the three-year window that ends on `day`: the day after the same date three years earlier
    /// (29 February counts back to 28 February). Aid granted exactly three years before `day` is outside.
    public static func windowStart(endingOn day: LocalDate) -> LocalDate {
        LocalDate.clamped(year: day.year - 3, month: day.month, day: day.day).adding(days: 1)
    }

    /// The rate for a currency on a day: the latest on or before it, else the default.
    public static func rate(_ currency: String, on day: LocalDate, rates: [Rate], defaultPerEuro: Double) -> Double {
        if currency == "EUR" { return 1 }
        return rates.filter { $0.currency == currency && $0.day <= day }.max { $0.day < $1.day }?.perEuro ?? defaultPerEuro
    }

    /// Euro cents of one aid.
    public static func euroCents(_ aid: Aid, rates: [Rate], defaultPerEuro: Double) -> Int {
        let r = rate(aid.currency, on: aid.grantedOn, rates: rates, defaultPerEuro: defaultPerEuro)
        return r > 0 ? Int((Double(aid.amount) / r).rounded()) : 0
    }

    public struct Total: Sendable, Equatable {
        public var windowFrom: LocalDate
        public var windowTo: LocalDate
        public var euroCents: Int
        public var ceilingEuro: Int
        public var counted: [UUID]
        public var exceeded: Bool { euroCents > ceilingEuro * 100 }
    }

    public static func total(_ aids: [Aid], on day: LocalDate, rates: [Rate], defaultPerEuro: Double) -> Total {
        let from = windowStart(endingOn: day)
        let inside = aids.filter { $0.grantedOn >= from && $0.grantedOn <= day }
        return Total(windowFrom: from, windowTo: day, euroCents: inside.reduce(0) { $0 + euroCents($1, rates: rates, defaultPerEuro: defaultPerEuro) },
                     ceilingEuro: ceilingEuro(on: day), counted: inside.map(\.id))
    }

    /// Would a new aid on `day` pass the ceiling?
    public static func wouldExceed(_ aids: [Aid], adding new: Aid, rates: [Rate], defaultPerEuro: Double) -> Total? {
        let t = total(aids + [new], on: new.grantedOn, rates: rates, defaultPerEuro: defaultPerEuro)
        return t.exceeded ? t : nil
    }
}
