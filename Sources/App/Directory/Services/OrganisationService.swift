import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension Organisation: Auditable {
    static var auditEntityType: String { "organisation" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot([
            "name": .string(name), "orgnr": orgnr.map { .string($0) } ?? .null,
            "legalForm": .string(legalForm.rawValue), "level": .string(level.rawValue),
            "parentId": parentID.map { .string($0.uuidString) } ?? .null,
            "description": .string(description), "street": .string(street), "postalCode": .string(postalCode),
            "city": .string(city), "email": .string(email), "phone": .string(phone), "website": .string(website),
            "foundedYear": foundedYear.map { .int($0) } ?? .null, "councilMemberships": .string(councilMemberships),
        ])
    }
}

/// Creating, changing and removing organisations; every write in one transaction with its audit event
/// and its search document.
enum OrganisationService {
    static func currentYear() -> Int { LocalDate.today().year }

    static func validate(_ input: OrganisationInput, on db: any Database) async throws -> OrganisationFields {
        let vocabulary = try await DirectoryVocabularyService.load(on: db)
        switch OrganisationRules.validate(input, vocabulary: vocabulary, currentYear: currentYear()) {
        case .success(let f): return f
        case .failure(let errors): throw AppError.invalid(errors.all)
        }
    }

    static func create(_ input: OrganisationInput, isDemo: Bool = false, in ctx: WriteContext) async throws -> Organisation {
        let fields = try await validate(input, on: ctx.db)
        let org = Organisation()
        org.id = UUID()
        org.version = 1
        org.isDemo = isDemo
        try await checkUniqueAndParent(fields, id: nil, on: ctx.db)
        apply(fields, to: org)
        try await org.create(on: ctx.db)
        try await replaceLinks(org.id!, fields, on: ctx.db)
        ctx.audit("create", org, id: org.id, before: nil)
        try await DirectoryIndexer.indexOrganisations([org.id!], on: ctx.db)
        return org
    }

    static func update(_ id: UUID, _ input: OrganisationInput, in ctx: WriteContext) async throws -> Organisation {
        guard let org = try await Organisation.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard let expected = input.version else { throw AppError.invalid(field: "version", code: "required") }
        guard expected == org.version else { throw AppError.staleVersion() }
        let fields = try await validate(input, on: ctx.db)
        try await checkUniqueAndParent(fields, id: id, on: ctx.db)
        let before = org.auditSnapshot
        apply(fields, to: org)
        org.version += 1
        // Writers are serialised by `Database.write` (the audit chain head is locked first), so the
        // version read above is the latest committed one and this save cannot overwrite a newer one.
        try await org.save(on: ctx.db)
        try await replaceLinks(id, fields, on: ctx.db)
        ctx.audit("update", org, id: id, before: before)
        try await DirectoryIndexer.indexOrganisations([id], on: ctx.db)
        return org
    }

    /// Soft delete: the organisation disappears from lists and search but its history stays.
    static func delete(_ id: UUID, version: Int?, in ctx: WriteContext) async throws {
        guard let org = try await Organisation.find(id, on: ctx.db) else { throw AppError.notFound() }
        if let version, version != org.version { throw AppError.staleVersion() }
        let children = try await Organisation.query(on: ctx.db).filter(\.$parentID == id).count()
        if children > 0 {
            throw AppError(.conflict, "Organisationen har \(children) underorganisationer. Flytta eller ta bort dem först.",
                           fields: [FieldError(field: "id", code: "hasChildren", args: [String(children)])])
        }
        let before = org.auditSnapshot
        try await org.delete(on: ctx.db)
        ctx.audit("delete", Organisation.auditEntityType, id.uuidString, before: before, after: nil)
        try await SearchIndexes.forDatabase(ctx.sql).remove(ids: [id], on: ctx.sql)
    }

    static func apply(_ f: OrganisationFields, to org: Organisation) {
        org.name = f.name
        org.sortName = SwedishCollation.key(f.name)
        org.orgnr = f.orgnr
        org.legalForm = f.legalForm
        org.level = f.level
        org.parentID = f.parentID
        org.description = f.description
        org.street = f.street
        org.postalCode = f.postalCode
        org.city = f.city
        org.email = f.email
        org.phone = f.phone
        org.website = f.website
        org.foundedYear = f.foundedYear
        org.councilMemberships = f.councilMemberships.joined(separator: "|")
    }

    static func checkUniqueAndParent(_ f: OrganisationFields, id: UUID?, on db: any Database) async throws {
        if let orgnr = f.orgnr {
            var q = Organisation.query(on: db).withDeleted().filter(\.$orgnr == orgnr)
            if let id { q = q.filter(\.$id != id) }
            if let other = try await q.first() {
                throw AppError(.conflict, "Organisationsnumret \(orgnr) finns redan (\(other.name)).",
                               fields: [FieldError(field: "orgnr", code: "duplicateOrgnr", args: [orgnr, other.name])])
            }
        }
        var parentInfo: (UUID, OrganisationLevel)?
        var ancestors: [UUID] = []
        if let pid = f.parentID, let parent = try await Organisation.find(pid, on: db) {
            parentInfo = (pid, parent.level)
            ancestors = try await organisationAncestors(of: pid, on: db)
        }
        let errors = OrganisationRules.checkParent(childID: id, level: f.level, parent: parentInfo,
                                                   parentRequested: f.parentID != nil, ancestorsOfParent: ancestors)
        try errors.throwIfAny()
    }

    static func organisationAncestors(of id: UUID, on db: any Database) async throws -> [UUID] {
        var out: [UUID] = [id]
        var current = id
        while out.count < 20, let p = try await Organisation.find(current, on: db)?.parentID, !out.contains(p) {
            out.append(p)
            current = p
        }
        return out
    }

    static func replaceLinks(_ id: UUID, _ f: OrganisationFields, on db: any Database) async throws {
        try await OrganisationArea.query(on: db).filter(\.$organisationID == id).delete()
        try await OrganisationMunicipality.query(on: db).filter(\.$organisationID == id).delete()
        if !f.areas.isEmpty { try await f.areas.map { OrganisationArea(organisationID: id, areaKey: $0) }.create(on: db) }
        for chunk in f.municipalities.chunked(by: 100) {
            try await chunk.map { OrganisationMunicipality(organisationID: id, municipalityCode: $0) }.create(on: db)
        }
    }

    /// Replaces the member counts of the given years.
    static func setMemberCounts(_ id: UUID, _ rows: [MemberCountInput], in ctx: WriteContext) async throws -> [MemberCountDTO] {
        guard try await Organisation.find(id, on: ctx.db) != nil else { throw AppError.notFound() }
        let vocabulary = try await DirectoryVocabularyService.load(on: ctx.db)
        let checked: [(year: Int, municipality: String?, total: Int, young: Int?)]
        switch MemberCountRules.validate(rows, vocabulary: vocabulary, currentYear: currentYear()) {
        case .success(let c): checked = c
        case .failure(let e): throw AppError.invalid(e.all)
        }
        let years = Set(checked.map(\.year))
        let existing = try await MemberCount.query(on: ctx.db).filter(\.$organisationID == id).filter(\.$year ~~ Array(years)).all()
        func snap(_ rows: [MemberCount]) -> AuditSnapshot {
            var f: [String: JSONValue] = [:]
            for r in rows { f["\(r.year)/\(r.municipalityCode ?? "total")"] = .string("\(r.total)/\(r.young.map(String.init) ?? "-")") }
            return AuditSnapshot(f)
        }
        let before = snap(existing)
        try await MemberCount.query(on: ctx.db).filter(\.$organisationID == id).filter(\.$year ~~ Array(years)).delete()
        let models = checked.map { MemberCount(organisationID: id, year: $0.year, municipalityCode: $0.municipality, total: $0.total, young: $0.young) }
        if !models.isEmpty { try await models.create(on: ctx.db) }
        ctx.audit("update", "organisation.memberCounts", id.uuidString, before: before, after: snap(models))
        return try await memberCounts(id, on: ctx.db)
    }

    static func memberCounts(_ id: UUID, on db: any Database) async throws -> [MemberCountDTO] {
        try await MemberCount.query(on: db).filter(\.$organisationID == id).all()
            .sorted { $0.year != $1.year ? $0.year > $1.year : ($0.municipalityCode ?? "") < ($1.municipalityCode ?? "") }
            .map { MemberCountDTO(year: $0.year, total: $0.total, young: $0.young, municipality: $0.municipalityCode) }
    }

    /// The input that reproduces a stored organisation (for edit forms and PATCH).
    static func input(from org: Organisation, on db: any Database) async throws -> OrganisationInput {
        let id = org.id!
        let areas = try await OrganisationArea.query(on: db).filter(\.$organisationID == id).all().map(\.areaKey)
        let munis = try await OrganisationMunicipality.query(on: db).filter(\.$organisationID == id).all().map(\.municipalityCode)
        return OrganisationInput(
            name: org.name, orgnr: org.orgnr, legalForm: org.legalForm.rawValue, level: org.level.rawValue,
            parentID: org.parentID?.uuidString, areas: areas, municipalities: munis, description: org.description,
            street: org.street, postalCode: org.postalCode, city: org.city, email: org.email, phone: org.phone,
            website: org.website, foundedYear: org.foundedYear.map(String.init),
            councilMemberships: org.councilMemberships.split(separator: "|").map(String.init), version: org.version)
    }

    /// One organisation as the API shows it: the list DTO (`OrganisationQueries.listDTOs`), with member counts.
    static func dto(_ org: Organisation, withMembers: Bool, on db: any Database) async throws -> OrganisationDTO {
        guard let id = org.id, var dto = try await OrganisationQueries.listDTOs(ids: [id], on: db).first else { throw AppError.notFound() }
        if withMembers { dto.memberCounts = try await memberCounts(id, on: db) }
        return dto
    }
}

extension OrganisationService {
    /// Sets one year's count (for the whole organisation or one municipality), keeping other rows of that year.
    static func setMemberCountRow(_ id: UUID, _ row: MemberCountInput, in ctx: WriteContext) async throws -> [MemberCountDTO] {
        guard try await Organisation.find(id, on: ctx.db) != nil else { throw AppError.notFound() }
        let vocabulary = try await DirectoryVocabularyService.load(on: ctx.db)
        guard case .success(let checked) = MemberCountRules.validate([row], vocabulary: vocabulary, currentYear: currentYear()) else {
            if case .failure(let e) = MemberCountRules.validate([row], vocabulary: vocabulary, currentYear: currentYear()) { throw AppError.invalid(e.all) }
            return []
        }
        let r = checked[0]
        var q = MemberCount.query(on: ctx.db).filter(\.$organisationID == id).filter(\.$year == r.year)
        q = r.municipality == nil ? q.filter(\.$municipalityCode == nil) : q.filter(\.$municipalityCode == r.municipality)
        let existing = try await q.first()
        let key = "\(r.year)/\(r.municipality ?? "total")"
        let before = existing.map { AuditSnapshot([key: .string("\($0.total)/\($0.young.map(String.init) ?? "-")")]) }
        if let existing { try await existing.delete(on: ctx.db) }
        try await MemberCount(organisationID: id, year: r.year, municipalityCode: r.municipality, total: r.total, young: r.young).create(on: ctx.db)
        ctx.audit("update", "organisation.memberCounts", id.uuidString, before: before ?? AuditSnapshot([:]),
                  after: AuditSnapshot([key: .string("\(r.total)/\(r.young.map(String.init) ?? "-")")]))
        return try await memberCounts(id, on: ctx.db)
    }
}

// MARK: Reading organisations

extension OrganisationService {
    static func require(_ id: UUID, on db: any Database) async throws -> Organisation { try await Organisation.require(id, on: db) }

    static func find(_ id: UUID, on db: any Database) async throws -> Organisation? { try await Organisation.find(id, on: db) }

    /// The organisation a text names: an id, or an organisationsnummer in any accepted spelling.
    static func resolve(idOrOrgnr text: String, on db: any Database) async throws -> UUID? {
        if let id = UUID(uuidString: text) { return id }
        guard case .success(let n) = OrganisationNumber.parse(text) else { return nil }
        return try await DirectoryQueries.organisation(orgnr: n.normalized, on: db)?.id
    }

    /// Applies a partial change on top of the stored organisation (PATCH).
    static func patch(_ id: UUID, _ merge: (OrganisationInput) -> OrganisationInput, in ctx: WriteContext) async throws -> Organisation {
        let existing = try await require(id, on: ctx.db)
        return try await update(id, merge(try await input(from: existing, on: ctx.db)), in: ctx)
    }
}
