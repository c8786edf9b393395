import Fluent
import Vapor
import SamverkaRules

/// What feature modules keep about a person, contributed to Accounts' personal-data register, export and erasure.
/// Accounts defines the hook; Dialogue, Grants and the other feature modules register when they are registered.
struct PersonalDataContributor: Sendable {
    /// Lines of the register shown on /privacy.
    var entries: [PersonalDataRegister.Entry]
    /// Sections of the account's export: (key, value).
    var export: @Sendable (_ userID: UUID, _ email: String, _ db: any Database) async throws -> [(String, JSONValue)]
    /// Removes or pseudonymises the person's data (inside the erasure's transaction).
    var erase: @Sendable (_ userID: UUID, _ email: String, _ ctx: WriteContext) async throws -> Void
}

enum AccountHooks {
    static let personalData = Hooks<PersonalDataContributor>()

    /// A new account (invited or active) for an e-mail address: records kept for that address before the account
    /// existed (a council seat, a contact role) are linked to it, so the person sees them from the first sign-in.
    typealias AccountCreated = @Sendable (_ user: User, _ ctx: WriteContext) async throws -> Void
    static let accountCreated = Hooks<AccountCreated>()

    static func runAccountCreated(_ user: User, in ctx: WriteContext) async throws {
        for h in accountCreated.all { try await h(user, ctx) }
    }
}
