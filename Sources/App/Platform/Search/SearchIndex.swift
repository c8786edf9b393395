import Foundation
import SQLKit
import SamverkaRules

/// What can be found by full-text search.
public enum SearchKind: String, Codable, Sendable, CaseIterable {
    case organisation, unit, role, body
}

/// One searchable record: a title (weighted high) and a body (names of areas, responsibilities, description…).
public struct SearchDocument: Sendable, Equatable {
    public var kind: SearchKind
    public var id: UUID
    public var title: String
    public var body: String
    public init(kind: SearchKind, id: UUID, title: String, body: String) {
        self.kind = kind
        self.id = id
        self.title = title
        self.body = body
    }
}

/// The one place where SQLite and PostgreSQL differ for full-text search.
/// Everything else (filters, paging, loading records) is shared SQL built around `matches`.
public protocol SearchIndex: Sendable {
    func createSchema(on db: any SQLDatabase) async throws
    func dropSchema(on db: any SQLDatabase) async throws
    /// Adds or replaces documents.
    func upsert(_ docs: [SearchDocument], on db: any SQLDatabase) async throws
    func remove(ids: [UUID], on db: any SQLDatabase) async throws
    /// A subquery with columns `doc_id` and `rank` (lower is a better match) for documents of `kind`
    /// matching every word of `text`, and when `within` is given (a subquery of one column of document ids),
    /// only those among them; nil when `text` has no searchable words.
    func matches(kind: SearchKind, text: String, within: SQLQueryString?) -> SQLQueryString?
}

extension SearchIndex {
    public func matches(kind: SearchKind, text: String) -> SQLQueryString? { matches(kind: kind, text: text, within: nil) }
}

public enum SearchIndexes {
    /// The implementation for the database behind `db`.
    public static func forDatabase(_ db: any SQLDatabase) -> any SearchIndex {
        db.dialect.name == "postgresql" ? PostgresSearchIndex() : SQLiteFTSSearchIndex()
    }
}

/// SQLite FTS5. Text is analysed in Swift (`SwedishAnalyzer`) so that stemming matches PostgreSQL's
/// `swedish` configuration closely; the FTS5 table is keyed by `search_keys.rowid`. It keeps its own copy
/// of the analysed text (no `contentless_delete`, which needs SQLite 3.43), so Debian's sqlite3 CLI can
/// read it too.
public struct SQLiteFTSSearchIndex: SearchIndex {
    public init() {}

    public func createSchema(on db: any SQLDatabase) async throws {
        try await db.raw("CREATE TABLE IF NOT EXISTS search_keys (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id BLOB NOT NULL UNIQUE)").run()
        try await db.raw("""
            CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
                title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')
            """).run()
    }

    public func dropSchema(on db: any SQLDatabase) async throws {
        try await db.raw("DROP TABLE IF EXISTS search_fts").run()
        try await db.raw("DROP TABLE IF EXISTS search_keys").run()
    }

    public func upsert(_ docs: [SearchDocument], on db: any SQLDatabase) async throws {
        for chunk in docs.chunked(by: 200) {
            var keys = SQLQueryString("INSERT INTO search_keys (kind, doc_id) VALUES ")
            for (i, d) in chunk.enumerated() {
                keys += i == 0 ? "" : ", "
                keys += "(\(bind: d.kind.rawValue), \(bind: d.id))"
            }
            keys += " ON CONFLICT(doc_id) DO UPDATE SET kind = excluded.kind RETURNING rowid, doc_id"
            let rows = try await db.raw(keys).all()
            var rowids: [UUID: Int64] = [:]
            for row in rows {
                rowids[try row.decode(column: "doc_id", as: UUID.self)] = try row.decode(column: "rowid", as: Int64.self)
            }
            let ids = chunk.compactMap { rowids[$0.id] }
            try await db.raw("DELETE FROM search_fts WHERE rowid IN (\(binds: ids))").run()
            var insert = SQLQueryString("INSERT INTO search_fts (rowid, title, body) VALUES ")
            for (i, d) in chunk.enumerated() {
                guard let rowid = rowids[d.id] else { continue }
                let title = SwedishAnalyzer.indexText(SwedishAnalyzer.withCompoundParts(d.title))
                let body = SwedishAnalyzer.indexText(SwedishAnalyzer.withCompoundParts(d.body))
                insert += i == 0 ? "" : ", "
                insert += "(\(bind: rowid), \(bind: title), \(bind: body))"
            }
            try await db.raw(insert).run()
        }
    }

    public func remove(ids: [UUID], on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        for chunk in ids.chunked(by: 500) {
            try await db.raw("DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_keys WHERE doc_id IN (\(binds: Array(chunk))))").run()
            try await db.raw("DELETE FROM search_keys WHERE doc_id IN (\(binds: Array(chunk)))").run()
        }
    }

    /// FTS5 query: every stemmed word as a quoted prefix term (implicit AND).
    static func ftsQuery(_ text: String) -> String? {
        let terms = SwedishAnalyzer.terms(text)
        guard !terms.isEmpty else { return nil }
        return terms.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// With `within`, its ids are a set that the match is narrowed to: on 300,000 organisations, joining every
    /// match to `organisations` and probing the filter's tables row by row took six times as long.
    public func matches(kind: SearchKind, text: String, within: SQLQueryString?) -> SQLQueryString? {
        guard let q = Self.ftsQuery(text) else { return nil }
        var sql: SQLQueryString = """
            SELECT k.doc_id AS doc_id, bm25(search_fts, 10.0, 1.0) AS rank
            FROM search_fts JOIN search_keys k ON k.rowid = search_fts.rowid
            WHERE search_fts MATCH \(bind: q) AND k.kind = \(bind: kind.rawValue)
            """
        if let within {
            sql += " AND k.doc_id IN ("
            sql += within
            sql += ")"
        }
        return sql
    }
}

/// PostgreSQL: a `tsvector` built with the `swedish` configuration (title weight A, body weight B)
/// in a generated column with a GIN index.
public struct PostgresSearchIndex: SearchIndex {
    public init() {}

    public func createSchema(on db: any SQLDatabase) async throws {
        try await db.raw("""
            CREATE TABLE IF NOT EXISTS search_documents (
                doc_id uuid PRIMARY KEY,
                kind text NOT NULL,
                title text NOT NULL,
                body text NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('swedish', title), 'A') || setweight(to_tsvector('swedish', body), 'B')) STORED)
            """).run()
        try await db.raw("CREATE INDEX IF NOT EXISTS search_documents_tsv ON search_documents USING gin (tsv)").run()
        try await db.raw("CREATE INDEX IF NOT EXISTS search_documents_kind ON search_documents (kind)").run()
    }

    public func dropSchema(on db: any SQLDatabase) async throws {
        try await db.raw("DROP TABLE IF EXISTS search_documents").run()
    }

    public func upsert(_ docs: [SearchDocument], on db: any SQLDatabase) async throws {
        for chunk in docs.chunked(by: 500) {
            var sql = SQLQueryString("INSERT INTO search_documents (doc_id, kind, title, body) VALUES ")
            for (i, d) in chunk.enumerated() {
                sql += i == 0 ? "" : ", "
                sql += "(\(bind: d.id), \(bind: d.kind.rawValue), \(bind: SwedishAnalyzer.withCompoundParts(d.title)), \(bind: SwedishAnalyzer.withCompoundParts(d.body)))"
            }
            sql += " ON CONFLICT (doc_id) DO UPDATE SET kind = excluded.kind, title = excluded.title, body = excluded.body"
            try await db.raw(sql).run()
        }
    }

    public func remove(ids: [UUID], on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        for chunk in ids.chunked(by: 500) {
            try await db.raw("DELETE FROM search_documents WHERE doc_id IN (\(binds: Array(chunk)))").run()
        }
    }

    /// tsquery text: every word as a prefix term, AND-ed. Words hold only letters and digits.
    static func tsQuery(_ text: String) -> String? {
        let words = SwedishAnalyzer.words(text)
        guard !words.isEmpty else { return nil }
        return words.map { "\($0):*" }.joined(separator: " & ")
    }

    public func matches(kind: SearchKind, text: String, within: SQLQueryString?) -> SQLQueryString? {
        guard let q = Self.tsQuery(text) else { return nil }
        var sql: SQLQueryString = """
            SELECT d.doc_id AS doc_id, -ts_rank(d.tsv, q.query) AS rank
            FROM search_documents d, to_tsquery('swedish', \(bind: q)) AS q(query)
            WHERE d.kind = \(bind: kind.rawValue) AND d.tsv @@ q.query
            """
        if let within {
            sql += " AND d.doc_id IN ("
            sql += within
            sql += ")"
        }
        return sql
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
