import Fluent
import Vapor
import SamverkaRules

/// The call form: dates, application form fields, review criteria and required attachments.
extension GrantAdminPages {
    // MARK: Calls

    struct CallForm: Content {
        var programmeId: String?
        var title: String?
        var year: String?
        var opensOn: String?
        var closesOn: String?
        var description: String?
        var fields: String?
        var criteria: String?
        var requiredAttachments: [String]?
        var budgetTable: String?
        var version: Int?
    }

    static func callFormPage(_ req: Request, _ f: CallForm, id: UUID?, errors: [FieldError]) async throws -> Response {
        var fields: [FormField] = []
        if id == nil {
            let programmes = try await GrantQueries.allProgrammes(on: req.db)
            var allowed: [GrantProgramme] = []
            for p in programmes where Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db)) { allowed.append(p) }
            fields.append(FormField("programmeId", label: req.t("grants.programme"), kind: .select, required: true,
                                    options: allowed.map { .init(value: $0.id!.uuidString, label: $0.name, selected: f.programmeId == $0.id!.uuidString) }))
        }
        fields += [
            FormField("title", label: req.t("grants.call.title"), value: f.title, required: true, maxLength: 200),
            FormField("year", label: req.t("grants.year"), kind: .number, value: f.year ?? String(LocalDate.today().year), required: true, maxLength: 4),
            FormField("opensOn", label: req.t("grants.call.opensOn"), kind: .date, value: f.opensOn, required: true),
            FormField("closesOn", label: req.t("grants.call.closesOn"), kind: .date, value: f.closesOn, hint: req.t("grants.call.closesOnHint"), required: true),
            FormField("description", label: req.t("org.field.description"), kind: .textarea, value: f.description, maxLength: 10_000),
            FormField("fields", label: req.t("grants.call.fields"), kind: .textarea, value: f.fields, hint: req.t("grants.call.fieldsHint"), maxLength: 10_000),
            FormField("criteria", label: req.t("grants.call.criteria"), kind: .textarea, value: f.criteria, hint: req.t("grants.call.criteriaHint"), maxLength: 4000),
            FormField("requiredAttachments[]", label: req.t("grants.call.attachments"), kind: .checkboxes,
                      options: ProgrammeService.attachmentKinds.map { .init(value: $0, label: req.t("attachment.\($0)"), selected: (f.requiredAttachments ?? []).contains($0)) }),
            FormField("budgetTable", label: req.t("grants.call.budgetTable"), kind: .checkbox, checked: f.budgetTable == "true"),
        ]
        let form = req.form(action: id.map { "/grants/calls/\($0)/edit" } ?? "/grants/calls", submitLabel: req.t("form.save"), fields: fields,
                            errors: errors, version: f.version, cancelHref: id.map { "/grants/calls/\($0)" } ?? "/grants")
        return try await req.formPage(heading: id == nil ? req.t("grants.call.new") : req.t("grants.call.edit"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    static func callBody(_ f: CallForm) throws -> CallBody {
        var errors = FieldErrors()
        let fields = CallFormText.parseFields(f.fields, errors: &errors)
        let criteria = CallFormText.parseCriteria(f.criteria, errors: &errors)
        let year = TextRules.integer(f.year, field: "year", range: 2000...2200, required: true, errors: &errors)
        try errors.throwIfAny()
        return CallBody(programmeId: f.programmeId, title: f.title, year: year, opensOn: f.opensOn, closesOn: f.closesOn, description: f.description,
                        fields: fields, criteria: criteria, requiredAttachments: f.requiredAttachments ?? [], budgetTable: f.budgetTable == "true", version: f.version)
    }

    @Sendable static func newCall(_ req: Request) async throws -> Response {
        let defaults = "verksamhet | Beskriv verksamheten som bidraget ska gå till | text | ja\nmalgrupp | Målgrupp | choice | ja | Barn och unga; Vuxna; Äldre; Alla"
        return try await callFormPage(req, CallForm(programmeId: req.query[String.self, at: "programme"], fields: defaults,
                                                    criteria: "relevans | Relevans för programmets syfte | 2\ngenomforbarhet | Genomförbarhet och budget | 1",
                                                    requiredAttachments: ["verksamhetsberattelse", "arsbokslut"], budgetTable: "true"), id: nil, errors: [])
    }

    @Sendable static func createCall(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(CallForm.self)
        do {
            let body = try callBody(f)
            let c = try await req.write { ctx in try await ProgrammeService.saveCall(nil, body, in: ctx) }
            return req.redirect(to: "/grants/calls/\(c.id!)", flash: req.t("saved"))
        } catch let e as FieldErrors {
            return try await callFormPage(req, f, id: nil, errors: e.all.map { $0.localized(req.application.localizer, req.language) })
        } catch { return try await rerender(req, error: error) { errs in
            try await callFormPage(req, f, id: nil, errors: errs.map { e in var e = e; e.field = String(e.field.split(separator: "[").first ?? Substring(e.field)); return e })
        } }
    }

    @Sendable static func editCall(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let c = try await GrantQueries.call(id, on: req.db)
        let f = CallForm(programmeId: c.programmeID.uuidString, title: c.title, year: String(c.year), opensOn: c.opensOn, closesOn: c.closesOn,
                         description: c.description, fields: CallFormText.fieldsText(c.fieldSpecs),
                         criteria: c.criteriaList.map { "\($0.key) | \($0.label) | \($0.weight)" }.joined(separator: "\n"),
                         requiredAttachments: c.attachmentKinds, budgetTable: c.budgetTable ? "true" : nil, version: c.version)
        return try await callFormPage(req, f, id: id, errors: [])
    }

    @Sendable static func updateCall(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(CallForm.self)
        do {
            let body = try callBody(f)
            _ = try await req.write { ctx in try await ProgrammeService.saveCall(id, body, in: ctx) }
            return req.redirect(to: "/grants/calls/\(id)", flash: req.t("saved"))
        } catch let e as FieldErrors {
            return try await callFormPage(req, f, id: id, errors: e.all.map { $0.localized(req.application.localizer, req.language) })
        } catch { return try await rerender(req, error: error) { errs in
            try await callFormPage(req, f, id: id, errors: errs.map { e in var e = e; e.field = String(e.field.split(separator: "[").first ?? Substring(e.field)); return e })
        } }
    }
}
