import Fluent
import Vapor
import SamverkaRules

extension CollaborationLink: Auditable {
    static var auditEntityType: String { "collaboration" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["organisationId": .string(organisationID.uuidString), "unitId": .string(unitID.uuidString),
                       "form": .string(form.rawValue), "startsOn": .string(startsOn), "endsOn": endsOn.map { .string($0) } ?? .null,
                       "description": .string(description)])
    }
}

/// Collaboration links between organisations and units: the raw material of the collaboration map.
enum CollaborationService {
    static func save(_ id: UUID?, _ b: CollaborationBody, in ctx: WriteContext) async throws -> CollaborationLink {
        var errors = FieldErrors()
        let existing: CollaborationLink? = id == nil ? nil : try await CollaborationLink.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        var orgID = existing?.organisationID
        var unitID = existing?.unitID
        if let raw = b.organisationId, !raw.isEmpty {
            if let o = UUID(uuidString: raw), try await Organisation.find(o, on: ctx.db) != nil { orgID = o } else { errors.add("organisationId", code: "notFound") }
        } else if existing == nil { errors.add("organisationId", code: "required") }
        if let raw = b.unitId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), try await OrgUnit.find(u, on: ctx.db) != nil { unitID = u } else { errors.add("unitId", code: "notFound") }
        } else if existing == nil { errors.add("unitId", code: "required") }
        let form = OrganisationRules.vocabulary(CollaborationForm.self, b.form, field: "form", errors: &errors)
        let start = TextRules.date(b.startsOn, field: "startsOn", required: true, errors: &errors)
        let end = TextRules.date(b.endsOn, field: "endsOn", errors: &errors)
        StructureRules.checkPeriod(start: start, end: end, endField: "endsOn", errors: &errors)
        let description = TextRules.paragraph(b.description, field: "description", max: 2000, errors: &errors)
        if let existing {
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            if v != existing.version { throw AppError.staleVersion() }
        }
        try errors.throwIfAny()
        guard let unitID, let orgID, let form, let start, let newScope = try await scope(unitID: unitID, organisationID: orgID, on: ctx.db) else {
            throw AppError.invalid(field: "unitId", code: "notFound")
        }
        var oldScope: ResourceScope?
        if let existing {
            oldScope = try await scope(unitID: existing.unitID, organisationID: existing.organisationID, on: ctx.db) ?? .organisation(existing.organisationID)
        }
        guard Policy.allowsChange(ctx.actor, .collaborationEdit, from: oldScope, to: newScope) else {
            throw AppError.forbidden()
        }
        let link = existing ?? CollaborationLink()
        let before = existing?.auditSnapshot
        if existing == nil { link.id = UUID(); link.version = 1 } else { link.version += 1 }
        link.organisationID = orgID
        link.unitID = unitID
        link.form = form
        link.startsOn = start.description
        link.endsOn = end?.description
        link.description = description
        try await link.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", link, id: link.id, before: before)
        return link
    }

    /// Removes a link (the actor must be allowed on both its unit and its organisation); returns the organisation's id.
    @discardableResult
    static func delete(_ id: UUID, in ctx: WriteContext) async throws -> UUID {
        guard let link = try await CollaborationLink.find(id, on: ctx.db) else { throw AppError.notFound() }
        let owner = try await scope(unitID: link.unitID, organisationID: link.organisationID, on: ctx.db) ?? .organisation(link.organisationID)
        guard Policy.allows(ctx.actor, .collaborationEdit, owner) else { throw AppError.forbidden() }
        let before = link.auditSnapshot
        try await link.delete(on: ctx.db)
        ctx.audit("delete", CollaborationLink.auditEntityType, id.uuidString, before: before, after: nil)
        return link.organisationID
    }

    /// Who owns a link: the unit's body (and the unit's place in its tree) and the organisation. nil when the unit is gone.
    static func scope(unitID: UUID, organisationID: UUID, on db: any Database) async throws -> ResourceScope? {
        guard let unit = try await OrgUnit.find(unitID, on: db) else { return nil }
        return .bodyAndOrganisation(unit.bodyID, unitPath: try await StructureService.unitPath(unitID, on: db), organisation: organisationID)
    }

    static func dtos(_ links: [CollaborationLink], on db: any Database) async throws -> [CollaborationDTO] {
        guard !links.isEmpty else { return [] }
        var orgs: [UUID: String] = [:]
        for o in try await Organisation.query(on: db).withDeleted().filter(\.$id ~~ Array(Set(links.map(\.organisationID)))).all() { orgs[o.id!] = o.name }
        var units: [UUID: OrgUnit] = [:]
        for u in try await OrgUnit.query(on: db).filter(\.$id ~~ Array(Set(links.map(\.unitID)))).all() { units[u.id!] = u }
        var bodies: [UUID: String] = [:]
        let bodyIDs = Array(Set(units.values.map(\.bodyID)))
        if !bodyIDs.isEmpty { for b in try await PublicBody.query(on: db).filter(\.$id ~~ bodyIDs).all() { bodies[b.id!] = b.name } }
        return links.map { l in
            CollaborationDTO(id: l.id!, organisationId: l.organisationID, organisationName: orgs[l.organisationID], unitId: l.unitID,
                             unitName: units[l.unitID]?.name, bodyName: units[l.unitID].flatMap { bodies[$0.bodyID] },
                             form: l.form.rawValue, startsOn: l.startsOn, endsOn: l.endsOn, description: l.description, version: l.version)
        }
    }

    /// Matrix of a body's units × organisations: which forms connect each pair (active links only).
    struct Matrix: Sendable {
        var units: [(id: UUID, name: String)]
        var organisations: [(id: UUID, name: String)]
        /// [unitID: [orgID: forms]]
        var cells: [UUID: [UUID: [CollaborationForm]]]
    }

    static func matrix(bodyID: UUID, on: LocalDate, db: any Database) async throws -> Matrix {
        let units = try await OrgUnit.query(on: db).filter(\.$bodyID == bodyID).all()
        let unitIDs = units.compactMap(\.id)
        guard !unitIDs.isEmpty else { return Matrix(units: [], organisations: [], cells: [:]) }
        let today = on.description
        let links = try await CollaborationLink.query(on: db).filter(\.$unitID ~~ unitIDs).all()
            .filter { $0.startsOn <= today && ($0.endsOn == nil || $0.endsOn! >= today) }
        var cells: [UUID: [UUID: [CollaborationForm]]] = [:]
        for l in links where !(cells[l.unitID]?[l.organisationID]?.contains(l.form) ?? false) {
            cells[l.unitID, default: [:]][l.organisationID, default: []].append(l.form)
        }
        let orgIDs = Array(Set(links.map(\.organisationID)))
        let orgs = orgIDs.isEmpty ? [] : try await Organisation.query(on: db).filter(\.$id ~~ orgIDs).all()
        let linkedUnits = units.filter { cells[$0.id!] != nil }
        return Matrix(
            units: linkedUnits.sorted { SwedishCollation.key($0.name) < SwedishCollation.key($1.name) }.map { ($0.id!, $0.name) },
            organisations: orgs.sorted { $0.sortName < $1.sortName }.map { ($0.id!, $0.name) },
            cells: cells)
    }
}

// MARK: Reading links

extension CollaborationService {
    static func require(_ id: UUID, on db: any Database) async throws -> CollaborationLink { try await CollaborationLink.require(id, on: db) }

    /// Links filtered by organisation, unit and/or body, newest first, one page at a time.
    static func list(organisationID: UUID?, unitID: UUID?, bodyID: UUID?, page: PageRequest, on db: any Database) async throws -> (items: [CollaborationLink], total: Int) {
        var q = CollaborationLink.query(on: db)
        if let organisationID { q = q.filter(\.$organisationID == organisationID) }
        if let unitID { q = q.filter(\.$unitID == unitID) }
        if let bodyID { q = q.filter(\.$unitID ~~ (try await OrgUnit.query(on: db).filter(\.$bodyID == bodyID).all().compactMap(\.id))) }
        let total = try await q.count()
        return (try await q.sort(\.$startsOn, .descending).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// Every link of a unit, as DTOs, newest first.
    static func dtos(unitID: UUID, on db: any Database) async throws -> [CollaborationDTO] {
        try await dtos(try await CollaborationLink.query(on: db).filter(\.$unitID == unitID).sort(\.$startsOn, .descending).all(), on: db)
    }
}
