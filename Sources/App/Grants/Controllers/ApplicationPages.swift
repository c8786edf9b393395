import Fluent
import Vapor
import SamverkaRules

/// Calls and applications in the browser: call page, start, edit draft, attachments, submit, withdraw,
/// the list of applications, and assigning reviewers.
enum ApplicationPages {
    static func register(_ g: Router) {
        g.get("calls", ":id", access: .anyone, use: call)
        g.post("calls", ":id", "apply", access: .permission(.grantsApply), use: apply)
        g.get("applications", access: .signedIn, use: list)
        g.get("applications", ":id", access: .record("grantCaseRead"), use: show)
        g.get("applications", ":id", "edit", access: .scoped(.grantsApply, ApplicationService.applicationScope), use: edit)
        g.post("applications", ":id", "edit", access: .scoped(.grantsApply, ApplicationService.applicationScope), use: save)
        g.post("applications", ":id", "attachments", access: .scoped(.grantsApply, ApplicationService.applicationScope), body: .collect(maxSize: "21mb"), use: upload)
        g.post("attachments", ":id", "delete", access: .permission(.grantsApply), use: removeAttachment)
        g.get("attachments", ":id", access: .record("grantCaseRead"), use: GrantsAPIController.download)
        for action in ["submit", "withdraw", "reopen"] {
            g.post("applications", ":id", .constant(action), access: .scoped(.grantsApply, ApplicationService.applicationScope)) { req in
                try await transition(req, action)
            }
        }
        g.post("applications", ":id", "reviewers", access: .permission(.grantsManage), use: assign)
    }

    struct CallPage: Encodable, Sendable {
        var call: CallDTO
        var programmeHref: String
        var opens: String
        var closes: String
        var fields: [String]
        var attachments: [String]
        var orgs: [FormField.Option]
        var hasOrgs: Bool
        var existing: [Link]
        var hasExisting: Bool
        var csrf: String
        var canEdit: Bool
        var description: String?
    }

    @Sendable static func call(_ req: Request) async throws -> Response {
        let c = try await GrantQueries.call(try req.parameters.require("id", as: UUID.self), on: req.db)
        let p = try await GrantQueries.programme(c.programmeID, on: req.db)
        let dto = try await ProgrammeService.callDTO(c, on: req.db)
        let lang = req.language.rawValue
        let orgs = try await DirectoryQueries.organisations(req.principal.organisationIDs, on: req.db)
        let existing = try await GrantQueries.applications(callID: c.id!, organisations: orgs.map(\.id), on: req.db)
        let names = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id, $0.name) })
        let data = CallPage(
            call: dto, programmeHref: "/grants/programmes/\(p.id!)", opens: c.opensOnDate.formatted(lang), closes: c.closesOnDate.formatted(lang),
            fields: c.fieldSpecs.map { $0.label + ($0.required ? " (\(req.t("form.required")))" : "") },
            attachments: c.attachmentKinds.map { req.t("attachment.\($0)") },
            orgs: orgs.filter { o in !existing.contains { $0.organisationID == o.id } }.map { .init(value: $0.id.uuidString, label: $0.name) },
            hasOrgs: dto.isOpen && orgs.contains { o in !existing.contains { $0.organisationID == o.id } },
            existing: existing.map { Link(href: "/grants/applications/\($0.id!)", label: names[$0.organisationID] ?? "", note: req.t("applicationStatus.\($0.status.rawValue)")) },
            hasExisting: !existing.isEmpty, csrf: req.csrfToken, canEdit: Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db)),
            description: c.description.nilIfEmpty)
        return try await req.page("grants/call", title: c.title, data)
    }

    @Sendable static func apply(_ req: Request) async throws -> Response {
        let callID = try req.parameters.require("id", as: UUID.self)
        struct B: Content { var organisationId: String? }
        guard let org = try req.decodeForm(B.self).organisationId.flatMap(UUID.init(uuidString:)) else { throw AppError.badRequest(code: "organisationRequired", field: "organisationId") }
        let a = try await req.write { ctx in try await ApplicationService.create(callID: callID, organisationID: org, in: ctx) }
        return req.redirect(to: "/grants/applications/\(a.id!)/edit", flash: req.t("grants.application.started"))
    }

    struct Row: Encodable, Sendable { var href: String; var organisation: String; var call: String; var status: String; var requested: String; var updated: String }
    struct ListPage: Encodable, Sendable { var rows: [Row]; var hasRows: Bool; var pager: PagerContext; var filter: String? }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let page = try PageRequest.from(req, defaultPer: 50)
        var base: [(String, String)] = []
        let programmeID = try req.uuidParameter("programme")
        if let programmeID { base.append(("programme", programmeID.uuidString)) }
        var filter: String?
        let status = req.queryValue("status").flatMap(ApplicationStatus.init(rawValue:))
        if let status {
            base.append(("status", status.rawValue))
            filter = req.t("applicationStatus.\(status.rawValue)")
        }
        let (apps, total) = try await GrantQueries.applications(visibleTo: req.principal, programmeID: programmeID, status: status, page: page, on: req.db)
        let names = try await DirectoryQueries.organisationNames(apps.map(\.organisationID), on: req.db)
        let calls = try await GrantQueries.callTitles(apps.map(\.callID), on: req.db)
        let lang = req.language.rawValue
        let rows = apps.map { a in
            Row(href: "/grants/applications/\(a.id!)", organisation: names[a.organisationID] ?? "", call: calls[a.callID] ?? "",
                status: req.t("applicationStatus.\(a.status.rawValue)"), requested: a.requestedOre.map { Money.format($0, lang) } ?? "–",
                updated: a.updatedAt.map { req.dateTime($0) } ?? "")
        }
        return try await req.page("grants/applications", title: req.t("grants.applications"), ListPage(rows: rows, hasRows: !rows.isEmpty,
                                  pager: PagerContext(PageMetadata(page: page.page, per: page.per, total: total), path: "/grants/applications", baseQuery: base), filter: filter))
    }

    struct Answer: Encodable, Sendable { var label: String; var value: String }
    struct Budget: Encodable, Sendable { var label: String; var amount: String }
    struct Condition: Encodable, Sendable { var status: String; var label: String; var reason: String }
    struct ReviewRow: Encodable, Sendable { var reviewer: String; var jav: String; var scores: String; var comment: String?; var completed: Bool }
    struct CriterionRow: Encodable, Sendable { var label: String; var weight: Int; var mean: String; var spread: String; var count: Int }
    struct ApplicationPage: Encodable, Sendable {
        var app: ApplicationDTO
        var status: String
        var callHref: String
        var answers: [Answer]
        var budget: [Budget]
        var hasBudget: Bool
        var budgetTotal: String
        var requested: String
        var eligibilityLabel: String?
        var eligibilityStatus: String?
        var conditions: [Condition]
        var attachments: [Link]
        var hasAttachments: Bool
        var canEdit: Bool
        var canSubmit: Bool
        var canWithdraw: Bool
        var canReopen: Bool
        var canManage: Bool
        var decideHref: String?
        var reviewers: [FormField.Option]
        var hasReviewerChoices: Bool
        var reviews: [ReviewRow]
        var hasReviews: Bool
        var criteria: [CriterionRow]
        var weighted: String?
        var decisions: [Link]
        var hasDecisions: Bool
        var csrf: String
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let a = try await GrantsAPIController.viewable(req)
        let dto = try await ApplicationService.dto(a, withEligibility: true, on: req.db)
        let (call, p) = try await ReviewService.programme(of: a, on: req.db)
        let lang = req.language.rawValue
        let isApplicant = Policy.allows(req.principal, .grantsApply, .organisation(a.organisationID))
        let canManage = Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db))
        let answers = call.fieldSpecs.filter { $0.kind != .file }.map { spec -> Answer in
            let raw = dto.answers[spec.key] ?? ""
            return Answer(label: spec.label, value: spec.kind == .amount ? (Int(raw).map { Money.format($0, lang) } ?? "–") : (raw.isEmpty ? "–" : raw))
        }
        var reviewers: [FormField.Option] = []
        var reviewRows: [ReviewRow] = []
        var criteria: [CriterionRow] = []
        var weighted: String?
        if canManage || (req.principal.userID != nil && Policy.allows(req.principal, .grantsReview)) {
            let s = try await ReviewService.summary(applicationID: a.id!, on: req.db)
            for r in s.reviews {
                reviewRows.append(ReviewRow(reviewer: try await AccountQueries.account(r.reviewerID, on: req.db)?.name ?? "",
                                            jav: r.jav.map { $0 ? req.t("review.javYes") : req.t("review.javNo") } ?? req.t("review.javUnknown"),
                                            scores: r.scoreMap.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "),
                                            comment: r.comment.nilIfEmpty, completed: r.completedAt != nil))
            }
            criteria = zip(s.criteria, s.summary).map { c, x in
                CriterionRow(label: c.label, weight: c.weight, mean: x.mean.map { DecimalText.format($0, digits: 1, lang: req.language.rawValue) } ?? "–",
                             spread: x.spread.map { "\(x.min!)–\(x.max!) (\($0))" } ?? "–", count: x.count)
            }
            weighted = s.weighted.map { DecimalText.format($0, digits: 2, lang: req.language.rawValue) }
        }
        if canManage && (a.status == .submitted || a.status == .underReview) {
            let assigned = try await GrantQueries.reviewerIDs(applicationID: a.id!, on: req.db)
            let candidates = try await AccountQueries.holders(of: [.reviewer, .official], inBody: p.bodyID, on: req.db)
            for u in try await AccountQueries.activeAccounts(candidates, on: req.db) where !assigned.contains(u.id) {
                reviewers.append(.init(value: u.id.uuidString, label: u.name))
            }
        }
        let decisions = try await GrantQueries.decisions(applicationID: a.id!, on: req.db)
        let data = ApplicationPage(
            app: dto, status: req.t("applicationStatus.\(a.status.rawValue)"), callHref: "/grants/calls/\(call.id!)", answers: answers,
            budget: dto.budget.map { Budget(label: $0.label, amount: Money.format($0.amountOre, lang)) }, hasBudget: !dto.budget.isEmpty,
            budgetTotal: Money.format(dto.budget.reduce(0) { $0 + $1.amountOre }, lang), requested: dto.requestedOre.map { Money.format($0, lang) } ?? "–",
            eligibilityLabel: dto.eligibility.map { GrantPages.statusLabel($0.status, req) }, eligibilityStatus: dto.eligibility?.status.rawValue,
            conditions: (dto.eligibility?.localized(req).conditions ?? []).map { Condition(status: $0.status.rawValue, label: GrantPages.statusLabel($0.status, req), reason: $0.reason) },
            attachments: dto.attachments.map { Link(href: "/grants/attachments/\($0.id)", label: $0.filename, note: req.t("attachment.\($0.kind)")) },
            hasAttachments: !dto.attachments.isEmpty, canEdit: isApplicant && a.status == .draft, canSubmit: isApplicant && a.status == .draft,
            canWithdraw: isApplicant && [.draft, .submitted, .underReview].contains(a.status), canReopen: isApplicant && a.status == .withdrawn,
            canManage: canManage, decideHref: canManage && [.submitted, .underReview, .decided].contains(a.status) ? "/grants/applications/\(a.id!)/decide" : nil,
            reviewers: reviewers, hasReviewerChoices: !reviewers.isEmpty, reviews: reviewRows, hasReviews: !reviewRows.isEmpty, criteria: criteria,
            weighted: weighted,
            decisions: decisions.map { Link(href: "/grants/decisions/\($0.id!)", label: "\($0.diarienummer) · \(req.t("outcome.\($0.outcome.rawValue)")) · \(Money.format($0.amountOre, lang))", note: $0.decidedOn) },
            hasDecisions: !decisions.isEmpty, csrf: req.csrfToken)
        return try await req.page("grants/application", title: req.t("grants.application.title", dto.organisationName ?? "", dto.callTitle ?? ""), data)
    }

    // MARK: Edit

    struct EditPage: Encodable, Sendable {
        var app: ApplicationDTO
        var form: FormContext
        var budgetRows: [BudgetRow]
        var attachments: [AttachmentRow]
        var hasAttachments: Bool
        var upload: FormContext
        var missing: [String]
        var hasMissing: Bool
        var csrf: String
        var eligibility: [Condition]
        var eligibilityLabel: String?
    }
    struct BudgetRow: Encodable, Sendable { var index: Int; var label: String; var amount: String; var labelId: String; var amountId: String }
    struct AttachmentRow: Encodable, Sendable { var id: UUID; var filename: String; var kind: String; var size: String }

    struct EditForm: Content {
        var answers: [String: String]?
        var budgetLabel: [String]?
        var budgetAmount: [String]?
        var requested: String?
        var activities: String?
        var payeeAccount: String?
        var version: Int?
    }

    static func editPage(_ req: Request, _ a: GrantApplication, form f: EditForm?, errors: [FieldError], status: HTTPStatus = .ok) async throws -> Response {
        let dto = try await ApplicationService.dto(a, withEligibility: true, on: req.db)
        let call = try await GrantQueries.call(a.callID, on: req.db)
        let lang = req.language.rawValue
        func kr(_ ore: Int?) -> String { ore.map { Money.decimal($0).replacingOccurrences(of: ".00", with: "").replacingOccurrences(of: ".", with: ",") } ?? "" }
        var fields: [FormField] = []
        for spec in call.fieldSpecs where spec.kind != .file {
            defer { if let help = spec.help, !fields.isEmpty, fields[fields.count - 1].name == "answers[\(spec.key)]" { fields[fields.count - 1].hint = [help, fields[fields.count - 1].hint].compactMap { $0 }.joined(separator: " ") } }
            let raw = f?.answers?[spec.key] ?? dto.answers[spec.key] ?? ""
            let value = spec.kind == .amount && f == nil ? kr(Int(raw)) : raw
            let name = "answers[\(spec.key)]"
            switch spec.kind {
            case .text: fields.append(FormField(name, label: spec.label, kind: .textarea, value: value, required: spec.required, maxLength: 4000))
            case .number: fields.append(FormField(name, label: spec.label, kind: .number, value: value, required: spec.required, maxLength: 10))
            case .amount: fields.append(FormField(name, label: spec.label, value: value, hint: req.t("grants.kronorHint"), required: spec.required, maxLength: 20))
            case .date: fields.append(FormField(name, label: spec.label, kind: .date, value: value, required: spec.required))
            case .choice: fields.append(FormField(name, label: spec.label, kind: .select, required: spec.required,
                                                  options: [.init(value: "", label: req.t("form.choose"))] + (spec.options ?? []).map { .init(value: $0, label: $0, selected: $0 == value) }))
            case .file: break
            }
        }
        fields.append(FormField("requested", label: req.t("grants.requested"), value: f?.requested ?? kr(dto.requestedOre), hint: req.t("grants.kronorHint"), maxLength: 20))
        fields.append(FormField("activities", label: req.t("grants.activities"), kind: .number, value: f?.activities ?? String(dto.activities), hint: req.t("grants.activitiesHint"), maxLength: 6))
        fields.append(FormField("payeeAccount", label: req.t("grants.payeeAccount"), value: f?.payeeAccount ?? dto.payeeAccount, hint: req.t("grants.payeeAccountHint"), maxLength: 40))
        // Error fields use the API's names (answers.key); the form's are answers[key].
        let mapped = errors.map { e -> FieldError in
            var e = e
            if e.field.hasPrefix("answers.") { e.field = "answers[\(e.field.dropFirst(8))]" }
            if e.field == "requestedOre" { e.field = "requested" }
            return e
        }
        let form = req.form(action: "/grants/applications/\(a.id!)/edit", submitLabel: req.t("grants.saveDraft"), fields: fields, errors: mapped,
                            version: a.version, cancelHref: "/grants/applications/\(a.id!)")
        var rows = (f?.budgetLabel ?? dto.budget.map(\.label)).enumerated().map { i, l in
            BudgetRow(index: i + 1, label: l, amount: f?.budgetAmount?[safe: i] ?? kr(dto.budget[safe: i]?.amountOre), labelId: "f-budget-\(i)-label", amountId: "f-budget-\(i)-amount")
        }
        for i in rows.count..<(rows.count + 3) { rows.append(BudgetRow(index: i + 1, label: "", amount: "", labelId: "f-budget-\(i)-label", amountId: "f-budget-\(i)-amount")) }
        let files = try await GrantQueries.attachments(applicationID: a.id!, on: req.db)
        let kinds = call.attachmentKinds.map { ($0, req.t("attachment.\($0)")) } + call.fieldSpecs.filter { $0.kind == .file }.map { ($0.key, $0.label) }
            + [("other", req.t("attachment.other"))]
        let upload = req.form(action: "/grants/applications/\(a.id!)/attachments", submitLabel: req.t("grants.upload"), fields: [
            FormField("kind", label: req.t("grants.attachmentKind"), kind: .select, options: kinds.map { .init(value: $0.0, label: $0.1) }),
            FormField("file", label: req.t("grants.file"), kind: .file, hint: req.t("grants.fileHint"), required: true),
        ], multipart: true)
        let missing = call.attachmentKinds.filter { k in !files.contains { $0.kind == k } }.map { req.t("attachment.\($0)") }
        let data = EditPage(
            app: dto, form: form, budgetRows: rows,
            attachments: files.map { file in AttachmentRow(id: file.id!, filename: file.filename, kind: kinds.first { k in k.0 == file.kind }?.1 ?? file.kind, size: "\(file.size / 1024 + 1) kB") },
            hasAttachments: !files.isEmpty, upload: upload, missing: missing, hasMissing: !missing.isEmpty, csrf: req.csrfToken,
            eligibility: (dto.eligibility?.localized(req).conditions ?? []).map { Condition(status: $0.status.rawValue, label: GrantPages.statusLabel($0.status, req), reason: $0.reason) },
            eligibilityLabel: dto.eligibility.map { GrantPages.statusLabel($0.status, req) })
        return try await req.page("grants/application-edit", title: req.t("grants.application.edit", dto.callTitle ?? ""), data, status: status)
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let a = try await GrantQueries.application(try req.parameters.require("id", as: UUID.self), on: req.db)
        guard a.status == .draft else { return req.redirect(to: "/grants/applications/\(a.id!)", flash: req.t("grants.application.notDraft")) }
        return try await editPage(req, a, form: nil, errors: [])
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(EditForm.self)
        do {
            var errors = FieldErrors()
            var lines: [BudgetLine] = []
            for (i, label) in (f.budgetLabel ?? []).enumerated() {
                let amount = f.budgetAmount?[safe: i] ?? ""
                if label.trimmingCharacters(in: .whitespaces).isEmpty && amount.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                guard let ore = Money.parseKronor(amount) else { errors.add("budget", code: "amount"); continue }
                lines.append(BudgetLine(label: label, amountOre: ore))
            }
            var requested: Int?
            if let r = f.requested, !r.trimmingCharacters(in: .whitespaces).isEmpty {
                if let ore = Money.parseKronor(r) { requested = ore } else { errors.add("requested", code: "amount") }
            }
            let activities = TextRules.integer(f.activities, field: "activities", range: 0...100_000, errors: &errors)
            try errors.throwIfAny()
            let body = ApplicationBody(answers: f.answers ?? [:], budget: lines, requestedOre: requested, activities: activities ?? 0, payeeAccount: f.payeeAccount, version: f.version)
            _ = try await req.write { ctx in try await ApplicationService.update(id, body, in: ctx) }
            return req.redirect(to: "/grants/applications/\(id)/edit", flash: req.t("grants.draftSaved"))
        } catch {
            guard let a = try await GrantQueries.findApplication(id, on: req.db) else { throw error }
            if let e = error as? FieldErrors { return try await editPage(req, a, form: f, errors: e.all.map { $0.localized(req.application.localizer, req.language) }, status: .unprocessableEntity) }
            return try await rerender(req, error: error) { try await editPage(req, a, form: f, errors: $0) }
        }
    }

    struct UploadBody: Content { var kind: String?; var file: File? }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.decodeForm(UploadBody.self)
        do {
            guard let file = b.file, file.data.readableBytes > 0 else { throw AppError.invalid(field: "file", code: "fileRequired") }
            let type = file.contentType.map { "\($0.type)/\($0.subType)" } ?? (file.extension.flatMap { HTTPMediaType.fileExtension($0) }.map { "\($0.type)/\($0.subType)" } ?? "")
            _ = try await req.write { ctx in
                try await ApplicationService.addAttachment(id, kind: b.kind ?? "other", filename: file.filename, contentType: type, data: Data(buffer: file.data), in: ctx)
            }
            return req.redirect(to: "/grants/applications/\(id)/edit", flash: req.t("grants.uploaded"))
        } catch {
            guard let a = try await GrantQueries.findApplication(id, on: req.db) else { throw error }
            return try await rerender(req, error: error) { try await editPage(req, a, form: nil, errors: $0) }
        }
    }

    @Sendable static func removeAttachment(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try await GrantQueries.attachment(id, on: req.db)
        try await req.write { ctx in try await ApplicationService.removeAttachment(id, in: ctx) }
        return req.redirect(to: "/grants/applications/\(f.applicationID)/edit", flash: req.t("deleted"))
    }

    static func transition(_ req: Request, _ action: String) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct VersionForm: Content { var version: Int? }
        do {
            // The page the user acted on carries the version it showed: a change by someone else in between is a 409.
            guard let version = try req.decodeForm(VersionForm.self).version else { throw AppError.invalid(field: "version", code: "required") }
            _ = try await req.write { ctx -> GrantApplication in
                switch action {
                case "submit": return try await ApplicationService.submit(id, version: version, in: ctx)
                case "withdraw": return try await ApplicationService.withdraw(id, version: version, in: ctx)
                default: return try await ApplicationService.reopen(id, version: version, in: ctx)
                }
            }
            return req.redirect(to: action == "reopen" ? "/grants/applications/\(id)/edit" : "/grants/applications/\(id)", flash: req.t("grants.application.\(action)ed"))
        } catch {
            guard action == "submit", let a = try await GrantQueries.findApplication(id, on: req.db) else { throw error }
            return try await rerender(req, error: error) { try await editPage(req, a, form: nil, errors: $0) }
        }
    }

    @Sendable static func assign(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct B: Content { var reviewerId: String? }
        guard let reviewer = try req.decodeForm(B.self).reviewerId.flatMap(UUID.init(uuidString:)) else { throw AppError.badRequest(code: "reviewerRequired", field: "reviewerId") }
        _ = try await req.write { ctx in try await ReviewService.assign(applicationID: id, reviewerID: reviewer, in: ctx) }
        Task { [app = req.application] in await Outbox.deliverPending(app) }
        return req.redirect(to: "/grants/applications/\(id)", flash: req.t("grants.reviewerAssigned"))
    }
}
