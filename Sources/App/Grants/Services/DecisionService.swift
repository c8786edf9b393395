import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension GrantDecision: Auditable {
    static var auditEntityType: String { "grantDecision" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["applicationId": .string(applicationID.uuidString), "outcome": .string(outcome.rawValue), "amountOre": .int(amountOre),
                       "conditions": .string(conditions), "motivation": .string(motivation), "decidedOn": .string(decidedOn),
                       "decisionMaker": .string(decisionMaker), "delegationLevel": .string(delegationLevel.rawValue),
                       "diarienummer": .string(diarienummer), "replacesId": replacesID.map { .string($0.uuidString) } ?? .null],
                      personal: ["decisionMaker"])
    }
}

extension GrantPayment: Auditable {
    static var auditEntityType: String { "grantPayment" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["kind": .string(kind), "dueOn": .string(dueOn), "amountOre": .int(amountOre), "status": .string(status.rawValue),
                       "approvedOn": approvedOn.map { .string($0) } ?? .null, "paidOn": paidOn.map { .string($0) } ?? .null,
                       "approvedBy": approvedBy.map { .string($0.uuidString) } ?? .null, "paidBy": paidBy.map { .string($0.uuidString) } ?? .null])
    }
}

extension GrantReport: Auditable {
    static var auditEntityType: String { "grantReport" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["status": .string(status.rawValue), "dueOn": .string(dueOn), "actualCostsOre": actualCostsOre.map { .int($0) } ?? .null,
                       "narrative": .string(narrative), "reviewComment": .string(reviewComment)])
    }
}

extension GrantReclaim: Auditable {
    static var auditEntityType: String { "grantReclaim" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["amountOre": .int(amountOre), "reason": .string(reason), "dueOn": .string(dueOn), "status": .string(status.rawValue),
                       "repaidOn": repaidOn.map { .string($0) } ?? .null])
    }
}

/// Decisions and what follows from them: payments, the report obligation, reclaims.
enum DecisionService {
    /// The decision currently in force for an application (the latest not replaced by another).
    static func current(applicationID: UUID, on db: any Database) async throws -> GrantDecision? {
        let all = try await GrantDecision.query(on: db).filter(\.$applicationID == applicationID).all()
        let current = DecisionRules.current(all.map(\.entry))
        return all.first { $0.id == current }
    }

    /// Decides an application (or corrects an earlier decision with `replacesId`). Plans payments by the
    /// programme's model, creates the report obligation for granted money, and a reclaim when more has been
    /// (or will be) paid than decided.
    static func decide(_ b: DecisionBody, eurToSek: Double, in ctx: WriteContext) async throws -> GrantDecision {
        guard let raw = b.applicationId, let appID = UUID(uuidString: raw), let a = try await GrantApplication.find(appID, on: ctx.db) else {
            throw AppError.invalid(field: "applicationId", code: b.applicationId == nil ? "required" : "notFound")
        }
        let appBefore = a.auditSnapshot
        let (call, p) = try await ReviewService.programme(of: a, on: ctx.db)
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        var errors = FieldErrors()
        let outcome = DecisionOutcome(rawValue: b.outcome ?? "")
        if outcome == nil { errors.add("outcome", code: "oneOf", DecisionOutcome.allCases.map(\.rawValue).joined(separator: ", ")) }
        var amount = b.amountOre ?? 0
        if outcome == .rejected { amount = 0 }
        else if outcome != nil && (amount <= 0 || amount > Money.maxOre) { errors.add("amountOre", code: "range", "1", String(Money.maxOre)) }
        if outcome == .partly, let requested = a.requestedOre, amount >= requested { errors.add("amountOre", code: "partlyNotLess", Money.format(requested)) }
        let motivation = TextRules.paragraph(b.motivation, field: "motivation", max: 5000, required: true, errors: &errors)
        let conditions = TextRules.paragraph(b.conditions, field: "conditions", max: 5000, errors: &errors)
        let purpose = TextRules.line(b.purpose ?? call.title, field: "purpose", max: 300, required: true, errors: &errors)
        let decidedOn = TextRules.date(b.decidedOn ?? LocalDate.today().description, field: "decidedOn", required: true, errors: &errors)
        let maker = TextRules.line(b.decisionMaker ?? ctx.actor.displayName, field: "decisionMaker", max: 200, required: true, errors: &errors)
        let level = OrganisationRules.vocabulary(DecisionLevel.self, b.delegationLevel ?? p.decisionLevel.rawValue, field: "delegationLevel", errors: &errors)
        var diarie = TextRules.line(b.diarienummer, field: "diarienummer", max: 50, errors: &errors)
        var replaced: GrantDecision?
        if let r = b.replacesId, !r.isEmpty {
            guard let rid = UUID(uuidString: r), let old = try await GrantDecision.find(rid, on: ctx.db), old.applicationID == appID else {
                throw AppError.invalid(field: "replacesId", code: "notFound")
            }
            guard try await current(applicationID: appID, on: ctx.db)?.id == rid else { throw AppError.invalid(field: "replacesId", code: "alreadyReplaced") }
            replaced = old
        } else {
            guard a.status == .submitted || a.status == .underReview else {
                throw AppError(.conflict, a.status == .decided ? "Ansökan är redan beslutad; rätta beslutet i stället." : "Bara inskickade ansökningar kan beslutas.",
                               fields: [FieldError(field: "applicationId", code: a.status == .decided ? "alreadyDecided" : "notSubmitted")])
            }
        }
        // The decider's own jäv (förvaltningslagen 16–18 §§): declared "not jävig", and no tie to the applicant.
        let ties = try await JavService.ties(userID: ctx.actor.userID, application: a, on: ctx.db)
        switch JavRules.blocked(declared: b.jav, ties: ties) {
        case .javNotDeclared?: errors.add("jav", code: "deciderJavRequired")
        case .javDeclared?, .memberOfApplicant?:
            throw AppError(.forbidden, "Du är jävig i ärendet och kan inte besluta. Låt någon annan besluta.",
                           fields: [FieldError(field: "jav", code: "jav.\(ties.isEmpty ? "javDeclared" : "memberOfApplicant")")])
        case nil: break
        }
        if !diarie.isEmpty, !DiarieRules.typedNumberAllowed(diarie, ownNumber: a.diarienummer ?? replaced?.diarienummer) {
            errors.add("diarienummer", code: "diarienummerSeries", a.diarienummer ?? "")
        }
        try errors.throwIfAny()
        // De minimis per undertaking: a state-aid grant that would pass the ceiling needs a reason to go ahead.
        // A correction replaces the old decision, so the old amount does not count twice.
        let override = TextRules.paragraph(b.deMinimisOverride, field: "deMinimisOverride", max: 2000, errors: &errors)
        try errors.throwIfAny()
        if p.isStateAid, amount > 0, let day = decidedOn {
            let new = StateAidRules.Aid(id: UUID(), source: "grant", grantedOn: day, amount: amount, currency: "SEK")
            _ = try await StateAidRegister.checkCeiling(organisationID: a.organisationID, adding: new, override: override, defaultPerEuro: eurToSek,
                                                        excluding: replaced?.id, field: "amountOre", db: ctx.db)
        }
        if diarie.isEmpty {
            // The case's own number, given when the application was received; a case that has none is registered now.
            if let own = replaced?.diarienummer ?? a.diarienummer { diarie = own } else {
                diarie = try await DiarieSequence.next(bodyID: p.bodyID, year: LocalDate.today().year, on: ctx.sql)
                a.diarienummer = diarie
                a.registeredOn = LocalDate.today().description
            }
        }

        let d = GrantDecision()
        d.id = UUID()
        d.applicationID = appID
        d.programmeID = p.id!
        d.organisationID = a.organisationID
        d.year = call.year
        d.outcome = outcome!
        d.amountOre = amount
        d.conditions = conditions
        d.motivation = motivation
        d.purpose = purpose
        d.decidedOn = decidedOn!.description
        d.decisionMaker = maker
        d.decidedBy = ctx.actor.userID
        d.delegationLevel = level!
        d.deciderJav = false
        d.diarienummer = diarie
        d.replacesID = replaced?.id
        d.deMinimisOverride = override
        d.isStateAid = p.isStateAid
        d.isPublic = true
        try await d.create(on: ctx.db)
        ctx.audit(replaced == nil ? "decide" : "correct", d, id: d.id, before: replaced?.auditSnapshot)
        if a.status != .decided || a.hasChanges {
            a.status = .decided
            a.version += 1
            try await a.save(on: ctx.db)
            ctx.audit("update", a, id: a.id, before: appBefore)
        }

        // Money: what has been paid (or is approved) for this organisation in this programme and year stays;
        // planned payments of the replaced decision are cancelled and planned again.
        let existing = try await GrantPayment.query(on: ctx.db).filter(\.$programmeID == p.id!).filter(\.$organisationID == a.organisationID)
            .filter(\.$year == call.year).filter(\.$status != .cancelled).all()
        for pay in existing where pay.status == .planned && pay.kind != PlannedPayment.Kind.advance.rawValue {
            let before = pay.auditSnapshot
            pay.status = .cancelled
            try await pay.save(on: ctx.db)
            ctx.audit("cancel", pay, id: pay.id, before: before)
        }
        let committed = existing.filter { $0.status == .paid || $0.status == .approved || $0.kind == PlannedPayment.Kind.advance.rawValue }
            .reduce(0) { $0 + $1.amountOre }
        let (planned, reclaimOre) = p.paymentModel == .kalmar
            ? PaymentRules.schedule(model: .kalmar, decidedOre: amount, decidedOn: decidedOn!, year: call.year, advancePaidOre: committed)
            : PaymentRules.schedule(model: p.paymentModel, decidedOre: max(0, amount - committed), decidedOn: decidedOn!, year: call.year, instalments: p.instalments)
        for pp in planned {
            let pay = GrantPayment()
            pay.id = UUID()
            pay.programmeID = p.id!
            pay.organisationID = a.organisationID
            pay.year = call.year
            pay.decisionID = d.id
            pay.kind = pp.kind.rawValue
            pay.dueOn = pp.dueOn.description
            pay.amountOre = pp.amountOre
            pay.status = .planned
            pay.plannedBy = ctx.actor.userID
            pay.version = 1
            try await pay.create(on: ctx.db)
            ctx.audit("create", pay, id: pay.id, before: nil)
        }
        let overpaid = p.paymentModel == .kalmar ? reclaimOre : max(0, committed - amount)
        if overpaid > 0 {
            _ = try await createReclaim(decision: d, amountOre: overpaid, reason: "Utbetalt (förskott) överstiger beslutat belopp.",
                                        dueOn: decidedOn!.adding(days: 30), in: ctx)
        }
        // Report obligation for money granted.
        try await GrantReport.query(on: ctx.db).filter(\.$organisationID == a.organisationID).filter(\.$programmeID == p.id!)
            .filter(\.$year == call.year).filter(\.$status == .pending).delete()
        if amount > 0 {
            let r = GrantReport()
            r.id = UUID()
            r.decisionID = d.id!
            r.organisationID = a.organisationID
            r.programmeID = p.id!
            r.year = call.year
            r.dueOn = PaymentRules.reportDue(year: call.year, months: p.reportMonths).description
            r.status = .pending
            r.narrative = ""
            r.reviewComment = ""
            r.completionRequests = 0
            r.version = 1
            try await r.create(on: ctx.db)
            ctx.audit("create", r, id: r.id, before: nil)
        }
        try await GrantNotifications.decided(d, application: a, programme: p, in: ctx)
        return d
    }

    /// De minimis: state aid from this body to the organisation over three years, with `newOre` added.
    /// Decides several applications of one programme in the caller's transaction: all of them or none.
    static func decideBatch(programmeID: UUID, _ bodies: [DecisionBody], eurToSek: Double, in ctx: WriteContext) async throws -> [GrantDecision] {
        var out: [GrantDecision] = []
        for b in bodies {
            guard let a = b.applicationId.flatMap(UUID.init(uuidString:)), let app = try await GrantApplication.find(a, on: ctx.db),
                  let call = try await GrantCall.find(app.callID, on: ctx.db), call.programmeID == programmeID else {
                throw AppError.invalid(field: "applicationId", code: "notFound")
            }
            out.append(try await decide(b, eurToSek: eurToSek, in: ctx))
        }
        return out
    }

    /// The organisation's de minimis total (every body's state aid, declared aid, other modules' aid) with a proposed amount.
    static func deMinimis(organisationID: UUID, newOre: Int, on day: LocalDate, eurToSek: Double, db: any Database) async throws -> StateAidRules.Total {
        let new = newOre > 0 ? StateAidRules.Aid(id: UUID(), source: "grant", grantedOn: day, amount: newOre, currency: "SEK") : nil
        return try await StateAidRegister.total(organisationID, on: day, adding: new, defaultPerEuro: eurToSek, db: db)
    }

    // MARK: Payments

    /// Kalmar model: plans the January advances of `year` for every organisation granted money last year. Idempotent.
    static func planAdvances(programmeID: UUID, year: Int, in ctx: WriteContext) async throws -> [GrantPayment] {
        guard let p = try await GrantProgramme.find(programmeID, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        guard p.paymentModel == .kalmar else { throw AppError.invalid(field: "paymentModel", code: "notKalmar") }
        let last = try await GrantDecision.query(on: ctx.db).filter(\.$programmeID == programmeID).filter(\.$year == year - 1).all()
        let live = DecisionRules.inForce(last.map(\.entry))
        // Last year's grant = the sum of every decision in force for the organisation in the programme that year.
        var granted: [UUID: Int] = [:]
        for d in last where live.contains(d.id!) { granted[d.organisationID, default: 0] += d.amountOre }
        var created: [GrantPayment] = []
        for (organisationID, total) in granted.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard let adv = PaymentRules.kalmarAdvance(lastYearGrantedOre: total, year: year), adv.amountOre > 0 else { continue }
            let exists = try await GrantPayment.query(on: ctx.db).filter(\.$programmeID == programmeID).filter(\.$organisationID == organisationID)
                .filter(\.$year == year).filter(\.$kind == "advance").filter(\.$status != .cancelled).count()
            if exists > 0 { continue }
            let pay = GrantPayment()
            pay.id = UUID()
            pay.programmeID = programmeID
            pay.organisationID = organisationID
            pay.year = year
            pay.decisionID = nil
            pay.kind = "advance"
            pay.dueOn = adv.dueOn.description
            pay.amountOre = adv.amountOre
            pay.status = .planned
            pay.plannedBy = ctx.actor.userID
            pay.version = 1
            try await pay.create(on: ctx.db)
            ctx.audit("create", pay, id: pay.id, before: nil)
            created.append(pay)
        }
        return created
    }

    static func setPaymentStatus(_ id: UUID, to status: PaymentStatus, on date: LocalDate, in ctx: WriteContext) async throws -> GrantPayment {
        guard let pay = try await GrantPayment.find(id, on: ctx.db), let p = try await GrantProgramme.find(pay.programmeID, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        let allowed: [PaymentStatus: [PaymentStatus]] = [.planned: [.approved, .cancelled], .approved: [.paid, .planned], .paid: [], .cancelled: []]
        guard allowed[pay.status]?.contains(status) == true else {
            throw AppError(.conflict, "Betalningen kan inte gå från \(pay.status.rawValue) till \(status.rawValue).", fields: [FieldError(field: "status", code: "paymentTransition")])
        }
        // Separation of duties: the attester did not decide the grant, and the payer did not attest the payment.
        let relaxed = try await GrantSettingsService.relaxesSeparation(bodyID: p.bodyID, on: ctx.db)
        let decidedBy = try await pay.decisionID.asyncFlatMap { try await GrantDecision.find($0, on: ctx.db)?.decidedBy } ?? pay.plannedBy
        let conflict = status == .approved ? DutyRules.attest(actor: ctx.actor.userID, decidedBy: decidedBy, relaxed: relaxed)
            : status == .paid ? DutyRules.pay(actor: ctx.actor.userID, attestedBy: pay.approvedBy, relaxed: relaxed) : nil
        if let conflict {
            throw AppError(.forbidden, conflict == .attesterDecided ? "Den som beslutade om bidraget kan inte attestera utbetalningen." : "Den som attesterade utbetalningen kan inte betala ut den.",
                           fields: [FieldError(field: "status", code: "duty.\(conflict.rawValue)")])
        }
        let before = pay.auditSnapshot
        pay.status = status
        if status == .approved { pay.approvedOn = date.description; pay.approvedBy = ctx.actor.userID }
        if status == .paid { pay.paidOn = date.description; pay.paidBy = ctx.actor.userID }
        if status == .planned { pay.approvedOn = nil; pay.approvedBy = nil }
        pay.version += 1
        try await pay.save(on: ctx.db)
        ctx.audit("update", pay, id: pay.id, before: before)
        if status == .paid { try await GrantNotifications.paid(pay, in: ctx) }
        return pay
    }

    static func paymentDTOs(_ pays: [GrantPayment], on db: any Database) async throws -> [PaymentDTO] {
        let names = try await DirectoryQueries.organisationNames(Array(Set(pays.map(\.organisationID))), on: db)
        return pays.map { PaymentDTO(id: $0.id!, programmeId: $0.programmeID, organisationId: $0.organisationID, organisationName: names[$0.organisationID],
                                     year: $0.year, decisionId: $0.decisionID, kind: $0.kind, dueOn: $0.dueOn, amountOre: $0.amountOre,
                                     status: $0.status.rawValue, approvedOn: $0.approvedOn, paidOn: $0.paidOn, version: $0.version) }
    }


    // MARK: Reports

    static func submitReport(_ id: UUID, _ b: ReportBody, in ctx: WriteContext) async throws -> GrantReport {
        guard let r = try await GrantReport.find(id, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .grantsApply, .organisation(r.organisationID)) else { throw AppError.forbidden() }
        guard r.status == .pending || r.status == .completionRequested else {
            throw AppError(.conflict, "Redovisningen är redan inskickad.", fields: [FieldError(field: "status", code: "reportSubmitted")])
        }
        if let v = b.version, v != r.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let narrative = TextRules.paragraph(b.narrative, field: "narrative", max: 10_000, required: true, errors: &errors)
        guard let costs = b.actualCostsOre else { throw AppError.invalid(field: "actualCostsOre", code: "required") }
        if costs < 0 || costs > Money.maxOre { errors.add("actualCostsOre", code: "range", "0", String(Money.maxOre)) }
        try errors.throwIfAny()
        let before = r.auditSnapshot
        r.narrative = narrative
        r.actualCostsOre = costs
        r.status = .submitted
        r.submittedAt = Date()
        r.version += 1
        try await r.save(on: ctx.db)
        ctx.audit("submit", r, id: r.id, before: before)
        return r
    }

    static func reviewReport(_ id: UUID, approve: Bool, comment: String?, in ctx: WriteContext) async throws -> GrantReport {
        guard let r = try await GrantReport.find(id, on: ctx.db), let p = try await GrantProgramme.find(r.programmeID, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        guard r.status == .submitted else { throw AppError(.conflict, "Bara inskickade redovisningar kan granskas.", fields: [FieldError(field: "status", code: "reportNotSubmitted")]) }
        var errors = FieldErrors()
        let text = TextRules.paragraph(comment, field: "comment", max: 4000, required: !approve, errors: &errors)
        try errors.throwIfAny()
        let before = r.auditSnapshot
        r.status = approve ? .approved : .completionRequested
        if !approve { r.completionRequests += 1 }
        r.reviewComment = text
        r.reviewedBy = ctx.actor.userID
        r.version += 1
        try await r.save(on: ctx.db)
        ctx.audit(approve ? "approve" : "requestCompletion", r, id: r.id, before: before)
        if !approve { try await GrantNotifications.completionRequested(r, programme: p, in: ctx) }
        return r
    }

    static func reportDTOs(_ reports: [GrantReport], on db: any Database) async throws -> [ReportDTO] {
        let names = try await DirectoryQueries.organisationNames(Array(Set(reports.map(\.organisationID))), on: db)
        let today = LocalDate.today()
        return reports.map { r in
            ReportDTO(id: r.id!, decisionId: r.decisionID, organisationId: r.organisationID, organisationName: names[r.organisationID], programmeId: r.programmeID,
                      year: r.year, dueOn: r.dueOn, status: r.status.rawValue,
                      overdue: LocalDate(r.dueOn).map { CallRules.reportOverdue(dueOn: $0, status: r.status.rawValue, today: today) } ?? false,
                      actualCostsOre: r.actualCostsOre, narrative: r.narrative, reviewComment: r.reviewComment, version: r.version)
        }
    }

    // MARK: Reclaims

    static func createReclaim(decision: GrantDecision, amountOre: Int, reason: String, dueOn: LocalDate, in ctx: WriteContext) async throws -> GrantReclaim {
        let r = GrantReclaim()
        r.id = UUID()
        r.decisionID = decision.id!
        r.organisationID = decision.organisationID
        r.programmeID = decision.programmeID
        r.amountOre = amountOre
        r.reason = reason
        r.dueOn = dueOn.description
        r.status = .open
        r.createdBy = ctx.actor.userID
        r.version = 1
        try await r.create(on: ctx.db)
        ctx.audit("create", r, id: r.id, before: nil)
        try await GrantNotifications.reclaimDecided(r, decision: decision, in: ctx)
        return r
    }

    /// A reclaim decided by an official: full or partial, up to what has been paid.
    static func reclaim(_ b: ReclaimBody, in ctx: WriteContext) async throws -> GrantReclaim {
        guard let raw = b.decisionId, let id = UUID(uuidString: raw), let d = try await GrantDecision.find(id, on: ctx.db),
              let p = try await GrantProgramme.find(d.programmeID, on: ctx.db) else { throw AppError.invalid(field: "decisionId", code: b.decisionId == nil ? "required" : "notFound") }
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        var errors = FieldErrors()
        let reason = TextRules.paragraph(b.reason, field: "reason", max: 4000, required: true, errors: &errors)
        // Due in 30 days unless the official says otherwise.
        let due = TextRules.date(b.dueOn ?? LocalDate.today().adding(days: 30).description, field: "dueOn", required: true, errors: &errors)
        let paid = try await GrantPayment.query(on: ctx.db).filter(\.$programmeID == d.programmeID).filter(\.$organisationID == d.organisationID)
            .filter(\.$year == d.year).filter(\.$status == .paid).all().reduce(0) { $0 + $1.amountOre }
        let open = try await GrantReclaim.query(on: ctx.db).filter(\.$decisionID == id).filter(\.$status != .cancelled).all().reduce(0) { $0 + $1.amountOre }
        let amount = b.amountOre ?? 0
        if amount <= 0 || amount > max(0, paid - open) { errors.add("amountOre", code: "reclaimRange", Money.format(max(0, paid - open))) }
        try errors.throwIfAny()
        return try await createReclaim(decision: d, amountOre: amount, reason: reason, dueOn: due!, in: ctx)
    }

    static func setReclaimStatus(_ id: UUID, to status: ReclaimStatus, on date: LocalDate, in ctx: WriteContext) async throws -> GrantReclaim {
        guard let r = try await GrantReclaim.find(id, on: ctx.db), let p = try await GrantProgramme.find(r.programmeID, on: ctx.db) else { throw AppError.notFound() }
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        guard r.status == .open, status != .open else { throw AppError(.conflict, "Återkravet är redan avslutat.", fields: [FieldError(field: "status", code: "reclaimClosed")]) }
        let before = r.auditSnapshot
        r.status = status
        if status == .repaid { r.repaidOn = date.description }
        r.version += 1
        try await r.save(on: ctx.db)
        ctx.audit("update", r, id: r.id, before: before)
        return r
    }

    static func reclaimDTOs(_ rs: [GrantReclaim], on db: any Database) async throws -> [ReclaimDTO] {
        let names = try await DirectoryQueries.organisationNames(Array(Set(rs.map(\.organisationID))), on: db)
        return rs.map { ReclaimDTO(id: $0.id!, decisionId: $0.decisionID, organisationId: $0.organisationID, organisationName: names[$0.organisationID],
                                   amountOre: $0.amountOre, reason: $0.reason, dueOn: $0.dueOn, status: $0.status.rawValue, repaidOn: $0.repaidOn, version: $0.version) }
    }

    static func decisionDTOs(_ ds: [GrantDecision], on db: any Database) async throws -> [DecisionDTO] {
        let names = try await DirectoryQueries.organisationNames(Array(Set(ds.map(\.organisationID))), on: db)
        var replacedBy: [UUID: UUID] = [:]
        let ids = ds.compactMap(\.id)
        if !ids.isEmpty {
            for r in try await GrantDecision.query(on: db).filter(\.$replacesID ~~ ids).all() { replacedBy[r.replacesID!] = r.id }
        }
        var routes: [UUID: AppealRules.Route] = [:]
        let programmeIDs = Array(Set(ds.map(\.programmeID)))
        if !programmeIDs.isEmpty {
            let programmes = try await GrantProgramme.query(on: db).filter(\.$id ~~ programmeIDs).all()
            let kinds = try await StructureService.bodyKinds(Array(Set(programmes.map(\.bodyID))), on: db)
            for p in programmes { routes[p.id!] = AppealRules.route(bodyKind: kinds[p.bodyID] ?? "") }
        }
        return ds.map { d in
            DecisionDTO(id: d.id!, applicationId: d.applicationID, programmeId: d.programmeID, organisationId: d.organisationID,
                        organisationName: names[d.organisationID], year: d.year, outcome: d.outcome.rawValue, amountOre: d.amountOre,
                        conditions: d.conditions, motivation: d.motivation, purpose: d.purpose, decidedOn: d.decidedOn, decisionMaker: d.decisionMaker,
                        delegationLevel: d.delegationLevel.rawValue, diarienummer: d.diarienummer, replacesId: d.replacesID,
                        replacedById: replacedBy[d.id!], isStateAid: d.isStateAid, deciderJav: d.deciderJav,
                        appealRoute: (routes[d.programmeID] ?? .forvaltningslagen).rawValue)
        }
    }
}
