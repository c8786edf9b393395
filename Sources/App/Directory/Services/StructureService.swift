import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension PublicBody: Auditable {
    static var auditEntityType: String { "publicBody" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["name": .string(name), "kind": .string(kind.rawValue), "countyCode": .string(countyCode),
                       "municipalityCode": municipalityCode.map { .string($0) } ?? .null, "orgnr": orgnr.map { .string($0) } ?? .null,
                       "website": .string(website), "description": .string(description)])
    }
}

extension OrgUnit: Auditable {
    static var auditEntityType: String { "unit" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["name": .string(name), "kind": .string(kind.rawValue), "bodyId": .string(bodyID.uuidString),
                       "parentId": parentID.map { .string($0.uuidString) } ?? .null, "responsibilities": .string(responsibilities),
                       "email": .string(email), "phone": .string(phone)])
    }
}

/// Public bodies and their unit trees.
enum StructureService {
    // MARK: Bodies

    static func validateBody(_ b: PublicBodyBody, on db: any Database) async throws -> (name: String, kind: BodyKind, county: String, municipality: String?, orgnr: String?, website: String, description: String) {
        var errors = FieldErrors()
        let name = TextRules.line(b.name, field: "name", max: 200, required: true, min: 2, errors: &errors)
        let kind = OrganisationRules.vocabulary(BodyKind.self, b.kind, field: "kind", errors: &errors)
        let county = (b.countyCode ?? "").trimmingCharacters(in: .whitespaces)
        if county.isEmpty { errors.add("countyCode", code: "required") }
        else if try await County.query(on: db).filter(\.$code == county).count() == 0 { errors.add("countyCode", code: "unknownCounty", String(county.prefix(10))) }
        var municipality: String?
        if let m = b.municipalityCode?.trimmingCharacters(in: .whitespaces), !m.isEmpty {
            if let muni = try await Municipality.query(on: db).filter(\.$code == m).first() {
                if muni.countyCode != county { errors.add("municipalityCode", code: "municipalityNotInCounty") }
                municipality = m
            } else {
                errors.add("municipalityCode", code: "unknownMunicipality", String(m.prefix(10)))
            }
        }
        if kind == .municipality && municipality == nil && !errors.hasError("municipalityCode") {
            errors.add("municipalityCode", code: "required")
        }
        var orgnr: String?
        if let raw = b.orgnr, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            switch OrganisationNumber.parse(raw) {
            case .success(let n): orgnr = n.normalized
            case .failure(let f): errors.add("orgnr", code: "orgnr.\(OrganisationRules.code(f))")
            }
        }
        let website = TextRules.website(b.website, field: "website", errors: &errors)
        let description = TextRules.paragraph(b.description, field: "description", max: 5000, errors: &errors)
        try errors.throwIfAny()
        return (name, kind!, county, municipality, orgnr, website, description)
    }

    static func saveBody(_ id: UUID?, _ b: PublicBodyBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> PublicBody {
        let v = try await validateBody(b, on: ctx.db)
        let body: PublicBody
        var before: AuditSnapshot?
        if let id {
            guard let existing = try await PublicBody.find(id, on: ctx.db) else { throw AppError.notFound() }
            guard let version = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard version == existing.version else { throw AppError.staleVersion() }
            before = existing.auditSnapshot
            body = existing
            body.version += 1
        } else {
            body = PublicBody()
            body.id = UUID()
            body.version = 1
            body.isDemo = isDemo
        }
        body.name = v.name
        body.kind = v.kind
        body.countyCode = v.county
        body.municipalityCode = v.municipality
        body.orgnr = v.orgnr
        body.website = v.website
        body.description = v.description
        try await body.save(on: ctx.db)
        ctx.audit(id == nil ? "create" : "update", body, id: body.id, before: before)
        try await DirectoryIndexer.indexBodies([body.id!], on: ctx.db)
        if id != nil {
            try await DirectoryIndexer.indexUnits(try await OrgUnit.query(on: ctx.db).filter(\.$bodyID == body.id!).all().compactMap(\.id), on: ctx.db)
        }
        return body
    }

    /// The kind (`region`, `municipality`, `lansstyrelse`, `other`) of each body.
    static func bodyKinds(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await PublicBody.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.kind.rawValue) })
    }

    static func bodyDTO(_ b: PublicBody) -> PublicBodyDTO {
        PublicBodyDTO(id: b.id!, name: b.name, kind: b.kind.rawValue, countyCode: b.countyCode, municipalityCode: b.municipalityCode,
                      orgnr: b.orgnr, website: b.website, description: b.description, version: b.version)
    }

    // MARK: Units

    static func saveUnit(_ id: UUID?, _ b: UnitBody, in ctx: WriteContext) async throws -> OrgUnit {
        var errors = FieldErrors()
        let name = TextRules.line(b.name, field: "name", max: 200, required: true, min: 2, errors: &errors)
        let kind = OrganisationRules.vocabulary(UnitKind.self, b.kind, field: "kind", errors: &errors)
        let responsibilities = TextRules.paragraph(b.responsibilities, field: "responsibilities", max: 5000, errors: &errors)
        let email = TextRules.email(b.email, field: "email", errors: &errors)
        let phone = TextRules.phone(b.phone, field: "phone", errors: &errors)
        let existing: OrgUnit? = id == nil ? nil : try await OrgUnit.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        var bodyID = existing?.bodyID
        if existing == nil {
            if let raw = b.bodyId, let bid = UUID(uuidString: raw) {
                if try await PublicBody.find(bid, on: ctx.db) == nil { errors.add("bodyId", code: "notFound") } else { bodyID = bid }
            } else {
                errors.add("bodyId", code: b.bodyId == nil || b.bodyId!.isEmpty ? "required" : "uuid")
            }
        }
        var parentID: UUID?
        if let raw = b.parentId, !raw.isEmpty {
            if let pid = UUID(uuidString: raw), let parent = try await OrgUnit.find(pid, on: ctx.db) {
                if parent.bodyID != bodyID { errors.add("parentId", code: "parentOtherBody") }
                else if StructureRules.parentCreatesCycle(unitID: id, ancestorsOfNewParent: try await unitPath(pid, on: ctx.db)) {
                    errors.add("parentId", code: "parentCycle")
                } else { parentID = pid }
            } else {
                errors.add("parentId", code: "notFound")
            }
        }
        let vocab = try await DirectoryVocabularyService.load(on: ctx.db)
        var areas: [String] = []
        for a in b.areas ?? [] where !a.isEmpty {
            if let k = vocab.areaKey(a) { if !areas.contains(k) { areas.append(k) } } else { errors.add("areas", code: "unknownArea", String(a.prefix(60))) }
        }
        if let existing {
            guard let version = b.version else { throw AppError.invalid(field: "version", code: "required") }
            if version != existing.version { throw AppError.staleVersion() }
        }
        try errors.throwIfAny()
        guard let bodyID else { throw AppError.invalid(field: "bodyId", code: "required") }
        // The principal must be allowed to edit the unit where it is now (a move must not take another's unit)
        // and the place in the tree it moves to, not only the unit.
        if let existing, let uid = existing.id { try authorizeUnit(ctx.actor, bodyID: existing.bodyID, path: try await unitPath(uid, on: ctx.db)) }
        if let parentID { try authorizeUnit(ctx.actor, bodyID: bodyID, path: try await unitPath(parentID, on: ctx.db)) }
        else { try authorizeUnit(ctx.actor, bodyID: bodyID, path: existing.flatMap(\.id).map { [$0] } ?? []) }

        let unit = existing ?? OrgUnit()
        let before = existing?.auditSnapshot
        if existing == nil {
            unit.id = UUID()
            unit.bodyID = bodyID
            unit.version = 1
        } else {
            unit.version += 1
        }
        unit.parentID = parentID
        unit.name = name
        unit.kind = kind!
        unit.responsibilities = responsibilities
        unit.email = email
        unit.phone = phone
        try await unit.save(on: ctx.db)
        try await UnitArea.query(on: ctx.db).filter(\.$unitID == unit.id!).delete()
        if !areas.isEmpty { try await areas.map { UnitArea(unitID: unit.id!, areaKey: $0) }.create(on: ctx.db) }
        ctx.audit(existing == nil ? "create" : "update", unit, id: unit.id, before: before)
        try await DirectoryIndexer.indexUnits([unit.id!], on: ctx.db)
        return unit
    }

    static func authorizeUnit(_ actor: Principal, bodyID: UUID, path: [UUID]) throws {
        guard Policy.allows(actor, .unitEdit, .body(bodyID, unitPath: path)) else { throw AppError.forbidden() }
    }

    static func deleteUnit(_ id: UUID, in ctx: WriteContext) async throws {
        guard let unit = try await OrgUnit.find(id, on: ctx.db) else { throw AppError.notFound() }
        let children = try await OrgUnit.query(on: ctx.db).filter(\.$parentID == id).count()
        if children > 0 { throw AppError(.conflict, "Enheten har underenheter.", fields: [FieldError(field: "id", code: "hasChildren", args: [String(children)])]) }
        let roles = try await ContactRole.query(on: ctx.db).filter(\.$unitID == id).all().compactMap(\.id)
        let before = unit.auditSnapshot
        try await unit.delete(on: ctx.db)
        ctx.audit("delete", OrgUnit.auditEntityType, id.uuidString, before: before, after: nil)
        try await SearchIndexes.forDatabase(ctx.sql).remove(ids: [id] + roles, on: ctx.sql)
    }

    /// The unit and its ancestors, nearest first.
    static func unitPath(_ id: UUID, on db: any Database) async throws -> [UUID] {
        var out: [UUID] = [id]
        var current = id
        while out.count < 30, let p = try await OrgUnit.find(current, on: db)?.parentID, !out.contains(p) {
            out.append(p)
            current = p
        }
        return out
    }

    static func unitDTOs(_ units: [OrgUnit], on db: any Database) async throws -> [UnitDTO] {
        let ids = units.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var areas: [UUID: [String]] = [:]
        for a in try await UnitArea.query(on: db).filter(\.$unitID ~~ ids).all() { areas[a.unitID, default: []].append(a.areaKey) }
        var bodies: [UUID: String] = [:]
        for b in try await PublicBody.query(on: db).filter(\.$id ~~ Array(Set(units.map(\.bodyID)))).all() { bodies[b.id!] = b.name }
        return units.map { u in
            UnitDTO(id: u.id!, bodyId: u.bodyID, bodyName: bodies[u.bodyID], parentId: u.parentID, name: u.name, kind: u.kind.rawValue,
                    responsibilities: u.responsibilities, areas: (areas[u.id!] ?? []).sorted(), email: u.email, phone: u.phone, version: u.version)
        }
    }

    /// A body's units as a depth-first list with depth, for an indented tree.
    static func tree(of bodyID: UUID, on db: any Database) async throws -> [(unit: OrgUnit, depth: Int)] {
        let units = try await OrgUnit.query(on: db).filter(\.$bodyID == bodyID).all()
        let byParent = Dictionary(grouping: units, by: { $0.parentID })
        var out: [(OrgUnit, Int)] = []
        func walk(_ parent: UUID?, _ depth: Int) {
            for u in (byParent[parent] ?? []).sorted(by: { SwedishCollation.key($0.name) < SwedishCollation.key($1.name) }) {
                out.append((u, depth))
                if depth < 20 { walk(u.id, depth + 1) }
            }
        }
        walk(nil, 0)
        return out
    }

    /// Resolves the scope of a unit named in the path (`:id`), for route access checks.
    static func unitScope(_ req: Request) async throws -> ResourceScope {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let unit = try await OrgUnit.find(id, on: req.db) else { throw AppError.notFound() }
        return .body(unit.bodyID, unitPath: try await unitPath(id, on: req.db))
    }

    static func bodyScope(_ req: Request) async throws -> ResourceScope {
        let id = try req.parameters.require("id", as: UUID.self)
        guard try await PublicBody.find(id, on: req.db) != nil else { throw AppError.notFound() }
        return .body(id, unitPath: [])
    }
}

// MARK: Reading bodies and units

extension StructureService {
    static func requireBody(_ id: UUID, on db: any Database) async throws -> PublicBody { try await PublicBody.require(id, on: db) }

    static func requireUnit(_ id: UUID, on db: any Database) async throws -> OrgUnit { try await OrgUnit.require(id, on: db) }

    /// Bodies by county and name, optionally of one kind and county; `page` nil for all.
    static func bodies(kind: BodyKind?, county: String? = nil, page: PageRequest? = nil, on db: any Database) async throws -> (items: [PublicBody], total: Int) {
        var q = PublicBody.query(on: db)
        if let kind { q = q.filter(\.$kind == kind) }
        if let county, !county.isEmpty { q = q.filter(\.$countyCode == county) }
        let total = try await q.count()
        q = q.sort(\.$countyCode).sort(\.$name)
        if let page { q = q.range(page.offset..<(page.offset + page.per)) }
        return (try await q.all(), total)
    }

    /// Units by name, optionally of one body and/or working in one area, one page at a time.
    static func units(bodyID: UUID?, area: String?, page: PageRequest, on db: any Database) async throws -> (items: [OrgUnit], total: Int) {
        var q = OrgUnit.query(on: db)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        if let area, !area.isEmpty {
            q = q.filter(\.$id ~~ (try await UnitArea.query(on: db).filter(\.$areaKey == area).all().map(\.unitID)))
        }
        let total = try await q.count()
        return (try await q.sort(\.$name).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    /// Units the collaboration form offers: those of the given bodies (all when nil), by name.
    static func unitDTOs(ofBodies bodyIDs: [UUID]?, limit: Int, on db: any Database) async throws -> [UnitDTO] {
        var q = OrgUnit.query(on: db)
        if let bodyIDs { q = q.filter(\.$bodyID ~~ bodyIDs) }
        return try await unitDTOs(try await q.sort(\.$name).limit(limit).all(), on: db)
    }

    static func children(of unitID: UUID, on db: any Database) async throws -> [OrgUnit] {
        try await OrgUnit.query(on: db).filter(\.$parentID == unitID).sort(\.$name).all()
    }

    static func areaKeys(ofUnit id: UUID, on db: any Database) async throws -> [String] {
        try await UnitArea.query(on: db).filter(\.$unitID == id).all().map(\.areaKey)
    }

    /// The units above `id`, from the top of the tree down to its parent.
    static func ancestors(of id: UUID, on db: any Database) async throws -> [OrgUnit] {
        var out: [OrgUnit] = []
        for pid in try await unitPath(id, on: db).dropFirst().reversed() {
            if let p = try await OrgUnit.find(pid, on: db) { out.append(p) }
        }
        return out
    }
}
