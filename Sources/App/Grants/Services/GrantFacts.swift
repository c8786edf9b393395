import Fluent
import Vapor
import SamverkaRules

/// What other modules (Agreements' follow-up and principle dashboard, the overview) may read of Grants: plain facts
/// about decisions and reports of the given bodies' programmes, never Grants' models.
enum GrantFacts {
    /// Granted decisions (amount above zero) of the bodies' programmes, decided in the date range.
    static func decisions(bodies: [UUID], from: LocalDate, to: LocalDate, on db: any Database) async throws -> [PrincipleFacts.Grant] {
        guard !bodies.isEmpty else { return [] }
        let programmes = try await GrantProgramme.query(on: db).filter(\.$bodyID ~~ bodies).all()
        let ids = programmes.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let kinds = Dictionary(uniqueKeysWithValues: programmes.compactMap { p in p.id.map { ($0, p.kind.rawValue) } })
        let all = try await GrantDecision.query(on: db).filter(\.$programmeID ~~ ids).all()
        // A correction replaces the decision it names: only the last word counts.
        let replaced = Set(all.compactMap(\.replacesID))
        let granted = all.filter { $0.outcome != .rejected && $0.amountOre > 0 && !replaced.contains($0.id ?? UUID()) }
        let inRange = granted.filter { d in LocalDate.stored(d.decidedOn).map { $0 >= from && $0 <= to } ?? false }
        return inRange.compactMap { d in
            guard let id = d.id, let day = LocalDate.stored(d.decidedOn) else { return nil }
            let continues = granted.contains { $0.organisationID == d.organisationID && $0.programmeID == d.programmeID && $0.year == d.year - 1 }
            return PrincipleFacts.Grant(decisionID: id, organisationID: d.organisationID, programmeID: d.programmeID, kind: kinds[d.programmeID] ?? "",
                                        amountOre: d.amountOre, decidedOn: day, continuesFromYearBefore: continues)
        }
    }

    /// Reports of the bodies' programmes for grant years in the range, with how often each was sent back.
    static func reports(bodies: [UUID], years: ClosedRange<Int>, on db: any Database) async throws -> [PrincipleFacts.Report] {
        guard !bodies.isEmpty else { return [] }
        let ids = try await GrantProgramme.query(on: db).filter(\.$bodyID ~~ bodies).all().compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let rs = try await GrantReport.query(on: db).filter(\.$programmeID ~~ ids)
            .filter(\.$year >= years.lowerBound).filter(\.$year <= years.upperBound).all()
        return rs.compactMap { r in r.id.map { PrincipleFacts.Report(id: $0, approved: r.status == .approved, completionRequests: r.completionRequests) } }
    }

    /// The bodies' programmes as (id, name), for pickers in other modules.
    static func programmeChoices(bodies: [UUID], on db: any Database) async throws -> [(id: UUID, label: String)] {
        guard !bodies.isEmpty else { return [] }
        return try await GrantProgramme.query(on: db).filter(\.$bodyID ~~ bodies).sort(\.$name).all().compactMap { p in p.id.map { ($0, p.name) } }
    }

    /// The bodies among `bodies` that run at least one grant programme on the platform.
    static func bodiesWithProgrammes(_ bodies: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard !bodies.isEmpty else { return [] }
        return Set(try await GrantProgramme.query(on: db).filter(\.$bodyID ~~ bodies).all().map(\.bodyID))
    }

    /// Whether a Grants record of this kind exists (for links from other modules).
    static func exists(kind: String, id: UUID, on db: any Database) async throws -> Bool {
        switch kind {
        case "grantProgramme": return try await GrantProgramme.find(id, on: db) != nil
        case "grantDecision": return try await GrantDecision.find(id, on: db) != nil
        default: return false
        }
    }
}
