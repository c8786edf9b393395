import Fluent
import SQLKit
import SamverkaRules

struct CreateAccounts: AsyncMigration {
    var name: String { "A001_CreateAccounts" }

    func prepare(on db: any Database) async throws {
        try await db.schema("users").id()
            .field("email", .string, .required).field("name", .string, .required).field("password_hash", .string)
            .field("status", .string, .required).field("language", .string, .required).field("is_demo", .bool, .required)
            .field("last_sign_in_at", .datetime).field("erased_at", .datetime).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .unique(on: "email").create()
        try await db.schema("memberships").id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("body_id", .uuid, .references("public_bodies", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .cascade))
            .field("unit_ids", .string, .required)
            .field("via_role_id", .uuid, .references("contact_roles", "id", onDelete: .cascade))
            .field("created_at", .datetime).create()
        try await db.schema("sessions").id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required).field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required).field("user_agent", .string, .required)
            .unique(on: "token_hash").create()
        try await db.schema("api_tokens").id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required).field("kind", .string, .required)
            .field("token_hash", .string, .required).field("prefix", .string, .required)
            .field("expires_at", .datetime, .required).field("revoked_at", .datetime).field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash").create()
        try await db.schema("one_time_tokens").id()
            .field("purpose", .string, .required).field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("payload", .string, .required).field("created_by", .uuid)
            .field("expires_at", .datetime, .required).field("used_at", .datetime).field("created_at", .datetime)
            .unique(on: "token_hash").create()
        try await db.schema("rate_limit_hits").id()
            .field("bucket", .string, .required).field("at", .datetime, .required).create()
        try await db.schema("mail_outbox").id()
            .field("recipient", .string, .required).field("subject", .string, .required).field("body", .string, .required)
            .field("attempts", .int, .required).field("locked_until", .datetime).field("sent_at", .datetime)
            .field("last_error", .string, .required).field("created_at", .datetime).create()
        for stmt in [
            "CREATE INDEX memberships_user ON memberships (user_id)",
            "CREATE INDEX memberships_via_role ON memberships (via_role_id)",
            "CREATE INDEX sessions_user ON sessions (user_id)",
            "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
            "CREATE INDEX rate_limit_hits_bucket ON rate_limit_hits (bucket, at)",
            "CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, created_at)",
        ] { try await db.sql.raw(SQLQueryString(stmt)).run() }
    }

    func revert(on db: any Database) async throws {
        for t in ["mail_outbox", "rate_limit_hits", "one_time_tokens", "api_tokens", "sessions", "memberships", "users"] {
            try await db.schema(t).delete()
        }
    }
}
