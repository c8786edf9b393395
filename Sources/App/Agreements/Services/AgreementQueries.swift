import Fluent
import Vapor
import SamverkaRules

/// An agreement in force, as other modules (the national overview, surveys) may know it.
struct AgreementInForce: Sendable, Equatable {
    var id: UUID
    var title: String
    var kind: AgreementKind
    var ownerBodyIDs: [UUID]
    var versionNumber: Int
    var inForceSince: LocalDate
}

/// Reads of the Agreements module for its own controllers and for other modules. "In force" is always
/// `AgreementRules.inForce`.
enum AgreementQueries {
    /// Agreements the principal may read, optionally of one owning body, optionally only those in force on a day.
    static func agreements(visibleTo p: Principal, bodyID: UUID?, inForceOn day: LocalDate?, on db: any Database) async throws -> [Agreement] {
        var q = Agreement.query(on: db).sort(\.$title)
        if let bodyID {
            let ids = try await AgreementOwner.query(on: db).filter(\.$bodyID == bodyID).all().map(\.agreementID)
            q = q.filter(\.$id ~~ ids)
        }
        var out: [Agreement] = []
        for a in try await q.all() where try await AgreementService.mayRead(a, p, on: db) {
            if let day, AgreementRules.inForce(try await AgreementService.versions(try a.requireID(), on: db).map(\.facts), on: day) == nil { continue }
            out.append(a)
        }
        return out
    }

    /// Every public agreement in force on `day` (for the overview per region and year).
    static func inForce(on day: LocalDate, db: any Database) async throws -> [AgreementInForce] {
        var out: [AgreementInForce] = []
        for a in try await Agreement.query(on: db).filter(\.$isPublic == true).all() {
            guard let id = a.id else { continue }
            let versions = try await AgreementService.versions(id, on: db).map(\.facts)
            guard let v = AgreementRules.inForce(versions, on: day), let since = AgreementRules.firstInForce(versions) else { continue }
            out.append(AgreementInForce(id: id, title: a.title, kind: a.kind, ownerBodyIDs: try await AgreementService.owners(id, on: db),
                                        versionNumber: v.number, inForceSince: since))
        }
        return out
    }
}
