import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// The hook through which other modules tell Grants which councils an organisation sits in on a day (Dialogue
/// registers the seats it keeps). Grants defines it, so the dependency points from Dialogue to Grants' hook, not back.
enum CouncilFacts {
    typealias Source = @Sendable (_ organisationID: UUID, _ on: LocalDate, _ db: any Database) async throws -> [String]
    static let sources = Hooks<Source>()
    static func register(_ key: String, _ s: @escaping Source) { sources.register(key, s) }
    static func councils(_ org: UUID, on day: LocalDate, db: any Database) async throws -> [String] {
        var out: [String] = []
        for s in sources.all { out += try await s(org, day, db) }
        return out
    }
}
