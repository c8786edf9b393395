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

    static func user(_ id: UUID, on db: any Database) async throws -> User? { try await User.find(id, on: db) }

    static func requireUser(_ id: UUID, on db: any Database) async throws -> User { try await User.require(id, on: db) }

    static func memberships(of userID: UUID, on db: any Database) async throws -> [Membership] {
        try await Membership.query(on: db).filter(\.$userID == userID).all()
    }

    /// Accounts whose e-mail or name contains `q`, by e-mail, one page at a time.
    static func search(_ q: String, page: PageRequest, on db: any Database) async throws -> (total: Int, users: [User]) {
        var query = User.query(on: db)
        if !q.isEmpty { query = query.group(.or) { $0.filter(\.$email ~~ q.lowercased()).filter(\.$name ~~ q) } }
        let total = try await query.count()
        return (total, try await query.sort(\.$email).range(page.offset..<(page.offset + page.per)).all())
    }

    /// Whether the demo accounts are loaded (the sign-in page then lists them).
    static func hasDemoAccounts(on db: any Database) async throws -> Bool {
        try await User.query(on: db).filter(\.$isDemo == true).count() > 0
    }

    /// Display names of accounts by id (for audit rows and lists).
    static func displayNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return try await User.query(on: db).filter(\.$id ~~ Array(Set(ids))).all().keyed { u in u.id.map { ($0, u.displayName) } }
    }

    /// Ids of accounts whose e-mail contains `text`.
    static func userIDs(emailContaining text: String, on db: any Database) async throws -> [UUID] {
        try await User.query(on: db).filter(\.$email ~~ text.lowercased()).all().compactMap(\.id)
    }

    /// Updates a person's own name and language (optimistic version check).
    static func updateProfile(userID: UUID, name rawName: String?, language: String?, version: Int?, in ctx: WriteContext) async throws {
        guard let user = try await User.find(userID, on: ctx.db) else { throw AppError.notFound() }
        if let v = version, v != user.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let name = TextRules.line(rawName, field: "name", max: 200, required: true, min: 2, errors: &errors)
        try errors.throwIfAny()
        let before = user.auditSnapshot
        user.name = name
        user.language = language == "en" ? "en" : "sv"
        user.version += 1
        try await user.save(on: ctx.db)
        ctx.audit("update", user, id: user.id, before: before)
    }

    /// Activates or disables an account; a disabled account loses its sessions and tokens at once.
    static func setStatus(userID: UUID, to status: User.Status, in ctx: WriteContext) async throws {
        guard let u = try await User.find(userID, on: ctx.db), u.status != .erased else { throw AppError.notFound() }
        let before = u.auditSnapshot
        u.status = status == .active && u.passwordHash == nil ? .invited : status
        u.version += 1
        try await u.save(on: ctx.db)
        if status == .disabled {
            try await SessionService.endAll(userID: userID, on: ctx.db)
            try await TokenService.removeAll(userID: userID, on: ctx.db)
        }
        ctx.audit("update", u, id: userID, before: before)
    }

    static func grants(for userID: UUID, on db: any Database) async throws -> [Grant] {
        try await Membership.query(on: db).filter(\.$userID == userID).all().map(\.grant)
    }

    /// The roles of several users at once.
    static func grants(forUsers ids: [UUID], on db: any Database) async throws -> [UUID: [Grant]] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(grouping: try await Membership.query(on: db).filter(\.$userID ~~ ids).all(), by: \.userID).mapValues { $0.map(\.grant) }
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
            throw AppError.conflict(field: "email", code: "emailTaken")
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

    static func removeMembership(_ id: UUID, ofUser userID: UUID? = nil, in ctx: WriteContext) async throws {
        guard let m = try await Membership.find(id, on: ctx.db), userID == nil || m.userID == userID else { throw AppError.notFound() }
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
        try await SessionService.endAll(userID: user.id!, on: ctx.db)
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

