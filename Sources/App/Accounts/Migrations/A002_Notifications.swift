import Fluent
import SQLKit
import SamverkaRules

/// Notifications in the app and each person's delivery choices.
struct CreateNotifications: AsyncMigration {
    var name: String { "A002_Notifications" }

    func prepare(on db: any Database) async throws {
        try await db.schema("notifications").id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required).field("params", .string, .required).field("link", .string, .required)
            .field("dedupe_key", .string).field("delivery", .string, .required)
            .field("mailed_at", .datetime).field("read_at", .datetime).field("created_at", .datetime, .required)
            .unique(on: "user_id", "dedupe_key").create()
        try await db.schema("notification_preferences").id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required).field("mode", .string, .required)
            .unique(on: "user_id", "kind").create()
        for stmt in ["CREATE INDEX notifications_user ON notifications (user_id, created_at)",
                     "CREATE INDEX notifications_unmailed ON notifications (mailed_at, delivery)"] {
            try await db.sql.raw(SQLQueryString(stmt)).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("notification_preferences").delete()
        try await db.schema("notifications").delete()
    }
}
