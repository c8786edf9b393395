import Fluent
import Vapor
import SamverkaRules

/// What waits for a person in Agreements, for the start page: agreements in force in the county where their
/// organisation works that the organisation has not signed (or has withdrawn from), for those who may sign for it.
enum AgreementTasks {
    @Sendable static func tasks(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        let orgs = p.organisationIDs.filter { Policy.allows(p, .agreementsSign, .organisation($0)) }
        guard !orgs.isEmpty else { return [] }
        let inForce = try await AgreementQueries.inForce(on: today, db: db)
        guard !inForce.isEmpty else { return [] }
        let places = try await DirectoryQueries.placesAndAreas(orgs, on: db)
        let names = try await DirectoryQueries.organisationNames(orgs, on: db)
        let countyOf = try await DirectoryVocabularyService.load(on: db).countyByMunicipality
        let ownerCounties = try await DirectoryQueries.bodies(Array(Set(inForce.flatMap(\.ownerBodyIDs))), on: db).keyed { ($0.id, $0.countyCode) }
        var out: [TaskItem] = []
        for a in inForce {
            let counties = Set(a.ownerBodyIDs.compactMap { ownerCounties[$0] })
            let signed = try await SignatoryService.active(a.id, on: today, db: db)
            for org in orgs where !signed.contains(org) {
                let orgCounties = Set((places[org]?.municipalities ?? []).compactMap { countyOf[$0] })
                guard !counties.isDisjoint(with: orgCounties) else { continue }
                out.append(TaskItem(kind: "agreements.sign", title: a.title, href: "/agreements/\(a.id)/sign?organisation=\(org)",
                                    context: orgs.count > 1 ? names[org] : nil, due: nil, overdue: false))
            }
        }
        return out
    }
}
