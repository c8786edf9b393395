import Fluent
import Vapor
import SamverkaRules

extension Consultation: Auditable {
    static var auditEntityType: String { "consultation" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "description": .string(description), "sections": .string(sections), "deadline": .string(deadline),
                       "openToAll": .bool(openToAll), "status": .string(status.rawValue), "summary": .string(summary),
                       "draftFilename": draftFilename.map { .string($0) } ?? .null])
    }
}

/// Consultations (remiss): the draft, the remissinstanser, their responses per section, and the
/// remissammanställning saying what was done with each comment.
enum ConsultationService {
    static func scope(_ c: Consultation, on db: any Database) async throws -> ResourceScope {
        .body(c.bodyID, unitPath: try await c.unitID.asyncFlatMap { try await StructureService.unitPath($0, on: db) } ?? [])
    }

    static func consultationScope(_ req: Request) async throws -> ResourceScope {
        guard let c = try await Consultation.find(try req.parameters.require("id", as: UUID.self), on: req.db) else { throw AppError.notFound() }
        return try await scope(c, on: req.db)
    }

    static func mayManage(_ c: Consultation, _ p: Principal, on db: any Database) async throws -> Bool {
        Policy.allows(p, .dialogueManage, try await scope(c, on: db))
    }

    /// Drafts are seen only by the body; published consultations by everyone.
    static func mayRead(_ c: Consultation, _ p: Principal, on db: any Database) async throws -> Bool {
        if c.status != .draft { return true }
        return try await mayManage(c, p, on: db)
    }

    static func save(_ id: UUID?, _ b: ConsultationBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> Consultation {
        let existing: Consultation? = id == nil ? nil : try await Consultation.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        if let existing {
            guard try await mayManage(existing, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 300, required: true, min: 3, errors: &errors)
        let description = TextRules.paragraph(b.description ?? existing?.description, field: "description", max: 20_000, required: true, errors: &errors)
        let summary = TextRules.paragraph(b.summary ?? existing?.summary, field: "summary", max: 20_000, errors: &errors)
        let deadline = TextRules.date(b.deadline ?? existing?.deadline, field: "deadline", required: true, errors: &errors)
        var sections = b.sections ?? existing?.sectionList ?? []
        if sections.isEmpty { sections = [ConsultationSection(key: "helhet", title: "Förslaget i sin helhet")] }
        var keys = Set<String>()
        for (i, s) in sections.enumerated() {
            if s.key.isEmpty || s.key.count > 60 || !s.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) { errors.add("sections[\(i)].key", code: "key") }
            if !keys.insert(s.key).inserted { errors.add("sections[\(i)].key", code: "duplicate") }
            if s.title.trimmingCharacters(in: .whitespaces).isEmpty || s.title.count > 300 { errors.add("sections[\(i)].title", code: "required") }
        }
        if sections.count > 100 { errors.add("sections", code: "tooMany", "100") }
        if let existing, existing.status != .draft, b.sections != nil, sections != existing.sectionList {
            errors.add("sections", code: "lockedAfterOpen")
        }
        let (bodyID, unitID) = try await DirectoryQueries.resolveOwner(bodyId: b.bodyId, unitId: b.unitId, existingBody: existing?.bodyID,
                                                                       existingUnit: existing?.unitID, errors: &errors, on: ctx.db)
        var orgs: [UUID] = []
        for (i, raw) in (b.invitedOrganisationIds ?? []).enumerated() {
            if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { if !orgs.contains(u) { orgs.append(u) } }
            else { errors.add("invitedOrganisationIds[\(i)]", code: "notFound") }
        }
        var forums: [UUID] = []
        for (i, raw) in (b.invitedForumIds ?? []).enumerated() {
            if let u = UUID(uuidString: raw), try await Forum.find(u, on: ctx.db) != nil { if !forums.contains(u) { forums.append(u) } }
            else { errors.add("invitedForumIds[\(i)]", code: "notFound") }
        }
        try errors.throwIfAny()
        let c = existing ?? Consultation()
        let before = existing?.auditSnapshot
        if existing == nil {
            c.id = UUID()
            c.bodyID = bodyID!
            c.status = .draft
            c.isDemo = isDemo
            c.version = 1
        } else { c.version += 1 }
        c.unitID = unitID
        c.title = title
        c.description = description
        c.summary = summary
        c.deadline = deadline!.description
        c.openToAll = b.openToAll ?? existing?.openToAll ?? false
        c.sections = String(decoding: try JSONEncoder().encode(sections), as: UTF8.self)
        // Checked against the consultation as it will be, as well as it was (above).
        guard try await mayManage(c, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        if existing == nil {
            try await c.create(on: ctx.db)
        } else {
            try await c.save(on: ctx.db)
        }
        if b.invitedOrganisationIds != nil || b.invitedForumIds != nil || existing == nil {
            try await ConsultationInvitee.query(on: ctx.db).filter(\.$consultationID == c.id!).delete()
            for o in orgs {
                let i = ConsultationInvitee()
                i.consultationID = c.id!
                i.organisationID = o
                try await i.create(on: ctx.db)
            }
            for f in forums {
                let i = ConsultationInvitee()
                i.consultationID = c.id!
                i.forumID = f
                try await i.create(on: ctx.db)
            }
        }
        ctx.audit(existing == nil ? "create" : "update", c, id: c.id, before: before)
        return c
    }

    static func setDraft(_ id: UUID, filename: String, contentType: String, data: Data, in ctx: WriteContext) async throws -> Consultation {
        guard let c = try await Consultation.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard try await mayManage(c, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        var errors = FieldErrors()
        let checked = UploadRules.check(filename: filename, contentType: contentType, size: data.count, nameField: "filename", errors: &errors)
        let name = checked.filename, type = checked.contentType
        try errors.throwIfAny()
        let before = c.auditSnapshot
        c.draftFilename = name
        c.draftContentType = type
        c.draftData = data
        c.version += 1
        try await c.save(on: ctx.db)
        ctx.audit("update", c, id: c.id, before: before)
        return c
    }

    /// Opens the consultation and tells every invited organisation (its contact e-mail and representatives).
    static func open(_ id: UUID, baseURL: String, in ctx: WriteContext, today: LocalDate = .today()) async throws -> Consultation {
        guard let c = try await Consultation.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard try await mayManage(c, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        guard c.status == .draft else { throw AppError(.conflict, "Remissen är redan skickad.", fields: [FieldError(field: "status", code: "notDraft")]) }
        guard let deadline = LocalDate(c.deadline), deadline >= today else { throw AppError.invalid(field: "deadline", code: "inPast") }
        let before = c.auditSnapshot
        c.status = .open
        c.version += 1
        try await c.save(on: ctx.db)
        ctx.audit("open", c, id: c.id, before: before)
        for orgID in try await invitedOrganisations(c, on: ctx.db) {
            guard let org = try await DirectoryQueries.organisation(orgID, on: ctx.db) else { continue }
            var to = Set(try await AccountQueries.representatives(of: orgID, on: ctx.db).map(\.email))
            if !org.email.isEmpty { to.insert(org.email) }
            for addr in to.sorted() {
                try await Outbox.enqueue(MailMessage(to: addr, subject: (c.title.lowercased().hasPrefix("remiss") ? c.title : "Remiss: \(c.title)") + " – svar senast \(c.deadline)", body: """
                    Hej,

                    \(org.name) är remissinstans för \(c.title). Svara senast \(deadline.formatted("sv")):
                    \(baseURL)/consultations/\(id)
                    """), in: ctx)
            }
        }
        return c
    }

    static func close(_ id: UUID, in ctx: WriteContext) async throws -> Consultation {
        guard let c = try await Consultation.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard try await mayManage(c, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        guard c.status == .open else { throw AppError(.conflict, "Remissen är inte öppen.", fields: [FieldError(field: "status", code: "notOpen")]) }
        let before = c.auditSnapshot
        c.status = .closed
        c.version += 1
        try await c.save(on: ctx.db)
        ctx.audit("close", c, id: c.id, before: before)
        return c
    }

    /// Organisations invited directly, and those holding a current seat in an invited forum.
    static func invitedOrganisations(_ c: Consultation, on db: any Database) async throws -> [UUID] {
        let inv = try await ConsultationInvitee.query(on: db).filter(\.$consultationID == c.id!).all()
        var orgs = inv.compactMap(\.organisationID)
        for fid in inv.compactMap(\.forumID) {
            for s in try await ForumService.currentSeats(forumID: fid, on: db) { if let o = s.organisationID, !orgs.contains(o) { orgs.append(o) } }
        }
        return orgs
    }

    /// An organisation responds (or changes its response) while the consultation is open.
    static func respond(_ id: UUID, _ b: ConsultationResponseBody, in ctx: WriteContext, today: LocalDate = .today()) async throws -> ConsultationResponse {
        guard ctx.actor.isAdmin || !ctx.actor.organisationIDs.isEmpty else { throw AppError.forbidden(code: "responseByRepresentative") }
        guard let c = try await Consultation.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard ConsultationRules.acceptsResponses(status: c.status, deadline: c.deadlineDate, today: today) else {
            throw AppError(.conflict, "Remisstiden har gått ut.", fields: [FieldError(field: "deadline", code: "consultationClosed", args: [c.deadline])])
        }
        var errors = FieldErrors()
        var orgID: UUID?
        if let raw = b.organisationId, let u = UUID(uuidString: raw) { orgID = u }
        else if ctx.actor.organisationIDs.count == 1 { orgID = ctx.actor.organisationIDs[0] }
        guard let org = orgID else { throw AppError.invalid(field: "organisationId", code: "required") }
        guard Policy.allows(ctx.actor, .dialogueParticipate, .organisation(org)) else { throw AppError.forbidden(code: "notYourOrganisation") }
        if !c.openToAll, !(try await invitedOrganisations(c, on: ctx.db)).contains(org) {
            throw AppError.forbidden(code: "notConsulted")
        }
        let general = TextRules.paragraph(b.generalComment, field: "generalComment", max: 20_000, errors: &errors)
        let keys = Set(c.sectionList.map(\.key))
        var comments: [(String, String)] = []
        for (i, cm) in (b.comments ?? []).enumerated() {
            if !keys.contains(cm.sectionKey) { errors.add("comments[\(i)].sectionKey", code: "oneOf", keys.sorted().joined(separator: ", ")); continue }
            let text = TextRules.paragraph(cm.comment, field: "comments[\(i)].comment", max: 20_000, errors: &errors)
            if !text.isEmpty { comments.append((cm.sectionKey, text)) }
        }
        if general.isEmpty && comments.isEmpty { errors.add("generalComment", code: "responseEmpty") }
        try errors.throwIfAny()
        let existing = try await ConsultationResponse.query(on: ctx.db).filter(\.$consultationID == id).filter(\.$organisationID == org).first()
        if let existing, let v = b.version, v != existing.version { throw AppError.staleVersion() }
        let r = existing ?? ConsultationResponse()
        if existing == nil {
            r.id = UUID()
            r.consultationID = id
            r.organisationID = org
            r.version = 1
        } else { r.version += 1 }
        r.submittedBy = ctx.actor.userID
        r.generalComment = general
        try await r.save(on: ctx.db)
        try await ConsultationComment.query(on: ctx.db).filter(\.$responseID == r.id!).delete()
        for (key, text) in comments {
            let cm = ConsultationComment()
            cm.id = UUID()
            cm.responseID = r.id!
            cm.consultationID = id
            cm.sectionKey = key
            cm.comment = text
            cm.outcomeText = ""
            try await cm.create(on: ctx.db)
        }
        ctx.audit(existing == nil ? "respond" : "update", "consultationResponse", r.id!.uuidString, before: nil,
                  after: AuditSnapshot(["organisationId": .string(org.uuidString), "comments": .int(comments.count)]))
        return r
    }

    static func attachResponseDocument(_ responseID: UUID, filename: String, contentType: String, data: Data, in ctx: WriteContext,
                                       today: LocalDate = .today()) async throws -> ConsultationResponse {
        guard let r = try await ConsultationResponse.find(responseID, on: ctx.db), let c = try await Consultation.find(r.consultationID, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .dialogueParticipate, .organisation(r.organisationID)) else { throw AppError.forbidden() }
        guard ConsultationRules.acceptsResponses(status: c.status, deadline: c.deadlineDate, today: today) else {
            throw AppError(.conflict, "Remisstiden har gått ut.", fields: [FieldError(field: "deadline", code: "consultationClosed", args: [c.deadline])])
        }
        var errors = FieldErrors()
        let checked = UploadRules.check(filename: filename, contentType: contentType, size: data.count, nameField: "filename", errors: &errors)
        let name = checked.filename, type = checked.contentType
        try errors.throwIfAny()
        r.documentFilename = name
        r.documentContentType = type
        r.documentData = data
        r.version += 1
        try await r.save(on: ctx.db)
        ctx.audit("update", "consultationResponse", r.id!.uuidString, before: nil, after: AuditSnapshot(["document": .string(r.documentFilename!)]))
        return r
    }

    /// Responses are public after the deadline; before it, each organisation sees its own and the body sees all.
    static func mayReadResponse(_ r: ConsultationResponse, _ c: Consultation, _ p: Principal, on db: any Database, today: LocalDate = .today()) async throws -> Bool {
        if c.status != .draft && ConsultationRules.responsesPublic(deadline: c.deadlineDate, today: today) { return true }
        if Policy.allows(p, .dialogueParticipate, .organisation(r.organisationID)) { return true }
        return try await mayManage(c, p, on: db)
    }

    /// Records what was done with a comment (remissammanställning). Possible after the deadline.
    static func setOutcome(_ commentID: UUID, _ b: CommentOutcomeBody, in ctx: WriteContext, today: LocalDate = .today()) async throws -> ConsultationComment {
        guard let cm = try await ConsultationComment.find(commentID, on: ctx.db), let c = try await Consultation.find(cm.consultationID, on: ctx.db) else { throw AppError.notFound() }
        guard try await mayManage(c, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        guard c.status == .closed || (c.status == .open && today > c.deadlineDate) else {
            throw AppError(.conflict, "Sammanställningen görs när remisstiden har gått ut.", fields: [FieldError(field: "status", code: "stillOpen")])
        }
        var errors = FieldErrors()
        let outcome = OrganisationRules.vocabulary(CommentOutcome.self, b.outcome, field: "outcome", errors: &errors)
        let text = TextRules.paragraph(b.outcomeText, field: "outcomeText", max: 10_000, required: outcome != .noted, errors: &errors)
        try errors.throwIfAny()
        cm.outcome = outcome
        cm.outcomeText = text
        try await cm.save(on: ctx.db)
        ctx.audit("outcome", "consultationComment", cm.id!.uuidString, before: nil, after: AuditSnapshot(["outcome": .string(outcome!.rawValue), "text": .string(text)]))
        return cm
    }

    /// Marks the compilation done: every comment must have an outcome.
    static func compile(_ id: UUID, in ctx: WriteContext) async throws -> Consultation {
        guard let c = try await Consultation.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard try await mayManage(c, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        guard c.status == .closed else { throw AppError(.conflict, "Stäng remissen först.", fields: [FieldError(field: "status", code: "notClosed")]) }
        let outcomes = try await ConsultationComment.query(on: ctx.db).filter(\.$consultationID == id).all().map { $0.outcome?.rawValue }
        guard ConsultationRules.compilationComplete(outcomes: outcomes) || outcomes.isEmpty else {
            let missing = outcomes.filter { $0 == nil }.count
            throw AppError(.unprocessableEntity, "\(missing) synpunkter saknar ställningstagande.", fields: [FieldError(field: "comments", code: "outcomesMissing", args: [String(missing)])])
        }
        let before = c.auditSnapshot
        c.status = .compiled
        c.version += 1
        try await c.save(on: ctx.db)
        ctx.audit("compile", c, id: c.id, before: before)
        return c
    }

    static func dto(_ c: Consultation, on db: any Database, today: LocalDate = .today()) async throws -> ConsultationDTO {
        let inv = try await ConsultationInvitee.query(on: db).filter(\.$consultationID == c.id!).all()
        let deadline = c.deadlineDate
        return ConsultationDTO(id: c.id!, bodyId: c.bodyID, bodyName: try await DirectoryQueries.body(c.bodyID, on: db)?.name, unitId: c.unitID, title: c.title,
                               description: c.description, sections: c.sectionList, hasDraft: c.draftData != nil, draftFilename: c.draftFilename,
                               deadline: c.deadline, openToAll: c.openToAll, status: c.status.rawValue,
                               acceptsResponses: ConsultationRules.acceptsResponses(status: c.status, deadline: deadline, today: today),
                               responsesPublic: c.status != .draft && ConsultationRules.responsesPublic(deadline: deadline, today: today),
                               invitedOrganisationIds: inv.compactMap(\.organisationID), invitedForumIds: inv.compactMap(\.forumID),
                               responseCount: try await ConsultationResponse.query(on: db).filter(\.$consultationID == c.id!).count(),
                               summary: c.summary, version: c.version)
    }

    static func responseDTO(_ r: ConsultationResponse, on db: any Database) async throws -> ConsultationResponseDTO {
        let comments = try await ConsultationComment.query(on: db).filter(\.$responseID == r.id!).all()
        return ConsultationResponseDTO(id: r.id!, consultationId: r.consultationID, organisationId: r.organisationID,
                                       organisationName: try await DirectoryQueries.organisation(r.organisationID, includingDeleted: true, on: db)?.name,
                                       generalComment: r.generalComment, documentFilename: r.documentFilename,
                                       comments: comments.map { ConsultationCommentDTO(id: $0.id!, sectionKey: $0.sectionKey, comment: $0.comment, outcome: $0.outcome?.rawValue, outcomeText: $0.outcomeText) },
                                       submittedAt: r.updatedAt ?? r.createdAt, version: r.version)
    }
}
