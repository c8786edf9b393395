import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// A rejected row of an imported file.
struct RowError: Content, Sendable, Equatable {
    var line: Int
    var field: String?
    var message: String
}

/// What an import did: nothing is stored unless `rejected` is empty.
struct ImportReport: Content, Sendable {
    var rowsRead: Int
    var imported: Int
    var rejected: [RowError]
    /// True when the file was stored (all rows valid).
    var committed: Bool
}

struct ImportRejected: Error {
    let report: ImportReport

    /// Nothing stored: these rows were wrong (of `read` read).
    static func rows(_ errors: [RowError], read: Int) -> ImportRejected {
        ImportRejected(report: ImportReport(rowsRead: read, imported: 0, rejected: errors, committed: false))
    }

    /// Opens a CSV file for an import (delimiter detected, BOM skipped) and finds the columns it needs, by lower-cased
    /// header name (other columns are ignored). An unreadable file or a missing column refuses the file at line 1.
    static func open(_ source: ByteSource, columns: [String], localizer: Localizer) throws -> (reader: CSVReader, index: [String: Int]) {
        let reader: CSVReader
        do { reader = try CSVReader(source: source) } catch {
            throw rows([RowError(line: 1, field: nil, message: localizer.text("invalid.csvUnreadable", .sv))], read: 0)
        }
        let header = reader.header.map { $0.lowercased() }
        var index: [String: Int] = [:]
        for c in columns { if let i = header.firstIndex(of: c.lowercased()) { index[c] = i } }
        let missing = columns.filter { index[$0] == nil }
        if !missing.isEmpty { throw rows([RowError(line: 1, field: nil, message: localizer.text("invalid.csvColumns", .sv, [missing.joined(separator: ", ")]))], read: 0) }
        return (reader, index)
    }
}

extension ImportReport {
    /// 422 problem+json listing every rejected row as `rows[<line>].<field>`, with the full report attached (every
    /// module's import answers a refused file this way).
    func rejectedResponse() -> Response {
        struct Body: Encodable {
            var type = "/problems/import-rejected"
            var title = "Unprocessable Entity"
            var status = 422
            var detail: String
            var errors: [FieldError]
            var report: ImportReport
        }
        let body = Body(detail: "Filen importerades inte: \(rejected.count) rader har fel. Inget har sparats.",
                        errors: rejected.map { FieldError(field: "rows[\($0.line)]" + ($0.field.map { ".\($0)" } ?? ""), message: $0.message) },
                        report: self)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
        return Response(status: .unprocessableEntity, headers: headers, body: .init(data: (try? JSONEncoder.api.encode(body)) ?? Data()))
    }
}

/// Population figures and density (organisations per 1,000 inhabitants).
enum ReferenceDataService {
    /// Imports `code;year;population` (header required, `,` also accepted). All or nothing.
    static func importPopulation(_ source: ByteSource, in ctx: WriteContext) async throws -> ImportReport {
        var reader: CSVReader
        do { reader = try CSVReader(source: source) } catch let e as CSVError {
            return ImportReport(rowsRead: 0, imported: 0, rejected: [RowError(line: 1, field: nil, message: e.description)], committed: false)
        }
        let header = reader.header.map { normalizeWord($0) }
        func col(_ names: [String]) -> Int? { header.firstIndex { names.contains($0) } }
        guard let ci = col(["code", "kod", "kommunkod", "kommun"]), let yi = col(["year", "ar", "år"]),
              let pi = col(["population", "folkmangd", "folkmängd", "invanare", "invånare"]) else {
            return ImportReport(rowsRead: 0, imported: 0, rejected: [RowError(line: 1, field: nil, message: "Rubrikraden ska vara code;year;population.")], committed: false)
        }
        let codes = Set(try await Municipality.query(on: ctx.db).all().map(\.code))
        var rows: [(String, Int, Int)] = []
        var errors: [RowError] = []
        var seen = Set<String>()
        var read = 0
        let maxYear = LocalDate.today().year + 1
        while true {
            let fields: [String]
            do {
                guard let f = try reader.next() else { break }
                fields = f
            } catch let e as CSVError {
                errors.append(RowError(line: reader.recordLine, field: nil, message: e.description))
                break
            }
            read += 1
            let line = reader.recordLine
            func v(_ i: Int) -> String { i < fields.count ? fields[i].trimmingCharacters(in: .whitespaces) : "" }
            let code = v(ci)
            guard codes.contains(code) else { errors.append(RowError(line: line, field: "code", message: "Okänd kommunkod \"\(code.prefix(20))\".")); continue }
            guard let year = Int(v(yi)), (1900...maxYear).contains(year) else { errors.append(RowError(line: line, field: "year", message: "Året måste vara mellan 1900 och \(maxYear).")); continue }
            guard let pop = Int(v(pi).filter { !$0.isWhitespace }), (0...20_000_000).contains(pop) else { errors.append(RowError(line: line, field: "population", message: "Folkmängden måste vara ett heltal mellan 0 och 20 000 000.")); continue }
            guard seen.insert("\(code)-\(year)").inserted else { errors.append(RowError(line: line, field: "code", message: "Kommun \(code) år \(year) förekommer flera gånger.")); continue }
            rows.append((code, year, pop))
        }
        if !errors.isEmpty { throw ImportRejected(report: ImportReport(rowsRead: read, imported: 0, rejected: errors, committed: false)) }
        for chunk in rows.chunked(by: 200) {
            for (code, year, _) in chunk {
                try await PopulationFigure.query(on: ctx.db).filter(\.$municipalityCode == code).filter(\.$year == year).delete()
            }
            try await chunk.map { PopulationFigure(municipalityCode: $0.0, year: $0.1, population: $0.2) }.create(on: ctx.db)
        }
        ctx.auditSummary("import", "population", "", [("rows", .int(rows.count)), ("years", .array(Set(rows.map(\.1)).sorted().map { .int($0) }))])
        return ImportReport(rowsRead: read, imported: rows.count, rejected: [], committed: true)
    }

    /// Years for which population figures exist, newest first.
    static func populationYears(on db: any Database) async throws -> [Int] {
        try await db.sql.raw("SELECT DISTINCT year FROM population_figures ORDER BY year DESC").all().map { try $0.decode(column: "year", as: Int.self) }
    }

    /// Density for every municipality (optionally of one county) in `year` (default: newest with figures).
    static func municipalityDensity(county: String?, year: Int?, on db: any Database) async throws -> (rows: [MunicipalityDTO], year: Int?) {
        let sql = db.sql
        let year = try await resolvedYear(year, on: db)
        var counts: [String: Int] = [:]
        for r in try await sql.raw("""
            SELECT om.municipality_code AS code, COUNT(DISTINCT om.organisation_id) AS n
            FROM organisation_municipalities om JOIN organisations o ON o.id = om.organisation_id AND o.deleted_at IS NULL
            GROUP BY om.municipality_code
            """).all() {
            counts[try r.decode(column: "code", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        var population: [String: Int] = [:]
        if let year {
            for p in try await PopulationFigure.query(on: db).filter(\.$year == year).all() { population[p.municipalityCode] = p.population }
        }
        var q = Municipality.query(on: db)
        if let county, !county.isEmpty { q = q.filter(\.$countyCode == county) }
        let munis = try await q.all()
        let rows = munis.map { m -> MunicipalityDTO in
            let row = DensityRow(code: m.code, name: m.name, organisations: counts[m.code] ?? 0, population: population[m.code])
            return MunicipalityDTO(code: m.code, name: m.name, countyCode: m.countyCode, organisations: row.organisations,
                                   population: row.population, populationYear: row.population == nil ? nil : year,
                                   perThousand: row.perThousand.map { ($0 * 10).rounded() / 10 })
        }
        return (rows, year)
    }

    /// Density per county: distinct organisations active anywhere in the county ÷ the county's population
    /// (known only when every municipality of the county has a figure for the year).
    static func countyDensity(year: Int?, on db: any Database) async throws -> (rows: [CountyDTO], year: Int?) {
        let sql = db.sql
        let year = try await resolvedYear(year, on: db)
        var counts: [String: Int] = [:]
        for r in try await sql.raw("""
            SELECT m.county_code AS code, COUNT(DISTINCT om.organisation_id) AS n
            FROM organisation_municipalities om
            JOIN organisations o ON o.id = om.organisation_id AND o.deleted_at IS NULL
            JOIN municipalities m ON m.code = om.municipality_code
            GROUP BY m.county_code
            """).all() {
            counts[try r.decode(column: "code", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        let munis = try await Municipality.query(on: db).all()
        var population: [String: Int] = [:]
        if let year {
            for p in try await PopulationFigure.query(on: db).filter(\.$year == year).all() { population[p.municipalityCode] = p.population }
        }
        let counties = try await County.query(on: db).sort(\.$code).all()
        let rows = counties.map { c -> CountyDTO in
            let inCounty = munis.filter { $0.countyCode == c.code }
            let figures = inCounty.compactMap { population[$0.code] }
            let pop: Int? = figures.count == inCounty.count && !inCounty.isEmpty ? figures.reduce(0, +) : nil
            let row = DensityRow(code: c.code, name: c.name, organisations: counts[c.code] ?? 0, population: pop)
            return CountyDTO(code: c.code, name: c.name, organisations: row.organisations, population: pop,
                             populationYear: pop == nil ? nil : year, perThousand: row.perThousand.map { ($0 * 10).rounded() / 10 })
        }
        return (rows, year)
    }

    static func resolvedYear(_ year: Int?, on db: any Database) async throws -> Int? {
        if let year { return year }
        return try await populationYears(on: db).first
    }
}

// MARK: Counties, municipalities and areas

extension ReferenceDataService {
    static func countyName(_ code: String, on db: any Database) async throws -> String? {
        try await County.query(on: db).filter(\.$code == code).first()?.name
    }

    static func municipality(code: String, on db: any Database) async throws -> Municipality? {
        try await Municipality.query(on: db).filter(\.$code == code).first()
    }

    static func areas(on db: any Database) async throws -> [AreaDTO] {
        try await Area.query(on: db).sort(\.$sortOrder).all().map { AreaDTO(key: $0.key, nameSv: $0.nameSv, nameEn: $0.nameEn, active: $0.active) }
    }

    /// Adds an area of activity at the end of the list; the key is ASCII letters and digits and unique.
    static func addArea(key rawKey: String?, nameSv rawSv: String?, nameEn rawEn: String?, in ctx: WriteContext) async throws -> AreaDTO {
        var errors = FieldErrors()
        let key = TextRules.line(rawKey, field: "key", max: 40, required: true, min: 2, errors: &errors)
        if !key.isEmpty && !key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { errors.add("key", code: "keyFormat") }
        let sv = TextRules.line(rawSv, field: "nameSv", max: 100, required: true, errors: &errors)
        let en = TextRules.line(rawEn, field: "nameEn", max: 100, required: true, errors: &errors)
        try errors.throwIfAny()
        if try await Area.query(on: ctx.db).filter(\.$key == key).count() > 0 { throw AppError.conflict(field: "key", code: "areaExists") }
        let order = (try await Area.query(on: ctx.db).max(\.$sortOrder) ?? 0) + 1
        let a = Area(key: key, nameSv: sv, nameEn: en, sortOrder: order)
        try await a.create(on: ctx.db)
        ctx.audit("create", "area", key, before: nil, after: AuditSnapshot(["key": .string(key), "nameSv": .string(sv), "nameEn": .string(en)]))
        return AreaDTO(key: a.key, nameSv: a.nameSv, nameEn: a.nameEn, active: a.active)
    }

    /// The register's size for the home page.
    static func registerCounts(on db: any Database) async throws -> (organisations: Int, bodies: Int, units: Int) {
        (try await Organisation.query(on: db).count(), try await PublicBody.query(on: db).count(), try await OrgUnit.query(on: db).count())
    }
}
