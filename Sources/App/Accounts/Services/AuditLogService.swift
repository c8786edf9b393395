import Fluent
import Vapor
import SamverkaRules

/// Reading the audit log: filters, paging and who the actors were.
enum AuditLogService {
    struct Filter: Sendable {
        var entityType = "", entityID = "", action = "", actor = "", from = "", to = ""
        var pairs: [(String, String)] { [("entityType", entityType), ("entityId", entityID), ("action", action), ("actor", actor), ("from", from), ("to", to)] }
    }

    struct Result: Sendable {
        var total: Int
        var events: [AuditEvent]
        /// Display names of the accounts that acted, by id.
        var names: [UUID: String]
    }

    /// One page of events matching the filter, newest first.
    static func search(_ f: Filter, page: PageRequest, on db: any Database) async throws -> Result {
        var q = AuditEvent.query(on: db)
        if !f.entityType.isEmpty { q = q.filter(\.$entityType == f.entityType) }
        if !f.entityID.isEmpty { q = q.filter(\.$entityID == f.entityID) }
        if !f.action.isEmpty { q = q.filter(\.$action == f.action) }
        if !f.actor.isEmpty {
            let ids = try await AccountService.userIDs(emailContaining: f.actor, on: db)
            q = q.group(.or) { g in g.filter(\.$actorUserID ~~ ids).filter(\.$actorLabel == f.actor) }
        }
        if let d = LocalDate(f.from) { q = q.filter(\.$occurredAt >= d.description) }
        if let d = LocalDate(f.to) { q = q.filter(\.$occurredAt < d.adding(days: 1).description) }
        let total = try await q.count()
        let events = try await q.sort(\.$seq, .descending).range(page.offset..<(page.offset + page.per)).all()
        return Result(total: total, events: events, names: try await AccountService.displayNames(events.compactMap(\.actorUserID), on: db))
    }
}
