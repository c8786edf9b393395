import Fluent
import Vapor
import SamverkaRules

/// IOP pages: the register and pipeline, the guide "IOP, bidrag eller upphandling?", one IOP with what its state
/// needs, the forms that move it on, and the register of reserved procurements.
enum PartnershipPages {
    static func register(_ site: Router) {
        let manage = Access.scoped(.partnershipsManage, PartnershipService.partnershipScope)
        site.get("partnerships", access: .anyone, use: index)
        site.get("partnerships", "guide", access: .anyone, use: guide)
        site.get("partnerships", "new", access: .permission(.partnershipsPropose), use: newForm)
        site.post("partnerships", "new", access: .permission(.partnershipsPropose), use: create)
        site.get("partnerships", ":id", access: .anyone, use: show)
        site.get("partnerships", ":id", "edit", access: manage, use: editForm)
        site.post("partnerships", ":id", "edit", access: manage, use: update)
        site.get("partnerships", ":id", "assessment", access: manage, use: assessmentForm)
        site.post("partnerships", ":id", "assessment", access: manage, use: assess)
        site.get("partnerships", ":id", "move", access: .record("partnershipMover"), use: moveForm)
        site.post("partnerships", ":id", "move", access: .record("partnershipMover"), use: move)
        site.get("partnerships", ":id", "follow-ups", "new", access: manage, use: followUpForm)
        site.post("partnerships", ":id", "follow-ups", "new", access: manage, use: addFollowUp)
        site.get("partnerships", ":id", "renew", access: manage, use: renewForm)
        site.post("partnerships", ":id", "renew", access: manage, use: renew)
        site.get("reserved-procurements", access: .anyone, use: procurements)
        site.get("reserved-procurements", "new", access: .permission(.partnershipsManage), use: newProcurement)
        site.post("reserved-procurements", "new", access: .permission(.partnershipsManage), use: createProcurement)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }
    static func day(_ raw: String?, _ req: Request) -> String { raw.flatMap(LocalDate.stored).map { $0.formatted(req.language.rawValue) } ?? "" }
    static func status(_ errors: [FieldError]) -> HTTPStatus { errors.isEmpty ? .ok : .unprocessableEntity }

    static func submit<F: Decodable & Sendable>(_ req: Request, _ type: F.Type, form: @escaping (F, [FieldError]) async throws -> Response,
                                               _ act: @escaping @Sendable (F, WriteContext) async throws -> String) async throws -> Response {
        let f = try req.decodeForm(F.self)
        do {
            let to = try await req.write { ctx in try await act(f, ctx) }
            return req.redirect(to: to, flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await form(f, $0) } }
    }

    // MARK: Lists

    struct Row: Encodable, Sendable { var href: String; var title: String; var detail: String }

    @Sendable static func index(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable { var inForce: [Row]; var hasInForce: Bool; var pipeline: [Row]; var hasPipeline: Bool; var canPropose: Bool; var today: String }
        let today = LocalDate.today()
        let all = try await PartnershipService.list(visibleTo: req.principal, bodyID: try req.uuidParameter("body"), inForceOn: nil, on: req.db)
        let bodies = try await DirectoryQueries.bodyNames(all.map(\.bodyID), on: req.db)
        let orgs = try await DirectoryQueries.organisationNames(all.map(\.organisationID), on: req.db)
        func row(_ p: Partnership) -> Row? {
            p.id.map { Row(href: "/partnerships/\($0)", title: p.title, detail: [orgs[p.organisationID] ?? "", bodies[p.bodyID] ?? "", req.label(PartnershipState.self, p.state.rawValue),
                                                                           p.period.map { "\($0.from.formatted(req.language.rawValue))–\($0.to.formatted(req.language.rawValue))" } ?? ""]
                                                                         .filter { !$0.isEmpty }.joined(separator: " · ")) }
        }
        let inForce = all.filter { PipelineRules.inForce(state: $0.state, period: $0.period, on: today) }.compactMap(row)
        let pipeline = all.filter { !PipelineRules.inForce(state: $0.state, period: $0.period, on: today) }.compactMap(row)
        return try await req.page("partnerships/index", title: req.t("partnerships.title"), Data(
            inForce: inForce, hasInForce: !inForce.isEmpty, pipeline: pipeline, hasPipeline: !pipeline.isEmpty,
            canPropose: Policy.allows(req.principal, .partnershipsPropose), today: today.formatted(req.language.rawValue)))
    }

    // MARK: Guide

    struct Question: Encodable, Sendable { var key: String; var label: String; var hint: String; var options: [Option] }
    struct Option: Encodable, Sendable { var value: String; var label: String; var checked: Bool; var id: String }

    static func questionViews(_ q: IOPQuestions, _ req: Request) -> [Question] {
        IOPQuestions.keys.map { key in
            Question(key: key, label: req.t("guide.q.\(key)"), hint: req.t("guide.h.\(key)"), options: IOPAnswer.allCases.map { a in
                Option(value: a.rawValue, label: req.t("guide.answer.\(a.rawValue)"), checked: q[key] == a, id: "q-\(key)-\(a.rawValue)")
            })
        }
    }

    struct VerdictView: Encodable, Sendable {
        var conclusion: String; var explanation: String; var reasons: [String]; var conditions: [String]; var open: [String]
        var hasReasons: Bool { !reasons.isEmpty }
        var hasConditions: Bool { !conditions.isEmpty }
        var hasOpen: Bool { !open.isEmpty }
        enum CodingKeys: String, CodingKey { case conclusion, explanation, reasons, conditions, open, hasReasons, hasConditions, hasOpen }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(conclusion, forKey: .conclusion); try c.encode(explanation, forKey: .explanation); try c.encode(reasons, forKey: .reasons)
            try c.encode(conditions, forKey: .conditions); try c.encode(open, forKey: .open); try c.encode(hasReasons, forKey: .hasReasons)
            try c.encode(hasConditions, forKey: .hasConditions); try c.encode(hasOpen, forKey: .hasOpen)
        }
    }

    static func verdictView(_ v: IOPVerdict, _ req: Request) -> VerdictView {
        VerdictView(conclusion: req.t("conclusion.\(v.conclusion.rawValue)"), explanation: req.t("conclusion.explain.\(v.conclusion.rawValue)"),
                    reasons: v.reasons.map { req.t("guide.reason.\($0)") }, conditions: v.conditions.map { req.t("guide.condition.\($0)") },
                    open: v.open.map { req.t("guide.q.\($0)") })
    }

    @Sendable static func guide(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable { var questions: [Question]; var verdict: VerdictView?; var startHref: String?; var answered: Bool }
        let q = try PartnershipAPIController.questions(req)
        let answered = IOPQuestions.keys.contains { req.queryValue($0) != nil }
        let verdict = answered ? verdictView(IOPRules.assess(q), req) : nil
        let query = IOPQuestions.keys.map { "\($0)=\(q[$0].rawValue)" }.joined(separator: "&")
        return try await req.page("partnerships/guide", title: req.t("guide.title"), Data(
            questions: questionViews(q, req), verdict: verdict,
            startHref: answered && Policy.allows(req.principal, .partnershipsPropose) ? "/partnerships/new?\(query)" : nil, answered: answered))
    }

    // MARK: Propose

    struct ProposeForm: Content, Sendable {
        var bodyId: String?; var organisationId: String?; var title: String?; var need: String?; var targetGroup: String?; var goal: String?; var offer: String?
        var isPublic: String?; var secrecyReason: String?; var answers: String?
    }

    static func proposePage(_ req: Request, _ f: ProposeForm, errors: [FieldError]) async throws -> Response {
        let bodies = try await DirectoryQueries.allBodies(on: req.db).sorted { $0.name < $1.name }
        let orgs = req.principal.holds(.official) || req.principal.isAdmin
            ? try await DirectoryQueries.allOrganisations(on: req.db).filter { !$0.isDeleted }
            : try await DirectoryQueries.organisations(req.principal.organisationIDs, on: req.db)
        let form = req.form(action: "/partnerships/new", submitLabel: req.t("partnership.propose"), fields: [
            FormField("bodyId", label: req.t("partnership.field.body"), kind: .select, required: true, options: [.init(value: "", label: req.t("form.choose"))]
                        + bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.bodyId) }),
            FormField("organisationId", label: req.t("partnership.field.organisation"), kind: .select, required: true,
                      options: orgs.sorted { $0.name < $1.name }.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.organisationId) }),
            FormField("title", label: req.t("partnership.field.title"), value: f.title, required: true, maxLength: 200),
            FormField("need", label: req.t("partnership.field.need"), kind: .textarea, value: f.need, required: true, maxLength: 4000),
            FormField("targetGroup", label: req.t("partnership.field.targetGroup"), value: f.targetGroup, maxLength: 300),
            FormField("goal", label: req.t("partnership.field.goal"), kind: .textarea, value: f.goal, maxLength: 4000),
            FormField("offer", label: req.t("partnership.field.offer"), kind: .textarea, value: f.offer, hint: req.t("partnership.field.offerHint"), maxLength: 4000),
            FormField("isPublic", label: req.t("partnership.field.isPublic"), kind: .checkbox, value: "true", checked: f.isPublic != "false"),
            FormField("secrecyReason", label: req.t("partnership.field.secrecyReason"), value: f.secrecyReason, hint: req.t("partnership.field.secrecyReasonHint"), maxLength: 300),
            FormField("answers", kind: .hidden, value: f.answers ?? ""),
        ], errors: errors, cancelHref: "/partnerships")
        return try await req.formPage(heading: req.t("partnership.new"), intro: req.t("partnership.newIntro"), form: form, status: status(errors))
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        // Answers from the guide are kept with the initiative.
        let q = try PartnershipAPIController.questions(req)
        let kept = IOPQuestions.keys.contains { req.queryValue($0) != nil } ? JSONText.encode(q) : ""
        return try await proposePage(req, ProposeForm(organisationId: req.principal.organisationIDs.first?.uuidString, isPublic: "true", answers: kept), errors: [])
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try await submit(req, ProposeForm.self, form: { f, e in try await proposePage(req, f, errors: e) }) { f, ctx in
            let answers = f.answers.flatMap { try? JSONDecoder().decode(IOPQuestions.self, from: Data($0.utf8)) }
            let p = try await PartnershipService.propose(PartnershipBody(bodyId: f.bodyId, organisationId: f.organisationId, title: f.title, need: f.need,
                                                                        targetGroup: f.targetGroup, goal: f.goal, offer: f.offer, isPublic: f.isPublic == "true",
                                                                        secrecyReason: f.secrecyReason, answers: answers), in: ctx)
            return "/partnerships/\(try p.requireID())"
        }
    }

    // MARK: One IOP

    @Sendable static func show(_ req: Request) async throws -> Response {
        struct Step: Encodable, Sendable { var label: String; var done: Bool; var current: Bool }
        struct Contrib: Encodable, Sendable { var party: String; var text: String }
        struct Data: Encodable, Sendable {
            var p: PartnershipDTO; var state: String; var steps: [Step]; var manage: Bool; var canMove: Bool; var contributions: [Contrib]
            var conclusion: String?; var verdict: VerdictView?; var decision: String?; var period: String?; var followUps: [Row]; var hasFollowUps: Bool
            var canFollowUp: Bool; var canRenew: Bool; var previousHref: String?; var deMinimisHref: String?
            var hasGoals: Bool; var hasIndicators: Bool; var hasContributions: Bool; var initiatedBy: String
        }
        let p = try await PartnershipService.readable(try id(req), req.principal, on: req.db)
        let dto = try await PartnershipService.dto(p, on: req.db)
        let manage = PartnershipService.mayManage(p, req.principal)
        let order: [PartnershipState] = [.initiative, .analysis, .assessment, .decision, .agreement, .active]
        let index = order.firstIndex(of: p.state) ?? order.count
        let steps = order.enumerated().map { i, s in Step(label: req.label(PartnershipState.self, s.rawValue), done: i < index, current: s == p.state) }
        let contributions = dto.contributions.map { c in
            Contrib(party: req.t("partnership.party.\(c.party)"), text: req.t("partnership.contributionText", Money.format(c.kronorPerYear * 100, req.language.rawValue),
                                                                             String(c.staffHoursPerYear), String(c.volunteers)) + (c.premises.isEmpty ? "" : " · \(c.premises)") + (c.other.isEmpty ? "" : " · \(c.other)"))
        }
        let decision = p.decisionOn.map { req.t("partnership.decisionText", day($0, req), p.decisionOrgan, p.decisionParagraph, p.decisionDiarienummer) }
        let period = p.period.map { "\($0.from.formatted(req.language.rawValue))–\($0.to.formatted(req.language.rawValue))" }
        let follow = dto.followUps.map { Row(href: "", title: day($0.day, req), detail: $0.results + ($0.text.isEmpty ? "" : " — \($0.text)")) }
        let verdict = p.state == .initiative || p.state == .analysis || p.conclusion == nil ? verdictView(IOPRules.assess(p.questions), req) : nil
        return try await req.page("partnerships/partnership", title: p.title, Data(
            p: dto, state: req.label(PartnershipState.self, p.state.rawValue), steps: steps, manage: manage && !p.state.isClosed,
            canMove: !p.state.isClosed && (manage || req.principal.organisationIDs.contains(p.organisationID)), contributions: contributions,
            conclusion: p.conclusion.map { req.t("conclusion.\($0.rawValue)") }, verdict: verdict, decision: decision, period: period,
            followUps: follow, hasFollowUps: !follow.isEmpty, canFollowUp: manage && p.state == .active, canRenew: manage && (p.state == .active || p.state == .ended),
            previousHref: p.previousID.map { "/partnerships/\($0)" },
            deMinimisHref: StateAidRegister.mayRead(p.organisationID, req.principal) ? "/organisations/\(p.organisationID)/de-minimis" : nil,
            hasGoals: !dto.goals.isEmpty, hasIndicators: !dto.indicators.isEmpty, hasContributions: !contributions.isEmpty,
            initiatedBy: req.t("partnership.party.\(p.initiatedBy)")))
    }

    // MARK: Content of the current state

    struct EditForm: Content, Sendable {
        var problemAnalysis: String?; var goals: String?; var indicators: String?
        var bodyKronor: String?; var bodyHours: String?; var bodyPremises: String?; var bodyVolunteers: String?; var bodyOther: String?
        var orgKronor: String?; var orgHours: String?; var orgPremises: String?; var orgVolunteers: String?; var orgOther: String?
        var decisionOrgan: String?; var decisionOn: String?; var decisionParagraph: String?; var decisionDiarienummer: String?; var deMinimis: String?
        var periodFrom: String?; var periodTo: String?; var agreementText: String?; var followUpPlan: String?; var version: Int?
    }

    static func editPage(_ req: Request, _ p: Partnership, _ f: EditForm, errors: [FieldError]) async throws -> Response {
        let pid = try p.requireID()
        var fields: [FormField] = []
        switch p.state {
        case .initiative, .analysis:
            fields = [
                FormField("problemAnalysis", label: req.t("partnership.field.problemAnalysis"), kind: .textarea, value: f.problemAnalysis, hint: req.t("partnership.field.problemAnalysisHint"), maxLength: 20_000),
                FormField("goals", label: req.t("partnership.field.goals"), kind: .textarea, value: f.goals, hint: req.t("partnership.field.linesHint"), maxLength: 9000),
                FormField("indicators", label: req.t("partnership.field.indicators"), kind: .textarea, value: f.indicators, hint: req.t("partnership.field.linesHint"), maxLength: 9000),
                FormField("bodyKronor", label: req.t("partnership.field.bodyKronor"), kind: .number, value: f.bodyKronor, maxLength: 12),
                FormField("bodyHours", label: req.t("partnership.field.bodyHours"), kind: .number, value: f.bodyHours, maxLength: 7),
                FormField("bodyPremises", label: req.t("partnership.field.bodyPremises"), value: f.bodyPremises, maxLength: 300),
                FormField("bodyOther", label: req.t("partnership.field.bodyOther"), value: f.bodyOther, maxLength: 500),
                FormField("orgKronor", label: req.t("partnership.field.orgKronor"), kind: .number, value: f.orgKronor, maxLength: 12),
                FormField("orgHours", label: req.t("partnership.field.orgHours"), kind: .number, value: f.orgHours, maxLength: 7),
                FormField("orgVolunteers", label: req.t("partnership.field.orgVolunteers"), kind: .number, value: f.orgVolunteers, maxLength: 7),
                FormField("orgPremises", label: req.t("partnership.field.orgPremises"), value: f.orgPremises, maxLength: 300),
                FormField("orgOther", label: req.t("partnership.field.orgOther"), value: f.orgOther, maxLength: 500),
            ]
        case .assessment, .decision:
            fields = [
                FormField("decisionOrgan", label: req.t("partnership.field.decisionOrgan"), value: f.decisionOrgan, maxLength: 200),
                FormField("decisionOn", label: req.t("partnership.field.decisionOn"), kind: .date, value: f.decisionOn),
                FormField("decisionParagraph", label: req.t("agreement.field.paragraph"), value: f.decisionParagraph, hint: req.t("agreement.field.paragraphHint"), maxLength: 20),
                FormField("decisionDiarienummer", label: req.t("agreement.field.diarienummer"), value: f.decisionDiarienummer, hint: req.t("agreement.field.diarienummerHint"), maxLength: 40),
                FormField("deMinimis", label: req.t("partnership.field.deMinimis"), kind: .checkbox, value: "true", checked: f.deMinimis == "true"),
                FormField("periodFrom", label: req.t("partnership.field.periodFrom"), kind: .date, value: f.periodFrom),
                FormField("periodTo", label: req.t("partnership.field.periodTo"), kind: .date, value: f.periodTo),
            ]
        case .agreement, .active:
            fields = [
                FormField("periodFrom", label: req.t("partnership.field.periodFrom"), kind: .date, value: f.periodFrom, required: true),
                FormField("periodTo", label: req.t("partnership.field.periodTo"), kind: .date, value: f.periodTo, required: true),
                FormField("agreementText", label: req.t("partnership.field.agreementText"), kind: .textarea, value: f.agreementText, required: true, maxLength: 40_000),
                FormField("followUpPlan", label: req.t("partnership.field.followUpPlan"), kind: .textarea, value: f.followUpPlan, maxLength: 4000),
            ]
        case .ended, .rejected, .withdrawn:
            throw AppError(.conflict, req.t("partnership.closed"))
        }
        let form = req.form(action: "/partnerships/\(pid)/edit", submitLabel: req.t("form.save"), fields: fields, errors: errors, version: f.version, cancelHref: "/partnerships/\(pid)")
        return try await req.formPage(heading: req.t("partnership.editHeading", req.label(PartnershipState.self, p.state.rawValue)), form: form,
                                      back: Link(href: "/partnerships/\(pid)", label: p.title), status: status(errors))
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        let body = p.contributionList.first { $0.party == "body" }, org = p.contributionList.first { $0.party == "organisation" }
        func n(_ v: Int?) -> String? { v.flatMap { $0 == 0 ? nil : String($0) } }
        return try await editPage(req, p, EditForm(
            problemAnalysis: p.problemAnalysis, goals: p.goalList.joined(separator: "\n"), indicators: p.indicatorList.joined(separator: "\n"),
            bodyKronor: n(body?.kronorPerYear), bodyHours: n(body?.staffHoursPerYear), bodyPremises: body?.premises, bodyVolunteers: nil, bodyOther: body?.other,
            orgKronor: n(org?.kronorPerYear), orgHours: n(org?.staffHoursPerYear), orgPremises: org?.premises, orgVolunteers: n(org?.volunteers), orgOther: org?.other,
            decisionOrgan: p.decisionOrgan, decisionOn: p.decisionOn, decisionParagraph: p.decisionParagraph, decisionDiarienummer: p.decisionDiarienummer,
            deMinimis: p.deMinimis ? "true" : "false", periodFrom: p.periodFrom, periodTo: p.periodTo, agreementText: p.agreementText, followUpPlan: p.followUpPlan,
            version: p.version), errors: [])
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        let pid = try p.requireID()
        let state = p.state
        return try await submit(req, EditForm.self, form: { f, e in try await editPage(req, p, f, errors: e) }) { f, ctx in
            var errors = FieldErrors()
            func int(_ raw: String?, _ field: String, max: Int) -> Int { TextRules.integer(raw, field: field, range: 0...max, errors: &errors) ?? 0 }
            var b = PartnershipBody(version: f.version)
            switch state {
            case .initiative, .analysis:
                b.problemAnalysis = f.problemAnalysis ?? ""
                b.goals = (f.goals ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                b.indicators = (f.indicators ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                b.contributions = [
                    Contribution(party: "body", kronorPerYear: int(f.bodyKronor, "bodyKronor", max: Money.maxOre / 100), staffHoursPerYear: int(f.bodyHours, "bodyHours", max: 1_000_000),
                                 premises: f.bodyPremises ?? "", volunteers: 0, other: f.bodyOther ?? ""),
                    Contribution(party: "organisation", kronorPerYear: int(f.orgKronor, "orgKronor", max: Money.maxOre / 100), staffHoursPerYear: int(f.orgHours, "orgHours", max: 1_000_000),
                                 premises: f.orgPremises ?? "", volunteers: int(f.orgVolunteers, "orgVolunteers", max: 1_000_000), other: f.orgOther ?? ""),
                ]
            case .assessment, .decision:
                b.decisionOrgan = f.decisionOrgan ?? ""; b.decisionOn = f.decisionOn ?? ""; b.decisionParagraph = f.decisionParagraph ?? ""
                b.decisionDiarienummer = f.decisionDiarienummer ?? ""; b.deMinimis = f.deMinimis == "true"
                b.periodFrom = f.periodFrom ?? ""; b.periodTo = f.periodTo ?? ""
            default:
                b.periodFrom = f.periodFrom ?? ""; b.periodTo = f.periodTo ?? ""; b.agreementText = f.agreementText ?? ""; b.followUpPlan = f.followUpPlan ?? ""
            }
            try errors.throwIfAny()
            _ = try await PartnershipService.update(pid, b, in: ctx)
            return "/partnerships/\(pid)"
        }
    }

    // MARK: Assessment

    static func assessmentPage(_ req: Request, _ p: Partnership, answers: IOPQuestions, motivation: String?, override: String?, errors: [FieldError]) async throws -> Response {
        struct Data: Encodable, Sendable {
            var title: String; var back: String; var action: String; var csrf: String; var questions: [Question]; var motivation: String; var override: String
            var version: Int; var verdict: VerdictView; var errors: [FormContext.ErrorLink]; var hasErrors: Bool; var motivationError: String?
        }
        let pid = try p.requireID()
        let links = errors.map { FormContext.ErrorLink(href: "#f-\($0.field)", message: $0.message) }
        return try await req.page("partnerships/assessment", title: req.t("partnership.assessmentHeading", p.title), Data(
            title: p.title, back: "/partnerships/\(pid)", action: "/partnerships/\(pid)/assessment", csrf: req.csrfToken, questions: questionViews(answers, req),
            motivation: motivation ?? p.assessmentMotivation, override: override ?? p.overrideReason, version: p.version, verdict: verdictView(IOPRules.assess(answers), req),
            errors: links, hasErrors: !errors.isEmpty, motivationError: errors.first { $0.field == "motivation" }?.message), status: status(errors))
    }

    @Sendable static func assessmentForm(_ req: Request) async throws -> Response {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        return try await assessmentPage(req, p, answers: p.questions, motivation: nil, override: nil, errors: [])
    }

    @Sendable static func assess(_ req: Request) async throws -> Response {
        struct Form: Content { var motivation: String?; var overrideReason: String?; var version: Int? }
        let p = try await PartnershipService.find(try id(req), on: req.db)
        let pid = try p.requireID()
        let f = try req.decodeForm(Form.self)
        var answers = IOPQuestions()
        for key in IOPQuestions.keys { answers[key] = (try? req.content.get(String.self, at: key)).flatMap(IOPAnswer.init(rawValue:)) ?? .unknown }
        let frozen = answers
        do {
            _ = try await req.write { ctx in try await PartnershipService.assess(pid, AssessmentBody(answers: frozen, motivation: f.motivation, overrideReason: f.overrideReason, version: f.version), in: ctx) }
            return req.redirect(to: "/partnerships/\(pid)", flash: req.t("saved"))
        } catch {
            return try await rerender(req, error: error) { try await assessmentPage(req, p, answers: frozen, motivation: f.motivation, override: f.overrideReason, errors: $0) }
        }
    }

    // MARK: Moving on

    struct MoveForm: Content, Sendable { var to: String?; var reason: String?; var deMinimisOverride: String?; var version: Int? }

    static func movePage(_ req: Request, _ p: Partnership, _ f: MoveForm, errors: [FieldError]) async throws -> Response {
        let pid = try p.requireID()
        let manage = PartnershipService.mayManage(p, req.principal)
        var targets: [PartnershipState] = []
        if manage {
            if let next = p.state.next { targets.append(next) }
            if p.state == .active { targets.append(.ended) }
            targets += [.rejected]
        }
        targets.append(.withdrawn)
        var fields = [
            FormField("to", label: req.t("partnership.field.to"), kind: .select, required: true,
                      options: targets.map { .init(value: $0.rawValue, label: req.t("partnership.moveTo.\($0.rawValue)"), selected: $0.rawValue == (f.to ?? targets.first?.rawValue)) }),
            FormField("reason", label: req.t("partnership.field.reason"), kind: .textarea, value: f.reason, hint: req.t("partnership.field.reasonHint"), maxLength: 4000),
        ]
        if manage && p.state == .decision && p.deMinimis {
            fields.append(FormField("deMinimisOverride", label: req.t("decision.deMinimisOverride"), kind: .textarea, value: f.deMinimisOverride,
                                    hint: req.t("decision.deMinimisOverrideHint"), maxLength: 2000))
        }
        let form = req.form(action: "/partnerships/\(pid)/move", submitLabel: req.t("partnership.move"), fields: fields, errors: errors, version: f.version ?? p.version,
                            cancelHref: "/partnerships/\(pid)")
        return try await req.formPage(heading: req.t("partnership.moveHeading", p.title), intro: req.t("partnership.moveIntro"), form: form,
                                      back: Link(href: "/partnerships/\(pid)", label: p.title), status: status(errors))
    }

    static func movable(_ req: Request) async throws -> Partnership {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        guard PartnershipService.mayManage(p, req.principal) || req.principal.organisationIDs.contains(p.organisationID) else { throw AppError.forbidden() }
        return p
    }

    @Sendable static func moveForm(_ req: Request) async throws -> Response {
        let p = try await movable(req)
        return try await movePage(req, p, MoveForm(version: p.version), errors: [])
    }

    @Sendable static func move(_ req: Request) async throws -> Response {
        let p = try await movable(req)
        let pid = try p.requireID()
        let rate = req.application.config.eurToSek
        return try await submit(req, MoveForm.self, form: { f, e in try await movePage(req, p, f, errors: e) }) { f, ctx in
            _ = try await PartnershipService.move(pid, MoveBody(to: f.to, reason: f.reason, deMinimisOverride: f.deMinimisOverride, version: f.version), eurToSek: rate, in: ctx)
            return "/partnerships/\(pid)"
        }
    }

    // MARK: Follow-up and renewal

    struct FollowUpForm: Content, Sendable { var day: String?; var results: String?; var text: String? }

    static func followUpPage(_ req: Request, _ p: Partnership, _ f: FollowUpForm, errors: [FieldError]) async throws -> Response {
        let pid = try p.requireID()
        let form = req.form(action: "/partnerships/\(pid)/follow-ups/new", submitLabel: req.t("form.save"), fields: [
            FormField("day", label: req.t("partnership.field.followUpDay"), kind: .date, value: f.day ?? LocalDate.today().description, required: true),
            FormField("results", label: req.t("partnership.field.results"), kind: .textarea, value: f.results,
                      hint: req.t("partnership.field.resultsHint", p.indicatorList.joined(separator: "; ")), required: true, maxLength: 10_000),
            FormField("text", label: req.t("partnership.field.followUpText"), kind: .textarea, value: f.text, maxLength: 10_000),
        ], errors: errors, cancelHref: "/partnerships/\(pid)")
        return try await req.formPage(heading: req.t("partnership.followUpHeading", p.title), form: form, back: Link(href: "/partnerships/\(pid)", label: p.title), status: status(errors))
    }

    @Sendable static func followUpForm(_ req: Request) async throws -> Response {
        try await followUpPage(req, try await PartnershipService.find(try id(req), on: req.db), FollowUpForm(), errors: [])
    }

    @Sendable static func addFollowUp(_ req: Request) async throws -> Response {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        let pid = try p.requireID()
        return try await submit(req, FollowUpForm.self, form: { f, e in try await followUpPage(req, p, f, errors: e) }) { f, ctx in
            _ = try await PartnershipService.addFollowUp(pid, FollowUpEntryBody(day: f.day, results: f.results, text: f.text), in: ctx)
            return "/partnerships/\(pid)"
        }
    }

    struct RenewForm: Content, Sendable { var periodFrom: String?; var periodTo: String? }

    static func renewPage(_ req: Request, _ p: Partnership, _ f: RenewForm, errors: [FieldError]) async throws -> Response {
        let pid = try p.requireID()
        let form = req.form(action: "/partnerships/\(pid)/renew", submitLabel: req.t("partnership.renew"), fields: [
            FormField("periodFrom", label: req.t("partnership.field.periodFrom"), kind: .date, value: f.periodFrom, required: true),
            FormField("periodTo", label: req.t("partnership.field.periodTo"), kind: .date, value: f.periodTo, required: true),
        ], errors: errors, cancelHref: "/partnerships/\(pid)")
        return try await req.formPage(heading: req.t("partnership.renewHeading", p.title), intro: req.t("partnership.renewIntro"), form: form,
                                      back: Link(href: "/partnerships/\(pid)", label: p.title), status: status(errors))
    }

    @Sendable static func renewForm(_ req: Request) async throws -> Response {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        let next = p.period.map { (LocalDate.clamped(year: $0.to.year + 1, month: 1, day: 1), LocalDate.clamped(year: $0.to.year + 3, month: 12, day: 31)) }
        return try await renewPage(req, p, RenewForm(periodFrom: next?.0.description, periodTo: next?.1.description), errors: [])
    }

    @Sendable static func renew(_ req: Request) async throws -> Response {
        let p = try await PartnershipService.find(try id(req), on: req.db)
        let pid = try p.requireID()
        return try await submit(req, RenewForm.self, form: { f, e in try await renewPage(req, p, f, errors: e) }) { f, ctx in
            "/partnerships/\(try await PartnershipService.renew(pid, RenewBody(periodFrom: f.periodFrom, periodTo: f.periodTo), in: ctx).requireID())"
        }
    }

    // MARK: Reserved procurements

    @Sendable static func procurements(_ req: Request) async throws -> Response {
        struct Item: Encodable, Sendable { var contract: String; var object: String; var body: String; var supplier: String; var value: String; var period: String; var basis: String; var decision: String }
        struct Data: Encodable, Sendable { var items: [Item]; var hasItems: Bool; var canCreate: Bool }
        let lang = req.language.rawValue
        let list = try await ReservedProcurementService.dtos(try await ReservedProcurementService.list(bodyID: try req.uuidParameter("body"), inForceOn: nil, on: req.db), on: req.db)
        let items = list.map { r in
            Item(contract: r.contract, object: r.object, body: r.bodyName, supplier: r.supplierName ?? "", value: Money.format(r.valueOre, lang),
                 period: "\(day(r.periodFrom, req))–\(day(r.periodTo, req))", basis: r.legalBasis, decision: r.decision)
        }
        return try await req.page("partnerships/procurements", title: req.t("procurement.title"),
                                  Data(items: items, hasItems: !items.isEmpty, canCreate: Policy.allows(req.principal, .partnershipsManage)))
    }

    struct ProcurementForm: Content, Sendable {
        var bodyId: String?; var contract: String?; var object: String?; var supplierId: String?; var value: String?; var periodFrom: String?; var periodTo: String?
        var legalBasis: String?; var decision: String?
    }

    static func procurementPage(_ req: Request, _ f: ProcurementForm, errors: [FieldError]) async throws -> Response {
        let bodies = try await req.officialBodies()
        let orgs = try await DirectoryQueries.allOrganisations(on: req.db).filter { !$0.isDeleted }.sorted { $0.name < $1.name }
        let form = req.form(action: "/reserved-procurements/new", submitLabel: req.t("form.save"), fields: [
            FormField("bodyId", label: req.t("partnership.field.body"), kind: .select, required: true,
                      options: bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.bodyId) }),
            FormField("contract", label: req.t("procurement.contract"), value: f.contract, required: true, maxLength: 200),
            FormField("object", label: req.t("procurement.object"), kind: .textarea, value: f.object, required: true, maxLength: 2000),
            FormField("supplierId", label: req.t("procurement.supplier"), kind: .select, options: [.init(value: "", label: req.t("form.none"))]
                        + orgs.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.supplierId) }),
            FormField("value", label: req.t("procurement.value"), value: f.value, hint: req.t("grants.kronorHint"), maxLength: 20),
            FormField("periodFrom", label: req.t("partnership.field.periodFrom"), kind: .date, value: f.periodFrom, required: true),
            FormField("periodTo", label: req.t("partnership.field.periodTo"), kind: .date, value: f.periodTo, required: true),
            FormField("legalBasis", label: req.t("procurement.basis"), kind: .select, required: true,
                      options: ReservedProcurementService.bases.map { .init(value: $0, label: $0, selected: $0 == (f.legalBasis ?? ReservedProcurementService.bases[1])) }),
            FormField("decision", label: req.t("procurement.decision"), value: f.decision, hint: req.t("procurement.decisionHint"), required: true, maxLength: 300),
        ], errors: errors, cancelHref: "/reserved-procurements")
        return try await req.formPage(heading: req.t("procurement.new"), form: form, status: status(errors))
    }

    @Sendable static func newProcurement(_ req: Request) async throws -> Response { try await procurementPage(req, ProcurementForm(), errors: []) }

    @Sendable static func createProcurement(_ req: Request) async throws -> Response {
        try await submit(req, ProcurementForm.self, form: { f, e in try await procurementPage(req, f, errors: e) }) { f, ctx in
            var ore = 0
            if let raw = f.value, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let v = Money.parseKronor(raw) else { throw AppError.invalid(field: "value", code: "amount") }
                ore = v
            }
            _ = try await ReservedProcurementService.save(nil, ReservedProcurementBody(bodyId: f.bodyId, contract: f.contract, object: f.object, supplierId: f.supplierId ?? "",
                                                                                      valueOre: ore, periodFrom: f.periodFrom, periodTo: f.periodTo, legalBasis: f.legalBasis,
                                                                                      decision: f.decision), in: ctx)
            return "/reserved-procurements"
        }
    }
}
