import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/session`, `/api/v1/me…`, `/api/v1/users`, `/api/v1/invitations`, `/api/v1/audit`, `/api/v1/personal-data`.
enum AccountsAPIController {
    static let tag = "Accounts"

    static func register(_ api: Router) {
        let s = api.registry.schemas
        s.register("SessionInput", .object([("email", .string(maxLength: 254)), ("password", .string(maxLength: 200))], required: ["email", "password"]))
        s.register("SessionToken", .object([("token", .string()), ("tokenType", .oneOf(["Bearer"])), ("expiresAt", .dateTime)], required: ["token", "tokenType", "expiresAt"]))
        s.register("Membership", .object([("id", .uuid), ("role", .oneOf(Role.allCases.map(\.rawValue))), ("bodyId", .nullable(.uuid)),
                                          ("organisationId", .nullable(.uuid)), ("unitIds", .array(.uuid)), ("viaRoleId", .nullable(.uuid))],
                                         required: ["id", "role", "unitIds"]))
        s.register("User", .object([("id", .uuid), ("email", .string()), ("name", .string()), ("status", .oneOf(["active", "invited", "disabled", "erased"])),
                                    ("language", .string()), ("memberships", .array(.ref("Membership")))], required: ["id", "email", "name", "status", "memberships"]))
        s.register("TokenInput", .object([("name", .text(max: 100)), ("expiresInDays", .integer(minimum: 1, maximum: 365))], required: ["name"]))
        s.register("APIToken", .object([("id", .uuid), ("name", .string()), ("prefix", .string()), ("expiresAt", .dateTime),
                                        ("revokedAt", .nullable(.dateTime)), ("lastUsedAt", .nullable(.dateTime)), ("token", .nullable(.string()))],
                                       required: ["id", "name", "prefix", "expiresAt"]))
        s.register("InvitationInput", .object([("email", .string(maxLength: 254)), ("name", .text(max: 200)), ("role", .oneOf(Role.allCases.map(\.rawValue))),
                                               ("bodyId", .nullable(.uuid)), ("organisationId", .nullable(.uuid))], required: ["email", "name", "role"]))
        s.register("Invitation", .object([("userId", .uuid), ("email", .string()), ("role", .string()), ("expiresAt", .dateTime)], required: ["userId", "email", "role", "expiresAt"]))
        s.register("AuditEvent", .object([("seq", .integer()), ("occurredAt", .string()), ("actorUserId", .nullable(.uuid)), ("actor", .string()),
                                          ("action", .string()), ("entityType", .string()), ("entityId", .string()), ("changes", .object([], additional: true)),
                                          ("requestId", .string()), ("hash", .string())], required: ["seq", "occurredAt", "action", "entityType", "entityId", "hash"], additional: true))
        s.register("AuditVerification", .object([("ok", .boolean), ("checked", .integer(minimum: 0)), ("brokenAt", .nullable(.integer())), ("problem", .nullable(.string()))],
                                                required: ["ok", "checked"]))
        s.register("PersonalDataEntry", .object([("table", .string()), ("field", .string()), ("purpose", .string()), ("lawfulBasis", .string()),
                                                 ("retention", .string()), ("onErasure", .string())], required: ["table", "field", "purpose", "lawfulBasis"]))

        api.post("session", access: .anyone, api: APIOperation("Sign in: exchange e-mail and password for a short-lived bearer token", tag: tag,
                 body: .ref("SessionInput"), status: 201, response: .ref("SessionToken")), use: signIn)
        api.delete("session", access: .signedIn, api: APIOperation("Revoke the bearer token used for this request", tag: tag, status: 204), use: signOut)
        api.get("me", access: .signedIn, api: APIOperation("The signed-in user with memberships", tag: tag, response: .ref("User")), use: me)
        api.get("me", "export", access: .permission(.accountSelf), api: APIOperation("Everything stored about the signed-in user (GDPR)", tag: tag,
                response: .object([], additional: true)), use: export)
        api.get("me", "tokens", access: .permission(.accountSelf), api: APIOperation("The user's API tokens", tag: tag, response: .array(.ref("APIToken"))), use: tokens)
        api.post("me", "tokens", access: .permission(.accountSelf), api: APIOperation("Create an API token (shown once)", tag: tag, body: .ref("TokenInput"),
                 status: 201, response: .ref("APIToken")), use: createToken)
        api.delete("me", "tokens", ":id", access: .permission(.accountSelf), api: APIOperation("Revoke an API token", tag: tag, status: 204), use: revokeToken)
        api.get("users", access: .permission(.userManage), api: APIOperation("List users", tag: tag,
                query: [APIParameter("q", .string(maxLength: 100), "E-post eller namn.")] + PagingParameters.all, response: .page(of: .ref("User"))), use: users)
        api.post("invitations", access: .permission(.userInvite), api: APIOperation("Invite a person to a role (e-mail with a link)", tag: tag,
                 body: .ref("InvitationInput"), status: 201, response: .ref("Invitation")), use: invite)
        api.get("audit", access: .permission(.auditRead), api: APIOperation("Audit events, newest first", tag: tag, query: [
            APIParameter("entityType", .string(maxLength: 100), "Typ av post."), APIParameter("entityId", .string(maxLength: 100), "Postens id."),
            APIParameter("action", .string(maxLength: 100), "Handling."), APIParameter("actor", .string(maxLength: 100), "Användarens e-post."),
            APIParameter("from", .date, "Från och med datum."), APIParameter("to", .date, "Till och med datum."),
        ] + PagingParameters.all, response: .page(of: .ref("AuditEvent"))), use: audit)
        api.get("audit", "verify", access: .permission(.auditRead), api: APIOperation("Verify the hash chain of the audit log", tag: tag,
                response: .ref("AuditVerification")), use: verify)
        api.get("personal-data", access: .anyone, api: APIOperation("Register of personal data fields and lawful bases", tag: tag,
                response: .array(.ref("PersonalDataEntry"))), use: { req in PersonalDataRegister.all(for: req) })
    }

    struct SessionBody: Content { var email: String?; var password: String? }
    struct SessionToken: Content { var token: String; var tokenType: String; var expiresAt: Date }

    @Sendable static func signIn(_ req: Request) async throws -> Response {
        let body = try req.content.decode(SessionBody.self)
        var errors = FieldErrors()
        if (body.email ?? "").isEmpty { errors.add("email", code: "required") }
        if (body.password ?? "").isEmpty { errors.add("password", code: "required") }
        try errors.throwIfAny()
        let user = try await AuthPages.authenticate(email: body.email, password: body.password, req)
        let (token, model) = try await TokenService.create(userID: user.id!, name: "API-inloggning", kind: "session",
                                                           lifetime: TokenService.sessionTokenLifetime, in: req.db)
        return try await SessionToken(token: token, tokenType: "Bearer", expiresAt: model.expiresAt).encodeResponse(status: .created, for: req)
    }

    @Sendable static func signOut(_ req: Request) async throws -> HTTPStatus {
        if let id = req.principal.tokenID { try await TokenService.endSessionToken(id, on: req.db) }
        if req.principal.method == .session { try await SessionService.end(req) }
        return .noContent
    }

    struct MembershipDTO: Content { var id: UUID; var role: String; var bodyId: UUID?; var organisationId: UUID?; var unitIds: [UUID]; var viaRoleId: UUID? }
    struct UserDTO: Content { var id: UUID; var email: String; var name: String; var status: String; var language: String; var memberships: [MembershipDTO] }

    static func dto(_ u: User, on db: any Database) async throws -> UserDTO {
        let ms = try await AccountService.memberships(of: u.id!, on: db).map {
            MembershipDTO(id: $0.id!, role: $0.role.rawValue, bodyId: $0.bodyID, organisationId: $0.organisationID, unitIds: $0.grant.unitIDs, viaRoleId: $0.viaRoleID)
        }
        return UserDTO(id: u.id!, email: u.email, name: u.displayName, status: u.status.rawValue, language: u.language, memberships: ms)
    }

    @Sendable static func me(_ req: Request) async throws -> UserDTO {
        guard let id = req.principal.userID, let u = try await AccountService.user(id, on: req.db) else {
            // The deprecated admin token has no user; describe it as such.
            return UserDTO(id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), email: "", name: req.principal.displayName,
                           status: "active", language: "sv", memberships: [])
        }
        return try await dto(u, on: req.db)
    }

    @Sendable static func export(_ req: Request) async throws -> Response {
        guard let id = req.principal.userID else { throw AppError.forbidden(code: "personalAccount") }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: try await GDPRService.export(userID: id, on: req.db).serialized()))
    }

    struct TokenDTO: Content { var id: UUID; var name: String; var prefix: String; var expiresAt: Date; var revokedAt: Date?; var lastUsedAt: Date?; var token: String? }

    @Sendable static func tokens(_ req: Request) async throws -> [TokenDTO] {
        guard let id = req.principal.userID else { return [] }
        return try await TokenService.apiTokens(userID: id, on: req.db)
            .map { TokenDTO(id: $0.id!, name: $0.name, prefix: $0.prefix, expiresAt: $0.expiresAt, revokedAt: $0.revokedAt, lastUsedAt: $0.lastUsedAt, token: nil) }
    }

    struct TokenBody: Content { var name: String?; var expiresInDays: Int? }

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        guard let userID = req.principal.userID else { throw AppError.forbidden(code: "personalAccount") }
        let body = try req.content.decode(TokenBody.self)
        var errors = FieldErrors()
        let name = TextRules.line(body.name, field: "name", max: 100, required: true, errors: &errors)
        let days = body.expiresInDays ?? 90
        if !(1...365).contains(days) { errors.add("expiresInDays", code: "range", "1", "365") }
        try errors.throwIfAny()
        let (token, model) = try await req.write { ctx in try await TokenService.createAPIToken(userID: userID, name: name, days: days, in: ctx) }
        return try await TokenDTO(id: model.id!, name: model.name, prefix: model.prefix, expiresAt: model.expiresAt, revokedAt: nil, lastUsedAt: nil, token: token)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let userID = req.principal.userID else { throw AppError.notFound() }
        try await req.write { ctx in try await TokenService.revokeAPIToken(id, userID: userID, in: ctx) }
        return .noContent
    }

    @Sendable static func users(_ req: Request) async throws -> Paged<UserDTO> {
        let page = try PageRequest.from(req)
        let q = (req.queryValue("q") ?? "").trimmingCharacters(in: .whitespaces)
        guard q.count <= 100 else { throw AppError.badRequest(code: "searchTooLong", field: "q") }
        let (total, users) = try await AccountService.search(q, page: page, on: req.db)
        var items: [UserDTO] = []
        for u in users { items.append(try await dto(u, on: req.db)) }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    struct InviteBody: Content { var email: String?; var name: String?; var role: String?; var bodyId: UUID?; var organisationId: UUID? }
    struct InvitationDTO: Content { var userId: UUID; var email: String; var role: String; var expiresAt: Date }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        let b = try req.content.decode(InviteBody.self)
        guard let role = Role(rawValue: b.role ?? "") else { throw AppError.invalid(field: "role", code: "oneOf", Role.allCases.map(\.rawValue).joined(separator: ", ")) }
        let base = req.application.config.publicBaseURL
        let email = AccountService.normalizeEmail(b.email ?? "")
        try await req.write { ctx in
            _ = try await OneTimeLinks.invite(email: email, name: b.name ?? "", payload: .init(role: role, bodyId: b.bodyId, organisationId: b.organisationId, unitIds: []),
                                              baseURL: base, in: ctx)
        }
        Task { [app = req.application] in await Outbox.deliverPending(app) }
        guard let user = try await AccountService.findUser(email: email, on: req.db) else { throw AppError.notFound() }
        return try await InvitationDTO(userId: user.id!, email: user.email, role: role.rawValue, expiresAt: Date().addingTimeInterval(OneTimeLinks.inviteLifetime))
            .encodeResponse(status: .created, for: req)
    }

    @Sendable static func audit(_ req: Request) async throws -> Response {
        let page = try PageRequest.from(req)
        let f = AdminPages.auditFilter(req)
        for (k, v) in [("from", f.from), ("to", f.to)] where !v.isEmpty && LocalDate(v) == nil {
            throw AppError.badRequest(code: "date", field: k)
        }
        let found = try await AuditLogService.search(f, page: page, on: req.db)
        let (total, names) = (found.total, found.names)
        let items: [JSONValue] = found.events.map { e in
            let changes = (try? JSONDecoder().decode(JSONValue.self, from: Data(e.changes.utf8))) ?? .object([])
            return .object([
                ("seq", .int(e.seq)), ("occurredAt", .string(e.occurredAt)), ("actorUserId", e.actorUserID.map { .string($0.uuidString) } ?? .null),
                ("actor", .string(e.actorUserID.flatMap { names[$0] } ?? "\(e.actorKind):\(e.actorLabel)")), ("action", .string(e.action)),
                ("entityType", .string(e.entityType)), ("entityId", .string(e.entityID)), ("changes", changes), ("requestId", .string(e.requestID)),
                ("hash", .string(e.hash)),
            ])
        }
        let body: JSONValue = ["items": .array(items), "metadata": ["page": .int(page.page), "per": .int(page.per), "total": .int(total)]]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: body.serialized()))
    }

    struct VerifyDTO: Content { var ok: Bool; var checked: Int; var brokenAt: Int?; var problem: String? }

    @Sendable static func verify(_ req: Request) async throws -> VerifyDTO {
        let v = try await AuditChain.verify(on: req.db)
        return VerifyDTO(ok: v.ok, checked: v.checked, brokenAt: v.brokenAt, problem: v.problem)
    }
}
