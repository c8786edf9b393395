import Fluent
import SQLKit
import Vapor

extension User: Auditable {
    static var auditEntityType: String { "user" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["email": .string(email), "name": .string(name), "status": .string(status.rawValue), "language": .string(language)],
                      personal: ["email", "name"])
    }
}

extension Membership: Auditable {
    static var auditEntityType: String { "membership" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["userId": .string(userID.uuidString), "role": .string(role.rawValue),
                       "bodyId": bodyID.map { .string($0.uuidString) } ?? .null,
                       "organisationId": organisationID.map { .string($0.uuidString) } ?? .null,
                       "unitIds": .string(unitIDs), "viaRoleId": viaRoleID.map { .string($0.uuidString) } ?? .null])
    }
}

/// Users and their memberships.
enum AccountService {
    static func normalizeEmail(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }

    static func findUser(email: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$email == normalizeEmail(email)).first()
    }

    static func grants(for userID: UUID, on db: any Database) async throws -> [Grant] {
        try await Membership.query(on: db).filter(\.$userID == userID).all().map(\.grant)
    }

    static func principal(for user: User, method: Principal.Method, sessionID: UUID? = nil, tokenID: UUID? = nil, on db: any Database) async throws -> Principal {
        Principal(userID: user.id, displayName: user.displayName, grants: try await grants(for: user.id!, on: db),
                  method: method, sessionID: sessionID, tokenID: tokenID)
    }

    /// Creates a user (status `invited` without a password, `active` with one).
    static func createUser(email rawEmail: String, name rawName: String, passwordHash: String?, isDemo: Bool = false, in ctx: WriteContext) async throws -> User {
        var errors = FieldErrors()
        let email = TextRules.email(rawEmail, field: "email", required: true, errors: &errors)
        let name = TextRules.line(rawName, field: "name", max: 200, required: true, min: 2, errors: &errors)
        try errors.throwIfAny()
        if try await findUser(email: email, on: ctx.db) != nil {
            throw AppError.conflict(field: "email", "Det finns redan ett konto med den e-postadressen.")
        }
        let u = User()
        u.id = UUID()
        u.email = email
        u.name = name
        u.passwordHash = passwordHash
        u.status = passwordHash == nil ? .invited : .active
        u.language = "sv"
        u.isDemo = isDemo
        u.version = 1
        try await u.create(on: ctx.db)
        ctx.audit("create", u, id: u.id, before: nil)
        try await AccountHooks.runAccountCreated(u, in: ctx)
        return u
    }

    /// Adds a membership after checking that its scope exists and fits the role.
    static func addMembership(userID: UUID, role: Role, bodyID: UUID?, organisationID: UUID?, unitIDs: [UUID] = [], viaRoleID: UUID? = nil,
                              in ctx: WriteContext) async throws -> Membership {
        if let e = InvitationRules.scopeError(role: role, bodyID: bodyID, organisationID: organisationID) {
            throw AppError.invalid(field: e.field, code: e.code)
        }
        if let bodyID, try await PublicBody.find(bodyID, on: ctx.db) == nil { throw AppError.invalid(field: "bodyId", code: "notFound") }
        if let organisationID, try await Organisation.find(organisationID, on: ctx.db) == nil { throw AppError.invalid(field: "organisationId", code: "notFound") }
        for u in unitIDs {
            guard let unit = try await OrgUnit.find(u, on: ctx.db), unit.bodyID == bodyID else { throw AppError.invalid(field: "unitIds", code: "notFound") }
        }
        let existing = try await Membership.query(on: ctx.db).filter(\.$userID == userID).filter(\.$role == role).all()
            .first { $0.bodyID == bodyID && $0.organisationID == organisationID && $0.viaRoleID == viaRoleID && $0.unitIDs == unitIDs.map(\.uuidString).joined(separator: ",") }
        if let existing { return existing }
        let m = Membership()
        m.id = UUID()
        m.userID = userID
        m.role = role
        m.bodyID = bodyID
        m.organisationID = organisationID
        m.unitIDs = unitIDs.map(\.uuidString).joined(separator: ",")
        m.viaRoleID = viaRoleID
        try await m.create(on: ctx.db)
        ctx.audit("create", m, id: m.id, before: nil)
        return m
    }

    static func removeMembership(_ id: UUID, in ctx: WriteContext) async throws {
        guard let m = try await Membership.find(id, on: ctx.db) else { throw AppError.notFound() }
        let before = m.auditSnapshot
        try await m.delete(on: ctx.db)
        ctx.audit("delete", Membership.auditEntityType, id.uuidString, before: before, after: nil)
    }

    static func setPassword(_ user: User, hash: String, in ctx: WriteContext) async throws {
        let before = user.auditSnapshot
        user.passwordHash = hash
        if user.status == .invited { user.status = .active }
        user.version += 1
        try await user.save(on: ctx.db)
        ctx.audit("update", user, id: user.id, before: before)
        ctx.audit("passwordChanged", User.auditEntityType, user.id!.uuidString, before: nil, after: nil)
        // A new password ends every other way in.
        try await UserSession.query(on: ctx.db).filter(\.$userID == user.id!).delete()
        try await APIToken.query(on: ctx.db).filter(\.$userID == user.id!).filter(\.$kind == "session").delete()
    }

    /// Moves the account role that comes with a contact role from its previous holder to the new one.
    /// A contact role given to an e-mail address before its holder had an account: the tenure is linked to the new
    /// account, and the account permission the role carries comes with it (as at a handover).
    static func registerAccountHooks() {
        AccountHooks.accountCreated.register("accounts.roleTenures") { user, ctx in
            guard let uid = user.id else { return }
            let today = LocalDate.today()
            let tenures = try await RoleTenure.query(on: ctx.db).filter(\.$holderEmail == user.email).filter(\.$userID == nil).all()
                .filter { t in t.endsOn.map { LocalDate(stored: $0) >= today } ?? true }
            for t in tenures {
                let before = t.auditSnapshot
                t.userID = uid
                try await t.save(on: ctx.db)
                ctx.audit("linkAccount", t, id: t.id, before: before)
                try await RoleHandoverHooks.run(roleID: t.roleID, from: nil, to: uid, in: ctx)
            }
        }
    }

    static func registerHandoverHook() {
        RoleHandoverHooks.register("accounts") { roleID, from, to, ctx in
            guard let role = try await ContactRole.find(roleID, on: ctx.db), let raw = role.grantsRole, let grantRole = Role(rawValue: raw) else { return }
            if let from {
                for m in try await Membership.query(on: ctx.db).filter(\.$userID == from).filter(\.$viaRoleID == roleID).all() {
                    try await removeMembership(m.id!, in: ctx)
                }
            }
            guard let to, try await User.find(to, on: ctx.db) != nil else { return }
            var bodyID: UUID?
            var units: [UUID] = []
            if let unitID = role.unitID, let unit = try await OrgUnit.find(unitID, on: ctx.db) {
                bodyID = unit.bodyID
                units = grantRole == .official ? [unitID] : []
            }
            _ = try await addMembership(userID: to, role: grantRole, bodyID: bodyID, organisationID: role.organisationID,
                                        unitIDs: units, viaRoleID: roleID, in: ctx)
        }
    }
}

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

    static func end(_ req: Request) async throws {
        if let id = req.principal.sessionID { try await UserSession.query(on: req.db).filter(\.$id == id).delete() }
    }
}

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

/// Counts attempts per bucket in the database (shared by every node).
enum RateLimiter {
    /// Seconds to wait, or 0 when the attempt may go ahead.
    static func retryAfter(_ bucket: String, _ limit: RateLimit, on db: any Database) async throws -> Int {
        let since = Date().addingTimeInterval(-limit.window)
        let hits = try await RateLimitHit.query(on: db).filter(\.$bucket == bucket).filter(\.$at > since).all().map(\.at)
        return limit.retryAfter(hits: hits, now: Date())
    }

    static func record(_ bucket: String, on db: any Database) async throws {
        try await RateLimitHit(bucket: bucket, at: Date()).create(on: db)
        // Old hits are useless; trim now and then.
        if Int.random(in: 0..<50) == 0 {
            try await RateLimitHit.query(on: db).filter(\.$at < Date().addingTimeInterval(-86400)).delete()
        }
    }

    static func clear(_ bucket: String, on db: any Database) async throws {
        try await RateLimitHit.query(on: db).filter(\.$bucket == bucket).delete()
    }

    /// Throws 429 with Retry-After when any bucket is exhausted.
    static func check(_ buckets: [(String, RateLimit)], on db: any Database) async throws {
        var wait = 0
        for (b, l) in buckets { wait = max(wait, try await retryAfter(b, l, on: db)) }
        if wait > 0 {
            throw AppError(.tooManyRequests, "För många försök. Vänta \(max(1, wait / 60)) minut(er) och försök igen.",
                           headers: ["Retry-After": String(wait)])
        }
    }
}

extension Request {
    /// The client's address; the first `X-Forwarded-For` entry when running behind a trusted proxy.
    var clientAddress: String {
        if application.config.trustForwardedFor, let fwd = headers.first(name: .xForwardedFor)?.split(separator: ",").first {
            return fwd.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}

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
                if let lang = Language(rawValue: user.language), req.query[String.self, at: "lang"] == nil, req.cookies["lang"] == nil {
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
