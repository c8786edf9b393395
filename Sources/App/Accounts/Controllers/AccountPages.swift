import Fluent
import Vapor
import SamverkaRules

/// The signed-in user's own pages: profile, password, API tokens, sessions, data export, erasure,
/// and inviting others.
enum AccountPages {
    static func register(_ site: Router) {
        let a = site.grouped("account")
        a.get(access: .permission(.accountSelf), use: show)
        a.post("profile", access: .permission(.accountSelf), use: saveProfile)
        a.post("password", access: .permission(.accountSelf), use: changePassword)
        a.post("tokens", access: .permission(.accountSelf), use: createToken)
        a.post("tokens", ":id", "revoke", access: .permission(.accountSelf), use: revokeToken)
        a.post("sessions", ":id", "revoke", access: .permission(.accountSelf), use: revokeSession)
        a.get("export", access: .permission(.accountSelf), use: export)
        a.get("erase", access: .permission(.accountSelf), use: eraseConfirm)
        a.post("erase", access: .permission(.accountSelf), use: erase)
        site.get("invitations", "new", access: .permission(.userInvite), use: inviteForm)
        site.post("invitations", access: .permission(.userInvite), use: invite)
    }

    struct MembershipRow: Encodable, Sendable { var role: String; var scope: String; var via: String? }
    struct TokenRow: Encodable, Sendable { var id: UUID; var name: String; var prefix: String; var expires: String; var lastUsed: String?; var active: Bool }
    struct SessionRow: Encodable, Sendable { var id: UUID; var started: String; var lastSeen: String; var agent: String; var current: Bool }
    struct AccountPage: Encodable, Sendable {
        var name: String
        var email: String
        var memberships: [MembershipRow]
        var hasMemberships: Bool
        var profile: FormContext
        var password: FormContext
        var tokenForm: FormContext
        var tokens: [TokenRow]
        var hasTokens: Bool
        var sessions: [SessionRow]
        var newToken: String?
        var csrf: String
        var canInvite: Bool
        var isLegacy: Bool
        var notifyGroups: [TaskPages.PreferenceGroup] = []
    }

    static func scopeText(_ m: Membership, _ req: Request) async throws -> String {
        var parts: [String] = []
        if let b = m.bodyID, let body = try await DirectoryQueries.body(b, on: req.db) { parts.append(body.name) }
        if let o = m.organisationID, let org = try await DirectoryQueries.organisation(o, on: req.db) { parts.append(org.name) }
        for u in m.unitIDs.split(separator: ",") {
            if let id = UUID(uuidString: String(u)), let unit = try await DirectoryQueries.unit(id, on: req.db) { parts.append(unit.name) }
        }
        return parts.isEmpty ? req.t("account.everywhere") : parts.joined(separator: " › ")
    }

    static func render(_ req: Request, newToken: String? = nil, profileErrors: [FieldError] = [], passwordErrors: [FieldError] = [],
                       tokenErrors: [FieldError] = [], status: HTTPStatus = .ok) async throws -> Response {
        guard let userID = req.principal.userID, let user = try await AccountService.user(userID, on: req.db) else {
            // The deprecated admin token has no account page.
            throw AppError.forbidden(code: "personalAccount")
        }
        var rows: [MembershipRow] = []
        for m in try await AccountService.memberships(of: userID, on: req.db) {
            var via: String?
            if let r = m.viaRoleID, let role = try await DirectoryQueries.role(r, on: req.db) { via = role.title }
            rows.append(MembershipRow(role: req.t("role.\(m.role.rawValue)"), scope: try await scopeText(m, req), via: via))
        }
        let tokens = try await TokenService.apiTokens(userID: userID, on: req.db)
        let sessions = try await SessionService.sessions(userID: userID, on: req.db)
        let now = Date()
        let data = AccountPage(
            name: user.name, email: user.email, memberships: rows, hasMemberships: !rows.isEmpty,
            profile: req.form(action: "/account/profile", submitLabel: req.t("form.save"), fields: [
                FormField("name", label: req.t("auth.name"), value: user.name, required: true, autocomplete: "name", maxLength: 200),
                FormField("language", label: req.t("account.language"), kind: .select, options: [
                    .init(value: "sv", label: "Svenska", selected: user.language == "sv"), .init(value: "en", label: "English", selected: user.language == "en")]),
            ], errors: profileErrors, version: user.version),
            password: req.form(action: "/account/password", submitLabel: req.t("account.changePassword"), fields: [
                FormField("current", label: req.t("account.currentPassword"), kind: .password, required: true, autocomplete: "current-password", maxLength: 200),
            ] + AuthPages.passwordFields(req, withName: nil), errors: passwordErrors),
            tokenForm: req.form(action: "/account/tokens", submitLabel: req.t("account.tokens.create"), fields: [
                FormField("name", label: req.t("account.tokens.name"), hint: req.t("account.tokens.nameHint"), required: true, maxLength: 100),
                FormField("days", label: req.t("account.tokens.days"), kind: .number, value: "90", required: true, maxLength: 3),
            ], errors: tokenErrors),
            tokens: tokens.map { TokenRow(id: $0.id!, name: $0.name, prefix: $0.prefix, expires: req.dateTime($0.expiresAt),
                                          lastUsed: $0.lastUsedAt.map { req.dateTime($0) }, active: $0.revokedAt == nil && $0.expiresAt > now) },
            hasTokens: !tokens.isEmpty,
            sessions: sessions.map { SessionRow(id: $0.id!, started: req.dateTime($0.createdAt), lastSeen: req.dateTime($0.lastSeenAt),
                                                agent: $0.userAgent.isEmpty ? "–" : $0.userAgent, current: $0.id == req.principal.sessionID) },
            newToken: newToken, csrf: req.csrfToken, canInvite: Policy.allows(req.principal, .userInvite), isLegacy: false)
        var page = data
        page.notifyGroups = try await TaskPages.preferenceGroups(req, userID: userID)
        return try await req.page("accounts/account", title: req.t("account.title"), page, status: status)
    }

    @Sendable static func show(_ req: Request) async throws -> Response { try await render(req) }

    struct ProfileBody: Content { var name: String?; var language: String?; var version: Int? }

    @Sendable static func saveProfile(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(ProfileBody.self)
        guard let userID = req.principal.userID else { throw AppError.forbidden() }
        do {
            try await req.write { ctx in
                try await AccountService.updateProfile(userID: userID, name: body.name, language: body.language, version: body.version, in: ctx)
            }
            let res = req.redirect(to: "/account", flash: req.t("saved"))
            res.cookies["lang"] = HTTPCookies.Value(string: body.language == "en" ? "en" : "sv", maxAge: 365 * 86400, path: "/",
                                                    isSecure: req.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
            return res
        } catch {
            return try await rerender(req, error: error) { try await render(req, profileErrors: $0) }
        }
    }

    struct PasswordBody: Content { var current: String?; var password: String?; var confirm: String? }

    @Sendable static func changePassword(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(PasswordBody.self)
        guard let userID = req.principal.userID, let user = try await AccountService.user(userID, on: req.db) else { throw AppError.forbidden() }
        do {
            guard let hash = user.passwordHash, try await req.password.async.verify(body.current ?? "", created: hash).get() else {
                throw AppError.invalid(field: "current", code: "wrongPassword")
            }
            let newHash = try await AuthPages.newPasswordHash(.init(password: body.password, confirm: body.confirm), email: user.email, req)
            try await req.write { ctx in try await AccountService.setPassword(user, hash: newHash, in: ctx) }
            // setPassword ended every session, including this one: start a new one.
            let token = try await SessionService.start(for: user, req)
            req.rotateCSRFToken()
            let res = req.redirect(to: "/account", flash: req.t("account.passwordChanged"))
            res.cookies[SessionService.cookieName] = SessionService.cookie(token, req)
            return res
        } catch {
            return try await rerender(req, error: error) { try await render(req, passwordErrors: $0) }
        }
    }

    struct TokenBody: Content { var name: String?; var days: String? }

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(TokenBody.self)
        guard let userID = req.principal.userID else { throw AppError.forbidden() }
        do {
            var errors = FieldErrors()
            let name = TextRules.line(body.name, field: "name", max: 100, required: true, errors: &errors)
            let days = TextRules.integer(body.days, field: "days", range: 1...365, required: true, errors: &errors)
            try errors.throwIfAny()
            let token = try await req.write { ctx in try await TokenService.createAPIToken(userID: userID, name: name, days: days ?? 90, in: ctx).token }
            return try await render(req, newToken: token)
        } catch {
            return try await rerender(req, error: error) { try await render(req, tokenErrors: $0) }
        }
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let userID = req.principal.userID else { throw AppError.forbidden() }
        try await req.write { ctx in try await TokenService.revokeAPIToken(id, userID: userID, in: ctx) }
        return req.redirect(to: "/account", flash: req.t("account.tokens.revoked"))
    }

    @Sendable static func revokeSession(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let userID = req.principal.userID else { throw AppError.forbidden() }
        try await SessionService.revoke(id, userID: userID, on: req.db)
        return req.redirect(to: "/account", flash: req.t("account.sessions.revoked"))
    }

    @Sendable static func export(_ req: Request) async throws -> Response {
        guard let userID = req.principal.userID else { throw AppError.forbidden() }
        let json = try await GDPRService.export(userID: userID, on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"samverka-mina-uppgifter.json\"")
        return Response(status: .ok, headers: headers, body: .init(string: json.serialized()))
    }

    static func erasePage(_ req: Request, errors: [FieldError]) async throws -> Response {
        let form = req.form(action: "/account/erase", submitLabel: req.t("account.erase.submit"), fields: [
            FormField("current", label: req.t("account.currentPassword"), kind: .password, required: true, autocomplete: "current-password", maxLength: 200),
        ], errors: errors, cancelHref: "/account")
        return try await req.formPage(heading: req.t("account.erase.title"), intro: req.t("account.erase.intro"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func eraseConfirm(_ req: Request) async throws -> Response { try await erasePage(req, errors: []) }

    @Sendable static func erase(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(PasswordBody.self)
        guard let userID = req.principal.userID, let user = try await AccountService.user(userID, on: req.db) else { throw AppError.forbidden() }
        do {
            guard let hash = user.passwordHash, try await req.password.async.verify(body.current ?? "", created: hash).get() else {
                throw AppError.invalid(field: "current", code: "wrongPassword")
            }
            try await req.write { ctx in try await GDPRService.erase(userID: userID, in: ctx) }
            let res = req.redirect(to: "/", flash: req.t("account.erase.done"))
            res.cookies[SessionService.cookieName] = .expired
            return res
        } catch {
            return try await rerender(req, error: error) { try await erasePage(req, errors: $0) }
        }
    }

    // MARK: Invitations

    struct InviteBody: Content { var email: String?; var name: String?; var role: String?; var bodyId: String?; var organisation: String? }

    static func inviteFields(_ req: Request, _ b: InviteBody) async throws -> [FormField] {
        let roles: [Role] = req.principal.isAdmin ? Role.allCases : [.representative, .official, .politician, .reviewer]
        let bodies = try await req.officialBodies()
        return [
            FormField("email", label: req.t("auth.email"), kind: .email, value: b.email, required: true, maxLength: 254),
            FormField("name", label: req.t("auth.name"), value: b.name, required: true, maxLength: 200),
            FormField("role", label: req.t("account.role"), kind: .select, required: true,
                      options: [.init(value: "", label: req.t("form.choose"))] + roles.map { .init(value: $0.rawValue, label: req.t("role.\($0.rawValue)"), selected: b.role == $0.rawValue) }),
            FormField("bodyId", label: req.t("account.body"), kind: .select, hint: req.t("account.bodyHint"),
                      options: [.init(value: "", label: req.t("form.none"))] + bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: b.bodyId == $0.id.uuidString) }),
            FormField("organisation", label: req.t("account.organisation"), value: b.organisation, hint: req.t("account.organisationHint"), maxLength: 40),
        ]
    }

    static func invitePage(_ req: Request, _ b: InviteBody, errors: [FieldError], link: String? = nil) async throws -> Response {
        let form = req.form(action: "/invitations", submitLabel: req.t("account.invite.submit"), fields: try await inviteFields(req, b), errors: errors, cancelHref: "/account")
        return try await req.formPage(heading: req.t("account.invite.title"), intro: link.map { req.t("account.invite.sent", $0) } ?? req.t("account.invite.intro"),
                                      form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func inviteForm(_ req: Request) async throws -> Response { try await invitePage(req, InviteBody(), errors: []) }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        let b = try req.decodeForm(InviteBody.self)
        do {
            var errors = FieldErrors()
            guard let role = Role(rawValue: b.role ?? "") else { throw AppError.invalid(field: "role", code: "required") }
            var orgID: UUID?
            if let raw = b.organisation?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                if let id = UUID(uuidString: raw) { orgID = id }
                else if case .success(let n) = OrganisationNumber.parse(raw), let org = try await DirectoryQueries.organisation(orgnr: n.normalized, on: req.db) { orgID = org.id }
                else { errors.add("organisation", code: "parentNotFound") }
            }
            try errors.throwIfAny()
            let payload = OneTimeLinks.InvitePayload(role: role, bodyId: b.bodyId.flatMap { UUID(uuidString: $0) }, organisationId: orgID, unitIds: [])
            let base = req.application.config.publicBaseURL
            _ = try await req.write { ctx in try await OneTimeLinks.invite(email: b.email ?? "", name: b.name ?? "", payload: payload, baseURL: base, in: ctx) }
            Task { [app = req.application] in await Outbox.deliverPending(app) }
            return req.redirect(to: "/invitations/new", flash: req.t("account.invite.done", b.email ?? ""))
        } catch {
            return try await rerender(req, error: error) { errs in
                try await invitePage(req, b, errors: errs.map { e in var e = e; if e.field == "organisationId" { e.field = "organisation" }; return e })
            }
        }
    }
}
