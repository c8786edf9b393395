import Fluent
import SQLKit

/// The search index's layout of today (`SearchIndex.createSchema` brings an earlier one up to date, keeping what
/// it holds). On SQLite that gives each kind of document an FTS5 table of its own, so that a search no longer
/// looks every match up in `search_keys` to test its kind; on PostgreSQL nothing changes.
struct SearchTablePerKind: AsyncMigration {
    var name: String { "D007_SearchTablePerKind" }

    func prepare(on db: any Database) async throws {
        try await SearchIndexes.forDatabase(db.sql).createSchema(on: db.sql)
    }

    /// The earlier layout is not rebuilt: D001's revert drops every table of the index.
    func revert(on db: any Database) async throws {}
}
