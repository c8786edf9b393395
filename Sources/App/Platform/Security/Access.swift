import Vapor
import SamverkaRules

/// Resolves the resource a request is about (e.g. the unit named in the path) into a `ResourceScope`.
public typealias ScopeResolver = @Sendable (Request) async throws -> ResourceScope

/// Who may use a route. Every route declares one (see `RoutesBuilder.route`); the role × route matrix
/// test fails for any route that does not.
public enum Access: Sendable {
    /// Public by law or by nature (offentlighetsprincipen): anonymous visitors included.
    case anyone
    /// Any signed-in user.
    case signedIn
    /// A permission the principal must hold somewhere.
    case permission(Permission)
    /// A permission checked against the resource the request is about.
    case scoped(Permission, ScopeResolver)
    /// Signed in; then a named per-record rule in the module's service decides (e.g. "grantCaseRead": the
    /// applicant organisation, officials of the programme's body, assigned reviewers, analysts). The name is
    /// what the role × route matrix test keys its expectation on.
    case record(String)

    public var name: String {
        switch self {
        case .anyone: return "anyone"
        case .signedIn: return "signedIn"
        case .permission(let p): return p.rawValue
        case .scoped(let p, _): return p.rawValue + "@scope"
        case .record(let rule): return rule
        }
    }

    public var permission: Permission? {
        switch self {
        case .permission(let p), .scoped(let p, _): return p
        default: return nil
        }
    }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }
    /// The authenticated principal; anonymous until the authentication middleware says otherwise.
    public var principal: Principal {
        get { storage[PrincipalKey.self] ?? .anonymous }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// Throws 401/403 unless the principal may do `permission` on `scope`. For checks that depend on
    /// data only known after decoding the body (e.g. which body a new unit belongs to).
    public func authorize(_ permission: Permission, _ scope: ResourceScope) throws {
        guard principal.isSignedIn else { throw AppError.unauthenticated() }
        guard Policy.allows(principal, permission, scope) else { throw AppError.forbidden() }
    }

    /// True when this request talks to the JSON API rather than the HTML site.
    public var isAPI: Bool {
        url.path.hasPrefix("/api/") || url.path == "/api"
    }
}

/// Enforces a route's `Access`, then CSRF for state-changing browser requests.
struct AccessGuard: AsyncMiddleware {
    let access: Access

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let principal = req.principal
        switch access {
        case .anyone:
            break
        case .signedIn, .record:
            guard principal.isSignedIn else { throw AppError.unauthenticated() }
        case .permission(let permission):
            guard principal.isSignedIn else { throw AppError.unauthenticated() }
            guard Policy.allows(principal, permission) else { throw AppError.forbidden() }
        case .scoped(let permission, let resolve):
            guard principal.isSignedIn else { throw AppError.unauthenticated() }
            guard Policy.allows(principal, permission) else { throw AppError.forbidden() }
            let scope = try await resolve(req)
            guard Policy.allows(principal, permission, scope) else { throw AppError.forbidden() }
        }
        try CSRF.verify(req)
        return try await next.respond(to: req)
    }
}
