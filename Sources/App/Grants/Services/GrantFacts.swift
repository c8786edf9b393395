import Fluent
import SQLKit
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
        let inRange = try await granted(programmes: ids, "d.decided_on >= \(bind: from.description) AND d.decided_on <= \(bind: to.description)", on: db)
        let yearsBefore = Array(Set(inRange.map { $0.year - 1 }))
        let before = yearsBefore.isEmpty ? [] : try await granted(programmes: ids, "d.year IN (\(binds: yearsBefore))", on: db)
        return GrantedRow.facts(inRange, yearBefore: before, from: from, to: to, kinds: kinds)
    }

    /// Granted decisions of the programmes that no correction replaces (a correction replaces the decision it names:
    /// only the last word counts), as plain rows, read by an index on the condition: a region may have decided
    /// hundreds of thousands over the years.
    private static func granted(programmes ids: [UUID], _ condition: SQLQueryString, on db: any Database) async throws -> [GrantedRow] {
        var q: SQLQueryString = """
            SELECT CAST(d.id AS TEXT) AS id, CAST(d.organisation_id AS TEXT) AS organisation_id, \
            CAST(d.programme_id AS TEXT) AS programme_id, d.year, d.amount_ore, d.decided_on FROM grant_decisions d \
            WHERE d.programme_id IN (\(binds: ids)) AND d.outcome <> \(bind: DecisionOutcome.rejected.rawValue) AND d.amount_ore > 0 \
            AND NOT EXISTS (SELECT 1 FROM grant_decisions c WHERE c.replaces_id = d.id)
            """
        q += " AND "
        q += condition
        return try await RowReader.rows(on: db, q) { r in
            GrantedRow(id: try r.uuid("id"), organisationID: try r.uuid("organisation_id"), programmeID: try r.uuid("programme_id"),
                       year: try r.requiredInt("year"), amountOre: try r.requiredInt("amount_ore"), decidedOn: LocalDate.stored(r.string("decided_on")))
        }
    }

    /// One granted decision as the facts need it.
    struct GrantedRow: Sendable {
        var id: UUID, organisationID: UUID, programmeID: UUID, year: Int, amountOre: Int, decidedOn: LocalDate?

        private struct Key: Hashable { var organisation: UUID, programme: UUID, year: Int }

        /// The rows decided in the range, each marked when the same organisation had a grant of the same programme the
        /// year before (among `yearBefore`: the grants of the years before theirs; one set lookup per row).
        static func facts(_ rows: [GrantedRow], yearBefore: [GrantedRow], from: LocalDate, to: LocalDate, kinds: [UUID: String]) -> [PrincipleFacts.Grant] {
            let years = Set(yearBefore.map { Key(organisation: $0.organisationID, programme: $0.programmeID, year: $0.year) })
            return rows.compactMap { d in
                guard let day = d.decidedOn, day >= from, day <= to else { return nil }
                return PrincipleFacts.Grant(decisionID: d.id, organisationID: d.organisationID, programmeID: d.programmeID, kind: kinds[d.programmeID] ?? "",
                                            amountOre: d.amountOre, decidedOn: day,
                                            continuesFromYearBefore: years.contains(Key(organisation: d.organisationID, programme: d.programmeID, year: d.year - 1)))
            }
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
