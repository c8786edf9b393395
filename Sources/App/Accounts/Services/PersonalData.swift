import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Every field that holds personal data, why it is kept and on what lawful basis (GDPR art. 6).
/// Shown on /privacy and used by export and erasure.
enum PersonalDataRegister {
    /// One field (or group of fields). The texts live in the localisation files under `privacy.reg.<key>.*`
    /// (purpose, basis, retention, erasure) and are filled in the reader's language by `localized`.
    struct Entry: Content, Sendable {
        var table: String
        var field: String
        var purpose: String = ""
        var lawfulBasis: String = ""
        var retention: String = ""
        var onErasure: String = ""

        private var key: String?
        private var args: [String]?
        enum CodingKeys: String, CodingKey { case table, field, purpose, lawfulBasis, retention, onErasure }

        init(table: String, field: String, key: String, args: [String] = []) {
            self.table = table
            self.field = field
            self.key = key
            self.args = args
        }

        func localized(_ localizer: Localizer, _ lang: Language) -> Entry {
            guard let key else { return self }
            var copy = self
            let args = args ?? []
            copy.purpose = localizer.text("privacy.reg.\(key).purpose", lang, args)
            copy.lawfulBasis = localizer.text("privacy.reg.\(key).basis", lang, args)
            copy.retention = localizer.text("privacy.reg.\(key).retention", lang, args)
            copy.onErasure = localizer.text("privacy.reg.\(key).erasure", lang, args)
            return copy
        }
    }

    static let entries: [Entry] = [
        Entry(table: "users", field: "email", key: "users.email"),
        Entry(table: "users", field: "name", key: "users.name"),
        Entry(table: "users", field: "password_hash", key: "users.password_hash"),
        Entry(table: "sessions", field: "user_agent", key: "sessions.user_agent"),
        Entry(table: "role_tenures", field: "holder_name", key: "role_tenures.holder_name"),
        Entry(table: "role_tenures", field: "holder_email", key: "role_tenures.holder_email"),
        Entry(table: "role_tenures", field: "handover_note", key: "role_tenures.handover_note"),
        Entry(table: "rate_limit_hits", field: "bucket", key: "rate_limit_hits.bucket"),
        Entry(table: "mail_outbox", field: "recipient, body", key: "mail_outbox.recipient"),
        Entry(table: "audit_events", field: "actor_user_id", key: "audit_events.actor_user_id"),
        Entry(table: "role_tenures", field: "holder_email", key: "role_tenures.holder_emailFormer"),
        Entry(table: "long_tasks", field: "owner_id, title", key: "long_tasks.owner_id"),
    ]

    /// The register with what every feature module contributes.
    static var all: [Entry] { entries + AccountHooks.personalData.all.flatMap(\.entries) }

    /// The register in the reader's language.
    static func all(for req: Request) -> [Entry] { all.map { $0.localized(req.application.localizer, req.language) } }
}

/// Data export and erasure for one user.
enum GDPRService {
    static func export(userID: UUID, on db: any Database) async throws -> JSONValue {
        guard let user = try await User.find(userID, on: db) else { throw AppError.notFound() }
        let memberships = try await Membership.query(on: db).filter(\.$userID == userID).all()
        let sessions = try await UserSession.query(on: db).filter(\.$userID == userID).all()
        let tokens = try await APIToken.query(on: db).filter(\.$userID == userID).all()
        let events = try await AuditEvent.query(on: db).filter(\.$actorUserID == userID).sort(\.$seq).all()
        func date(_ d: Date?) -> JSONValue { d.map { .string(AuditChain.timestamp($0)) } ?? .null }
        var contributed: [(String, JSONValue)] = []
        for c in AccountHooks.personalData.all { contributed += try await c.export(userID, user.email, db) }
        let base: JSONValue = [
            "exportedAt": .string(AuditChain.timestamp(Date())),
            "user": ["id": .string(userID.uuidString), "email": .string(user.email), "name": .string(user.name),
                     "status": .string(user.status.rawValue), "language": .string(user.language),
                     "createdAt": date(user.createdAt), "lastSignInAt": date(user.lastSignInAt)],
            "memberships": .array(memberships.map { m in
                ["role": .string(m.role.rawValue), "bodyId": m.bodyID.map { .string($0.uuidString) } ?? .null,
                 "organisationId": m.organisationID.map { .string($0.uuidString) } ?? .null, "unitIds": .string(m.unitIDs)]
            }),
            "sessions": .array(sessions.map { ["createdAt": date($0.createdAt), "lastSeenAt": date($0.lastSeenAt), "userAgent": .string($0.userAgent)] }),
            "apiTokens": .array(tokens.map { ["name": .string($0.name), "kind": .string($0.kind), "prefix": .string($0.prefix),
                                              "expiresAt": date($0.expiresAt), "revokedAt": date($0.revokedAt)] }),
            "roleTenures": try await RoleService.personalDataExport(userID: userID, email: user.email, on: db),
            "auditEvents": .array(events.map { ["seq": .int($0.seq), "at": .string($0.occurredAt), "action": .string($0.action),
                                                 "entityType": .string($0.entityType), "entityId": .string($0.entityID)] }),
        ]
        guard case .object(let pairs) = base else { return base }
        return .object(pairs + contributed)
    }

    /// Removes or pseudonymises the user's personal data. Decisions, minutes and audit events stay; the
    /// audit log never held personal values, and the actor is shown by pseudonym from now on.
    static func erase(userID: UUID, in ctx: WriteContext) async throws {
        guard let user = try await User.find(userID, on: ctx.db) else { throw AppError.notFound() }
        guard user.status != .erased else { return }
        let email = user.email
        let before = user.auditSnapshot
        user.email = "raderad-\(userID.uuidString.lowercased())@invalid.example"
        user.name = "Raderad användare"
        user.passwordHash = nil
        user.status = .erased
        user.erasedAt = Date()
        user.version += 1
        try await user.save(on: ctx.db)
        try await Membership.query(on: ctx.db).filter(\.$userID == userID).delete()
        try await UserSession.query(on: ctx.db).filter(\.$userID == userID).delete()
        try await APIToken.query(on: ctx.db).filter(\.$userID == userID).delete()
        try await OneTimeToken.query(on: ctx.db).filter(\.$userID == userID).delete()
        try await RateLimitHit.query(on: ctx.db).filter(\.$bucket ~~ ["signin:acct:\(email)", "reset:acct:\(email)"]).delete()
        try await OutboxMail.query(on: ctx.db).filter(\.$recipient == email).delete()
        try await LongTask.query(on: ctx.db).filter(\.$ownerID == userID).delete()
        try await RoleService.erasePersonalData(userID: userID, email: email, in: ctx)
        for c in AccountHooks.personalData.all { try await c.erase(userID, email, ctx) }
        ctx.audit("erase", user, id: userID, before: before)
    }
}
