import Fluent
import Vapor
import SamverkaRules

/// Invitations and password resets: single-use links sent by e-mail through the outbox.
enum OneTimeLinks {
    struct InvitePayload: Codable, Sendable {
        var role: Role
        var bodyId: UUID?
        var organisationId: UUID?
        var unitIds: [UUID]
    }

    static let inviteLifetime: TimeInterval = 7 * 86400
    static let resetLifetime: TimeInterval = 3600

    /// Invites a person (creating an invited account when the address is new) to take a role.
    /// Returns the link, which is also mailed.
    static func invite(email: String, name: String, payload: InvitePayload, baseURL: String, in ctx: WriteContext) async throws -> String {
        guard InvitationRules.allowed(ctx.actor, role: payload.role, bodyID: payload.bodyId, organisationID: payload.organisationId) else {
            throw AppError.forbidden(code: "inviteRole")
        }
        if let e = InvitationRules.scopeError(role: payload.role, bodyID: payload.bodyId, organisationID: payload.organisationId) {
            throw AppError.invalid(field: e.field, code: e.code)
        }
        // The name is checked even when the address already has an account (and the name given is not used).
        var errors = FieldErrors()
        _ = TextRules.line(name, field: "name", max: 200, required: true, min: 2, errors: &errors)
        try errors.throwIfAny()
        let user: User
        if let existing = try await AccountService.findUser(email: email, on: ctx.db) {
            guard existing.status != .erased, existing.status != .disabled else { throw AppError.conflict(field: "email", code: "accountDisabled") }
            user = existing
        } else {
            user = try await AccountService.createUser(email: email, name: name, passwordHash: nil, in: ctx)
        }
        // Check the scope exists before sending anything.
        if let b = payload.bodyId, !(try await DirectoryQueries.bodyExists(b, on: ctx.db)) { throw AppError.invalid(field: "bodyId", code: "notFound") }
        if let o = payload.organisationId, !(try await DirectoryQueries.organisationExists(o, on: ctx.db)) { throw AppError.invalid(field: "organisationId", code: "notFound") }
        let token = TokenCodec.generate()
        let t = OneTimeToken()
        t.id = UUID()
        t.purpose = "invite"
        t.tokenHash = TokenCodec.hash(token)
        t.userID = user.id!
        t.payload = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        t.createdBy = ctx.actor.userID
        t.expiresAt = Date().addingTimeInterval(inviteLifetime)
        try await t.create(on: ctx.db)
        ctx.auditSummary("invite", User.auditEntityType, user.id!.uuidString, [("role", .string(payload.role.rawValue))])
        let link = "\(baseURL)/invitations/\(token)"
        try await Outbox.enqueue(MailMessage(
            to: user.email, subject: "Inbjudan till Samverka",
            body: "Hej \(user.name)!\n\n\(ctx.actor.displayName) har bjudit in dig till Samverka som \(payload.role.rawValue).\n\nÖppna länken för att välja lösenord och komma igång (giltig i 7 dagar):\n\(link)\n\nOm du inte väntade dig detta kan du bortse från meddelandet."), in: ctx)
        return link
    }

    /// A valid, unused link of `purpose`, or nil.
    static func find(_ token: String, purpose: String, on db: any Database) async throws -> OneTimeToken? {
        guard let t = try await OneTimeToken.query(on: db).filter(\.$tokenHash == TokenCodec.hash(token)).filter(\.$purpose == purpose).first(),
              t.usedAt == nil, t.expiresAt > Date() else { return nil }
        return t
    }

    /// The account a valid, unused link of `purpose` belongs to, or nil.
    static func user(for token: String, purpose: String, on db: any Database) async throws -> User? {
        guard let t = try await find(token, purpose: purpose, on: db) else { return nil }
        return try await User.find(t.userID, on: db)
    }

    /// Accepts an invitation: sets the password, activates the account and adds the membership.
    static func accept(_ token: String, name: String, passwordHash: String, in ctx: WriteContext) async throws -> User {
        guard let t = try await find(token, purpose: "invite", on: ctx.db), let user = try await User.find(t.userID, on: ctx.db) else {
            throw AppError(.notFound, "Inbjudan är ogiltig, redan använd eller har gått ut.")
        }
        let payload = try JSONDecoder().decode(InvitePayload.self, from: Data(t.payload.utf8))
        var errors = FieldErrors()
        let clean = TextRules.line(name, field: "name", max: 200, required: true, min: 2, errors: &errors)
        try errors.throwIfAny()
        let before = user.auditSnapshot
        user.name = clean
        try await user.save(on: ctx.db)
        ctx.audit("update", user, id: user.id, before: before)
        try await AccountService.setPassword(user, hash: passwordHash, in: ctx)
        _ = try await AccountService.addMembership(userID: user.id!, role: payload.role, bodyID: payload.bodyId,
                                                   organisationID: payload.organisationId, unitIDs: payload.unitIds, in: ctx)
        t.usedAt = Date()
        try await t.save(on: ctx.db)
        return user
    }

    /// Sends a reset link when the address belongs to an active account. Says nothing either way.
    static func requestReset(email: String, baseURL: String, in ctx: WriteContext) async throws {
        guard let user = try await AccountService.findUser(email: email, on: ctx.db), user.status == .active else { return }
        let token = TokenCodec.generate()
        let t = OneTimeToken()
        t.id = UUID()
        t.purpose = "reset"
        t.tokenHash = TokenCodec.hash(token)
        t.userID = user.id!
        t.payload = "{}"
        t.expiresAt = Date().addingTimeInterval(resetLifetime)
        try await t.create(on: ctx.db)
        ctx.auditSummary("passwordResetRequested", User.auditEntityType, user.id!.uuidString, [])
        try await Outbox.enqueue(MailMessage(
            to: user.email, subject: "Återställ ditt lösenord i Samverka",
            body: "Hej \(user.name)!\n\nNågon (förhoppningsvis du) har bett om att få återställa lösenordet till ditt konto i Samverka.\n\nÖppna länken inom en timme för att välja ett nytt lösenord:\n\(baseURL)/password/reset/\(token)\n\nOm det inte var du kan du bortse från meddelandet; ditt lösenord är oförändrat."), in: ctx)
    }

    static func completeReset(_ token: String, passwordHash: String, in ctx: WriteContext) async throws -> User {
        guard let t = try await find(token, purpose: "reset", on: ctx.db), let user = try await User.find(t.userID, on: ctx.db), user.status == .active else {
            throw AppError(.notFound, "Länken är ogiltig, redan använd eller har gått ut. Be om en ny.")
        }
        try await AccountService.setPassword(user, hash: passwordHash, in: ctx)
        t.usedAt = Date()
        try await t.save(on: ctx.db)
        try await OneTimeToken.query(on: ctx.db).filter(\.$userID == user.id!).filter(\.$purpose == "reset").filter(\.$usedAt == nil).delete()
        return user
    }
}
