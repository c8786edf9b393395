import Fluent
import Vapor
import SamverkaRules

/// One thing waiting for a person: an application to review, minutes to approve, a report to write.
struct TaskItem: Content, Sendable, Equatable {
    /// What kind of task (`grants.review`, `dialogue.minutes` …); its heading is `tasks.kind.<kind>`.
    var kind: String
    var title: String
    /// Where the action is done.
    var href: String
    /// What it belongs to (a programme, a forum, a body).
    var context: String?
    /// The day it is due, when there is one.
    var due: LocalDate?
    var overdue: Bool
    /// How many records the line stands for (a run of payments), when more than one record is summed up.
    var count: Int? = nil
}

/// The start page's "Att göra": every feature module contributes what waits for the principal (and only what they may
/// act on) through this hook; Accounts groups and shows it.
enum TaskService {
    typealias Provider = @Sendable (_ principal: Principal, _ today: LocalDate, _ db: any Database) async throws -> [TaskItem]
    static let providers = Hooks<Provider>()

    /// Every task, grouped in the order the modules registered, soonest due first within a kind.
    static func tasks(for p: Principal, today: LocalDate = .today(), on db: any Database) async throws -> [TaskItem] {
        guard p.isSignedIn else { return [] }
        var all: [TaskItem] = []
        for provider in providers.all { all += try await provider(p, today, db) }
        let order = Dictionary(all.enumerated().map { ($1.kind, $0) }, uniquingKeysWith: { a, _ in a })
        return all.sorted { a, b in
            if a.kind != b.kind { return (order[a.kind] ?? 0) < (order[b.kind] ?? 0) }
            switch (a.due, b.due) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return SwedishCollation.key(a.title) < SwedishCollation.key(b.title)
            }
        }
    }
}
