import Fluent
import SQLKit
import Foundation
import SamverkaRules

/// An organisation as other modules see it.
struct OrganisationRef: Sendable, Equatable {
    var id: UUID
    var name: String
    var orgnr: String?
    var legalForm: LegalForm
    var level: OrganisationLevel
    var parentID: UUID?
    var street: String
    var postalCode: String
    var city: String
    var email: String
    var foundedYear: Int?
    /// Councils recorded as free text by an official (besides the seats Dialogue keeps).
    var councilMemberships: [String]
    var isDeleted: Bool

    /// "Storgatan 1, 652 24 Karlstad", or nil.
    var address: String? {
        let line = [street, [postalCode, city].filter { !$0.isEmpty }.joined(separator: " ")].filter { !$0.isEmpty }.joined(separator: ", ")
        return line.isEmpty ? nil : line
    }
}

struct BodyRef: Sendable, Equatable {
    var id: UUID
    var name: String
    var kind: BodyKind
    var countyCode: String
    var orgnr: String? = nil
}

struct UnitRef: Sendable, Equatable {
    var id: UUID
    var bodyID: UUID
    var parentID: UUID?
    var name: String
}

struct RoleRef: Sendable, Equatable {
    var id: UUID
    var title: String
    var unitID: UUID?
    var organisationID: UUID?
    var grantsRole: Role?
    /// The role's own address (a functional mailbox, not the holder's).
    var email: String
    var isClosed: Bool
}

/// The person who holds a contact role now.
struct RoleHolder: Sendable, Equatable {
    var name: String
    var email: String
    var userID: UUID?
}

/// What an organisation's eligibility for a grant is judged on, as the register has it.
struct OrganisationRegisterFacts: Sendable {
    var organisation: OrganisationRef
    var municipalities: [String]
    /// Municipalities of the organisation's local branches (its child organisations).
    var branchMunicipalities: [String]
    var memberCounts: [(year: Int, municipality: String?, total: Int, young: Int?)]
    var parent: (level: String, areas: [String])?
}

/// What other modules may ask the Directory. They never read its tables (or name its models): they call these,
/// and get plain values back. The Directory's services (`StructureService`, `RoleService`, `OrganisationService` …)
/// are public too, for the writes other modules make through the Directory.
enum DirectoryQueries {
    // MARK: Organisations

    static func ref(_ o: Organisation) -> OrganisationRef {
        OrganisationRef(id: o.id!, name: o.name, orgnr: o.orgnr, legalForm: o.legalForm, level: o.level, parentID: o.parentID, street: o.street,
                        postalCode: o.postalCode, city: o.city, email: o.email, foundedYear: o.foundedYear,
                        councilMemberships: o.councilMemberships.split(separator: "|").map(String.init), isDeleted: o.deletedAt != nil)
    }

    /// An organisation, also one that was removed from the register when `includingDeleted` (old decisions name it).
    static func organisation(_ id: UUID, includingDeleted: Bool = false, on db: any Database) async throws -> OrganisationRef? {
        var q = Organisation.query(on: db).filter(\.$id == id)
        if includingDeleted { q = q.withDeleted() }
        return try await q.first().map(ref)
    }

    static func organisationExists(_ id: UUID, on db: any Database) async throws -> Bool {
        try await Organisation.query(on: db).filter(\.$id == id).count() > 0
    }

    /// The organisation with a normalised organisationsnummer (`NNNNNN-NNNN`).
    static func organisation(orgnr: String, on db: any Database) async throws -> OrganisationRef? {
        try await Organisation.query(on: db).filter(\.$orgnr == orgnr).first().map(ref)
    }

    /// The organisations with these ids, in Swedish alphabetical order.
    static func organisations(_ ids: [UUID], on db: any Database) async throws -> [OrganisationRef] {
        guard !ids.isEmpty else { return [] }
        return try await Organisation.query(on: db).filter(\.$id ~~ ids).sort(\.$sortName).all().map(ref)
    }

    /// Every organisation, in alphabetical order (for pickers of a region's size).
    static func allOrganisations(on db: any Database) async throws -> [OrganisationRef] {
        try await Organisation.query(on: db).sort(\.$sortName).all().map(ref)
    }

    /// Names by id, removed organisations included.
    static func organisationNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        try await names(NameRequest(organisations: Set(ids)), on: db).organisations
    }

    /// The organisation and its parents, nearest first.
    static func organisationChain(_ id: UUID, on db: any Database) async throws -> [UUID] {
        try await OrganisationService.organisationAncestors(of: id, on: db)
    }

    /// Municipalities, branches, member counts and the parent's level and areas.
    static func registerFacts(_ id: UUID, on db: any Database) async throws -> OrganisationRegisterFacts? {
        guard let org = try await Organisation.find(id, on: db) else { return nil }
        let munis = try await OrganisationMunicipality.query(on: db).filter(\.$organisationID == id).all().map(\.municipalityCode)
        let children = try await Organisation.query(on: db).filter(\.$parentID == id).all().compactMap(\.id)
        let branchMunis = children.isEmpty ? [] : try await OrganisationMunicipality.query(on: db).filter(\.$organisationID ~~ children).all().map(\.municipalityCode)
        let members = try await MemberCount.query(on: db).filter(\.$organisationID == id).all().map { ($0.year, $0.municipalityCode, $0.total, $0.young) }
        var parent: (String, [String])?
        if let pid = org.parentID, let p = try await Organisation.find(pid, on: db) {
            parent = (p.level.rawValue, try await OrganisationArea.query(on: db).filter(\.$organisationID == pid).all().map(\.areaKey))
        }
        return OrganisationRegisterFacts(organisation: ref(org), municipalities: munis, branchMunicipalities: branchMunis, memberCounts: members, parent: parent)
    }

    /// Whole-organisation member counts of a year, by organisation.
    static func memberTotals(_ ids: [UUID], year: Int, on db: any Database) async throws -> [UUID: (total: Int, young: Int?)] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: (Int, Int?)] = [:]
        for m in try await MemberCount.query(on: db).filter(\.$organisationID ~~ ids).filter(\.$year == year).all() where m.municipalityCode == nil {
            out[m.organisationID] = (m.total, m.young)
        }
        return out
    }

    /// Where each organisation is active (municipality codes) and its areas (area keys).
    static func placesAndAreas(_ ids: [UUID], on db: any Database) async throws -> [UUID: (municipalities: [String], areas: [String])] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: (municipalities: [String], areas: [String])] = Dictionary(uniqueKeysWithValues: ids.map { ($0, ([], [])) })
        for m in try await OrganisationMunicipality.query(on: db).filter(\.$organisationID ~~ ids).all() { out[m.organisationID]?.municipalities.append(m.municipalityCode) }
        for a in try await OrganisationArea.query(on: db).filter(\.$organisationID ~~ ids).all() { out[a.organisationID]?.areas.append(a.areaKey) }
        return out
    }

    /// The number of municipalities in a county (länskod).
    static func municipalityCount(countyCode: String, on db: any Database) async throws -> Int {
        try await Municipality.query(on: db).filter(\.$countyCode == countyCode).count()
    }

    /// How many municipalities each organisation is active in.
    static func municipalityCounts(_ ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: Int] = [:]
        for m in try await OrganisationMunicipality.query(on: db).filter(\.$organisationID ~~ ids).all() { out[m.organisationID, default: 0] += 1 }
        return out
    }

    // MARK: Public bodies and units

    static func body(_ id: UUID, on db: any Database) async throws -> BodyRef? {
        try await bodyRefs("WHERE id = \(bind: id)", on: db).first
    }

    /// Bodies as plain rows (five columns, no model): the register, forum and question pages name bodies on
    /// every request, and reading whole `PublicBody` models through Fluent was a tenth of the register page's CPU.
    private static func bodyRefs(_ condition: SQLQueryString, on db: any Database) async throws -> [BodyRef] {
        var q: SQLQueryString = "SELECT CAST(id AS TEXT) AS id, name, kind, county_code, orgnr FROM public_bodies "
        q += condition
        q += " ORDER BY name"
        return try await RowReader.rows(on: db, q) { r in
            BodyRef(id: try r.uuid("id"), name: try r.required("name"), kind: try r.required("kind", as: BodyKind.self),
                    countyCode: try r.required("county_code"), orgnr: r.string("orgnr"))
        }
    }

    static func bodyExists(_ id: UUID, on db: any Database) async throws -> Bool {
        try await PublicBody.query(on: db).filter(\.$id == id).count() > 0
    }

    /// Every public body, by name.
    static func allBodies(on db: any Database) async throws -> [BodyRef] {
        try await bodyRefs("", on: db)
    }

    static func bodies(_ ids: [UUID], on db: any Database) async throws -> [BodyRef] {
        guard !ids.isEmpty else { return [] }
        return try await bodyRefs("WHERE id IN (\(binds: ids))", on: db)
    }

    static func bodyNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        try await names(NameRequest(bodies: Set(ids)), on: db).bodies
    }

    static func unitRef(_ u: OrgUnit) -> UnitRef { UnitRef(id: u.id!, bodyID: u.bodyID, parentID: u.parentID, name: u.name) }

    static func unit(_ id: UUID, on db: any Database) async throws -> UnitRef? {
        try await OrgUnit.find(id, on: db).map(unitRef)
    }

    /// Units by name; of some bodies only when `bodies` is given.
    static func units(ofBodies bodies: [UUID]? = nil, on db: any Database) async throws -> [UnitRef] {
        var q = OrgUnit.query(on: db).sort(\.$name)
        if let bodies { guard !bodies.isEmpty else { return [] }; q = q.filter(\.$bodyID ~~ bodies) }
        return try await q.all().map(unitRef)
    }

    static func unitNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        try await names(NameRequest(units: Set(ids)), on: db).units
    }

    /// A body's units in tree order with their depth (for indented pickers).
    /// Units' own addresses (functional mailboxes), where they have one.
    static func unitEmails(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: String] = [:]
        for u in try await OrgUnit.query(on: db).filter(\.$id ~~ ids).all() where !u.email.isEmpty { if let id = u.id { out[id] = u.email } }
        return out
    }

    /// An address for each body: the mailbox of its top-level unit (the first one, by name, that has one).
    static func bodyEmails(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: String] = [:]
        let units = try await OrgUnit.query(on: db).filter(\.$bodyID ~~ ids).sort(\.$name).all()
        for u in units.sorted(by: { ($0.parentID == nil ? 0 : 1) < ($1.parentID == nil ? 0 : 1) }) where !u.email.isEmpty && out[u.bodyID] == nil {
            out[u.bodyID] = u.email
        }
        return out
    }

    static func unitTree(of bodyID: UUID, on db: any Database) async throws -> [(unit: UnitRef, depth: Int)] {
        try await StructureService.tree(of: bodyID, on: db).map { (unitRef($0.unit), $0.depth) }
    }

    /// The scope of a body, narrowed to a unit (and its ancestors) when there is one: what the policy checks.
    static func scope(bodyID: UUID, unitID: UUID?, on db: any Database) async throws -> ResourceScope {
        .body(bodyID, unitPath: try await unitID.asyncFlatMap { try await StructureService.unitPath($0, on: db) } ?? [])
    }

    /// Which body and unit a record belongs to, from ids in a request: a new record names its body (required);
    /// an existing one keeps its body; the unit, when given, must be one of the body's. Errors go to `errors`.
    static func resolveOwner(bodyId: String?, unitId: String?, existingBody: UUID?, existingUnit: UUID?,
                             errors: inout FieldErrors, on db: any Database) async throws -> (body: UUID?, unit: UUID?) {
        var bodyID = existingBody
        if existingBody == nil {
            if let raw = bodyId, let u = UUID(uuidString: raw), try await bodyExists(u, on: db) { bodyID = u }
            else { errors.add("bodyId", code: bodyId == nil ? "required" : "notFound") }
        }
        var unitID = existingUnit
        if let raw = unitId {
            if raw.isEmpty { unitID = nil }
            else if let u = UUID(uuidString: raw), let unit = try await unit(u, on: db), unit.bodyID == bodyID { unitID = u }
            else { errors.add("unitId", code: "notFound") }
        }
        return (bodyID, unitID)
    }

    /// A contact role named by id in a request: nil (absent) keeps `existing`, "" clears it, an unknown id is an error on `field`.
    static func resolveRole(_ raw: String?, existing: UUID?, field: String, errors: inout FieldErrors, on db: any Database) async throws -> UUID? {
        guard let raw else { return existing }
        if raw.isEmpty { return nil }
        if let u = UUID(uuidString: raw), try await roleExists(u, on: db) { return u }
        errors.add(field, code: "notFound")
        return existing
    }

    /// County names by code.
    static func countyNames(on db: any Database) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await County.query(on: db).all().map { ($0.code, $0.name) })
    }

    // MARK: Contact roles

    static func roleRef(_ r: ContactRole) -> RoleRef {
        RoleRef(id: r.id!, title: r.title, unitID: r.unitID, organisationID: r.organisationID, grantsRole: r.grantsRole.flatMap(Role.init(rawValue:)),
                email: r.email, isClosed: r.closedOn != nil)
    }

    static func role(_ id: UUID, on db: any Database) async throws -> RoleRef? {
        try await ContactRole.find(id, on: db).map(roleRef)
    }

    static func roleExists(_ id: UUID, on db: any Database) async throws -> Bool {
        try await ContactRole.query(on: db).filter(\.$id == id).count() > 0
    }

    static func roleTitles(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        try await names(NameRequest(roleTitles: Set(ids)), on: db).roleTitles
    }

    /// Roles that are not closed, by title; of some units only when `units` is given.
    static func openRoles(ofUnits units: [UUID]? = nil, on db: any Database) async throws -> [RoleRef] {
        var q = ContactRole.query(on: db).filter(\.$closedOn == nil).sort(\.$title)
        if let units { guard !units.isEmpty else { return [] }; q = q.filter(\.$unitID ~~ units) }
        return try await q.all().map(roleRef)
    }

    /// Roles of units, closed ones included, by title.
    static func roles(ofUnits units: [UUID], on db: any Database) async throws -> [RoleRef] {
        guard !units.isEmpty else { return [] }
        return try await ContactRole.query(on: db).filter(\.$unitID ~~ units).sort(\.$title).all().map(roleRef)
    }

    static func roles(ofOrganisation id: UUID, on db: any Database) async throws -> [RoleRef] {
        try await ContactRole.query(on: db).filter(\.$organisationID == id).all().map(roleRef)
    }

    /// Whoever holds the role now (the open tenure), or nil when it is vacant.
    static func currentHolder(roleID: UUID, on db: any Database) async throws -> RoleHolder? {
        try await RoleTenure.query(on: db).filter(\.$roleID == roleID).filter(\.$endsOn == nil).sort(\.$startsOn, .descending).first()
            .map { RoleHolder(name: $0.holderName, email: $0.holderEmail, userID: $0.userID) }
    }

    /// The current holders of several roles in one read (`currentHolder` for each): a role nobody holds is absent.
    static func currentHolders(roleIDs: [UUID], on db: any Database) async throws -> [UUID: RoleHolder] {
        try await names(NameRequest(roleHolders: Set(roleIDs)), on: db).roleHolders
    }

    /// Whether a user holds the role now.
    static func holds(userID: UUID, roleID: UUID, on db: any Database) async throws -> Bool {
        try await RoleTenure.query(on: db).filter(\.$roleID == roleID).filter(\.$endsOn == nil).filter(\.$userID == userID).count() > 0
    }

    /// The roles a user holds now.
    static func rolesHeld(byUser userID: UUID, on db: any Database) async throws -> [UUID] {
        try await RoleTenure.query(on: db).filter(\.$userID == userID).filter(\.$endsOn == nil).all().map(\.roleID)
    }
}
