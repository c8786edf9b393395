import Fluent
import Vapor
import SamverkaRules

extension DialogueQuestion: Auditable {
    static var auditEntityType: String { "question" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "text": .string(text), "isPublic": .bool(isPublic), "status": .string(status.rawValue),
                       "deadline": .string(deadline), "answer": .string(answer), "forwardedTo": .string(forwardedTo),
                       "ownerRoleId": ownerRoleID.map { .string($0.uuidString) } ?? .null])
    }
}

/// Questions and proposals raised in dialogue, the answers owed on them, and the feedback rate.
enum QuestionService {
    static func scope(_ q: DialogueQuestion, on db: any Database) async throws -> ResourceScope {
        if let u = q.unitID { return .body(q.bodyID, unitPath: try await StructureService.unitPath(u, on: db)) }
        if let fid = q.forumID, let f = try await Forum.find(fid, on: db) { return try await ForumService.scope(f, on: db) }
        return .body(q.bodyID, unitPath: [])
    }

    static func questionScope(_ req: Request) async throws -> ResourceScope {
        guard let q = try await DialogueQuestion.find(try req.parameters.require("id", as: UUID.self), on: req.db) else { throw AppError.notFound() }
        return try await scope(q, on: req.db)
    }

    static func mayAnswer(_ q: DialogueQuestion, _ p: Principal, on db: any Database) async throws -> Bool {
        if Policy.allows(p, .dialogueManage, try await scope(q, on: db)) { return true }
        // The person holding the owner role answers even without broader rights.
        guard let uid = p.userID, let rid = q.ownerRoleID else { return false }
        return try await DirectoryQueries.holds(userID: uid, roleID: rid, on: db)
    }

    /// Public questions are visible to all; others to the asker, the asker's organisation, and those who answer.
    static func mayRead(_ q: DialogueQuestion, _ p: Principal, on db: any Database) async throws -> Bool {
        if q.isPublic { return true }
        guard p.isSignedIn else { return false }
        if q.askedBy != nil && q.askedBy == p.userID { return true }
        if let org = q.organisationID, Policy.allows(p, .dialogueParticipate, .organisation(org)) { return true }
        if Policy.allows(p, .crossBodyRead) { return true }
        return try await mayAnswer(q, p, on: db)
    }

    /// Raising needs a representative's role (for the organisation named) or a seat in the forum.
    static func raise(_ b: QuestionBody, in ctx: WriteContext, today: LocalDate = .today()) async throws -> DialogueQuestion {
        var errors = FieldErrors()
        guard let uid = ctx.actor.userID else { throw AppError.forbidden() }
        var forum: Forum?
        if let raw = b.forumId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), let f = try await Forum.find(u, on: ctx.db) { forum = f } else { errors.add("forumId", code: "notFound") }
        }
        var unit: UnitRef?
        if let raw = b.unitId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), let x = try await DirectoryQueries.unit(u, on: ctx.db) { unit = x } else { errors.add("unitId", code: "notFound") }
        }
        var bodyID = forum?.bodyID ?? unit?.bodyID
        if let raw = b.bodyId, !raw.isEmpty {
            // Given, it must name a body, and the same one as the forum's or unit's.
            if let u = UUID(uuidString: raw), try await DirectoryQueries.bodyExists(u, on: ctx.db) {
                if bodyID == nil { bodyID = u } else if bodyID != u { errors.add("bodyId", code: "bodyMismatch") }
            } else { errors.add("bodyId", code: "notFound") }
        }
        if forum == nil && unit == nil && bodyID == nil { errors.add("forumId", code: "forumOrUnit") }
        if let f = forum, let u = unit, u.bodyID != f.bodyID { errors.add("unitId", code: "otherBody") }
        var orgID: UUID?
        if let raw = b.organisationId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { orgID = u } else { errors.add("organisationId", code: "notFound") }
        } else if ctx.actor.organisationIDs.count == 1 {
            orgID = ctx.actor.organisationIDs[0]
        }
        let title = TextRules.line(b.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let text = TextRules.paragraph(b.text, field: "text", max: 10_000, required: true, errors: &errors)
        try errors.throwIfAny()
        // Who may raise: a representative of the organisation named, or a seat holder of the forum.
        let asRepresentative = orgID.map { Policy.allows(ctx.actor, .dialogueParticipate, .organisation($0)) } ?? false
        let asSeatHolder = try await forum.asyncFlatMap { f in try await ForumService.isSeatHolder(userID: uid, forumID: f.id!, on: ctx.db) ? true : nil } ?? false
        guard asRepresentative || asSeatHolder || ctx.actor.isAdmin else {
            throw AppError.forbidden(orgID == nil ? "Frågor ställs av organisationers företrädare eller av ledamöter i forumet." : "Du företräder inte organisationen.")
        }
        if !asRepresentative && !ctx.actor.isAdmin { orgID = nil }
        var nextMeeting: LocalDate?
        if let f = forum {
            nextMeeting = try await Meeting.query(on: ctx.db).filter(\.$forumID == f.id!).filter(\.$date > today.description)
                .filter(\.$status ~~ [.planned, .confirmed]).sort(\.$date).first().flatMap { LocalDate($0.date) }
        }
        let q = DialogueQuestion()
        q.id = UUID()
        q.bodyID = bodyID!
        q.forumID = forum?.id
        q.unitID = unit?.id
        q.organisationID = orgID
        q.askedBy = uid
        q.askerName = ctx.actor.displayName
        q.isProposal = b.isProposal ?? false
        q.title = title
        q.text = text
        q.isPublic = b.isPublic ?? true
        q.ownerRoleID = try await defaultOwner(forum: forum, unit: unit, on: ctx.db)
        q.status = .received
        q.raisedOn = today.description
        q.deadline = FeedbackRules.deadline(raisedOn: today, days: forum?.feedbackDays ?? FeedbackRules.defaultDays,
                                            byNextMeeting: forum?.feedbackByNextMeeting ?? false, nextMeeting: nextMeeting).description
        q.answer = ""
        q.forwardedTo = ""
        q.version = 1
        try await q.create(on: ctx.db)
        ctx.audit("raise", q, id: q.id, before: nil)
        try await notifyOwner(q, subject: "Ny fråga att besvara senast \(q.deadline): \(q.title)", in: ctx)
        return q
    }

    /// The forum's secretary role, else an open contact role of the unit, owns a new question.
    static func defaultOwner(forum: Forum?, unit: UnitRef?, on db: any Database) async throws -> UUID? {
        if let r = forum?.secretaryRoleID { return r }
        if let u = unit?.id ?? forum?.unitID { return try await DirectoryQueries.openRoles(ofUnits: [u], on: db).first?.id }
        return nil
    }

    static func notifyOwner(_ q: DialogueQuestion, subject: String, in ctx: WriteContext) async throws {
        guard let rid = q.ownerRoleID, let role = try await DirectoryQueries.role(rid, on: ctx.db) else { return }
        let holder = try await DirectoryQueries.currentHolder(roleID: rid, on: ctx.db)
        let to = [holder?.email ?? "", role.email].first { !$0.isEmpty }
        guard let to else { return }
        try await Outbox.enqueue(MailMessage(to: to, subject: subject, body: """
            Hej,

            \(q.askerName) har ställt en \(q.isProposal ? "förslag" : "fråga") som rollen \(role.title) äger:

            \(q.title)

            \(q.text)

            Återkoppling senast \(q.deadline).
            """), in: ctx)
    }

    /// Status change with an answer: answering, forwarding and closing need a written answer; the owner role
    /// and the deadline may change along the way.
    static func answer(_ id: UUID, _ b: AnswerBody, in ctx: WriteContext, today: LocalDate = .today()) async throws -> DialogueQuestion {
        guard let q = try await DialogueQuestion.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard try await mayAnswer(q, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        if let v = b.version, v != q.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        var status = q.status
        if let raw = b.status {
            if let s = QuestionStatus(rawValue: raw) {
                if s != q.status && !FeedbackRules.mayChange(from: q.status, to: s) { errors.add("status", code: "transition", q.status.rawValue, s.rawValue) }
                status = s
            } else { errors.add("status", code: "oneOf", QuestionStatus.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        let answer = TextRules.paragraph(b.answer ?? q.answer, field: "answer", max: 20_000, required: status == .answered || status == .forwarded, errors: &errors)
        let forwardedTo = TextRules.line(b.forwardedTo ?? q.forwardedTo, field: "forwardedTo", max: 300, required: status == .forwarded, errors: &errors)
        var owner = q.ownerRoleID
        if let raw = b.ownerRoleId {
            if raw.isEmpty { owner = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.roleExists(u, on: ctx.db) { owner = u }
            else { errors.add("ownerRoleId", code: "notFound") }
        }
        var deadline = q.deadlineDate
        if let raw = b.deadline, !raw.isEmpty, let d = TextRules.date(raw, field: "deadline", errors: &errors) {
            if d < q.raisedOnDate { errors.add("deadline", code: "beforeRaised") } else { deadline = d }
        }
        try errors.throwIfAny()
        let before = q.auditSnapshot
        let ownerChanged = owner != q.ownerRoleID
        q.ownerRoleID = owner
        q.deadline = deadline.description
        q.answer = answer
        q.forwardedTo = forwardedTo
        if (status == .answered || status == .forwarded) && q.answeredOn == nil {
            q.answeredOn = today.description
            q.answeredBy = ctx.actor.userID
        }
        if status == .inProgress { q.answeredOn = nil }
        let statusChanged = status != q.status
        q.status = status
        q.version += 1
        try await q.save(on: ctx.db)
        ctx.audit(statusChanged ? status.rawValue : "update", q, id: q.id, before: before)
        if ownerChanged { q.remindedAt = nil; try await q.save(on: ctx.db); try await notifyOwner(q, subject: "Fråga överlämnad till dig: \(q.title)", in: ctx) }
        if statusChanged && (status == .answered || status == .forwarded), let asker = q.askedBy, let user = try await AccountQueries.account(asker, on: ctx.db) {
            try await Outbox.enqueue(MailMessage(to: user.email, subject: "Svar på din fråga: \(q.title)", body: """
                Hej \(user.name),

                \(status == .forwarded ? "Din fråga har lämnats vidare till \(forwardedTo)." : "Din fråga har besvarats.")

                \(answer)
                """), in: ctx)
        }
        return q
    }

    // MARK: Reminders

    /// Reminds owners of questions due within three days. Each question is reminded once; safe on many nodes
    /// (the claim is one conditional update).
    static func sendReminders(_ app: Application, today: LocalDate = .today()) async throws -> Int {
        let soon = today.adding(days: FeedbackRules.reminderDays).description
        let due = try await DialogueQuestion.query(on: app.db).filter(\.$status ~~ [.received, .inProgress]).filter(\.$remindedAt == nil)
            .filter(\.$deadline <= soon).limit(100).all()
        var n = 0
        for q in due where FeedbackRules.needsReminder(status: q.status, deadline: q.deadlineDate, today: today, alreadyReminded: false) {
            // Claimed with a conditional update so that two nodes never both remind about the same question.
            let sent = try await app.db.write(as: .system("reminders")) { ctx -> Bool in
                let claimed = try await ctx.db.sql.raw("UPDATE questions SET reminded_at = \(bind: Date()) WHERE id = \(bind: q.id!) AND reminded_at IS NULL RETURNING id").all()
                guard !claimed.isEmpty else { return false }
                let overdue = today > q.deadlineDate
                try await notifyOwner(q, subject: overdue ? "Påminnelse: återkopplingen är försenad – \(q.title)" : "Påminnelse: återkoppling senast \(q.deadline) – \(q.title)", in: ctx)
                return true
            }
            if sent { n += 1 }
        }
        return n
    }

    // MARK: Feedback rate

    static func facts(_ qs: [DialogueQuestion]) -> [FeedbackRules.Facts] {
        qs.compactMap { q in
            guard let r = LocalDate(q.raisedOn), let d = LocalDate(q.deadline) else { return nil }
            return FeedbackRules.Facts(raisedOn: r, deadline: d, answeredOn: q.answeredOnDate)
        }
    }

    static func rateDTO(scope: String, id: UUID?, name: String, _ qs: [DialogueQuestion], today: LocalDate) -> FeedbackRateDTO {
        let r = FeedbackRules.rate(facts(qs), today: today)
        return FeedbackRateDTO(scope: scope, id: id, name: name, questions: qs.count, judged: r.judged, answeredInTime: r.answeredInTime,
                               answeredLate: r.answeredLate, overdue: r.overdue, pending: r.pending, share: r.share, medianDays: r.medianDays)
    }

    /// The feedback rate of a body, and of each of its forums and units with questions. `from`/`to` limit by
    /// the day questions were raised.
    static func rates(bodyID: UUID, from: LocalDate?, to: LocalDate?, on db: any Database, today: LocalDate = .today()) async throws -> [FeedbackRateDTO] {
        var q = DialogueQuestion.query(on: db).filter(\.$bodyID == bodyID)
        if let from { q = q.filter(\.$raisedOn >= from.description) }
        if let to { q = q.filter(\.$raisedOn <= to.description) }
        let all = try await q.all()
        let body = try await DirectoryQueries.body(bodyID, on: db)
        var out = [rateDTO(scope: "body", id: bodyID, name: body?.name ?? "", all, today: today)]
        let forums = try await Forum.query(on: db).filter(\.$bodyID == bodyID).sort(\.$name).all()
        for f in forums {
            let qs = all.filter { $0.forumID == f.id }
            if !qs.isEmpty { out.append(rateDTO(scope: "forum", id: f.id, name: f.name, qs, today: today)) }
        }
        var unitIDs = Set(all.compactMap(\.unitID))
        for f in forums { if let u = f.unitID, all.contains(where: { $0.forumID == f.id }) { unitIDs.insert(u) } }
        for u in unitIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let unit = try await DirectoryQueries.unit(u, on: db) else { continue }
            let forumIDs = Set(forums.filter { $0.unitID == u }.compactMap(\.id))
            let qs = all.filter { $0.unitID == u || ($0.unitID == nil && $0.forumID.map { forumIDs.contains($0) } == true) }
            out.append(rateDTO(scope: "unit", id: u, name: unit.name, qs, today: today))
        }
        return out
    }

    /// `forumNames`: the names of the questions' forums when the caller knows them (a forum's own page);
    /// `ownerRoles`: false when the caller shows no owner (lists), to skip reading the owning roles' titles.
    /// The directory names a list of questions shows: bodies, units, organisations and (with `ownerRoles`) the
    /// roles that owe the answers.
    static func nameRequest(_ qs: [DialogueQuestion], ownerRoles: Bool) -> NameRequest {
        NameRequest(bodies: Set(qs.map(\.bodyID)), units: Set(qs.compactMap(\.unitID)), organisations: Set(qs.compactMap(\.organisationID)),
                    roleTitles: ownerRoles ? Set(qs.compactMap(\.ownerRoleID)) : [])
    }

    /// `names`: the names of `nameRequest(qs, ownerRoles:)` when the caller has read them, nil to read them.
    static func dtos(_ qs: [DialogueQuestion], forumNames: [UUID: String]? = nil, ownerRoles: Bool = true, names known: DirectoryNames? = nil,
                     on db: any Database, today: LocalDate = .today()) async throws -> [QuestionDTO] {
        // One read for every name (not one per body, forum, unit and role named: the questions page lists 100).
        let names: DirectoryNames
        if let known { names = known } else { names = try await DirectoryQueries.names(nameRequest(qs, ownerRoles: ownerRoles), on: db) }
        let bodies = names.bodies, units = names.units, orgs = names.organisations, roles = ownerRoles ? names.roleTitles : [:]
        var forums = forumNames ?? [:]
        let unknown = qs.compactMap(\.forumID).filter { forums[$0] == nil }
        if !unknown.isEmpty { forums.merge(try await DialogueQueries.forumNames(unknown, on: db)) { known, _ in known } }
        return qs.map { q in
            QuestionDTO(id: q.id!, bodyId: q.bodyID, bodyName: bodies[q.bodyID], forumId: q.forumID, forumName: q.forumID.flatMap { forums[$0] },
                        unitId: q.unitID, unitName: q.unitID.flatMap { units[$0] }, organisationId: q.organisationID,
                        organisationName: q.organisationID.flatMap { orgs[$0] }, askerName: q.askerName, isProposal: q.isProposal, title: q.title, text: q.text,
                        isPublic: q.isPublic, ownerRoleId: q.ownerRoleID, ownerRoleTitle: q.ownerRoleID.flatMap { roles[$0] }, status: q.status.rawValue,
                        raisedOn: q.raisedOn, deadline: q.deadline, overdue: q.status.isOpen && today > (LocalDate(q.deadline) ?? today),
                        answer: q.answer, answeredOn: q.answeredOn, forwardedTo: q.forwardedTo, version: q.version)
        }
    }

    /// Whether a user may list a question: `visible` for a question already read (the forum page reads a forum's
    /// questions once, for its feedback rate and its list).
    static func mayList(_ q: DialogueQuestion, _ p: Principal) -> Bool {
        if q.isPublic || p.isAdmin || Policy.allows(p, .crossBodyRead) { return true }
        guard p.isSignedIn else { return false }
        if let uid = p.userID, q.askedBy == uid { return true }
        if let org = q.organisationID, p.organisationIDs.contains(org) { return true }
        return p.officialBodyIDs.contains(q.bodyID)
    }

    /// Questions a user may list: public ones, their own and their organisations', and those they answer.
    static func visible(_ p: Principal, on db: any Database) async throws -> QueryBuilder<DialogueQuestion> {
        let q = DialogueQuestion.query(on: db)
        if p.isAdmin || Policy.allows(p, .crossBodyRead) { return q }
        guard p.isSignedIn else { return q.filter(\.$isPublic == true) }
        let bodies = p.officialBodyIDs
        let orgs = p.organisationIDs
        let uid = p.userID
        return q.group(.or) { g in
            g.filter(\.$isPublic == true)
            if let uid { g.filter(\.$askedBy == uid) }
            if !orgs.isEmpty { g.filter(\.$organisationID ~~ orgs) }
            if !bodies.isEmpty { g.filter(\.$bodyID ~~ bodies) }
        }
    }
}
