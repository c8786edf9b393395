import Fluent
import Vapor
import SamverkaRules

/// HTML pages for public bodies and their units.
enum StructurePages {
    static func register(_ site: Router) {
        let bodies = site.grouped("bodies")
        bodies.get(access: .anyone, use: listBodies)
        bodies.get("new", access: .permission(.bodyManage), use: newBody)
        bodies.post(access: .permission(.bodyManage), use: createBody)
        bodies.get(":id", access: .anyone, use: showBody)
        bodies.get(":id", "edit", access: .scoped(.bodyEdit, StructureService.bodyScope), use: editBody)
        bodies.post(":id", "edit", access: .scoped(.bodyEdit, StructureService.bodyScope), use: updateBody)
        bodies.get(":id", "units", "new", access: .scoped(.unitEdit, StructureService.bodyScope), use: newUnit)
        bodies.post(":id", "units", access: .scoped(.unitEdit, StructureService.bodyScope), use: createUnit)
        bodies.get(":id", "collaboration", access: .anyone, use: CollaborationPages.matrix)
        let units = site.grouped("units")
        units.get(":id", access: .anyone, use: showUnit)
        units.get(":id", "edit", access: .scoped(.unitEdit, StructureService.unitScope), use: editUnit)
        units.post(":id", "edit", access: .scoped(.unitEdit, StructureService.unitScope), use: updateUnit)
        units.post(":id", "delete", access: .scoped(.unitEdit, StructureService.unitScope), use: deleteUnit)
    }

    // MARK: Bodies

    struct BodyRow: Encodable, Sendable { var href: String; var name: String; var kind: String; var county: String }
    struct BodiesPage: Encodable, Sendable { var rows: [BodyRow]; var canCreate: Bool; var filters: [FormField] }

    @Sendable static func listBodies(_ req: Request) async throws -> Response {
        let kind = req.queryValue("kind").flatMap(BodyKind.init(rawValue:))
        let counties = try await DirectoryQueries.countyNames(on: req.db)
        let rows = try await StructureService.bodies(kind: kind, on: req.db).items.map {
            BodyRow(href: "/bodies/\($0.id!)", name: $0.name, kind: req.label($0.kind), county: counties[$0.countyCode] ?? $0.countyCode)
        }
        let filters = [FormField("kind", label: req.t("body.field.kind"), kind: .select, options: req.options(BodyKind.self, selected: kind?.rawValue, emptyLabel: req.t("filter.all")))]
        return try await req.page("directory/bodies", title: req.t("body.list.title"), BodiesPage(rows: rows, canCreate: Policy.allows(req.principal, .bodyManage), filters: filters))
    }

    struct TreeRow: Encodable, Sendable { var href: String; var name: String; var kind: String; var depth: Int; var indent: String; var responsibilities: String? }
    struct RoleRow: Encodable, Sendable { var href: String; var title: String; var owner: String; var holder: String?; var isOpen: Bool }
    struct BodyPage: Encodable, Sendable {
        var body: PublicBodyDTO
        var kind: String
        var county: String
        var municipality: String?
        var units: [TreeRow]
        var hasUnits: Bool
        var roles: [RoleRow]
        var hasRoles: Bool
        var openRoles: Int
        var canEdit: Bool
        var canAddUnit: Bool
        var description: String?
        var website: String?
    }

    @Sendable static func showBody(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try await StructureService.requireBody(id, on: req.db)
        let tree = try await StructureService.tree(of: id, on: req.db)
        let units = tree.map { TreeRow(href: "/units/\($0.unit.id!)", name: $0.unit.name, kind: req.label($0.unit.kind), depth: $0.depth,
                                       indent: String(repeating: "— ", count: $0.depth), responsibilities: $0.unit.responsibilities.nilIfEmpty) }
        let unitIDs = tree.compactMap { $0.unit.id }
        let roles = try await RoleService.openRoleDTOs(unitIDs: unitIDs, on: req.db)
        let county = try await ReferenceDataService.countyName(body.countyCode, on: req.db) ?? body.countyCode
        let muni = try await body.municipalityCode.asyncFlatMap { c in try await ReferenceDataService.municipality(code: c, on: req.db)?.name }
        let data = BodyPage(
            body: StructureService.bodyDTO(body), kind: req.label(body.kind), county: county, municipality: muni,
            units: units, hasUnits: !units.isEmpty,
            roles: roles.map { RoleRow(href: "/roles/\($0.id)", title: $0.title, owner: $0.ownerName ?? "", holder: $0.currentHolder?.holderName, isOpen: $0.isOpen) },
            hasRoles: !roles.isEmpty, openRoles: roles.filter(\.isOpen).count,
            canEdit: Policy.allows(req.principal, .bodyEdit, .body(id, unitPath: [])),
            canAddUnit: Policy.allows(req.principal, .unitEdit, .body(id, unitPath: [])),
            description: body.description.nilIfEmpty, website: body.website.nilIfEmpty)
        return try await req.page("directory/body", title: body.name, data)
    }

    static func bodyFields(_ b: PublicBodyBody, _ req: Request) async throws -> [FormField] {
        [
            FormField("name", label: req.t("body.field.name"), value: b.name, required: true, maxLength: 200),
            FormField("kind", label: req.t("body.field.kind"), kind: .select, required: true, options: req.options(BodyKind.self, selected: b.kind, emptyLabel: req.t("form.choose"))),
            FormField("countyCode", label: req.t("filter.county"), kind: .select, required: true, options: try await req.countyOptions(on: req.db, selected: b.countyCode, emptyLabel: req.t("form.choose"))),
            FormField("municipalityCode", label: req.t("filter.municipality"), kind: .select, hint: req.t("body.field.municipalityHint"),
                      options: try await req.municipalityOptions(on: req.db, selected: b.municipalityCode.map { [$0] } ?? [], single: true, emptyLabel: req.t("form.none"))),
            FormField("orgnr", label: req.t("org.field.orgnr"), value: b.orgnr, maxLength: 20),
            FormField("website", label: req.t("org.field.website"), kind: .url, value: b.website, maxLength: 300),
            FormField("description", label: req.t("org.field.description"), kind: .textarea, value: b.description, maxLength: 5000),
        ]
    }

    static func bodyForm(_ req: Request, _ b: PublicBodyBody, id: UUID?, errors: [FieldError]) async throws -> Response {
        let form = req.form(action: id.map { "/bodies/\($0)/edit" } ?? "/bodies", submitLabel: req.t("form.save"), fields: try await bodyFields(b, req),
                            errors: errors, version: b.version, cancelHref: id.map { "/bodies/\($0)" } ?? "/bodies")
        return try await req.formPage(heading: id == nil ? req.t("body.new.title") : req.t("body.edit.title"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newBody(_ req: Request) async throws -> Response { try await bodyForm(req, PublicBodyBody(), id: nil, errors: []) }

    @Sendable static func createBody(_ req: Request) async throws -> Response {
        let b = try req.decodeForm(PublicBodyBody.self)
        do {
            let body = try await req.write { ctx in try await StructureService.saveBody(nil, b, in: ctx) }
            return req.redirect(to: "/bodies/\(body.id!)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await bodyForm(req, b, id: nil, errors: $0) } }
    }

    @Sendable static func editBody(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try await StructureService.requireBody(id, on: req.db)
        return try await bodyForm(req, PublicBodyBody(name: b.name, kind: b.kind.rawValue, countyCode: b.countyCode, municipalityCode: b.municipalityCode,
                                                      orgnr: b.orgnr, website: b.website, description: b.description, version: b.version), id: id, errors: [])
    }

    @Sendable static func updateBody(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.decodeForm(PublicBodyBody.self)
        do {
            _ = try await req.write { ctx in try await StructureService.saveBody(id, b, in: ctx) }
            return req.redirect(to: "/bodies/\(id)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await bodyForm(req, b, id: id, errors: $0) } }
    }

    // MARK: Units

    struct UnitForm: Content {
        var parentId: String?
        var name: String?
        var kind: String?
        var responsibilities: String?
        var areas: [String]?
        var email: String?
        var phone: String?
        var version: Int?
        var body: UnitBody { UnitBody(bodyId: nil, parentId: parentId, name: name, kind: kind, responsibilities: responsibilities, areas: areas ?? [], email: email, phone: phone, version: version) }
    }

    static func unitForm(_ req: Request, bodyID: UUID, unitID: UUID?, _ f: UnitForm, errors: [FieldError]) async throws -> Response {
        let vocab = try await DirectoryVocabularyService.load(on: req.db)
        let tree = try await StructureService.tree(of: bodyID, on: req.db).filter { $0.unit.id != unitID }
        let parents = [FormField.Option(value: "", label: req.t("unit.topLevel"), selected: (f.parentId ?? "").isEmpty)]
            + tree.map { .init(value: $0.unit.id!.uuidString, label: String(repeating: "– ", count: $0.depth) + $0.unit.name, selected: f.parentId == $0.unit.id!.uuidString) }
        let fields = [
            FormField("name", label: req.t("unit.field.name"), value: f.name, required: true, maxLength: 200),
            FormField("kind", label: req.t("unit.field.kind"), kind: .select, required: true, options: req.options(UnitKind.self, selected: f.kind, emptyLabel: req.t("form.choose"))),
            FormField("parentId", label: req.t("unit.field.parent"), kind: .select, options: parents),
            FormField("responsibilities", label: req.t("unit.field.responsibilities"), kind: .textarea, value: f.responsibilities, hint: req.t("unit.field.responsibilitiesHint"), maxLength: 5000),
            FormField("areas[]", label: req.t("org.field.areas"), kind: .checkboxes, options: req.areaOptions(vocab, selected: f.areas ?? [])),
            FormField("email", label: req.t("org.field.email"), kind: .email, value: f.email, maxLength: 254),
            FormField("phone", label: req.t("org.field.phone"), kind: .tel, value: f.phone, maxLength: 40),
        ]
        let action = unitID.map { "/units/\($0)/edit" } ?? "/bodies/\(bodyID)/units"
        let form = req.form(action: action, submitLabel: req.t("form.save"), fields: fields, errors: errors, version: f.version,
                            cancelHref: unitID.map { "/units/\($0)" } ?? "/bodies/\(bodyID)")
        return try await req.formPage(heading: unitID == nil ? req.t("unit.new.title") : req.t("unit.edit.title"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newUnit(_ req: Request) async throws -> Response {
        let bodyID = try req.parameters.require("id", as: UUID.self)
        return try await unitForm(req, bodyID: bodyID, unitID: nil, UnitForm(parentId: req.queryValue("parent")), errors: [])
    }

    @Sendable static func createUnit(_ req: Request) async throws -> Response {
        let bodyID = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(UnitForm.self)
        var b = f.body
        b.bodyId = bodyID.uuidString
        do {
            let unit = try await req.write { [b] ctx in try await StructureService.saveUnit(nil, b, in: ctx) }
            return req.redirect(to: "/units/\(unit.id!)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await unitForm(req, bodyID: bodyID, unitID: nil, f, errors: $0) } }
    }

    @Sendable static func editUnit(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let u = try await StructureService.requireUnit(id, on: req.db)
        let areas = try await StructureService.areaKeys(ofUnit: id, on: req.db)
        return try await unitForm(req, bodyID: u.bodyID, unitID: id, UnitForm(parentId: u.parentID?.uuidString, name: u.name, kind: u.kind.rawValue,
                                  responsibilities: u.responsibilities, areas: areas, email: u.email, phone: u.phone, version: u.version), errors: [])
    }

    @Sendable static func updateUnit(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let u = try await StructureService.requireUnit(id, on: req.db)
        let f = try req.decodeForm(UnitForm.self)
        do {
            _ = try await req.write { ctx in try await StructureService.saveUnit(id, f.body, in: ctx) }
            return req.redirect(to: "/units/\(id)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await unitForm(req, bodyID: u.bodyID, unitID: id, f, errors: $0) } }
    }

    @Sendable static func deleteUnit(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let u = try await StructureService.requireUnit(id, on: req.db)
        try await req.write { ctx in try await StructureService.deleteUnit(id, in: ctx) }
        return req.redirect(to: "/bodies/\(u.bodyID)", flash: req.t("deleted"))
    }

    struct UnitPage: Encodable, Sendable {
        var unit: UnitDTO
        var kind: String
        var path: [Link]
        var children: [Link]
        var hasChildren: Bool
        var areas: [String]
        var hasAreas: Bool
        var roles: [RoleRow]
        var hasRoles: Bool
        var collaborations: [OrganisationPages.CollaborationRow]
        var hasCollaborations: Bool
        var canEdit: Bool
        var canAddCollaboration: Bool
        var responsibilities: String?
        var email: String?
        var phone: String?
    }

    @Sendable static func showUnit(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let unit = try await StructureService.requireUnit(id, on: req.db)
        let dto = try await StructureService.unitDTOs([unit], on: req.db)[0]
        let vocab = try await DirectoryVocabularyService.load(on: req.db)
        let path = [Link(href: "/bodies/\(unit.bodyID)", label: dto.bodyName ?? "")]
            + (try await StructureService.ancestors(of: id, on: req.db)).map { Link(href: "/units/\($0.id!)", label: $0.name) }
        let children = try await StructureService.children(of: id, on: req.db).map { Link(href: "/units/\($0.id!)", label: $0.name, note: req.label($0.kind)) }
        let roles = try await RoleService.openRoleDTOs(unitIDs: [id], on: req.db)
        let links = try await CollaborationService.dtos(unitID: id, on: req.db)
        let scope = ResourceScope.body(unit.bodyID, unitPath: try await StructureService.unitPath(id, on: req.db))
        let data = UnitPage(
            unit: dto, kind: req.label(unit.kind), path: path, children: children, hasChildren: !children.isEmpty,
            areas: dto.areas.map { req.areaName($0, vocab) }, hasAreas: !dto.areas.isEmpty,
            roles: roles.map { RoleRow(href: "/roles/\($0.id)", title: $0.title, owner: $0.ownerName ?? "", holder: $0.currentHolder?.holderName, isOpen: $0.isOpen) },
            hasRoles: !roles.isEmpty,
            collaborations: links.map { l in OrganisationPages.CollaborationRow(otherHref: "/organisations/\(l.organisationId)", other: l.organisationName ?? "", context: nil,
                                                                                   form: req.label(CollaborationForm.self, l.form), period: OrganisationPages.period(l.startsOn, l.endsOn, req), description: l.description.nilIfEmpty) },
            hasCollaborations: !links.isEmpty,
            canEdit: Policy.allows(req.principal, .unitEdit, scope), canAddCollaboration: Policy.allows(req.principal, .collaborationEdit, scope),
            responsibilities: unit.responsibilities.nilIfEmpty, email: unit.email.nilIfEmpty, phone: unit.phone.nilIfEmpty)
        return try await req.page("directory/unit", title: unit.name, data)
    }
}
