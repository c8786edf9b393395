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
        var requiredAttachments: [String]?
        var budgetTable: String?
        var version: Int?
        /// Which button was pressed: save (default), addQuestion, addCriterion or preview.
        var action: String?
    }

    struct BuilderRow: Encodable, Sendable { var legend: String; var fields: [FormField] }
    struct PreviewItem: Encodable, Sendable { var label: String; var required: Bool; var help: String?; var kind: String; var options: String? }
    struct CallFormPage: Encodable, Sendable {
        var heading: String
        var form: FormContext
        var questions: [BuilderRow]
        var criteria: [BuilderRow]
        var preview: [PreviewItem]
        var hasPreview: Bool
    }

    /// The call form with the question builder. `pairs` are the builder's fields as sent (or as saved); `extra` adds empty
    /// question or criterion rows.
    static func callFormPage(_ req: Request, _ f: CallForm, pairs: [(String, String)], id: UUID?, errors: [FieldError],
                             extraQuestion: Bool = false, extraCriterion: Bool = false, preview: Bool = false) async throws -> Response {
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
            FormField("requiredAttachments[]", label: req.t("grants.call.attachments"), kind: .checkboxes,
                      options: ProgrammeService.attachmentKinds.map { .init(value: $0, label: req.t("attachment.\($0)"), selected: (f.requiredAttachments ?? []).contains($0)) }),
            FormField("budgetTable", label: req.t("grants.call.budgetTable"), kind: .checkbox, checked: f.budgetTable == "true"),
        ]
        let form = req.form(action: id.map { "/grants/calls/\($0)/edit" } ?? "/grants/calls", submitLabel: req.t("form.save"), fields: fields,
                            errors: errors, version: f.version, cancelHref: id.map { "/grants/calls/\($0)" } ?? "/grants")
        // Builder rows: every row sent, then the empty rows asked for (at least one of each on a new form).
        var qRows = CallFormRows.rows(pairs, prefix: "q")
        var cRows = CallFormRows.rows(pairs, prefix: "c")
        if extraQuestion || qRows.isEmpty { qRows.append(.init(index: (qRows.map(\.index).max() ?? -1) + 1, parts: [:])) }
        if extraCriterion || cRows.isEmpty { cRows.append(.init(index: (cRows.map(\.index).max() ?? -1) + 1, parts: [:])) }
        let kinds = FormFieldSpec.Kind.allCases
        let questions = qRows.enumerated().map { n, r -> BuilderRow in
            let p = "q.\(r.index)."
            let group = req.form(action: "", submitLabel: "", fields: [
                FormField(p + "label", label: req.t("grants.builder.label"), value: r.value("label"), required: true, maxLength: 300),
                FormField(p + "kind", label: req.t("grants.builder.kind"), kind: .select,
                          options: kinds.map { .init(value: $0.rawValue, label: req.t("grants.builder.kind.\($0.rawValue)"), selected: r.value("kind") == $0.rawValue) }),
                FormField(p + "required", label: req.t("grants.builder.required"), kind: .checkbox, checked: r.value("required") == "true"),
                FormField(p + "help", label: req.t("grants.builder.help"), value: r.value("help"), hint: req.t("grants.builder.helpHint"), maxLength: 1000),
                FormField(p + "options", label: req.t("grants.builder.options"), kind: .textarea, value: r.value("options"), hint: req.t("grants.builder.optionsHint"), maxLength: 4000),
                FormField(p + "key", label: req.t("grants.builder.key"), value: r.value("key"), hint: req.t("grants.builder.keyHint"), maxLength: 40),
                FormField(p + "position", label: req.t("grants.builder.position"), kind: .number, value: r.value("position").isEmpty ? String(n + 1) : r.value("position"), maxLength: 3),
                FormField(p + "remove", label: req.t("grants.builder.remove"), kind: .checkbox, checked: r.value("remove") == "true"),
            ], errors: errors)
            return BuilderRow(legend: req.t("grants.builder.question", String(n + 1)), fields: group.fields)
        }
        let criteria = cRows.enumerated().map { n, r -> BuilderRow in
            let p = "c.\(r.index)."
            let group = req.form(action: "", submitLabel: "", fields: [
                FormField(p + "label", label: req.t("grants.builder.criterion"), value: r.value("label"), required: true, maxLength: 300),
                FormField(p + "weight", label: req.t("grants.builder.weight"), kind: .number, value: r.value("weight").isEmpty ? "1" : r.value("weight"), hint: req.t("grants.builder.weightHint"), maxLength: 2),
                FormField(p + "key", label: req.t("grants.builder.key"), value: r.value("key"), hint: req.t("grants.builder.keyHint"), maxLength: 40),
                FormField(p + "remove", label: req.t("grants.builder.removeCriterion"), kind: .checkbox, checked: r.value("remove") == "true"),
            ], errors: errors)
            return BuilderRow(legend: req.t("grants.builder.criterionN", String(n + 1)), fields: group.fields)
        }
        var items: [PreviewItem] = []
        if preview {
            var ignored = FieldErrors()
            items = CallFormRows.questions(pairs, errors: &ignored).map {
                PreviewItem(label: $0.label, required: $0.required, help: $0.help, kind: req.t("grants.builder.kind.\($0.kind.rawValue)"),
                            options: $0.options?.joined(separator: " · "))
            }
        }
        let heading = id == nil ? req.t("grants.call.new") : req.t("grants.call.edit")
        return try await req.page("grants/call-form", title: heading, CallFormPage(heading: heading, form: form, questions: questions, criteria: criteria,
                                                                                 preview: items, hasPreview: preview),
                                  status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    static func callBody(_ f: CallForm, pairs: [(String, String)]) throws -> CallBody {
        var errors = FieldErrors()
        let fields = CallFormRows.questions(pairs, errors: &errors)
        let criteria = CallFormRows.criteria(pairs, errors: &errors)
        let year = TextRules.integer(f.year, field: "year", range: 2000...2200, required: true, errors: &errors)
        try errors.throwIfAny()
        return CallBody(programmeId: f.programmeId, title: f.title, year: year, opensOn: f.opensOn, closesOn: f.closesOn, description: f.description,
                        fields: fields, criteria: criteria, requiredAttachments: f.requiredAttachments ?? [], budgetTable: f.budgetTable == "true", version: f.version)
    }

    @Sendable static func newCall(_ req: Request) async throws -> Response {
        let defaults = CallFormRows.pairs([FormFieldSpec(key: "verksamhet", label: "Beskriv verksamheten som bidraget ska gå till", kind: .text, required: true),
                                           FormFieldSpec(key: "malgrupp", label: "Målgrupp", kind: .choice, required: true, options: ["Barn och unga", "Vuxna", "Äldre", "Alla"])],
                                          [ReviewRules.Criterion(key: "relevans", label: "Relevans för programmets syfte", weight: 2),
                                           ReviewRules.Criterion(key: "genomforbarhet", label: "Genomförbarhet och budget", weight: 1)])
        return try await callFormPage(req, CallForm(programmeId: req.queryValue("programme"), requiredAttachments: ["verksamhetsberattelse", "arsbokslut"],
                                                    budgetTable: "true"), pairs: defaults, id: nil, errors: [])
    }

    /// Add-a-row and preview buttons show the form again, unsaved; saving validates and writes.
    static func submitCall(_ req: Request, id: UUID?) async throws -> Response {
        let f = try req.decodeForm(CallForm.self)
        let pairs = FormPairs.parse(req)
        switch f.action {
        case "addQuestion": return try await callFormPage(req, f, pairs: pairs, id: id, errors: [], extraQuestion: true)
        case "addCriterion": return try await callFormPage(req, f, pairs: pairs, id: id, errors: [], extraCriterion: true)
        case "preview": return try await callFormPage(req, f, pairs: pairs, id: id, errors: [], preview: true)
        default: break
        }
        do {
            let body = try callBody(f, pairs: pairs)
            let c = try await req.write { ctx in try await ProgrammeService.saveCall(id, body, in: ctx) }
            return req.redirect(to: "/grants/calls/\(c.id!)", flash: req.t("saved"))
        } catch let e as FieldErrors {
            return try await callFormPage(req, f, pairs: pairs, id: id, errors: e.all.map { $0.localized(req.application.localizer, req.language) })
        } catch { return try await rerender(req, error: error) { errs in
            try await callFormPage(req, f, pairs: pairs, id: id, errors: errs.map { e in var e = e; e.field = String(e.field.split(separator: "[").first ?? Substring(e.field)); return e })
        } }
    }

    @Sendable static func createCall(_ req: Request) async throws -> Response { try await submitCall(req, id: nil) }

    @Sendable static func editCall(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let c = try await GrantQueries.call(id, on: req.db)
        let f = CallForm(programmeId: c.programmeID.uuidString, title: c.title, year: String(c.year), opensOn: c.opensOn, closesOn: c.closesOn,
                         description: c.description, requiredAttachments: c.attachmentKinds, budgetTable: c.budgetTable ? "true" : nil, version: c.version)
        return try await callFormPage(req, f, pairs: CallFormRows.pairs(c.fieldSpecs, c.criteriaList), id: id, errors: [])
    }

    @Sendable static func updateCall(_ req: Request) async throws -> Response {
        try await submitCall(req, id: try req.parameters.require("id", as: UUID.self))
    }
}
