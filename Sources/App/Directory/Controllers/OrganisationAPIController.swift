import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/organisations`.
enum OrganisationAPIController {
    static let tag = "Directory"

    static func register(_ api: Router) {
        let orgs = api.grouped("organisations")
        let filters = [
            APIParameter("q", .string(maxLength: 200), "Fritext (namn, beskrivning, verksamhetsområden, kommuner); svensk stamning."),
            APIParameter("area", .string(maxLength: 60), "Verksamhetsområde (nyckel)."),
            APIParameter("municipality", .string(pattern: #"^\d{4}$"#), "Kommunkod."),
            APIParameter("county", .string(pattern: #"^\d{2}$"#), "Länskod."),
            APIParameter("legalForm", .oneOf(LegalForm.rawValues), "Juridisk form."),
            APIParameter("level", .oneOf(OrganisationLevel.rawValues), "Nivå."),
        ]
        orgs.get(access: .anyone, api: APIOperation("List and search organisations", tag: tag, query: filters + PagingParameters.all,
                                                    response: .page(of: .ref("Organisation"))), use: list)
        orgs.get("export.csv", access: .anyone, api: APIOperation("Export the filtered list as CSV", tag: tag, query: filters,
                                                                  response: .string(), responseContentType: "text/csv"), use: exportCSV)
        orgs.post(access: .permission(.organisationCreate), api: APIOperation("Create an organisation", tag: tag, body: .ref("OrganisationInput"),
                                                                             status: 201, response: .ref("Organisation")), use: create)
        orgs.post("import", access: .permission(.organisationImport),
                  api: APIOperation("Import organisations from CSV (all or nothing)", tag: tag, body: .string(maxLength: 50_000_000),
                                    bodyContentType: "text/csv", response: .ref("ImportReport")),
                  body: .stream, use: importCSV)
        orgs.get(":id", access: .anyone, api: APIOperation("Get an organisation", tag: tag, response: .ref("Organisation")), use: show)
        orgs.put(":id", access: .scoped(.organisationEdit, scope),
                 api: APIOperation("Replace an organisation", tag: tag, body: .ref("OrganisationInput"), response: .ref("Organisation")), use: replace)
        orgs.patch(":id", access: .scoped(.organisationEdit, scope),
                   api: APIOperation("Change some fields of an organisation", tag: tag, body: .ref("OrganisationInput"), response: .ref("Organisation")), use: patch)
        orgs.delete(":id", access: .permission(.organisationDelete),
                    api: APIOperation("Remove an organisation (soft delete)", tag: tag,
                                      query: [APIParameter("version", .integer(minimum: 1), "Förväntad version.")], status: 204), use: delete)
        orgs.get(":id", "members", access: .anyone, api: APIOperation("Member counts by year", tag: tag, response: .array(.ref("MemberCount"))), use: members)
        orgs.put(":id", "members", access: .scoped(.organisationEdit, scope),
                 api: APIOperation("Set member counts for the years given", tag: tag, body: .ref("MemberCountsInput"), response: .array(.ref("MemberCount"))),
                 use: setMembers)
    }

    @Sendable static func scope(_ req: Request) async throws -> ResourceScope {
        let id = try req.parameters.require("id", as: UUID.self)
        _ = try await OrganisationService.require(id, on: req.db)
        return .organisation(id)
    }

    /// The same for every caller, so this node keeps answers until the register changes (`ResponseCache`).
    /// Keyed by the query string as sent: the same string is always parsed and checked the same way, so a
    /// kept answer needs neither again.
    @Sendable static func list(_ req: Request) async throws -> Response {
        try await req.cachedJSON(counter: ChangeCounters.directory, key: "organisations?" + (req.url.query ?? "")) {
            let filter = try OrganisationFilter.from(req)
            let page = try PageRequest.from(req)
            let (items, total) = try await OrganisationQueries.searchDTOs(filter, page: page, on: req.db)
            return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
        }
    }

    @Sendable static func exportCSV(_ req: Request) async throws -> Response {
        try await OrganisationExport.response(try OrganisationFilter.from(req), req)
    }

    @Sendable static func show(_ req: Request) async throws -> OrganisationDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        return try await OrganisationService.dto(try await OrganisationService.require(id, on: req.db), withMembers: true, on: req.db)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let body = try req.content.decode(OrganisationBody.self)
        let org = try await req.write { ctx in try await OrganisationService.create(body.input(), in: ctx) }
        let dto = try await OrganisationService.dto(org, withMembers: true, on: req.db)
        let res = try await dto.encodeResponse(status: .created, for: req)
        res.headers.replaceOrAdd(name: .location, value: "/api/v1/organisations/\(dto.id)")
        return res
    }

    @Sendable static func replace(_ req: Request) async throws -> OrganisationDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(OrganisationBody.self)
        let org = try await req.write { ctx in try await OrganisationService.update(id, body.input(), in: ctx) }
        return try await OrganisationService.dto(org, withMembers: true, on: req.db)
    }

    @Sendable static func patch(_ req: Request) async throws -> OrganisationDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(OrganisationBody.self)
        let org = try await req.write { ctx in
            try await OrganisationService.patch(id, { stored in
                var input = body.input(merging: stored)
                input.version = body.version
                return input
            }, in: ctx)
        }
        return try await OrganisationService.dto(org, withMembers: true, on: req.db)
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("id", as: UUID.self)
        let version = try? req.query.get(Int.self, at: "version")
        try await req.write { ctx in try await OrganisationService.delete(id, version: version, in: ctx) }
        return .noContent
    }

    @Sendable static func members(_ req: Request) async throws -> [MemberCountDTO] {
        let id = try req.parameters.require("id", as: UUID.self)
        _ = try await OrganisationService.require(id, on: req.db)
        return try await OrganisationService.memberCounts(id, on: req.db)
    }

    struct MembersBody: Content {
        var memberCounts: [MemberCountDTO]
    }

    @Sendable static func setMembers(_ req: Request) async throws -> [MemberCountDTO] {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.content.decode(MembersBody.self)
        let rows = body.memberCounts.map { MemberCountInput(year: String($0.year), total: String($0.total), young: $0.young.map(String.init), municipality: $0.municipality) }
        return try await req.write { ctx in try await OrganisationService.setMemberCounts(id, rows, in: ctx) }
    }

    @Sendable static func importCSV(_ req: Request) async throws -> Response {
        let file = try await Upload.streamToTemporaryFile(req)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try await OrganisationImport.perform(file: file, name: "api-upload.csv", req)
    }
}

/// Runs an organisation import for the API or the upload page.
enum OrganisationImport {
    static func perform(file: String, name: String, _ req: Request) async throws -> Response {
        let localizer = req.application.localizer
        do {
            let report = try await req.write { ctx in
                try await OrganisationImporter.run(try ByteSource.file(file), in: ctx, fileName: name, localizer: localizer)
            }
            return try await report.encodeResponse(status: .ok, for: req)
        } catch let rejected as ImportRejected {
            return rejectedResponse(rejected.report, req)
        }
    }

    /// 422 problem+json listing every rejected row as `rows[<line>].<field>`, with the full report attached.
    static func rejectedResponse(_ report: ImportReport, _ req: Request) -> Response { report.rejectedResponse() }
}

/// CSV export of an organisation list (the list the user is looking at, same filters), streamed page by page.
enum OrganisationExport {
    /// Column codes: what the API and machines read, and what the import takes back.
    static let header = ["name", "orgnr", "legalForm", "level", "municipality", "areas", "members", "email", "website", "id"]
    /// The same columns as people read them (the import takes these headers and labels back too).
    static let swedishHeader = ["namn", "organisationsnummer", "juridisk form", "nivå", "kommun", "verksamhetsområden", "medlemmar", "e-post", "webbplats", "id"]

    /// How the values are written: codes, or Swedish labels and names for people.
    struct Labels: Sendable {
        var legalForm: [String: String]
        var level: [String: String]
        var municipality: [String: String]
        var area: [String: String]

        static func swedish(_ localizer: Localizer, on db: any Database) async throws -> Labels {
            let vocab = try await DirectoryVocabularyService.load(on: db)
            return Labels(legalForm: Dictionary(uniqueKeysWithValues: LegalForm.allCases.map { ($0.rawValue, localizer.text($0.labelKey, .sv)) }),
                          level: Dictionary(uniqueKeysWithValues: OrganisationLevel.allCases.map { ($0.rawValue, localizer.text($0.labelKey, .sv)) }),
                          municipality: vocab.municipalityNameByCode, area: vocab.areaLabels.mapValues(\.sv))
        }
    }

    /// Writes the header and every matching organisation, a page at a time; `members` is the latest year's total.
    /// With `labels`, the header and the values are Swedish. Returns how many organisations were written.
    @discardableResult
    static func write(_ filter: OrganisationFilter, labels: Labels? = nil, on db: any Database, _ out: (String) async throws -> Void) async throws -> Int {
        let writer = CSVWriter(delimiter: .semicolon)
        try await out(CSVWriter.bom + writer.row(labels == nil ? header : swedishHeader))
        func label(_ map: [String: String]?, _ code: String) -> String { map?[code] ?? code }
        var n = 0
        try await OrganisationQueries.forEachPage(filter, on: db) { dtos in
            let members = try await OrganisationQueries.latestMemberTotals(ids: dtos.map(\.id), on: db)
            var chunk = ""
            for d in dtos {
                chunk += writer.row([d.name, d.orgnr ?? "", label(labels?.legalForm, d.legalForm), label(labels?.level, d.level),
                                     d.municipalities.map { label(labels?.municipality, $0) }.joined(separator: "|"),
                                     d.areas.map { label(labels?.area, $0) }.joined(separator: "|"), members[d.id].map(String.init) ?? "", d.email, d.website, d.id.uuidString],
                                    numeric: [6])
            }
            n += dtos.count
            try await out(chunk)
        }
        return n
    }

    /// The CSV download; `forPeople` writes Swedish headers and labels unless `?format=codes` asks for the codes.
    static func response(_ filter: OrganisationFilter, _ req: Request, forPeople: Bool = false) async throws -> Response {
        let db = req.db
        let labels = forPeople && req.queryValue("format") != "codes" ? try await Labels.swedish(req.application.localizer, on: db) : nil
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"organisationer.csv\"")
        response.body = .init(asyncStream: { out in
            do {
                try await write(filter, labels: labels, on: db) { try await out.writeBuffer(ByteBuffer(string: $0)) }
                try await out.write(.end)
            } catch {
                try? await out.write(.error(error))
            }
        })
        return response
    }
}
