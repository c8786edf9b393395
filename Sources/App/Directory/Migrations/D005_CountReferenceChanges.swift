import Fluent
import SamverkaRules

/// Makes every write to the reference data (areas, municipalities) count on the `reference` change counter,
/// which tells each node whether the vocabulary it keeps (`DirectoryVocabularyService`) is still current.
struct CountReferenceChanges: AsyncMigration {
    var name: String { "D005_CountReferenceChanges" }
    static let tables = ["areas", "municipalities"]

    func prepare(on db: any Database) async throws {
        try await ChangeCounters.install(ChangeCounters.reference, tables: Self.tables, randomStart: true, on: db)
    }

    func revert(on db: any Database) async throws {
        try await ChangeCounters.uninstall(ChangeCounters.reference, tables: Self.tables, on: db)
    }
}
