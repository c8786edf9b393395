import Fluent
import Vapor
import SamverkaRules

extension Partnership: Auditable {
    static var auditEntityType: String { "partnership" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "state": .string(state.rawValue), "isPublic": .bool(isPublic), "problemAnalysis": .string(problemAnalysis),
                       "goals": .string(goals), "indicators": .string(indicators), "contributions": .string(contributions), "answers": .string(answers),
                       "conclusion": .string(conclusion?.rawValue ?? ""), "assessedBy": .string(assessedBy), "overrideReason": .string(overrideReason),
                       "decisionOn": .string(decisionOn ?? ""), "decisionParagraph": .string(decisionParagraph), "decisionDiarienummer": .string(decisionDiarienummer),
                       "periodFrom": .string(periodFrom ?? ""), "periodTo": .string(periodTo ?? ""), "agreementText": .string(agreementText),
                       "deMinimis": .bool(deMinimis), "closedReason": .string(closedReason)])
    }
}

struct PartnershipBody: Content, Sendable {
    var bodyId: String?
    var organisationId: String?
    var title: String?
    var need: String?
    var targetGroup: String?
    var goal: String?
    var offer: String?
    var isPublic: Bool?
    var secrecyReason: String?
    /// The guide's answers, kept when an initiative starts from the guide.
    var answers: IOPQuestions?
    var problemAnalysis: String?
    var goals: [String]?
    var indicators: [String]?
    var contributions: [Contribution]?
    var decisionOrgan: String?
    var decisionOn: String?
    var decisionParagraph: String?
    var decisionDiarienummer: String?
    var periodFrom: String?
    var periodTo: String?
    var agreementText: String?
    var followUpPlan: String?
    var deMinimis: Bool?
    var version: Int?
}

struct AssessmentBody: Content, Sendable {
    var answers: IOPQuestions?
    var motivation: String?
    var overrideReason: String?
    var version: Int?
}

struct MoveBody: Content, Sendable {
    var to: String?
    var reason: String?
    /// Why the IOP goes ahead although its de minimis aid passes the ceiling.
    var deMinimisOverride: String?
    var version: Int?
}

struct FollowUpEntryBody: Content, Sendable {
    var day: String?
    var results: String?
    var text: String?
}

struct RenewBody: Content, Sendable {
    var periodFrom: String?
    var periodTo: String?
}

struct VerdictDTO: Content, Sendable {
    var conclusion: String
    var reasons: [String]
    var conditions: [String]
    var open: [String]
}

struct PartnershipFollowUpDTO: Content, Sendable {
    var id: UUID
    var day: String
    var results: String
    var text: String
}

struct PartnershipDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String
    var organisationId: UUID
    var organisationName: String
    var title: String
    var need: String
    var targetGroup: String
    var goal: String
    var offer: String
    var initiatedBy: String
    var isPublic: Bool
    var secrecyReason: String
    var state: String
    var nextState: String?
    var problemAnalysis: String
    var goals: [String]
    var indicators: [String]
    var contributions: [Contribution]
    var answers: IOPQuestions
    var verdict: VerdictDTO?
    var conclusion: String?
    var assessmentMotivation: String
    var assessedBy: String
    var assessedOn: String?
    var overrideReason: String
    var decisionOrgan: String
    var decisionOn: String?
    var decisionParagraph: String
    var decisionDiarienummer: String
    var periodFrom: String?
    var periodTo: String?
    var agreementText: String
    var followUpPlan: String
    var deMinimis: Bool
    var previousId: UUID?
    var closedOn: String?
    var closedReason: String
    var followUps: [PartnershipFollowUpDTO]
    var isDemo: Bool
    var version: Int
}

/// IOPs: an initiative from either side, moved one state at a time (`PipelineRules`) by the body's officials,
/// with the legal assessment (`IOPRules`) on the record; the de minimis aid they carry joins the organisation's
/// register (Grants' `StateAidRegister`).
enum PartnershipService {
    static func find(_ id: UUID, on db: any Database) async throws -> Partnership { try await Partnership.require(id, on: db) }

    static func scope(_ p: Partnership) -> ResourceScope { .body(p.bodyID, unitPath: []) }

    static func partnershipScope(_ req: Request) async throws -> ResourceScope {
        scope(try await find(try req.parameters.require("id", as: UUID.self), on: req.db))
    }

    static func mayManage(_ p: Partnership, _ who: Principal) -> Bool { Policy.allows(who, .partnershipsManage, scope(p)) }

    /// Public IOPs past the initiative for everyone; the rest for the body's officials, the organisation's
    /// representatives and analysts.
    static func mayRead(_ p: Partnership, _ who: Principal) -> Bool {
        if mayManage(p, who) || who.organisationIDs.contains(p.organisationID) || Policy.allows(who, .crossBodyRead) { return true }
        return p.isPublic && p.state != .initiative && p.state != .withdrawn
    }

    static func readable(_ id: UUID, _ who: Principal, on db: any Database) async throws -> Partnership {
        let p = try await find(id, on: db)
        guard mayRead(p, who) else { throw AppError.notFound() }
        return p
    }

    static func lines(_ raw: [String]?, field: String, errors: inout FieldErrors) -> [String]? {
        guard let raw else { return nil }
        if raw.count > 30 { errors.add(field, code: "tooMany", "30") }
        var out: [String] = []
        for (i, s) in raw.prefix(30).enumerated() {
            let v = TextRules.line(s, field: "\(field)[\(i)]", max: 300, errors: &errors)
            if !v.isEmpty { out.append(v) }
        }
        return out
    }

    // MARK: Initiative and content

    /// A new initiative: a representative for their own organisation, or an official for their body.
    static func propose(_ b: PartnershipBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> Partnership {
        var errors = FieldErrors()
        var bodyID: UUID?, orgID: UUID?
        if let raw = b.bodyId, let u = UUID(uuidString: raw), try await DirectoryQueries.bodyExists(u, on: ctx.db) { bodyID = u }
        else { errors.add("bodyId", code: b.bodyId == nil ? "required" : "notFound") }
        if let raw = b.organisationId, let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { orgID = u }
        else { errors.add("organisationId", code: b.organisationId == nil ? "required" : "notFound") }
        let title = TextRules.line(b.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let need = TextRules.paragraph(b.need, field: "need", max: 4000, required: true, errors: &errors)
        let target = TextRules.line(b.targetGroup, field: "targetGroup", max: 300, errors: &errors)
        let goal = TextRules.paragraph(b.goal, field: "goal", max: 4000, errors: &errors)
        let offer = TextRules.paragraph(b.offer, field: "offer", max: 4000, errors: &errors)
        let isPublic = b.isPublic ?? true
        let secrecy = TextRules.line(b.secrecyReason, field: "secrecyReason", max: 300, required: !isPublic, errors: &errors)
        try errors.throwIfAny()
        guard let bodyID, let orgID else { throw AppError.invalid(field: "bodyId", code: "required") }
        let asOrganisation = Policy.allows(ctx.actor, .partnershipsPropose, .organisation(orgID)) && !ctx.actor.isAdmin
        guard asOrganisation || Policy.allows(ctx.actor, .partnershipsPropose, .body(bodyID, unitPath: [])) else {
            throw AppError.forbidden(code: "proposeIOP")
        }
        let p = Partnership()
        p.id = UUID()
        p.bodyID = bodyID
        p.organisationID = orgID
        p.title = title
        p.need = need
        p.targetGroup = target
        p.goal = goal
        p.offer = offer
        p.initiatedBy = asOrganisation ? "organisation" : "body"
        p.isPublic = isPublic
        p.secrecyReason = isPublic ? "" : secrecy
        p.state = .initiative
        p.problemAnalysis = ""
        p.goals = "[]"
        p.indicators = "[]"
        p.contributions = "[]"
        p.answers = JSONText.encode(b.answers ?? IOPQuestions())
        p.assessmentMotivation = ""
        p.assessedBy = ""
        p.overrideReason = ""
        p.decisionOrgan = ""
        p.decisionParagraph = ""
        p.decisionDiarienummer = ""
        p.agreementText = ""
        p.followUpPlan = ""
        p.deMinimis = false
        p.deMinimisOverride = ""
        p.closedReason = ""
        p.isDemo = isDemo
        p.version = 1
        try await p.create(on: ctx.db)
        ctx.audit("propose", p, id: p.id, before: nil)
        return p
    }

    /// Changes the content the current state works on (analysis, decision, agreement …). Closed IOPs are read-only.
    static func update(_ id: UUID, _ b: PartnershipBody, in ctx: WriteContext) async throws -> Partnership {
        let p = try await find(id, on: ctx.db)
        guard mayManage(p, ctx.actor) else { throw AppError.forbidden() }
        guard !p.state.isClosed else { throw AppError(.conflict, "IOP:n är avslutad.", fields: [FieldError(field: "state", code: "partnershipClosed", args: [p.state.rawValue])]) }
        if let v = b.version, v != p.version { throw AppError.staleVersion() }
        // Moving to another body or organisation is not a change of content.
        if let raw = b.bodyId, raw != p.bodyID.uuidString, !raw.isEmpty { throw AppError.invalid(field: "bodyId", code: "fixed") }
        if let raw = b.organisationId, raw.uppercased() != p.organisationID.uuidString, !raw.isEmpty { throw AppError.invalid(field: "organisationId", code: "fixed") }
        var errors = FieldErrors()
        let title = TextRules.line(b.title ?? p.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let need = TextRules.paragraph(b.need ?? p.need, field: "need", max: 4000, required: true, errors: &errors)
        let target = TextRules.line(b.targetGroup ?? p.targetGroup, field: "targetGroup", max: 300, errors: &errors)
        let goal = TextRules.paragraph(b.goal ?? p.goal, field: "goal", max: 4000, errors: &errors)
        let offer = TextRules.paragraph(b.offer ?? p.offer, field: "offer", max: 4000, errors: &errors)
        let analysis = TextRules.paragraph(b.problemAnalysis ?? p.problemAnalysis, field: "problemAnalysis", max: 20_000, errors: &errors)
        let goals = lines(b.goals, field: "goals", errors: &errors)
        let indicators = lines(b.indicators, field: "indicators", errors: &errors)
        var contributions: [Contribution]?
        if let list = b.contributions {
            contributions = []
            for (i, c) in list.prefix(10).enumerated() {
                if c.party != "body" && c.party != "organisation" { errors.add("contributions[\(i)].party", code: "oneOf", "body, organisation") }
                if !(0...Money.maxOre / 100).contains(c.kronorPerYear) { errors.add("contributions[\(i)].kronorPerYear", code: "range", "0", String(Money.maxOre / 100)) }
                if !(0...1_000_000).contains(c.staffHoursPerYear) { errors.add("contributions[\(i)].staffHoursPerYear", code: "range", "0", "1000000") }
                if !(0...1_000_000).contains(c.volunteers) { errors.add("contributions[\(i)].volunteers", code: "range", "0", "1000000") }
                let premises = TextRules.line(c.premises, field: "contributions[\(i)].premises", max: 300, errors: &errors)
                let other = TextRules.line(c.other, field: "contributions[\(i)].other", max: 500, errors: &errors)
                contributions?.append(Contribution(party: c.party, kronorPerYear: c.kronorPerYear, staffHoursPerYear: c.staffHoursPerYear,
                                                   premises: premises, volunteers: c.volunteers, other: other))
            }
            if list.count > 10 { errors.add("contributions", code: "tooMany", "10") }
        }
        let organ = TextRules.line(b.decisionOrgan ?? p.decisionOrgan, field: "decisionOrgan", max: 200, errors: &errors)
        var decisionOn = p.decisionOn
        if let raw = b.decisionOn { decisionOn = raw.isEmpty ? nil : TextRules.date(raw, field: "decisionOn", errors: &errors)?.description }
        var paragraph = p.decisionParagraph
        if let raw = b.decisionParagraph { paragraph = raw.isEmpty ? "" : (AgreementRules.paragraph(raw, field: "decisionParagraph", errors: &errors) ?? "") }
        var diarie = p.decisionDiarienummer
        if let raw = b.decisionDiarienummer { diarie = AgreementRules.diarienummer(raw, field: "decisionDiarienummer", required: false, errors: &errors) ?? "" }
        var from = p.periodFrom, to = p.periodTo
        if let raw = b.periodFrom { from = raw.isEmpty ? nil : TextRules.date(raw, field: "periodFrom", errors: &errors)?.description }
        if let raw = b.periodTo { to = raw.isEmpty ? nil : TextRules.date(raw, field: "periodTo", errors: &errors)?.description }
        if let f = LocalDate.stored(from), let t = LocalDate.stored(to) {
            if t < f { errors.add("periodTo", code: "periodOrder") }
            if f.days(until: t) > 366 * 10 { errors.add("periodTo", code: "periodTooLong", "10") }
        }
        if let d = LocalDate.stored(decisionOn), d > .today() { errors.add("decisionOn", code: "inFuture") }
        let agreementText = TextRules.paragraph(b.agreementText ?? p.agreementText, field: "agreementText", max: 40_000, errors: &errors)
        let plan = TextRules.paragraph(b.followUpPlan ?? p.followUpPlan, field: "followUpPlan", max: 4000, errors: &errors)
        let isPublic = b.isPublic ?? p.isPublic
        let secrecy = TextRules.line(b.secrecyReason ?? p.secrecyReason, field: "secrecyReason", max: 300, required: !isPublic, errors: &errors)
        try errors.throwIfAny()
        let before = p.auditSnapshot
        p.title = title; p.need = need; p.targetGroup = target; p.goal = goal; p.offer = offer
        p.problemAnalysis = analysis
        if let goals { p.goals = JSONText.encode(goals) }
        if let indicators { p.indicators = JSONText.encode(indicators) }
        if let contributions { p.contributions = JSONText.encode(contributions) }
        p.decisionOrgan = organ; p.decisionOn = decisionOn; p.decisionParagraph = paragraph; p.decisionDiarienummer = diarie
        p.periodFrom = from; p.periodTo = to
        p.agreementText = agreementText
        p.followUpPlan = plan
        if let dm = b.deMinimis { p.deMinimis = dm }
        p.isPublic = isPublic
        p.secrecyReason = isPublic ? "" : secrecy
        p.version += 1
        try await p.save(on: ctx.db)
        ctx.audit("update", p, id: p.id, before: before)
        return p
    }

    /// The legal assessment: the questions answered, the conclusion they lead to, a reasoned motivation, the
    /// official's name; an override only with a reason.
    static func assess(_ id: UUID, _ b: AssessmentBody, today: LocalDate = .today(), in ctx: WriteContext) async throws -> Partnership {
        let p = try await find(id, on: ctx.db)
        guard mayManage(p, ctx.actor) else { throw AppError.forbidden() }
        guard p.state == .assessment else {
            throw AppError(.conflict, "Den rättsliga bedömningen görs i steget bedömning.", fields: [FieldError(field: "state", code: "notInAssessment", args: [p.state.rawValue])])
        }
        if let v = b.version, v != p.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        guard let answers = b.answers else { throw AppError.invalid(field: "answers", code: "required") }
        let motivation = TextRules.paragraph(b.motivation, field: "motivation", max: 10_000, required: true, errors: &errors)
        let override = TextRules.paragraph(b.overrideReason, field: "overrideReason", max: 4000, errors: &errors)
        try errors.throwIfAny()
        let verdict = IOPRules.assess(answers)
        let before = p.auditSnapshot
        p.answers = JSONText.encode(answers)
        p.conclusion = verdict.conclusion
        p.assessmentMotivation = motivation
        p.assessedBy = ctx.actor.displayName.isEmpty ? "Handläggare" : ctx.actor.displayName
        p.assessedOn = today.description
        p.overrideReason = override
        p.version += 1
        try await p.save(on: ctx.db)
        ctx.audit("assess", p, id: p.id, before: before)
        return p
    }

    /// Moves the IOP one state on (or closes it) when the state being left holds what it must. A representative may
    /// withdraw their own organisation's initiative; everything else is the body's officials'.
    static func move(_ id: UUID, _ b: MoveBody, eurToSek: Double, today: LocalDate = .today(), in ctx: WriteContext) async throws -> Partnership {
        let p = try await find(id, on: ctx.db)
        let manages = mayManage(p, ctx.actor)
        guard manages || ctx.actor.organisationIDs.contains(p.organisationID) else { throw AppError.forbidden() }
        guard let to = b.to.flatMap(PartnershipState.init(rawValue:)) else {
            throw AppError.invalid(field: "to", code: "oneOf", PartnershipState.rawValues.joined(separator: ", "))
        }
        // The organisation may withdraw its own initiative; everything else is the body's.
        guard manages || to == .withdrawn else { throw AppError.forbidden() }
        if let v = b.version, v != p.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let reason = TextRules.paragraph(b.reason, field: "reason", max: 4000, errors: &errors)
        PipelineRules.move(p.pipelineFacts, to: to, reason: reason, errors: &errors)
        try errors.throwIfAny()
        // Leaving the decision: de minimis aid that would pass the organisation's ceiling needs a reason.
        if p.state == .decision, to == .agreement, p.deMinimis, let aid = deMinimisAid(p) {
            _ = try await StateAidRegister.checkCeiling(organisationID: p.organisationID, adding: aid, override: b.deMinimisOverride, defaultPerEuro: eurToSek,
                                                        excluding: aid.id, field: "deMinimisOverride", db: ctx.db)
            p.deMinimisOverride = b.deMinimisOverride ?? ""
        }
        let before = p.auditSnapshot
        let from = p.state
        p.state = to
        if to.isClosed { p.closedOn = today.description; p.closedReason = reason }
        p.version += 1
        try await p.save(on: ctx.db)
        ctx.audit("move", p, id: p.id, before: before)
        ctx.auditSummary("transition", Partnership.auditEntityType, p.id?.uuidString ?? "", [("from", .string(from.rawValue)), ("to", .string(to.rawValue))])
        return p
    }

    static func addFollowUp(_ id: UUID, _ b: FollowUpEntryBody, today: LocalDate = .today(), in ctx: WriteContext) async throws -> PartnershipFollowUp {
        let p = try await find(id, on: ctx.db)
        guard mayManage(p, ctx.actor) else { throw AppError.forbidden() }
        guard p.state == .active else {
            throw AppError(.conflict, "Uppföljning görs när överenskommelsen gäller.", fields: [FieldError(field: "state", code: "notActive", args: [p.state.rawValue])])
        }
        var errors = FieldErrors()
        let day = TextRules.date(b.day ?? today.description, field: "day", required: true, errors: &errors)
        if let day, day > today { errors.add("day", code: "inFuture") }
        let results = TextRules.paragraph(b.results, field: "results", max: 10_000, required: true, errors: &errors)
        let text = TextRules.paragraph(b.text, field: "text", max: 10_000, errors: &errors)
        try errors.throwIfAny()
        let f = PartnershipFollowUp()
        f.id = UUID()
        f.partnershipID = try p.requireID()
        f.day = (day ?? today).description
        f.results = results
        f.text = text
        try await f.create(on: ctx.db)
        ctx.auditSummary("followUp", Partnership.auditEntityType, p.id?.uuidString ?? "", [("day", .string(f.day))])
        return f
    }

    /// Renewal: a new IOP for the next period, linked to this one, starting at the decision step with the analysis,
    /// contributions and assessment carried over (the decision and agreement are made again).
    static func renew(_ id: UUID, _ b: RenewBody, in ctx: WriteContext) async throws -> Partnership {
        let old = try await find(id, on: ctx.db)
        guard mayManage(old, ctx.actor) else { throw AppError.forbidden() }
        guard old.state == .active || old.state == .ended else {
            throw AppError(.conflict, "Bara en gällande eller avslutad IOP kan förnyas.", fields: [FieldError(field: "state", code: "notActive", args: [old.state.rawValue])])
        }
        var errors = FieldErrors()
        let from = TextRules.date(b.periodFrom, field: "periodFrom", required: true, errors: &errors)
        let to = TextRules.date(b.periodTo, field: "periodTo", required: true, errors: &errors)
        if let from, let to, to < from { errors.add("periodTo", code: "periodOrder") }
        if let from, let end = old.period?.to, from <= end { errors.add("periodFrom", code: "overlapsPeriod", end.description) }
        try errors.throwIfAny()
        let p = Partnership()
        p.id = UUID()
        p.bodyID = old.bodyID; p.organisationID = old.organisationID; p.title = old.title; p.need = old.need; p.targetGroup = old.targetGroup
        p.goal = old.goal; p.offer = old.offer; p.initiatedBy = old.initiatedBy; p.isPublic = old.isPublic; p.secrecyReason = old.secrecyReason
        p.state = .decision
        p.problemAnalysis = old.problemAnalysis; p.goals = old.goals; p.indicators = old.indicators; p.contributions = old.contributions
        p.answers = old.answers; p.conclusion = old.conclusion; p.assessmentMotivation = old.assessmentMotivation; p.assessedBy = old.assessedBy
        p.assessedOn = old.assessedOn; p.overrideReason = old.overrideReason
        p.decisionOrgan = ""; p.decisionParagraph = ""; p.decisionDiarienummer = ""
        p.periodFrom = from?.description; p.periodTo = to?.description
        p.agreementText = old.agreementText; p.followUpPlan = old.followUpPlan; p.deMinimis = old.deMinimis; p.deMinimisOverride = ""
        p.previousID = old.id; p.closedReason = ""; p.isDemo = old.isDemo; p.version = 1
        try await p.create(on: ctx.db)
        ctx.audit("renew", p, id: p.id, before: nil)
        return p
    }

    // MARK: State aid

    /// The de minimis aid an IOP carries: the body's kronor per year over the agreement's years, granted on the
    /// decision day.
    static func deMinimisAid(_ p: Partnership) -> StateAidRules.Aid? {
        guard p.deMinimis, let id = p.id, let period = p.period else { return nil }
        let kronor = p.contributionList.filter { $0.party == "body" }.reduce(0) { $0 + $1.kronorPerYear }
        guard kronor > 0 else { return nil }
        let years = max(1, Int((Double(period.from.days(until: period.to) + 1) / 365.25).rounded(.up)))
        return StateAidRules.Aid(id: id, source: "partnership", grantedOn: LocalDate.stored(p.decisionOn) ?? period.from, amount: kronor * 100 * years, currency: "SEK")
    }

    static func stateAid(organisationID: UUID, on db: any Database) async throws -> [StateAidEntry] {
        let list = try await Partnership.query(on: db).filter(\.$organisationID == organisationID).filter(\.$deMinimis == true)
            .filter(\.$state ~~ [.agreement, .active, .ended]).all()
        let names = try await DirectoryQueries.bodyNames(list.map(\.bodyID), on: db)
        return list.compactMap { p in
            deMinimisAid(p).map { StateAidEntry(aid: $0, authority: names[p.bodyID] ?? "", description: "IOP: \(p.title)", href: "/partnerships/\($0.id)") }
        }
    }

    // MARK: Reading

    static func list(visibleTo who: Principal, bodyID: UUID?, inForceOn day: LocalDate?, on db: any Database) async throws -> [Partnership] {
        var q = Partnership.query(on: db).sort(\.$title)
        if let bodyID { q = q.filter(\.$bodyID == bodyID) }
        return try await q.all().filter { p in
            guard mayRead(p, who) else { return false }
            if let day { return PipelineRules.inForce(state: p.state, period: p.period, on: day) }
            return true
        }
    }

    /// Every IOP kept on the platform (public or not: the overview counts, it names none) with whether it was in force
    /// during `year`.
    static func yearFacts(_ year: Int, on db: any Database) async throws -> [(bodyID: UUID, inForce: Bool)] {
        guard let start = LocalDate(year: year, month: 1, day: 1), let end = LocalDate(year: year, month: 12, day: 31) else { return [] }
        return try await Partnership.query(on: db).all().map { p in
            (p.bodyID, PipelineRules.inForce(state: p.state, period: p.period, closedOn: LocalDate.stored(p.closedOn), from: start, to: end))
        }
    }

    static func dto(_ p: Partnership, on db: any Database) async throws -> PartnershipDTO {
        let id = try p.requireID()
        let follow = try await PartnershipFollowUp.query(on: db).filter(\.$partnershipID == id).sort(\.$day).all()
        let verdict = IOPRules.assess(p.questions)
        return PartnershipDTO(
            id: id, bodyId: p.bodyID, bodyName: try await DirectoryQueries.body(p.bodyID, on: db)?.name ?? "", organisationId: p.organisationID,
            organisationName: try await DirectoryQueries.organisationNames([p.organisationID], on: db)[p.organisationID] ?? "",
            title: p.title, need: p.need, targetGroup: p.targetGroup, goal: p.goal, offer: p.offer, initiatedBy: p.initiatedBy, isPublic: p.isPublic,
            secrecyReason: p.secrecyReason, state: p.state.rawValue, nextState: p.state.next?.rawValue, problemAnalysis: p.problemAnalysis,
            goals: p.goalList, indicators: p.indicatorList, contributions: p.contributionList, answers: p.questions,
            verdict: VerdictDTO(conclusion: verdict.conclusion.rawValue, reasons: verdict.reasons, conditions: verdict.conditions, open: verdict.open),
            conclusion: p.conclusion?.rawValue, assessmentMotivation: p.assessmentMotivation, assessedBy: p.assessedBy, assessedOn: p.assessedOn,
            overrideReason: p.overrideReason, decisionOrgan: p.decisionOrgan, decisionOn: p.decisionOn, decisionParagraph: p.decisionParagraph,
            decisionDiarienummer: p.decisionDiarienummer, periodFrom: p.periodFrom, periodTo: p.periodTo, agreementText: p.agreementText,
            followUpPlan: p.followUpPlan, deMinimis: p.deMinimis, previousId: p.previousID, closedOn: p.closedOn, closedReason: p.closedReason,
            followUps: follow.compactMap { f in f.id.map { PartnershipFollowUpDTO(id: $0, day: f.day, results: f.results, text: f.text) } },
            isDemo: p.isDemo, version: p.version)
    }

    static func registerCSV(_ list: [Partnership], on db: any Database) async throws -> String {
        let w = CSVWriter()
        var out = CSVWriter.bom + w.row(["id", "myndighet", "organisation", "titel", "från", "till", "beslut", "diarienummer"])
        let bodies = try await DirectoryQueries.bodyNames(list.map(\.bodyID), on: db)
        let orgs = try await DirectoryQueries.organisationNames(list.map(\.organisationID), on: db)
        for p in list {
            out += w.row([p.id?.uuidString ?? "", bodies[p.bodyID] ?? "", orgs[p.organisationID] ?? "", p.title, p.periodFrom ?? "", p.periodTo ?? "",
                          [p.decisionOrgan, p.decisionOn ?? "", p.decisionParagraph].filter { !$0.isEmpty }.joined(separator: " "), p.decisionDiarienummer])
        }
        return out
    }
}
