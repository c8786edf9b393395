import Fluent
import Vapor

extension Model {
    /// The record with this id, or a 404 problem: for lookups of ids that came from a request.
    static func require(_ id: IDValue, on db: any Database) async throws -> Self {
        guard let found = try await find(id, on: db) else { throw AppError.notFound() }
        return found
    }
}
