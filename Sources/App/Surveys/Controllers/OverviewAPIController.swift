import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/overview`: the national table per region and year, the changes between two years, CSV of both, and the
/// import of what regions reported.
enum OverviewAPIController {
    static let tag = "Overview"

    static func registerSchemas(_ r: SchemaRegistry) {
        let tri = Schema.oneOf(TriState.allCases.map(\.rawValue))
        let cell = Schema.object([("value", tri), ("source", .oneOf(OverviewSource.allCases.map(\.rawValue))), ("count", .nullable(.integer(minimum: 0))),
                                  ("reported", .nullable(tri)), ("conflict", .boolean)], required: ["value", "source", "conflict"])
        let summary = Schema.object([("indicator", .string()), ("year", .integer()), ("yes", .integer(minimum: 0)), ("no", .integer(minimum: 0)),
                                     ("unknown", .integer(minimum: 0))], required: ["indicator", "year", "yes", "no", "unknown"])
        r.register("Overview", .object([
            ("year", .integer()), ("summary", .array(summary)),
            ("items", .array(.object([("region", .string()), ("countyCode", .string(pattern: #"^\d{2}$"#)), ("agreement", cell), ("iop", cell),
                                      ("councils", .nullable(.integer(minimum: 0))), ("grants", .nullable(.integer(minimum: 0))),
                                      ("grantsSek", .nullable(.integer(minimum: 0))), ("signatories", .nullable(.integer(minimum: 0)))],
                                     required: ["region", "countyCode", "agreement", "iop"]))),
        ], required: ["year", "items", "summary"]))
        let change = Schema.object([("region", .string()), ("countyCode", .string()), ("indicator", .oneOf(OverviewRules.indicators)), ("from", .string()), ("to", .string())],
                                   required: ["region", "countyCode", "indicator", "from", "to"])
        r.register("OverviewChanges", .object([("from", .integer()), ("to", .integer()), ("items", .array(change)), ("notComparable", .array(change)),
                                               ("summary", .array(summary))], required: ["from", "to", "items", "notComparable", "summary"]))
    }

    static let yearSchema = Schema.integer(minimum: 1990, maximum: 2100)

    static func register(_ api: Router) {
        registerSchemas(api.registry.schemas)
        api.get("overview", access: .anyone, api: APIOperation("Per region (21) for a year: agreement, IOPs, councils, grants, signatories; yes/no/unknown with their source", tag: tag,
                query: [APIParameter("year", yearSchema, "År (förval: i år).")], response: .ref("Overview")), use: overview)
        api.get("overview.csv", access: .anyone, api: APIOperation("The overview for a year as CSV", tag: tag, query: [APIParameter("year", yearSchema, "År.")],
                response: .string(), responseContentType: "text/csv"), use: overviewCSV)
        api.get("overview", "changes", access: .anyone, api: APIOperation("What changed between two years (values known in both); the rest as not comparable", tag: tag,
                query: [APIParameter("from", yearSchema, "Från år.", required: true), APIParameter("to", yearSchema, "Till år.", required: true)],
                response: .ref("OverviewChanges")), use: changes)
        api.get("overview", "changes.csv", access: .anyone, api: APIOperation("The changes between two years as CSV", tag: tag,
                query: [APIParameter("from", yearSchema, "Från år.", required: true), APIParameter("to", yearSchema, "Till år.", required: true)],
                response: .string(), responseContentType: "text/csv"), use: changesCSV)
        api.post("overview", "import", access: .permission(.overviewManage), api: APIOperation(
                 "Import what regions reported: CSV region,year,agreement,iop with Ja/Nej; empty or a dash is unknown (all or nothing)", tag: tag,
                 body: .string(maxLength: 5_000_000), bodyContentType: "text/csv", response: .ref("ImportReport")), body: .stream, use: importReported)
    }

    static func year(_ req: Request, _ name: String, default d: Int? = nil) throws -> Int {
        guard let raw = req.queryValue(name), !raw.isEmpty else {
            if let d { return d }
            throw AppError.invalid(field: name, code: "required")
        }
        guard let y = Int(raw), OverviewRules.isYear(y) else { throw AppError.invalid(field: name, code: "range", "1990", "2100") }
        return y
    }

    @Sendable static func overview(_ req: Request) async throws -> OverviewDTO {
        try await OverviewService.overview(year: try year(req, "year", default: LocalDate.today().year), on: req.db)
    }

    @Sendable static func overviewCSV(_ req: Request) async throws -> Response {
        let o = try await overview(req)
        return Response.csv(OverviewService.csv(o), filename: "nationell-oversikt-\(o.year).csv")
    }

    @Sendable static func changes(_ req: Request) async throws -> OverviewChangesDTO {
        try await OverviewService.changes(from: try year(req, "from"), to: try year(req, "to"), on: req.db)
    }

    @Sendable static func changesCSV(_ req: Request) async throws -> Response {
        let c = try await changes(req)
        return Response.csv(OverviewService.changesCSV(c), filename: "forandringar-\(c.from)-\(c.to).csv")
    }

    @Sendable static func importReported(_ req: Request) async throws -> Response {
        let file = try await Upload.streamToTemporaryFile(req)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let localizer = req.application.localizer
        let note = String((req.queryValue("source") ?? "").prefix(300))
        do {
            let report = try await req.write { ctx in try await OverviewService.importReported(try ByteSource.file(file), note: note, localizer: localizer, in: ctx) }
            return try await report.encodeResponse(for: req)
        } catch let r as ImportRejected {
            return r.report.rejectedResponse()
        }
    }
}
