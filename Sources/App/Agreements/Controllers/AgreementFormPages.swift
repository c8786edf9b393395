import Fluent
import Vapor
import SamverkaRules

/// The agreement's forms: each a page of its own (keyboard-friendly, errors next to the field), posting to the same
/// services as the API.
enum AgreementFormPages {
    static func register(_ site: Router, manage: Access) {
        let manageVersion = Access.scoped(.agreementsManage, AgreementService.versionScope)
        let managePlan = Access.scoped(.agreementsManage, PlanService.planScope)
        let manageActivity = Access.scoped(.agreementsManage, PlanService.activityScope)
        let manageReport = Access.scoped(.agreementsManage, FollowUpService.reportScope)
        site.get("agreements", "new", access: .permission(.agreementsManage), use: newAgreement)
        site.post("agreements", "new", access: .permission(.agreementsManage), use: createAgreement)
        site.get("agreements", ":id", "edit", access: manage, use: editAgreement)
        site.post("agreements", ":id", "edit", access: manage, use: updateAgreement)
        site.post("agreements", ":id", "revise", access: manage, use: revise)
        site.get("agreement-versions", ":id", "edit", access: manageVersion, use: editDraft)
        site.post("agreement-versions", ":id", "edit", access: manageVersion, use: updateDraft)
        site.get("agreement-versions", ":id", "consultation", access: manageVersion, use: consultationForm)
        site.post("agreement-versions", ":id", "consultation", access: manageVersion, use: consult)
        site.get("agreement-versions", ":id", "adopt", access: manageVersion, use: adoptForm)
        site.post("agreement-versions", ":id", "adopt", access: manageVersion, use: adopt)
        site.get("agreements", ":id", "end", access: manage, use: endForm)
        site.post("agreements", ":id", "end", access: manage, use: end)
        site.get("agreements", ":id", "sign", access: .record("agreementSigner"), use: signForm)
        site.post("agreements", ":id", "sign", access: .record("agreementSigner"), use: sign)
        site.get("agreement-signatories", ":id", "withdraw", access: .record("agreementSigner"), use: withdrawForm)
        site.post("agreement-signatories", ":id", "withdraw", access: .record("agreementSigner"), use: withdraw)
        site.get("agreements", ":id", "governance", "new", access: manage, use: forumForm)
        site.post("agreements", ":id", "governance", "new", access: manage, use: addForum)
        site.post("agreement-forums", ":id", "remove", access: .scoped(.agreementsManage, AgreementService.forumLinkScope), use: removeForum)
        site.get("agreements", ":id", "plans", "new", access: manage, use: planForm)
        site.post("agreements", ":id", "plans", "new", access: manage, use: createPlan)
        site.get("action-plans", ":id", "activities", "new", access: managePlan, use: newActivity)
        site.post("action-plans", ":id", "activities", "new", access: managePlan, use: createActivity)
        site.get("plan-activities", ":id", "edit", access: manageActivity, use: editActivity)
        site.post("plan-activities", ":id", "edit", access: manageActivity, use: updateActivity)
        site.get("plan-activities", ":id", "notes", "new", access: manageActivity, use: noteForm)
        site.post("plan-activities", ":id", "notes", "new", access: manageActivity, use: addNote)
        site.get("agreements", ":id", "reports", "new", access: manage, use: newReport)
        site.post("agreements", ":id", "reports", "new", access: manage, use: createReport)
        site.get("agreement-reports", ":id", "edit", access: manageReport, use: editReport)
        site.post("agreement-reports", ":id", "edit", access: manageReport, use: updateReport)
        site.get("agreement-reports", ":id", "approve", access: manageReport, use: approveForm)
        site.post("agreement-reports", ":id", "approve", access: manageReport, use: approve)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }

    /// Runs a form post: on a validation error the same form again with the messages; otherwise a redirect.
    static func submit<F: Decodable>(_ req: Request, _ type: F.Type, form: @escaping (F, [FieldError]) async throws -> Response,
                                     _ act: @escaping @Sendable (F, WriteContext) async throws -> String) async throws -> Response where F: Sendable {
        let f = try req.decodeForm(F.self)
        do {
            let to = try await req.write { ctx in try await act(f, ctx) }
            return req.redirect(to: to, flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await form(f, $0) } }
    }

    static func status(_ errors: [FieldError]) -> HTTPStatus { errors.isEmpty ? .ok : .unprocessableEntity }

    static func back(_ req: Request, agreement: UUID) async throws -> Link {
        Link(href: "/agreements/\(agreement)", label: try await AgreementService.find(agreement, on: req.db).title)
    }

    // MARK: Agreement

    struct AgreementForm: Content, Sendable {
        var title: String?; var kind: String?; var purpose: String?; var scope: String?; var ownerBodyId: String?; var coOwnerBodyId: String?
        var partyOrganisationId: String?; var partyName: String?; var isPublic: String?; var version: Int?
        var body: AgreementBody {
            AgreementBody(title: title, kind: kind, purpose: purpose, scope: scope,
                          ownerBodyIds: [ownerBodyId, coOwnerBodyId].compactMap { $0 }.filter { !$0.isEmpty }, partyOrganisationId: partyOrganisationId ?? "",
                          partyName: partyName, isPublic: isPublic == "true", version: version)
        }
    }

    static func agreementPage(_ req: Request, _ f: AgreementForm, action: String, heading: String, errors: [FieldError], cancel: String) async throws -> Response {
        let bodies = try await req.principal.isAdmin ? DirectoryQueries.allBodies(on: req.db) : DirectoryQueries.allBodies(on: req.db)
        let mine = try await req.officialBodies()
        let orgs = try await DirectoryQueries.allOrganisations(on: req.db).filter { !$0.isDeleted }.sorted { $0.name < $1.name }
        let fields = [
            FormField("title", label: req.t("agreement.field.title"), value: f.title, required: true, maxLength: 200),
            FormField("kind", label: req.t("agreement.field.kind"), kind: .select, required: true, options: req.options(AgreementKind.self, selected: f.kind ?? "regional")),
            FormField("ownerBodyId", label: req.t("agreement.field.owner"), kind: .select, required: true,
                      options: mine.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.ownerBodyId) }),
            FormField("coOwnerBodyId", label: req.t("agreement.field.coOwner"), kind: .select, hint: req.t("agreement.field.coOwnerHint"),
                      options: [.init(value: "", label: req.t("form.none"), selected: (f.coOwnerBodyId ?? "").isEmpty)]
                        + bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.coOwnerBodyId) }),
            FormField("partyOrganisationId", label: req.t("agreement.field.party"), kind: .select, hint: req.t("agreement.field.partyHint"),
                      options: [.init(value: "", label: req.t("form.none"), selected: (f.partyOrganisationId ?? "").isEmpty)]
                        + orgs.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.partyOrganisationId) }),
            FormField("partyName", label: req.t("agreement.field.partyName"), value: f.partyName, hint: req.t("agreement.field.partyNameHint"), maxLength: 200),
            FormField("purpose", label: req.t("agreement.field.purpose"), kind: .textarea, value: f.purpose, maxLength: 4000),
            FormField("scope", label: req.t("agreement.field.scope"), kind: .textarea, value: f.scope, maxLength: 4000),
            FormField("isPublic", label: req.t("agreement.field.isPublic"), kind: .checkbox, value: "true", checked: f.isPublic != "false"),
        ]
        let form = req.form(action: action, submitLabel: req.t("form.save"), fields: fields, errors: errors, version: f.version, cancelHref: cancel)
        return try await req.formPage(heading: heading, intro: f.version == nil ? req.t("agreement.newIntro") : nil, form: form, status: status(errors))
    }

    @Sendable static func newAgreement(_ req: Request) async throws -> Response {
        try await agreementPage(req, AgreementForm(isPublic: "true"), action: "/agreements/new", heading: req.t("agreement.new"), errors: [], cancel: "/agreements")
    }

    @Sendable static func createAgreement(_ req: Request) async throws -> Response {
        try await submit(req, AgreementForm.self, form: { f, e in
            try await agreementPage(req, f, action: "/agreements/new", heading: req.t("agreement.new"), errors: e, cancel: "/agreements")
        }) { f, ctx in "/agreements/\(try await AgreementService.save(nil, f.body, in: ctx).requireID())" }
    }

    @Sendable static func editAgreement(_ req: Request) async throws -> Response {
        let a = try await AgreementService.find(try id(req), on: req.db)
        let aid = try a.requireID()
        let owners = try await AgreementService.owners(aid, on: req.db)
        let f = AgreementForm(title: a.title, kind: a.kind.rawValue, purpose: a.purpose, scope: a.scope, ownerBodyId: owners.first?.uuidString,
                              coOwnerBodyId: owners.dropFirst().first?.uuidString, partyOrganisationId: a.partyOrganisationID?.uuidString, partyName: a.partyName,
                              isPublic: a.isPublic ? "true" : "false", version: a.version)
        return try await agreementPage(req, f, action: "/agreements/\(aid)/edit", heading: req.t("agreement.edit"), errors: [], cancel: "/agreements/\(aid)")
    }

    @Sendable static func updateAgreement(_ req: Request) async throws -> Response {
        let aid = try id(req)
        return try await submit(req, AgreementForm.self, form: { f, e in
            try await agreementPage(req, f, action: "/agreements/\(aid)/edit", heading: req.t("agreement.edit"), errors: e, cancel: "/agreements/\(aid)")
        }) { f, ctx in
            var b = f.body
            if b.isPublic == false && f.isPublic == nil { b.isPublic = false }
            return "/agreements/\(try await AgreementService.save(aid, b, in: ctx).requireID())"
        }
    }

    @Sendable static func revise(_ req: Request) async throws -> Response {
        let aid = try id(req)
        do {
            let v = try await req.write { ctx in try await AgreementService.createDraft(aid, in: ctx) }
            return req.redirect(to: "/agreement-versions/\(try v.requireID())/edit", flash: req.t("agreement.revisionStarted"))
        } catch let e as AppError where e.status == .conflict {
            return req.redirect(to: "/agreements/\(aid)", flash: req.t("agreement.draftUnderWay"))
        }
    }

    // MARK: Draft, consultation, adoption, end

    struct DraftForm: Content, Sendable { var sectionsText: String?; var principlesText: String?; var version: Int? }

    static func draftPage(_ req: Request, _ v: AgreementVersion, _ f: DraftForm, errors: [FieldError]) async throws -> Response {
        let vid = try v.requireID()
        let fields = [
            FormField("sectionsText", label: req.t("agreement.field.sections"), kind: .textarea, value: f.sectionsText, hint: req.t("agreement.field.sectionsHint"),
                      required: true, maxLength: 200_000),
            FormField("principlesText", label: req.t("agreement.field.principles"), kind: .textarea, value: f.principlesText,
                      hint: req.t("agreement.field.principlesHint"), required: true, maxLength: 40_000),
        ]
        // Errors on one section or principle are shown at the textarea that holds it.
        let mapped = errors.map { e -> FieldError in
            var e = e
            if e.field.hasPrefix("sections") { e.field = "sectionsText" } else if e.field.hasPrefix("principles") { e.field = "principlesText" }
            return e
        }
        let form = req.form(action: "/agreement-versions/\(vid)/edit", submitLabel: req.t("form.save"), fields: fields, errors: mapped, version: f.version,
                            cancelHref: "/agreement-versions/\(vid)")
        return try await req.formPage(heading: req.t("agreement.editDraft", String(v.number)), form: form,
                                      back: try await back(req, agreement: v.agreementID), status: status(errors))
    }

    @Sendable static func editDraft(_ req: Request) async throws -> Response {
        let v = try await AgreementVersion.require(try id(req), on: req.db)
        return try await draftPage(req, v, DraftForm(sectionsText: AgreementTextFormat.text(of: v.sectionList),
                                                     principlesText: AgreementTextFormat.text(of: v.principleList), version: v.version), errors: [])
    }

    @Sendable static func updateDraft(_ req: Request) async throws -> Response {
        let v = try await AgreementVersion.require(try id(req), on: req.db)
        let vid = try v.requireID()
        let previous = v.sectionList
        return try await submit(req, DraftForm.self, form: { f, e in try await draftPage(req, v, f, errors: e) }) { f, ctx in
            let sections = AgreementTextFormat.sections(from: f.sectionsText ?? "", previous: previous)
            let body = VersionBody(sections: sections.map { SectionBody(key: $0.key, title: $0.title, text: $0.text) },
                                   principles: AgreementTextFormat.principles(from: f.principlesText ?? ""), version: f.version)
            _ = try await AgreementService.updateDraft(vid, body, in: ctx)
            return "/agreement-versions/\(vid)"
        }
    }

    struct DeadlineForm: Content, Sendable { var deadline: String?; var version: Int? }

    static func consultationPage(_ req: Request, _ v: AgreementVersion, _ f: DeadlineForm, errors: [FieldError]) async throws -> Response {
        let vid = try v.requireID()
        let form = req.form(action: "/agreement-versions/\(vid)/consultation", submitLabel: req.t("agreement.sendToConsultation"), fields: [
            FormField("deadline", label: req.t("agreement.field.deadline"), kind: .date, value: f.deadline, hint: req.t("agreement.field.deadlineHint"), required: true),
        ], errors: errors, version: f.version, cancelHref: "/agreement-versions/\(vid)")
        return try await req.formPage(heading: req.t("agreement.consultationHeading", String(v.number)), intro: req.t("agreement.consultationIntro"), form: form,
                                      back: try await back(req, agreement: v.agreementID), status: status(errors))
    }

    @Sendable static func consultationForm(_ req: Request) async throws -> Response {
        let v = try await AgreementVersion.require(try id(req), on: req.db)
        return try await consultationPage(req, v, DeadlineForm(deadline: LocalDate.today().adding(days: 42).description, version: v.version), errors: [])
    }

    @Sendable static func consult(_ req: Request) async throws -> Response {
        let v = try await AgreementVersion.require(try id(req), on: req.db)
        let vid = try v.requireID()
        let base = req.application.config.publicBaseURL
        return try await submit(req, DeadlineForm.self, form: { f, e in try await consultationPage(req, v, f, errors: e) }) { f, ctx in
            _ = try await AgreementService.sendToConsultation(vid, ConsultationRequestBody(deadline: f.deadline, version: f.version), baseURL: base, in: ctx)
            return "/agreement-versions/\(vid)"
        }
    }

    struct AdoptForm: Content, Sendable {
        var adoptedOn: String?; var validFrom: String?; var decidingBodyId: String?; var decidingOrgan: String?; var paragraph: String?
        var diarienummer: String?; var version: Int?
    }

    static func adoptPage(_ req: Request, _ v: AgreementVersion, _ f: AdoptForm, errors: [FieldError]) async throws -> Response {
        let vid = try v.requireID()
        let owners = try await DirectoryQueries.bodies(try await AgreementService.owners(v.agreementID, on: req.db), on: req.db)
        let form = req.form(action: "/agreement-versions/\(vid)/adopt", submitLabel: req.t("agreement.adopt"), fields: [
            FormField("decidingBodyId", label: req.t("agreement.field.decidingBody"), kind: .select, required: true,
                      options: owners.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == f.decidingBodyId) }),
            FormField("decidingOrgan", label: req.t("agreement.field.organ"), value: f.decidingOrgan, hint: req.t("agreement.field.organHint"), required: true, maxLength: 200),
            FormField("adoptedOn", label: req.t("agreement.field.adoptedOn"), kind: .date, value: f.adoptedOn, required: true),
            FormField("validFrom", label: req.t("agreement.field.validFrom"), kind: .date, value: f.validFrom, hint: req.t("agreement.field.validFromHint")),
            FormField("paragraph", label: req.t("agreement.field.paragraph"), value: f.paragraph, hint: req.t("agreement.field.paragraphHint"), required: true, maxLength: 20),
            FormField("diarienummer", label: req.t("agreement.field.diarienummer"), value: f.diarienummer, hint: req.t("agreement.field.diarienummerHint"),
                      required: true, maxLength: 40),
        ], errors: errors, version: f.version, cancelHref: "/agreement-versions/\(vid)")
        return try await req.formPage(heading: req.t("agreement.adoptHeading", String(v.number)), form: form,
                                      back: try await back(req, agreement: v.agreementID), status: status(errors))
    }

    @Sendable static func adoptForm(_ req: Request) async throws -> Response {
        let v = try await AgreementVersion.require(try id(req), on: req.db)
        return try await adoptPage(req, v, AdoptForm(version: v.version), errors: [])
    }

    @Sendable static func adopt(_ req: Request) async throws -> Response {
        let v = try await AgreementVersion.require(try id(req), on: req.db)
        let vid = try v.requireID()
        return try await submit(req, AdoptForm.self, form: { f, e in try await adoptPage(req, v, f, errors: e) }) { f, ctx in
            _ = try await AgreementService.adopt(vid, AdoptionBody(adoptedOn: f.adoptedOn, validFrom: f.validFrom?.nilIfEmpty, decidingBodyId: f.decidingBodyId,
                                                                   decidingOrgan: f.decidingOrgan, paragraph: f.paragraph, diarienummer: f.diarienummer,
                                                                   version: f.version), in: ctx)
            return "/agreement-versions/\(vid)"
        }
    }

    struct EndForm: Content, Sendable { var endedOn: String?; var endReason: String? }

    static func endPage(_ req: Request, _ aid: UUID, _ f: EndForm, errors: [FieldError]) async throws -> Response {
        let form = req.form(action: "/agreements/\(aid)/end", submitLabel: req.t("agreement.end"), fields: [
            FormField("endedOn", label: req.t("agreement.field.endedOn"), kind: .date, value: f.endedOn, hint: req.t("agreement.field.endedOnHint"), required: true),
            FormField("endReason", label: req.t("agreement.field.endReason"), kind: .textarea, value: f.endReason, required: true, maxLength: 2000),
        ], errors: errors, cancelHref: "/agreements/\(aid)")
        return try await req.formPage(heading: req.t("agreement.endHeading"), form: form, back: try await back(req, agreement: aid), status: status(errors))
    }

    @Sendable static func endForm(_ req: Request) async throws -> Response { try await endPage(req, try id(req), EndForm(), errors: []) }

    @Sendable static func end(_ req: Request) async throws -> Response {
        let aid = try id(req)
        return try await submit(req, EndForm.self, form: { f, e in try await endPage(req, aid, f, errors: e) }) { f, ctx in
            _ = try await AgreementService.end(aid, EndBody(endedOn: f.endedOn, endReason: f.endReason), in: ctx)
            return "/agreements/\(aid)"
        }
    }
}
