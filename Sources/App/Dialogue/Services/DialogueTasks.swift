import Fluent
import Vapor
import SamverkaRules

/// What waits for a person in Dialogue, for the start page: questions they owe an answer (through a role they hold,
/// or as an official of the body when nobody owns the question), minutes they must approve as chair or adjuster,
/// meeting invitations they have not answered, and consultations their organisation is invited to and has not
/// answered.
enum DialogueTasks {
    @Sendable static func tasks(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        guard let uid = p.userID else { return [] }
        var out: [TaskItem] = []
        out += try await questions(p, uid: uid, today: today, db: db)
        out += try await meetings(uid, today: today, db: db)
        out += try await consultations(p, today: today, db: db)
        return out
    }

    static func questions(_ p: Principal, uid: UUID, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        var owed = try await DialogueQueries.questions(owedByRoles: try await DirectoryQueries.rolesHeld(byUser: uid, on: db), on: db)
        let bodies = p.officialBodyIDs
        if !bodies.isEmpty {
            let ownerless = try await DialogueQuestion.query(on: db).filter(\.$bodyID ~~ bodies).filter(\.$ownerRoleID == nil)
                .filter(\.$status ~~ [.received, .inProgress]).all()
            for q in ownerless where Policy.allows(p, .dialogueManage, try await QuestionService.scope(q, on: db)) { owed.append(q) }
        }
        var seen: Set<UUID> = []
        return owed.compactMap { q in
            guard let id = q.id, seen.insert(id).inserted else { return nil }
            return TaskItem(kind: "dialogue.question", title: q.title, href: "/questions/\(id)", context: q.askerName.nilIfEmpty,
                            due: q.deadlineDate, overdue: q.deadlineDate < today)
        }
    }

    static func meetings(_ uid: UUID, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        let seats = try await ForumService.seatsHeld(by: uid, on: db)
        guard !seats.isEmpty else { return [] }
        let forumIDs = Array(Set(seats.map(\.forumID)))
        let forums = try await DialogueQueries.forumNames(forumIDs, on: db)
        var out: [TaskItem] = []
        // Minutes: held meetings the chair or the adjuster has not yet approved.
        let held = try await Meeting.query(on: db).filter(\.$forumID ~~ forumIDs).filter(\.$status == .held).all()
        for m in held {
            guard let id = m.id else { continue }
            let mine = seats.filter { $0.forumID == m.forumID }
            let chairOwes = mine.contains { $0.position == .chair } && m.chairApprovedBy == nil
            let adjusterOwes = m.adjusterSeatID.map { a in mine.contains { $0.id == a } } == true && m.adjusterApprovedBy == nil
            if chairOwes || adjusterOwes {
                out.append(TaskItem(kind: "dialogue.minutes", title: m.title, href: "/meetings/\(id)#minutes", context: forums[m.forumID], due: nil, overdue: false))
            }
        }
        // Invitations not answered, for meetings to come.
        let seatIDs = seats.compactMap(\.id)
        let unanswered = try await MeetingAttendance.query(on: db).filter(\.$seatID ~~ seatIDs).filter(\.$rsvp == .invited).all()
        if !unanswered.isEmpty {
            let coming = try await Meeting.query(on: db).filter(\.$id ~~ Array(Set(unanswered.map(\.meetingID)))).filter(\.$status == .confirmed)
                .filter(\.$date >= today.description).all()
            for m in coming {
                guard let id = m.id else { continue }
                out.append(TaskItem(kind: "dialogue.rsvp", title: m.title, href: "/meetings/\(id)", context: forums[m.forumID], due: m.day, overdue: false))
            }
        }
        return out
    }

    static func consultations(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        let orgs = p.organisationIDs.filter { Policy.allows(p, .dialogueParticipate, .organisation($0)) }
        guard !orgs.isEmpty else { return [] }
        var out: [TaskItem] = []
        let open = try await Consultation.query(on: db).filter(\.$status == .open).filter(\.$deadline >= today.description).all()
        for c in open {
            guard let id = c.id else { continue }
            let invited = Set(try await ConsultationService.invitedOrganisations(c, on: db)).intersection(orgs)
            for org in invited.sorted(by: { $0.uuidString < $1.uuidString })
            where try await DialogueQueries.response(consultationID: id, organisationID: org, on: db) == nil {
                out.append(TaskItem(kind: "dialogue.consultation", title: c.title, href: "/consultations/\(id)",
                                    context: orgs.count > 1 ? try await DirectoryQueries.organisationNames([org], on: db)[org] : nil,
                                    due: c.deadlineDate, overdue: false))
            }
        }
        return out
    }
}
