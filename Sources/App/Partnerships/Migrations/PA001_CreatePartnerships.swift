import Fluent
import SQLKit

/// The Partnerships module's tables: IOPs with their pipeline content, follow-ups, and reserved procurements.
struct CreatePartnerships: AsyncMigration {
    var name: String { "PA001_CreatePartnerships" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Partnership.schema).id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("title", .string, .required).field("need", .string, .required).field("target_group", .string, .required)
            .field("goal", .string, .required).field("offer", .string, .required).field("initiated_by", .string, .required)
            .field("is_public", .bool, .required).field("secrecy_reason", .string, .required).field("state", .string, .required)
            .field("problem_analysis", .string, .required).field("goals", .string, .required).field("indicators", .string, .required)
            .field("contributions", .string, .required).field("answers", .string, .required).field("conclusion", .string)
            .field("assessment_motivation", .string, .required).field("assessed_by", .string, .required).field("assessed_on", .string)
            .field("override_reason", .string, .required).field("decision_organ", .string, .required).field("decision_on", .string)
            .field("decision_paragraph", .string, .required).field("decision_diarienummer", .string, .required)
            .field("period_from", .string).field("period_to", .string).field("agreement_text", .string, .required)
            .field("follow_up_plan", .string, .required).field("de_minimis", .bool, .required).field("de_minimis_override", .string, .required)
            .field("previous_id", .uuid).field("closed_on", .string).field("closed_reason", .string, .required)
            .field("is_demo", .bool, .required).field("version", .int, .required).field("created_at", .datetime).create()
        try await db.schema(PartnershipFollowUp.schema).id()
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id", onDelete: .cascade))
            .field("day", .string, .required).field("results", .string, .required).field("text", .string, .required)
            .field("created_at", .datetime).create()
        try await db.schema(ReservedProcurement.schema).id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("contract", .string, .required).field("object", .string, .required).field("supplier_id", .uuid)
            .field("value_ore", .int64, .required).field("period_from", .string, .required).field("period_to", .string, .required)
            .field("legal_basis", .string, .required).field("decision", .string, .required).field("is_demo", .bool, .required)
            .field("version", .int, .required).field("created_at", .datetime).create()
        try await db.sql.raw("CREATE INDEX partnerships_body ON partnerships (body_id, state)").run()
        try await db.sql.raw("CREATE INDEX partnerships_org ON partnerships (organisation_id)").run()
    }

    func revert(on db: any Database) async throws {
        for s in [PartnershipFollowUp.schema, Partnership.schema, ReservedProcurement.schema] { try await db.schema(s).delete() }
    }
}
