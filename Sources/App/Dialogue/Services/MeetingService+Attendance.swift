import Fluent
import Vapor
import SamverkaRules

/// Invitations, RSVP, attendance and quorum; approving and publishing the minutes.
extension MeetingService {
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
        guard let seat = mine.first else { throw AppError.forbidden(code: "noSeat") }
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
        guard isChair || isAdjuster else { throw AppError.forbidden(code: "approveChairAdjuster") }
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
}
