import Fluent
import Vapor
import SamverkaRules

/// Agenda items, minutes per item and meeting documents (with their secrecy marking).
extension MeetingService {
    // MARK: Agenda and documents

    static func saveAgendaItem(meetingID: UUID, itemID: UUID?, _ b: AgendaItemBody, in ctx: WriteContext) async throws -> AgendaItem {
        let (m, _) = try await manageable(meetingID, ctx)
        guard m.status != .published && m.status != .cancelled else { throw AppError(.conflict, "Protokollet är publicerat.", fields: [FieldError(field: "status", code: "locked")]) }
        let existing: AgendaItem? = try await itemID.asyncFlatMap { try await AgendaItem.find($0, on: ctx.db) }
        if itemID != nil && (existing == nil || existing?.meetingID != meetingID) { throw AppError.notFound() }
        if let existing, let v = b.version, v != existing.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 300, required: true, errors: &errors)
        let description = TextRules.paragraph(b.description ?? existing?.description, field: "description", max: 10_000, errors: &errors)
        let raisedBy = TextRules.line(b.raisedBy ?? existing?.raisedBy, field: "raisedBy", max: 200, errors: &errors)
        let minutes = TextRules.paragraph(b.minutes ?? existing?.minutes, field: "minutes", max: 20_000, errors: &errors)
        if let p = b.position, !(1...500).contains(p) { errors.add("position", code: "range", "1", "500") }
        let decision = TextRules.paragraph(b.decision ?? existing?.decision, field: "decision", max: 10_000, errors: &errors)
        let secrecyGiven = b.isPublic != nil || b.secrecyProvision != nil || b.secrecyReason != nil
        let marking = secrecyGiven
            ? SecrecyRules.marking(isPublic: b.isPublic, provision: b.secrecyProvision ?? (b.isPublic == false ? existing?.secrecyProvision : nil),
                                   reason: b.secrecyReason ?? existing?.secrecyReason, titleSecret: false, errors: &errors)
            : SecrecyRules.Marking(isPublic: existing?.isPublic ?? true, provision: existing?.secrecyProvision ?? "", reason: existing?.secrecyReason ?? "", titleSecret: false)
        var orgID = existing?.organisationID
        if let raw = b.organisationId {
            if raw.isEmpty { orgID = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { orgID = u }
            else { errors.add("organisationId", code: "notFound") }
        }
        var questionID = existing?.questionID
        if let raw = b.questionId {
            if raw.isEmpty { questionID = nil }
            else if let u = UUID(uuidString: raw), try await DialogueQuestion.find(u, on: ctx.db) != nil { questionID = u }
            else { errors.add("questionId", code: "notFound") }
        }
        try errors.throwIfAny()
        let items = try await AgendaItem.query(on: ctx.db).filter(\.$meetingID == meetingID).sort(\.$position).all()
        // Minutes changed after approval must be approved again.
        let minutesEdited = MeetingRules.changeVoidsApprovals(before: [existing?.minutes ?? "", existing?.decision ?? ""], after: [minutes, decision])
        let a = existing ?? AgendaItem()
        let before = existing?.auditSnapshot
        if existing == nil {
            a.id = UUID()
            a.meetingID = meetingID
            a.version = 1
            a.position = (items.last?.position ?? 0) + 1
        } else { a.version += 1 }
        if let p = b.position { a.position = min(p, items.count + (existing == nil ? 1 : 0)) }
        a.title = title
        a.description = description
        a.raisedBy = raisedBy
        a.organisationID = orgID
        a.questionID = questionID
        a.minutes = minutes
        a.decision = decision
        a.isPublic = marking.isPublic
        a.secrecyProvision = marking.provision
        a.secrecyReason = marking.reason
        try await a.save(on: ctx.db)
        if minutesEdited && (m.chairApprovedBy != nil || m.adjusterApprovedBy != nil) {
            let meetingBefore = m.auditSnapshot
            try await minutesChanged(m, in: ctx)
            ctx.audit("voidApprovals", m, id: m.id, before: meetingBefore)
        }
        // Keep positions 1…n without gaps, the changed item at its requested place.
        var ordered = items.filter { $0.id != a.id }
        ordered.insert(a, at: max(0, min(ordered.count, a.position - 1)))
        for (i, item) in ordered.enumerated() where item.position != i + 1 {
            item.position = i + 1
            try await item.save(on: ctx.db)
        }
        ctx.audit(existing == nil ? "create" : "update", a, id: a.id, before: before)
        return a
    }

    /// Saves the minutes of a whole meeting from one form: the introduction and, per agenda item (by id), its minutes
    /// and decision. Items left out or unchanged are not touched; everything in the caller's transaction.
    static func saveMinutes(_ meetingID: UUID, intro: String?, minutes: [String: String], decisions: [String: String], in ctx: WriteContext) async throws {
        let (m, _) = try await manageable(meetingID, ctx)
        if let intro, intro != m.minutesIntro {
            _ = try await save(meetingID, MeetingBody(minutesIntro: intro, version: m.version), in: ctx)
        }
        for item in try await AgendaItem.query(on: ctx.db).filter(\.$meetingID == meetingID).all() {
            guard let id = item.id else { continue }
            let key = id.uuidString
            let text = minutes[key] ?? minutes[key.lowercased()], decision = decisions[key] ?? decisions[key.lowercased()]
            if text == nil && decision == nil { continue }
            if text == item.minutes && decision == item.decision { continue }
            _ = try await saveAgendaItem(meetingID: meetingID, itemID: id, AgendaItemBody(minutes: text, decision: decision), in: ctx)
        }
    }

    static func deleteAgendaItem(_ id: UUID, in ctx: WriteContext) async throws {
        guard let a = try await AgendaItem.find(id, on: ctx.db) else { throw AppError.notFound() }
        let (m, _) = try await manageable(a.meetingID, ctx)
        guard m.status == .planned || m.status == .confirmed else { throw AppError(.conflict, "Punkter kan bara tas bort före mötet.", fields: [FieldError(field: "status", code: "locked")]) }
        try await a.delete(on: ctx.db)
        ctx.audit("delete", "agendaItem", id.uuidString, before: a.auditSnapshot, after: nil)
        for (i, item) in try await AgendaItem.query(on: ctx.db).filter(\.$meetingID == m.id!).sort(\.$position).all().enumerated() where item.position != i + 1 {
            item.position = i + 1
            try await item.save(on: ctx.db)
        }
    }

    /// Adds a document. Public unless a secrecy provision is given (`SecrecyRules.marking`, the same rule for the
    /// page and the API).
    static func addDocument(meetingID: UUID, agendaItemID: UUID?, title: String?, filename: String, contentType: String, data: Data,
                            isPublic: Bool?, secrecyProvision: String?, secrecyReason: String?, titleSecret: Bool?,
                            in ctx: WriteContext) async throws -> MeetingDocument {
        let (m, _) = try await manageable(meetingID, ctx)
        var errors = FieldErrors()
        let checked = UploadRules.check(filename: filename, contentType: contentType, size: data.count, nameField: "filename", errors: &errors)
        let name = checked.filename, type = checked.contentType
        let t = TextRules.line(title?.isEmpty == false ? title : name, field: "title", max: 300, required: true, errors: &errors)
        let marking = SecrecyRules.marking(isPublic: isPublic, provision: secrecyProvision, reason: secrecyReason, titleSecret: titleSecret, errors: &errors)
        if let aid = agendaItemID, try await AgendaItem.find(aid, on: ctx.db)?.meetingID != m.id { errors.add("agendaItemId", code: "notFound") }
        try errors.throwIfAny()
        let d = MeetingDocument()
        d.id = UUID()
        d.meetingID = meetingID
        d.agendaItemID = agendaItemID
        d.title = t
        d.filename = name
        d.contentType = type
        d.size = data.count
        d.data = data
        d.isPublic = marking.isPublic
        d.secrecyProvision = marking.provision
        d.secrecyReason = marking.reason
        d.titleSecret = marking.titleSecret
        d.uploadedBy = ctx.actor.userID
        try await d.create(on: ctx.db)
        ctx.audit("create", "meetingDocument", d.id!.uuidString, before: nil,
                  after: AuditSnapshot(["filename": .string(d.filename), "isPublic": .bool(d.isPublic), "secrecyProvision": .string(d.secrecyProvision),
                                        "secrecyReason": .string(d.secrecyReason), "titleSecret": .bool(d.titleSecret)]))
        return d
    }

    /// A document is readable when the meeting is, and — if it is non-public — only in the members' view
    /// of officials managing the forum.
    static func mayReadDocument(_ d: MeetingDocument, _ p: Principal, on db: any Database) async throws -> Bool {
        let (m, f) = try await find(d.meetingID, on: db)
        guard try await mayRead(m, f, p, on: db) else { return false }
        if d.isPublic || p.isAdmin { return true }
        return try await ForumService.mayManage(f, p, on: db)
    }

    /// What may be shown of a document: all of it to those who may read it; to others, for a secret document, the
    /// date, the marking and the title (or a neutral one), but not the file.
    static func documentDTO(_ d: MeetingDocument, canRead: Bool) -> MeetingDocumentDTO {
        let concealTitle = !canRead && d.titleSecret
        return MeetingDocumentDTO(id: d.id!, agendaItemId: d.agendaItemID, title: concealTitle ? SecrecyRules.neutralTitle : d.title,
                                  filename: canRead ? d.filename : "", contentType: canRead ? d.contentType : "", size: canRead ? d.size : 0,
                                  registeredAt: d.createdAt, isPublic: d.isPublic, secrecyProvision: d.secrecyProvision,
                                  secrecyReference: SecrecyRules.reference(provision: d.secrecyProvision), secrecyReason: d.secrecyReason,
                                  titleSecret: d.titleSecret, canDownload: canRead)
    }
}
