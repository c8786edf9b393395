import Fluent
import SamverkaRules

/// Makes every write to the organisation register count on the `directory` change counter, which tells
/// each node whether the organisation search answers it keeps are still current (`ResponseCache`).
struct CountDirectoryChanges: AsyncMigration {
    var name: String { "D003_CountDirectoryChanges" }
    static let tables = ["organisations", "organisation_areas", "organisation_municipalities"]

    func prepare(on db: any Database) async throws {
        try await ChangeCounters.install(ChangeCounters.directory, tables: Self.tables, on: db)
    }

    func revert(on db: any Database) async throws {
        try await ChangeCounters.uninstall(ChangeCounters.directory, tables: Self.tables, on: db)
    }
}
