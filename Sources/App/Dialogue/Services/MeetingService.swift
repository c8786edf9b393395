import Fluent
import Vapor
import SamverkaRules

extension Meeting: Auditable {
    static var auditEntityType: String { "meeting" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "date": .string(date), "startTime": .string(startTime), "endTime": .string(endTime),
                       "location": .string(location), "status": .string(status.rawValue), "minutesIntro": .string(minutesIntro),
                       "chairApproved": .bool(chairApprovedBy != nil), "adjusterApproved": .bool(adjusterApprovedBy != nil)])
    }
}

extension AgendaItem: Auditable {
    static var auditEntityType: String { "agendaItem" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["position": .int(position), "title": .string(title), "description": .string(description), "raisedBy": .string(raisedBy),
                       "minutes": .string(minutes), "decision": .string(decision), "isPublic": .bool(isPublic),
                       "secrecyProvision": .string(secrecyProvision), "secrecyReason": .string(secrecyReason)],
                      personal: ["raisedBy"])
    }
}

extension MeetingAction: Auditable {
    static var auditEntityType: String { "meetingAction" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["text": .string(text), "ownerRoleId": ownerRoleID.map { .string($0.uuidString) } ?? .null, "dueOn": dueOn.map { .string($0) } ?? .null,
                       "status": .string(status.rawValue), "note": .string(note)])
    }
}

/// Meetings: agenda, documents, invitations and RSVP, attendance and quorum, minutes, approval and publication,
/// and the actions that follow.
enum MeetingService {
    static func find(_ id: UUID, on db: any Database) async throws -> (Meeting, Forum) {
        guard let m = try await Meeting.find(id, on: db), let f = try await Forum.find(m.forumID, on: db) else { throw AppError.notFound() }
        return (m, f)
    }

    static func meetingScope(_ req: Request) async throws -> ResourceScope {
        let (_, f) = try await find(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await ForumService.scope(f, on: req.db)
    }

    /// Who may read a meeting: anyone for public forums; otherwise the members' view.
    static func mayRead(_ m: Meeting, _ f: Forum, _ p: Principal, on db: any Database) async throws -> Bool {
        try await ForumService.mayReadInside(f, p, on: db)
    }

    static func manageable(_ id: UUID, _ ctx: WriteContext) async throws -> (Meeting, Forum) {
        let (m, f) = try await find(id, on: ctx.db)
        try await ForumService.authorizeManage(f, ctx)
        return (m, f)
    }

    static func save(_ id: UUID?, _ b: MeetingBody, in ctx: WriteContext) async throws -> Meeting {
        var errors = FieldErrors()
        let existing: Meeting?
        let forum: Forum
        if let id {
            let (m, f) = try await manageable(id, ctx)
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == m.version else { throw AppError.staleVersion() }
            existing = m
            forum = f
        } else {
            guard let raw = b.forumId, let fid = UUID(uuidString: raw), let f = try await Forum.find(fid, on: ctx.db) else {
                throw AppError.invalid(field: "forumId", code: b.forumId == nil ? "required" : "notFound")
            }
            try await ForumService.authorizeManage(f, ctx)
            existing = nil
            forum = f
        }
        if let e = existing, e.status == .published || e.status == .cancelled {
            throw AppError(.conflict, "Mötet är \(e.status == .published ? "publicerat" : "inställt") och kan inte ändras.", fields: [FieldError(field: "status", code: "locked")])
        }
        let title = TextRules.line(b.title ?? existing?.title ?? "\(forum.name) – sammanträde", field: "title", max: 200, required: true, errors: &errors)
        let date = TextRules.date(b.date ?? existing?.date, field: "date", required: true, errors: &errors)
        let start = TimeOfDay(b.startTime ?? existing?.startTime ?? "13:00")
        if start == nil { errors.add("startTime", code: "time") }
        let end = TimeOfDay(b.endTime ?? existing?.endTime ?? "15:00")
        if end == nil { errors.add("endTime", code: "time") }
        if let s = start, let e = end, e <= s { errors.add("endTime", code: "endBeforeStart") }
        let location = TextRules.line(b.location ?? existing?.location ?? forum.location, field: "location", max: 300, errors: &errors)
        let intro = TextRules.paragraph(b.minutesIntro ?? existing?.minutesIntro, field: "minutesIntro", max: 10_000, errors: &errors)
        var adjuster = existing?.adjusterSeatID
        if let raw = b.adjusterSeatId {
            if raw.isEmpty { adjuster = nil }
            else if let u = UUID(uuidString: raw), let s = try await ForumSeat.find(u, on: ctx.db), s.forumID == forum.id {
                // The adjuster checks the chair's minutes: two people, never the chair's own seat.
                if s.position == .chair { errors.add("adjusterSeatId", code: "adjusterIsChair") } else { adjuster = u }
            }
            else { errors.add("adjusterSeatId", code: "notFound") }
        }
        try errors.throwIfAny()
        let m = existing ?? Meeting()
        let before = existing?.auditSnapshot
        if existing == nil {
            m.id = UUID()
            m.forumID = forum.id!
            m.status = .confirmed
            m.isExtra = false
            m.version = 1
        } else {
            m.version += 1
            // A new date after invitations means a new invitation round.
            if m.date != date!.description { m.invitationsSentAt = nil }
        }
        m.title = title
        m.date = date!.description
        m.startTime = start!.description
        m.endTime = end!.description
        m.location = location
        let minutesEdited = existing != nil && MeetingRules.changeVoidsApprovals(before: [m.minutesIntro], after: [intro])
        m.minutesIntro = intro
        m.adjusterSeatID = adjuster
        if minutesEdited { voidApprovals(m) }
        try await m.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", m, id: m.id, before: before)
        return m
    }

    /// Secretary's status changes: confirm the date, cancel, mark held.
    static func setStatus(_ id: UUID, to status: MeetingStatus, version: Int?, in ctx: WriteContext) async throws -> Meeting {
        let (m, _) = try await manageable(id, ctx)
        if let v = version, v != m.version { throw AppError.staleVersion() }
        guard MeetingRules.mayChange(from: m.status, to: status) else {
            throw AppError(.conflict, "Mötet kan inte gå från \(m.status.rawValue) till \(status.rawValue).", fields: [FieldError(field: "status", code: "transition")])
        }
        if status == .held && !MeetingRules.mayMarkHeld(meetingDay: m.day, today: .today()) {
            throw AppError(.conflict, "Mötet kan markeras som hållet först den \(m.date).", fields: [FieldError(field: "status", code: "heldInFuture", args: [m.date])])
        }
        let before = m.auditSnapshot
        m.status = status
        m.version += 1
        try await m.save(on: ctx.db)
        ctx.audit(status.rawValue, m, id: m.id, before: before)
        return m
    }

    // MARK: DTOs

    static func dto(_ m: Meeting, forum: Forum, full: Bool, principal: Principal, on db: any Database) async throws -> MeetingDTO {
        var dto = MeetingDTO(id: m.id!, forumId: m.forumID, forumName: forum.name, title: m.title, date: m.date, startTime: m.startTime, endTime: m.endTime,
                             location: m.location, status: m.status.rawValue, isExtra: m.isExtra, adjusterSeatId: m.adjusterSeatID,
                             chairApproved: m.chairApprovedBy != nil, adjusterApproved: m.adjusterApprovedBy != nil, publishedAt: m.publishedAt,
                             invitationsSentAt: m.invitationsSentAt, minutesIntro: "", version: m.version)
        guard full else { return dto }
        let manage = try await ForumService.mayManage(forum, principal, on: db) || principal.isAdmin
        let inside = try await ForumService.mayReadInside(forum, principal, on: db)
        // Minutes are public once published; before that only the members' view sees drafts.
        let showMinutes = m.status == .published || (inside && principal.isSignedIn)
        dto.minutesIntro = showMinutes ? m.minutesIntro : ""
        let items = try await AgendaItem.query(on: db).filter(\.$meetingID == m.id!).sort(\.$position).all()
        dto.agenda = items.map { a in
            let hidden = !a.isPublic && !manage
            return AgendaItemDTO(id: a.id!, position: a.position, title: a.title, description: hidden ? "" : a.description, raisedBy: a.raisedBy,
                                 organisationId: a.organisationID, questionId: a.questionID, minutes: hidden || !showMinutes ? "" : a.minutes,
                                 decision: hidden || !showMinutes ? "" : a.decision, isPublic: a.isPublic, secrecyProvision: a.secrecyProvision,
                                 secrecyReference: SecrecyRules.reference(provision: a.secrecyProvision), secrecyReason: a.secrecyReason, version: a.version)
        }
        // Every registered document is listed (its existence is public); a secret one without its content, and with a
        // neutral title when its title is secret too.
        let docs = try await MeetingDocument.query(on: db).filter(\.$meetingID == m.id!).sort(\.$createdAt).all()
        dto.documents = docs.map { documentDTO($0, canRead: $0.isPublic || manage) }
        if inside && principal.isSignedIn {
            let seats = try await ForumService.currentSeats(forumID: forum.id!, on: db, today: m.day)
            let att = Dictionary(uniqueKeysWithValues: try await MeetingAttendance.query(on: db).filter(\.$meetingID == m.id!).all().map { ($0.seatID, $0) })
            var lines: [AttendanceDTO] = []
            for s in ForumService.ordered(seats) {
                let h = try await ForumService.holder(s, on: db)
                let a = att[s.id!]
                var subName: String?
                if let sub = a?.substituteSeatID, let ss = seats.first(where: { $0.id == sub }) { subName = try await ForumService.holder(ss, on: db).name }
                lines.append(AttendanceDTO(seatId: s.id!, holderName: h.name, category: s.category.rawValue, position: s.position.rawValue, isSubstitute: s.isSubstitute,
                                           rsvp: a?.rsvp.rawValue ?? "notInvited", substituteSeatId: a?.substituteSeatID, substituteName: subName, present: a?.present))
            }
            dto.attendance = lines
            dto.quorum = try await quorum(m, on: db)
        }
        dto.actions = try await actionDTOs(try await MeetingAction.query(on: db).filter(\.$meetingID == m.id!).sort(\.$createdAt).all(), on: db)
        return dto
    }
}
