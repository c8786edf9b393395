import Fluent
import Vapor
import SamverkaRules

/// Organisations per 1,000 inhabitants: a sortable table and an SVG bar chart, and population import.
enum DensityPages {
    static func register(_ site: Router) {
        site.get("density", access: .anyone, use: density)
        site.get("population", "import", access: .permission(.referenceDataManage), use: importForm)
        site.post("population", "import", access: .permission(.referenceDataManage), body: .collect(maxSize: "20mb"), use: importUpload)
    }

    struct Header: Encodable, Sendable { var label: String; var href: String; var sort: String; var numeric: Bool }
    struct Row: Encodable, Sendable { var name: String; var href: String?; var organisations: String; var population: String; var density: String }
    struct DensityPage: Encodable, Sendable {
        var level: String
        var headers: [Header]
        var rows: [Row]
        var chart: BarChart
        var hasChart: Bool
        var filters: [FormField]
        var yearText: String?
        var noPopulation: Bool
        var canImport: Bool
        var chartTitle: String
        var otherLevelHref: String
        var otherLevelLabel: String
    }

    @Sendable static func density(_ req: Request) async throws -> Response {
        let level = req.queryValue("level") == "county" ? "county" : "municipality"
        let county = (req.queryValue("county") ?? "").filter(\.isNumber)
        let year = try req.yearParameter()
        let sort = DensitySort(rawValue: req.queryValue("sort") ?? "") ?? .density
        let descending = (req.queryValue("dir") ?? "desc") != "asc"
        var rows: [DensityRow]
        var usedYear: Int?
        if level == "county" {
            let r = try await ReferenceDataService.countyDensity(year: year, on: req.db)
            rows = r.rows.map { DensityRow(code: $0.code, name: $0.name, organisations: $0.organisations, population: $0.population) }
            usedYear = r.year
        } else {
            let r = try await ReferenceDataService.municipalityDensity(county: county.isEmpty ? nil : county, year: year, on: req.db)
            rows = r.rows.map { DensityRow(code: $0.code, name: $0.name, organisations: $0.organisations, population: $0.population) }
            usedYear = r.year
            // Without a county filter, show only municipalities that have either organisations or population figures.
            if county.isEmpty { rows = rows.filter { $0.organisations > 0 || $0.population != nil } }
        }
        rows = DensityRules.sorted(rows, by: sort, descending: descending)
        let lang = req.language
        func href(_ s: DensitySort) -> String {
            let dir = (s == sort && descending) ? "asc" : "desc"
            return "/density?" + URLQuery.encode([("level", level), ("county", county), ("year", year.map(String.init) ?? ""), ("sort", s.rawValue), ("dir", dir)])
        }
        func ariaSort(_ s: DensitySort) -> String { s == sort ? (descending ? "descending" : "ascending") : "none" }
        let headers = [
            Header(label: req.t(level == "county" ? "density.county" : "density.municipality"), href: href(.name), sort: ariaSort(.name), numeric: false),
            Header(label: req.t("density.organisations"), href: href(.organisations), sort: ariaSort(.organisations), numeric: true),
            Header(label: req.t("density.population"), href: href(.population), sort: ariaSort(.population), numeric: true),
            Header(label: req.t("density.perThousand"), href: href(.density), sort: ariaSort(.density), numeric: true),
        ]
        let tableRows = rows.map { r in
            Row(name: r.name, href: level == "county" ? "/density?county=\(r.code)" : "/organisations?municipality=\(r.code)",
                organisations: NumberFormat.integer(r.organisations, lang), population: r.population.map { NumberFormat.integer($0, lang) } ?? "–",
                density: DensityRules.format(r.perThousand, lang: lang.rawValue))
        }
        let charted = DensityRules.sorted(rows.filter { $0.perThousand != nil }, by: .density, descending: true).prefix(40)
        let chart = BarChart.make(charted.map { ($0.name, $0.perThousand!, DensityRules.format($0.perThousand, lang: lang.rawValue)) })
        let years = try await ReferenceDataService.populationYears(on: req.db)
        var filters: [FormField] = [FormField("level", kind: .hidden, value: level)]
        if level == "municipality" {
            filters.append(FormField("county", label: req.t("filter.county"), kind: .select, options: try await req.countyOptions(on: req.db, selected: county, emptyLabel: req.t("filter.all"))))
        }
        filters.append(FormField("year", label: req.t("density.year"), kind: .select,
                                 options: [.init(value: "", label: req.t("density.latestYear"), selected: year == nil)] + years.map { .init(value: String($0), label: String($0), selected: $0 == year) }))
        let data = DensityPage(
            level: level, headers: headers, rows: tableRows, chart: chart, hasChart: !chart.bars.isEmpty, filters: filters,
            yearText: usedYear.map(String.init), noPopulation: usedYear == nil, canImport: Policy.allows(req.principal, .referenceDataManage),
            chartTitle: req.t("density.chartTitle", usedYear.map(String.init) ?? ""),
            otherLevelHref: level == "county" ? "/density" : "/density?level=county",
            otherLevelLabel: req.t(level == "county" ? "density.byMunicipality" : "density.byCounty"))
        return try await req.page("directory/density", title: req.t(level == "county" ? "density.titleCounty" : "density.title"), data)
    }

    struct ImportPage: Encodable, Sendable { var form: FormContext; var report: ImportReport?; var hasRejected: Bool }

    static func importPage(_ req: Request, report: ImportReport?, errors: [FieldError] = [], status: HTTPStatus = .ok) async throws -> Response {
        let form = req.form(action: "/population/import", submitLabel: req.t("import.submit"), fields: [
            FormField("file", label: req.t("import.file"), kind: .file, hint: req.t("population.fileHint"), required: true, accept: ".csv,text/csv"),
        ], errors: errors, multipart: true)
        return try await req.page("directory/population-import", title: req.t("population.title"),
                                  ImportPage(form: form, report: report, hasRejected: !(report?.rejected.isEmpty ?? true)), status: status)
    }

    @Sendable static func importForm(_ req: Request) async throws -> Response { try await importPage(req, report: nil) }

    @Sendable static func importUpload(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(OrganisationPages.UploadBody.self)
        guard let file = body.file, file.data.readableBytes > 0 else {
            return try await importPage(req, report: nil, errors: [FieldError(field: "file", code: "fileRequired").localized(req.application.localizer, req.language)], status: .unprocessableEntity)
        }
        let bytes = Array(file.data.readableBytesView)
        do {
            let report = try await req.write { ctx in try await ReferenceDataService.importPopulation(ByteSource(bytes: bytes), in: ctx) }
            return try await importPage(req, report: report, status: report.committed ? .ok : .unprocessableEntity)
        } catch let r as ImportRejected {
            return try await importPage(req, report: r.report, status: .unprocessableEntity)
        }
    }
}
