import Fluent
import Vapor
import SamverkaRules

extension FollowUpReport: Auditable {
    static var auditEntityType: String { "followUpReport" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["kind": .string(kind.rawValue), "title": .string(title), "periodFrom": .string(periodFrom), "periodTo": .string(periodTo),
                       "narrative": .string(narrative), "approvedOn": .string(approvedOn ?? ""), "diarienummer": .string(diarienummer)])
    }
}

/// Follow-up reports (annual to the committee, mid- and end-of-term to the board) and the principle dashboard:
/// figures from Dialogue and Grants through their fact types, frozen in the report when it is approved.
enum FollowUpService {
    static func reportScope(_ req: Request) async throws -> ResourceScope {
        let r = try await FollowUpReport.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await AgreementService.scope(agreementID: r.agreementID, req.principal, on: req.db)
    }

    /// A draft report only for the agreement's managers; an approved one for anyone who may read the agreement.
    static func readable(_ id: UUID, _ p: Principal, on db: any Database) async throws -> FollowUpReport {
        let r = try await FollowUpReport.require(id, on: db)
        _ = try await AgreementService.readable(r.agreementID, p, on: db)
        if r.approvedOn == nil, !(try await AgreementService.mayManage(r.agreementID, p, on: db)) { throw AppError.notFound() }
        return r
    }

    static func reports(_ agreementID: UUID, _ p: Principal, on db: any Database) async throws -> [FollowUpReport] {
        let all = try await FollowUpReport.query(on: db).filter(\.$agreementID == agreementID).sort(\.$periodFrom).all()
        if try await AgreementService.mayManage(agreementID, p, on: db) { return all }
        return all.filter { $0.approvedOn != nil }
    }

    /// The forums the agreement's figures count: its governance forums, or (without any) every forum of its owners.
    static func forumIDs(_ agreementID: UUID, owners: [UUID], on db: any Database) async throws -> [UUID] {
        let linked = try await AgreementForum.query(on: db).filter(\.$agreementID == agreementID).all().map(\.forumID)
        if !linked.isEmpty { return linked }
        return try await DialogueFacts.forums(ofBodies: owners, on: db).map(\.id)
    }

    static func figures(_ agreementID: UUID, from: LocalDate, to: LocalDate, today: LocalDate = .today(), on db: any Database) async throws -> FollowUpFigures {
        let owners = try await AgreementService.owners(agreementID, on: db)
        let forums = try await forumIDs(agreementID, owners: owners, on: db)
        let meetings = try await DialogueFacts.meetings(forumIDs: forums, from: from, to: to, on: db)
        let feedback = try await DialogueFacts.feedback(bodies: owners, from: from, to: to, today: today, on: db).rate
        let consultations = try await DialogueFacts.consultations(bodies: owners, from: from, to: to, on: db)
        let signatures = try await SignatoryService.all(agreementID, on: db).map(\.signature)
        let grants = try await GrantFacts.decisions(bodies: owners, from: from, to: to, on: db)
        // Grants to organisations that had signed on the day of the decision.
        let toSignatories = grants.filter { g in signatures.contains { $0.organisationID == g.organisationID && $0.isActive(on: g.decidedOn) } }
        let moves = FollowUpFigures.signatories(signatures, from: from, to: to)
        let plans = try await PlanService.plans(agreementID, on: db).filter { $0.periodFrom <= to.year && $0.periodTo >= from.year }
        let activities = try await PlanService.activities(planIDs: plans.compactMap(\.id), on: db)
        return FollowUpFigures(
            from: from.description, to: to.description,
            meetingsPlanned: meetings.count, meetingsHeld: meetings.filter(\.wasHeld).count,
            questionsJudged: feedback.judged, questionsAnsweredInTime: feedback.answeredInTime,
            consultations: consultations.count, consultationComments: consultations.reduce(0) { $0 + $1.comments },
            consultationCommentsHandled: consultations.reduce(0) { $0 + $1.commentsHandled },
            grantsToSignatories: toSignatories.count, grantsToSignatoriesOre: toSignatories.reduce(0) { $0 + $1.amountOre },
            signatoriesAtStart: moves.start, signatoriesJoined: moves.joined, signatoriesLeft: moves.left, signatoriesAtEnd: moves.end,
            activitiesPlanned: activities.filter { $0.status == .planned }.count, activitiesOngoing: activities.filter { $0.status == .ongoing }.count,
            activitiesDone: activities.filter { $0.status == .done }.count, activitiesCancelled: activities.filter { $0.status == .cancelled }.count)
    }

    static func save(agreementID: UUID?, reportID: UUID?, _ b: FollowUpBody, in ctx: WriteContext) async throws -> FollowUpReport {
        let existing: FollowUpReport? = try await reportID.asyncFlatMap { try await FollowUpReport.require($0, on: ctx.db) }
        guard let aid = existing?.agreementID ?? agreementID else { throw AppError.notFound() }
        _ = try await AgreementService.find(aid, on: ctx.db)
        try await AgreementService.requireManage(aid, ctx)
        if let existing {
            guard existing.approvedOn == nil else {
                throw AppError(.conflict, "Rapporten är godkänd och kan inte ändras.", fields: [FieldError(field: "status", code: "reportApproved")])
            }
            if let v = b.version, v != existing.version { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        var kind = existing?.kind ?? .annual
        if let raw = b.kind { if let k = FollowUpKind.parse(raw) { kind = k } else { errors.add("kind", code: "oneOf", FollowUpKind.rawValues.joined(separator: ", ")) } }
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let from = TextRules.date(b.periodFrom ?? existing?.periodFrom, field: "periodFrom", required: true, errors: &errors)
        let to = TextRules.date(b.periodTo ?? existing?.periodTo, field: "periodTo", required: true, errors: &errors)
        if let from, let to {
            if to < from { errors.add("periodTo", code: "periodOrder") }
            if from.days(until: to) > 366 * 5 { errors.add("periodTo", code: "periodTooLong", "5") }
        }
        let narrative = TextRules.paragraph(b.narrative ?? existing?.narrative, field: "narrative", max: 40_000, errors: &errors)
        try errors.throwIfAny()
        guard let from, let to else { throw AppError.invalid(field: "periodFrom", code: "required") }
        let r = existing ?? FollowUpReport()
        let before = existing?.auditSnapshot
        if existing == nil { r.id = UUID(); r.agreementID = aid; r.diarienummer = ""; r.version = 1 } else { r.version += 1 }
        r.kind = kind
        r.title = title
        r.periodFrom = from.description
        r.periodTo = to.description
        r.narrative = narrative
        try await r.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", r, id: r.id, before: before)
        return r
    }

    /// Approving freezes the figures as they are today: later changes to meetings, grants or signatures do not alter it.
    static func approve(_ id: UUID, _ b: FollowUpApprovalBody, today: LocalDate = .today(), in ctx: WriteContext) async throws -> FollowUpReport {
        let r = try await FollowUpReport.require(id, on: ctx.db)
        try await AgreementService.requireManage(r.agreementID, ctx)
        guard r.approvedOn == nil else {
            throw AppError(.conflict, "Rapporten är redan godkänd.", fields: [FieldError(field: "status", code: "reportApproved")])
        }
        if let v = b.version, v != r.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let day = TextRules.date(b.approvedOn ?? today.description, field: "approvedOn", required: true, errors: &errors)
        if let day, day > today { errors.add("approvedOn", code: "inFuture") }
        if let day, day < LocalDate(stored: r.periodFrom) { errors.add("approvedOn", code: "beforePeriod") }
        let diarie = AgreementRules.diarienummer(b.diarienummer, field: "diarienummer", required: true, errors: &errors)
        try errors.throwIfAny()
        guard let day, let diarie else { throw AppError.invalid(field: "approvedOn", code: "required") }
        let figures = try await figures(r.agreementID, from: LocalDate(stored: r.periodFrom), to: LocalDate(stored: r.periodTo), today: today, on: ctx.db)
        let before = r.auditSnapshot
        r.frozenFigures = JSONText.encode(figures)
        r.approvedOn = day.description
        r.diarienummer = diarie
        r.version += 1
        try await r.save(on: ctx.db)
        ctx.audit("approve", r, id: r.id, before: before)
        return r
    }

    static func dto(_ r: FollowUpReport, today: LocalDate = .today(), on db: any Database) async throws -> FollowUpDTO {
        let figures: FollowUpFigures
        if let frozen = r.frozenFigures, let f = try? JSONDecoder().decode(FollowUpFigures.self, from: Data(frozen.utf8)) { figures = f }
        else { figures = try await self.figures(r.agreementID, from: LocalDate(stored: r.periodFrom), to: LocalDate(stored: r.periodTo), today: today, on: db) }
        return FollowUpDTO(id: try r.requireID(), agreementId: r.agreementID, kind: r.kind.rawValue, title: r.title, periodFrom: r.periodFrom, periodTo: r.periodTo,
                           narrative: r.narrative, figures: figures, approved: r.approvedOn != nil, approvedOn: r.approvedOn, diarienummer: r.diarienummer, version: r.version)
    }

    static func csv(_ d: FollowUpDTO) -> String {
        let w = CSVWriter()
        var out = CSVWriter.bom + w.row(["Uppgift", "Värde"])
        out += w.row(["Rapport", d.title])
        for (label, value) in d.figures.rows { out += w.row([label, value], numeric: [1]) }
        if d.approved { out += w.row(["Godkänd", "\(d.approvedOn ?? "") \(d.diarienummer)"]) }
        return out
    }

    // MARK: Principle dashboard

    static func principleFacts(_ agreementID: UUID, year: Int, today: LocalDate, on db: any Database) async throws -> PrincipleFacts {
        let from = LocalDate.clamped(year: year, month: 1, day: 1), to = LocalDate.clamped(year: year, month: 12, day: 31)
        let owners = try await AgreementService.owners(agreementID, on: db)
        let forums = try await forumIDs(agreementID, owners: owners, on: db)
        let meetings = try await DialogueFacts.meetings(forumIDs: forums, from: from, to: to, on: db)
        let feedback = try await DialogueFacts.feedback(bodies: owners, from: from, to: to, today: today, on: db).rate
        let grants = try await GrantFacts.decisions(bodies: owners, from: from, to: to, on: db)
        let reports = try await GrantFacts.reports(bodies: owners, years: year...year, on: db)
        let seated = try await DialogueFacts.seatOrganisations(forumIDs: forums, from: from, to: to, on: db)
        let participants = try await DirectoryQueries.placesAndAreas(Array(seated.union(grants.map(\.organisationID))), on: db)
        let counties = Set(try await DirectoryQueries.bodies(owners, on: db).map(\.countyCode))
        var municipalities = 0
        for c in counties where !c.isEmpty { municipalities += try await DirectoryQueries.municipalityCount(countyCode: c, on: db) }
        // Only places inside the owners' counties count towards the spread.
        let inCounty = participants.mapValues { v in (municipalities: v.municipalities.filter { m in counties.contains { m.hasPrefix($0) } }, areas: v.areas) }
        return PrincipleFacts(meetings: meetings, feedback: feedback, grants: grants, reports: reports, participants: inCounty, municipalitiesInCounty: municipalities)
    }

    /// Every indicator for the year, with its definition, the counts behind it and the trend over the years since the
    /// agreement was first in force (at most six years back).
    static func indicators(_ agreementID: UUID, year: Int, today: LocalDate = .today(), on db: any Database) async throws -> IndicatorsDTO {
        let versions = try await AgreementService.versions(agreementID, on: db).map(\.facts)
        let firstYear = max(year - 5, AgreementRules.firstInForce(versions)?.year ?? year)
        var byYear: [Int: [IndicatorValue]] = [:]
        for y in min(firstYear, year)...year {
            byYear[y] = IndicatorCatalogue.compute(try await principleFacts(agreementID, year: y, today: today, on: db), today: today)
        }
        let current = byYear[year] ?? []
        let items = current.compactMap { v -> IndicatorDTO? in
            guard let d = IndicatorCatalogue.definition(v.key) else { return nil }
            let trend = byYear.keys.sorted().compactMap { y in
                byYear[y]?.first { $0.key == v.key }.map { IndicatorTrendDTO(year: y, value: $0.value, insufficient: $0.insufficient) }
            }
            return IndicatorDTO(key: v.key, principle: v.principle.rawValue, principleName: v.principle.name, name: d.name, definition: d.definition,
                                value: v.value, unit: v.unit.rawValue, numerator: v.numerator, denominator: v.denominator, insufficient: v.insufficient,
                                recordKind: d.recordKind, records: v.records, trend: trend)
        }
        return IndicatorsDTO(agreementId: agreementID, year: year, indicators: items)
    }
}
