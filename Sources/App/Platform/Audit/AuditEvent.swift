import Fluent
import SQLKit
import Foundation
import SamverkaRules

/// One create/update/delete made by a user, a token or the system, hash-chained to the one before.
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"
    public var properties: [any AnyProperty] {
        [$id, $seq, $occurredAt, $actorUserID, $actorKind, $actorLabel, $action, $entityType, $entityID, $changes, $requestID, $prevHash, $hash]
    }

    @ID(key: .id) public var id: UUID?
    /// Position in the chain, from 1.
    @Field(key: "seq") public var seq: Int
    /// ISO-8601 UTC with milliseconds; kept as text so the hash input is exact on both databases.
    @Field(key: "occurred_at") public var occurredAt: String
    @OptionalField(key: "actor_user_id") public var actorUserID: UUID?
    /// session, token, legacyAdminToken, system.
    @Field(key: "actor_kind") public var actorKind: String
    /// Name for system actors (`demo`, `import`); empty for users, whose name is looked up (and may be erased).
    @Field(key: "actor_label") public var actorLabel: String
    @Field(key: "action") public var action: String
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityID: String
    /// JSON `{ "field": { "before": …, "after": … } }`; personal fields appear only as "[personuppgift]".
    @Field(key: "changes") public var changes: String
    @Field(key: "request_id") public var requestID: String
    @Field(key: "prev_hash") public var prevHash: String
    @Field(key: "hash") public var hash: String

    public init() {}

    /// The text the hash is computed over: every field but the hash, in a fixed order.
    var hashInput: String {
        [String(seq), occurredAt, actorUserID?.uuidString ?? "", actorKind, actorLabel, action, entityType, entityID,
         changes, requestID, prevHash].joined(separator: "\u{1F}")
    }
}


/// Installation-wide settings that every node must agree on (e.g. whether demo data was loaded).
public enum Settings {
    public static func get(_ key: String, on db: any Database) async throws -> String? {
        try await db.sql.raw("SELECT value FROM samverka_settings WHERE key = \(bind: key)").first()?.decode(column: "value", as: String.self)
    }

    public static func set(_ key: String, _ value: String, on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM samverka_settings WHERE key = \(bind: key)").run()
        try await db.sql.raw("INSERT INTO samverka_settings (key, value) VALUES (\(bind: key), \(bind: value))").run()
    }
}
