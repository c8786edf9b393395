import Fluent
import SQLKit

/// State aid per undertaking: aid an organisation declares from elsewhere, the euro rate table, and the reason a
/// decision was taken over the de minimis ceiling.
struct GrantsStateAidRegister: AsyncMigration {
    var name: String { "G004_StateAidRegister" }

    func prepare(on db: any Database) async throws {
        try await db.schema(StateAidDeclaration.schema).id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("authority", .string, .required).field("granted_on", .string, .required)
            .field("amount_minor", .int64, .required).field("currency", .string, .required)
            .field("description", .string, .required).field("created_at", .datetime).create()
        try await db.schema(ExchangeRate.schema).id()
            .field("currency", .string, .required).field("day", .string, .required).field("per_euro", .double, .required)
            .unique(on: "currency", "day").create()
        try await db.schema("grant_decisions").field("de_minimis_override", .string, .required, .sql(.default(""))).update()
        try await db.sql.raw("CREATE INDEX state_aid_declarations_org ON state_aid_declarations (organisation_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(StateAidDeclaration.schema).delete()
        try await db.schema(ExchangeRate.schema).delete()
        try await db.schema("grant_decisions").deleteField("de_minimis_override").update()
    }
}
