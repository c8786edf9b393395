import Fluent
import Vapor
import SamverkaRules

/// Calendars: a forum's meetings, and everything a user takes part in, as pages and as iCalendar feeds.
enum CalendarService {
    struct Entry: Sendable {
        var uid: String
        var date: LocalDate
        var startTime: String
        var endTime: String
        var title: String
        var kind: String
        var href: String
        var location: String
        var status: String
        var cancelled: Bool
        var tentative: Bool = false
        var updatedAt: Date?
    }

    static func meetingEntry(_ m: Meeting, forumName: String) -> Entry {
        Entry(uid: "meeting-\(m.id!.uuidString)@samverka", date: m.day, startTime: m.startTime, endTime: m.endTime,
              title: m.title.contains(forumName) ? m.title : "\(forumName): \(m.title)", kind: "meeting", href: "/meetings/\(m.id!)",
              location: m.location, status: m.status.rawValue, cancelled: m.status == .cancelled, tentative: m.status == .planned, updatedAt: m.updatedAt)
    }

    static func eventEntry(_ e: DialogueEvent) -> Entry {
        Entry(uid: "event-\(e.id!.uuidString)@samverka", date: e.dateDate, startTime: e.startTime, endTime: e.endTime, title: e.title,
              kind: "event", href: "/events/\(e.id!)", location: e.location, status: e.status.rawValue, cancelled: e.status == .cancelled, updatedAt: e.updatedAt)
    }

    static func forumEntries(_ f: Forum, on db: any Database) async throws -> [Entry] {
        try await Meeting.query(on: db).filter(\.$forumID == f.id!).sort(\.$date).all().map { meetingEntry($0, forumName: f.name) }
    }

    /// The meetings of the forums where the user holds a seat (or runs them), and the events the user is registered for.
    static func userEntries(_ userID: UUID, principal: Principal?, on db: any Database) async throws -> [Entry] {
        var forumIDs = Set(try await ForumService.seatsHeld(by: userID, on: db).map(\.forumID))
        // The forums one runs, except for admins (who run all of them and would get every meeting).
        if let p = principal, !p.isAdmin { forumIDs.formUnion(try await ForumService.managed(by: p, on: db).map { $0.id! }) }
        var out: [Entry] = []
        if !forumIDs.isEmpty {
            let forums = try await Forum.query(on: db).filter(\.$id ~~ Array(forumIDs)).all()
            let names = Dictionary(uniqueKeysWithValues: forums.map { ($0.id!, $0.name) })
            out += try await Meeting.query(on: db).filter(\.$forumID ~~ Array(forumIDs)).all().map { meetingEntry($0, forumName: names[$0.forumID] ?? "") }
        }
        let regs = try await EventRegistration.query(on: db).filter(\.$userID == userID).filter(\.$status != .cancelled).all()
        if !regs.isEmpty {
            out += try await DialogueEvent.query(on: db).filter(\.$id ~~ regs.map(\.eventID)).all().map(eventEntry)
        }
        return out.sorted { ($0.date, $0.startTime) < ($1.date, $1.startTime) }
    }

    static func ics(name: String, _ entries: [Entry], baseURL: String) -> String {
        ICalendar.document(name: name, events: entries.compactMap { e in
            guard let st = TimeOfDay(e.startTime), let et = TimeOfDay(e.endTime) else { return nil }
            return ICalendar.Event(uid: e.uid, start: ICalendar.instant(e.date, st), end: ICalendar.instant(e.date, et), summary: e.title,
                                   location: e.location, url: baseURL + e.href, cancelled: e.cancelled, tentative: e.tentative,
                                   lastModified: e.updatedAt)
        })
    }

    static func response(_ text: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    // MARK: Secret per-user feed

    /// Creates (or replaces) the user's secret feed address; the token is shown once and stored hashed.
    static func rotateFeed(in ctx: WriteContext) async throws -> String {
        guard let uid = ctx.actor.userID else { throw AppError.unauthenticated() }
        let token = TokenCodec.generate(prefix: "cal_")
        try await CalendarFeed.query(on: ctx.db).filter(\.$userID == uid).delete()
        let f = CalendarFeed()
        f.id = UUID()
        f.userID = uid
        f.tokenHash = TokenCodec.hash(token)
        try await f.create(on: ctx.db)
        ctx.auditSummary("rotateCalendarFeed", "user", uid.uuidString, [])
        return token
    }

    static func hasFeed(_ userID: UUID, on db: any Database) async throws -> Bool {
        try await CalendarFeed.query(on: db).filter(\.$userID == userID).count() > 0
    }

    static func feedOwner(token: String, on db: any Database) async throws -> UUID? {
        try await CalendarFeed.query(on: db).filter(\.$tokenHash == TokenCodec.hash(token)).first()?.userID
    }
}
