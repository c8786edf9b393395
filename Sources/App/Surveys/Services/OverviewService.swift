import Fluent
import Vapor
import SamverkaRules

struct OverviewCellDTO: Content, Sendable {
    var value: TriState
    var source: OverviewSource
    /// In force that year: how many (IOPs only; null when not known).
    var count: Int?
    /// The reported answer when records decide the value and a region also reported one.
    var reported: TriState?
    /// Records and the reported answer disagree.
    var conflict: Bool
}

struct OverviewItemDTO: Content, Sendable {
    var region: String
    var countyCode: String
    var agreement: OverviewCellDTO
    var iop: OverviewCellDTO
    /// Councils (Dialogue forums of the region) active that year; null when the region keeps none on the platform.
    var councils: Int?
    /// Grants decided that year and their sum in kronor; null when the region runs no programme on the platform.
    var grants: Int?
    var grantsSek: Int?
    /// Signatories of the agreement in force, at the year's end; null when not known.
    var signatories: Int?

    /// Values as text for comparison between years ("unknown" when not known).
    var values: [String: String] {
        func n(_ v: Int?) -> String { v.map(String.init) ?? TriState.unknown.rawValue }
        return ["agreement": agreement.value.rawValue, "iop": iop.value.rawValue, "iopCount": n(iop.count), "councils": n(councils),
                "grants": n(grants), "grantsSek": n(grantsSek), "signatories": n(signatories)]
    }
}

struct OverviewSummaryDTO: Content, Sendable { var indicator: String; var year: Int; var yes: Int; var no: Int; var unknown: Int }

struct OverviewDTO: Content, Sendable {
    var year: Int
    var items: [OverviewItemDTO]
    var summary: [OverviewSummaryDTO]
}

struct OverviewChangeDTO: Content, Sendable { var region: String; var countyCode: String; var indicator: String; var from: String; var to: String }

struct OverviewChangesDTO: Content, Sendable {
    var from: Int
    var to: Int
    var items: [OverviewChangeDTO]
    var notComparable: [OverviewChangeDTO]
    var summary: [OverviewSummaryDTO]
}

/// The national overview: per region (the 21 counties) and year, computed from the records of the region's bodies
/// where it keeps them here, otherwise what the region reported to a national survey; `unknown` is never `no`.
enum OverviewService {
    static func counties(on db: any Database) async throws -> [(code: String, name: String)] {
        try await DirectoryQueries.countyNames(on: db).map { ($0.key, $0.value) }.sorted { $0.code < $1.code }
    }

    static func overview(year: Int, on db: any Database) async throws -> OverviewDTO {
        let counties = try await counties(on: db)
        let regions = try await DirectoryQueries.allBodies(on: db).filter { $0.kind == .region }
        let agreements = try await AgreementQueries.yearFacts(year, on: db)
        let iops = try await PartnershipService.yearFacts(year, on: db)
        let reported = try await ReportedFigure.query(on: db).filter(\.$year == year).all()
        guard let start = LocalDate(year: year, month: 1, day: 1), let end = LocalDate(year: year, month: 12, day: 31) else { throw AppError.invalid(field: "year", code: "range", "1990", "2100") }
        var items: [OverviewItemDTO] = []
        for c in counties {
            let bodies = regions.filter { $0.countyCode == c.code }
            let ids = Set(bodies.map(\.id))
            func rep(_ indicator: String) -> TriState? { reported.first { $0.countyCode == c.code && $0.indicator == indicator }?.value }
            let own = agreements.filter { !ids.isDisjoint(with: $0.ownerBodyIDs) }
            let agreementCell = OverviewRules.cell(platform: own.isEmpty ? nil : own.contains(where: \.inForce), reported: rep("agreement"))
            let ownIOPs = iops.filter { ids.contains($0.bodyID) }
            let inForceIOPs = ownIOPs.filter(\.inForce).count
            let iopCell = OverviewRules.cell(platform: ownIOPs.isEmpty ? nil : inForceIOPs > 0, reported: rep("iop"))
            let forums = try await DialogueFacts.activeForums(ofBodies: Array(ids), year: year, on: db)
            let runsGrants = !(try await GrantFacts.bodiesWithProgrammes(Array(ids), on: db)).isEmpty
            let decided = runsGrants ? try await GrantFacts.decisions(bodies: Array(ids), from: start, to: end, on: db) : []
            items.append(OverviewItemDTO(
                region: bodies.first?.name ?? OverviewRules.regionName(countyCode: c.code, countyName: c.name), countyCode: c.code,
                agreement: dto(agreementCell, count: nil), iop: dto(iopCell, count: iopCell.source == .platform ? inForceIOPs : nil),
                councils: forums.keepsForums ? forums.active.count : nil, grants: runsGrants ? decided.count : nil,
                grantsSek: runsGrants ? decided.reduce(0) { $0 + $1.amountOre } / 100 : nil,
                signatories: own.isEmpty ? nil : own.filter(\.inForce).reduce(0) { $0 + $1.signatories }))
        }
        return OverviewDTO(year: year, items: items, summary: summary(items, year: year))
    }

    static func dto(_ c: OverviewCell, count: Int?) -> OverviewCellDTO {
        OverviewCellDTO(value: c.value, source: c.source, count: count, reported: c.reported, conflict: c.conflict)
    }

    static func summary(_ items: [OverviewItemDTO], year: Int) -> [OverviewSummaryDTO] {
        [("agreement", items.map(\.agreement.value)), ("iop", items.map(\.iop.value))].map { key, values in
            let s = OverviewRules.summary(values)
            return OverviewSummaryDTO(indicator: key, year: year, yes: s.yes, no: s.no, unknown: s.unknown)
        }
    }

    /// What changed between two years, region by region: only values known in both years; a value unknown in either
    /// year is listed as not comparable (numbers only when known in one of the years).
    static func changes(from: Int, to: Int, on db: any Database) async throws -> OverviewChangesDTO {
        changes(try await overview(year: from, on: db), try await overview(year: to, on: db))
    }

    /// The same, from two overviews already computed (the page has one of them at hand).
    static func changes(_ a: OverviewDTO, _ b: OverviewDTO) -> OverviewChangesDTO {
        var items: [OverviewChangeDTO] = [], open: [OverviewChangeDTO] = []
        for (x, y) in zip(a.items, b.items) {
            let r = OverviewRules.changes(countyCode: x.countyCode, from: x.values, to: y.values, indicators: OverviewRules.indicators)
            items += r.changed.map { OverviewChangeDTO(region: x.region, countyCode: $0.countyCode, indicator: $0.indicator, from: $0.from, to: $0.to) }
            open += r.notComparable.filter { c in OverviewRules.reportedIndicators.contains(c.indicator) || c.from != c.to }
                .map { OverviewChangeDTO(region: x.region, countyCode: $0.countyCode, indicator: $0.indicator, from: $0.from, to: $0.to) }
        }
        return OverviewChangesDTO(from: a.year, to: b.year, items: items, notComparable: open, summary: a.summary + b.summary)
    }

    /// Years the overview has something for: reported years, years with records, and this year.
    static func years(on db: any Database) async throws -> [Int] {
        var years = Set(try await ReportedFigure.query(on: db).all().map(\.year))
        years.insert(LocalDate.today().year)
        return years.sorted()
    }

    // MARK: CSV

    static func csv(_ o: OverviewDTO) -> String {
        let w = CSVWriter(delimiter: .comma)
        var out = w.row(["region", "county_code", "year", "agreement", "agreement_source", "agreement_reported", "iop", "iop_source", "iop_count", "iop_reported",
                         "councils", "grants", "grants_sek", "signatories"])
        func n(_ v: Int?) -> String { v.map(String.init) ?? "" }
        for i in o.items {
            out += w.row([i.region, i.countyCode, String(o.year), i.agreement.value.rawValue, i.agreement.source.rawValue, i.agreement.reported?.rawValue ?? "",
                          i.iop.value.rawValue, i.iop.source.rawValue, n(i.iop.count), i.iop.reported?.rawValue ?? "", n(i.councils), n(i.grants), n(i.grantsSek),
                          n(i.signatories)], numeric: [8, 10, 11, 12, 13])
        }
        return out
    }

    static func changesCSV(_ c: OverviewChangesDTO) -> String {
        let w = CSVWriter(delimiter: .comma)
        var out = w.row(["region", "county_code", "indicator", "from_year", "from", "to_year", "to", "comparable"])
        for i in c.items { out += w.row([i.region, i.countyCode, i.indicator, String(c.from), i.from, String(c.to), i.to, "yes"]) }
        for i in c.notComparable { out += w.row([i.region, i.countyCode, i.indicator, String(c.from), i.from, String(c.to), i.to, "no"]) }
        return out
    }

    // MARK: Import of reported figures

    /// Imports what regions reported: `region,year,agreement,iop` (`,` or `;`; an optional `source` column). Ja/Nej;
    /// empty or a dash (with or without a footnote mark) is `unknown`. A region may be named by its county code,
    /// county, region or short name. All or nothing; a later import replaces the same region, year and indicator.
    static func importReported(_ source: ByteSource, note: String, localizer: Localizer, in ctx: WriteContext) async throws -> ImportReport {
        guard Policy.allows(ctx.actor, .overviewManage) else { throw AppError.forbidden() }
        let opened = try ImportRejected.open(source, columns: ["region", "year", "agreement", "iop"], localizer: localizer)
        var reader = opened.reader
        let index = opened.index
        let sourceColumn = reader.header.firstIndex { $0.lowercased() == "source" }
        func at(_ c: String, _ f: [String]) -> String { (c == "source" ? sourceColumn : index[c]).flatMap { $0 < f.count ? f[$0] : nil } ?? "" }
        let counties = try await counties(on: ctx.db)
        var errors: [RowError] = []
        var rows: [(code: String, year: Int, values: [(String, TriState, String)], note: String)] = []
        var seen: [String: Int] = [:]
        var read = 0
        func err(_ line: Int, _ field: String, _ code: String, _ args: [String] = []) {
            errors.append(RowError(line: line, field: field, message: FieldError(field: field, code: code, args: args).localized(localizer, .sv).message))
        }
        do {
            while let f = try reader.next() {
                read += 1
                let line = reader.recordLine
                if read > 10_000 { err(line, "region", "tooMany", ["10000"]); break }
                let rawRegion = at("region", f)
                let code = OverviewRules.countyCode(for: rawRegion, counties: counties)
                if code == nil { err(line, "region", "overviewUnknownRegion", [rawRegion]) }
                let year = Int(at("year", f).trimmingCharacters(in: .whitespaces))
                if year == nil || !OverviewRules.isYear(year ?? 0) { err(line, "year", "range", ["1990", "2100"]) }
                var values: [(String, TriState, String)] = []
                for ind in OverviewRules.reportedIndicators {
                    let raw = at(ind.lowercased(), f)
                    if let v = OverviewRules.reportedValue(raw) { values.append((ind, v, raw)) } else { err(line, ind, "overviewValue", [raw]) }
                }
                if let code, let year {
                    if let first = seen["\(code)-\(year)"] { err(line, "region", "overviewTwice", [rawRegion, String(year), String(first)]) }
                    else { seen["\(code)-\(year)"] = line }
                    let rowNote = String(at("source", f).trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
                    rows.append((code, year, values, rowNote.isEmpty ? note : rowNote))
                }
            }
        } catch let e as CSVError {
            throw ImportRejected.rows(errors + [RowError(line: reader.recordLine, field: nil, message: e.description)], read: read)
        }
        if read == 0 { err(2, "region", "required") }
        guard errors.isEmpty else { throw ImportRejected.rows(errors, read: read) }
        var stored = 0
        for r in rows {
            for (ind, value, raw) in r.values {
                let f = try await ReportedFigure.query(on: ctx.db).filter(\.$countyCode == r.code).filter(\.$year == r.year).filter(\.$indicator == ind).first() ?? ReportedFigure()
                f.countyCode = r.code
                f.year = r.year
                f.indicator = ind
                f.value = value
                f.raw = String(raw.prefix(40))
                f.sourceNote = r.note
                try await f.save(on: ctx.db)
                stored += 1
            }
        }
        ctx.auditSummary("importReported", "overview", "reported", [("rows", .int(rows.count)), ("values", .int(stored))])
        return ImportReport(rowsRead: read, imported: rows.count, rejected: [], committed: true)
    }
}
