import Fluent
import SQLKit
import SamverkaRules

struct CreatePlatformTables: AsyncMigration {
    var name: String { "P001_CreatePlatformTables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("seq", .int, .required)
            .field("occurred_at", .string, .required)
            .field("actor_user_id", .uuid)
            .field("actor_kind", .string, .required)
            .field("actor_label", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("changes", .string, .required)
            .field("request_id", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        try await database.sql.raw("CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id)").run()
        try await database.sql.raw("CREATE INDEX audit_events_actor ON audit_events (actor_user_id)").run()
        try await database.schema("audit_chain_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int, .required)
            .field("last_hash", .string, .required)
            .field("writes", .int, .required)
            .create()
        try await database.sql.raw("INSERT INTO audit_chain_head (id, seq, last_hash, writes) VALUES (1, 0, \(bind: AuditChain.genesis), 0)").run()
        try await database.schema("samverka_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("samverka_settings").delete()
        try await database.schema("audit_chain_head").delete()
        try await database.schema(AuditEvent.schema).delete()
    }
}
