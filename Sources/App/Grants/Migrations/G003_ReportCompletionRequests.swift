import Fluent
import SQLKit

/// How many times a report was sent back for completion (the kvalitet indicator counts reports approved without one).
/// Reports already waiting for completion count one.
struct GrantsReportCompletionRequests: AsyncMigration {
    var name: String { "G003_ReportCompletionRequests" }

    func prepare(on db: any Database) async throws {
        try await db.schema("grant_reports").field("completion_requests", .int, .required, .sql(.default(0))).update()
        try await db.sql.raw("UPDATE grant_reports SET completion_requests = 1 WHERE status = 'completionRequested'").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("grant_reports").deleteField("completion_requests").update()
    }
}
