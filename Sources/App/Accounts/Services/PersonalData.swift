import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Every field that holds personal data, why it is kept and on what lawful basis (GDPR art. 6).
/// Shown on /privacy and used by export and erasure.
enum PersonalDataRegister {
    struct Entry: Content, Sendable {
        var table: String
        var field: String
        var purpose: String
        var lawfulBasis: String
        var retention: String
        var onErasure: String
    }

    static let entries: [Entry] = [
        Entry(table: "users", field: "email", purpose: "Inloggning, inbjudningar och återställning av lösenord.",
              lawfulBasis: "Allmänt intresse / myndighetsutövning (art. 6.1 e)", retention: "Så länge kontot finns.", onErasure: "Ersätts med en påhittad adress."),
        Entry(table: "users", field: "name", purpose: "Visa vem som gjort vad (t.ex. beslut, protokoll, historik).",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Så länge kontot finns.", onErasure: "Ersätts med pseudonymen ”Raderad användare”."),
        Entry(table: "users", field: "password_hash", purpose: "Inloggning (bcrypt-hash, aldrig lösenordet).",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Så länge kontot finns.", onErasure: "Tas bort."),
        Entry(table: "sessions", field: "user_agent", purpose: "Visa användaren vilka inloggningar som är aktiva.",
              lawfulBasis: "Berättigat intresse för säkerhet (art. 6.1 f)", retention: "Högst 12 timmar.", onErasure: "Tas bort."),
        Entry(table: "role_tenures", field: "holder_name", purpose: "Visa vem som innehar en kontaktroll och har gjort det tidigare.",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Så länge rollen finns.", onErasure: "Ersätts med ”Raderad person”."),
        Entry(table: "role_tenures", field: "holder_email", purpose: "Kontakt med rollinnehavaren (visas inte offentligt).",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Så länge personen innehar rollen.", onErasure: "Tas bort."),
        Entry(table: "role_tenures", field: "handover_note", purpose: "Överlämning av pågående ärenden till nästa innehavare.",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Så länge rollen finns.", onErasure: "Tas bort."),
        Entry(table: "rate_limit_hits", field: "bucket (e-post/IP-adress)", purpose: "Skydd mot lösenordsgissning.",
              lawfulBasis: "Berättigat intresse för säkerhet (art. 6.1 f)", retention: "Högst ett dygn.", onErasure: "Tas bort."),
        Entry(table: "mail_outbox", field: "recipient, body", purpose: "Leverans av e-post (inbjudan, återställning, påminnelser).",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Tas bort av ett jobb när meddelandet har levererats (eller efter sju dagars misslyckade försök).", onErasure: "Tas bort."),
        Entry(table: "audit_events", field: "actor_user_id", purpose: "Spårbarhet: vem som ändrade vad (personuppgifter i ändringar loggas aldrig).",
              lawfulBasis: "Rättslig förpliktelse / allmänt intresse (art. 6.1 c, e)", retention: "Enligt arkivlagen.", onErasure: "Behålls; namnet visas som pseudonym."),
        Entry(table: "role_tenures", field: "holder_email (tidigare innehavare)", purpose: "Kontakt under överlämningen.",
              lawfulBasis: "Allmänt intresse (art. 6.1 e)", retention: "Tas bort av ett dagligt jobb när innehavet har upphört.", onErasure: "Tas bort."),
    ]

    /// The register with what every feature module contributes.
    static var all: [Entry] { entries + AccountHooks.personalData.all.flatMap(\.entries) }
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
        try await RoleService.erasePersonalData(userID: userID, email: email, in: ctx)
        for c in AccountHooks.personalData.all { try await c.erase(userID, email, ctx) }
        ctx.audit("erase", user, id: userID, before: before)
    }
}
