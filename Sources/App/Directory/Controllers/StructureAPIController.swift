import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// `/api/v1/bodies`, `/units`, `/roles`, `/collaborations`, `/municipalities`, `/counties`, `/areas`,
/// `/population`, `/search`.
enum StructureAPIController {
    static let tag = "Directory"

    static func register(_ api: Router) {
        let bodies = api.grouped("bodies")
        bodies.get(access: .anyone, api: APIOperation("List public bodies", tag: tag, query: [
            APIParameter("kind", .oneOf(BodyKind.rawValues), "Typ av myndighet."),
            APIParameter("county", .string(pattern: #"^\d{2}$"#), "Länskod."),
        ] + PagingParameters.all, response: .page(of: .ref("PublicBody"))), use: listBodies)
        bodies.post(access: .permission(.bodyManage), api: APIOperation("Create a public body", tag: tag, body: .ref("PublicBodyInput"), status: 201, response: .ref("PublicBody")), use: createBody)
        bodies.get(":id", access: .anyone, api: APIOperation("Get a public body", tag: tag, response: .ref("PublicBody")), use: showBody)
        bodies.put(":id", access: .scoped(.bodyEdit, StructureService.bodyScope), api: APIOperation("Change a public body", tag: tag, body: .ref("PublicBodyInput"), response: .ref("PublicBody")), use: updateBody)

        let units = api.grouped("units")
        units.get(access: .anyone, api: APIOperation("List units", tag: tag, query: [
            APIParameter("body", .uuid, "Myndighet."), APIParameter("area", .string(maxLength: 60), "Verksamhetsområde."),
        ] + PagingParameters.all, response: .page(of: .ref("Unit"))), use: listUnits)
        units.post(access: .permission(.unitEdit), api: APIOperation("Create a unit", tag: tag, body: .ref("UnitInput"), status: 201, response: .ref("Unit")), use: createUnit)
        units.get(":id", access: .anyone, api: APIOperation("Get a unit", tag: tag, response: .ref("Unit")), use: showUnit)
        units.put(":id", access: .scoped(.unitEdit, StructureService.unitScope), api: APIOperation("Change a unit", tag: tag, body: .ref("UnitInput"), response: .ref("Unit")), use: updateUnit)
        units.delete(":id", access: .scoped(.unitEdit, StructureService.unitScope), api: APIOperation("Remove a unit without sub-units", tag: tag, status: 204), use: deleteUnit)

        let roles = api.grouped("roles")
        roles.get(access: .anyone, api: APIOperation("List contact roles", tag: tag, query: [
            APIParameter("open", .boolean, "Bara roller som ingen innehar."), APIParameter("body", .uuid, "Myndighet."),
            APIParameter("unit", .uuid, "Enhet."), APIParameter("organisation", .uuid, "Organisation."),
        ] + PagingParameters.all, response: .page(of: .ref("ContactRole"))), use: listRoles)
        roles.post(access: .permission(.roleEdit), api: APIOperation("Create a contact role", tag: tag, body: .ref("ContactRoleInput"), status: 201, response: .ref("ContactRole")), use: createRole)
        roles.get(":id", access: .anyone, api: APIOperation("Get a role with its history of holders", tag: tag, response: .ref("ContactRole")), use: showRole)
        roles.put(":id", access: .scoped(.roleEdit, RoleService.roleScope), api: APIOperation("Change a role", tag: tag, body: .ref("ContactRoleInput"), response: .ref("ContactRole")), use: updateRole)
        roles.post(":id", "handover", access: .scoped(.roleEdit, RoleService.roleScope), api: APIOperation("Hand the role over to a new holder, or vacate it", tag: tag, body: .ref("HandoverInput"), response: .ref("ContactRole")), use: handover)

        let collabs = api.grouped("collaborations")
        collabs.get(access: .anyone, api: APIOperation("List collaboration links", tag: tag, query: [
            APIParameter("organisation", .uuid, "Organisation."), APIParameter("unit", .uuid, "Enhet."), APIParameter("body", .uuid, "Myndighet."),
        ] + PagingParameters.all, response: .page(of: .ref("Collaboration"))), use: listCollaborations)
        collabs.post(access: .permission(.collaborationEdit), api: APIOperation("Record a collaboration", tag: tag, body: .ref("CollaborationInput"), status: 201, response: .ref("Collaboration")), use: createCollaboration)
        collabs.get(":id", access: .anyone, api: APIOperation("Get a collaboration link", tag: tag, response: .ref("Collaboration")), use: showCollaboration)
        collabs.put(":id", access: .permission(.collaborationEdit), api: APIOperation("Change a collaboration link", tag: tag, body: .ref("CollaborationInput"), response: .ref("Collaboration")), use: updateCollaboration)
        collabs.delete(":id", access: .permission(.collaborationEdit), api: APIOperation("Remove a collaboration link", tag: tag, status: 204), use: deleteCollaboration)

        let yearParam = APIParameter("year", .integer(minimum: 1900, maximum: 2200), "År för folkmängden (standard: senaste).")
        api.get("municipalities", access: .anyone, api: APIOperation("Municipalities with organisations per 1,000 inhabitants", tag: tag,
                query: [APIParameter("county", .string(pattern: #"^\d{2}$"#), "Länskod."), yearParam], response: .array(.ref("Municipality"))), use: municipalities)
        api.get("municipalities", ":code", access: .anyone, api: APIOperation("One municipality with density", tag: tag,
                query: [yearParam], pathParams: ["code": .string(pattern: #"^\d{4}$"#)], response: .ref("Municipality")), use: municipality)
        api.get("counties", access: .anyone, api: APIOperation("Counties with organisations per 1,000 inhabitants", tag: tag, query: [yearParam], response: .array(.ref("County"))), use: counties)
        api.post("population", access: .permission(.referenceDataManage), api: APIOperation("Import population figures (CSV code;year;population)", tag: tag,
                 body: .string(maxLength: 5_000_000), bodyContentType: "text/csv", response: .ref("ImportReport")), body: .stream, use: importPopulation)
        api.get("areas", access: .anyone, api: APIOperation("Areas of activity", tag: tag, response: .array(.ref("Area"))), use: areas)
        api.post("areas", access: .permission(.referenceDataManage), api: APIOperation("Add an area of activity", tag: tag, body: .ref("AreaInput"), status: 201, response: .ref("Area")), use: addArea)
        api.get("search", access: .anyone, api: APIOperation("Search organisations, units and roles", tag: tag, query: [
            APIParameter("q", .string(maxLength: 200), "Fritext.", required: true),
        ], response: .ref("SearchResults")), use: search)
    }

    // MARK: Bodies

    @Sendable static func listBodies(_ req: Request) async throws -> Paged<PublicBodyDTO> {
        let page = try PageRequest.from(req)
        var kind: BodyKind?
        if let raw = req.queryValue("kind"), !raw.isEmpty {
            guard let k = BodyKind(rawValue: raw) else { throw AppError.badRequest(code: "unknownKind", field: "kind") }
            kind = k
        }
        let (items, total) = try await StructureService.bodies(kind: kind, county: req.queryValue("county"), page: page, on: req.db)
        return Paged(items: items.map(StructureService.bodyDTO), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showBody(_ req: Request) async throws -> PublicBodyDTO {
        StructureService.bodyDTO(try await StructureService.requireBody(try req.parameters.require("id", as: UUID.self), on: req.db))
    }

    @Sendable static func createBody(_ req: Request) async throws -> Response {
        let body = try req.content.decode(PublicBodyBody.self)
        let b = try await req.write { ctx in try await StructureService.saveBody(nil, body, in: ctx) }
        return try await StructureService.bodyDTO(b).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateBody(_ req: Request) async throws -> PublicBodyDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(PublicBodyBody.self)
        return StructureService.bodyDTO(try await req.write { ctx in try await StructureService.saveBody(id, body, in: ctx) })
    }

    // MARK: Units

    @Sendable static func listUnits(_ req: Request) async throws -> Paged<UnitDTO> {
        let page = try PageRequest.from(req)
        var bodyID: UUID?
        if let raw = req.queryValue("body"), !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else { throw AppError.badRequest(code: "notAnID", field: "body", "body") }
            bodyID = id
        }
        let (items, total) = try await StructureService.units(bodyID: bodyID, area: req.queryValue("area"), page: page, on: req.db)
        return Paged(items: try await StructureService.unitDTOs(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showUnit(_ req: Request) async throws -> UnitDTO {
        let u = try await StructureService.requireUnit(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await StructureService.unitDTOs([u], on: req.db)[0]
    }

    @Sendable static func createUnit(_ req: Request) async throws -> Response {
        let body = try req.content.decode(UnitBody.self)
        let u = try await req.write { ctx in try await StructureService.saveUnit(nil, body, in: ctx) }
        return try await StructureService.unitDTOs([u], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateUnit(_ req: Request) async throws -> UnitDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(UnitBody.self)
        let u = try await req.write { ctx in try await StructureService.saveUnit(id, body, in: ctx) }
        return try await StructureService.unitDTOs([u], on: req.db)[0]
    }

    @Sendable static func deleteUnit(_ req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("id", as: UUID.self)
        try await req.write { ctx in try await StructureService.deleteUnit(id, in: ctx) }
        return .noContent
    }

    // MARK: Roles

    @Sendable static func listRoles(_ req: Request) async throws -> Paged<ContactRoleDTO> {
        let page = try PageRequest.from(req)
        let (items, total) = try await RoleService.list(openOnly: try req.flag("open"), bodyID: try req.uuidParameter("body"),
                                                        unitID: try req.uuidParameter("unit"), organisationID: try req.uuidParameter("organisation"),
                                                        page: page, on: req.db)
        return Paged(items: try await RoleService.dtos(items, withHistory: false, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showRole(_ req: Request) async throws -> ContactRoleDTO {
        let r = try await RoleService.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await RoleService.dtos([r], withHistory: true, on: req.db)[0]
    }

    @Sendable static func createRole(_ req: Request) async throws -> Response {
        let body = try req.content.decode(ContactRoleBody.self)
        let r = try await req.write { ctx in try await RoleService.saveRole(nil, body, in: ctx) }
        return try await RoleService.dtos([r], withHistory: true, on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateRole(_ req: Request) async throws -> ContactRoleDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(ContactRoleBody.self)
        let r = try await req.write { ctx in try await RoleService.saveRole(id, body, in: ctx) }
        return try await RoleService.dtos([r], withHistory: true, on: req.db)[0]
    }

    @Sendable static func handover(_ req: Request) async throws -> ContactRoleDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(HandoverBody.self)
        let r = try await req.write { ctx in try await RoleService.handover(id, body, in: ctx) }
        return try await RoleService.dtos([r], withHistory: true, on: req.db)[0]
    }

    // MARK: Collaborations

    @Sendable static func listCollaborations(_ req: Request) async throws -> Paged<CollaborationDTO> {
        let page = try PageRequest.from(req)
        let (items, total) = try await CollaborationService.list(organisationID: try req.uuidParameter("organisation"), unitID: try req.uuidParameter("unit"),
                                                                 bodyID: try req.uuidParameter("body"), page: page, on: req.db)
        return Paged(items: try await CollaborationService.dtos(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showCollaboration(_ req: Request) async throws -> CollaborationDTO {
        let l = try await CollaborationService.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await CollaborationService.dtos([l], on: req.db)[0]
    }

    @Sendable static func createCollaboration(_ req: Request) async throws -> Response {
        let body = try req.content.decode(CollaborationBody.self)
        let l = try await req.write { ctx in try await CollaborationService.save(nil, body, in: ctx) }
        return try await CollaborationService.dtos([l], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateCollaboration(_ req: Request) async throws -> CollaborationDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(CollaborationBody.self)
        let l = try await req.write { ctx in try await CollaborationService.save(id, body, in: ctx) }
        return try await CollaborationService.dtos([l], on: req.db)[0]
    }

    @Sendable static func deleteCollaboration(_ req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("id", as: UUID.self)
        try await req.write { ctx in try await CollaborationService.delete(id, in: ctx) }
        return .noContent
    }

    // MARK: Reference data

    @Sendable static func municipalities(_ req: Request) async throws -> [MunicipalityDTO] {
        let county = req.queryValue("county")
        if let county, !county.isEmpty, !(county.count == 2 && county.allSatisfy(\.isNumber)) {
            throw AppError.badRequest(code: "countyCode", field: "county")
        }
        return try await ReferenceDataService.municipalityDensity(county: county, year: try req.yearParameter(), on: req.db).rows.sorted { $0.code < $1.code }
    }

    @Sendable static func municipality(_ req: Request) async throws -> MunicipalityDTO {
        let code = try req.parameters.require("code")
        guard let m = try await ReferenceDataService.municipality(code: code, on: req.db) else { throw AppError.notFound() }
        let rows = try await ReferenceDataService.municipalityDensity(county: m.countyCode, year: try req.yearParameter(), on: req.db).rows
        guard let row = rows.first(where: { $0.code == code }) else { throw AppError.notFound() }
        return row
    }

    @Sendable static func counties(_ req: Request) async throws -> [CountyDTO] {
        try await ReferenceDataService.countyDensity(year: try req.yearParameter(), on: req.db).rows
    }

    @Sendable static func importPopulation(_ req: Request) async throws -> Response {
        let file = try await Upload.streamToTemporaryFile(req)
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            let report = try await req.write { ctx in try await ReferenceDataService.importPopulation(try ByteSource.file(file), in: ctx) }
            if !report.committed { return OrganisationImport.rejectedResponse(report, req) }
            return try await report.encodeResponse(for: req)
        } catch let r as ImportRejected {
            return OrganisationImport.rejectedResponse(r.report, req)
        }
    }

    @Sendable static func areas(_ req: Request) async throws -> [AreaDTO] {
        try await ReferenceDataService.areas(on: req.db)
    }

    struct AreaBody: Content { var key: String?; var nameSv: String?; var nameEn: String? }

    @Sendable static func addArea(_ req: Request) async throws -> Response {
        let body = try req.content.decode(AreaBody.self)
        let area = try await req.write { ctx in try await ReferenceDataService.addArea(key: body.key, nameSv: body.nameSv, nameEn: body.nameEn, in: ctx) }
        return try await area.encodeResponse(status: .created, for: req)
    }

    struct SearchResults: Content {
        var organisations: [OrganisationDTO]
        var bodies: [PublicBodyDTO]
        var units: [UnitDTO]
        var roles: [ContactRoleDTO]
    }

    @Sendable static func search(_ req: Request) async throws -> SearchResults {
        let q = (req.queryValue("q") ?? "").trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { throw AppError.badRequest(code: "searchEmpty", field: "q") }
        guard TextRules.length(q) <= 200 else { throw AppError.badRequest(code: "searchTooLong", field: "q") }
        let r = try await DirectorySearch.all(q, limit: 20, on: req.db)
        return SearchResults(organisations: r.organisations, bodies: r.bodies.map(StructureService.bodyDTO),
                             units: try await StructureService.unitDTOs(r.units, on: req.db),
                             roles: try await RoleService.dtos(r.roles, withHistory: false, on: req.db))
    }
}

