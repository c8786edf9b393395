import Fluent
import SQLKit
import SamverkaRules

/// Secret documents and agenda items carry the OSL provision (chapter and section) besides the reason, and a
/// document may have a secret title (the public list then shows a neutral one).
struct DialogueSecrecyMarkings: AsyncMigration {
    var name: String { "DL002_SecrecyMarkings" }

    func prepare(on db: any Database) async throws {
        try await db.schema("meeting_documents").field("secrecy_provision", .string, .required, .sql(.default(""))).update()
        try await db.schema("meeting_documents").field("title_secret", .bool, .required, .sql(.default(false))).update()
        try await db.schema("agenda_items").field("secrecy_provision", .string, .required, .sql(.default(""))).update()
    }

    /// The columns go with their tables when DL001 is reverted.
    func revert(on db: any Database) async throws {}
}
