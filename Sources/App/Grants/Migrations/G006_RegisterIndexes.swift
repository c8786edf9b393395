import Fluent
import SQLKit

/// The public register lists decisions newest first, a page at a time, for all years or one: indexes in that
/// order let the database read just the page (1,000,000 decisions were sorted in memory for every page).
struct GrantsRegisterIndexes: AsyncMigration {
    var name: String { "G006_RegisterIndexes" }
    func prepare(on db: any Database) async throws {
        try await db.sql.raw("CREATE INDEX grant_decisions_register ON grant_decisions (decided_on, id)").run()
        try await db.sql.raw("CREATE INDEX grant_decisions_register_year ON grant_decisions (year, decided_on, id)").run()
    }
    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX grant_decisions_register").run()
        try await db.sql.raw("DROP INDEX grant_decisions_register_year").run()
    }
}
