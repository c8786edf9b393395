import Fluent
import SamverkaRules

/// A report (redovisning) takes attachments: they are kept with the application's files, marked with the report.
struct GrantsReportAttachments: AsyncMigration {
    var name: String { "G005_ReportAttachments" }

    func prepare(on db: any Database) async throws {
        try await db.schema("grant_attachments").field("report_id", .uuid).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("grant_attachments").deleteField("report_id").update()
    }
}
