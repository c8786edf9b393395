import Fluent
import SQLKit
import SamverkaRules

struct CreateGrants: AsyncMigration {
    var name: String { "G001_CreateGrants" }

    func prepare(on db: any Database) async throws {
        try await db.schema("grant_programmes").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("unit_id", .uuid, .references("units", "id", onDelete: .setNull))
            .field("name", .string, .required).field("kind", .string, .required).field("purpose", .string, .required)
            .field("description", .string, .required).field("target_areas", .string, .required)
            .field("decision_level", .string, .required)
            .field("contact_role_id", .uuid, .references("contact_roles", "id", onDelete: .setNull))
            .field("payment_model", .string, .required).field("instalments", .int, .required).field("is_state_aid", .bool, .required)
            .field("eligibility", .string, .required).field("formula", .string).field("report_months", .int, .required)
            .field("is_demo", .bool, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("grant_budget_frames").id()
            .field("programme_id", .uuid, .required, .references("grant_programmes", "id", onDelete: .cascade))
            .field("year", .int, .required).field("amount_ore", .int64, .required)
            .unique(on: "programme_id", "year").create()
        try await db.schema("grant_calls").id()
            .field("programme_id", .uuid, .required, .references("grant_programmes", "id"))
            .field("title", .string, .required).field("year", .int, .required)
            .field("opens_on", .string, .required).field("closes_on", .string, .required).field("description", .string, .required)
            .field("fields", .string, .required).field("criteria", .string, .required).field("required_attachments", .string, .required)
            .field("budget_table", .bool, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("grant_applications").id()
            .field("call_id", .uuid, .required, .references("grant_calls", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("status", .string, .required).field("answers", .string, .required).field("budget", .string, .required)
            .field("requested_ore", .int64).field("activities", .int, .required).field("payee_account", .string, .required)
            .field("submitted_at", .datetime).field("created_by", .uuid).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .unique(on: "call_id", "organisation_id").create()
        try await db.schema("grant_attachments").id()
            .field("application_id", .uuid, .required, .references("grant_applications", "id", onDelete: .cascade))
            .field("kind", .string, .required).field("filename", .string, .required).field("content_type", .string, .required)
            .field("size", .int, .required).field("data", .data, .required).field("uploaded_by", .uuid).field("created_at", .datetime).create()
        try await db.schema("grant_reviews").id()
            .field("application_id", .uuid, .required, .references("grant_applications", "id"))
            .field("reviewer_id", .uuid, .required, .references("users", "id"))
            .field("assigned_by", .uuid).field("jav", .bool).field("jav_reason", .string, .required)
            .field("scores", .string, .required).field("comment", .string, .required).field("completed_at", .datetime)
            .field("version", .int, .required).field("created_at", .datetime).field("updated_at", .datetime)
            .unique(on: "application_id", "reviewer_id").create()
        try await db.schema("grant_decisions").id()
            .field("application_id", .uuid, .required, .references("grant_applications", "id"))
            .field("programme_id", .uuid, .required, .references("grant_programmes", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("year", .int, .required).field("outcome", .string, .required).field("amount_ore", .int64, .required)
            .field("conditions", .string, .required).field("motivation", .string, .required).field("purpose", .string, .required)
            .field("decided_on", .string, .required).field("decision_maker", .string, .required).field("decided_by", .uuid)
            .field("delegation_level", .string, .required).field("diarienummer", .string, .required)
            .field("replaces_id", .uuid, .references("grant_decisions", "id"))
            .field("is_state_aid", .bool, .required).field("is_public", .bool, .required).field("created_at", .datetime).create()
        try await db.schema("grant_payments").id()
            .field("programme_id", .uuid, .required, .references("grant_programmes", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("year", .int, .required).field("decision_id", .uuid, .references("grant_decisions", "id"))
            .field("kind", .string, .required).field("due_on", .string, .required).field("amount_ore", .int64, .required)
            .field("status", .string, .required).field("approved_by", .uuid).field("approved_on", .string).field("paid_on", .string)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema("grant_reports").id()
            .field("decision_id", .uuid, .required, .references("grant_decisions", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("programme_id", .uuid, .required, .references("grant_programmes", "id"))
            .field("year", .int, .required).field("due_on", .string, .required).field("status", .string, .required)
            .field("actual_costs_ore", .int64).field("narrative", .string, .required).field("submitted_at", .datetime)
            .field("reviewed_by", .uuid).field("review_comment", .string, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema("grant_reclaims").id()
            .field("decision_id", .uuid, .required, .references("grant_decisions", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("programme_id", .uuid, .required, .references("grant_programmes", "id"))
            .field("amount_ore", .int64, .required).field("reason", .string, .required).field("due_on", .string, .required)
            .field("status", .string, .required).field("repaid_on", .string).field("created_by", .uuid)
            .field("version", .int, .required).field("created_at", .datetime).create()
        for stmt in [
            "CREATE INDEX grant_programmes_body ON grant_programmes (body_id)",
            "CREATE INDEX grant_calls_programme ON grant_calls (programme_id, year)",
            "CREATE INDEX grant_applications_org ON grant_applications (organisation_id)",
            "CREATE INDEX grant_reviews_reviewer ON grant_reviews (reviewer_id)",
            "CREATE INDEX grant_decisions_programme ON grant_decisions (programme_id, year)",
            "CREATE INDEX grant_decisions_org ON grant_decisions (organisation_id, decided_on)",
            "CREATE INDEX grant_decisions_application ON grant_decisions (application_id)",
            "CREATE INDEX grant_decisions_replaces ON grant_decisions (replaces_id)",
            "CREATE INDEX grant_payments_due ON grant_payments (status, due_on)",
            "CREATE INDEX grant_payments_org ON grant_payments (organisation_id, programme_id, year)",
            "CREATE INDEX grant_reports_due ON grant_reports (status, due_on)",
            "CREATE INDEX grant_reports_org ON grant_reports (organisation_id)",
            "CREATE INDEX grant_reclaims_org ON grant_reclaims (organisation_id, status)",
        ] { try await db.sql.raw(SQLQueryString(stmt)).run() }
    }

    func revert(on db: any Database) async throws {
        for t in ["grant_reclaims", "grant_reports", "grant_payments", "grant_decisions", "grant_reviews", "grant_attachments",
                  "grant_applications", "grant_calls", "grant_budget_frames", "grant_programmes"] {
            try await db.schema(t).delete()
        }
    }
}
