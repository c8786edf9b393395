import Fluent
import Vapor
import SamverkaRules

/// Decisions and actions from the minutes, tracked with an owner role and a due date.
extension MeetingService {
    // MARK: Actions

    static func saveAction(meetingID: UUID?, actionID: UUID?, _ b: ActionBody, in ctx: WriteContext) async throws -> MeetingAction {
        let existing: MeetingAction? = actionID == nil ? nil : try await MeetingAction.find(actionID!, on: ctx.db)
        if actionID != nil && existing == nil { throw AppError.notFound() }
        guard let mid = existing?.meetingID ?? meetingID else { throw AppError.notFound() }
        _ = try await manageable(mid, ctx)
        if let existing, let v = b.version, v != existing.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        // Versions start at 1; a creating request may send one, but not an impossible one.
        if let v = b.version, v < 1 { errors.add("version", code: "range", "1", String(Int.max)) }
        let text = TextRules.paragraph(b.text ?? existing?.text, field: "text", max: 4000, required: true, errors: &errors)
        let note = TextRules.paragraph(b.note ?? existing?.note, field: "note", max: 4000, errors: &errors)
        var due: LocalDate? = existing?.dueOn.flatMap(LocalDate.init)
        if let raw = b.dueOn { due = raw.isEmpty ? nil : TextRules.date(raw, field: "dueOn", errors: &errors) }
        var owner = existing?.ownerRoleID
        if let raw = b.ownerRoleId {
            if raw.isEmpty { owner = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.roleExists(u, on: ctx.db) { owner = u }
            else { errors.add("ownerRoleId", code: "notFound") }
        }
        var status = existing?.status ?? .open
        if let raw = b.status { if let s = ActionStatus(rawValue: raw) { status = s } else { errors.add("status", code: "oneOf", "open, done") } }
        var item = existing?.agendaItemID
        if let raw = b.agendaItemId {
            if raw.isEmpty { item = nil }
            else if let u = UUID(uuidString: raw), try await AgendaItem.find(u, on: ctx.db)?.meetingID == mid { item = u }
            else { errors.add("agendaItemId", code: "notFound") }
        }
        try errors.throwIfAny()
        let a = existing ?? MeetingAction()
        let before = existing?.auditSnapshot
        if existing == nil {
            a.id = UUID()
            a.meetingID = mid
            a.version = 1
        } else { a.version += 1 }
        a.agendaItemID = item
        a.text = text
        a.note = note
        a.dueOn = due?.description
        a.ownerRoleID = owner
        if status == .done && existing?.status != .done { a.doneOn = LocalDate.today().description }
        if status == .open { a.doneOn = nil }
        a.status = status
        try await a.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", a, id: a.id, before: before)
        return a
    }

    static func actionDTOs(_ actions: [MeetingAction], on db: any Database, today: LocalDate = .today()) async throws -> [ActionDTO] {
        var titles: [UUID: String] = [:]
        for rid in Set(actions.compactMap(\.ownerRoleID)) { titles[rid] = try await DirectoryQueries.role(rid, on: db)?.title }
        return actions.map { a in
            ActionDTO(id: a.id!, meetingId: a.meetingID, agendaItemId: a.agendaItemID, text: a.text, ownerRoleId: a.ownerRoleID,
                      ownerRoleTitle: a.ownerRoleID.flatMap { titles[$0] }, dueOn: a.dueOn, status: a.status.rawValue, doneOn: a.doneOn, note: a.note,
                      overdue: a.status == .open && (a.dueOnDate.map { today > $0 } ?? false), version: a.version)
        }
    }
}
