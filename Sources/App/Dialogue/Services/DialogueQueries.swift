import Fluent
import Vapor
import SamverkaRules

/// Reading Dialogue records for pages and the API: lookups by id (404 when missing), lists with filters and paging,
/// and what each principal may see. Controllers call these and render; they build no queries themselves.
enum DialogueQueries {
    // MARK: Forums and seats

    static func forums(bodyID: UUID?, kind: ForumKind?, page: PageRequest, on db: any Database) async throws -> (items: [Forum], total: Int) {
        var q = Forum.query(on: db)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        if let kind { q = q.filter(\.$kind == kind) }
        let total = try await q.count()
        return (try await q.sort(\.$name).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    static func allForums(on db: any Database) async throws -> [Forum] {
        try await Forum.query(on: db).sort(\.$name).all()
    }

    /// Forums' names by id, in one query (ids named twice are read once).
    static func forumNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        return try await Forum.query(on: db).filter(\.$id ~~ unique).all().keyed { f in f.id.map { ($0, f.name) } }
    }

    static func forums(ofBodies bodies: [UUID], on db: any Database) async throws -> [Forum] {
        guard !bodies.isEmpty else { return [] }
        return try await Forum.query(on: db).filter(\.$bodyID ~~ bodies).sort(\.$name).all()
    }

    /// Every seat of a forum, past, present and coming.
    static func seats(forumID: UUID, on db: any Database) async throws -> [ForumSeat] {
        try await ForumSeat.query(on: db).filter(\.$forumID == forumID).all()
    }

    static func seat(_ id: UUID, on db: any Database) async throws -> ForumSeat { try await ForumSeat.require(id, on: db) }

    // MARK: Meetings

    /// A forum's meetings from a day on, by date.
    static func meetings(forumID: UUID, from day: LocalDate, on db: any Database) async throws -> [Meeting] {
        try await Meeting.query(on: db).filter(\.$forumID == forumID).filter(\.$date >= day.description).sort(\.$date).all()
    }

    /// One page of the meetings of the forums a principal may see inside, by date and time.
    static func meetings(visibleTo p: Principal, forumID: UUID?, from: LocalDate?, to: LocalDate?, status: MeetingStatus?,
                         page: PageRequest, on db: any Database) async throws -> (items: [(Meeting, Forum)], total: Int) {
        var forums = try await Forum.query(on: db).all()
        if let forumID { forums = forums.filter { $0.id == forumID } }
        var visible: [UUID: Forum] = [:]
        for f in forums where try await ForumService.mayReadInside(f, p, on: db) { if let id = f.id { visible[id] = f } }
        var q = Meeting.query(on: db).filter(\.$forumID ~~ Array(visible.keys))
        if let from { q = q.filter(\.$date >= from.description) }
        if let to { q = q.filter(\.$date <= to.description) }
        if let status { q = q.filter(\.$status == status) }
        let total = try await q.count()
        let meetings = try await q.sort(\.$date).sort(\.$startTime).range(page.offset..<(page.offset + page.per)).all()
        return (meetings.compactMap { m in visible[m.forumID].map { (m, $0) } }, total)
    }

    static func agendaItem(_ id: UUID, on db: any Database) async throws -> AgendaItem { try await AgendaItem.require(id, on: db) }

    static func agendaCount(meetingID: UUID, on db: any Database) async throws -> Int {
        try await AgendaItem.query(on: db).filter(\.$meetingID == meetingID).count()
    }

    static func action(_ id: UUID, on db: any Database) async throws -> MeetingAction { try await MeetingAction.require(id, on: db) }

    static func document(_ id: UUID, on db: any Database) async throws -> MeetingDocument { try await MeetingDocument.require(id, on: db) }

    static func attendance(meetingID: UUID, seatID: UUID, on db: any Database) async throws -> MeetingAttendance? {
        try await MeetingAttendance.query(on: db).filter(\.$meetingID == meetingID).filter(\.$seatID == seatID).first()
    }

    /// One page of the actions of the meetings of the forums a principal runs, by due date.
    static func actions(managedBy p: Principal, status: ActionStatus?, page: PageRequest, on db: any Database) async throws -> (items: [MeetingAction], total: Int) {
        let forums = try await ForumService.managed(by: p, on: db).compactMap(\.id)
        let meetings = forums.isEmpty ? [] : try await Meeting.query(on: db).filter(\.$forumID ~~ forums).all().compactMap(\.id)
        var q = MeetingAction.query(on: db).filter(\.$meetingID ~~ meetings)
        if let status { q = q.filter(\.$status == status) }
        let total = try await q.count()
        return (try await q.sort(\.$dueOn).sort(\.$createdAt).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    // MARK: Questions

    struct QuestionFilter: Sendable {
        var bodyID: UUID?
        var forumID: UUID?
        var status: QuestionStatus?
        /// Only questions still owed an answer after their deadline, as of this day.
        var overdueOn: LocalDate?
        var askedBy: UUID?
        /// Only open questions owned by one of these contact roles.
        var owedByRoles: [UUID]?
    }

    /// A page of the questions a principal may list, newest first, and how many there are.
    static func questions(visibleTo p: Principal, _ f: QuestionFilter = .init(), page: PageRequest,
                          on db: any Database) async throws -> (items: [DialogueQuestion], total: Int) {
        let q = try await visibleQuery(p, f, on: db)
        let total = try await q.copy().count()
        return (try await newestFirst(q).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// The newest `limit` questions a principal may list (no total: the pages that show a first slice
    /// never showed one, and counting was one query more on every forum page).
    static func newestQuestions(visibleTo p: Principal, _ f: QuestionFilter = .init(), limit: Int, on db: any Database) async throws -> [DialogueQuestion] {
        try await newestFirst(try await visibleQuery(p, f, on: db)).limit(limit).all()
    }

    private static func visibleQuery(_ p: Principal, _ f: QuestionFilter, on db: any Database) async throws -> QueryBuilder<DialogueQuestion> {
        var q = try await QuestionService.visible(p, on: db)
        if let b = f.bodyID { q = q.filter(\.$bodyID == b) }
        if let id = f.forumID { q = q.filter(\.$forumID == id) }
        if let s = f.status { q = q.filter(\.$status == s) }
        if let day = f.overdueOn { q = q.filter(\.$status ~~ [.received, .inProgress]).filter(\.$deadline < day.description) }
        if let uid = f.askedBy { q = q.filter(\.$askedBy == uid) }
        if let roles = f.owedByRoles { q = q.filter(\.$ownerRoleID ~~ roles).filter(\.$status ~~ [.received, .inProgress]) }
        return q
    }

    private static func newestFirst(_ q: QueryBuilder<DialogueQuestion>) -> QueryBuilder<DialogueQuestion> {
        q.sort(\.$raisedOn, .descending).sort(\.$createdAt, .descending)
    }

    static func question(_ id: UUID, on db: any Database) async throws -> DialogueQuestion { try await DialogueQuestion.require(id, on: db) }

    static func findQuestion(_ id: UUID, on db: any Database) async throws -> DialogueQuestion? { try await DialogueQuestion.find(id, on: db) }

    /// Every question raised in a forum (for its feedback rate).
    static func questions(forumID: UUID, on db: any Database) async throws -> [DialogueQuestion] {
        try await DialogueQuestion.query(on: db).filter(\.$forumID == forumID).all()
    }

    /// Questions a person raised, newest first.
    static func questions(raisedBy uid: UUID, on db: any Database) async throws -> [DialogueQuestion] {
        try await DialogueQuestion.query(on: db).filter(\.$askedBy == uid).sort(\.$raisedOn, .descending).all()
    }

    /// Open questions owned by these contact roles, by deadline.
    static func questions(owedByRoles roles: [UUID], on db: any Database) async throws -> [DialogueQuestion] {
        guard !roles.isEmpty else { return [] }
        return try await DialogueQuestion.query(on: db).filter(\.$ownerRoleID ~~ roles).filter(\.$status ~~ [.received, .inProgress]).sort(\.$deadline).all()
    }

    /// Open questions to these bodies past their deadline, by deadline.
    static func overdueQuestions(bodies: [UUID], on day: LocalDate, db: any Database) async throws -> [DialogueQuestion] {
        guard !bodies.isEmpty else { return [] }
        return try await DialogueQuestion.query(on: db).filter(\.$bodyID ~~ bodies).filter(\.$status ~~ [.received, .inProgress])
            .filter(\.$deadline < day.description).sort(\.$deadline).all()
    }

    /// Which of these bodies have received any question.
    static func bodiesWithQuestions(_ bodies: [UUID], on db: any Database) async throws -> [UUID] {
        guard !bodies.isEmpty else { return [] }
        let asked = Set(try await DialogueQuestion.query(on: db).filter(\.$bodyID ~~ bodies).all().map(\.bodyID))
        return bodies.filter { asked.contains($0) }
    }

    // MARK: Consultations

    /// Consultations a principal may read, latest deadline first.
    static func consultations(visibleTo p: Principal, bodyID: UUID? = nil, status: ConsultationStatus? = nil, on db: any Database) async throws -> [Consultation] {
        var q = Consultation.query(on: db)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        if let status { q = q.filter(\.$status == status) }
        var out: [Consultation] = []
        for c in try await q.sort(\.$deadline, .descending).all() where try await ConsultationService.mayRead(c, p, on: db) { out.append(c) }
        return out
    }

    static func consultation(_ id: UUID, on db: any Database) async throws -> Consultation { try await Consultation.require(id, on: db) }

    static func response(_ id: UUID, on db: any Database) async throws -> ConsultationResponse { try await ConsultationResponse.require(id, on: db) }

    static func comment(_ id: UUID, on db: any Database) async throws -> ConsultationComment { try await ConsultationComment.require(id, on: db) }

    /// The responses to a consultation that a principal may read, oldest first.
    static func responses(to c: Consultation, readableBy p: Principal, on db: any Database) async throws -> [ConsultationResponse] {
        guard let id = c.id else { return [] }
        var out: [ConsultationResponse] = []
        for r in try await ConsultationResponse.query(on: db).filter(\.$consultationID == id).sort(\.$createdAt).all()
        where try await ConsultationService.mayReadResponse(r, c, p, on: db) { out.append(r) }
        return out
    }

    /// An organisation's response to a consultation, if it has given one.
    static func response(consultationID: UUID, organisationID: UUID, on db: any Database) async throws -> ConsultationResponse? {
        try await ConsultationResponse.query(on: db).filter(\.$consultationID == consultationID).filter(\.$organisationID == organisationID).first()
    }

    static func comments(responseID: UUID, on db: any Database) async throws -> [ConsultationComment] {
        try await ConsultationComment.query(on: db).filter(\.$responseID == responseID).all()
    }

    // MARK: Events

    /// Events by date, optionally of one body and/or from a day on; `page` nil for all.
    static func events(bodyID: UUID? = nil, from day: LocalDate? = nil, page: PageRequest? = nil, on db: any Database) async throws -> (items: [DialogueEvent], total: Int) {
        var q = DialogueEvent.query(on: db)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        if let day { q = q.filter(\.$date >= day.description) }
        let total = try await q.count()
        q = q.sort(\.$date)
        if let page { q = q.range(page.offset..<(page.offset + page.per)) }
        return (try await q.all(), total)
    }

    /// An event's registrations, oldest first; cancelled ones only when asked for.
    static func registrations(eventID: UUID, includingCancelled: Bool, on db: any Database) async throws -> [EventRegistration] {
        var q = EventRegistration.query(on: db).filter(\.$eventID == eventID)
        if !includingCancelled { q = q.filter(\.$status != .cancelled) }
        return try await q.sort(\.$createdAt).all()
    }

    /// A person's live (not cancelled) registration for an event.
    static func registration(eventID: UUID, userID: UUID, on db: any Database) async throws -> EventRegistration? {
        try await EventRegistration.query(on: db).filter(\.$eventID == eventID).filter(\.$userID == userID).filter(\.$status != .cancelled).first()
    }

    static func registration(_ id: UUID, on db: any Database) async throws -> EventRegistration { try await EventRegistration.require(id, on: db) }
}
