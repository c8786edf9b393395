import Fluent
import Vapor
import SamverkaRules

/// What waits for a body's officials in Partnerships, for the start page: each IOP on its way to an agreement at the
/// step it has reached (an initiative to take up, a joint analysis to finish, a legal assessment to make, a decision
/// to take, an agreement to write), and agreements in force that end within `endingWithinDays` (renew or end).
enum PartnershipTasks {
    static let endingWithinDays = 90

    @Sendable static func tasks(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        let bodies = p.officialBodyIDs
        guard !bodies.isEmpty else { return [] }
        let open: [PartnershipState] = [.initiative, .analysis, .assessment, .decision, .agreement, .active]
        let list = try await Partnership.query(on: db).filter(\.$bodyID ~~ bodies).filter(\.$state ~~ open).all()
            .filter { PartnershipService.mayManage($0, p) }
        guard !list.isEmpty else { return [] }
        let names = try await DirectoryQueries.organisationNames(Array(Set(list.map(\.organisationID))), on: db)
        var out: [TaskItem] = []
        for x in list {
            guard let id = x.id else { continue }
            if x.state == .active {
                guard let end = LocalDate.stored(x.periodTo), end <= today.adding(days: endingWithinDays) else { continue }
                out.append(TaskItem(kind: "partnerships.ending", title: x.title, href: "/partnerships/\(id)", context: names[x.organisationID],
                                    due: end, overdue: end < today))
            } else {
                out.append(TaskItem(kind: "partnerships.\(x.state.rawValue)", title: x.title, href: "/partnerships/\(id)",
                                    context: names[x.organisationID], due: nil, overdue: false))
            }
        }
        return out
    }
}
