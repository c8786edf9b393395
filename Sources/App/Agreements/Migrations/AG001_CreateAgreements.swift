import Fluent
import SQLKit

/// The Agreements module's tables: agreements and their owners, versions (text, principles, adoption), signatories,
/// governance forums, action plans with activities and notes, and follow-up reports.
struct CreateAgreements: AsyncMigration {
    var name: String { "AG001_CreateAgreements" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Agreement.schema).id()
            .field("title", .string, .required).field("kind", .string, .required).field("purpose", .string, .required)
            .field("scope", .string, .required).field("party_organisation_id", .uuid, .references("organisations", "id"))
            .field("party_name", .string, .required).field("is_public", .bool, .required).field("is_demo", .bool, .required)
            .field("version", .int, .required).field("created_at", .datetime).field("updated_at", .datetime).create()
        try await db.schema(AgreementOwner.schema).id()
            .field("agreement_id", .uuid, .required, .references(Agreement.schema, "id", onDelete: .cascade))
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .unique(on: "agreement_id", "body_id").create()
        try await db.schema(AgreementVersion.schema).id()
            .field("agreement_id", .uuid, .required, .references(Agreement.schema, "id", onDelete: .cascade))
            .field("number", .int, .required).field("status", .string, .required)
            .field("sections", .string, .required).field("principles", .string, .required).field("drafted_on", .string, .required)
            .field("consultation_id", .uuid).field("consultation_deadline", .string)
            .field("adopted_on", .string).field("valid_from", .string).field("adopted_by_body_id", .uuid)
            .field("adopting_organ", .string, .required).field("paragraph", .string, .required).field("diarienummer", .string, .required)
            .field("ended_on", .string).field("end_reason", .string, .required)
            .field("version", .int, .required).field("created_at", .datetime)
            .unique(on: "agreement_id", "number").create()
        try await db.schema(AgreementSignatory.schema).id()
            .field("agreement_id", .uuid, .required, .references(Agreement.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("contact_role_id", .uuid).field("signed_on", .string, .required).field("on_paper", .bool, .required)
            .field("withdrawn_on", .string).field("withdrawal_reason", .string, .required).field("is_demo", .bool, .required)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema(AgreementForum.schema).id()
            .field("agreement_id", .uuid, .required, .references(Agreement.schema, "id", onDelete: .cascade))
            .field("forum_id", .uuid, .required).field("role", .string, .required).field("seats_for_signatories", .bool, .required)
            .unique(on: "agreement_id", "forum_id").create()
        try await db.schema(ActionPlan.schema).id()
            .field("agreement_id", .uuid, .required, .references(Agreement.schema, "id", onDelete: .cascade))
            .field("title", .string, .required).field("period_from", .int, .required).field("period_to", .int, .required)
            .field("version", .int, .required).create()
        try await db.schema(PlanActivity.schema).id()
            .field("plan_id", .uuid, .required, .references(ActionPlan.schema, "id", onDelete: .cascade))
            .field("area", .string, .required).field("title", .string, .required).field("description", .string, .required)
            .field("owner_role_id", .uuid).field("partners", .string, .required).field("due_on", .string)
            .field("status", .string, .required).field("principle_key", .string, .required).field("links", .string, .required)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema(ActivityNote.schema).id()
            .field("activity_id", .uuid, .required, .references(PlanActivity.schema, "id", onDelete: .cascade))
            .field("written_on", .string, .required).field("text", .string, .required).field("created_at", .datetime).create()
        try await db.schema(FollowUpReport.schema).id()
            .field("agreement_id", .uuid, .required, .references(Agreement.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("title", .string, .required)
            .field("period_from", .string, .required).field("period_to", .string, .required).field("narrative", .string, .required)
            .field("frozen_figures", .string).field("approved_on", .string).field("diarienummer", .string, .required)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.sql.raw("CREATE INDEX agreement_signatories_agreement ON agreement_signatories (agreement_id, organisation_id)").run()
        try await db.sql.raw("CREATE INDEX agreement_owners_body ON agreement_owners (body_id)").run()
    }

    func revert(on db: any Database) async throws {
        for s in [FollowUpReport.schema, ActivityNote.schema, PlanActivity.schema, ActionPlan.schema, AgreementForum.schema,
                  AgreementSignatory.schema, AgreementVersion.schema, AgreementOwner.schema, Agreement.schema] {
            try await db.schema(s).delete()
        }
    }
}
