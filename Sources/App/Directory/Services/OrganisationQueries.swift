import Fluent
import SQLKit
import Vapor
import SamverkaRules

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
            let v = (req.queryValue(name) ?? "").trimmingCharacters(in: .whitespaces)
            if v.count > max { throw AppError.badRequest(code: "paramTooLong", field: name, name) }
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
            throw AppError.badRequest(code: "unknownLegalForm", field: "legalForm")
        }
        if !f.level.isEmpty && OrganisationLevel(rawValue: f.level) == nil {
            throw AppError.badRequest(code: "unknownLevel", field: "level")
        }
        if !f.municipality.isEmpty && !(f.municipality.count == 4 && f.municipality.allSatisfy(\.isNumber)) {
            throw AppError.badRequest(code: "municipalityCode", field: "municipality")
        }
        if !f.county.isEmpty && !(f.county.count == 2 && f.county.allSatisfy(\.isNumber)) {
            throw AppError.badRequest(code: "countyCode", field: "county")
        }
        return f
    }

    var queryPairs: [(String, String)] {
        [("q", q), ("area", area), ("municipality", municipality), ("county", county), ("legalForm", legalForm), ("level", level)]
    }

    var isEmpty: Bool { queryPairs.allSatisfy { $0.1.isEmpty } }

    /// A search text and nothing else to narrow it.
    var hasOnlyText: Bool { !q.isEmpty && queryPairs.allSatisfy { $0.0 == "q" || $0.1.isEmpty } }
}

enum OrganisationQueries {
    /// One page of organisations matching `filter`, best matches first when there is a search text
    /// (otherwise in Swedish alphabetical order), as list DTOs, and the total number of matches.
    static func searchDTOs(_ filter: OrganisationFilter, page: PageRequest, on db: any Database) async throws -> (items: [OrganisationDTO], total: Int) {
        let (ids, total) = try await searchIDs(filter, page: page, on: db)
        return (try await listDTOs(ids: ids, on: db), total)
    }

    static func searchIDs(_ filter: OrganisationFilter, page: PageRequest, on db: any Database) async throws -> (ids: [UUID], total: Int) {
        if !filter.q.isEmpty {
            guard let match = matches(filter, on: db) else { return ([], 0) }
            return try await rankedIDs(match: match, page: page, on: db)
        }
        return try await listedIDs(filter, page: page, on: db)
    }

    /// The search index's matches (`key`, `rank`) of the filter's text, narrowed to its other conditions; nil
    /// when the text holds nothing to search for.
    private static func matches(_ filter: OrganisationFilter, on db: any Database) -> SearchMatches? {
        SearchIndexes.forDatabase(db.sql).matches(kind: .organisation, text: filter.q, within: filter.hasOnlyText ? nil : filteredIDs(filter))
    }

    /// A list without a search text, in Swedish alphabetical order. The page and the total are two queries: with
    /// the total as a window over the page's query (`COUNT(*) OVER ()`), every organisation passing the filter
    /// was read and sorted for every page, which took 0.4 s for the unfiltered first page on 300,000
    /// organisations and a second with a municipality filter (see `listed` for where each reads now). A page that is
    /// not full gives its total without counting.
    private static func listedIDs(_ filter: OrganisationFilter, page: PageRequest, on db: any Database) async throws -> (ids: [UUID], total: Int) {
        let list = listed(filter)
        var query: SQLQueryString = "SELECT CAST(o.id AS TEXT) AS id "
        query += list.from
        query += " ORDER BY o.sort_name, o.id LIMIT \(literal: page.per) OFFSET \(literal: page.offset)"
        let ids = try await RowReader.rows(on: db, query) { try $0.uuid("id") }
        if !ids.isEmpty && ids.count < page.per { return (ids, page.offset + ids.count) }
        if ids.isEmpty && page.page == 1 { return (ids, 0) }
        let total = try await RowReader.rows(on: db, list.count) { try $0.requiredInt("total") }.first ?? 0
        return (ids, total)
    }

    /// Where a list without a search text reads its organisations `o` (`FROM … WHERE …`, to be ordered), and the
    /// query that counts them (column `total`). With a municipality (a few hundred organisations) the page reads the
    /// set of `filteredIDs` from the municipality's own index; with a county or an area it walks the alphabetical
    /// index testing the conditions row by row, and stops at the page's end. The count never reads the
    /// organisations' rows to skip the deleted ones: it counts the filter's set, or the organisations with the legal
    /// form and level, from their indexes and leaves out the deleted organisations (a few, in their own partial
    /// index): on 300,000 organisations an area's count took 110 ms, 11 ms now, and the whole directory's 32 ms, 1 ms now.
    private static func listed(_ filter: OrganisationFilter) -> (from: SQLQueryString, count: SQLQueryString) {
        var conditions = SQLQueryString("")
        if !filter.legalForm.isEmpty { conditions += " AND o.legal_form = \(bind: filter.legalForm)" }
        if !filter.level.isEmpty { conditions += " AND o.level = \(bind: filter.level)" }
        var own: SQLQueryString = "FROM organisations o WHERE o.deleted_at IS NULL"
        own += conditions
        guard !filter.municipality.isEmpty || !filter.county.isEmpty || !filter.area.isEmpty else {
            var count: SQLQueryString = "SELECT (SELECT COUNT(*) FROM organisations o WHERE 1 = 1"
            count += conditions
            count += ") - (SELECT COUNT(*) FROM organisations o WHERE o.deleted_at IS NOT NULL"
            count += conditions
            count += ") AS total"
            return (own, count)
        }
        let set = filteredIDs(filter)
        // A county's set holds an organisation once per municipality of it; a municipality's or area's, once.
        let distinct = filter.municipality.isEmpty && !filter.county.isEmpty
        var count: SQLQueryString = distinct ? "SELECT COUNT(DISTINCT f.id) AS total FROM (" : "SELECT COUNT(*) AS total FROM ("
        count += set
        count += ") f WHERE f.id NOT IN (SELECT d.id FROM organisations d WHERE d.deleted_at IS NOT NULL)"
        if !filter.municipality.isEmpty {
            var inSet: SQLQueryString = "FROM organisations o WHERE o.deleted_at IS NULL AND o.id IN ("
            inSet += set
            inSet += ")"
            return (inSet, count)
        }
        var from = own
        if !filter.area.isEmpty { from += " AND "; from += inArea(filter.area, id: "o.id") }
        if !filter.county.isEmpty { from += " AND "; from += inCounty(filter.county, id: "o.id") }
        return (from, count)
    }

    /// Up to `limit` organisations of a list without a search text that come after `after` (a sort key and id) in
    /// its order, with their sort keys: a page that starts where the previous one ended reads the alphabetical
    /// index from there, where an offset reads and skips every row before it (the CSV export of 300,000
    /// organisations read 90 million index entries to skip).
    private static func listedPage(_ filter: OrganisationFilter, after: (sortName: String, id: UUID)?, limit: Int, on db: any Database) async throws -> [(id: UUID, sortName: String)] {
        var query: SQLQueryString = "SELECT CAST(o.id AS TEXT) AS id, o.sort_name AS sort_name "
        query += listed(filter).from
        if let after {
            query += " AND o.sort_name >= \(bind: after.sortName) AND (o.sort_name > \(bind: after.sortName) OR o.id > \(bind: after.id))"
        }
        query += " ORDER BY o.sort_name, o.id LIMIT \(literal: limit)"
        return try await RowReader.rows(on: db, query) { r in (id: try r.uuid("id"), sortName: try r.required("sort_name")) }
    }

    /// The ids (column `id`) of organisations that pass the filter's conditions other than the text, as one subquery
    /// that a text search is narrowed to and a list counts. It starts from the most selective condition's own index
    /// (a municipality has a few hundred organisations, an area tens of thousands) and tests the others on those
    /// rows only. With a municipality, county or area it holds deleted organisations too (their links stay):
    /// they are never in the search index, and a list leaves them out itself.
    static func filteredIDs(_ filter: OrganisationFilter) -> SQLQueryString {
        let byMunicipality = !filter.municipality.isEmpty, byCounty = !filter.county.isEmpty, byArea = !filter.area.isEmpty
        var own: [SQLQueryString] = []
        if !filter.legalForm.isEmpty { own.append("o.legal_form = \(bind: filter.legalForm)") }
        if !filter.level.isEmpty { own.append("o.level = \(bind: filter.level)") }
        var sql: SQLQueryString
        if byMunicipality {
            sql = "SELECT x.organisation_id AS id FROM organisation_municipalities x WHERE x.municipality_code = \(bind: filter.municipality)"
        } else if byCounty {
            sql = "SELECT x.organisation_id AS id FROM organisation_municipalities x JOIN municipalities mc ON mc.code = x.municipality_code WHERE mc.county_code = \(bind: filter.county)"
        } else if byArea {
            sql = "SELECT x.organisation_id AS id FROM organisation_areas x WHERE x.area_key = \(bind: filter.area)"
        } else {
            sql = "SELECT o.id FROM organisations o WHERE o.deleted_at IS NULL"
            for c in own { sql += " AND "; sql += c }
            return sql
        }
        if byMunicipality && byCounty { sql += " AND "; sql += inCounty(filter.county, id: "x.organisation_id") }
        if byArea && (byMunicipality || byCounty) { sql += " AND "; sql += inArea(filter.area, id: "x.organisation_id") }
        if !own.isEmpty {
            sql += " AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = x.organisation_id"
            for c in own { sql += " AND "; sql += c }
            sql += ")"
        }
        return sql
    }

    /// The filter conditions on an organisation id column (`id` is a column name from code, never input).
    private static func inArea(_ area: String, id: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM organisation_areas fa WHERE fa.organisation_id = \(unsafeRaw: id) AND fa.area_key = \(bind: area))"
    }

    private static func inCounty(_ county: String, id: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM organisation_municipalities fc JOIN municipalities mc ON mc.code = fc.municipality_code WHERE fc.organisation_id = \(unsafeRaw: id) AND mc.county_code = \(bind: county))"
    }

    /// A text search (already narrowed to the filter's organisations, if any). Every match is ranked (as the bare
    /// full-text query does) and counted on the index's own key, but only the matches ranked at or above the page's
    /// last place are looked up as organisations for the alphabetical tie-break: joining all of them cost two thirds
    /// of the query on 300,000 organisations. Soft-deleted organisations are never in the index (removed in the
    /// deleting transaction), so the count of matches is the total.
    private static func rankedIDs(match: SearchMatches, page: PageRequest, on db: any Database) async throws -> (ids: [UUID], total: Int) {
        var query: SQLQueryString = "WITH m AS MATERIALIZED ("
        query += match.query
        query += "), cut AS (SELECT rank FROM m ORDER BY rank LIMIT 1 OFFSET \(literal: page.offset + page.per - 1)) "
        query += "SELECT CAST(o.id AS TEXT) AS id, (SELECT COUNT(*) FROM m) AS total FROM m JOIN organisations o ON o.id = "
        query += match.docID("m.key")
        query += """
             WHERE o.deleted_at IS NULL AND m.rank <= COALESCE((SELECT rank FROM cut), (SELECT MAX(rank) FROM m))
            ORDER BY m.rank, o.sort_name, o.id
            """
        var count: SQLQueryString = "SELECT COUNT(*) AS total FROM ("
        count += match.query
        count += ") m"
        return try await pageOfIDs(query, count: count, page: page, on: db)
    }

    /// Runs `query` (columns `id` and `total`, ordered) for one page. A page past the last match has no row to
    /// carry the total, so then `count` (column `total`) gives it.
    private static func pageOfIDs(_ query: SQLQueryString, count: SQLQueryString, page: PageRequest, on db: any Database) async throws -> (ids: [UUID], total: Int) {
        var paged = query
        paged += " LIMIT \(literal: page.per) OFFSET \(literal: page.offset)"
        let rows = try await RowReader.rows(on: db, paged) { r in (id: try r.uuid("id"), total: try r.requiredInt("total")) }
        var total = rows.first?.total ?? 0
        if rows.isEmpty && page.page > 1 {
            total = try await RowReader.rows(on: db, count) { try $0.requiredInt("total") }.first ?? 0
        }
        return (rows.map(\.id), total)
    }

    /// Every organisation matching `filter`, in pages of `per` list DTOs, for CSV export (streamed: the DTOs of one
    /// page at a time are in memory). Without a search text, each page starts after the previous page's last
    /// organisation; with one, the matches are ranked once and their ids read in order (16 bytes each), where
    /// paging by offset ranked every match again for every page.
    static func forEachPage(_ filter: OrganisationFilter, per: Int = 500, on db: any Database, _ body: ([OrganisationDTO]) async throws -> Void) async throws {
        if !filter.q.isEmpty {
            guard let match = matches(filter, on: db) else { return }
            var query: SQLQueryString = "SELECT CAST(o.id AS TEXT) AS id FROM ("
            query += match.query
            query += ") m JOIN organisations o ON o.id = "
            query += match.docID("m.key")
            query += " WHERE o.deleted_at IS NULL ORDER BY m.rank, o.sort_name, o.id"
            for chunk in try await RowReader.rows(on: db, query, { try $0.uuid("id") }).chunked(by: per) {
                try await body(try await listDTOs(ids: Array(chunk), on: db))
            }
            return
        }
        var after: (sortName: String, id: UUID)?
        while true {
            let rows = try await listedPage(filter, after: after, limit: per, on: db)
            guard let last = rows.last else { break }
            try await body(try await listDTOs(ids: rows.map(\.id), on: db))
            if rows.count < per { break }
            after = (last.sortName, last.id)
        }
    }
}

extension OrganisationQueries {
    /// Each organisation's member total of its latest reported year: the whole-organisation figure when there is
    /// one, otherwise the sum of that year's per-municipality figures. Organisations without figures are absent.
    /// The figures are read as plain rows (decoding them as Fluent models was a tenth of the CSV export's CPU).
    static func latestMemberTotals(ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        var out: [UUID: Int] = [:]
        for chunk in ids.chunked(by: 500) {
            let query: SQLQueryString = """
                SELECT CAST(organisation_id AS TEXT) AS id, year, municipality_code, total FROM member_counts
                WHERE organisation_id IN (\(binds: Array(chunk)))
                """
            let rows = try await RowReader.rows(on: db, query) { r in
                (org: try r.uuid("id"), year: try r.requiredInt("year"), whole: r.string("municipality_code") == nil, total: try r.requiredInt("total"))
            }
            for (org, counts) in Dictionary(grouping: rows, by: \.org) {
                guard let year = counts.map(\.year).max() else { continue }
                let ofYear = counts.filter { $0.year == year }
                out[org] = ofYear.first(where: \.whole)?.total ?? ofYear.reduce(0) { $0 + $1.total }
            }
        }
        return out
    }
}

extension OrganisationQueries {
    /// The columns that `organisationDTO` reads: an organisation `o` with its parent's name, `WHERE` to follow.
    static let organisationColumns: SQLQueryString = "SELECT " + organisationSelectList + " " + organisationFrom

    /// The columns of `organisationColumns` (of `o`, and the parent `p`'s name), as `expression AS name`.
    private static let organisationSelectColumns = [
        "CAST(o.id AS TEXT) AS id", "o.name AS name", "o.orgnr AS orgnr", "o.legal_form AS legal_form", "o.level AS level",
        "CAST(o.parent_id AS TEXT) AS parent_id", "p.name AS parent_name", "o.description AS description", "o.street AS street",
        "o.postal_code AS postal_code", "o.city AS city", "o.email AS email", "o.phone AS phone", "o.website AS website",
        "o.founded_year AS founded_year", "o.council_memberships AS council_memberships", "o.is_demo AS is_demo",
        "o.version AS version", "o.created_at AS created_at", "o.updated_at AS updated_at",
    ]
    /// The columns of `organisationColumns`, without SELECT and FROM.
    static let organisationSelectList = SQLQueryString(organisationSelectColumns.joined(separator: ", "))
    /// How many columns `organisationSelectList` has (the organisation page pads its related rows with as many NULLs).
    static let organisationColumnCount = organisationSelectColumns.count
    static let organisationFrom: SQLQueryString = "FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id"

    /// A list DTO (no areas, municipalities or member counts yet) from a row of `organisationColumns`.
    @Sendable static func organisationDTO(_ r: any ColumnValues) throws -> OrganisationDTO {
        OrganisationDTO(
            id: try r.uuid("id"), name: try r.required("name"), orgnr: r.string("orgnr"), legalForm: try r.required("legal_form"),
            level: try r.required("level"), parentId: r.optionalUUID("parent_id"), parentName: r.string("parent_name"),
            areas: [], municipalities: [], description: r.string("description") ?? "",
            address: AddressDTO(street: r.string("street") ?? "", postalCode: r.string("postal_code") ?? "", city: r.string("city") ?? ""),
            email: r.string("email") ?? "", phone: r.string("phone") ?? "", website: r.string("website") ?? "", foundedYear: r.int("founded_year"),
            councilMemberships: (r.string("council_memberships") ?? "").split(separator: "|").map(String.init),
            memberCounts: nil, isDemo: r.bool("is_demo") ?? false, version: r.int("version") ?? 1,
            createdAt: r.date("created_at"), updatedAt: r.date("updated_at"))
    }

    /// List DTOs (no member counts) for `ids`, in that order: the organisations with their parent's name,
    /// areas and municipalities in three queries read straight from the database.
    static func listDTOs(ids: [UUID], on db: any Database) async throws -> [OrganisationDTO] {
        guard !ids.isEmpty else { return [] }
        var areas: [UUID: [String]] = [:]
        var munis: [UUID: [String]] = [:]
        var byID: [UUID: OrganisationDTO] = [:]
        for chunk in ids.chunked(by: 500) {
            var orgs = organisationColumns
            orgs += " WHERE o.id IN (\(binds: Array(chunk)))"
            for dto in try await RowReader.rows(on: db, orgs, organisationDTO) {
                byID[dto.id] = dto
            }
            let links: SQLQueryString = """
                SELECT CAST(organisation_id AS TEXT) AS id, 'a' AS kind, area_key AS value FROM organisation_areas WHERE organisation_id IN (\(binds: Array(chunk)))
                UNION ALL
                SELECT CAST(organisation_id AS TEXT) AS id, 'm' AS kind, municipality_code AS value FROM organisation_municipalities WHERE organisation_id IN (\(binds: Array(chunk)))
                """
            for (id, kind, value) in try await RowReader.rows(on: db, links, { r in (try r.uuid("id"), try r.required("kind"), try r.required("value")) }) {
                if kind == "a" { areas[id, default: []].append(value) } else { munis[id, default: []].append(value) }
            }
        }
        return ids.compactMap { id in
            guard var dto = byID[id] else { return nil }
            dto.areas = (areas[id] ?? []).sorted()
            dto.municipalities = (munis[id] ?? []).sorted()
            return dto
        }
    }
}
