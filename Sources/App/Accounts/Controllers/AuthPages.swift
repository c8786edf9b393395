import Fluent
import Vapor
import SamverkaRules

/// Sign-in, sign-out, password reset and accepting invitations.
enum AuthPages {
    static func register(_ site: Router) {
        site.get("sign-in", access: .anyone, use: signInForm)
        site.post("sign-in", access: .anyone, use: signIn)
        site.post("sign-out", access: .anyone, use: signOut)
        site.get("password", "forgot", access: .anyone, use: forgotForm)
        site.post("password", "forgot", access: .anyone, use: forgot)
        site.get("password", "reset", ":token", access: .anyone, use: resetForm)
        site.post("password", "reset", ":token", access: .anyone, use: reset)
        site.get("invitations", ":token", access: .anyone, use: acceptForm)
        site.post("invitations", ":token", access: .anyone, use: accept)
    }

    struct SignInBody: Content { var email: String?; var password: String?; var next: String? }

    struct SignInPage: Encodable, Sendable { var form: FormContext; var message: String?; var demo: Bool }

    static func signInPage(_ req: Request, email: String?, next: String?, errors: [FieldError], message: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let form = req.form(action: "/sign-in", submitLabel: req.t("auth.signIn"), fields: [
            FormField("email", label: req.t("auth.email"), kind: .email, value: email, required: true, autocomplete: "username", maxLength: 254),
            FormField("password", label: req.t("auth.password"), kind: .password, required: true, autocomplete: "current-password", maxLength: 200),
            // No `next`: the start page ("Att göra") after sign-in.
            FormField("next", kind: .hidden, value: SafeRedirect.path(next, fallback: "")),
        ], errors: errors)
        let demo = try await AccountService.hasDemoAccounts(on: req.db)
        return try await req.page("accounts/sign-in", title: req.t("auth.signIn"), SignInPage(form: form, message: message, demo: demo), status: status)
    }

    @Sendable static func signInForm(_ req: Request) async throws -> Response {
        if req.principal.isSignedIn { return req.redirect(to: SafeRedirect.path(req.queryValue("next"))) }
        return try await signInPage(req, email: nil, next: req.queryValue("next"), errors: [])
    }

    /// Checks e-mail and password under the rate limits; records a failure on every wrong attempt.
    static func authenticate(email rawEmail: String?, password: String?, _ req: Request) async throws -> User {
        let email = AccountService.normalizeEmail(rawEmail ?? "")
        let buckets = [("signin:acct:\(email)", RateLimit.signInPerAccount), ("signin:ip:\(req.clientAddress)", RateLimit.signInPerAddress)]
        try await RateLimiter.check(buckets, on: req.db)
        let user = email.isEmpty ? nil : try await AccountService.findUser(email: email, on: req.db)
        var ok = false
        if let user, user.status == .active, let hash = user.passwordHash, let password, !password.isEmpty, password.utf8.count <= 200 {
            ok = try await req.password.async.verify(password, created: hash).get()
        } else {
            // Same work whether or not the account exists, so timing does not reveal it.
            _ = try? await req.password.async.hash("timing-equaliser").get()
        }
        guard ok, let user else {
            for (b, _) in buckets { try await RateLimiter.record(b, on: req.db) }
            try await req.db.write(as: .anonymous, requestID: req.requestID) { ctx in
                ctx.auditSummary("signInFailed", User.auditEntityType, user?.id?.uuidString ?? "", [])
            }
            throw AppError(.unprocessableEntity, "Fel e-postadress eller lösenord.",
                           fields: [FieldError(field: "password", code: "signInFailed")])
        }
        try await RateLimiter.clear(buckets[0].0, on: req.db)
        return user
    }

    @Sendable static func signIn(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(SignInBody.self)
        do {
            let user = try await authenticate(email: body.email, password: body.password, req)
            try await SessionService.end(req)
            let token = try await SessionService.start(for: user, req)
            req.rotateCSRFToken()
            let res = req.redirect(to: SafeRedirect.path(body.next, fallback: "/tasks"), flash: req.t("auth.welcome", user.name))
            res.cookies[SessionService.cookieName] = SessionService.cookie(token, req)
            return res
        } catch let e as AppError where e.status == .tooManyRequests {
            let res = try await signInPage(req, email: body.email, next: body.next, errors: [], message: e.reason, status: .tooManyRequests)
            res.headers.replaceOrAdd(name: "Retry-After", value: e.headers.first(name: "Retry-After") ?? "60")
            return res
        } catch {
            return try await rerender(req, error: error) { try await signInPage(req, email: body.email, next: body.next, errors: $0) }
        }
    }

    @Sendable static func signOut(_ req: Request) async throws -> Response {
        try await SessionService.end(req)
        req.rotateCSRFToken()
        let res = req.redirect(to: "/", flash: req.t("auth.signedOut"))
        res.cookies[SessionService.cookieName] = .expired
        return res
    }

    // MARK: Password reset

    struct EmailBody: Content { var email: String? }

    static func forgotPage(_ req: Request, sent: Bool, errors: [FieldError] = [], status: HTTPStatus = .ok) async throws -> Response {
        let form = req.form(action: "/password/forgot", submitLabel: req.t("auth.forgot.submit"), fields: [
            FormField("email", label: req.t("auth.email"), kind: .email, required: true, autocomplete: "username", maxLength: 254),
        ], errors: errors)
        return try await req.formPage(heading: req.t("auth.forgot.title"), intro: sent ? req.t("auth.forgot.sent") : req.t("auth.forgot.intro"), form: form, status: status)
    }

    @Sendable static func forgotForm(_ req: Request) async throws -> Response { try await forgotPage(req, sent: false) }

    @Sendable static func forgot(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(EmailBody.self)
        let email = AccountService.normalizeEmail(body.email ?? "")
        var errors = FieldErrors()
        _ = TextRules.email(email, field: "email", required: true, errors: &errors)
        if !errors.isEmpty { return try await forgotPage(req, sent: false, errors: errors.all.map { $0.localized(req.application.localizer, req.language) }, status: .unprocessableEntity) }
        let buckets = [("reset:acct:\(email)", RateLimit.resetPerAccount), ("reset:ip:\(req.clientAddress)", RateLimit.resetPerAddress)]
        do { try await RateLimiter.check(buckets, on: req.db) } catch let e as AppError {
            let res = try await forgotPage(req, sent: false, errors: [FieldError(field: "email", message: e.reason)], status: .tooManyRequests)
            res.headers.replaceOrAdd(name: "Retry-After", value: e.headers.first(name: "Retry-After") ?? "60")
            return res
        }
        for (b, _) in buckets { try await RateLimiter.record(b, on: req.db) }
        let base = req.application.config.publicBaseURL
        try await req.write { ctx in try await OneTimeLinks.requestReset(email: email, baseURL: base, in: ctx) }
        Task { [app = req.application] in await Outbox.deliverPending(app) }
        return try await forgotPage(req, sent: true)
    }

    struct PasswordBody: Content { var password: String?; var confirm: String?; var name: String? }

    static func passwordFields(_ req: Request, withName: String?) -> [FormField] {
        var f: [FormField] = []
        if let withName { f.append(FormField("name", label: req.t("auth.name"), value: withName, required: true, autocomplete: "name", maxLength: 200)) }
        f.append(FormField("password", label: req.t("auth.newPassword"), kind: .password, hint: req.t("auth.passwordHint"), required: true, autocomplete: "new-password", maxLength: 200))
        f.append(FormField("confirm", label: req.t("auth.confirmPassword"), kind: .password, required: true, autocomplete: "new-password", maxLength: 200))
        return f
    }

    /// Checks the new password against the policy and its confirmation; returns the bcrypt hash.
    static func newPasswordHash(_ body: PasswordBody, email: String?, _ req: Request) async throws -> String {
        let password = body.password ?? ""
        if let code = req.application.passwordPolicy.check(password, email: email) { throw AppError.invalid(field: "password", code: code) }
        if password != (body.confirm ?? "") { throw AppError.invalid(field: "confirm", code: "passwordMismatch") }
        return try await req.password.async.hash(password).get()
    }

    @Sendable static func resetForm(_ req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        guard try await OneTimeLinks.user(for: token, purpose: "reset", on: req.db) != nil else {
            throw AppError(.notFound, req.t("auth.reset.invalid"))
        }
        let form = req.form(action: "/password/reset/\(token)", submitLabel: req.t("auth.reset.submit"), fields: passwordFields(req, withName: nil))
        return try await req.formPage(heading: req.t("auth.reset.title"), form: form)
    }

    @Sendable static func reset(_ req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let body = try req.decodeForm(PasswordBody.self)
        do {
            guard let user = try await OneTimeLinks.user(for: token, purpose: "reset", on: req.db) else {
                throw AppError(.notFound, req.t("auth.reset.invalid"))
            }
            let hash = try await newPasswordHash(body, email: user.email, req)
            _ = try await req.db.write(as: try await AccountService.principal(for: user, method: .session, on: req.db), requestID: req.requestID) { ctx in
                try await OneTimeLinks.completeReset(token, passwordHash: hash, in: ctx)
            }
            return req.redirect(to: "/sign-in", flash: req.t("auth.reset.done"))
        } catch {
            return try await rerender(req, error: error) { errs in
                let form = req.form(action: "/password/reset/\(token)", submitLabel: req.t("auth.reset.submit"), fields: passwordFields(req, withName: nil), errors: errs)
                return try await req.formPage(heading: req.t("auth.reset.title"), form: form)
            }
        }
    }

    // MARK: Invitations

    static func acceptPage(_ req: Request, token: String, name: String, errors: [FieldError]) async throws -> Response {
        guard let user = try await OneTimeLinks.user(for: token, purpose: "invite", on: req.db) else {
            throw AppError(.notFound, req.t("auth.invite.invalid"))
        }
        let form = req.form(action: "/invitations/\(token)", submitLabel: req.t("auth.invite.submit"), fields: passwordFields(req, withName: name.isEmpty ? user.name : name), errors: errors)
        return try await req.formPage(heading: req.t("auth.invite.title"), intro: req.t("auth.invite.intro", user.email), form: form,
                                      status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func acceptForm(_ req: Request) async throws -> Response {
        try await acceptPage(req, token: try req.parameters.require("token"), name: "", errors: [])
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let body = try req.decodeForm(PasswordBody.self)
        do {
            guard let invited = try await OneTimeLinks.user(for: token, purpose: "invite", on: req.db) else {
                throw AppError(.notFound, req.t("auth.invite.invalid"))
            }
            let hash = try await newPasswordHash(body, email: invited.email, req)
            let actor = Principal(userID: invited.id, displayName: invited.name, grants: [], method: .session)
            let user = try await req.db.write(as: actor, requestID: req.requestID) { ctx in
                try await OneTimeLinks.accept(token, name: body.name ?? "", passwordHash: hash, in: ctx)
            }
            try await SessionService.end(req)
            let session = try await SessionService.start(for: user, req)
            req.rotateCSRFToken()
            let res = req.redirect(to: "/account", flash: req.t("auth.welcome", user.name))
            res.cookies[SessionService.cookieName] = SessionService.cookie(session, req)
            return res
        } catch {
            return try await rerender(req, error: error) { try await acceptPage(req, token: token, name: body.name ?? "", errors: $0) }
        }
    }
}

extension Application {
    private struct PolicyKey: StorageKey { typealias Value = PasswordPolicy }
    var passwordPolicy: PasswordPolicy {
        get { storage[PolicyKey.self] ?? PasswordPolicy(common: []) }
        set { storage[PolicyKey.self] = newValue }
    }
}
