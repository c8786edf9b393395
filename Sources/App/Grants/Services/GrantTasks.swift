import Fluent
import Vapor
import SamverkaRules

/// What waits for a person in Grants, for the start page: reviews assigned to them; applications to decide, payments
/// to attest or pay, reports to approve and reports overdue in the programmes they manage; and for an organisation's
/// representative its open calls, unsent drafts, reports owed and open reclaims. Only what the person may act on.
enum GrantTasks {
    @Sendable static func tasks(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        var out: [TaskItem] = []
        if let uid = p.userID { out += try await reviews(uid, db: db) }
        out += try await managed(p, today: today, db: db)
        out += try await applicant(p, today: today, db: db)
        return out
    }

    /// Reviews assigned and not done, unless the reviewer declared jäv.
    static func reviews(_ uid: UUID, db: any Database) async throws -> [TaskItem] {
        let open = try await GrantReview.query(on: db).filter(\.$reviewerID == uid).filter(\.$completedAt == nil).all().filter { $0.jav != true }
        guard !open.isEmpty else { return [] }
        let apps = try await GrantApplication.query(on: db).filter(\.$id ~~ open.map(\.applicationID)).all().byID
        let calls = try await GrantCall.query(on: db).filter(\.$id ~~ Array(Set(apps.values.map(\.callID)))).all().byID
        let names = try await DirectoryQueries.organisationNames(Array(Set(apps.values.map(\.organisationID))), on: db)
        return open.compactMap { r in
            guard let id = r.id, let a = apps[r.applicationID], a.status == .submitted || a.status == .underReview else { return nil }
            return TaskItem(kind: "grants.review", title: names[a.organisationID] ?? "", href: "/grants/reviews/\(id)",
                            context: [calls[a.callID]?.title, a.diarienummer].compactMap { $0 }.joined(separator: " · ").nilIfEmpty, due: nil, overdue: false)
        }
    }

    /// For those who manage programmes: decisions, attestation, payment, report review and overdue reports.
    static func managed(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        guard Policy.allows(p, .grantsManage) || p.isAdmin else { return [] }
        var programmes = try await GrantProgramme.query(on: db).all()
        if let ids = try await GrantQueries.managedProgrammeIDs(p, on: db) { programmes = programmes.filter { $0.id.map(ids.contains) ?? false } }
        var mine: [UUID: GrantProgramme] = [:]
        for prog in programmes where Policy.allows(p, .grantsManage, try await ProgrammeService.scope(prog, on: db)) { if let id = prog.id { mine[id] = prog } }
        guard !mine.isEmpty else { return [] }
        let ids = Array(mine.keys)
        var out: [TaskItem] = []

        let calls = try await GrantCall.query(on: db).filter(\.$programmeID ~~ ids).all().byID
        let pending = try await GrantApplication.query(on: db).filter(\.$callID ~~ Array(calls.keys)).filter(\.$status ~~ [.submitted, .underReview]).all()
        let reports = try await GrantReport.query(on: db).filter(\.$programmeID ~~ ids).filter(\.$status ~~ [.submitted, .pending, .completionRequested]).all()
        let names = try await DirectoryQueries.organisationNames(Array(Set(pending.map(\.organisationID) + reports.map(\.organisationID))), on: db)
        for a in pending {
            guard let id = a.id, let c = calls[a.callID] else { continue }
            out.append(TaskItem(kind: "grants.decide", title: names[a.organisationID] ?? "", href: "/grants/applications/\(id)/decide",
                                context: [c.title, a.diarienummer].compactMap { $0 }.joined(separator: " · "), due: nil, overdue: false))
        }
        // One line per programme and step: the run of payments, not each payment.
        let payments = try await GrantPayment.query(on: db).filter(\.$programmeID ~~ ids).filter(\.$status ~~ [.planned, .approved]).all()
        for (key, group) in Dictionary(grouping: payments, by: { PaymentKey(programme: $0.programmeID, status: $0.status) }) {
            guard let prog = mine[key.programme], let first = group.map(\.dueOn).min() else { continue }
            let attest = key.status == .planned
            let due = LocalDate(stored: first)
            out.append(TaskItem(kind: attest ? "grants.attest" : "grants.pay", title: prog.name,
                                href: "/grants/payments?programme=\(key.programme)&status=\(key.status.rawValue)",
                                context: Money.format(group.reduce(0) { $0 + $1.amountOre }),
                                due: due, overdue: due < today, count: group.count))
        }
        for r in reports {
            guard let id = r.id, let prog = mine[r.programmeID] else { continue }
            let due = LocalDate(stored: r.dueOn)
            if r.status == .submitted {
                out.append(TaskItem(kind: "grants.reportReview", title: names[r.organisationID] ?? "", href: "/grants/reports/\(id)",
                                    context: "\(prog.name) \(r.year)", due: nil, overdue: false))
            } else if NotificationRules.reportOverdue(dueOn: due, today: today) {
                out.append(TaskItem(kind: "grants.reportOverdue", title: names[r.organisationID] ?? "", href: "/grants/reports/\(id)",
                                    context: "\(prog.name) \(r.year)", due: due, overdue: true))
            }
        }
        return out
    }

    struct PaymentKey: Hashable { var programme: UUID; var status: PaymentStatus }

    /// For an organisation's representatives: calls open to it, drafts, reports owed, reclaims to repay.
    static func applicant(_ p: Principal, today: LocalDate, db: any Database) async throws -> [TaskItem] {
        let orgs = p.organisationIDs.filter { Policy.allows(p, .grantsApply, .organisation($0)) }
        guard !orgs.isEmpty else { return [] }
        var out: [TaskItem] = []
        let names = try await DirectoryQueries.organisationNames(orgs, on: db)
        let label: (UUID) -> String? = { orgs.count > 1 ? names[$0] : nil }
        let applications = try await GrantApplication.query(on: db).filter(\.$organisationID ~~ orgs).all()
        let open = try await GrantQueries.openCalls(on: today, db: db)
        let programmes = try await GrantProgramme.query(on: db).filter(\.$id ~~ Array(Set(open.map(\.programmeID)))).all().byID
        for c in open {
            guard let cid = c.id, let prog = programmes[c.programmeID] else { continue }
            for org in orgs where !applications.contains(where: { $0.callID == cid && $0.organisationID == org }) {
                let e = try await EligibilityService.evaluate(programme: prog, organisationID: org, callYear: c.year, on: db)
                // Only calls the organisation is known to qualify for; "cannot tell" (facts not recorded) is not a task.
                guard e.status == .pass else { continue }
                out.append(TaskItem(kind: "grants.call", title: c.title, href: "/grants/calls/\(cid)", context: label(org), due: c.closesOnDate, overdue: false))
            }
        }
        let drafts = applications.filter { $0.status == .draft }
        let draftCalls = try await GrantCall.query(on: db).filter(\.$id ~~ Array(Set(drafts.map(\.callID)))).all().byID
        for a in drafts {
            guard let id = a.id, let c = draftCalls[a.callID], c.closesOnDate >= today else { continue }
            out.append(TaskItem(kind: "grants.draft", title: c.title, href: "/grants/applications/\(id)/edit", context: label(a.organisationID),
                                due: c.closesOnDate, overdue: false))
        }
        let reports = try await GrantReport.query(on: db).filter(\.$organisationID ~~ orgs).filter(\.$status ~~ [.pending, .completionRequested]).all()
        let reportProgrammes = try await GrantProgramme.query(on: db).filter(\.$id ~~ Array(Set(reports.map(\.programmeID)))).all().byID
        for r in reports {
            guard let id = r.id else { continue }
            let due = LocalDate(stored: r.dueOn)
            out.append(TaskItem(kind: "grants.report", title: "\(reportProgrammes[r.programmeID]?.name ?? "") \(r.year)", href: "/grants/reports/\(id)",
                                context: label(r.organisationID), due: due, overdue: NotificationRules.reportOverdue(dueOn: due, today: today)))
        }
        for r in try await GrantReclaim.query(on: db).filter(\.$organisationID ~~ orgs).filter(\.$status == .open).all() {
            guard let id = r.id else { continue }
            let due = LocalDate(stored: r.dueOn)
            out.append(TaskItem(kind: "grants.reclaim", title: Money.format(r.amountOre), href: "/grants/reclaims/\(id)", context: label(r.organisationID),
                                due: due, overdue: due < today))
        }
        return out
    }

}
