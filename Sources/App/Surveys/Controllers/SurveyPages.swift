import Fluent
import Vapor
import SamverkaRules

/// Survey pages: the list, the builder (details, questions one by one with a preview), audience and sending, the
/// import of answers, the results "N av M" with charts, and the answer form a personal link opens.
enum SurveyPages {
    static func register(_ site: Router) {
        let manager = Access.record("surveyManager")
        site.get("surveys", access: .anyone, use: index)
        site.get("surveys", "new", access: .permission(.surveysManage), use: newForm)
        site.post("surveys", "new", access: .permission(.surveysManage), use: create)
        site.get("surveys", ":id", access: .anyone, use: show)
        site.get("surveys", ":id", "edit", access: manager, use: editForm)
        site.post("surveys", ":id", "edit", access: manager, use: update)
        site.get("surveys", ":id", "questions", "new", access: manager, use: newQuestion)
        site.post("surveys", ":id", "questions", "new", access: manager, use: createQuestion)
        site.get("surveys", ":id", "questions", ":code", access: manager, use: editQuestion)
        site.post("surveys", ":id", "questions", ":code", access: manager, use: updateQuestion)
        site.post("surveys", ":id", "questions", ":code", "move", access: manager, use: moveQuestion)
        site.post("surveys", ":id", "questions", ":code", "delete", access: manager, use: deleteQuestion)
        site.get("surveys", ":id", "preview", access: manager, use: preview)
        site.post("surveys", ":id", "recipients", access: manager, use: addRecipients)
        site.post("surveys", ":id", "recipients", ":rid", "delete", access: manager, use: removeRecipient)
        site.post("surveys", ":id", "send", access: manager, use: send)
        site.post("surveys", ":id", "remind", access: manager, use: remind)
        site.post("surveys", ":id", "publish", access: manager, use: publish)
        site.post("surveys", ":id", "import", access: manager, use: importFile)
        site.get("surveys", ":id", "results", access: .anyone, use: results)
        site.get("s", ":token", access: .anyone, use: answerForm)
        site.post("s", ":token", access: .anyone, use: answer)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }
    static func day(_ raw: String?, _ req: Request) -> String { raw.flatMap(LocalDate.stored).map { $0.formatted(req.language.rawValue) } ?? "" }

    /// Runs a write for a button on the survey page and comes back with a message (or the error as a message).
    static func action(_ req: Request, _ sid: UUID, success: @escaping @Sendable (Int) -> String, _ act: @escaping @Sendable (WriteContext) async throws -> Int) async throws -> Response {
        do {
            let n = try await req.write { ctx in try await act(ctx) }
            return req.redirect(to: "/surveys/\(sid)", flash: success(n))
        } catch let e as AppError where e.status != .forbidden && e.status != .notFound {
            let message = req.formErrors(e)?.map(\.message).joined(separator: " ") ?? e.reason(for: req)
            return req.redirect(to: "/surveys/\(sid)", flash: message.isEmpty ? e.reason(for: req) : message)
        }
    }

    // MARK: List

    struct Row: Encodable, Sendable { var href: String; var title: String; var detail: String }

    @Sendable static func index(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable { var mine: [Row]; var published: [Row]; var canCreate: Bool; var hasMine: Bool; var hasPublished: Bool }
        let all = try await SurveyService.list(visibleTo: req.principal, on: req.db)
        let owners = try await DirectoryQueries.bodyNames(all.compactMap(\.bodyID), on: req.db)
        func row(_ s: Survey, results: Bool) -> Row? {
            s.id.map { Row(href: results ? "/surveys/\($0)/results" : "/surveys/\($0)", title: s.title,
                           detail: [s.bodyID.flatMap { owners[$0] } ?? req.t("survey.national"), "\(day(s.opensOn, req))–\(day(s.closesOn, req))",
                                    req.t("survey.phase.\(SurveyService.phase(s).rawValue)")].joined(separator: " · ")) }
        }
        let mine = all.filter { SurveyService.mayManage($0, req.principal) }
        let published = all.filter { $0.publishedOn != nil && !SurveyService.mayManage($0, req.principal) }
        return try await req.page("surveys/index", title: req.t("surveys.title"), Data(
            mine: mine.compactMap { row($0, results: false) }, published: published.compactMap { row($0, results: true) },
            canCreate: Policy.allows(req.principal, .surveysManage), hasMine: !mine.isEmpty, hasPublished: !published.isEmpty))
    }

    // MARK: Details

    struct DetailsForm: Content, Sendable {
        var title: String?; var purpose: String?; var bodyId: String?; var opensOn: String?; var closesOn: String?; var anonymous: String?; var template: String?
        var version: Int?
    }

    static func detailsPage(_ req: Request, _ f: DetailsForm, survey: Survey?, errors: [FieldError]) async throws -> Response {
        let p = req.principal
        var owners: [FormField.Option] = []
        if Policy.allows(p, .overviewManage) { owners.append(.init(value: "", label: req.t("survey.national"), selected: (f.bodyId ?? "").isEmpty)) }
        for b in try await DirectoryQueries.allBodies(on: req.db).sorted(by: { $0.name < $1.name }) where Policy.allows(p, .surveysManage, .body(b.id, unitPath: [])) {
            owners.append(.init(value: b.id.uuidString, label: b.name, selected: b.id.uuidString.lowercased() == (f.bodyId ?? "").lowercased()))
        }
        let action = survey?.id.map { "/surveys/\($0)/edit" } ?? "/surveys/new"
        var fields = [
            FormField("title", label: req.t("survey.field.title"), value: f.title, required: true, maxLength: 200),
            FormField("purpose", label: req.t("survey.field.purpose"), kind: .textarea, value: f.purpose, hint: req.t("survey.field.purposeHint"), maxLength: 4000),
            FormField("bodyId", label: req.t("survey.field.owner"), kind: .select, required: true, options: owners),
            FormField("opensOn", label: req.t("survey.field.opensOn"), kind: .date, value: f.opensOn, required: true),
            FormField("closesOn", label: req.t("survey.field.closesOn"), kind: .date, value: f.closesOn, required: true),
            FormField("anonymous", label: req.t("survey.field.anonymous"), kind: .checkbox, value: "true", hint: req.t("survey.field.anonymousHint"), checked: f.anonymous == "true"),
        ]
        if survey == nil {
            fields.append(FormField("template", label: req.t("survey.field.template"), kind: .checkbox, value: "true", hint: req.t("survey.field.templateHint"),
                                    checked: f.template == "true"))
        }
        let form = req.form(action: action, submitLabel: req.t(survey == nil ? "survey.create" : "form.save"), fields: fields, errors: errors,
                            version: survey?.version, cancelHref: survey?.id.map { "/surveys/\($0)" } ?? "/surveys")
        return try await req.formPage(heading: req.t(survey == nil ? "survey.new" : "survey.edit"), intro: survey == nil ? req.t("survey.newIntro") : nil, form: form,
                                      back: Link(href: "/surveys", label: req.t("surveys.title")), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    static func body(_ f: DetailsForm) -> SurveyBody {
        SurveyBody(title: f.title, purpose: f.purpose, bodyId: f.bodyId, opensOn: f.opensOn, closesOn: f.closesOn, anonymous: f.anonymous == "true", version: f.version)
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        let today = LocalDate.today()
        let own = req.principal.officialBodyIDs.first?.uuidString ?? ""
        return try await detailsPage(req, DetailsForm(bodyId: own, opensOn: today.description, closesOn: today.adding(days: 30).description, anonymous: "true",
                                                      template: req.queryValue("template") == "1" ? "true" : nil), survey: nil, errors: [])
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(DetailsForm.self)
        do {
            let s = try await req.write { ctx in
                var b = body(f)
                if f.template == "true" {
                    let t = SurveyTemplate.europeanCode
                    b.questions = t.questions
                    if (b.purpose ?? "").isEmpty { b.purpose = t.purpose }
                }
                return try await SurveyService.save(nil, b, in: ctx)
            }
            return req.redirect(to: "/surveys/\(try s.requireID())", flash: req.t("survey.created"))
        } catch { return try await rerender(req, error: error) { try await detailsPage(req, f, survey: nil, errors: $0) } }
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let s = try await SurveyService.managed(try id(req), req.principal, on: req.db)
        return try await detailsPage(req, DetailsForm(title: s.title, purpose: s.purpose, bodyId: s.bodyID?.uuidString ?? "", opensOn: s.opensOn, closesOn: s.closesOn,
                                                      anonymous: s.anonymous ? "true" : nil, version: s.version), survey: s, errors: [])
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let sid = try id(req)
        let s = try await SurveyService.managed(sid, req.principal, on: req.db)
        let f = try req.decodeForm(DetailsForm.self)
        do {
            _ = try await req.write { ctx in try await SurveyService.save(sid, body(f), in: ctx) }
            return req.redirect(to: "/surveys/\(sid)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await detailsPage(req, f, survey: s, errors: $0) } }
    }

    // MARK: Survey page

    struct QuestionRow: Encodable, Sendable {
        var code: String; var number: Int; var text: String; var kind: String; var options: String; var condition: String?; var required: Bool
        var first: Bool; var last: Bool
    }
    struct RecipientRow: Encodable, Sendable { var id: UUID; var name: String; var group: String; var email: String; var status: String; var canRemove: Bool }

    static func kindLabel(_ k: QuestionKind, _ req: Request) -> String { req.t("survey.kind.\(k.rawValue)") }

    static func choiceLabel(_ q: SurveyQuestion, _ code: String, _ req: Request) -> String {
        switch q.kind {
        case .yesNo: return req.t(code == "yes" ? "survey.yes" : "survey.no")
        default: return q.choices.first { $0.code == code }?.label ?? code
        }
    }

    static func questionRows(_ qs: [SurveyQuestion], _ req: Request) -> [QuestionRow] {
        qs.enumerated().map { i, q in
            let cond = q.showIf.map { c in
                let target = qs.first { $0.code == c.question }
                return req.t("survey.conditionText", String((qs.firstIndex { $0.code == c.question } ?? 0) + 1), target.map { choiceLabel($0, c.answer, req) } ?? c.answer)
            }
            return QuestionRow(code: q.code, number: i + 1, text: q.text, kind: kindLabel(q.kind, req),
                               options: q.choices.map { choiceLabel(q, $0.code, req) }.joined(separator: " · "), condition: cond, required: q.required,
                               first: i == 0, last: i == qs.count - 1)
        }
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable {
            var s: SurveyDTO; var manage: Bool; var phase: String; var period: String; var questions: [QuestionRow]; var recipients: [RecipientRow]
            var hasQuestions: Bool; var hasRecipients: Bool; var toInvite: Int; var toRemind: Int; var noAddress: Int; var canSend: Bool; var canRemind: Bool; var published: Bool
            var rate: String; var groups: [SurveyGroupRate]; var hasGroups: Bool; var areas: [FormField.Option]; var bodies: [FormField.Option]; var csrf: String
            var anonymity: String; var resultsHref: String?; var municipalities: [FormField.Option]
        }
        let s = try await SurveyService.readable(try id(req), req.principal, on: req.db)
        let sid = try s.requireID()
        let manage = SurveyService.mayManage(s, req.principal)
        let dto = try await SurveyService.dto(s, on: req.db)
        let recipients = manage ? try await SurveyService.recipients(sid, on: req.db) : []
        let rows = recipients.compactMap { r -> RecipientRow? in
            guard let rid = r.id else { return nil }
            let status = r.answeredAt != nil ? req.t("survey.recipient.answered") : r.remindedAt != nil ? req.t("survey.recipient.reminded")
                : r.invitedAt != nil ? req.t("survey.recipient.invited") : r.email.isEmpty ? req.t("survey.recipient.noAddress") : req.t("survey.recipient.notInvited")
            return RecipientRow(id: rid, name: r.name, group: r.respondentGroup, email: r.email, status: status, canRemove: r.answeredAt == nil)
        }
        let phase = SurveyService.phase(s)
        let open = LocalDate(stored: s.closesOn) >= .today()
        let toInvite = recipients.filter { $0.invitedAt == nil && !$0.email.isEmpty }.count
        let toRemind = recipients.filter { $0.invitedAt != nil && $0.answeredAt == nil && !$0.email.isEmpty }.count
        let areas = manage ? req.areaOptions(try await DirectoryVocabularyService.load(on: req.db), selected: []) : []
        let municipalities = manage ? try await req.municipalityOptions(on: req.db, selected: [], single: true, emptyLabel: req.t("survey.audience.anyMunicipality")) : []
        let bodies = manage ? try await DirectoryQueries.allBodies(on: req.db).sorted { $0.name < $1.name } : []
        return try await req.page("surveys/survey", title: s.title, Data(
            s: dto, manage: manage, phase: req.t("survey.phase.\(phase.rawValue)"), period: "\(day(s.opensOn, req))–\(day(s.closesOn, req))",
            questions: questionRows(s.questionList, req), recipients: rows, hasQuestions: !s.questionList.isEmpty, hasRecipients: !rows.isEmpty, toInvite: toInvite, toRemind: toRemind,
            noAddress: recipients.filter { $0.email.isEmpty }.count, canSend: open && toInvite > 0, canRemind: open && toRemind > 0,
            published: s.publishedOn != nil,
            rate: dto.responseRate.map { req.t("survey.rate", String(dto.answered), String(dto.invited), String($0)) } ?? req.t("survey.rateNone"),
            groups: dto.groups, hasGroups: !dto.groups.isEmpty,
            areas: [.init(value: "", label: req.t("survey.audience.anyArea"))] + areas,
            bodies: bodies.map { .init(value: $0.id.uuidString, label: $0.name) }, csrf: req.csrfToken,
            anonymity: req.t(s.anonymous ? "survey.anonymousYes" : "survey.anonymousNo"),
            resultsHref: s.publishedOn != nil || manage ? "/surveys/\(sid)/results" : nil, municipalities: municipalities))
    }

    // MARK: Questions

    static let optionRows = 12

    static func questionPage(_ req: Request, _ s: Survey, original: String?, _ f: [String: String], errors: [FieldError]) async throws -> Response {
        let sid = try s.requireID()
        let earlier = s.questionList.prefix { $0.code != original }.filter { $0.kind.isCounted }
        var fields = [
            FormField("code", label: req.t("survey.q.code"), value: f["code"], hint: req.t("survey.q.codeHint"), required: true, maxLength: 40),
            FormField("text", label: req.t("survey.q.text"), kind: .textarea, value: f["text"], required: true, maxLength: 1000),
            FormField("kind", label: req.t("survey.q.kind"), kind: .select, hint: req.t("survey.q.kindHint"), required: true,
                      options: QuestionKind.allCases.map { .init(value: $0.rawValue, label: kindLabel($0, req), selected: f["kind"] == $0.rawValue) }),
            FormField("help", label: req.t("survey.q.help"), value: f["help"], maxLength: 1000),
            FormField("required", label: req.t("survey.q.required"), kind: .checkbox, value: "true", checked: f["required"] == "true"),
            FormField("showIfQuestion", label: req.t("survey.q.showIf"), kind: .select, hint: req.t("survey.q.showIfHint"),
                      options: [.init(value: "", label: req.t("survey.q.always"))] + earlier.map { .init(value: $0.code, label: "\($0.code): \($0.text)", selected: f["showIfQuestion"] == $0.code) }),
            FormField("showIfAnswer", label: req.t("survey.q.showIfAnswer"), value: f["showIfAnswer"], hint: req.t("survey.q.showIfAnswerHint"), maxLength: 40),
        ]
        for i in 1...optionRows {
            fields.append(FormField("optionCode\(i)", label: req.t("survey.q.optionCode", String(i)), value: f["optionCode\(i)"], maxLength: 40))
            fields.append(FormField("optionLabel\(i)", label: req.t("survey.q.optionLabel", String(i)), value: f["optionLabel\(i)"], maxLength: 300))
        }
        // Errors on options[n].x belong to the n+1:th option row.
        let mapped = errors.map { e -> FieldError in
            var e = e
            if e.field.hasPrefix("questions[") , let dot = e.field.firstIndex(of: ".") { e.field = String(e.field[e.field.index(after: dot)...]) }
            if e.field.hasPrefix("options["), let close = e.field.firstIndex(of: "]"), let n = Int(e.field[e.field.index(e.field.startIndex, offsetBy: 8)..<close]) {
                e.field = (e.field.hasSuffix(".label") ? "optionLabel" : "optionCode") + String(n + 1)
            } else if e.field == "options" { e.field = "optionCode1" } else if e.field == "showIf" { e.field = "showIfQuestion" }
            return e
        }
        let action = original.map { "/surveys/\(sid)/questions/\($0)" } ?? "/surveys/\(sid)/questions/new"
        let form = req.form(action: action, submitLabel: req.t("form.save"), fields: fields, errors: mapped, version: s.version, cancelHref: "/surveys/\(sid)")
        return try await req.formPage(heading: req.t(original == nil ? "survey.q.new" : "survey.q.edit"), intro: req.t("survey.q.intro"), form: form,
                                      back: Link(href: "/surveys/\(sid)", label: s.title), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    static func question(from f: [String: String]) -> SurveyQuestion {
        let kind = QuestionKind(rawValue: f["kind"] ?? "") ?? .single
        var options: [SurveyOption] = []
        if kind.hasOwnOptions {
            for i in 1...optionRows {
                let c = (f["optionCode\(i)"] ?? "").trimmingCharacters(in: .whitespaces), l = (f["optionLabel\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
                if c.isEmpty && l.isEmpty { continue }
                options.append(SurveyOption(code: c, label: l))
            }
        }
        let cq = (f["showIfQuestion"] ?? "").trimmingCharacters(in: .whitespaces)
        return SurveyQuestion(code: (f["code"] ?? "").trimmingCharacters(in: .whitespaces), text: (f["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                              kind: kind, options: options, help: (f["help"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), required: f["required"] == "true",
                              showIf: cq.isEmpty ? nil : SurveyCondition(question: cq, answer: (f["showIfAnswer"] ?? "").trimmingCharacters(in: .whitespaces)))
    }

    static func formValues(_ q: SurveyQuestion) -> [String: String] {
        var f = ["code": q.code, "text": q.text, "kind": q.kind.rawValue, "help": q.help, "required": q.required ? "true" : "",
                 "showIfQuestion": q.showIf?.question ?? "", "showIfAnswer": q.showIf?.answer ?? ""]
        for (i, o) in q.options.prefix(optionRows).enumerated() { f["optionCode\(i + 1)"] = o.code; f["optionLabel\(i + 1)"] = o.label }
        return f
    }

    static func formDictionary(_ req: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in FormPairs.parse(req) where out[k] == nil { out[k] = v }
        return out
    }

    @Sendable static func newQuestion(_ req: Request) async throws -> Response {
        let s = try await SurveyService.managed(try id(req), req.principal, on: req.db)
        return try await questionPage(req, s, original: nil, ["kind": "single"], errors: [])
    }

    @Sendable static func editQuestion(_ req: Request) async throws -> Response {
        let s = try await SurveyService.managed(try id(req), req.principal, on: req.db)
        let code = try req.parameters.require("code")
        guard let q = s.questionList.first(where: { $0.code == code }) else { throw AppError.notFound() }
        return try await questionPage(req, s, original: code, formValues(q), errors: [])
    }

    static func saveQuestion(_ req: Request, original: String?) async throws -> Response {
        let sid = try id(req)
        let s = try await SurveyService.managed(sid, req.principal, on: req.db)
        let f = formDictionary(req)
        let q = question(from: f)
        let version = Int(f["version"] ?? "")
        do {
            _ = try await req.write { ctx in try await SurveyService.editQuestion(sid, .put(original: original, q), version: version, in: ctx) }
            return req.redirect(to: "/surveys/\(sid)#questions", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await questionPage(req, s, original: original, f, errors: $0) } }
    }

    @Sendable static func createQuestion(_ req: Request) async throws -> Response { try await saveQuestion(req, original: nil) }
    @Sendable static func updateQuestion(_ req: Request) async throws -> Response { try await saveQuestion(req, original: try req.parameters.require("code")) }

    @Sendable static func moveQuestion(_ req: Request) async throws -> Response {
        let sid = try id(req), code = try req.parameters.require("code")
        let by = formDictionary(req)["direction"] == "up" ? -1 : 1
        return try await action(req, sid, success: { _ in req.t("saved") }) { ctx in _ = try await SurveyService.editQuestion(sid, .move(code, by: by), version: nil, in: ctx); return 1 }
    }

    @Sendable static func deleteQuestion(_ req: Request) async throws -> Response {
        let sid = try id(req), code = try req.parameters.require("code")
        return try await action(req, sid, success: { _ in req.t("survey.q.removed") }) { ctx in _ = try await SurveyService.editQuestion(sid, .remove(code), version: nil, in: ctx); return 1 }
    }

    // MARK: Audience, sending, publishing, import

    @Sendable static func addRecipients(_ req: Request) async throws -> Response {
        let sid = try id(req)
        let pairs = FormPairs.parse(req)
        func one(_ k: String) -> String? { pairs.first { $0.0 == k }?.1 }
        // Organisations chosen by organisationsnummer (one per line) as well as by area and municipality.
        var ids = pairs.filter { $0.0 == "ids" }.map(\.1).filter { !$0.isEmpty }
        var unknown: [String] = []
        for line in (one("orgnrs") ?? "").split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }).prefix(1000) {
            let normalized = (try? OrganisationNumber.parse(line).get())?.normalized ?? line
            if let o = try await DirectoryQueries.organisation(orgnr: normalized, on: req.db) { ids.append(o.id.uuidString) } else { unknown.append(line) }
        }
        if !unknown.isEmpty {
            return req.redirect(to: "/surveys/\(sid)#h-audience", flash: req.t("survey.audience.unknownOrgnr", unknown.prefix(5).joined(separator: ", ")))
        }
        let b = SurveyRecipientsBody(kind: one("kind"), ids: ids, area: one("area"),
                                     municipality: one("municipality"), bodyId: one("bodyId"), group: one("group"))
        let lang = req.language
        let localizer = req.application.localizer
        return try await action(req, sid, success: { localizer.text("survey.recipientsAdded", lang, [String($0)]) }) { ctx in
            try await SurveyService.addRecipients(sid, b, in: ctx)
        }
    }

    @Sendable static func removeRecipient(_ req: Request) async throws -> Response {
        let sid = try id(req), rid = try req.parameters.require("rid", as: UUID.self)
        return try await action(req, sid, success: { _ in req.t("survey.recipientRemoved") }) { ctx in try await SurveyService.removeRecipient(sid, recipient: rid, in: ctx); return 1 }
    }

    static func sendOrRemind(_ req: Request, remind: Bool) async throws -> Response {
        let sid = try id(req)
        let base = req.application.config.publicBaseURL
        let lang = req.language, localizer = req.application.localizer
        let res = try await action(req, sid, success: { localizer.text(remind ? "survey.reminded" : "survey.sent", lang, [String($0)]) }) { ctx in
            try await SurveyService.send(sid, remind: remind, baseURL: base, in: ctx)
        }
        // Deliver now rather than at the outbox job's next round.
        Task { [app = req.application] in await Outbox.deliverPending(app, limit: 200) }
        return res
    }

    @Sendable static func send(_ req: Request) async throws -> Response { try await sendOrRemind(req, remind: false) }
    @Sendable static func remind(_ req: Request) async throws -> Response { try await sendOrRemind(req, remind: true) }

    @Sendable static func publish(_ req: Request) async throws -> Response {
        let sid = try id(req)
        let on = formDictionary(req)["publish"] != "false"
        return try await action(req, sid, success: { _ in req.t(on ? "survey.published" : "survey.unpublished") }) { ctx in
            _ = try await SurveyService.publish(sid, on, in: ctx); return 1
        }
    }

    @Sendable static func importFile(_ req: Request) async throws -> Response {
        struct B: Content { var file: File? }
        let sid = try id(req)
        let s = try await SurveyService.managed(sid, req.principal, on: req.db)
        let b = try req.decodeForm(B.self)
        guard let file = b.file, file.data.readableBytes > 0 else {
            return req.redirect(to: "/surveys/\(sid)#import", flash: req.t("invalid.fileRequired"))
        }
        let localizer = req.application.localizer
        let bytes = Array(file.data.readableBytesView)
        do {
            let report = try await req.write { ctx in try await SurveyResultsService.importResponses(sid, ByteSource(bytes: bytes), localizer: localizer, in: ctx) }
            return req.redirect(to: "/surveys/\(sid)/results", flash: req.t("survey.imported", String(report.imported)))
        } catch let r as ImportRejected {
            struct Data: Encodable, Sendable { var report: ImportReport; var back: String; var title: String }
            return try await req.page("surveys/import-rejected", title: req.t("survey.importFailed"), Data(report: r.report, back: "/surveys/\(sid)", title: s.title),
                                      status: .unprocessableEntity)
        }
    }

    // MARK: Results

    struct Cell: Encodable, Sendable { var text: String; var count: Int; var of: Int }
    struct AnswerRow: Encodable, Sendable { var label: String; var cells: [Cell]; var bar: Bar }
    struct Bar: Encodable, Sendable { var y: Int; var width: Int; var textY: Int; var textX: Int; var label: String }
    struct QuestionResult: Encodable, Sendable {
        var number: Int; var code: String; var text: String; var groups: [String]; var rows: [AnswerRow]; var answered: Bool; var chartHeight: Int
        var isMulti: Bool; var totalOf: Int
    }
    struct TextResult: Encodable, Sendable { var number: Int; var text: String; var answers: [SurveyTextAnswer]; var hasAnswers: Bool }

    static func share(_ count: Int, _ of: Int, _ req: Request) -> String {
        req.t("survey.nOfM", String(count), String(of), String(of == 0 ? 0 : Int((Double(count) * 100 / Double(of)).rounded())))
    }

    @Sendable static func results(_ req: Request) async throws -> Response {
        struct Data: Encodable, Sendable {
            var s: SurveyDTO; var questions: [QuestionResult]; var texts: [TextResult]; var hasTexts: Bool; var respondents: Int; var published: Bool
            var csvHref: String; var manage: Bool
        }
        let s = try await SurveyService.readable(try id(req), req.principal, on: req.db)
        let r = try await SurveyResultsService.results(s, on: req.db)
        let dto = try await SurveyService.dto(s, on: req.db)
        let groups = Array(Set(r.items.map(\.respondentGroup))).sorted { SwedishCollation.key($0) < SwedishCollation.key($1) }
        var out: [QuestionResult] = [], texts: [TextResult] = []
        for (n, q) in s.questionList.enumerated() {
            if q.kind == .text {
                let list = r.texts.filter { $0.question == q.code }
                texts.append(TextResult(number: n + 1, text: q.text, answers: list, hasAnswers: !list.isEmpty))
                continue
            }
            let qGroups = groups.filter { g in r.items.contains { $0.question == q.code && $0.respondentGroup == g } }
            var rows: [AnswerRow] = []
            for (i, c) in q.choices.enumerated() {
                let total = r.totals.first { $0.question == q.code && $0.answer == c.code }
                var cells = qGroups.map { g -> Cell in
                    let item = r.items.first { $0.question == q.code && $0.respondentGroup == g && $0.answer == c.code }
                    return Cell(text: share(item?.count ?? 0, item?.of ?? 0, req), count: item?.count ?? 0, of: item?.of ?? 0)
                }
                if qGroups.count > 1 { cells.append(Cell(text: share(total?.count ?? 0, total?.of ?? 0, req), count: total?.count ?? 0, of: total?.of ?? 0)) }
                let width = (total?.of ?? 0) == 0 ? 0 : Int((Double(total?.count ?? 0) / Double(total?.of ?? 1) * 260).rounded())
                rows.append(AnswerRow(label: choiceLabel(q, c.code, req), cells: cells,
                                      bar: Bar(y: i * 28 + 4, width: width, textY: i * 28 + 19, textX: width + 6,
                                               label: "\(choiceLabel(q, c.code, req)): \(share(total?.count ?? 0, total?.of ?? 0, req))")))
            }
            out.append(QuestionResult(number: n + 1, code: q.code, text: q.text, groups: qGroups.count > 1 ? qGroups + [req.t("survey.allGroups")] : qGroups, rows: rows,
                                      answered: !qGroups.isEmpty, chartHeight: q.choices.count * 28 + 8, isMulti: q.kind == .multi,
                                      totalOf: r.totals.first { $0.question == q.code }?.of ?? 0))
        }
        let sid = try s.requireID()
        return try await req.page("surveys/results", title: req.t("survey.resultsTitle", s.title), Data(
            s: dto, questions: out, texts: texts, hasTexts: !texts.isEmpty, respondents: r.respondents, published: s.publishedOn != nil,
            csvHref: "/api/v1/surveys/\(sid)/results.csv", manage: SurveyService.mayManage(s, req.principal)))
    }
}
