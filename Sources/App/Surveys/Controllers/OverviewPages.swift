import Fluent
import Vapor
import SamverkaRules

/// The national analyst's page: the table of the 21 regions for a year, a tile map coloured by one indicator (with
/// symbols and words, never colour alone), the changes between two years, and the import of reported figures.
enum OverviewPages {
    static func register(_ site: Router) {
        site.get("overview", access: .anyone, use: index)
        site.get("overview", "import", access: .permission(.overviewManage), use: importForm)
        site.post("overview", "import", access: .permission(.overviewManage), use: importUpload)
    }

    /// Where each county sits on the tile map (column, row): roughly Sweden's shape.
    static let tilePositions: [String: (Int, Int)] = [
        "25": (3, 1), "24": (2, 2), "23": (1, 3), "22": (2, 3), "20": (1, 4), "21": (2, 4), "17": (0, 5), "19": (1, 5), "03": (2, 5),
        "14": (0, 6), "18": (1, 6), "04": (2, 6), "01": (3, 6), "13": (0, 7), "06": (1, 7), "05": (2, 7), "09": (3, 7), "07": (1, 8), "08": (2, 8),
        "12": (1, 9), "10": (2, 9),
    ]

    struct CellView: Encodable, Sendable { var text: String; var symbol: String; var css: String; var source: String; var note: String? }
    struct RowView: Encodable, Sendable {
        var region: String; var code: String; var agreement: CellView; var iop: CellView; var councils: String; var grants: String; var signatories: String
    }
    struct TileView: Encodable, Sendable { var region: String; var cell: CellView; var style: String }
    struct ChangeView: Encodable, Sendable { var region: String; var indicator: String; var from: String; var to: String }
    struct SummaryView: Encodable, Sendable { var label: String; var yes: Int; var no: Int; var unknown: Int }

    static func valueText(_ v: TriState, _ req: Request) -> String { req.t("overview.value.\(v.rawValue)") }
    static let symbols: [TriState: String] = [.yes: "✓", .no: "✗", .unknown: "?"]

    static func cellView(_ c: OverviewCellDTO, _ req: Request) -> CellView {
        var note: String?
        if c.conflict, let r = c.reported { note = req.t("overview.conflict", valueText(r, req)) }
        let text = valueText(c.value, req) + (c.count.map { c.value == .yes ? " (\($0))" : "" } ?? "")
        return CellView(text: text, symbol: symbols[c.value] ?? "?", css: "ov-\(c.value.rawValue)", source: req.t("overview.source.\(c.source.rawValue)"), note: note)
    }

    static func changeValue(_ indicator: String, _ v: String, _ req: Request) -> String {
        if let t = TriState(rawValue: v) { return valueText(t, req) }
        if indicator == "grantsSek", let n = Int(v) { return Money.format(n * 100, req.language.rawValue) }
        return v
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable {
            var year: Int; var years: [FormField.Option]; var fromYears: [FormField.Option]; var toYears: [FormField.Option]; var indicators: [FormField.Option]
            var rows: [RowView]; var tiles: [TileView]; var indicatorLabel: String; var summary: [SummaryView]
            var from: Int; var to: Int; var changes: [ChangeView]; var hasChanges: Bool; var notComparable: [ChangeView]; var hasNotComparable: Bool
            var csvHref: String; var changesCSVHref: String; var canImport: Bool
        }
        let years = try await OverviewService.years(on: req.db)
        let year = try OverviewAPIController.year(req, "year", default: years.last ?? LocalDate.today().year)
        let reportedYears = years.filter { $0 != LocalDate.today().year }
        let from = try OverviewAPIController.year(req, "from", default: reportedYears.first ?? year - 1)
        let to = try OverviewAPIController.year(req, "to", default: reportedYears.count > 1 ? reportedYears[reportedYears.count - 1] : year)
        let indicator = req.queryValue("indicator") == "iop" ? "iop" : "agreement"
        // The year shown is often one of the two compared: compute each year's overview once.
        let o = try await OverviewService.overview(year: year, on: req.db)
        let a = from == year ? o : try await OverviewService.overview(year: from, on: req.db)
        let b = to == year ? o : to == from ? a : try await OverviewService.overview(year: to, on: req.db)
        let c = OverviewService.changes(a, b)
        let rows = o.items.map { i in
            RowView(region: i.region, code: i.countyCode, agreement: cellView(i.agreement, req), iop: cellView(i.iop, req),
                    councils: i.councils.map(String.init) ?? req.t("overview.value.unknown"),
                    grants: i.grants.map { n in req.t("overview.grants", String(n), Money.format((i.grantsSek ?? 0) * 100, req.language.rawValue)) } ?? req.t("overview.value.unknown"),
                    signatories: i.signatories.map(String.init) ?? req.t("overview.value.unknown"))
        }
        let tiles = o.items.map { i in
            let pos = tilePositions[i.countyCode] ?? (0, 0)
            return TileView(region: i.region, cell: cellView(indicator == "iop" ? i.iop : i.agreement, req), style: "tile-c\(pos.0 + 1) tile-r\(pos.1)")
        }
        func yearOptions(_ selected: Int) -> [FormField.Option] {
            Array(Set(years + [selected])).sorted().map { .init(value: String($0), label: String($0), selected: $0 == selected) }
        }
        func view(_ x: OverviewChangeDTO) -> ChangeView {
            ChangeView(region: x.region, indicator: req.t("overview.indicator.\(x.indicator)"), from: changeValue(x.indicator, x.from, req), to: changeValue(x.indicator, x.to, req))
        }
        return try await req.page("overview/index", title: req.t("overview.title"), Data(
            year: year, years: yearOptions(year), fromYears: yearOptions(from), toYears: yearOptions(to),
            indicators: ["agreement", "iop"].map { .init(value: $0, label: req.t("overview.indicator.\($0)"), selected: $0 == indicator) },
            rows: rows, tiles: tiles, indicatorLabel: req.t("overview.indicator.\(indicator)"),
            summary: o.summary.map { SummaryView(label: req.t("overview.indicator.\($0.indicator)"), yes: $0.yes, no: $0.no, unknown: $0.unknown) },
            from: from, to: to, changes: c.items.map(view), hasChanges: !c.items.isEmpty, notComparable: c.notComparable.map(view), hasNotComparable: !c.notComparable.isEmpty,
            csvHref: "/api/v1/overview.csv?year=\(year)", changesCSVHref: "/api/v1/overview/changes.csv?from=\(from)&to=\(to)",
            canImport: Policy.allows(req.principal, .overviewManage)))
    }

    // MARK: Import

    struct ImportPage: Encodable, Sendable { var form: FormContext; var report: ImportReport?; var hasRejected: Bool }

    static func importPage(_ req: Request, report: ImportReport?, errors: [FieldError] = [], status: HTTPStatus) async throws -> Response {
        let form = req.form(action: "/overview/import", submitLabel: req.t("import.submit"), fields: [
            FormField("file", label: req.t("import.file"), kind: .file, hint: req.t("overview.import.fileHint"), required: true, accept: ".csv,text/csv"),
            FormField("source", label: req.t("overview.import.source"), hint: req.t("overview.import.sourceHint"), maxLength: 300),
        ], errors: errors, multipart: true, cancelHref: "/overview")
        return try await req.page("overview/import", title: req.t("overview.import.title"), ImportPage(form: form, report: report, hasRejected: !(report?.rejected.isEmpty ?? true)), status: status)
    }

    @Sendable static func importForm(_ req: Request) async throws -> Response { try await importPage(req, report: nil, status: .ok) }

    @Sendable static func importUpload(_ req: Request) async throws -> Response {
        struct B: Content { var file: File?; var source: String? }
        let b = try req.decodeForm(B.self)
        guard let file = b.file, file.data.readableBytes > 0 else {
            return try await importPage(req, report: nil, errors: [FieldError(field: "file", code: "fileRequired").localized(req.application.localizer, req.language)],
                                        status: .unprocessableEntity)
        }
        let bytes = Array(file.data.readableBytesView)
        let note = String((b.source ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
        let localizer = req.application.localizer
        do {
            let report = try await req.write { ctx in try await OverviewService.importReported(ByteSource(bytes: bytes), note: note, localizer: localizer, in: ctx) }
            return try await importPage(req, report: report, status: .ok)
        } catch let r as ImportRejected {
            return try await importPage(req, report: r.report, status: .unprocessableEntity)
        }
    }
}
