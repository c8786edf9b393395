import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension ContactRole: Auditable {
    static var auditEntityType: String { "contactRole" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "description": .string(description),
                       "unitId": unitID.map { .string($0.uuidString) } ?? .null,
                       "organisationId": organisationID.map { .string($0.uuidString) } ?? .null,
                       "email": .string(email), "phone": .string(phone), "closedOn": closedOn.map { .string($0) } ?? .null,
                       "grantsRole": grantsRole.map { .string($0) } ?? .null])
    }
}

extension RoleTenure: Auditable {
    static var auditEntityType: String { "roleTenure" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["roleId": .string(roleID.uuidString), "holderName": .string(holderName), "holderEmail": .string(holderEmail),
                       "userId": userID.map { .string($0.uuidString) } ?? .null, "startsOn": .string(startsOn),
                       "endsOn": endsOn.map { .string($0) } ?? .null, "handoverNote": .string(handoverNote)],
                      personal: ["holderName", "holderEmail", "handoverNote"])
    }
}

/// Contact roles and who holds them. A role belongs to a unit or an organisation and outlives the
/// people who hold it; a handover ends one tenure and starts the next in one transaction.
enum RoleService {
    static func saveRole(_ id: UUID?, _ b: ContactRoleBody, in ctx: WriteContext) async throws -> ContactRole {
        var errors = FieldErrors()
        let title = TextRules.line(b.title, field: "title", max: 200, required: true, min: 2, errors: &errors)
        let description = TextRules.paragraph(b.description, field: "description", max: 2000, errors: &errors)
        let email = TextRules.email(b.email, field: "email", errors: &errors)
        let phone = TextRules.phone(b.phone, field: "phone", errors: &errors)
        let closed = TextRules.date(b.closedOn, field: "closedOn", errors: &errors)
        var grants: Role?
        if let raw = b.grantsRole?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            grants = Role(rawValue: raw)
            if grants == nil || grants == .admin || grants == .analyst {
                errors.add("grantsRole", code: "oneOf", "official, politician, reviewer, representative")
                grants = nil
            }
        }
        let existing: ContactRole? = id == nil ? nil : try await ContactRole.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        var unitID = existing?.unitID
        var orgID = existing?.organisationID
        if existing == nil {
            let u = b.unitId.flatMap { $0.isEmpty ? nil : $0 }
            let o = b.organisationId.flatMap { $0.isEmpty ? nil : $0 }
            switch (u, o) {
            case (nil, nil): errors.add("unitId", code: "ownerRequired")
            case (.some, .some): errors.add("unitId", code: "ownerBoth")
            case (let u?, nil):
                if let uid = UUID(uuidString: u), try await OrgUnit.find(uid, on: ctx.db) != nil { unitID = uid } else { errors.add("unitId", code: "notFound") }
            case (nil, let o?):
                if let oid = UUID(uuidString: o), try await Organisation.find(oid, on: ctx.db) != nil { orgID = oid } else { errors.add("organisationId", code: "notFound") }
            }
        }
        if let existing {
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            if v != existing.version { throw AppError.staleVersion() }
        }
        if grants == .representative && orgID == nil { errors.add("grantsRole", code: "grantsRoleOwner") }
        if let g = grants, g != .representative && unitID == nil { errors.add("grantsRole", code: "grantsRoleOwner") }
        try errors.throwIfAny()
        try await authorize(ctx.actor, unitID: unitID, organisationID: orgID, on: ctx.db)
        // Whoever sets the account role that comes with the contact role must be allowed to give it out.
        if let g = grants, g.rawValue != existing?.grantsRole {
            let bodyID = try await unitID.asyncFlatMap { try await OrgUnit.find($0, on: ctx.db)?.bodyID }
            guard InvitationRules.allowed(ctx.actor, role: g, bodyID: bodyID, organisationID: orgID) else {
                throw AppError.forbidden(code: "grantRole", g.rawValue)
            }
        }
        let role = existing ?? ContactRole()
        let before = existing?.auditSnapshot
        if existing == nil {
            role.id = UUID()
            role.unitID = unitID
            role.organisationID = orgID
            role.version = 1
        } else {
            role.version += 1
        }
        role.title = title
        role.description = description
        role.email = email
        role.phone = phone
        role.closedOn = closed?.description
        if b.grantsRole != nil { role.grantsRole = grants?.rawValue }
        try await role.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", role, id: role.id, before: before)
        try await DirectoryIndexer.indexRoles([role.id!], on: ctx.db)
        return role
    }

    static func authorize(_ actor: Principal, unitID: UUID?, organisationID: UUID?, on db: any Database) async throws {
        if let unitID, let unit = try await OrgUnit.find(unitID, on: db) {
            guard Policy.allows(actor, .roleEdit, .body(unit.bodyID, unitPath: try await StructureService.unitPath(unitID, on: db))) else { throw AppError.forbidden() }
        } else if let organisationID {
            guard Policy.allows(actor, .roleEdit, .organisation(organisationID)) else { throw AppError.forbidden() }
        }
    }

    /// The contact roles of `organisationIDs` that the person (by account or by e-mail) holds on `day`.
    static func rolesHeld(userID: UUID?, email: String?, organisationIDs: [UUID], on day: LocalDate = .today(), db: any Database) async throws -> [ContactRole] {
        guard !organisationIDs.isEmpty, userID != nil || !(email ?? "").isEmpty else { return [] }
        let roles = try await ContactRole.query(on: db).filter(\.$organisationID ~~ organisationIDs).all()
        guard !roles.isEmpty else { return [] }
        let tenures = try await RoleTenure.query(on: db).filter(\.$roleID ~~ roles.compactMap(\.id)).all()
        let mail = (email ?? "").lowercased()
        let held = Set(tenures.filter { t in
            t.startsOnDate <= day && (t.endsOn.map { LocalDate(stored: $0) >= day } ?? true)
                && ((userID != nil && t.userID == userID) || (!mail.isEmpty && t.holderEmail.lowercased() == mail))
        }.map(\.roleID))
        return roles.filter { held.contains($0.id!) }
    }

    // MARK: The people who hold roles: accounts and personal data

    /// A new account for an e-mail address that holds (or will hold) a role: the open tenures are linked to it, and
    /// the account permission the role carries follows, as at a handover.
    static func linkAccount(userID: UUID, email: String, in ctx: WriteContext) async throws {
        let today = LocalDate.today()
        let tenures = try await RoleTenure.query(on: ctx.db).filter(\.$holderEmail == email).filter(\.$userID == nil).all()
            .filter { t in t.endsOn.map { LocalDate(stored: $0) >= today } ?? true }
        for t in tenures {
            let before = t.auditSnapshot
            t.userID = userID
            try await t.save(on: ctx.db)
            ctx.audit("linkAccount", t, id: t.id, before: before)
            try await RoleHandoverHooks.run(roleID: t.roleID, from: nil, to: userID, in: ctx)
        }
    }

    /// The role tenures of a person (by account or address), for the account's data export.
    static func personalDataExport(userID: UUID, email: String, on db: any Database) async throws -> JSONValue {
        let tenures = try await RoleTenure.query(on: db).group(.or) { $0.filter(\.$userID == userID).filter(\.$holderEmail == email) }.all()
        return .array(tenures.map { ["roleId": .string($0.roleID.uuidString), "holderName": .string($0.holderName),
                                     "holderEmail": .string($0.holderEmail), "startsOn": .string($0.startsOn),
                                     "endsOn": $0.endsOn.map { .string($0) } ?? .null, "handoverNote": .string($0.handoverNote)] })
    }

    /// Erasure: the person's tenures keep their dates (who held a role when is history) but not the person.
    static func erasePersonalData(userID: UUID, email: String, in ctx: WriteContext) async throws {
        let tenures = try await RoleTenure.query(on: ctx.db).group(.or) { $0.filter(\.$userID == userID).filter(\.$holderEmail == email) }.all()
        for t in tenures {
            t.holderName = "Raderad person"
            t.holderEmail = ""
            t.handoverNote = ""
            t.userID = nil
            try await t.save(on: ctx.db)
        }
        try await DirectoryIndexer.indexRoles(Array(Set(tenures.map(\.roleID))), on: ctx.db)
    }

    /// Hands the role to a new holder (ending the current tenure the day before), or vacates it.
    static func handover(_ roleID: UUID, _ b: HandoverBody, in ctx: WriteContext) async throws -> ContactRole {
        guard let role = try await ContactRole.find(roleID, on: ctx.db) else { throw AppError.notFound() }
        try await authorize(ctx.actor, unitID: role.unitID, organisationID: role.organisationID, on: ctx.db)
        var errors = FieldErrors()
        let current = try await RoleTenure.query(on: ctx.db).filter(\.$roleID == roleID).filter(\.$endsOn == nil).first()
        let start = TextRules.date(b.startsOn, field: "startsOn", required: true, errors: &errors)
        let note = TextRules.paragraph(b.handoverNote, field: "handoverNote", max: 4000, errors: &errors)
        let vacate = b.vacate ?? false
        var name = "", email = ""
        var userID: UUID?
        if !vacate {
            name = TextRules.line(b.holderName, field: "holderName", max: 200, required: true, min: 2, errors: &errors)
            email = TextRules.email(b.holderEmail, field: "holderEmail", errors: &errors)
            if let raw = b.userId, !raw.isEmpty {
                if let u = UUID(uuidString: raw) { userID = u } else { errors.add("userId", code: "uuid") }
            } else if !email.isEmpty, let account = try await RoleHolderAccounts.account(email: email, on: ctx.db) {
                // The holder has an account: link it, so the role's permissions follow the person.
                userID = account
            }
        } else if current == nil {
            errors.add("vacate", code: "alreadyOpen")
        }
        if role.closedOn != nil { errors.add("startsOn", code: "roleClosed") }
        var endOn: LocalDate?
        if let start, let current {
            let r = StructureRules.handover(currentStart: LocalDate(current.startsOn), newStart: start)
            if let e = r.error { errors.add("startsOn", code: e, current.startsOn) }
            endOn = vacate ? start : r.endCurrentOn
        }
        try errors.throwIfAny()
        if let current, let endOn {
            let before = current.auditSnapshot
            current.endsOn = endOn.description
            if !note.isEmpty { current.handoverNote = note }
            try await current.save(on: ctx.db)
            ctx.audit("update", current, id: current.id, before: before)
        }
        if !vacate, let start {
            let t = RoleTenure()
            t.id = UUID()
            t.roleID = roleID
            t.holderName = name
            t.holderEmail = email
            t.userID = userID
            t.startsOn = start.description
            t.endsOn = nil
            t.handoverNote = ""
            try await t.create(on: ctx.db)
            ctx.audit("create", t, id: t.id, before: nil)
        }
        try await DirectoryIndexer.indexRoles([roleID], on: ctx.db)
        try await RoleHandoverHooks.run(roleID: roleID, from: current?.userID, to: vacate ? nil : userID, in: ctx)
        return role
    }

    static func tenureDTO(_ t: RoleTenure, showEmail: Bool) -> TenureDTO {
        TenureDTO(id: t.id!, holderName: t.holderName, holderEmail: showEmail && !t.holderEmail.isEmpty ? t.holderEmail : nil,
                  userId: t.userID, startsOn: t.startsOn, endsOn: t.endsOn, handoverNote: t.handoverNote)
    }

    static func dtos(_ roles: [ContactRole], withHistory: Bool, on db: any Database) async throws -> [ContactRoleDTO] {
        let ids = roles.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let tenures = try await RoleTenure.query(on: db).filter(\.$roleID ~~ ids).all()
        let byRole = Dictionary(grouping: tenures, by: \.roleID)
        var owners: [UUID: String] = [:]
        let unitIDs = roles.compactMap(\.unitID), orgIDs = roles.compactMap(\.organisationID)
        if !unitIDs.isEmpty { for u in try await OrgUnit.query(on: db).filter(\.$id ~~ unitIDs).all() { owners[u.id!] = u.name } }
        if !orgIDs.isEmpty { for o in try await Organisation.query(on: db).filter(\.$id ~~ orgIDs).all() { owners[o.id!] = o.name } }
        return roles.map { r in
            let ts = (byRole[r.id!] ?? []).sorted { $0.startsOn > $1.startsOn }
            let current = ts.first { $0.endsOn == nil }
            return ContactRoleDTO(
                id: r.id!, title: r.title, description: r.description, unitId: r.unitID, organisationId: r.organisationID,
                ownerName: (r.unitID ?? r.organisationID).flatMap { owners[$0] }, email: r.email, phone: r.phone,
                closedOn: r.closedOn, grantsRole: r.grantsRole, currentHolder: current.map { tenureDTO($0, showEmail: false) },
                isOpen: current == nil && r.closedOn == nil,
                history: withHistory ? ts.map { tenureDTO($0, showEmail: false) } : nil, version: r.version)
        }
    }

    /// Roles, optionally only open (unheld) ones, of a body's units, a unit, or an organisation.
    static func list(openOnly: Bool, bodyID: UUID?, unitID: UUID?, organisationID: UUID?, page: PageRequest, on db: any Database) async throws -> (items: [ContactRole], total: Int) {
        var q = ContactRole.query(on: db).filter(\.$closedOn == nil)
        if let unitID { q = q.filter(\.$unitID == unitID) }
        if let organisationID { q = q.filter(\.$organisationID == organisationID) }
        if let bodyID {
            let unitIDs = try await OrgUnit.query(on: db).filter(\.$bodyID == bodyID).all().compactMap(\.id)
            q = q.filter(\.$unitID ~~ unitIDs)
        }
        if openOnly {
            let held = try await RoleTenure.query(on: db).filter(\.$endsOn == nil).all().map(\.roleID)
            if !held.isEmpty { q = q.filter(\.$id !~ Array(Set(held))) }
        }
        let total = try await q.count()
        let items = try await q.sort(\.$title).range(page.offset..<(page.offset + page.per)).all()
        return (items, total)
    }

    static func roleScope(_ req: Request) async throws -> ResourceScope {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let role = try await ContactRole.find(id, on: req.db) else { throw AppError.notFound() }
        if let unitID = role.unitID, let unit = try await OrgUnit.find(unitID, on: req.db) {
            return .body(unit.bodyID, unitPath: try await StructureService.unitPath(unitID, on: req.db))
        }
        return .organisation(role.organisationID ?? UUID())
    }
}

/// The Directory asks Accounts (a higher module) whether an e-mail address has an active account, through this hook:
/// a new holder with an account is linked at a handover, so the role's permissions follow the person.
enum RoleHolderAccounts {
    typealias Lookup = @Sendable (_ email: String, _ db: any Database) async throws -> UUID?
    static let lookups = Hooks<Lookup>()
    static func account(email: String, on db: any Database) async throws -> UUID? {
        for l in lookups.all { if let id = try await l(email, db) { return id } }
        return nil
    }
}

/// Other modules react to a role changing hands (Accounts moves the permissions that come with it).
/// Registered at start-up; plain functions, no state.
enum RoleHandoverHooks {
    typealias Hook = @Sendable (_ roleID: UUID, _ from: UUID?, _ to: UUID?, _ ctx: WriteContext) async throws -> Void
    static let hooks = Hooks<Hook>()

    /// Registers (or replaces) the hook named `key`.
    static func register(_ key: String, _ hook: @escaping Hook) { hooks.register(key, hook) }

    static func run(roleID: UUID, from: UUID?, to: UUID?, in ctx: WriteContext) async throws {
        guard from != to else { return }
        for h in hooks.all { try await h(roleID, from, to, ctx) }
    }
}

// MARK: Reading roles

extension RoleService {
    static func require(_ id: UUID, on db: any Database) async throws -> ContactRole { try await ContactRole.require(id, on: db) }

    /// The open tenure of a role, if someone holds it.
    static func currentTenure(_ roleID: UUID, on db: any Database) async throws -> RoleTenure? {
        try await RoleTenure.query(on: db).filter(\.$roleID == roleID).filter(\.$endsOn == nil).first()
    }

    /// Open (not closed) roles of these units, as DTOs by title.
    static func openRoleDTOs(unitIDs: [UUID], on db: any Database) async throws -> [ContactRoleDTO] {
        guard !unitIDs.isEmpty else { return [] }
        return try await dtos(try await ContactRole.query(on: db).filter(\.$unitID ~~ unitIDs).filter(\.$closedOn == nil).sort(\.$title).all(), withHistory: false, on: db)
    }

    /// How many roles are open and have no holder today.
    static func vacantCount(on db: any Database) async throws -> Int {
        let held = Set(try await RoleTenure.query(on: db).filter(\.$endsOn == nil).all().map(\.roleID))
        return try await ContactRole.query(on: db).filter(\.$closedOn == nil).all().compactMap(\.id).filter { !held.contains($0) }.count
    }
}
