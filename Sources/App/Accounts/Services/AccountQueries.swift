import Fluent
import Foundation
import SamverkaRules

/// An account as other modules see it.
struct AccountRef: Sendable, Equatable {
    var id: UUID
    var name: String
    var email: String
    var isActive: Bool
}

/// What other modules may ask Accounts. They never read its tables: they call these and get plain values back.
enum AccountQueries {
    static func ref(_ u: User) -> AccountRef { AccountRef(id: u.id!, name: u.displayName, email: u.email, isActive: u.status == .active) }

    static func account(_ id: UUID, on db: any Database) async throws -> AccountRef? {
        try await User.find(id, on: db).map(ref)
    }

    static func exists(_ id: UUID, on db: any Database) async throws -> Bool {
        try await User.query(on: db).filter(\.$id == id).count() > 0
    }

    /// The active account of an e-mail address.
    static func activeAccount(email: String, on db: any Database) async throws -> AccountRef? {
        try await User.query(on: db).filter(\.$email == email.lowercased()).filter(\.$status == .active).first().map(ref)
    }

    /// Active accounts among `ids`, by name.
    static func activeAccounts(_ ids: [UUID], on db: any Database) async throws -> [AccountRef] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [] }
        return try await User.query(on: db).filter(\.$id ~~ unique).filter(\.$status == .active).sort(\.$name).all().map(ref)
    }

    /// Who holds one of `roles` in a public body (any of its units).
    static func holders(of roles: [Role], inBody bodyID: UUID, on db: any Database) async throws -> [UUID] {
        Array(Set(try await Membership.query(on: db).filter(\.$bodyID == bodyID).filter(\.$role ~~ roles).all().map(\.userID)))
    }

    /// The accounts that represent an organisation.
    static func representatives(of organisationID: UUID, on db: any Database) async throws -> [AccountRef] {
        let ids = try await Membership.query(on: db).filter(\.$organisationID == organisationID).filter(\.$role == .representative).all().map(\.userID)
        return try await activeAccounts(ids, on: db)
    }
}
