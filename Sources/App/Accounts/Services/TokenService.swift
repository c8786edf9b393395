import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// API tokens: long-lived named ones and short-lived ones from POST /api/v1/session.
enum TokenService {
    static let sessionTokenLifetime: TimeInterval = 3600

    static func create(userID: UUID, name: String, kind: String, lifetime: TimeInterval, in db: any Database) async throws -> (token: String, model: APIToken) {
        let token = TokenCodec.generate(prefix: "svk_")
        let t = APIToken()
        t.id = UUID()
        t.userID = userID
        t.name = name
        t.kind = kind
        t.tokenHash = TokenCodec.hash(token)
        t.prefix = String(token.prefix(10))
        t.expiresAt = Date().addingTimeInterval(lifetime)
        try await t.create(on: db)
        return (token, t)
    }

    /// A person's named API tokens, newest first (session tokens from sign-in are not listed).
    static func apiTokens(userID: UUID, on db: any Database) async throws -> [APIToken] {
        try await APIToken.query(on: db).filter(\.$userID == userID).filter(\.$kind == "api").sort(\.$createdAt, .descending).all()
    }

    /// Creates a named API token valid for `days` days; the audit log records its name and prefix, never the secret.
    static func createAPIToken(userID: UUID, name: String, days: Int, in ctx: WriteContext) async throws -> (token: String, model: APIToken) {
        let r = try await create(userID: userID, name: name, kind: "api", lifetime: TimeInterval(days) * 86400, in: ctx.db)
        ctx.audit("create", "apiToken", r.model.id?.uuidString ?? "", before: nil, after: AuditSnapshot(["name": .string(name), "prefix": .string(r.model.prefix)]))
        return r
    }

    /// Revokes one of the person's own named tokens (404 for anyone else's, so ids are not probed).
    static func revokeAPIToken(_ id: UUID, userID: UUID, in ctx: WriteContext) async throws {
        guard let t = try await APIToken.find(id, on: ctx.db), t.userID == userID, t.kind == "api" else { throw AppError.notFound() }
        t.revokedAt = Date()
        try await t.save(on: ctx.db)
        ctx.audit("revoke", "apiToken", id.uuidString, before: nil, after: nil)
    }

    /// Ends the short-lived token a request came with. Named integration tokens are revoked deliberately
    /// (DELETE /api/v1/me/tokens/{id}), never by a sign-out.
    static func endSessionToken(_ id: UUID, on db: any Database) async throws {
        guard let token = try await APIToken.find(id, on: db) else { return }
        guard token.kind == "session" else {
            throw AppError(.conflict, "Det här är en namngiven API-nyckel; återkalla den med DELETE /api/v1/me/tokens/\(id).")
        }
        token.revokedAt = Date()
        try await token.save(on: db)
    }

    /// Removes every token of an account (when it is disabled).
    static func removeAll(userID: UUID, on db: any Database) async throws {
        try await APIToken.query(on: db).filter(\.$userID == userID).delete()
    }

    /// The user behind a bearer token, unless it is unknown, revoked or expired.
    static func lookup(_ token: String, _ req: Request) async throws -> (APIToken, User)? {
        guard let t = try await APIToken.query(on: req.db).filter(\.$tokenHash == TokenCodec.hash(token)).first(),
              t.revokedAt == nil, t.expiresAt > Date(),
              let user = try await User.find(t.userID, on: req.db), user.status == .active else { return nil }
        if (t.lastUsedAt.map { Date().timeIntervalSince($0) > 60 } ?? true) {
            t.lastUsedAt = Date()
            try await t.save(on: req.db)
        }
        return (t, user)
    }
}
