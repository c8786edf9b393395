import Fluent
import SQLKit
import Foundation
import SamverkaRules

/// A person who signs in. Personal fields: email, name (see `PersonalDataRegister`).
final class User: Model, @unchecked Sendable {
    static let schema = "users"
    var properties: [any AnyProperty] {
        [$id, $email, $name, $passwordHash, $status, $language, $isDemo, $lastSignInAt, $erasedAt, $version, $createdAt, $updatedAt]
    }
    enum Status: String, Codable, Sendable { case active, invited, disabled, erased }

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "status") var status: Status
    @Field(key: "language") var language: String
    @Field(key: "is_demo") var isDemo: Bool
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    @OptionalField(key: "erased_at") var erasedAt: Date?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    /// What others see for this user; a pseudonym once erased.
    var displayName: String { status == .erased ? "Raderad användare \(id!.uuidString.prefix(8))" : name }
}

/// A role held by a user in a public body (optionally narrowed to units) or in an organisation.
final class Membership: Model, @unchecked Sendable {
    static let schema = "memberships"
    var properties: [any AnyProperty] { [$id, $userID, $role, $bodyID, $organisationID, $unitIDs, $viaRoleID, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: Role
    @OptionalField(key: "body_id") var bodyID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    /// Comma-separated unit ids narrowing an official's rights.
    @Field(key: "unit_ids") var unitIDs: String
    /// Set when the membership comes with holding a Directory contact role.
    @OptionalField(key: "via_role_id") var viaRoleID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var grant: Grant {
        Grant(role: role, bodyID: bodyID, unitIDs: unitIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) }, organisationID: organisationID)
    }
}

/// A browser session. The cookie holds a random token; only its SHA-256 is stored.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "sessions"
    var properties: [any AnyProperty] { [$id, $tokenHash, $userID, $createdAt, $lastSeenAt, $expiresAt, $userAgent] }
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "user_agent") var userAgent: String
    init() {}
}

/// A bearer token for the API: named, revocable, with an expiry. `kind` is `api` (created by the user)
/// or `session` (short-lived, from POST /api/v1/session).
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    var properties: [any AnyProperty] { [$id, $userID, $name, $kind, $tokenHash, $prefix, $expiresAt, $revokedAt, $lastUsedAt, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "token_hash") var tokenHash: String
    /// First characters of the token, to recognise it in lists.
    @Field(key: "prefix") var prefix: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A single-use link: password reset or invitation.
final class OneTimeToken: Model, @unchecked Sendable {
    static let schema = "one_time_tokens"
    var properties: [any AnyProperty] { [$id, $purpose, $tokenHash, $userID, $payload, $createdBy, $expiresAt, $usedAt, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "purpose") var purpose: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    /// For invitations: the membership to create, as JSON.
    @Field(key: "payload") var payload: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// One attempt counted against a rate limit (sign-in failure, reset request). Kept in the database so
/// every node sees the same counts.
final class RateLimitHit: Model, @unchecked Sendable {
    static let schema = "rate_limit_hits"
    var properties: [any AnyProperty] { [$id, $bucket, $at] }
    @ID(key: .id) var id: UUID?
    @Field(key: "bucket") var bucket: String
    @Field(key: "at") var at: Date
    init() {}
    init(bucket: String, at: Date) {
        self.id = UUID()
        self.bucket = bucket
        self.at = at
    }
}


