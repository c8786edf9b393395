import Foundation

/// The facts one year (or any date range) of platform data gives about an agreement's owners and signatories:
/// plain numbers and lists, gathered by the Agreements module through Dialogue's and Grants' fact types, so every
/// indicator below is computed (and unit-tested) without a database.
public struct PrincipleFacts: Sendable, Equatable {
    public struct Meeting: Sendable, Equatable {
        public var id: UUID
        public var day: LocalDate
        /// planned, confirmed, held, published, cancelled (Dialogue's meeting status).
        public var status: String
        public var publishedOn: LocalDate?
        public var agendaItems: Int
        public var publicAgendaItems: Int
        public init(id: UUID, day: LocalDate, status: String, publishedOn: LocalDate?, agendaItems: Int, publicAgendaItems: Int) {
            self.id = id; self.day = day; self.status = status; self.publishedOn = publishedOn
            self.agendaItems = agendaItems; self.publicAgendaItems = publicAgendaItems
        }
        public var wasHeld: Bool { status == "held" || status == "published" }
    }

    public struct Grant: Sendable, Equatable {
        public var decisionID: UUID
        public var organisationID: UUID
        public var programmeID: UUID
        /// Grants' programme kind (organisationsbidrag, verksamhetsbidrag, projektbidrag …).
        public var kind: String
        public var amountOre: Int
        public var decidedOn: LocalDate
        /// The organisation had a granted decision in the same programme the year before (support that continues).
        public var continuesFromYearBefore: Bool
        public init(decisionID: UUID, organisationID: UUID, programmeID: UUID, kind: String, amountOre: Int, decidedOn: LocalDate, continuesFromYearBefore: Bool) {
            self.decisionID = decisionID; self.organisationID = organisationID; self.programmeID = programmeID; self.kind = kind
            self.amountOre = amountOre; self.decidedOn = decidedOn; self.continuesFromYearBefore = continuesFromYearBefore
        }
        /// Support to the organisation as such rather than to activities the body chose.
        public var isGeneralSupport: Bool { kind == "organisationsbidrag" || kind == "verksamhetsbidrag" }
    }

    public struct Report: Sendable, Equatable {
        public var id: UUID
        public var approved: Bool
        public var completionRequests: Int
        public init(id: UUID, approved: Bool, completionRequests: Int) { self.id = id; self.approved = approved; self.completionRequests = completionRequests }
    }

    public var meetings: [Meeting]
    public var feedback: FeedbackRules.Rate
    public var grants: [Grant]
    public var reports: [Report]
    /// Municipality codes and area keys of each organisation that received a grant or held a seat.
    public var participants: [UUID: (municipalities: [String], areas: [String])]
    public var municipalitiesInCounty: Int

    public init(meetings: [Meeting], feedback: FeedbackRules.Rate, grants: [Grant], reports: [Report],
                participants: [UUID: (municipalities: [String], areas: [String])], municipalitiesInCounty: Int) {
        self.meetings = meetings; self.feedback = feedback; self.grants = grants; self.reports = reports
        self.participants = participants; self.municipalitiesInCounty = municipalitiesInCounty
    }

    public static func == (a: PrincipleFacts, b: PrincipleFacts) -> Bool {
        a.meetings == b.meetings && a.feedback == b.feedback && a.grants == b.grants && a.reports == b.reports
            && a.municipalitiesInCounty == b.municipalitiesInCounty && a.participants.keys.sorted { $0.uuidString < $1.uuidString } == b.participants.keys.sorted { $0.uuidString < $1.uuidString }
    }
}

/// One computed indicator.
public struct IndicatorValue: Sendable, Equatable, Codable {
    public enum Unit: String, Sendable, Codable { case share, days, count }
    public var key: String
    public var principle: NationalPrinciple
    /// The figure: a share 0…1, a number of days or a count; nil when the basis is too small to say anything.
    public var value: Double?
    public var unit: Unit
    public var numerator: Int
    public var denominator: Int
    /// Fewer than `IndicatorCatalogue.minimumBasis` records behind it: the dashboard says so instead of showing 0 %.
    public var insufficient: Bool
    /// The ids of the records counted (meetings, decisions, reports, organisations), so every figure links to them.
    public var records: [UUID]
}

/// The catalogue of principle indicators: each national principle tied to figures computed from platform data, with
/// a plain-Swedish definition shown next to every figure (and in the API as `definition`).
public enum IndicatorCatalogue {
    public static let minimumBasis = 3

    public struct Definition: Sendable, Equatable {
        public var key: String
        public var principle: NationalPrinciple
        public var name: String
        public var definition: String
        /// What the records behind the figure are (meetings, grantDecisions, grantReports, organisations, questions).
        public var recordKind: String
    }

    public static let all: [Definition] = [
        Definition(key: "meetingsHeld", principle: .dialog, name: "Planerade möten som hölls",
                   definition: "Andelen av årets planerade möten i överenskommelsens forum (styrgrupp, råd) som hölls; inställda möten räknas som inte hållna. Möten som ännu inte ägt rum räknas inte.",
                   recordKind: "meetings"),
        Definition(key: "feedbackRate", principle: .dialog, name: "Återkoppling i tid",
                   definition: "Andelen frågor till ägarmyndigheterna som besvarades inom sin svarsfrist. Obesvarade frågor räknas när fristen har gått ut; frågor vars frist inte gått ut räknas inte.",
                   recordKind: "questions"),
        Definition(key: "publicItems", principle: .oppenhet, name: "Offentliga protokollspunkter",
                   definition: "Andelen dagordningspunkter (med protokoll och beslut) i hållna möten som är offentliga, dvs. inte sekretessmarkerade.",
                   recordKind: "meetings"),
        Definition(key: "daysToMinutes", principle: .oppenhet, name: "Dagar till publicerat protokoll",
                   definition: "Mediantalet dagar från möte till publicerat protokoll, för hållna möten vars protokoll publicerats.",
                   recordKind: "meetings"),
        Definition(key: "longTermMoney", principle: .langsiktighet, name: "Långsiktigt stöd",
                   definition: "Andelen beviljade kronor som är organisationsbidrag eller fortsätter ett bidrag ur samma program från året före (flerårigt stöd).",
                   recordKind: "grantDecisions"),
        Definition(key: "untiedMoney", principle: .sjalvstandighet, name: "Stöd som inte styr verksamheten",
                   definition: "Andelen beviljade kronor som är organisations- eller verksamhetsbidrag, dvs. inte bundna till projekt eller aktiviteter som myndigheten valt.",
                   recordKind: "grantDecisions"),
        Definition(key: "municipalSpread", principle: .mangfald, name: "Spridning över länets kommuner",
                   definition: "Andelen av länets kommuner där minst en organisation som fått bidrag eller har plats i överenskommelsens forum är verksam.",
                   recordKind: "organisations"),
        Definition(key: "areaSpread", principle: .mangfald, name: "Spridning över verksamhetsområden",
                   definition: "Antalet olika verksamhetsområden bland organisationerna som fått bidrag eller har plats i överenskommelsens forum.",
                   recordKind: "organisations"),
        Definition(key: "reportsWithoutCompletion", principle: .kvalitet, name: "Redovisningar godkända direkt",
                   definition: "Andelen godkända bidragsredovisningar som godkändes utan begäran om komplettering.",
                   recordKind: "grantReports"),
    ]

    public static func definition(_ key: String) -> Definition? { all.first { $0.key == key } }

    /// Every indicator of the catalogue for one set of facts.
    public static func compute(_ f: PrincipleFacts, today: LocalDate) -> [IndicatorValue] {
        all.map { compute($0, f, today: today) }
    }

    static func share(_ d: Definition, _ n: Int, _ total: Int, _ records: [UUID]) -> IndicatorValue {
        let enough = total >= minimumBasis
        return IndicatorValue(key: d.key, principle: d.principle, value: enough ? Double(n) / Double(total) : nil, unit: .share,
                              numerator: n, denominator: total, insufficient: !enough, records: records)
    }

    static func moneyShare(_ d: Definition, _ grants: [PrincipleFacts.Grant], _ counts: (PrincipleFacts.Grant) -> Bool) -> IndicatorValue {
        let total = grants.reduce(0) { $0 + $1.amountOre }
        let part = grants.filter(counts).reduce(0) { $0 + $1.amountOre }
        let enough = grants.count >= minimumBasis && total > 0
        return IndicatorValue(key: d.key, principle: d.principle, value: enough ? Double(part) / Double(total) : nil, unit: .share,
                              numerator: part, denominator: total, insufficient: !enough, records: grants.map(\.decisionID))
    }

    static func compute(_ d: Definition, _ f: PrincipleFacts, today: LocalDate) -> IndicatorValue {
        switch d.key {
        case "meetingsHeld":
            let due = f.meetings.filter { $0.day < today || $0.wasHeld }
            return share(d, due.filter(\.wasHeld).count, due.count, due.map(\.id))
        case "feedbackRate":
            let r = f.feedback
            let enough = r.judged >= minimumBasis
            return IndicatorValue(key: d.key, principle: d.principle, value: enough ? r.share : nil, unit: .share, numerator: r.answeredInTime,
                                  denominator: r.judged, insufficient: !enough, records: [])
        case "publicItems":
            let held = f.meetings.filter(\.wasHeld)
            return share(d, held.reduce(0) { $0 + $1.publicAgendaItems }, held.reduce(0) { $0 + $1.agendaItems }, held.map(\.id))
        case "daysToMinutes":
            let published = f.meetings.filter { $0.wasHeld && $0.publishedOn != nil }
            let days = published.compactMap { m in m.publishedOn.map { max(0, m.day.days(until: $0)) } }.sorted()
            let enough = days.count >= minimumBasis
            return IndicatorValue(key: d.key, principle: d.principle, value: enough ? median(days) : nil, unit: .days, numerator: days.reduce(0, +),
                                  denominator: days.count, insufficient: !enough, records: published.map(\.id))
        case "longTermMoney":
            return moneyShare(d, f.grants) { $0.kind == "organisationsbidrag" || $0.continuesFromYearBefore }
        case "untiedMoney":
            return moneyShare(d, f.grants) { $0.isGeneralSupport }
        case "municipalSpread":
            let codes = Set(f.participants.values.flatMap(\.municipalities))
            let enough = f.participants.count >= minimumBasis && f.municipalitiesInCounty > 0
            return IndicatorValue(key: d.key, principle: d.principle, value: enough ? Double(codes.count) / Double(f.municipalitiesInCounty) : nil, unit: .share,
                                  numerator: codes.count, denominator: f.municipalitiesInCounty, insufficient: !enough,
                                  records: f.participants.keys.sorted { $0.uuidString < $1.uuidString })
        case "areaSpread":
            let areas = Set(f.participants.values.flatMap(\.areas))
            let enough = f.participants.count >= minimumBasis
            return IndicatorValue(key: d.key, principle: d.principle, value: enough ? Double(areas.count) : nil, unit: .count,
                                  numerator: areas.count, denominator: f.participants.count, insufficient: !enough,
                                  records: f.participants.keys.sorted { $0.uuidString < $1.uuidString })
        case "reportsWithoutCompletion":
            let approved = f.reports.filter(\.approved)
            let direct = approved.filter { $0.completionRequests == 0 }
            return share(d, direct.count, approved.count, approved.map(\.id))
        default:
            return IndicatorValue(key: d.key, principle: d.principle, value: nil, unit: .share, numerator: 0, denominator: 0, insufficient: true, records: [])
        }
    }

    public static func median(_ sorted: [Int]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// The figures of a follow-up report for a date range: generated from platform data, frozen when approved.
public struct FollowUpFigures: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var meetingsPlanned: Int
    public var meetingsHeld: Int
    public var questionsJudged: Int
    public var questionsAnsweredInTime: Int
    public var consultations: Int
    public var consultationComments: Int
    public var consultationCommentsHandled: Int
    public var grantsToSignatories: Int
    public var grantsToSignatoriesOre: Int
    public var signatoriesAtStart: Int
    public var signatoriesJoined: Int
    public var signatoriesLeft: Int
    public var signatoriesAtEnd: Int
    public var activitiesPlanned: Int
    public var activitiesOngoing: Int
    public var activitiesDone: Int
    public var activitiesCancelled: Int

    public init(from: String, to: String, meetingsPlanned: Int = 0, meetingsHeld: Int = 0, questionsJudged: Int = 0, questionsAnsweredInTime: Int = 0,
                consultations: Int = 0, consultationComments: Int = 0, consultationCommentsHandled: Int = 0, grantsToSignatories: Int = 0,
                grantsToSignatoriesOre: Int = 0, signatoriesAtStart: Int = 0, signatoriesJoined: Int = 0, signatoriesLeft: Int = 0, signatoriesAtEnd: Int = 0,
                activitiesPlanned: Int = 0, activitiesOngoing: Int = 0, activitiesDone: Int = 0, activitiesCancelled: Int = 0) {
        self.from = from; self.to = to; self.meetingsPlanned = meetingsPlanned; self.meetingsHeld = meetingsHeld
        self.questionsJudged = questionsJudged; self.questionsAnsweredInTime = questionsAnsweredInTime; self.consultations = consultations
        self.consultationComments = consultationComments; self.consultationCommentsHandled = consultationCommentsHandled
        self.grantsToSignatories = grantsToSignatories; self.grantsToSignatoriesOre = grantsToSignatoriesOre; self.signatoriesAtStart = signatoriesAtStart
        self.signatoriesJoined = signatoriesJoined; self.signatoriesLeft = signatoriesLeft; self.signatoriesAtEnd = signatoriesAtEnd
        self.activitiesPlanned = activitiesPlanned; self.activitiesOngoing = activitiesOngoing; self.activitiesDone = activitiesDone
        self.activitiesCancelled = activitiesCancelled
    }

    /// Signatory movement over the range: joined = signed within it; left = withdrew within it.
    public static func signatories(_ all: [SignatoryRules.Signature], from: LocalDate, to: LocalDate) -> (start: Int, joined: Int, left: Int, end: Int) {
        let start = SignatoryRules.active(all, on: from.adding(days: -1)).count
        let joined = all.filter { $0.signedOn >= from && $0.signedOn <= to }.count
        let left = all.filter { ($0.withdrawnOn.map { $0 >= from && $0 <= to }) ?? false }.count
        return (start, joined, left, SignatoryRules.active(all, on: to).count)
    }

    /// The figures in a fixed order, by key (the pages label them in the reader's language).
    public var keyed: [(key: String, value: Int)] {
        [("meetingsPlanned", meetingsPlanned), ("meetingsHeld", meetingsHeld), ("questionsJudged", questionsJudged),
         ("questionsAnsweredInTime", questionsAnsweredInTime), ("consultations", consultations), ("consultationComments", consultationComments),
         ("consultationCommentsHandled", consultationCommentsHandled), ("grantsToSignatories", grantsToSignatories),
         ("grantsToSignatoriesKronor", grantsToSignatoriesOre / 100), ("signatoriesAtStart", signatoriesAtStart), ("signatoriesJoined", signatoriesJoined),
         ("signatoriesLeft", signatoriesLeft), ("signatoriesAtEnd", signatoriesAtEnd), ("activitiesPlanned", activitiesPlanned),
         ("activitiesOngoing", activitiesOngoing), ("activitiesDone", activitiesDone), ("activitiesCancelled", activitiesCancelled)]
    }

    public static let swedishLabels: [String: String] = [
        "meetingsPlanned": "Planerade möten", "meetingsHeld": "Hållna möten", "questionsJudged": "Frågor som kan bedömas",
        "questionsAnsweredInTime": "Frågor besvarade i tid", "consultations": "Remisser", "consultationComments": "Remissynpunkter",
        "consultationCommentsHandled": "Remissynpunkter med besked", "grantsToSignatories": "Bidragsbeslut till undertecknare",
        "grantsToSignatoriesKronor": "Bidrag till undertecknare (kr)", "signatoriesAtStart": "Undertecknare vid periodens början",
        "signatoriesJoined": "Nya undertecknare", "signatoriesLeft": "Undertecknare som lämnat", "signatoriesAtEnd": "Undertecknare vid periodens slut",
        "activitiesPlanned": "Aktiviteter planerade", "activitiesOngoing": "Aktiviteter pågående", "activitiesDone": "Aktiviteter genomförda",
        "activitiesCancelled": "Aktiviteter inställda",
    ]

    /// The figures as CSV rows (label, value), the period first.
    public var rows: [(String, String)] {
        [("Period", "\(from)–\(to)")] + keyed.map { (Self.swedishLabels[$0.key] ?? $0.key, String($0.value)) }
    }
}
