import Fluent
import Foundation
import SamverkaRules

/// Something that happened that a person should know about (a decision on their application, a review assigned to
/// them). Kept as a kind and its arguments and written out in the reader's language when shown or mailed.
final class UserNotification: Model, @unchecked Sendable {
    static let schema = "notifications"
    var properties: [any AnyProperty] { [$id, $userID, $kind, $params, $link, $dedupeKey, $delivery, $mailedAt, $readAt, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: String
    /// The message's arguments, `[String]` as JSON (`{0}`, `{1}` … in the texts `notify.<kind>.subject/body`).
    @Field(key: "params") var params: String
    @Field(key: "link") var link: String
    /// Makes a reminder idempotent: at most one notification per user and key (e.g. `reportDueSoon:<report id>`).
    @OptionalField(key: "dedupe_key") var dedupeKey: String?
    /// How it is mailed: `now`, `digest` or `none` (the person's choice when it was made).
    @Field(key: "delivery") var delivery: String
    @OptionalField(key: "mailed_at") var mailedAt: Date?
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var arguments: [String] { JSONText.decode([String].self, params) ?? [] }
}

/// A person's choice of delivery for one kind of notification.
final class NotificationPreference: Model, @unchecked Sendable {
    static let schema = "notification_preferences"
    var properties: [any AnyProperty] { [$id, $userID, $kind, $mode] }
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "mode") var mode: DeliveryMode
    init() {}
}
