import Fluent
import SQLKit
import SamverkaRules

/// The search index learned the parts of compound words ("Afasiföreningen" is found by "förening"): rebuild it once
/// so that records indexed before are found the same way.
struct IndexCompoundParts: AsyncMigration {
    var name: String { "D004_IndexCompoundParts" }

    func prepare(on db: any Database) async throws {
        // The index's tables as today's code writes them (D007 does the same for databases past this step).
        try await SearchIndexes.forDatabase(db.sql).createSchema(on: db.sql)
        try await DirectoryIndexer.reindexAll(on: db)
    }

    func revert(on db: any Database) async throws {}
}
