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

/// An agreement as the national overview sees it for one year.
struct AgreementYearFact: Sendable, Equatable {
    var id: UUID
    var ownerBodyIDs: [UUID]
    /// Some version was in force on some day of the year.
    var inForce: Bool
    /// Organisations that had signed and not withdrawn at the end of the year (or today, for this year).
    var signatories: Int
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

    /// Every agreement kept on the platform (public or not: the overview shows no titles) with whether it was in
    /// force during `year` and its signatories at the year's end.
    static func yearFacts(_ year: Int, today: LocalDate = .today(), on db: any Database) async throws -> [AgreementYearFact] {
        guard let start = LocalDate(year: year, month: 1, day: 1), let end = LocalDate(year: year, month: 12, day: 31) else { return [] }
        let asOf = min(end, max(start, today))
        var out: [AgreementYearFact] = []
        for a in try await Agreement.query(on: db).all() {
            guard let id = a.id else { continue }
            let versions = try await AgreementService.versions(id, on: db).map(\.facts)
            let inForce = AgreementRules.inForce(versions, from: start, to: end)
            var signed = 0
            if inForce {
                for s in try await AgreementSignatory.query(on: db).filter(\.$agreementID == id).all() {
                    guard let on = LocalDate.stored(s.signedOn), on <= asOf else { continue }
                    if let w = LocalDate.stored(s.withdrawnOn), w <= asOf { continue }
                    signed += 1
                }
            }
            out.append(AgreementYearFact(id: id, ownerBodyIDs: try await AgreementService.owners(id, on: db), inForce: inForce, signatories: signed))
        }
        return out
    }
}
