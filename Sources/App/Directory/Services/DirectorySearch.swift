import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Search across organisations, units and roles.
enum DirectorySearch {
    static func all(_ text: String, limit: Int, on db: any Database) async throws -> (organisations: [OrganisationDTO], orgTotal: Int, bodies: [PublicBody], units: [OrgUnit], roles: [ContactRole]) {
        var filter = OrganisationFilter()
        filter.q = text
        let (orgs, total) = try await OrganisationQueries.searchDTOs(filter, page: PageRequest(page: 1, per: limit), on: db)
        let bodies = try await ranked(PublicBody.self, kind: .body, text: text, limit: limit, on: db)
        let units = try await ranked(OrgUnit.self, kind: .unit, text: text, limit: limit, on: db)
        let roles = try await ranked(ContactRole.self, kind: .role, text: text, limit: limit, on: db)
        return (orgs, total, bodies, units, roles)
    }

    static func ranked<M: Model>(_ type: M.Type, kind: SearchKind, text: String, limit: Int, on db: any Database) async throws -> [M] where M.IDValue == UUID {
        let sql = db.sql
        guard let match = SearchIndexes.forDatabase(sql).matches(kind: kind, text: text) else { return [] }
        var query: SQLQueryString = "SELECT "
        query += match.docID("m.key")
        query += " AS doc_id FROM ("
        query += match.query
        query += ") m ORDER BY m.rank LIMIT \(literal: limit)"
        let rows = try await sql.raw(query).all()
        let ids = try rows.map { try $0.decode(column: "doc_id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        let found = try await M.query(on: db).filter(\._$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: found.compactMap { m in m.id.map { ($0, m) } })
        return ids.compactMap { byID[$0] }
    }
}
