import Fluent
import SQLKit
import Vapor

/// Filters of the organisation list; the same for the HTML list, the API and CSV export.
struct OrganisationFilter: Sendable, Equatable {
    var q: String = ""
    var area: String = ""
    var municipality: String = ""
    var county: String = ""
    var legalForm: String = ""
    var level: String = ""

    static func from(_ req: Request) throws -> OrganisationFilter {
        func param(_ name: String, max: Int = 200) throws -> String {
            let v = (req.query[String.self, at: name] ?? "").trimmingCharacters(in: .whitespaces)
            if v.count > max { throw AppError.badRequest("\(name) är för lång.", field: name) }
            return v
        }
        var f = OrganisationFilter()
        f.q = try param("q")
        f.area = try param("area", max: 60)
        f.municipality = try param("municipality", max: 4)
        f.county = try param("county", max: 2)
        f.legalForm = try param("legalForm", max: 40)
        f.level = try param("level", max: 20)
        if !f.legalForm.isEmpty && LegalForm(rawValue: f.legalForm) == nil {
            throw AppError.badRequest("Okänd juridisk form.", field: "legalForm")
        }
        if !f.level.isEmpty && OrganisationLevel(rawValue: f.level) == nil {
            throw AppError.badRequest("Okänd nivå.", field: "level")
        }
        if !f.municipality.isEmpty && !(f.municipality.count == 4 && f.municipality.allSatisfy(\.isNumber)) {
            throw AppError.badRequest("Kommun anges med fyrsiffrig kod.", field: "municipality")
        }
        if !f.county.isEmpty && !(f.county.count == 2 && f.county.allSatisfy(\.isNumber)) {
            throw AppError.badRequest("Län anges med tvåsiffrig kod.", field: "county")
        }
        return f
    }

    var queryPairs: [(String, String)] {
        [("q", q), ("area", area), ("municipality", municipality), ("county", county), ("legalForm", legalForm), ("level", level)]
    }

    var isEmpty: Bool { queryPairs.allSatisfy { $0.1.isEmpty } }
}

enum OrganisationQueries {
    /// One page of organisations matching `filter`, best matches first when there is a search text
    /// (otherwise in Swedish alphabetical order), and the total number of matches.
    static func search(_ filter: OrganisationFilter, page: PageRequest, on db: any Database) async throws -> (items: [Organisation], total: Int) {
        let sql = db.sql
        let index = SearchIndexes.forDatabase(sql)
        var match: SQLQueryString?
        if !filter.q.isEmpty {
            guard let m = index.matches(kind: .organisation, text: filter.q) else { return ([], 0) }
            match = m
        }
        var from = SQLQueryString("FROM organisations o ")
        if let match {
            from += "JOIN ("
            from += match
            from += ") m ON m.doc_id = o.id "
        }
        from += "WHERE o.deleted_at IS NULL"
        if !filter.legalForm.isEmpty { from += " AND o.legal_form = \(bind: filter.legalForm)" }
        if !filter.level.isEmpty { from += " AND o.level = \(bind: filter.level)" }
        if !filter.area.isEmpty {
            from += " AND EXISTS (SELECT 1 FROM organisation_areas fa WHERE fa.organisation_id = o.id AND fa.area_key = \(bind: filter.area))"
        }
        if !filter.municipality.isEmpty {
            from += " AND EXISTS (SELECT 1 FROM organisation_municipalities fm WHERE fm.organisation_id = o.id AND fm.municipality_code = \(bind: filter.municipality))"
        }
        if !filter.county.isEmpty {
            from += " AND EXISTS (SELECT 1 FROM organisation_municipalities fc JOIN municipalities mc ON mc.code = fc.municipality_code WHERE fc.organisation_id = o.id AND mc.county_code = \(bind: filter.county))"
        }
        let order: SQLQueryString = match == nil ? "ORDER BY o.sort_name, o.id" : "ORDER BY m.rank, o.sort_name, o.id"
        var query: SQLQueryString = "SELECT o.id AS id, COUNT(*) OVER () AS total "
        query += from
        query += " "
        query += order
        query += " LIMIT \(literal: page.per) OFFSET \(literal: page.offset)"
        let rows = try await sql.raw(query).all()
        var total = try rows.first?.decode(column: "total", as: Int.self) ?? 0
        if rows.isEmpty && page.page > 1 {
            var count: SQLQueryString = "SELECT COUNT(*) AS total "
            count += from
            total = try await sql.raw(count).first()?.decode(column: "total", as: Int.self) ?? 0
        }
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return ([], total) }
        let byID = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return (ids.compactMap { byID[$0] }, total)
    }

    /// Every organisation matching `filter`, in pages, for CSV export (streamed, never all in memory).
    static func forEachPage(_ filter: OrganisationFilter, on db: any Database, _ body: ([OrganisationDTO]) async throws -> Void) async throws {
        var page = PageRequest(page: 1, per: 500)
        while true {
            let (items, _) = try await search(filter, page: page, on: db)
            if items.isEmpty { break }
            try await body(try await OrganisationService.dtos(items, withMembers: false, on: db))
            if items.count < page.per { break }
            page.page += 1
        }
    }
}
