import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Sets `req.principal` from a bearer token or the session cookie. A bad bearer token is refused
/// (401) rather than silently treated as anonymous.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The metrics scraper's bearer token is not an account's: the route checks it against its own setting.
        if req.url.path == "/metrics" { return try await next.respond(to: req) }
        if let bearer = req.headers.bearerAuthorization?.token {
            if let legacy = req.application.config.legacyAdminToken, CSRF.constantTimeEquals(bearer, legacy) {
                req.principal = Principal(userID: nil, displayName: "SAMVERKA_ADMIN_TOKEN", grants: [Grant(role: .admin)], method: .legacyAdminToken)
            } else if let (token, user) = try await TokenService.lookup(bearer, req) {
                req.principal = try await AccountService.principal(for: user, method: .token, tokenID: token.id, on: req.db)
            } else {
                throw AppError(.unauthorized, "API-nyckeln är ogiltig, återkallad eller har gått ut.", headers: ["WWW-Authenticate": "Bearer"])
            }
        } else if let cookie = req.cookies[SessionService.cookieName]?.string, !cookie.isEmpty {
            if let session = try await SessionService.lookup(cookie, req), let user = try await User.find(session.userID, on: req.db), user.status == .active {
                req.principal = try await AccountService.principal(for: user, method: .session, sessionID: session.id, on: req.db)
                if let lang = Language(rawValue: user.language), req.queryValue("lang") == nil, req.cookies["lang"] == nil {
                    req.language = lang
                }
            } else {
                let response = try await next.respond(to: req)
                // Forget the dead cookie, unless this request just signed in and set a new one.
                if response.cookies[SessionService.cookieName] == nil { response.cookies[SessionService.cookieName] = .expired }
                return response
            }
        }
        return try await next.respond(to: req)
    }
}
