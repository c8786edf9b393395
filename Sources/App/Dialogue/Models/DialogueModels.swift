import Fluent
import Foundation
import SQLKit

/// A standing forum between a public body and civil society: a council, partsorgan, steering group …
final class Forum: Model, @unchecked Sendable {
    static let schema = "forums"
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: ForumKind
    @Field(key: "purpose") var purpose: String
    @Field(key: "mandate") var mandate: String
    /// Theme keys, `|`-separated.
    @Field(key: "themes") var themes: String
    @Field(key: "participation_level") var participationLevel: ParticipationLevel
    @Field(key: "is_public") var isPublic: Bool
    /// `[CompositionRule]` as JSON.
    @Field(key: "composition") var composition: String
    /// `Cadence` as JSON.
    @OptionalField(key: "cadence") var cadence: String?
    @Field(key: "feedback_days") var feedbackDays: Int
    @Field(key: "feedback_by_next_meeting") var feedbackByNextMeeting: Bool
    @OptionalField(key: "secretary_role_id") var secretaryRoleID: UUID?
    @Field(key: "location") var location: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var themeList: [String] { themes.split(separator: "|").map(String.init) }
    var compositionRules: [CompositionRule] { (try? JSONDecoder().decode([CompositionRule].self, from: Data(composition.utf8))) ?? [] }
    var cadencePlan: Cadence? { cadence.flatMap { try? JSONDecoder().decode(Cadence.self, from: Data($0.utf8)) } }
}

/// One person's (or one Directory role's) hold on a seat for a term. Replacing the holder ends the row and
/// starts a new one pointing back to it, so the history of who held a seat when is kept.
final class ForumSeat: Model, @unchecked Sendable {
    static let schema = "forum_seats"
    @ID(key: .id) var id: UUID?
    @Field(key: "forum_id") var forumID: UUID
    @Field(key: "category") var category: SeatCategory
    @Field(key: "position") var position: SeatPosition
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    /// Held through a Directory contact role: the role's current holder sits; a handover changes nothing here.
    @OptionalField(key: "contact_role_id") var contactRoleID: UUID?
    @Field(key: "holder_name") var holderName: String
    @Field(key: "holder_email") var holderEmail: String
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "is_substitute") var isSubstitute: Bool
    @OptionalField(key: "substitute_for_id") var substituteForID: UUID?
    /// What the seat stands for, e.g. "Kultur- och bildningsnämnden".
    @Field(key: "note") var note: String
    @Field(key: "term_from") var termFrom: String
    @OptionalField(key: "term_to") var termTo: String?
    @OptionalField(key: "previous_id") var previousID: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    func isCurrent(on day: LocalDate) -> Bool {
        guard let from = LocalDate(termFrom), from <= day else { return false }
        return termTo.flatMap(LocalDate.init).map { day <= $0 } ?? true
    }
}

final class Meeting: Model, @unchecked Sendable {
    static let schema = "meetings"
    @ID(key: .id) var id: UUID?
    @Field(key: "forum_id") var forumID: UUID
    @Field(key: "title") var title: String
    @Field(key: "date") var date: String
    @Field(key: "start_time") var startTime: String
    @Field(key: "end_time") var endTime: String
    @Field(key: "location") var location: String
    @Field(key: "status") var status: MeetingStatus
    @Field(key: "is_extra") var isExtra: Bool
    /// The adjuster (justerare) of the minutes: a seat of the forum.
    @OptionalField(key: "adjuster_seat_id") var adjusterSeatID: UUID?
    @OptionalField(key: "chair_approved_by") var chairApprovedBy: UUID?
    @OptionalField(key: "chair_approved_at") var chairApprovedAt: Date?
    @OptionalField(key: "adjuster_approved_by") var adjusterApprovedBy: UUID?
    @OptionalField(key: "adjuster_approved_at") var adjusterApprovedAt: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "invitations_sent_at") var invitationsSentAt: Date?
    @Field(key: "minutes_intro") var minutesIntro: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var day: LocalDate { LocalDate(date) ?? LocalDate(year: 2000, month: 1, day: 1)! }
}

final class AgendaItem: Model, @unchecked Sendable {
    static let schema = "agenda_items"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    /// Who raises the item: "Region Värmland", an organisation's name …
    @Field(key: "raised_by") var raisedBy: String
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "question_id") var questionID: UUID?
    @Field(key: "minutes") var minutes: String
    @Field(key: "decision") var decision: String
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "secrecy_reason") var secrecyReason: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A meeting document. Public unless marked non-public with a reason (offentlighetsprincipen / OSL).
final class MeetingDocument: Model, @unchecked Sendable {
    static let schema = "meeting_documents"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @OptionalField(key: "agenda_item_id") var agendaItemID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "secrecy_reason") var secrecyReason: String
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// Invitation, RSVP and attendance of one seat at one meeting.
final class MeetingAttendance: Model, @unchecked Sendable {
    static let schema = "meeting_attendance"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "seat_id") var seatID: UUID
    @Field(key: "rsvp") var rsvp: RSVP
    /// A substitute called in for this seat.
    @OptionalField(key: "substitute_seat_id") var substituteSeatID: UUID?
    @OptionalField(key: "present") var present: Bool?
    @OptionalField(key: "responded_at") var respondedAt: Date?
    @Field(key: "version") var version: Int
    init() {}
}

enum ActionStatus: String, Codable, Sendable, CaseIterable { case open, done }

/// A decision or action from the minutes, tracked with an owner role and a due date.
final class MeetingAction: Model, @unchecked Sendable {
    static let schema = "meeting_actions"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @OptionalField(key: "agenda_item_id") var agendaItemID: UUID?
    @Field(key: "text") var text: String
    @OptionalField(key: "owner_role_id") var ownerRoleID: UUID?
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "status") var status: ActionStatus
    @OptionalField(key: "done_on") var doneOn: String?
    @Field(key: "note") var note: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A question or proposal raised to a forum or a unit, and the feedback (återkoppling) owed on it.
final class DialogueQuestion: Model, @unchecked Sendable {
    static let schema = "questions"
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "forum_id") var forumID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "asked_by") var askedBy: UUID?
    @Field(key: "asker_name") var askerName: String
    @Field(key: "is_proposal") var isProposal: Bool
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Field(key: "is_public") var isPublic: Bool
    @OptionalField(key: "owner_role_id") var ownerRoleID: UUID?
    @Field(key: "status") var status: QuestionStatus
    @Field(key: "raised_on") var raisedOn: String
    @Field(key: "deadline") var deadline: String
    @Field(key: "answer") var answer: String
    @OptionalField(key: "answered_on") var answeredOn: String?
    @OptionalField(key: "answered_by") var answeredBy: UUID?
    @Field(key: "forwarded_to") var forwardedTo: String
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A draft policy document out for consultation (remiss).
final class Consultation: Model, @unchecked Sendable {
    static let schema = "consultations"
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    /// `[ConsultationSection]` as JSON: the parts respondents comment on.
    @Field(key: "sections") var sections: String
    @OptionalField(key: "draft_filename") var draftFilename: String?
    @OptionalField(key: "draft_content_type") var draftContentType: String?
    @OptionalField(key: "draft_data") var draftData: Data?
    @Field(key: "deadline") var deadline: String
    @Field(key: "open_to_all") var openToAll: Bool
    @Field(key: "status") var status: ConsultationStatus
    @Field(key: "summary") var summary: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var sectionList: [ConsultationSection] { (try? JSONDecoder().decode([ConsultationSection].self, from: Data(sections.utf8))) ?? [] }
}

struct ConsultationSection: Codable, Sendable, Equatable {
    var key: String
    var title: String
}

/// A remissinstans: an organisation or a whole forum (its organisations) asked to respond.
final class ConsultationInvitee: Model, @unchecked Sendable {
    static let schema = "consultation_invitees"
    @ID(key: .id) var id: UUID?
    @Field(key: "consultation_id") var consultationID: UUID
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "forum_id") var forumID: UUID?
    init() {}
}

final class ConsultationResponse: Model, @unchecked Sendable {
    static let schema = "consultation_responses"
    @ID(key: .id) var id: UUID?
    @Field(key: "consultation_id") var consultationID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @Field(key: "general_comment") var generalComment: String
    @OptionalField(key: "document_filename") var documentFilename: String?
    @OptionalField(key: "document_content_type") var documentContentType: String?
    @OptionalField(key: "document_data") var documentData: Data?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A comment on one section; the body records what it did with it (the remissammanställning).
final class ConsultationComment: Model, @unchecked Sendable {
    static let schema = "consultation_comments"
    @ID(key: .id) var id: UUID?
    @Field(key: "response_id") var responseID: UUID
    @Field(key: "consultation_id") var consultationID: UUID
    @Field(key: "section_key") var sectionKey: String
    @Field(key: "comment") var comment: String
    @OptionalField(key: "outcome") var outcome: CommentOutcome?
    @Field(key: "outcome_text") var outcomeText: String
    init() {}
}

enum EventStatus: String, Codable, Sendable, CaseIterable { case planned, cancelled }

/// An event such as a stormöte, with registration.
final class DialogueEvent: Model, @unchecked Sendable {
    static let schema = "dialogue_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "forum_id") var forumID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "date") var date: String
    @Field(key: "start_time") var startTime: String
    @Field(key: "end_time") var endTime: String
    @Field(key: "location") var location: String
    @OptionalField(key: "capacity") var capacity: Int?
    @OptionalField(key: "registration_closes_on") var registrationClosesOn: String?
    @Field(key: "survey_url") var surveyURL: String
    @Field(key: "status") var status: EventStatus
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

final class EventRegistration: Model, @unchecked Sendable {
    static let schema = "event_registrations"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "user_id") var userID: UUID
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    /// Dietary or accessibility needs, free text, stored only with consent.
    @Field(key: "needs") var needs: String
    @Field(key: "status") var status: RegistrationStatus
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    init() {}
}

/// A user's secret calendar feed address (the token is stored hashed).
final class CalendarFeed: Model, @unchecked Sendable {
    static let schema = "calendar_feeds"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

struct CreateDialogue: AsyncMigration {
    var name: String { "DL001_CreateDialogue" }

    func prepare(on db: any Database) async throws {
        try await db.schema("forums").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("unit_id", .uuid, .references("units", "id", onDelete: .setNull))
            .field("name", .string, .required).field("kind", .string, .required).field("purpose", .string, .required)
            .field("mandate", .string, .required).field("themes", .string, .required).field("participation_level", .string, .required)
            .field("is_public", .bool, .required).field("composition", .string, .required).field("cadence", .string)
            .field("feedback_days", .int, .required).field("feedback_by_next_meeting", .bool, .required)
            .field("secretary_role_id", .uuid, .references("contact_roles", "id", onDelete: .setNull))
            .field("location", .string, .required).field("is_demo", .bool, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("forum_seats").id()
            .field("forum_id", .uuid, .required, .references("forums", "id", onDelete: .cascade))
            .field("category", .string, .required).field("position", .string, .required)
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .setNull))
            .field("contact_role_id", .uuid, .references("contact_roles", "id", onDelete: .setNull))
            .field("holder_name", .string, .required).field("holder_email", .string, .required)
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("is_substitute", .bool, .required).field("substitute_for_id", .uuid, .references("forum_seats", "id", onDelete: .setNull))
            .field("note", .string, .required).field("term_from", .string, .required).field("term_to", .string)
            .field("previous_id", .uuid, .references("forum_seats", "id", onDelete: .setNull))
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema("meetings").id()
            .field("forum_id", .uuid, .required, .references("forums", "id", onDelete: .cascade))
            .field("title", .string, .required).field("date", .string, .required).field("start_time", .string, .required)
            .field("end_time", .string, .required).field("location", .string, .required).field("status", .string, .required)
            .field("is_extra", .bool, .required).field("adjuster_seat_id", .uuid, .references("forum_seats", "id", onDelete: .setNull))
            .field("chair_approved_by", .uuid).field("chair_approved_at", .datetime)
            .field("adjuster_approved_by", .uuid).field("adjuster_approved_at", .datetime)
            .field("published_at", .datetime).field("invitations_sent_at", .datetime).field("minutes_intro", .string, .required)
            .field("version", .int, .required).field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("agenda_items").id()
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("position", .int, .required).field("title", .string, .required).field("description", .string, .required)
            .field("raised_by", .string, .required).field("organisation_id", .uuid, .references("organisations", "id", onDelete: .setNull))
            .field("question_id", .uuid).field("minutes", .string, .required).field("decision", .string, .required)
            .field("is_public", .bool, .required).field("secrecy_reason", .string, .required)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema("meeting_documents").id()
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("agenda_item_id", .uuid, .references("agenda_items", "id", onDelete: .setNull))
            .field("title", .string, .required).field("filename", .string, .required).field("content_type", .string, .required)
            .field("size", .int, .required).field("data", .data, .required).field("is_public", .bool, .required)
            .field("secrecy_reason", .string, .required).field("uploaded_by", .uuid).field("created_at", .datetime).create()
        try await db.schema("meeting_attendance").id()
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("seat_id", .uuid, .required, .references("forum_seats", "id", onDelete: .cascade))
            .field("rsvp", .string, .required).field("substitute_seat_id", .uuid, .references("forum_seats", "id", onDelete: .setNull))
            .field("present", .bool).field("responded_at", .datetime).field("version", .int, .required)
            .unique(on: "meeting_id", "seat_id").create()
        try await db.schema("meeting_actions").id()
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("agenda_item_id", .uuid, .references("agenda_items", "id", onDelete: .setNull))
            .field("text", .string, .required).field("owner_role_id", .uuid, .references("contact_roles", "id", onDelete: .setNull))
            .field("due_on", .string).field("status", .string, .required).field("done_on", .string).field("note", .string, .required)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema("questions").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("forum_id", .uuid, .references("forums", "id", onDelete: .setNull))
            .field("unit_id", .uuid, .references("units", "id", onDelete: .setNull))
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .setNull))
            .field("asked_by", .uuid, .references("users", "id", onDelete: .setNull)).field("asker_name", .string, .required)
            .field("is_proposal", .bool, .required).field("title", .string, .required).field("text", .string, .required)
            .field("is_public", .bool, .required).field("owner_role_id", .uuid, .references("contact_roles", "id", onDelete: .setNull))
            .field("status", .string, .required).field("raised_on", .string, .required).field("deadline", .string, .required)
            .field("answer", .string, .required).field("answered_on", .string).field("answered_by", .uuid)
            .field("forwarded_to", .string, .required).field("reminded_at", .datetime)
            .field("version", .int, .required).field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("consultations").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("unit_id", .uuid, .references("units", "id", onDelete: .setNull))
            .field("title", .string, .required).field("description", .string, .required).field("sections", .string, .required)
            .field("draft_filename", .string).field("draft_content_type", .string).field("draft_data", .data)
            .field("deadline", .string, .required).field("open_to_all", .bool, .required).field("status", .string, .required)
            .field("summary", .string, .required).field("is_demo", .bool, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("consultation_invitees").id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .cascade))
            .field("forum_id", .uuid, .references("forums", "id", onDelete: .cascade)).create()
        try await db.schema("consultation_responses").id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("submitted_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("general_comment", .string, .required).field("document_filename", .string).field("document_content_type", .string)
            .field("document_data", .data).field("version", .int, .required).field("created_at", .datetime).field("updated_at", .datetime)
            .unique(on: "consultation_id", "organisation_id").create()
        try await db.schema("consultation_comments").id()
            .field("response_id", .uuid, .required, .references("consultation_responses", "id", onDelete: .cascade))
            .field("consultation_id", .uuid, .required, .references("consultations", "id", onDelete: .cascade))
            .field("section_key", .string, .required).field("comment", .string, .required).field("outcome", .string)
            .field("outcome_text", .string, .required).create()
        try await db.schema("dialogue_events").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("forum_id", .uuid, .references("forums", "id", onDelete: .setNull))
            .field("title", .string, .required).field("description", .string, .required).field("date", .string, .required)
            .field("start_time", .string, .required).field("end_time", .string, .required).field("location", .string, .required)
            .field("capacity", .int).field("registration_closes_on", .string).field("survey_url", .string, .required)
            .field("status", .string, .required).field("is_demo", .bool, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("event_registrations").id()
            .field("event_id", .uuid, .required, .references("dialogue_events", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .setNull))
            .field("name", .string, .required).field("email", .string, .required).field("needs", .string, .required)
            .field("status", .string, .required).field("created_at", .datetime).field("cancelled_at", .datetime)
            .unique(on: "event_id", "user_id").create()
        try await db.schema("calendar_feeds").id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required).field("created_at", .datetime)
            .unique(on: "user_id").unique(on: "token_hash").create()
        for sql in [
            "CREATE INDEX forums_body ON forums (body_id)",
            "CREATE INDEX forum_seats_forum ON forum_seats (forum_id, term_to)",
            "CREATE INDEX forum_seats_user ON forum_seats (user_id)",
            "CREATE INDEX forum_seats_role ON forum_seats (contact_role_id)",
            "CREATE INDEX meetings_forum ON meetings (forum_id, date)",
            "CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position)",
            "CREATE INDEX meeting_actions_status ON meeting_actions (status, due_on)",
            "CREATE INDEX questions_body ON questions (body_id, status, deadline)",
            "CREATE INDEX questions_forum ON questions (forum_id)",
            "CREATE INDEX questions_asker ON questions (asked_by)",
            "CREATE INDEX questions_owner ON questions (owner_role_id, status)",
            "CREATE INDEX consultations_body ON consultations (body_id, deadline)",
            "CREATE INDEX consultation_comments_response ON consultation_comments (response_id)",
            "CREATE INDEX dialogue_events_date ON dialogue_events (date)",
            "CREATE INDEX event_registrations_user ON event_registrations (user_id)",
        ] { try await db.sql.raw(SQLQueryString(sql)).run() }
    }

    func revert(on db: any Database) async throws {
        for t in ["calendar_feeds", "event_registrations", "dialogue_events", "consultation_comments", "consultation_responses",
                  "consultation_invitees", "consultations", "questions", "meeting_actions", "meeting_attendance", "meeting_documents",
                  "agenda_items", "meetings", "forum_seats", "forums"] {
            try await db.schema(t).delete()
        }
    }
}
