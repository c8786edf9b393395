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
