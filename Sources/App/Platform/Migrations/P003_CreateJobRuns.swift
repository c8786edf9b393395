import Fluent
import SQLKit
import SamverkaRules

struct CreateJobRuns: AsyncMigration {
    var name: String { "P003_CreateJobRuns" }
    func prepare(on database: any Database) async throws {
        try await database.schema("job_runs").field("name", .string, .identifier(auto: false)).field("last_run_at", .string, .required).create()
    }
    func revert(on database: any Database) async throws { try await database.schema("job_runs").delete() }
}
