import Fluent
import Vapor
import SamverkaRules

/// The agreement's forms for who takes part and how it is carried out: signatures, governance forums, action plans
/// with their activities and notes, and follow-up reports.
extension AgreementFormPages {
    // MARK: Signatures

    struct SignForm: Content, Sendable { var organisationId: String?; var signedOn: String?; var contactRoleId: String? }

    static func signPage(_ req: Request, _ aid: UUID, _ f: SignForm, errors: [FieldError]) async throws -> Response {
        let manage = try await AgreementService.mayManage(aid, req.principal, on: req.db)
        let orgs = manage ? try await DirectoryQueries.allOrganisations(on: req.db).filter { !$0.isDeleted }
                          : try await DirectoryQueries.organisations(req.principal.organisationIDs, on: req.db)
        var roleOptions: [FormField.Option] = [.init(value: "", label: req.t("form.none"), selected: (f.contactRoleId ?? "").isEmpty)]
        for o in orgs.prefix(manage ? 0 : 10) {
            for r in try await DirectoryQueries.roles(ofOrganisation: o.id, on: req.db) {
                roleOptions.append(.init(value: r.id.uuidString, label: "\(r.title) (\(o.name))", selected: r.id.uuidString == f.contactRoleId))
            }
        }
        var fields = [
            FormField("organisationId", label: req.t("agreement.field.organisation"), kind: .select, required: true,
                      options: orgs.sorted { $0.name < $1.name }.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.organisationId) }),
            FormField("signedOn", label: req.t("agreement.field.signedOn"), kind: .date, value: f.signedOn ?? LocalDate.today().description, required: true),
        ]
        if !manage {
            fields.append(FormField("contactRoleId", label: req.t("agreement.field.signedThrough"), kind: .select, hint: req.t("agreement.field.signedThroughHint"), options: roleOptions))
        }
        let form = req.form(action: "/agreements/\(aid)/sign", submitLabel: req.t(manage ? "agreement.recordPaper" : "agreement.sign"), fields: fields,
                            errors: errors, cancelHref: "/agreements/\(aid)")
        return try await req.formPage(heading: req.t(manage ? "agreement.recordPaperHeading" : "agreement.signHeading"),
                                      intro: req.t(manage ? "agreement.recordPaperIntro" : "agreement.signIntro"), form: form,
                                      back: try await back(req, agreement: aid), status: status(errors))
    }

    @Sendable static func signForm(_ req: Request) async throws -> Response {
        let aid = try id(req)
        _ = try await AgreementService.readable(aid, req.principal, on: req.db)
        guard try await AgreementService.mayManage(aid, req.principal, on: req.db) || !req.principal.organisationIDs.isEmpty else { throw AppError.forbidden() }
        // `?organisation=` (from the start page) picks which of the person's organisations signs.
        let chosen = req.queryValue("organisation").flatMap(UUID.init(uuidString:)).flatMap { id in req.principal.organisationIDs.first { $0 == id } }
        return try await signPage(req, aid, SignForm(organisationId: (chosen ?? req.principal.organisationIDs.first)?.uuidString), errors: [])
    }

    @Sendable static func sign(_ req: Request) async throws -> Response {
        let aid = try id(req)
        return try await submit(req, SignForm.self, form: { f, e in try await signPage(req, aid, f, errors: e) }) { f, ctx in
            _ = try await SignatoryService.sign(aid, SignBody(organisationId: f.organisationId, signedOn: f.signedOn, contactRoleId: f.contactRoleId), in: ctx)
            return "/agreements/\(aid)#signatories"
        }
    }

    struct WithdrawForm: Content, Sendable { var withdrawnOn: String?; var reason: String?; var version: Int? }

    static func withdrawPage(_ req: Request, _ s: AgreementSignatory, _ f: WithdrawForm, errors: [FieldError]) async throws -> Response {
        let sid = try s.requireID()
        let name = try await DirectoryQueries.organisationNames([s.organisationID], on: req.db)[s.organisationID] ?? ""
        let form = req.form(action: "/agreement-signatories/\(sid)/withdraw", submitLabel: req.t("agreement.withdraw"), fields: [
            FormField("withdrawnOn", label: req.t("agreement.field.withdrawnOn"), kind: .date, value: f.withdrawnOn ?? LocalDate.today().description, required: true),
            FormField("reason", label: req.t("agreement.field.withdrawReason"), kind: .textarea, value: f.reason, maxLength: 2000),
        ], errors: errors, version: f.version, cancelHref: "/agreements/\(s.agreementID)")
        return try await req.formPage(heading: req.t("agreement.withdrawHeading", name), form: form, back: try await back(req, agreement: s.agreementID), status: status(errors))
    }

    static func withdrawable(_ req: Request) async throws -> AgreementSignatory {
        let s = try await AgreementSignatory.require(try id(req), on: req.db)
        guard try await SignatoryService.maySign(s.agreementID, organisationID: s.organisationID, req.principal, on: req.db).allowed else { throw AppError.forbidden() }
        return s
    }

    @Sendable static func withdrawForm(_ req: Request) async throws -> Response {
        let s = try await withdrawable(req)
        return try await withdrawPage(req, s, WithdrawForm(version: s.version), errors: [])
    }

    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let s = try await withdrawable(req)
        let sid = try s.requireID()
        let aid = s.agreementID
        return try await submit(req, WithdrawForm.self, form: { f, e in try await withdrawPage(req, s, f, errors: e) }) { f, ctx in
            _ = try await SignatoryService.withdraw(sid, WithdrawBody(withdrawnOn: f.withdrawnOn, reason: f.reason, version: f.version), in: ctx)
            return "/agreements/\(aid)#signatories"
        }
    }

    // MARK: Governance

    struct ForumForm: Content, Sendable { var forumId: String?; var role: String?; var seatsForSignatories: String? }

    static func forumPage(_ req: Request, _ aid: UUID, _ f: ForumForm, errors: [FieldError]) async throws -> Response {
        let forums = try await DialogueFacts.forums(ofBodies: try await AgreementService.owners(aid, on: req.db), on: req.db)
        let form = req.form(action: "/agreements/\(aid)/governance/new", submitLabel: req.t("form.save"), fields: [
            FormField("forumId", label: req.t("agreement.field.forum"), kind: .select, required: true,
                      options: forums.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.forumId) }),
            FormField("role", label: req.t("agreement.field.governanceRole"), kind: .select, required: true,
                      options: GovernanceRole.allCases.map { .init(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == (f.role ?? "steeringGroup")) }),
            FormField("seatsForSignatories", label: req.t("agreement.field.seatsForSignatories"), kind: .checkbox, value: "true", checked: f.seatsForSignatories == "true"),
        ], errors: errors, cancelHref: "/agreements/\(aid)")
        return try await req.formPage(heading: req.t("agreement.addForum"), form: form, back: try await back(req, agreement: aid), status: status(errors))
    }

    @Sendable static func forumForm(_ req: Request) async throws -> Response { try await forumPage(req, try id(req), ForumForm(seatsForSignatories: "true"), errors: []) }

    @Sendable static func addForum(_ req: Request) async throws -> Response {
        let aid = try id(req)
        return try await submit(req, ForumForm.self, form: { f, e in try await forumPage(req, aid, f, errors: e) }) { f, ctx in
            _ = try await AgreementService.addForum(aid, GovernanceBody(forumId: f.forumId, role: f.role, seatsForSignatories: f.seatsForSignatories == "true"), in: ctx)
            return "/agreements/\(aid)#governance"
        }
    }

    @Sendable static func removeForum(_ req: Request) async throws -> Response {
        let link = try await AgreementForum.require(try id(req), on: req.db)
        let lid = try link.requireID()
        try await req.write { ctx in try await AgreementService.removeForum(lid, in: ctx) }
        return req.redirect(to: "/agreements/\(link.agreementID)#governance", flash: req.t("saved"))
    }

    // MARK: Action plans

    struct PlanForm: Content, Sendable { var title: String?; var periodFrom: String?; var periodTo: String? }

    static func planPage(_ req: Request, _ aid: UUID, _ f: PlanForm, errors: [FieldError]) async throws -> Response {
        let form = req.form(action: "/agreements/\(aid)/plans/new", submitLabel: req.t("form.save"), fields: [
            FormField("title", label: req.t("agreement.field.planTitle"), value: f.title, required: true, maxLength: 200),
            FormField("periodFrom", label: req.t("agreement.field.periodFrom"), kind: .number, value: f.periodFrom, required: true, maxLength: 4),
            FormField("periodTo", label: req.t("agreement.field.periodTo"), kind: .number, value: f.periodTo, required: true, maxLength: 4),
        ], errors: errors, cancelHref: "/agreements/\(aid)")
        return try await req.formPage(heading: req.t("agreement.newPlan"), form: form, back: try await back(req, agreement: aid), status: status(errors))
    }

    @Sendable static func planForm(_ req: Request) async throws -> Response {
        let y = LocalDate.today().year
        return try await planPage(req, try id(req), PlanForm(title: req.t("agreement.planDefaultTitle", String(y), String(y + 2)), periodFrom: String(y), periodTo: String(y + 2)), errors: [])
    }

    @Sendable static func createPlan(_ req: Request) async throws -> Response {
        let aid = try id(req)
        return try await submit(req, PlanForm.self, form: { f, e in try await planPage(req, aid, f, errors: e) }) { f, ctx in
            var errors = FieldErrors()
            let from = TextRules.integer(f.periodFrom, field: "periodFrom", range: 2000...2100, required: true, errors: &errors)
            let to = TextRules.integer(f.periodTo, field: "periodTo", range: 2000...2100, required: true, errors: &errors)
            try errors.throwIfAny()
            _ = try await PlanService.savePlan(agreementID: aid, planID: nil, PlanBody(title: f.title, periodFrom: from, periodTo: to), in: ctx)
            return "/agreements/\(aid)#plans"
        }
    }

    struct ActivityForm: Content, Sendable {
        var area: String?; var title: String?; var description: String?; var ownerRoleId: String?; var partners: String?; var dueOn: String?
        var status: String?; var principleKey: String?; var links: [String]?; var version: Int?
        var body: ActivityBody {
            // Each chosen record arrives as "kind:id".
            let chosen = (links ?? []).map { v -> ActivityLinkBody in
                let parts = v.split(separator: ":", maxSplits: 1).map(String.init)
                return ActivityLinkBody(kind: parts.first, id: parts.count > 1 ? parts[1] : nil)
            }
            return ActivityBody(area: area, title: title, description: description, ownerRoleId: ownerRoleId ?? "", partners: partners, dueOn: dueOn ?? "",
                                status: status, principleKey: principleKey ?? "", links: chosen, version: version)
        }
    }

    static func activityPage(_ req: Request, plan: ActionPlan, action: String, _ f: ActivityForm, errors: [FieldError]) async throws -> Response {
        let owners = try await AgreementService.owners(plan.agreementID, on: req.db)
        let units = try await DirectoryQueries.units(ofBodies: owners, on: req.db).map(\.id)
        let roles = try await DirectoryQueries.roles(ofUnits: units, on: req.db).sorted { $0.title < $1.title }
        let versions = try await AgreementService.versions(plan.agreementID, on: req.db)
        let principles = (AgreementRules.inForce(versions.map(\.facts), on: .today()).flatMap { f in versions.first { $0.id == f.id } } ?? versions.last)?.principleList ?? []
        // Records that carry the activity out: the owners' meetings in the plan's period, consultations and grant programmes.
        let from = LocalDate.clamped(year: plan.periodFrom, month: 1, day: 1), to = LocalDate.clamped(year: plan.periodTo, month: 12, day: 31)
        let forumIDs = try await DialogueFacts.forums(ofBodies: owners, on: req.db).map(\.id)
        let chosen = Set(f.links ?? [])
        var linkOptions: [FormField.Option] = []
        for m in try await DialogueFacts.meetingChoices(forumIDs: forumIDs, from: from, to: to, on: req.db) {
            linkOptions.append(.init(value: "meeting:\(m.id)", label: m.label, selected: chosen.contains("meeting:\(m.id)"), group: req.t("activityLinkKind.meeting")))
        }
        for c in try await DialogueFacts.consultations(bodies: owners, from: from, to: to, on: req.db) {
            linkOptions.append(.init(value: "consultation:\(c.id)", label: c.title, selected: chosen.contains("consultation:\(c.id)"), group: req.t("activityLinkKind.consultation")))
        }
        for p in try await GrantFacts.programmeChoices(bodies: owners, on: req.db) {
            linkOptions.append(.init(value: "grantProgramme:\(p.id)", label: p.label, selected: chosen.contains("grantProgramme:\(p.id)"), group: req.t("activityLinkKind.grantProgramme")))
        }
        let form = req.form(action: action, submitLabel: req.t("form.save"), fields: [
            FormField("area", label: req.t("agreement.field.area"), value: f.area, hint: req.t("agreement.field.areaHint"), required: true, maxLength: 200),
            FormField("title", label: req.t("agreement.field.activityTitle"), value: f.title, required: true, maxLength: 300),
            FormField("description", label: req.t("agreement.field.description"), kind: .textarea, value: f.description, maxLength: 4000),
            FormField("ownerRoleId", label: req.t("agreement.field.ownerRole"), kind: .select, hint: req.t("agreement.field.ownerRoleHint"),
                      options: [.init(value: "", label: req.t("form.none"), selected: (f.ownerRoleId ?? "").isEmpty)]
                        + roles.map { .init(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == f.ownerRoleId) }),
            FormField("partners", label: req.t("agreement.field.partners"), value: f.partners, maxLength: 500),
            FormField("dueOn", label: req.t("agreement.field.dueOn"), kind: .date, value: f.dueOn),
            FormField("status", label: req.t("agreement.field.status"), kind: .select, required: true, options: req.options(ActivityStatus.self, selected: f.status ?? "planned")),
            FormField("principleKey", label: req.t("agreement.field.principle"), kind: .select,
                      options: [.init(value: "", label: req.t("form.none"), selected: (f.principleKey ?? "").isEmpty)]
                        + principles.map { .init(value: $0.key, label: $0.name, selected: $0.key == f.principleKey) }),
            FormField("links[]", label: req.t("agreement.field.links"), kind: .multiselect, hint: req.t("agreement.field.linksHint"), options: linkOptions),
        ], errors: errors, version: f.version, cancelHref: "/agreements/\(plan.agreementID)#plans")
        return try await req.formPage(heading: f.version == nil ? req.t("agreement.newActivity", plan.title) : req.t("agreement.editActivity"), form: form,
                                      back: try await back(req, agreement: plan.agreementID), status: status(errors))
    }

    @Sendable static func newActivity(_ req: Request) async throws -> Response {
        let plan = try await ActionPlan.require(try id(req), on: req.db)
        return try await activityPage(req, plan: plan, action: "/action-plans/\(try plan.requireID())/activities/new", ActivityForm(), errors: [])
    }

    @Sendable static func createActivity(_ req: Request) async throws -> Response {
        let plan = try await ActionPlan.require(try id(req), on: req.db)
        let pid = try plan.requireID()
        let aid = plan.agreementID
        return try await submit(req, ActivityForm.self, form: { f, e in
            try await activityPage(req, plan: plan, action: "/action-plans/\(pid)/activities/new", f, errors: e)
        }) { f, ctx in
            _ = try await PlanService.saveActivity(planID: pid, activityID: nil, f.body, in: ctx)
            return "/agreements/\(aid)#plans"
        }
    }

    @Sendable static func editActivity(_ req: Request) async throws -> Response {
        let a = try await PlanActivity.require(try id(req), on: req.db)
        let plan = try await ActionPlan.require(a.planID, on: req.db)
        let f = ActivityForm(area: a.area, title: a.title, description: a.description, ownerRoleId: a.ownerRoleID?.uuidString, partners: a.partners,
                             dueOn: a.dueOn, status: a.status.rawValue, principleKey: a.principleKey,
                             links: a.linkList.map { "\($0.kind.rawValue):\($0.id)" }, version: a.version)
        return try await activityPage(req, plan: plan, action: "/plan-activities/\(try a.requireID())/edit", f, errors: [])
    }

    @Sendable static func updateActivity(_ req: Request) async throws -> Response {
        let a = try await PlanActivity.require(try id(req), on: req.db)
        let plan = try await ActionPlan.require(a.planID, on: req.db)
        let actID = try a.requireID()
        let aid = plan.agreementID
        return try await submit(req, ActivityForm.self, form: { f, e in
            try await activityPage(req, plan: plan, action: "/plan-activities/\(actID)/edit", f, errors: e)
        }) { f, ctx in
            _ = try await PlanService.saveActivity(planID: nil, activityID: actID, f.body, in: ctx)
            return "/agreements/\(aid)#plans"
        }
    }

    struct NoteForm: Content, Sendable { var writtenOn: String?; var text: String? }

    static func notePage(_ req: Request, _ a: PlanActivity, _ f: NoteForm, errors: [FieldError]) async throws -> Response {
        let plan = try await ActionPlan.require(a.planID, on: req.db)
        let form = req.form(action: "/plan-activities/\(try a.requireID())/notes/new", submitLabel: req.t("form.save"), fields: [
            FormField("writtenOn", label: req.t("agreement.field.writtenOn"), kind: .date, value: f.writtenOn ?? LocalDate.today().description, required: true),
            FormField("text", label: req.t("agreement.field.note"), kind: .textarea, value: f.text, required: true, maxLength: 4000),
        ], errors: errors, cancelHref: "/agreements/\(plan.agreementID)#plans")
        return try await req.formPage(heading: req.t("agreement.noteHeading", a.title), form: form, back: try await back(req, agreement: plan.agreementID), status: status(errors))
    }

    @Sendable static func noteForm(_ req: Request) async throws -> Response {
        try await notePage(req, try await PlanActivity.require(try id(req), on: req.db), NoteForm(), errors: [])
    }

    @Sendable static func addNote(_ req: Request) async throws -> Response {
        let a = try await PlanActivity.require(try id(req), on: req.db)
        let actID = try a.requireID()
        let aid = try await ActionPlan.require(a.planID, on: req.db).agreementID
        return try await submit(req, NoteForm.self, form: { f, e in try await notePage(req, a, f, errors: e) }) { f, ctx in
            _ = try await PlanService.addNote(actID, NoteBody(writtenOn: f.writtenOn, text: f.text), in: ctx)
            return "/agreements/\(aid)#plans"
        }
    }

    // MARK: Follow-up reports

    struct ReportForm: Content, Sendable {
        var kind: String?; var title: String?; var periodFrom: String?; var periodTo: String?; var narrative: String?; var version: Int?
        var body: FollowUpBody { FollowUpBody(kind: kind, title: title, periodFrom: periodFrom, periodTo: periodTo, narrative: narrative, version: version) }
    }

    static func reportPage(_ req: Request, agreement aid: UUID, action: String, _ f: ReportForm, errors: [FieldError]) async throws -> Response {
        let form = req.form(action: action, submitLabel: req.t("form.save"), fields: [
            FormField("kind", label: req.t("agreement.field.reportKind"), kind: .select, required: true, options: req.options(FollowUpKind.self, selected: f.kind ?? "annual")),
            FormField("title", label: req.t("agreement.field.reportTitle"), value: f.title, required: true, maxLength: 200),
            FormField("periodFrom", label: req.t("agreement.field.reportFrom"), kind: .date, value: f.periodFrom, required: true),
            FormField("periodTo", label: req.t("agreement.field.reportTo"), kind: .date, value: f.periodTo, required: true),
            FormField("narrative", label: req.t("agreement.field.narrative"), kind: .textarea, value: f.narrative, hint: req.t("agreement.field.narrativeHint"), maxLength: 40_000),
        ], errors: errors, version: f.version, cancelHref: "/agreements/\(aid)#reports")
        return try await req.formPage(heading: req.t(f.version == nil ? "agreement.newReport" : "agreement.editReport"), intro: req.t("agreement.reportIntro"),
                                      form: form, back: try await back(req, agreement: aid), status: status(errors))
    }

    @Sendable static func newReport(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let y = LocalDate.today().year - 1
        return try await reportPage(req, agreement: aid, action: "/agreements/\(aid)/reports/new",
                                    ReportForm(kind: "annual", title: req.t("agreement.reportDefaultTitle", String(y)), periodFrom: "\(y)-01-01", periodTo: "\(y)-12-31"), errors: [])
    }

    @Sendable static func createReport(_ req: Request) async throws -> Response {
        let aid = try id(req)
        return try await submit(req, ReportForm.self, form: { f, e in try await reportPage(req, agreement: aid, action: "/agreements/\(aid)/reports/new", f, errors: e) }) { f, ctx in
            "/agreement-reports/\(try await FollowUpService.save(agreementID: aid, reportID: nil, f.body, in: ctx).requireID())"
        }
    }

    @Sendable static func editReport(_ req: Request) async throws -> Response {
        let r = try await FollowUpReport.require(try id(req), on: req.db)
        let rid = try r.requireID()
        return try await reportPage(req, agreement: r.agreementID, action: "/agreement-reports/\(rid)/edit",
                                    ReportForm(kind: r.kind.rawValue, title: r.title, periodFrom: r.periodFrom, periodTo: r.periodTo, narrative: r.narrative, version: r.version), errors: [])
    }

    @Sendable static func updateReport(_ req: Request) async throws -> Response {
        let r = try await FollowUpReport.require(try id(req), on: req.db)
        let rid = try r.requireID()
        let aid = r.agreementID
        return try await submit(req, ReportForm.self, form: { f, e in try await reportPage(req, agreement: aid, action: "/agreement-reports/\(rid)/edit", f, errors: e) }) { f, ctx in
            _ = try await FollowUpService.save(agreementID: nil, reportID: rid, f.body, in: ctx)
            return "/agreement-reports/\(rid)"
        }
    }

    struct ApproveForm: Content, Sendable { var approvedOn: String?; var diarienummer: String?; var version: Int? }

    static func approvePage(_ req: Request, _ r: FollowUpReport, _ f: ApproveForm, errors: [FieldError]) async throws -> Response {
        let rid = try r.requireID()
        let form = req.form(action: "/agreement-reports/\(rid)/approve", submitLabel: req.t("followUp.approve"), fields: [
            FormField("approvedOn", label: req.t("agreement.field.approvedOn"), kind: .date, value: f.approvedOn ?? LocalDate.today().description, required: true),
            FormField("diarienummer", label: req.t("agreement.field.diarienummer"), value: f.diarienummer, hint: req.t("agreement.field.diarienummerHint"), required: true, maxLength: 40),
        ], errors: errors, version: f.version, cancelHref: "/agreement-reports/\(rid)")
        return try await req.formPage(heading: req.t("followUp.approveHeading", r.title), intro: req.t("followUp.approveIntro"), form: form,
                                      back: try await back(req, agreement: r.agreementID), status: status(errors))
    }

    @Sendable static func approveForm(_ req: Request) async throws -> Response {
        let r = try await FollowUpReport.require(try id(req), on: req.db)
        return try await approvePage(req, r, ApproveForm(version: r.version), errors: [])
    }

    @Sendable static func approve(_ req: Request) async throws -> Response {
        let r = try await FollowUpReport.require(try id(req), on: req.db)
        let rid = try r.requireID()
        return try await submit(req, ApproveForm.self, form: { f, e in try await approvePage(req, r, f, errors: e) }) { f, ctx in
            _ = try await FollowUpService.approve(rid, FollowUpApprovalBody(approvedOn: f.approvedOn, diarienummer: f.diarienummer, version: f.version), in: ctx)
            return "/agreement-reports/\(rid)"
        }
    }
}
