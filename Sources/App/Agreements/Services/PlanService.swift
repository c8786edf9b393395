import Fluent
import Vapor
import SamverkaRules

extension ActionPlan: Auditable {
    static var auditEntityType: String { "actionPlan" }
    var auditSnapshot: AuditSnapshot { AuditSnapshot(["title": .string(title), "periodFrom": .int(periodFrom), "periodTo": .int(periodTo)]) }
}

extension PlanActivity: Auditable {
    static var auditEntityType: String { "planActivity" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["area": .string(area), "title": .string(title), "description": .string(description), "ownerRoleId": .string(ownerRoleID?.uuidString ?? ""),
                       "partners": .string(partners), "dueOn": .string(dueOn ?? ""), "status": .string(status.rawValue), "principleKey": .string(principleKey),
                       "links": .string(links)])
    }
}

/// Action plans per period, their activities (area, owner contact role, partners, due date, status, links to the
/// records that carry them out) and dated progress notes.
enum PlanService {
    static func planScope(_ req: Request) async throws -> ResourceScope {
        let p = try await ActionPlan.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await AgreementService.scope(agreementID: p.agreementID, req.principal, on: req.db)
    }

    static func activityScope(_ req: Request) async throws -> ResourceScope {
        let a = try await PlanActivity.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        let p = try await ActionPlan.require(a.planID, on: req.db)
        return try await AgreementService.scope(agreementID: p.agreementID, req.principal, on: req.db)
    }

    static func plans(_ agreementID: UUID, on db: any Database) async throws -> [ActionPlan] {
        try await ActionPlan.query(on: db).filter(\.$agreementID == agreementID).sort(\.$periodFrom).all()
    }

    static func activities(planIDs: [UUID], on db: any Database) async throws -> [PlanActivity] {
        guard !planIDs.isEmpty else { return [] }
        return try await PlanActivity.query(on: db).filter(\.$planID ~~ planIDs).sort(\.$area).sort(\.$title).all()
    }

    static func savePlan(agreementID: UUID?, planID: UUID?, _ b: PlanBody, in ctx: WriteContext) async throws -> ActionPlan {
        let existing: ActionPlan? = try await planID.asyncFlatMap { try await ActionPlan.require($0, on: ctx.db) }
        guard let aid = existing?.agreementID ?? agreementID else { throw AppError.notFound() }
        _ = try await AgreementService.find(aid, on: ctx.db)
        try await AgreementService.requireManage(aid, ctx)
        if let existing, let v = b.version, v != existing.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let period = ActionPlanRules.period(from: b.periodFrom ?? existing?.periodFrom, to: b.periodTo ?? existing?.periodTo, errors: &errors)
        if let period {
            let others = try await plans(aid, on: ctx.db).filter { $0.id != existing?.id }.map { ($0.periodFrom, $0.periodTo) }
            if ActionPlanRules.overlaps(period, others: others) { errors.add("periodFrom", code: "planOverlaps") }
        }
        try errors.throwIfAny()
        guard let period else { throw AppError.invalid(field: "periodFrom", code: "required") }
        let p = existing ?? ActionPlan()
        let before = existing?.auditSnapshot
        if existing == nil { p.id = UUID(); p.agreementID = aid; p.version = 1 } else { p.version += 1 }
        p.title = title
        p.periodFrom = period.0
        p.periodTo = period.1
        try await p.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", p, id: p.id, before: before)
        return p
    }

    static func saveActivity(planID: UUID?, activityID: UUID?, _ b: ActivityBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> PlanActivity {
        let existing: PlanActivity? = try await activityID.asyncFlatMap { try await PlanActivity.require($0, on: ctx.db) }
        guard let pid = existing?.planID ?? planID else { throw AppError.notFound() }
        let plan = try await ActionPlan.require(pid, on: ctx.db)
        try await AgreementService.requireManage(plan.agreementID, ctx)
        if let existing {
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        let area = TextRules.line(b.area ?? existing?.area, field: "area", max: 200, required: true, errors: &errors)
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 300, required: true, min: 3, errors: &errors)
        let description = TextRules.paragraph(b.description ?? existing?.description, field: "description", max: 4000, errors: &errors)
        let owner = try await DirectoryQueries.resolveRole(b.ownerRoleId, existing: existing?.ownerRoleID, field: "ownerRoleId", errors: &errors, on: ctx.db)
        let partners = TextRules.line(b.partners ?? existing?.partners, field: "partners", max: 500, errors: &errors)
        var due = existing?.dueOn.flatMap(LocalDate.stored)
        if let raw = b.dueOn { due = raw.isEmpty ? nil : TextRules.date(raw, field: "dueOn", errors: &errors) }
        if let due, !(plan.periodFrom - 1...plan.periodTo + 1).contains(due.year) { errors.add("dueOn", code: "outsidePeriod", String(plan.periodFrom), String(plan.periodTo)) }
        var status = existing?.status ?? .planned
        if let raw = b.status {
            if let s = ActivityStatus.parse(raw) {
                if !ActionPlanRules.mayChange(from: status, to: s) { errors.add("status", code: "statusChange", status.rawValue, s.rawValue) }
                status = s
            } else { errors.add("status", code: "oneOf", ActivityStatus.rawValues.joined(separator: ", ")) }
        }
        let principle = TextRules.line(b.principleKey ?? existing?.principleKey, field: "principleKey", max: 40, errors: &errors)
        var links = existing?.linkList ?? []
        if let raw = b.links {
            links = []
            if raw.count > 50 { errors.add("links", code: "tooMany", "50") }
            for (i, l) in raw.prefix(50).enumerated() {
                guard let k = l.kind.flatMap(ActivityLinkKind.init(rawValue:)) else { errors.add("links[\(i)].kind", code: "oneOf", ActivityLinkKind.rawValues.joined(separator: ", ")); continue }
                guard let u = l.id.flatMap(UUID.init(uuidString:)) else { errors.add("links[\(i)].id", code: "uuid"); continue }
                // The record must exist (Partnerships and Surveys add their kinds when they come).
                let inDialogue = try await DialogueFacts.exists(kind: k.rawValue, id: u, on: ctx.db)
                let inGrants = try await GrantFacts.exists(kind: k.rawValue, id: u, on: ctx.db)
                let found = inDialogue || inGrants
                guard found else { errors.add("links[\(i)].id", code: "notFound"); continue }
                links.append(ActivityLink(kind: k, id: u))
            }
        }
        try errors.throwIfAny()
        let a = existing ?? PlanActivity()
        let before = existing?.auditSnapshot
        if existing == nil { a.id = UUID(); a.planID = pid; a.version = 1 } else { a.version += 1 }
        a.area = area
        a.title = title
        a.description = description
        a.ownerRoleID = owner
        a.partners = partners
        a.dueOn = due?.description
        a.status = status
        a.principleKey = principle
        a.links = JSONText.encode(links)
        try await a.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", a, id: a.id, before: before)
        return a
    }

    static func addNote(_ activityID: UUID, _ b: NoteBody, today: LocalDate = .today(), in ctx: WriteContext) async throws -> ActivityNote {
        let a = try await PlanActivity.require(activityID, on: ctx.db)
        let plan = try await ActionPlan.require(a.planID, on: ctx.db)
        try await AgreementService.requireManage(plan.agreementID, ctx)
        var errors = FieldErrors()
        let day = TextRules.date(b.writtenOn ?? today.description, field: "writtenOn", required: true, errors: &errors)
        if let day, day > today { errors.add("writtenOn", code: "inFuture") }
        let text = TextRules.paragraph(b.text, field: "text", max: 4000, required: true, errors: &errors)
        try errors.throwIfAny()
        let n = ActivityNote()
        n.id = UUID()
        n.activityID = activityID
        n.writtenOn = (day ?? today).description
        n.text = text
        try await n.create(on: ctx.db)
        ctx.auditSummary("note", PlanActivity.auditEntityType, activityID.uuidString, [("writtenOn", .string(n.writtenOn))])
        return n
    }

    static func dto(_ p: ActionPlan, today: LocalDate = .today(), on db: any Database) async throws -> ActionPlanDTO {
        let pid = try p.requireID()
        let acts = try await activities(planIDs: [pid], on: db)
        let ids = acts.compactMap(\.id)
        let notes = ids.isEmpty ? [] : try await ActivityNote.query(on: db).filter(\.$activityID ~~ ids).sort(\.$writtenOn).all()
        let roles = try await DirectoryQueries.roleTitles(acts.compactMap(\.ownerRoleID), on: db)
        return ActionPlanDTO(id: pid, agreementId: p.agreementID, title: p.title, periodFrom: p.periodFrom, periodTo: p.periodTo, activities: acts.compactMap { a in
            guard let id = a.id else { return nil }
            return ActivityDTO(id: id, planId: pid, area: a.area, title: a.title, description: a.description, ownerRoleId: a.ownerRoleID,
                               ownerRoleTitle: a.ownerRoleID.flatMap { roles[$0] }, partners: a.partners, dueOn: a.dueOn, status: a.status.rawValue,
                               isLate: ActionPlanRules.isLate(status: a.status, dueOn: a.dueOn.flatMap(LocalDate.stored), today: today),
                               principleKey: a.principleKey, links: a.linkList.map { ActivityLinkDTO(kind: $0.kind.rawValue, id: $0.id) },
                               notes: notes.filter { $0.activityID == id }.compactMap { n in n.id.map { ActivityNoteDTO(id: $0, writtenOn: n.writtenOn, text: n.text) } },
                               version: a.version)
        }, version: p.version)
    }
}
