import Fluent
import SQLKit

/// The Surveys module's tables: surveys, recipients with their links, respondents and answers, and the figures
/// regions reported to national surveys.
struct CreateSurveys: AsyncMigration {
    var name: String { "SU001_CreateSurveys" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Survey.schema).id()
            .field("body_id", .uuid, .references("public_bodies", "id"))
            .field("title", .string, .required).field("purpose", .string, .required)
            .field("opens_on", .string, .required).field("closes_on", .string, .required).field("anonymous", .bool, .required)
            .field("questions", .string, .required).field("sent_on", .string).field("published_on", .string)
            .field("is_demo", .bool, .required).field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema(SurveyRecipient.schema).id()
            .field("survey_id", .uuid, .required, .references(Survey.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("ref_id", .uuid, .required).field("name", .string, .required)
            .field("email", .string, .required).field("respondent_group", .string, .required)
            .field("token_hash", .string).field("token_expires_on", .string)
            .field("invited_at", .datetime).field("reminded_at", .datetime).field("answered_at", .datetime)
            .unique(on: "survey_id", "kind", "ref_id").create()
        try await db.schema(SurveyRespondent.schema).id()
            .field("survey_id", .uuid, .required, .references(Survey.schema, "id", onDelete: .cascade))
            .field("respondent_group", .string, .required).field("label", .string, .required)
            .field("recipient_id", .uuid).field("source", .string, .required).field("created_at", .datetime).create()
        try await db.schema(SurveyAnswer.schema).id()
            .field("respondent_id", .uuid, .required, .references(SurveyRespondent.schema, "id", onDelete: .cascade))
            .field("survey_id", .uuid, .required, .references(Survey.schema, "id", onDelete: .cascade))
            .field("question", .string, .required).field("answer", .string, .required).create()
        try await db.schema(ReportedFigure.schema).id()
            .field("county_code", .string, .required).field("year", .int, .required).field("indicator", .string, .required)
            .field("value", .string, .required).field("raw", .string, .required).field("source_note", .string, .required)
            .field("created_at", .datetime).unique(on: "county_code", "year", "indicator").create()
        try await db.sql.raw("CREATE UNIQUE INDEX survey_recipients_token ON survey_recipients (token_hash)").run()
        try await db.sql.raw("CREATE INDEX survey_answers_survey ON survey_answers (survey_id, question)").run()
        try await db.sql.raw("CREATE INDEX survey_respondents_survey ON survey_respondents (survey_id)").run()
    }

    func revert(on db: any Database) async throws {
        for s in [SurveyAnswer.schema, SurveyRespondent.schema, SurveyRecipient.schema, Survey.schema, ReportedFigure.schema] { try await db.schema(s).delete() }
    }
}
