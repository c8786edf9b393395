import Fluent
import Vapor
import SamverkaRules

/// A forum as other modules may know it.
struct ForumFact: Sendable, Equatable {
    var id: UUID
    var bodyID: UUID
    var name: String
    var kind: ForumKind
}

/// A consultation as other modules may know it, with how its comments were handled.
struct ConsultationFact: Sendable, Equatable {
    var id: UUID
    var bodyID: UUID
    var title: String
    var status: String
    var deadline: LocalDate
    var comments: Int
    var commentsHandled: Int
}

/// What other modules (Agreements' follow-up and principle dashboard, the overview) may read of Dialogue: plain facts,
/// never Dialogue's models, so Dialogue can change its tables freely.
enum DialogueFacts {
    static func forum(_ id: UUID, on db: any Database) async throws -> ForumFact? {
        try await Forum.find(id, on: db).flatMap(fact)
    }

    static func forums(ofBodies bodies: [UUID], on db: any Database) async throws -> [ForumFact] {
        try await DialogueQueries.forums(ofBodies: bodies, on: db).compactMap(fact)
    }

    /// The forums of `bodies` that were active during `year` (a seat term or a meeting in the year), and whether the
    /// bodies keep any forum on the platform at all.
    static func activeForums(ofBodies bodies: [UUID], year: Int, on db: any Database) async throws -> (active: [ForumFact], keepsForums: Bool) {
        let forums = try await forums(ofBodies: bodies, on: db)
        guard !forums.isEmpty else { return ([], false) }
        var active: [ForumFact] = []
        for f in forums {
            let seats = try await ForumSeat.query(on: db).filter(\.$forumID == f.id).all()
            let seated = seats.contains { OverviewRules.overlaps(year: year, from: LocalDate.stored($0.termFrom), to: LocalDate.stored($0.termTo)) }
            let met = try await Meeting.query(on: db).filter(\.$forumID == f.id).filter(\.$date >= "\(year)-01-01").filter(\.$date <= "\(year)-12-31").count() > 0
            if seated || met { active.append(f) }
        }
        return (active, true)
    }

    static func fact(_ f: Forum) -> ForumFact? {
        f.id.map { ForumFact(id: $0, bodyID: f.bodyID, name: f.name, kind: f.kind) }
    }

    /// Meetings of the forums in the date range, with their agenda items counted (public ones separately).
    static func meetings(forumIDs: [UUID], from: LocalDate, to: LocalDate, on db: any Database) async throws -> [PrincipleFacts.Meeting] {
        guard !forumIDs.isEmpty else { return [] }
        let ms = try await Meeting.query(on: db).filter(\.$forumID ~~ forumIDs)
            .filter(\.$date >= from.description).filter(\.$date <= to.description).sort(\.$date).all()
        let ids = ms.compactMap(\.id)
        let items = ids.isEmpty ? [] : try await AgendaItem.query(on: db).filter(\.$meetingID ~~ ids).all()
        return ms.compactMap { m in
            guard let id = m.id else { return nil }
            let mine = items.filter { $0.meetingID == id }
            return PrincipleFacts.Meeting(id: id, day: LocalDate(stored: m.date), status: m.status.rawValue,
                                          publishedOn: m.status == .published ? m.publishedAt.map { LocalDate($0) } : nil,
                                          agendaItems: mine.count, publicAgendaItems: mine.filter(\.isPublic).count)
        }
    }

    /// The feedback rate of questions raised to the bodies in the date range (see `FeedbackRules.rate`).
    static func feedback(bodies: [UUID], from: LocalDate, to: LocalDate, today: LocalDate, on db: any Database) async throws -> (rate: FeedbackRules.Rate, ids: [UUID]) {
        guard !bodies.isEmpty else { return (FeedbackRules.rate([], today: today), []) }
        let qs = try await DialogueQuestion.query(on: db).filter(\.$bodyID ~~ bodies)
            .filter(\.$raisedOn >= from.description).filter(\.$raisedOn <= to.description).all()
        return (FeedbackRules.rate(QuestionService.facts(qs), today: today), qs.compactMap(\.id))
    }

    /// Consultations of the bodies whose deadline falls in the range, with their comments and how many got an outcome.
    static func consultations(bodies: [UUID], from: LocalDate, to: LocalDate, on db: any Database) async throws -> [ConsultationFact] {
        guard !bodies.isEmpty else { return [] }
        let cs = try await Consultation.query(on: db).filter(\.$bodyID ~~ bodies)
            .filter(\.$deadline >= from.description).filter(\.$deadline <= to.description).sort(\.$deadline).all()
        var out: [ConsultationFact] = []
        for c in cs {
            guard let id = c.id else { continue }
            let comments = try await ConsultationComment.query(on: db).filter(\.$consultationID == id).all()
            out.append(ConsultationFact(id: id, bodyID: c.bodyID, title: c.title, status: c.status.rawValue, deadline: c.deadlineDate,
                                        comments: comments.count, commentsHandled: comments.filter { $0.outcome != nil }.count))
        }
        return out
    }

    static func consultation(_ id: UUID, on db: any Database) async throws -> ConsultationFact? {
        guard let c = try await Consultation.find(id, on: db) else { return nil }
        return try await consultations(bodies: [c.bodyID], from: c.deadlineDate, to: c.deadlineDate, on: db).first { $0.id == id }
    }

    /// Meetings of the forums in the range as (id, "forum – date") for pickers in other modules.
    static func meetingChoices(forumIDs: [UUID], from: LocalDate, to: LocalDate, on db: any Database) async throws -> [(id: UUID, label: String)] {
        guard !forumIDs.isEmpty else { return [] }
        let names = try await DialogueQueries.forumNames(forumIDs, on: db)
        return try await Meeting.query(on: db).filter(\.$forumID ~~ forumIDs).filter(\.$date >= from.description).filter(\.$date <= to.description)
            .sort(\.$date).all().compactMap { m in m.id.map { ($0, "\(names[m.forumID] ?? "") – \(m.date)") } }
    }

    /// Whether a Dialogue record of this kind exists (for links from other modules).
    static func exists(kind: String, id: UUID, on db: any Database) async throws -> Bool {
        switch kind {
        case "forum": return try await Forum.find(id, on: db) != nil
        case "meeting": return try await Meeting.find(id, on: db) != nil
        case "consultation": return try await Consultation.find(id, on: db) != nil
        case "event": return try await DialogueEvent.find(id, on: db) != nil
        default: return false
        }
    }

    /// Organisations holding a seat (current at some point in the range) in the forums.
    static func seatOrganisations(forumIDs: [UUID], from: LocalDate, to: LocalDate, on db: any Database) async throws -> Set<UUID> {
        guard !forumIDs.isEmpty else { return [] }
        let seats = try await ForumSeat.query(on: db).filter(\.$forumID ~~ forumIDs).all()
        return Set(seats.filter { s in s.termFromDate <= to && (s.termToDate.map { $0 >= from } ?? true) }.compactMap(\.organisationID))
    }

    /// Sends a draft text out for consultation (remiss) on behalf of `bodyID`: a Dialogue consultation open to all,
    /// with one section per part of the draft, so organisations comment section by section. Returns its id.
    static func openConsultation(bodyID: UUID, title: String, description: String, sections: [(key: String, title: String)], deadline: LocalDate,
                                 invitedOrganisations: [UUID], baseURL: String, in ctx: WriteContext) async throws -> UUID {
        let body = ConsultationBody(bodyId: bodyID.uuidString, unitId: nil, title: title, description: description,
                                    sections: sections.prefix(30).map { ConsultationSection(key: String($0.key.prefix(40)), title: String($0.title.prefix(200))) },
                                    deadline: deadline.description, openToAll: true, invitedOrganisationIds: invitedOrganisations.map(\.uuidString),
                                    invitedForumIds: nil, summary: nil, version: nil)
        let id = try await ConsultationService.save(nil, body, in: ctx).requireID()
        _ = try await ConsultationService.open(id, baseURL: baseURL, in: ctx)
        return id
    }
}
