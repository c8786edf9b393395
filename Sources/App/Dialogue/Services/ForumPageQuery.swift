import Fluent
import Foundation
import SQLKit
import SamverkaRules

/// The rows a forum's page is drawn from, read in one trip to the database (one hand-over to SQLite's thread):
/// the forum, every seat it has had, its meetings from a day on and all its questions. Through Fluent these were
/// four queries, and serialising them and building the models from their rows was the largest part of the page's
/// profile. The forum and the questions are models filled by hand from the columns below; the seats and meetings,
/// which a page has many of, are plain values (a Fluent model allocates one property wrapper per field).
/// `DialogueFlowTests` (questions) checks that they equal what Fluent reads, field by field, on both databases.
struct ForumPageRows: Sendable {
    /// What the page shows of a meeting.
    struct MeetingLine: Sendable, Codable, Equatable {
        var id: UUID
        var title: String
        /// `YYYY-MM-DD`.
        var date: String
        var startTime: String
        var endTime: String
        var status: MeetingStatus
        var day: LocalDate { LocalDate(stored: date) }
    }

    var forum: Forum
    /// Every seat, current, upcoming and ended, in no particular order.
    var seats: [SeatFacts]
    /// Meetings on or after the day asked for, by date.
    var meetings: [MeetingLine]
    /// Every question raised to the forum, in no particular order.
    var questions: [DialogueQuestion]
}

extension DialogueQueries {
    /// The page's rows, or nil when there is no such forum.
    static func forumPage(_ id: UUID, meetingsFrom day: LocalDate, on db: any Database) async throws -> ForumPageRows? {
        enum Row: Sendable { case forum(Forum), seat(SeatFacts), meeting(ForumPageRows.MeetingLine), question(DialogueQuestion) }
        let queries: [SQLQueryString] = [
            """
            SELECT CAST(id AS TEXT) AS id, CAST(body_id AS TEXT) AS body_id, CAST(unit_id AS TEXT) AS unit_id, name, kind, purpose, mandate, themes,
                   participation_level, is_public, composition, cadence, feedback_days, feedback_by_next_meeting,
                   CAST(secretary_role_id AS TEXT) AS secretary_role_id, location, is_demo, version, created_at, updated_at
            FROM forums WHERE id = \(bind: id)
            """,
            """
            SELECT CAST(id AS TEXT) AS id, category, "position", CAST(organisation_id AS TEXT) AS organisation_id,
                   CAST(contact_role_id AS TEXT) AS contact_role_id, holder_name, holder_email, CAST(user_id AS TEXT) AS user_id, is_substitute,
                   CAST(substitute_for_id AS TEXT) AS substitute_for_id, note, term_from, term_to, CAST(previous_id AS TEXT) AS previous_id,
                   version, created_at
            FROM forum_seats WHERE forum_id = \(bind: id)
            """,
            """
            SELECT CAST(id AS TEXT) AS id, title, "date", start_time, end_time, status
            FROM meetings WHERE forum_id = \(bind: id) AND "date" >= \(bind: day.description) ORDER BY "date"
            """,
            """
            SELECT CAST(id AS TEXT) AS id, CAST(body_id AS TEXT) AS body_id, CAST(unit_id AS TEXT) AS unit_id, CAST(organisation_id AS TEXT) AS organisation_id,
                   CAST(asked_by AS TEXT) AS asked_by, asker_name, is_proposal, title, "text", is_public, CAST(owner_role_id AS TEXT) AS owner_role_id,
                   status, raised_on, deadline, answer, answered_on, CAST(answered_by AS TEXT) AS answered_by, forwarded_to, reminded_at,
                   version, created_at, updated_at
            FROM questions WHERE forum_id = \(bind: id)
            """,
        ]
        let rows = try await RowReader.rows(on: db, queries, prepared: true) { index, r -> Row in
            switch index {
            case 0: return .forum(try forum(r))
            case 1: return .seat(try seat(r, forumID: id))
            case 2: return .meeting(try meeting(r))
            default: return .question(try question(r, forumID: id))
            }
        }
        var page: ForumPageRows?
        var seats: [SeatFacts] = [], meetings: [ForumPageRows.MeetingLine] = [], questions: [DialogueQuestion] = []
        for row in rows {
            switch row {
            case .forum(let f): page = ForumPageRows(forum: f, seats: [], meetings: [], questions: [])
            case .seat(let s): seats.append(s)
            case .meeting(let m): meetings.append(m)
            case .question(let q): questions.append(q)
            }
        }
        page?.seats = seats
        page?.meetings = meetings
        page?.questions = questions
        return page
    }

    /// A model read by hand is marked as read from the database (`$id.exists`), as Fluent marks the ones it reads.
    private static func forum(_ r: any ColumnValues) throws -> Forum {
        let f = Forum()
        f.id = try r.uuid("id")
        f.bodyID = try r.uuid("body_id")
        f.unitID = r.optionalUUID("unit_id")
        f.name = try r.required("name")
        f.kind = try r.required("kind", as: ForumKind.self)
        f.purpose = try r.required("purpose")
        f.mandate = try r.required("mandate")
        f.themes = try r.required("themes")
        f.participationLevel = try r.required("participation_level", as: ParticipationLevel.self)
        f.isPublic = try r.requiredBool("is_public")
        f.composition = try r.required("composition")
        f.cadence = r.string("cadence")
        f.feedbackDays = try r.requiredInt("feedback_days")
        f.feedbackByNextMeeting = try r.requiredBool("feedback_by_next_meeting")
        f.secretaryRoleID = r.optionalUUID("secretary_role_id")
        f.location = try r.required("location")
        f.isDemo = try r.requiredBool("is_demo")
        f.version = try r.requiredInt("version")
        f.createdAt = r.date("created_at")
        f.updatedAt = r.date("updated_at")
        f.$id.exists = true
        return f
    }

    private static func seat(_ r: any ColumnValues, forumID: UUID) throws -> SeatFacts {
        SeatFacts(id: try r.uuid("id"), forumID: forumID, category: try r.required("category", as: SeatCategory.self),
                  position: try r.required("position", as: SeatPosition.self), organisationID: r.optionalUUID("organisation_id"),
                  contactRoleID: r.optionalUUID("contact_role_id"), holderName: try r.required("holder_name"), holderEmail: try r.required("holder_email"),
                  userID: r.optionalUUID("user_id"), isSubstitute: try r.requiredBool("is_substitute"), substituteForID: r.optionalUUID("substitute_for_id"),
                  note: try r.required("note"), termFrom: try r.required("term_from"), termTo: r.string("term_to"), previousID: r.optionalUUID("previous_id"),
                  version: try r.requiredInt("version"), createdAt: r.date("created_at"))
    }

    private static func meeting(_ r: any ColumnValues) throws -> ForumPageRows.MeetingLine {
        ForumPageRows.MeetingLine(id: try r.uuid("id"), title: try r.required("title"), date: try r.required("date"), startTime: try r.required("start_time"),
                                  endTime: try r.required("end_time"), status: try r.required("status", as: MeetingStatus.self))
    }

    private static func question(_ r: any ColumnValues, forumID: UUID) throws -> DialogueQuestion {
        let q = DialogueQuestion()
        q.id = try r.uuid("id")
        q.bodyID = try r.uuid("body_id")
        q.forumID = forumID
        q.unitID = r.optionalUUID("unit_id")
        q.organisationID = r.optionalUUID("organisation_id")
        q.askedBy = r.optionalUUID("asked_by")
        q.askerName = try r.required("asker_name")
        q.isProposal = try r.requiredBool("is_proposal")
        q.title = try r.required("title")
        q.text = try r.required("text")
        q.isPublic = try r.requiredBool("is_public")
        q.ownerRoleID = r.optionalUUID("owner_role_id")
        q.status = try r.required("status", as: QuestionStatus.self)
        q.raisedOn = try r.required("raised_on")
        q.deadline = try r.required("deadline")
        q.answer = try r.required("answer")
        q.answeredOn = r.string("answered_on")
        q.answeredBy = r.optionalUUID("answered_by")
        q.forwardedTo = try r.required("forwarded_to")
        q.remindedAt = r.date("reminded_at")
        q.version = try r.requiredInt("version")
        q.createdAt = r.date("created_at")
        q.updatedAt = r.date("updated_at")
        q.$id.exists = true
        return q
    }
}
