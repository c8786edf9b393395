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

/// The matches of a search text. `query` is a subquery with columns `key` (the index's own key of a document) and
/// `rank` (lower is a better match); `docID(_:)` gives the SQL expression of the document id of a `key` column.
/// A caller ranks and counts on `key` and resolves document ids only for the rows it keeps: on SQLite that lookup
/// is a B-tree seek per row, and doing it for every match of a broad search was a third of the search's time.
public struct SearchMatches: Sendable {
    public var query: SQLQueryString
    /// SQL around a key column's name that yields its document id; empty when the key is the document id.
    let docIDPrefix: String
    let docIDSuffix: String

    /// The document id of column `key` (a column name from code, never input).
    public func docID(_ key: String) -> SQLQueryString {
        SQLQueryString(docIDPrefix + key + docIDSuffix)
    }
}

/// The one place where SQLite and PostgreSQL differ for full-text search.
/// Everything else (filters, paging, loading records) is shared SQL built around `matches`.
public protocol SearchIndex: Sendable {
    /// Creates the index's tables, or brings an earlier layout of them up to date (keeping what they hold).
    func createSchema(on db: any SQLDatabase) async throws
    func dropSchema(on db: any SQLDatabase) async throws
    /// Adds or replaces documents.
    func upsert(_ docs: [SearchDocument], on db: any SQLDatabase) async throws
    func remove(ids: [UUID], on db: any SQLDatabase) async throws
    /// The documents of `kind` matching every word of `text`, and when `within` is given (a subquery of one
    /// column of document ids), only those among them; nil when `text` has no searchable words.
    func matches(kind: SearchKind, text: String, within: SQLQueryString?) -> SearchMatches?
}

extension SearchIndex {
    public func matches(kind: SearchKind, text: String) -> SearchMatches? { matches(kind: kind, text: text, within: nil) }
}

public enum SearchIndexes {
    /// The implementation for the database behind `db`.
    public static func forDatabase(_ db: any SQLDatabase) -> any SearchIndex {
        db.dialect.name == "postgresql" ? PostgresSearchIndex() : SQLiteFTSSearchIndex()
    }
}

/// SQLite FTS5. Text is analysed in Swift (`SwedishAnalyzer`) so that stemming matches PostgreSQL's
/// `swedish` configuration closely. Each kind has an FTS5 table of its own (`search_fts_organisation` …), keyed by
/// `search_keys.rowid`, so that a search reads only its kind's documents and never looks a match up in
/// `search_keys` to test its kind (one table for every kind did that for every match: a third of a broad search).
/// The tables keep their own copy of the analysed text (no `contentless_delete`, which needs SQLite 3.43), so
/// Debian's sqlite3 CLI can read them too.
public struct SQLiteFTSSearchIndex: SearchIndex {
    public init() {}

    /// The FTS5 table of `kind` (a name from code).
    static func table(_ kind: SearchKind) -> String { "search_fts_" + kind.rawValue }

    public func createSchema(on db: any SQLDatabase) async throws {
        try await db.raw("CREATE TABLE IF NOT EXISTS search_keys (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id BLOB NOT NULL UNIQUE)").run()
        for kind in SearchKind.allCases {
            try await db.raw("""
                CREATE VIRTUAL TABLE IF NOT EXISTS \(unsafeRaw: Self.table(kind)) USING fts5(
                    title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')
                """).run()
        }
        // The earlier layout: one FTS5 table for every kind. Its rows move to their kind's table as they are
        // (already analysed), under the same keys.
        let legacy = try await db.raw("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'").all()
        guard !legacy.isEmpty else { return }
        for kind in SearchKind.allCases {
            try await db.raw("""
                INSERT INTO \(unsafeRaw: Self.table(kind)) (rowid, title, body)
                SELECT f.rowid, f.title, f.body FROM search_fts f JOIN search_keys k ON k.rowid = f.rowid
                WHERE k.kind = \(bind: kind.rawValue)
                """).run()
        }
        try await db.raw("DROP TABLE search_fts").run()
    }

    public func dropSchema(on db: any SQLDatabase) async throws {
        for kind in SearchKind.allCases {
            try await db.raw("DROP TABLE IF EXISTS \(unsafeRaw: Self.table(kind))").run()
        }
        try await db.raw("DROP TABLE IF EXISTS search_fts").run()
        try await db.raw("DROP TABLE IF EXISTS search_keys").run()
    }

    public func upsert(_ docs: [SearchDocument], on db: any SQLDatabase) async throws {
        for chunk in docs.chunked(by: 200) {
            // A document indexed before leaves its (earlier) kind's table first.
            try await deleteTexts(of: chunk.map(\.id), on: db)
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
            for (kind, ofKind) in Dictionary(grouping: chunk, by: \.kind) {
                var insert = SQLQueryString("INSERT INTO \(unsafeRaw: Self.table(kind)) (rowid, title, body) VALUES ")
                var first = true
                for d in ofKind {
                    guard let rowid = rowids[d.id] else { continue }
                    let title = SwedishAnalyzer.indexText(SwedishAnalyzer.withCompoundParts(d.title))
                    let body = SwedishAnalyzer.indexText(SwedishAnalyzer.withCompoundParts(d.body))
                    insert += first ? "" : ", "
                    insert += "(\(bind: rowid), \(bind: title), \(bind: body))"
                    first = false
                }
                if !first { try await db.raw(insert).run() }
            }
        }
    }

    public func remove(ids: [UUID], on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        for chunk in ids.chunked(by: 500) {
            try await deleteTexts(of: Array(chunk), on: db)
            try await db.raw("DELETE FROM search_keys WHERE doc_id IN (\(binds: Array(chunk)))").run()
        }
    }

    /// Removes the indexed text of documents `ids` (at most a chunk's worth) from the table of the kind each was
    /// indexed as; their keys stay.
    private func deleteTexts(of ids: [UUID], on db: any SQLDatabase) async throws {
        let keys = try await db.raw("SELECT rowid, kind FROM search_keys WHERE doc_id IN (\(binds: ids))").all()
        var byKind: [SearchKind: [Int64]] = [:]
        for row in keys {
            guard let kind = SearchKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            byKind[kind, default: []].append(try row.decode(column: "rowid", as: Int64.self))
        }
        for (kind, rowids) in byKind {
            try await db.raw("DELETE FROM \(unsafeRaw: Self.table(kind)) WHERE rowid IN (\(binds: rowids))").run()
        }
    }

    /// FTS5 query: every stemmed word as a quoted prefix term (implicit AND).
    static func ftsQuery(_ text: String) -> String? {
        let terms = SwedishAnalyzer.terms(text)
        guard !terms.isEmpty else { return nil }
        return terms.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// The key is the FTS5 rowid; a document id is looked up in `search_keys` only for the rows a caller keeps.
    /// With `within`, each match's id is tested against that set (a set built once): on 300,000 organisations,
    /// joining every match to `organisations` and probing the filter's tables row by row took six times as long,
    /// and handing the set's keys to FTS5 as `rowid IN (…)` ran the whole match once per key.
    public func matches(kind: SearchKind, text: String, within: SQLQueryString?) -> SearchMatches? {
        guard let q = Self.ftsQuery(text) else { return nil }
        let table = Self.table(kind)
        var sql: SQLQueryString = """
            SELECT f.rowid AS key, bm25(\(unsafeRaw: table), 10.0, 1.0) AS rank
            FROM \(unsafeRaw: table) f WHERE \(unsafeRaw: table) MATCH \(bind: q)
            """
        var matches = SearchMatches(query: "", docIDPrefix: "(SELECT sk.doc_id FROM search_keys sk WHERE sk.rowid = ", docIDSuffix: ")")
        if let within {
            sql += " AND "
            sql += matches.docID("f.rowid")
            sql += " IN ("
            sql += within
            sql += ")"
        }
        matches.query = sql
        return matches
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

    /// The key is the document id.
    public func matches(kind: SearchKind, text: String, within: SQLQueryString?) -> SearchMatches? {
        guard let q = Self.tsQuery(text) else { return nil }
        var sql: SQLQueryString = """
            SELECT d.doc_id AS key, -ts_rank(d.tsv, q.query) AS rank
            FROM search_documents d, to_tsquery('swedish', \(bind: q)) AS q(query)
            WHERE d.kind = \(bind: kind.rawValue) AND d.tsv @@ q.query
            """
        if let within {
            sql += " AND d.doc_id IN ("
            sql += within
            sql += ")"
        }
        return SearchMatches(query: sql, docIDPrefix: "", docIDSuffix: "")
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
