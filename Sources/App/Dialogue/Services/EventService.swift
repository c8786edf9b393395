import Fluent
import Vapor
import SamverkaRules

extension DialogueEvent: Auditable {
    static var auditEntityType: String { "event" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "date": .string(date), "startTime": .string(startTime), "endTime": .string(endTime),
                       "location": .string(location), "capacity": capacity.map { .int($0) } ?? .null, "status": .string(status.rawValue)])
    }
}

/// Events such as a stormöte: registration with capacity and waiting list, and the organiser's participant list.
enum EventService {
    static func scope(_ e: DialogueEvent) -> ResourceScope { .body(e.bodyID, unitPath: []) }

    static func eventScope(_ req: Request) async throws -> ResourceScope {
        scope(try await find(try req.parameters.require("id", as: UUID.self), on: req.db))
    }

    static func find(_ id: UUID, on db: any Database) async throws -> DialogueEvent {
        guard let e = try await DialogueEvent.find(id, on: db) else { throw AppError.notFound() }
        return e
    }

    static func save(_ id: UUID?, _ b: EventBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> DialogueEvent {
        let existing: DialogueEvent? = id == nil ? nil : try await find(id!, on: ctx.db)
        if let existing {
            guard Policy.allows(ctx.actor, .dialogueManage, scope(existing)) else { throw AppError.forbidden() }
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        var bodyID = existing?.bodyID
        if existing == nil {
            if let raw = b.bodyId, let u = UUID(uuidString: raw), try await DirectoryQueries.bodyExists(u, on: ctx.db) { bodyID = u }
            else { errors.add("bodyId", code: b.bodyId == nil ? "required" : "notFound") }
        }
        var forumID = existing?.forumID
        if let raw = b.forumId {
            if raw.isEmpty { forumID = nil }
            else if let u = UUID(uuidString: raw), let f = try await Forum.find(u, on: ctx.db), f.bodyID == bodyID { forumID = u }
            else { errors.add("forumId", code: "notFound") }
        }
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let description = TextRules.paragraph(b.description ?? existing?.description, field: "description", max: 10_000, errors: &errors)
        let date = TextRules.date(b.date ?? existing?.date, field: "date", required: true, errors: &errors)
        let start = b.startTime ?? existing?.startTime ?? "09:00"
        let end = b.endTime ?? existing?.endTime ?? "16:00"
        let st = TimeOfDay(start), et = TimeOfDay(end)
        if st == nil { errors.add("startTime", code: "time") }
        if et == nil { errors.add("endTime", code: "time") }
        if let st, let et, et <= st { errors.add("endTime", code: "beforeStart") }
        let location = TextRules.line(b.location ?? existing?.location, field: "location", max: 300, errors: &errors)
        var capacity = existing?.capacity
        if let c = b.capacity { capacity = c == 0 ? nil : c }
        if let c = capacity, !(1...100_000).contains(c) { errors.add("capacity", code: "range", "1", "100000") }
        var closes: LocalDate? = existing?.registrationClosesOn.flatMap(LocalDate.init)
        if let raw = b.registrationClosesOn { closes = raw.isEmpty ? nil : TextRules.date(raw, field: "registrationClosesOn", errors: &errors) }
        if let closes, let date, closes > date { errors.add("registrationClosesOn", code: "afterEvent") }
        let survey = TextRules.website(b.surveyUrl ?? existing?.surveyURL, field: "surveyUrl", errors: &errors)
        var status = existing?.status ?? .planned
        if let raw = b.status { if let s = EventStatus(rawValue: raw) { status = s } else { errors.add("status", code: "oneOf", "planned, cancelled") } }
        try errors.throwIfAny()
        let e = existing ?? DialogueEvent()
        let before = existing?.auditSnapshot
        if existing == nil {
            e.id = UUID()
            e.bodyID = bodyID!
            e.isDemo = isDemo
            e.version = 1
            guard Policy.allows(ctx.actor, .dialogueManage, scope(e)) else { throw AppError.forbidden() }
        } else {
            e.version += 1
        }
        e.forumID = forumID
        e.title = title
        e.description = description
        e.date = date!.description
        e.startTime = st!.description
        e.endTime = et!.description
        e.location = location
        e.capacity = capacity
        e.registrationClosesOn = closes?.description
        e.surveyURL = survey
        e.status = status
        try await e.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", e, id: e.id, before: before)
        // More places: the waiting list moves up.
        if existing != nil { try await promote(e, in: ctx) }
        return e
    }

    static func counts(_ eventID: UUID, on db: any Database) async throws -> (registered: Int, waitlisted: Int) {
        let regs = try await EventRegistration.query(on: db).filter(\.$eventID == eventID).filter(\.$status != .cancelled).all()
        return (regs.filter { $0.status == .registered }.count, regs.filter { $0.status == .waitlisted }.count)
    }

    /// Registers the signed-in user: a place while there is one, otherwise the waiting list. Needs (diet,
    /// accessibility) are kept only when the user consents.
    static func register(_ eventID: UUID, _ b: RegistrationBody, in ctx: WriteContext, today: LocalDate = .today()) async throws -> EventRegistration {
        let e = try await find(eventID, on: ctx.db)
        guard let uid = ctx.actor.userID, let user = try await AccountQueries.account(uid, on: ctx.db) else { throw AppError.unauthenticated() }
        guard e.status == .planned, RegistrationRules.isOpen(closesOn: e.registrationClosesOnDate, startsOn: e.dateDate, today: today) else {
            throw AppError(.conflict, "Anmälan är stängd.", fields: [FieldError(field: "event", code: "registrationClosed")])
        }
        var errors = FieldErrors()
        var orgID: UUID?
        if let raw = b.organisationId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { orgID = u } else { errors.add("organisationId", code: "notFound") }
        }
        var needs = TextRules.paragraph(b.needs, field: "needs", max: 1000, errors: &errors)
        if !needs.isEmpty && b.needsConsent != true { errors.add("needsConsent", code: "consentRequired") }
        if b.needsConsent != true { needs = "" }
        try errors.throwIfAny()
        let existing = try await EventRegistration.query(on: ctx.db).filter(\.$eventID == eventID).filter(\.$userID == uid).first()
        if let existing, existing.status != .cancelled {
            throw AppError(.conflict, "Du är redan anmäld.", fields: [FieldError(field: "event", code: "alreadyRegistered")])
        }
        let (registered, _) = try await counts(eventID, on: ctx.db)
        let r = existing ?? EventRegistration()
        if existing == nil {
            r.id = UUID()
            r.eventID = eventID
            r.userID = uid
        }
        r.organisationID = orgID
        r.name = user.name
        r.email = user.email
        r.needs = needs
        r.status = RegistrationRules.statusForNew(capacity: e.capacity, registered: registered)
        r.cancelledAt = nil
        try await r.save(on: ctx.db)
        ctx.auditSummary("register", "event", eventID.uuidString, [("status", .string(r.status.rawValue))])
        try await Outbox.enqueue(MailMessage(to: user.email, subject: "Anmälan: \(e.title)", body: """
            Hej \(user.name),

            \(r.status == .registered ? "Du är anmäld till" : "Du står på väntelistan till") \(e.title) den \(e.dateDate.formatted("sv")) kl. \(e.startTime)\(e.location.isEmpty ? "" : ", \(e.location)").
            \(r.status == .waitlisted ? "Vi hör av oss om en plats blir ledig." : "")

            Hälsningar
            Samverka
            """), in: ctx)
        return r
    }

    /// Cancels the user's own registration (or, for the organiser, anyone's); the waiting list moves up.
    /// Retention: the registrations (names, e-mail addresses, needs) of events more than
    /// `RetentionRules.eventRegistrationDays` days past are removed. Returns how many.
    @discardableResult
    static func removeExpiredRegistrations(on db: any Database, today: LocalDate = .today()) async throws -> Int {
        let cutoff = today.adding(days: -RetentionRules.eventRegistrationDays).description
        let past = try await DialogueEvent.query(on: db).filter(\.$date < cutoff).all().compactMap(\.id)
        guard !past.isEmpty else { return 0 }
        let n = try await EventRegistration.query(on: db).filter(\.$eventID ~~ past).count()
        try await EventRegistration.query(on: db).filter(\.$eventID ~~ past).delete()
        return n
    }

    static func cancel(_ registrationID: UUID, in ctx: WriteContext) async throws -> EventRegistration {
        guard let r = try await EventRegistration.find(registrationID, on: ctx.db) else { throw AppError.notFound() }
        let e = try await find(r.eventID, on: ctx.db)
        guard r.userID == ctx.actor.userID || Policy.allows(ctx.actor, .dialogueManage, scope(e)) else { throw AppError.notFound() }
        guard r.status != .cancelled else { return r }
        r.status = .cancelled
        r.cancelledAt = Date()
        r.needs = ""
        try await r.save(on: ctx.db)
        ctx.auditSummary("cancelRegistration", "event", e.id!.uuidString, [])
        try await promote(e, in: ctx)
        return r
    }

    /// Moves people from the waiting list, first come first served, into free places and tells them.
    static func promote(_ e: DialogueEvent, in ctx: WriteContext) async throws {
        let (registered, waiting) = try await counts(e.id!, on: ctx.db)
        let n = RegistrationRules.promotions(capacity: e.capacity, registered: registered, waiting: waiting)
        guard n > 0 else { return }
        let next = try await EventRegistration.query(on: ctx.db).filter(\.$eventID == e.id!).filter(\.$status == .waitlisted)
            .sort(\.$createdAt).sort(\.$id).limit(n).all()
        for r in next {
            r.status = .registered
            try await r.save(on: ctx.db)
            try await Outbox.enqueue(MailMessage(to: r.email, subject: "Plats: \(e.title)", body: """
                Hej \(r.name),

                En plats har blivit ledig och du är nu anmäld till \(e.title) den \(e.dateDate.formatted("sv")).

                Hälsningar
                Samverka
                """), in: ctx)
        }
    }

    static func dto(_ e: DialogueEvent, on db: any Database, today: LocalDate = .today()) async throws -> EventDTO {
        let (registered, waitlisted) = try await counts(e.id!, on: db)
        return EventDTO(id: e.id!, bodyId: e.bodyID, bodyName: try await DirectoryQueries.body(e.bodyID, on: db)?.name, forumId: e.forumID, title: e.title,
                        description: e.description, date: e.date, startTime: e.startTime, endTime: e.endTime, location: e.location, capacity: e.capacity,
                        registrationClosesOn: e.registrationClosesOn,
                        registrationOpen: e.status == .planned && RegistrationRules.isOpen(closesOn: e.registrationClosesOnDate, startsOn: e.dateDate, today: today),
                        surveyUrl: e.surveyURL, status: e.status.rawValue, registered: registered, waitlisted: waitlisted, version: e.version)
    }

    static func registrationDTOs(_ regs: [EventRegistration], full: Bool, on db: any Database) async throws -> [RegistrationDTO] {
        let orgs = try await DirectoryQueries.organisationNames(regs.compactMap(\.organisationID), on: db)
        return regs.map {
            RegistrationDTO(id: $0.id!, eventId: $0.eventID, name: $0.name, email: full ? $0.email : nil, organisationId: $0.organisationID,
                            organisationName: $0.organisationID.flatMap { orgs[$0] }, needs: full ? $0.needs : nil, status: $0.status.rawValue, createdAt: $0.createdAt)
        }
    }
}
