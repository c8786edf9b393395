import Fluent
import Vapor
import SamverkaRules

/// Finds the ties between a person and an applicant that make the person jävig (`JavRules.Tie`): representing the
/// applicant or its parent organisations, holding one of their contact roles, or having declared jäv as a reviewer
/// of the same application. An admin's all-places permissions are not a tie; only what the person actually holds.
enum JavService {
    static func ties(userID: UUID?, application a: GrantApplication, on db: any Database) async throws -> [JavRules.Tie] {
        guard let userID else { return [] }
        var out: [JavRules.Tie] = []
        let chain = try await OrganisationService.organisationAncestors(of: a.organisationID, on: db)
        let parents = Array(chain.dropFirst())
        let represented = Set(try await AccountService.grants(for: userID, on: db).filter { $0.role == .representative }.compactMap(\.organisationID))
        if represented.contains(a.organisationID) { out.append(.representsApplicant) }
        if parents.contains(where: represented.contains) { out.append(.representsParent) }
        let email = try await AccountQueries.account(userID, on: db)?.email
        let held = try await RoleService.rolesHeld(userID: userID, email: email, organisationIDs: chain, db: db)
        if held.contains(where: { $0.organisationID == a.organisationID }) { out.append(.holdsApplicantRole) }
        if held.contains(where: { $0.organisationID.map(parents.contains) ?? false }) { out.append(.holdsParentRole) }
        if let aid = a.id, try await GrantReview.query(on: db).filter(\.$applicationID == aid).filter(\.$reviewerID == userID).filter(\.$jav == true).count() > 0 {
            out.append(.declaredAsReviewer)
        }
        return out
    }
}
