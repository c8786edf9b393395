import Fluent
import SQLKit
import Vapor
import SamverkaRules

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

    /// The principal of an account by id (nil when there is none), e.g. for a feed whose secret names the account.
    static func principal(forUserID id: UUID, method: Principal.Method, on db: any Database) async throws -> Principal? {
        guard let user = try await User.find(id, on: db) else { return nil }
        return try await principal(for: user, method: method, on: db)
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
        if let bodyID, !(try await DirectoryQueries.bodyExists(bodyID, on: ctx.db)) { throw AppError.invalid(field: "bodyId", code: "notFound") }
        if let organisationID, !(try await DirectoryQueries.organisationExists(organisationID, on: ctx.db)) { throw AppError.invalid(field: "organisationId", code: "notFound") }
        for u in unitIDs {
            guard let unit = try await DirectoryQueries.unit(u, on: ctx.db), unit.bodyID == bodyID else { throw AppError.invalid(field: "unitIds", code: "notFound") }
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
            try await RoleService.linkAccount(userID: uid, email: user.email, in: ctx)
        }
        // The Directory links a new role holder to their account at a handover.
        RoleHolderAccounts.lookups.register("accounts") { email, db in try await AccountQueries.activeAccount(email: email, on: db)?.id }
    }

    static func registerHandoverHook() {
        RoleHandoverHooks.register("accounts") { roleID, from, to, ctx in
            guard let role = try await DirectoryQueries.role(roleID, on: ctx.db), let grantRole = role.grantsRole else { return }
            if let from {
                for m in try await Membership.query(on: ctx.db).filter(\.$userID == from).filter(\.$viaRoleID == roleID).all() {
                    try await removeMembership(m.id!, in: ctx)
                }
            }
            guard let to, try await User.find(to, on: ctx.db) != nil else { return }
            var bodyID: UUID?
            var units: [UUID] = []
            if let unitID = role.unitID, let unit = try await DirectoryQueries.unit(unitID, on: ctx.db) {
                bodyID = unit.bodyID
                units = grantRole == .official ? [unitID] : []
            }
            _ = try await addMembership(userID: to, role: grantRole, bodyID: bodyID, organisationID: role.organisationID,
                                        unitIDs: units, viaRoleID: roleID, in: ctx)
        }
    }
}

