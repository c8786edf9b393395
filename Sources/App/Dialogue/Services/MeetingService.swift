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
        if let p = b.position, p >= 1 { a.position = min(p, items.count + (existing == nil ? 1 : 0)) }
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

    // MARK: Invitations, RSVP, attendance

    /// Sends the invitation to every current seat holder with an e-mail address (through the outbox), and
    /// records an invitation per seat. Repeating it sends only to seats not yet invited.
    static func invite(_ id: UUID, baseURL: String, in ctx: WriteContext) async throws -> Int {
        let (m, f) = try await manageable(id, ctx)
        guard m.status == .confirmed else {
            throw AppError(.conflict, "Bekräfta datumet innan kallelsen skickas.", fields: [FieldError(field: "status", code: "notConfirmed")])
        }
        let seats = try await ForumService.currentSeats(forumID: f.id!, on: ctx.db, today: m.day)
        let invited = Set(try await MeetingAttendance.query(on: ctx.db).filter(\.$meetingID == id).all().map(\.seatID))
        let agenda = try await AgendaItem.query(on: ctx.db).filter(\.$meetingID == id).sort(\.$position).all()
        var sent = 0
        for s in seats where !invited.contains(s.id!) {
            let a = MeetingAttendance()
            a.id = UUID()
            a.meetingID = id
            a.seatID = s.id!
            a.rsvp = .invited
            a.version = 1
            try await a.create(on: ctx.db)
            let h = try await ForumService.holder(s, on: ctx.db)
            guard !h.email.isEmpty else { continue }
            let lines = agenda.map { "\($0.position). \($0.title)" }.joined(separator: "\n")
            let role = s.isSubstitute ? "Du är ersättare och kallas in om en ordinarie ledamot har förhinder." : "Meddela om du kommer eller har förhinder."
            try await Outbox.enqueue(MailMessage(to: h.email, subject: "Kallelse: \(f.name) \(m.date)",
                body: """
                Hej \(h.name),

                Du kallas till \(m.title) den \(m.day.formatted("sv")) kl. \(m.startTime)–\(m.endTime)\(m.location.isEmpty ? "" : ", \(m.location)").

                Föredragningslista:
                \(lines.isEmpty ? "(kommer)" : lines)

                \(role)
                Svara här: \(baseURL)/meetings/\(id)

                Hälsningar
                \(f.name)
                """), in: ctx)
            sent += 1
        }
        let before = m.auditSnapshot
        m.invitationsSentAt = Date()
        m.version += 1
        try await m.save(on: ctx.db)
        ctx.auditSummary("invite", "meeting", id.uuidString, [("sent", .int(sent))])
        _ = before
        return sent
    }

    /// The seat holder's own answer.
    static func rsvp(_ id: UUID, accept: Bool, in ctx: WriteContext) async throws -> MeetingAttendance {
        let (m, f) = try await find(id, on: ctx.db)
        guard let uid = ctx.actor.userID else { throw AppError.forbidden() }
        let mine = try await ForumService.seatsHeld(by: uid, on: ctx.db, today: m.day).filter { $0.forumID == f.id }
        guard let seat = mine.first else { throw AppError.forbidden("Du har ingen plats i forumet.") }
        guard m.status == .confirmed else { throw AppError(.conflict, "Mötet tar inte emot svar.", fields: [FieldError(field: "status", code: "notConfirmed")]) }
        let a = try await MeetingAttendance.query(on: ctx.db).filter(\.$meetingID == id).filter(\.$seatID == seat.id!).first() ?? {
            let a = MeetingAttendance()
            a.id = UUID()
            a.meetingID = id
            a.seatID = seat.id!
            a.version = 0
            return a
        }()
        a.rsvp = accept ? .accepted : .declined
        a.respondedAt = Date()
        a.version += 1
        try await a.save(on: ctx.db)
        ctx.auditSummary("rsvp", "meeting", id.uuidString, [("seatId", .string(seat.id!.uuidString)), ("rsvp", .string(a.rsvp.rawValue))])
        // Declining an ordinary seat calls in its first substitute who has not declined.
        if !accept && !seat.isSubstitute {
            let subs = try await ForumSeat.query(on: ctx.db).filter(\.$substituteForID == seat.id!).all().filter { $0.isCurrent(on: m.day) }
            if let sub = subs.first {
                a.substituteSeatID = sub.id
                try await a.save(on: ctx.db)
                let h = try await ForumService.holder(sub, on: ctx.db)
                if !h.email.isEmpty {
                    try await Outbox.enqueue(MailMessage(to: h.email, subject: "Du kallas in som ersättare: \(f.name) \(m.date)",
                        body: "Hej \(h.name),\n\nOrdinarie ledamot har förhinder. Du kallas in som ersättare till \(m.title) den \(m.day.formatted("sv")) kl. \(m.startTime).\n\nHälsningar\n\(f.name)"), in: ctx)
                }
            }
        }
        return a
    }

    /// Attendance taken at the meeting (and RSVPs recorded by the secretary).
    static func recordAttendance(_ id: UUID, _ b: AttendanceBody, in ctx: WriteContext) async throws -> [MeetingAttendance] {
        let (m, f) = try await manageable(id, ctx)
        guard m.status != .published && m.status != .cancelled else { throw AppError(.conflict, "Protokollet är publicerat.", fields: [FieldError(field: "status", code: "locked")]) }
        let seats = Dictionary(uniqueKeysWithValues: try await ForumSeat.query(on: ctx.db).filter(\.$forumID == f.id!).all().map { ($0.id!, $0) })
        var errors = FieldErrors()
        var out: [MeetingAttendance] = []
        for (i, line) in (b.lines ?? []).enumerated() {
            guard let sid = UUID(uuidString: line.seatId), seats[sid] != nil else { errors.add("lines[\(i)].seatId", code: "notFound"); continue }
            var rsvp: RSVP?
            if let r = line.rsvp { rsvp = RSVP(rawValue: r); if rsvp == nil { errors.add("lines[\(i)].rsvp", code: "oneOf", RSVP.allCases.map(\.rawValue).joined(separator: ", ")) } }
            var sub: UUID?
            if let raw = line.substituteSeatId, !raw.isEmpty {
                if let u = UUID(uuidString: raw), let s = seats[u], s.isSubstitute { sub = u } else { errors.add("lines[\(i)].substituteSeatId", code: "notFound") }
            }
            let a = try await MeetingAttendance.query(on: ctx.db).filter(\.$meetingID == id).filter(\.$seatID == sid).first() ?? {
                let a = MeetingAttendance()
                a.id = UUID()
                a.meetingID = id
                a.seatID = sid
                a.rsvp = .invited
                a.version = 0
                return a
            }()
            if let rsvp { a.rsvp = rsvp }
            if line.present != nil { a.present = line.present }
            if line.substituteSeatId != nil { a.substituteSeatID = sub }
            a.version += 1
            out.append(a)
        }
        try errors.throwIfAny()
        for a in out { try await a.save(on: ctx.db) }
        ctx.auditSummary("attendance", "meeting", id.uuidString, [("lines", .int(out.count))])
        return out
    }

    /// Quorum: ordinary voting seats (not adjunct or secretary) present, counting a present substitute
    /// called in for an absent ordinary.
    static func quorum(_ m: Meeting, on db: any Database) async throws -> QuorumDTO {
        let seats = try await ForumService.currentSeats(forumID: m.forumID, on: db, today: m.day)
        let ordinary = seats.filter { !$0.isSubstitute && $0.position != .adjunct && $0.position != .secretary }
        let att = Dictionary(uniqueKeysWithValues: try await MeetingAttendance.query(on: db).filter(\.$meetingID == m.id!).all().map { ($0.seatID, $0) })
        var present = 0
        for s in ordinary {
            if att[s.id!]?.present == true { present += 1; continue }
            if let sub = att[s.id!]?.substituteSeatID, att[sub]?.present == true { present += 1; continue }
            // A substitute of this seat recorded present without being formally called in.
            if seats.contains(where: { $0.substituteForID == s.id && att[$0.id!]?.present == true }) { present += 1 }
        }
        return QuorumDTO(ordinarySeats: ordinary.count, present: present, hasQuorum: MeetingRules.hasQuorum(ordinarySeats: ordinary.count, present: present))
    }

    // MARK: Minutes

    /// The chair or the adjuster approves the minutes; when both have, the secretary can publish.
    static func approve(_ id: UUID, in ctx: WriteContext) async throws -> Meeting {
        let (m, f) = try await find(id, on: ctx.db)
        guard let uid = ctx.actor.userID else { throw AppError.forbidden() }
        let mine = try await ForumService.seatsHeld(by: uid, on: ctx.db, today: m.day).filter { $0.forumID == f.id }
        let isChair = mine.contains { $0.position == .chair }
        let isAdjuster = m.adjusterSeatID.map { a in mine.contains { $0.id == a } } ?? false
        guard isChair || isAdjuster else { throw AppError.forbidden("Bara ordföranden och justeraren justerar protokollet.") }
        guard m.status == .held else { throw AppError(.conflict, "Protokollet kan justeras när mötet är hållet.", fields: [FieldError(field: "status", code: "notHeld")]) }
        // Only someone who took part in the meeting approves its minutes.
        let mySeatIDs = mine.compactMap(\.id)
        let attendance = try await MeetingAttendance.query(on: ctx.db).filter(\.$meetingID == id).filter(\.$seatID ~~ mySeatIDs).all()
        let present: Bool? = attendance.contains { $0.present == true } ? true : attendance.contains { $0.present == false } ? false : nil
        let declined = !attendance.isEmpty && attendance.allSatisfy { $0.rsvp == .declined }
        guard MeetingRules.mayApproveMinutes(present: present, rsvp: declined ? .declined : nil) else {
            throw AppError(.forbidden, "Du deltog inte i mötet och kan inte justera protokollet.", fields: [FieldError(field: "status", code: "approverAbsent")])
        }
        let before = m.auditSnapshot
        if isChair && m.chairApprovedBy == nil {
            m.chairApprovedBy = uid
            m.chairApprovedAt = Date()
        } else if isAdjuster && m.adjusterApprovedBy == nil {
            m.adjusterApprovedBy = uid
            m.adjusterApprovedAt = Date()
        } else {
            throw AppError(.conflict, "Du har redan justerat protokollet.", fields: [FieldError(field: "status", code: "alreadyApproved")])
        }
        m.version += 1
        try await m.save(on: ctx.db)
        ctx.audit("approve", m, id: m.id, before: before)
        return m
    }

    static func publish(_ id: UUID, in ctx: WriteContext) async throws -> Meeting {
        let (m, _) = try await manageable(id, ctx)
        guard MeetingRules.mayPublish(status: m.status, chairApproved: m.chairApprovedBy != nil, adjusterApproved: m.adjusterApprovedBy != nil) else {
            throw AppError(.conflict, "Protokollet publiceras när ordföranden och justeraren har justerat det.", fields: [FieldError(field: "status", code: "notApproved")])
        }
        let before = m.auditSnapshot
        m.status = .published
        m.publishedAt = Date()
        m.version += 1
        try await m.save(on: ctx.db)
        ctx.audit("publish", m, id: m.id, before: before)
        return m
    }

    /// Writing minutes after approval voids the approvals.
    static func minutesChanged(_ m: Meeting, in ctx: WriteContext) async throws {
        guard m.chairApprovedBy != nil || m.adjusterApprovedBy != nil else { return }
        voidApprovals(m)
        m.version += 1
        try await m.save(on: ctx.db)
    }

    static func voidApprovals(_ m: Meeting) {
        m.chairApprovedBy = nil
        m.chairApprovedAt = nil
        m.adjusterApprovedBy = nil
        m.adjusterApprovedAt = nil
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
