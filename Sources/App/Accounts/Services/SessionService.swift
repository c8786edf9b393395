import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Browser sessions stored in the database, so any node can serve any request.
enum SessionService {
    static let cookieName = "samverka_session"

    /// Starts a fresh session (a new random id every sign-in: no session fixation).
    static func start(for user: User, _ req: Request) async throws -> String {
        let token = TokenCodec.generate()
        let s = UserSession()
        s.id = UUID()
        s.tokenHash = TokenCodec.hash(token)
        s.userID = user.id!
        let now = Date()
        s.createdAt = now
        s.lastSeenAt = now
        s.expiresAt = now.addingTimeInterval(TimeInterval(req.application.config.sessionAbsoluteTimeout))
        s.userAgent = String((req.headers.first(name: .userAgent) ?? "").prefix(200))
        try await s.create(on: req.db)
        user.lastSignInAt = now
        try await user.save(on: req.db)
        return token
    }

    static func cookie(_ token: String, _ req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: nil, maxAge: req.application.config.sessionAbsoluteTimeout, path: "/",
                          isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    /// The session for a cookie value, if still valid (not past its idle or absolute timeout).
    static func lookup(_ token: String, _ req: Request) async throws -> UserSession? {
        guard let s = try await UserSession.query(on: req.db).filter(\.$tokenHash == TokenCodec.hash(token)).first() else { return nil }
        let now = Date()
        let idle = TimeInterval(req.application.config.sessionIdleTimeout)
        if s.expiresAt < now || now.timeIntervalSince(s.lastSeenAt) > idle {
            try await s.delete(on: req.db)
            return nil
        }
        // Record activity at most once a minute to keep writes down.
        if now.timeIntervalSince(s.lastSeenAt) > 60 {
            s.lastSeenAt = now
            try await s.save(on: req.db)
        }
        return s
    }

    /// A person's open sessions, most recently used first.
    static func sessions(userID: UUID, on db: any Database) async throws -> [UserSession] {
        try await UserSession.query(on: db).filter(\.$userID == userID).sort(\.$lastSeenAt, .descending).all()
    }

    /// Ends one of the person's own sessions (someone else's id does nothing).
    static func revoke(_ id: UUID, userID: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$id == id).filter(\.$userID == userID).delete()
    }

    /// Ends every session of an account.
    static func endAll(userID: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$userID == userID).delete()
    }

    static func end(_ req: Request) async throws {
        if let id = req.principal.sessionID { try await UserSession.query(on: req.db).filter(\.$id == id).delete() }
    }
}
