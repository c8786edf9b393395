import Fluent
import SQLKit
import SamverkaRules

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
