import Fluent
import Vapor
import SamverkaRules

/// A message at every step of a grant, to the people it concerns: the organisation's representatives (and whoever
/// wrote the application) for their case, the reviewer for an assignment. Written in the step's transaction, so a
/// step that fails sends nothing; mailed by Accounts' notification service in each person's language and choice.
enum GrantNotifications {
    enum Kind: String, CaseIterable {
        case callOpened = "grantCallOpened"
        case received = "grantReceived"
        case completionRequested = "grantCompletion"
        case reviewerAssigned = "grantReviewer"
        case decided = "grantDecision"
        case paid = "grantPayment"
        case reportDue = "grantReportDue"
        case reportOverdue = "grantReportOverdue"
        case reclaim = "grantReclaim"

        /// Calls are opt-in (an organisation asks to hear of them); everything about one's own case comes by default.
        var defaultMode: DeliveryMode { self == .callOpened ? .none : .now }
    }

    static func registerKinds() {
        for k in Kind.allCases {
            NotificationService.kinds.register(k.rawValue, NotificationKind(key: k.rawValue, groupKey: "notify.group.grants", defaultMode: k.defaultMode))
        }
    }

    /// The people who act for the organisation, and the writer of the application.
    static func applicants(organisationID: UUID, writer: UUID? = nil, on db: any Database) async throws -> [UUID] {
        try await NotificationService.representatives(of: organisationID, on: db) + (writer.map { [$0] } ?? [])
    }

    static func bodyName(_ p: GrantProgramme, on db: any Database) async throws -> String {
        try await DirectoryQueries.body(p.bodyID, on: db)?.name ?? ""
    }

    static func received(_ a: GrantApplication, call: GrantCall, programme: GrantProgramme, in ctx: WriteContext) async throws {
        guard let id = a.id else { return }
        try await NotificationService.notify(try await applicants(organisationID: a.organisationID, writer: a.createdBy, on: ctx.db), kind: Kind.received.rawValue,
                                             params: [call.title, a.diarienummer ?? "", try await bodyName(programme, on: ctx.db)],
                                             link: "/grants/applications/\(id)", in: ctx)
    }

    static func reviewerAssigned(_ r: GrantReview, application a: GrantApplication, call: GrantCall, in ctx: WriteContext) async throws {
        guard let id = r.id else { return }
        let org = try await DirectoryQueries.organisationNames([a.organisationID], on: ctx.db)[a.organisationID] ?? ""
        try await NotificationService.notify([r.reviewerID], kind: Kind.reviewerAssigned.rawValue, params: [call.title, org, a.diarienummer ?? ""],
                                             link: "/grants/reviews/\(id)", in: ctx)
    }

    static func decided(_ d: GrantDecision, application a: GrantApplication, programme: GrantProgramme, in ctx: WriteContext) async throws {
        guard let id = d.id else { return }
        let outcome = d.outcome.rawValue
        try await NotificationService.notify(try await applicants(organisationID: a.organisationID, writer: a.createdBy, on: ctx.db), kind: Kind.decided.rawValue,
                                             params: [programme.name, outcome, Money.format(d.amountOre), d.diarienummer, try await bodyName(programme, on: ctx.db)],
                                             link: "/grants/decisions/\(id)", in: ctx)
    }

    static func paid(_ pay: GrantPayment, in ctx: WriteContext) async throws {
        guard let p = try await GrantProgramme.find(pay.programmeID, on: ctx.db) else { return }
        let link = pay.decisionID.map { "/grants/decisions/\($0)" } ?? "/grants/programmes/\(pay.programmeID)"
        try await NotificationService.notify(try await applicants(organisationID: pay.organisationID, on: ctx.db), kind: Kind.paid.rawValue,
                                             params: [Money.format(pay.amountOre), p.name, pay.paidOn ?? "", try await bodyName(p, on: ctx.db)],
                                             link: link, in: ctx)
    }

    static func completionRequested(_ r: GrantReport, programme: GrantProgramme, in ctx: WriteContext) async throws {
        guard let id = r.id else { return }
        try await NotificationService.notify(try await applicants(organisationID: r.organisationID, on: ctx.db), kind: Kind.completionRequested.rawValue,
                                             params: [programme.name, String(r.year), r.reviewComment], link: "/grants/reports/\(id)", in: ctx)
    }

    static func reclaimDecided(_ r: GrantReclaim, decision d: GrantDecision, in ctx: WriteContext) async throws {
        guard let p = try await GrantProgramme.find(r.programmeID, on: ctx.db) else { return }
        try await NotificationService.notify(try await applicants(organisationID: r.organisationID, on: ctx.db), kind: Kind.reclaim.rawValue,
                                             params: [p.name, Money.format(r.amountOre), r.dueOn, d.diarienummer, r.reason, try await bodyName(p, on: ctx.db)],
                                             link: r.id.map { "/grants/reclaims/\($0)" } ?? "/grants/reclaims", in: ctx)
    }

    // MARK: Reminders (a background job)

    /// Reports due within two weeks or overdue, and calls open to organisations whose people asked to hear of them.
    /// Each person hears of each once (the notification's dedupe key), however many nodes run the job.
    static func remind(_ app: Application, today: LocalDate = .today()) async throws {
        let soon = today.adding(days: NotificationRules.reportReminderDays).description
        // Reports due in the next two weeks or overdue by at most a month (older ones were reminded when they fell due).
        let owed = try await GrantReport.query(on: app.db).filter(\.$status ~~ [.pending, .completionRequested]).filter(\.$dueOn <= soon)
            .filter(\.$dueOn >= today.adding(days: -30).description).all()
        let keys = owed.compactMap { r in r.id.map { id -> [String] in [Kind.reportDue, .reportOverdue].map { "\($0.rawValue):\(id)" } } }.flatMap { $0 }
        let sent = keys.isEmpty ? Set<String>() : Set(try await NotificationService.sentKeys(keys, on: app.db))
        let programmes = try await GrantProgramme.query(on: app.db).filter(\.$id ~~ Array(Set(owed.map(\.programmeID)))).all().byID
        for r in owed {
            guard let id = r.id, let p = programmes[r.programmeID] else { continue }
            let due = LocalDate(stored: r.dueOn)
            let kind: Kind = NotificationRules.reportOverdue(dueOn: due, today: today) ? .reportOverdue : .reportDue
            guard !sent.contains("\(kind.rawValue):\(id)") else { continue }
            try await app.db.write(as: .system("grant reminders")) { ctx in
                try await NotificationService.notify(try await applicants(organisationID: r.organisationID, on: ctx.db), kind: kind.rawValue,
                                                     params: [p.name, String(r.year), r.dueOn], link: "/grants/reports/\(id)",
                                                     dedupe: "\(kind.rawValue):\(id)", in: ctx)
            }
        }
        let subscribers = try await NotificationService.subscribers(of: Kind.callOpened.rawValue, on: app.db)
        guard !subscribers.isEmpty else { return }
        let grants = try await AccountService.grants(forUsers: subscribers, on: app.db)
        for call in try await GrantQueries.openCalls(on: today, db: app.db) {
            guard let callID = call.id, let p = try await GrantProgramme.find(call.programmeID, on: app.db) else { continue }
            var users: [UUID] = []
            for (uid, gs) in grants {
                for org in Set(gs.filter { $0.role == .representative }.compactMap(\.organisationID)) {
                    let e = try await EligibilityService.evaluate(programme: p, organisationID: org, callYear: call.year, on: app.db)
                    if e.status == .pass { users.append(uid); break }
                }
            }
            let body = try await bodyName(p, on: app.db)
            let audience = users
            try await app.db.write(as: .system("grant reminders")) { ctx in
                try await NotificationService.notify(audience, kind: Kind.callOpened.rawValue, params: [call.title, body, call.closesOn],
                                                     link: "/grants/calls/\(callID)", dedupe: "\(Kind.callOpened.rawValue):\(callID)", in: ctx)
            }
        }
    }
}
