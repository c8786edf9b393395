import Fluent
import SQLKit

/// The deleted organisations in an index of their own (a partial index: a few rows), so that a list's count can
/// leave them out of the filter's set without reading every organisation's row (`OrganisationQueries.listed`).
struct IndexDeletedOrganisations: AsyncMigration {
    var name: String { "D006_IndexDeletedOrganisations" }

    func prepare(on db: any Database) async throws {
        try await db.sql.raw("CREATE INDEX organisations_deleted ON organisations (id) WHERE deleted_at IS NOT NULL").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX organisations_deleted").run()
    }
}
