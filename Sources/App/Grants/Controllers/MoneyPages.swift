import Fluent
import Vapor
import SamverkaRules

/// Decisions (single and batch), the decision letter, the payment run, reports and reclaims.
enum MoneyPages {
    static func register(_ g: Router) {
        g.get("applications", ":id", "decide", access: .scoped(.grantsManage, ApplicationService.programmeScope), use: decideForm)
        g.post("applications", ":id", "decide", access: .scoped(.grantsManage, ApplicationService.programmeScope), use: decide)
        g.get("decisions", ":id", access: .anyone, use: letter)
        g.get("programmes", ":id", "batch", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: batchForm)
        g.post("programmes", ":id", "batch", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: batch)
        g.get("payments", access: .permission(.grantsManage), use: payments)
        g.post("payments", access: .permission(.grantsManage), use: paymentAction)
        g.get("payments", "export.csv", access: .permission(.grantsManage), use: GrantsAPIController.paymentFile)
        g.get("payments", "export.xml", access: .permission(.grantsManage), use: bankFile)
        g.get("reports", access: .signedIn, use: reports)
        g.get("reports", ":id", access: .record("grantCaseRead"), use: report)
        g.post("reports", ":id", access: .permission(.grantsApply), use: submitReport)
        g.post("reports", ":id", "review", access: .permission(.grantsManage), use: reviewReport)
        g.post("reports", ":id", "attachments", access: .permission(.grantsApply), body: .collect(maxSize: "21mb"), use: uploadToReport)
        g.get("reclaims", access: .signedIn, use: reclaims)
        g.get("reclaims", ":id", access: .signedIn, use: reclaimLetter)
        g.post("decisions", ":id", "reclaim", access: .permission(.grantsManage), use: reclaim)
        g.post("reclaims", ":id", access: .permission(.grantsManage), use: reclaimAction)
    }

    // MARK: Decide

    struct DecideForm: Content {
        var deMinimisOverride: String?
        var outcome: String?
        var amount: String?
        var motivation: String?
        var conditions: String?
        var purpose: String?
        var decidedOn: String?
        var decisionMaker: String?
        var delegationLevel: String?
        var diarienummer: String?
        var replacesId: String?
        var jav: String?
    }

    struct DecidePage: Encodable, Sendable {
        var form: FormContext
        var organisation: String
        var appHref: String
        var requested: String
        var suggestion: String?
        var eligibility: String?
        var weighted: String?
        var deMinimis: String?
        var deMinimisWarning: Bool
        var current: String?
    }

    static func decidePage(_ req: Request, appID: UUID, form f: DecideForm?, errors: [FieldError]) async throws -> Response {
        let a = try await GrantQueries.application(appID, on: req.db)
        let (call, p) = try await ReviewService.programme(of: a, on: req.db)
        let lang = req.language.rawValue
        let current = try await DecisionService.current(applicationID: appID, on: req.db)
        var suggestion: Int?
        if p.allocationFormula != nil { suggestion = try await ProgrammeService.allocationPreview(p, year: call.year, on: req.db).1[appID]?.finalOre }
        let proposed = f?.amount.flatMap(Money.parseKronor) ?? current?.amountOre ?? suggestion ?? a.requestedOre ?? 0
        let dm = try await DecisionService.deMinimis(organisationID: a.organisationID, newOre: p.isStateAid ? proposed : 0,
                                                     on: LocalDate.today(), eurToSek: req.application.config.eurToSek, db: req.db)
        func kr(_ ore: Int?) -> String { ore.map { Money.decimal($0).replacingOccurrences(of: ".00", with: "").replacingOccurrences(of: ".", with: ",") } ?? "" }
        let fields = [
            FormField("outcome", label: req.t("decision.outcome"), kind: .select, required: true, options: [.init(value: "", label: req.t("form.choose"))]
                        + DecisionOutcome.allCases.map { .init(value: $0.rawValue, label: req.t("outcome.\($0.rawValue)"), selected: (f?.outcome ?? current?.outcome.rawValue) == $0.rawValue) }),
            FormField("amount", label: req.t("decision.amount"), value: f?.amount ?? kr(current?.amountOre ?? suggestion ?? a.requestedOre), hint: req.t("grants.kronorHint"), maxLength: 20),
            FormField("motivation", label: req.t("decision.motivation"), kind: .textarea, value: f?.motivation, required: true, maxLength: 5000),
            FormField("conditions", label: req.t("decision.conditions"), kind: .textarea, value: f?.conditions ?? current?.conditions, maxLength: 5000),
            FormField("purpose", label: req.t("decision.purpose"), value: f?.purpose ?? current?.purpose ?? call.title, hint: req.t("decision.purposeHint"), required: true, maxLength: 300),
            FormField("decidedOn", label: req.t("decision.decidedOn"), kind: .date, value: f?.decidedOn ?? LocalDate.today().description, required: true),
            FormField("decisionMaker", label: req.t("decision.maker"), value: f?.decisionMaker ?? req.principal.displayName, required: true, maxLength: 200),
            FormField("delegationLevel", label: req.t("grants.decisionLevel"), kind: .select, options: req.options(DecisionLevel.self, selected: f?.delegationLevel ?? p.decisionLevel.rawValue)),
            FormField("diarienummer", label: req.t("grants.diarienummer"), value: f?.diarienummer ?? current?.diarienummer, hint: req.t("decision.diarieHint"), maxLength: 50),
            FormField("jav", label: req.t("decision.javQuestion"), kind: .select, hint: req.t("decision.javHint"), required: true, options: [
                .init(value: "", label: req.t("form.choose"), selected: (f?.jav ?? "").isEmpty),
                .init(value: "false", label: req.t("decision.javNo"), selected: f?.jav == "false"),
                .init(value: "true", label: req.t("decision.javYes"), selected: f?.jav == "true")]),
            FormField("replacesId", kind: .hidden, value: current?.id?.uuidString ?? ""),
        ] + (p.isStateAid ? [FormField("deMinimisOverride", label: req.t("decision.deMinimisOverride"), kind: .textarea, value: f?.deMinimisOverride,
                                        hint: req.t("decision.deMinimisOverrideHint"), maxLength: 2000)] : [])
        let mapped = errors.map { e -> FieldError in var e = e; if e.field == "amountOre" { e.field = "amount" }; return e }
        let form = req.form(action: "/grants/applications/\(appID)/decide", submitLabel: current == nil ? req.t("decision.submit") : req.t("decision.correct"),
                            fields: fields, errors: mapped, cancelHref: "/grants/applications/\(appID)")
        let elig = try await EligibilityService.evaluate(programme: p, organisationID: a.organisationID, callYear: call.year, on: req.db)
        let summary = try await ReviewService.summary(applicationID: appID, on: req.db)
        let data = DecidePage(
            form: form, organisation: try await DirectoryQueries.organisation(a.organisationID, on: req.db)?.name ?? "", appHref: "/grants/applications/\(appID)",
            requested: a.requestedOre.map { Money.format($0, lang) } ?? "–", suggestion: suggestion.map { Money.format($0, lang) },
            eligibility: GrantPages.statusLabel(elig.status, req), weighted: summary.weighted.map { DecimalText.format($0, digits: 2, lang: req.language.rawValue) },
            deMinimis: p.isStateAid ? req.t("decision.deMinimisEuro", StateAidRegister.euro(dm.euroCents), String(dm.ceilingEuro), dm.windowFrom.formatted(lang)) : nil,
            deMinimisWarning: p.isStateAid && dm.exceeded,
            current: current.map { "\($0.diarienummer): \(req.t("outcome.\($0.outcome.rawValue)")) \(Money.format($0.amountOre, lang))" })
        return try await req.page("grants/decide", title: req.t("decision.title", data.organisation), data, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func decideForm(_ req: Request) async throws -> Response {
        try await decidePage(req, appID: try req.parameters.require("id", as: UUID.self), form: nil, errors: [])
    }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(DecideForm.self)
        do {
            var amount: Int?
            if let raw = f.amount, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let ore = Money.parseKronor(raw) else { throw AppError.invalid(field: "amount", code: "amount") }
                amount = ore
            }
            let body = DecisionBody(applicationId: id.uuidString, outcome: f.outcome, amountOre: amount, conditions: f.conditions, motivation: f.motivation,
                                    purpose: f.purpose, decidedOn: f.decidedOn, decisionMaker: f.decisionMaker, delegationLevel: f.delegationLevel,
                                    diarienummer: f.diarienummer?.nilIfEmpty, replacesId: f.replacesId?.nilIfEmpty, deMinimisOverride: f.deMinimisOverride,
                                    jav: f.jav.flatMap { $0.isEmpty ? nil : $0 == "true" })
            let rate = req.application.config.eurToSek
            let d = try await req.write { ctx in try await DecisionService.decide(body, eurToSek: rate, in: ctx) }
            return req.redirect(to: "/grants/decisions/\(d.id!)", flash: req.t("decision.done"))
        } catch {
            return try await rerender(req, error: error) { try await decidePage(req, appID: id, form: f, errors: $0) }
        }
    }

    // MARK: Letter

    struct LetterPage: Encodable, Sendable {
        var decision: DecisionDTO
        var outcome: String
        var amount: String
        var body: String
        var programme: String
        var organisation: String
        var orgnr: String?
        var address: String?
        var payments: [String]
        var hasPayments: Bool
        var reportDue: String?
        var replaces: Link?
        var replacedBy: Link?
        var delegation: String
        var date: String
        var conditions: String?
        var appeal: String
        var canReclaim: Bool
        var reclaimForm: FormContext?
    }

    @Sendable static func letter(_ req: Request) async throws -> Response {
        let d = try await GrantQueries.decision(try req.parameters.require("id", as: UUID.self), on: req.db)
        let p = try await GrantQueries.programme(d.programmeID, on: req.db)
        guard let org = try await DirectoryQueries.organisation(d.organisationID, includingDeleted: true, on: req.db) else { throw AppError.notFound() }
        let dto = try await DecisionService.decisionDTOs([d], on: req.db)[0]
        let lang = req.language.rawValue
        let pays = try await GrantQueries.payments(decisionID: d.id!, on: req.db)
        let report = try await GrantQueries.report(decisionID: d.id!, on: req.db)
        let canManage = Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db))
        let bodyName = try await DirectoryQueries.body(p.bodyID, on: req.db)?.name ?? ""
        let route = AppealRules.Route(rawValue: dto.appealRoute) ?? .forvaltningslagen
        let data = LetterPage(
            decision: dto, outcome: req.t("outcome.\(d.outcome.rawValue)"), amount: Money.format(d.amountOre, lang),
            body: bodyName, programme: p.name, organisation: org.name, orgnr: org.orgnr,
            address: org.address,
            payments: pays.map { "\($0.dueOn): \(Money.format($0.amountOre, lang)) (\(req.t("paymentKind.\($0.kind)")), \(req.t("paymentStatus.\($0.status.rawValue)")))" },
            hasPayments: !pays.isEmpty, reportDue: report.map { LocalDate($0.dueOn)?.formatted(lang) ?? $0.dueOn },
            replaces: d.replacesID.map { Link(href: "/grants/decisions/\($0)", label: req.t("decision.replaces")) },
            replacedBy: dto.replacedById.map { Link(href: "/grants/decisions/\($0)", label: req.t("decision.replacedBy")) },
            delegation: req.label(d.delegationLevel), date: LocalDate(d.decidedOn)?.formatted(lang) ?? d.decidedOn, conditions: d.conditions.nilIfEmpty,
            appeal: req.t(AppealRules.textKey(route), bodyName),
            canReclaim: canManage && d.amountOre > 0,
            reclaimForm: canManage && d.amountOre > 0 ? req.form(action: "/grants/decisions/\(d.id!)/reclaim", submitLabel: req.t("reclaim.submit"), fields: [
                FormField("amount", label: req.t("reclaim.amount"), hint: req.t("reclaim.amountHint"), required: true, maxLength: 20),
                FormField("reason", label: req.t("reclaim.reason"), kind: .textarea, required: true, maxLength: 4000),
                FormField("dueOn", label: req.t("reclaim.dueOn"), kind: .date, value: LocalDate.today().adding(days: 30).description, required: true),
            ]) : nil)
        return try await req.page("grants/decision-letter", title: req.t("decision.letterTitle", d.diarienummer), data)
    }

    // MARK: Batch

    struct BatchRow: Encodable, Sendable { var id: UUID; var organisation: String; var requested: String; var suggested: String; var amountName: String; var outcomeName: String; var amountId: String; var outcomeId: String; var href: String }
    struct BatchPage: Encodable, Sendable { var rows: [BatchRow]; var hasRows: Bool; var csrf: String; var action: String; var year: Int; var frame: String; var errors: [String]; var hasErrors: Bool; var programmeName: String }

    static func batchPage(_ req: Request, id: UUID, year: Int, errors: [String] = []) async throws -> Response {
        let p = try await GrantQueries.programme(id, on: req.db)
        let lang = req.language.rawValue
        let apps = try await GrantQueries.applications(programmeID: id, year: year, statuses: [.submitted, .underReview], on: req.db)
        let names = try await DirectoryQueries.organisationNames(apps.map(\.organisationID), on: req.db)
        let suggestions = p.allocationFormula == nil ? [:] : try await ProgrammeService.allocationPreview(p, year: year, on: req.db).1
        func kr(_ ore: Int?) -> String { ore.map { Money.decimal($0).replacingOccurrences(of: ".00", with: "").replacingOccurrences(of: ".", with: ",") } ?? "" }
        let rows = apps.sorted { (names[$0.organisationID] ?? "") < (names[$1.organisationID] ?? "") }.map { a in
            BatchRow(id: a.id!, organisation: names[a.organisationID] ?? "", requested: a.requestedOre.map { Money.format($0, lang) } ?? "–",
                     suggested: kr(suggestions[a.id!]?.finalOre ?? a.requestedOre), amountName: "amount[\(a.id!)]", outcomeName: "outcome[\(a.id!)]",
                     amountId: "amount-\(a.id!)", outcomeId: "outcome-\(a.id!)", href: "/grants/applications/\(a.id!)")
        }
        let frame = try await ProgrammeService.frame(id, year: year, on: req.db)
        return try await req.page("grants/batch", title: req.t("batch.title", p.name, String(year)), BatchPage(
            rows: rows, hasRows: !rows.isEmpty, csrf: req.csrfToken, action: "/grants/programmes/\(id)/batch", year: year,
            frame: frame.map { Money.format($0, lang) } ?? "–", errors: errors, hasErrors: !errors.isEmpty, programmeName: p.name), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func batchForm(_ req: Request) async throws -> Response {
        try await batchPage(req, id: try req.parameters.require("id", as: UUID.self), year: try req.yearParameter() ?? LocalDate.today().year)
    }

    struct BatchForm: Content { var year: String?; var outcome: [String: String]?; var amount: [String: String]?; var motivation: String?; var decidedOn: String?; var jav: String? }

    /// Decides every row with an outcome, all in one transaction: either all decisions are made or none.
    @Sendable static func batch(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(BatchForm.self)
        let year = Int(f.year ?? "") ?? LocalDate.today().year
        var bodies: [DecisionBody] = []
        var problems: [String] = []
        for (appID, outcome) in (f.outcome ?? [:]).sorted(by: { $0.key < $1.key }) where !outcome.isEmpty {
            var amount: Int?
            if let raw = f.amount?[appID], !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                if let ore = Money.parseKronor(raw) { amount = ore } else { problems.append(req.t("batch.badAmount", raw)); continue }
            }
            bodies.append(DecisionBody(applicationId: appID, outcome: outcome, amountOre: amount, motivation: f.motivation, decidedOn: f.decidedOn,
                                       decisionMaker: req.principal.displayName, jav: f.jav.flatMap { $0.isEmpty ? nil : $0 == "true" }))
        }
        if bodies.isEmpty { problems.append(req.t("batch.nothing")) }
        if !problems.isEmpty { return try await batchPage(req, id: id, year: year, errors: problems) }
        let rate = req.application.config.eurToSek
        let decisions = bodies
        do {
            let n = try await req.write { ctx in try await DecisionService.decideBatch(programmeID: id, decisions, eurToSek: rate, in: ctx).count }
            return req.redirect(to: "/grants/programmes/\(id)/dashboard?year=\(year)", flash: req.t("batch.done", String(n)))
        } catch let e as AppError {
            return try await batchPage(req, id: id, year: year, errors: [e.reason(for: req)] + e.fieldErrors.map { $0.localized(req.application.localizer, req.language).message })
        }
    }

    // MARK: Payments

    struct PaymentRow: Encodable, Sendable { var id: UUID; var organisation: String; var kind: String; var due: String; var amount: String; var status: String; var selectable: Bool; var decisionHref: String? }
    struct PaymentsPage: Encodable, Sendable {
        var rows: [PaymentRow]
        var hasRows: Bool
        var filters: [FormField]
        var csrf: String
        var total: String
        var exportHref: String
        var today: String
        var pager: PagerContext
        var bank: FormContext
    }

    /// The bank's payment file; a missing account (the body's or a recipient's) is shown next to the form on the page.
    @Sendable static func bankFile(_ req: Request) async throws -> Response {
        do { return try await GrantsAPIController.paymentOrderFile(req) } catch {
            return try await rerender(req, error: error) { try await payments(req, bankErrors: $0) }
        }
    }

    @Sendable static func payments(_ req: Request) async throws -> Response { try await payments(req, bankErrors: []) }

    static func payments(_ req: Request, bankErrors: [FieldError]) async throws -> Response {
        let page = try PageRequest.from(req, defaultPer: 100)
        let (pays, total) = try await GrantQueries.payments(try GrantsAPIController.paymentFilter(req), visibleTo: req.principal, page: page, on: req.db)
        let names = try await DirectoryQueries.organisationNames(pays.map(\.organisationID), on: req.db)
        let lang = req.language.rawValue
        var programmes = try await GrantQueries.allProgrammes(on: req.db)
        if let managed = try await GrantQueries.managedProgrammeIDs(req.principal, on: req.db) { programmes = programmes.filter { managed.contains($0.id!) } }
        let status = req.queryValue("status") ?? "", programme = req.queryValue("programme") ?? "", due = req.queryValue("dueBefore") ?? ""
        let filters = [
            FormField("programme", label: req.t("grants.programme"), kind: .select, options: [.init(value: "", label: req.t("filter.all"), selected: programme.isEmpty)]
                        + programmes.map { .init(value: $0.id!.uuidString, label: $0.name, selected: programme == $0.id!.uuidString) }),
            FormField("status", label: req.t("admin.status"), kind: .select, options: [.init(value: "", label: req.t("filter.all"), selected: status.isEmpty)]
                        + PaymentStatus.allCases.map { .init(value: $0.rawValue, label: req.t("paymentStatus.\($0.rawValue)"), selected: status == $0.rawValue) }),
            FormField("dueBefore", label: req.t("payments.dueBefore"), kind: .date, value: due),
        ]
        let query = [("programme", programme), ("status", status), ("dueBefore", due)]
        let data = PaymentsPage(
            rows: pays.map { p in PaymentRow(id: p.id!, organisation: names[p.organisationID] ?? "", kind: req.t("paymentKind.\(p.kind)"), due: p.dueOn,
                                             amount: Money.format(p.amountOre, lang), status: req.t("paymentStatus.\(p.status.rawValue)"),
                                             selectable: p.status == .planned || p.status == .approved, decisionHref: p.decisionID.map { "/grants/decisions/\($0)" }) },
            hasRows: !pays.isEmpty, filters: filters, csrf: req.csrfToken, total: Money.format(pays.reduce(0) { $0 + $1.amountOre }, lang),
            exportHref: "/grants/payments/export.csv?" + URLQuery.encode([("programme", programme)]), today: LocalDate.today().description,
            pager: PagerContext(PageMetadata(page: page.page, per: page.per, total: total), path: "/grants/payments", baseQuery: query),
            bank: req.form(action: "/grants/payments/export.xml", submitLabel: req.t("payments.bankFile.submit"), fields: [
                FormField("programme", label: req.t("grants.programme"), kind: .select, required: true,
                          options: programmes.map { .init(value: $0.id!.uuidString, label: $0.name, selected: programme == $0.id!.uuidString) }),
                FormField("debtorAccount", label: req.t("payments.bankFile.debtorAccount"), value: req.queryValue("debtorAccount") ?? "",
                          hint: req.t("payments.bankFile.debtorHint"), required: true, maxLength: 40),
            ], errors: bankErrors))
        return try await req.page("grants/payments", title: req.t("payments.title"), data)
    }

    struct PaymentActionForm: Content { var ids: [String]?; var action: String?; var date: String? }

    /// Approve, mark paid or cancel the selected payments, all in one transaction.
    @Sendable static func paymentAction(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(PaymentActionForm.self)
        let ids = (f.ids ?? []).compactMap(UUID.init(uuidString:))
        guard !ids.isEmpty else { return req.redirect(to: "/grants/payments", flash: req.t("payments.noneSelected")) }
        let status: PaymentStatus
        switch f.action {
        case "approve": status = .approved
        case "paid": status = .paid
        case "cancel": status = .cancelled
        default: throw AppError.badRequest(code: "unknownAction", field: "action")
        }
        guard let date = LocalDate(f.date ?? LocalDate.today().description) else { throw AppError.badRequest(code: "date", field: "date") }
        try await req.write { ctx in
            for id in ids { _ = try await DecisionService.setPaymentStatus(id, to: status, on: date, in: ctx) }
        }
        return req.redirect(to: "/grants/payments", flash: req.t("payments.done", String(ids.count)))
    }

    // MARK: Reports

    struct ReportRow: Encodable, Sendable { var href: String; var organisation: String; var year: Int; var due: String; var status: String; var overdue: Bool }
    struct ReportsPage: Encodable, Sendable { var rows: [ReportRow]; var hasRows: Bool; var overdueOnly: Bool; var overdueCount: Int }

    @Sendable static func reports(_ req: Request) async throws -> Response {
        let overdueOnly = req.queryValue("overdue") == "true"
        let reports = try await GrantQueries.reports(visibleTo: req.principal, overdueOn: overdueOnly ? LocalDate.today() : nil, page: PageRequest(page: 1, per: 500), on: req.db)
        let dtos = try await DecisionService.reportDTOs(reports.items, on: req.db)
        let rows = dtos.map { ReportRow(href: "/grants/reports/\($0.id)", organisation: $0.organisationName ?? "", year: $0.year, due: $0.dueOn,
                                        status: req.t("reportStatus.\($0.status)"), overdue: $0.overdue) }
        return try await req.page("grants/reports", title: req.t("reports.title"), ReportsPage(rows: rows, hasRows: !rows.isEmpty, overdueOnly: overdueOnly,
                                                                                                overdueCount: dtos.filter(\.overdue).count))
    }

    struct ReportPage: Encodable, Sendable {
        var report: ReportDTO
        var status: String
        var programme: String
        var decisionHref: String
        var decisionLabel: String
        var granted: String
        var costs: String?
        var submitForm: FormContext?
        var reviewForm: FormContext?
        var narrative: String?
        var reviewComment: String?
        var files: [ReportFile] = []
        var hasFiles = false
        var uploadForm: FormContext?
    }

    struct ReportFile: Encodable, Sendable { var href: String; var name: String; var size: String }

    @Sendable static func uploadToReport(_ req: Request) async throws -> Response {
        struct B: Content { var file: File? }
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.decodeForm(B.self)
        do {
            guard let file = b.file, file.data.readableBytes > 0 else { throw AppError.invalid(field: "file", code: "fileRequired") }
            let type = file.contentType.map { "\($0.type)/\($0.subType)" } ?? (file.extension.flatMap { HTTPMediaType.fileExtension($0) }.map { "\($0.type)/\($0.subType)" } ?? "")
            _ = try await req.write { ctx in try await ReportAttachments.add(reportID: id, filename: file.filename, contentType: type, data: Data(buffer: file.data), in: ctx) }
            return req.redirect(to: "/grants/reports/\(id)", flash: req.t("grants.uploaded"))
        } catch {
            return try await rerender(req, error: error) { try await reportPage(req, id: id, uploadErrors: $0) }
        }
    }

    static func reportPage(_ req: Request, id: UUID, submitErrors: [FieldError] = [], reviewErrors: [FieldError] = [], uploadErrors: [FieldError] = []) async throws -> Response {
        let r = try await GrantQueries.report(id, on: req.db)
        let p = try await GrantQueries.programme(r.programmeID, on: req.db)
        let isApplicant = Policy.allows(req.principal, .grantsApply, .organisation(r.organisationID))
        let canManage = Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db))
        guard isApplicant || canManage || Policy.allows(req.principal, .crossBodyRead) else { throw AppError.forbidden() }
        let dto = try await DecisionService.reportDTOs([r], on: req.db)[0]
        let lang = req.language.rawValue
        let submit = isApplicant && (r.status == .pending || r.status == .completionRequested) ? req.form(action: "/grants/reports/\(id)", submitLabel: req.t("reports.submit"), fields: [
            FormField("costs", label: req.t("reports.costs"), value: r.actualCostsOre.map { Money.decimal($0) }, hint: req.t("grants.kronorHint"), required: true, maxLength: 20),
            FormField("narrative", label: req.t("reports.narrative"), kind: .textarea, value: r.narrative, hint: req.t("reports.narrativeHint"), required: true, maxLength: 10_000),
        ], errors: submitErrors, version: r.version) : nil
        let review = canManage && r.status == .submitted ? req.form(action: "/grants/reports/\(id)/review", submitLabel: req.t("form.save"), fields: [
            FormField("decision", label: req.t("reports.reviewDecision"), kind: .select, required: true, options: [
                .init(value: "approve", label: req.t("reports.approve")), .init(value: "complete", label: req.t("reports.requestCompletion"))]),
            FormField("comment", label: req.t("reports.comment"), kind: .textarea, hint: req.t("reports.commentHint"), maxLength: 4000),
        ], errors: reviewErrors) : nil
        let decision = try await GrantQueries.findDecision(r.decisionID, on: req.db)
        let files = try await GrantQueries.attachments(reportID: id, on: req.db).compactMap { f in
            f.id.map { ReportFile(href: "/grants/attachments/\($0)", name: f.filename, size: "\(f.size / 1024 + 1) kB") }
        }
        let upload = submit == nil ? nil : req.form(action: "/grants/reports/\(id)/attachments", submitLabel: req.t("grants.upload"), fields: [
            FormField("file", label: req.t("reports.file"), kind: .file, hint: req.t("reports.fileHint")),
        ], errors: uploadErrors, multipart: true)
        var data = ReportPage(report: dto, status: req.t("reportStatus.\(r.status.rawValue)"), programme: p.name,
                              decisionHref: "/grants/decisions/\(r.decisionID)", decisionLabel: decision?.diarienummer ?? req.t("decision.open"),
                              granted: Money.format(decision?.amountOre ?? 0, lang),
                              costs: r.actualCostsOre.map { Money.format($0, lang) }, submitForm: submit, reviewForm: review,
                              narrative: r.narrative.nilIfEmpty, reviewComment: r.reviewComment.nilIfEmpty)
        data.files = files
        data.hasFiles = !files.isEmpty
        data.uploadForm = upload
        return try await req.page("grants/report", title: req.t("reports.titleFor", dto.organisationName ?? "", String(r.year)), data,
                                  status: submitErrors.isEmpty && reviewErrors.isEmpty && uploadErrors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func report(_ req: Request) async throws -> Response { try await reportPage(req, id: try req.parameters.require("id", as: UUID.self)) }

    @Sendable static func submitReport(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct F: Content { var costs: String?; var narrative: String?; var version: Int? }
        let f = try req.decodeForm(F.self)
        do {
            guard let ore = f.costs.flatMap(Money.parseKronor) else { throw AppError.invalid(field: "costs", code: "amount") }
            _ = try await req.write { ctx in try await DecisionService.submitReport(id, ReportBody(actualCostsOre: ore, narrative: f.narrative, version: f.version), in: ctx) }
            return req.redirect(to: "/grants/reports/\(id)", flash: req.t("reports.submitted"))
        } catch {
            return try await rerender(req, error: error) { errs in
                try await reportPage(req, id: id, submitErrors: errs.map { e in var e = e; if e.field == "actualCostsOre" { e.field = "costs" }; return e })
            }
        }
    }

    @Sendable static func reviewReport(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct F: Content { var decision: String?; var comment: String? }
        let f = try req.decodeForm(F.self)
        do {
            _ = try await req.write { ctx in try await DecisionService.reviewReport(id, approve: f.decision == "approve", comment: f.comment, in: ctx) }
            return req.redirect(to: "/grants/reports/\(id)", flash: req.t("saved"))
        } catch {
            return try await rerender(req, error: error) { try await reportPage(req, id: id, reviewErrors: $0) }
        }
    }

    // MARK: Reclaims

    struct ReclaimRow: Encodable, Sendable { var id: UUID; var organisation: String; var amount: String; var reason: String; var due: String; var status: String; var open: Bool; var decisionHref: String; var letterHref: String }
    struct ReclaimsPage: Encodable, Sendable { var rows: [ReclaimRow]; var hasRows: Bool; var csrf: String; var canManage: Bool; var today: String }

    @Sendable static func reclaims(_ req: Request) async throws -> Response {
        let p = req.principal
        let dtos = try await DecisionService.reclaimDTOs(try await GrantQueries.reclaims(visibleTo: p, page: PageRequest(page: 1, per: 500), on: req.db).items, on: req.db)
        let lang = req.language.rawValue
        let rows = dtos.map { ReclaimRow(id: $0.id, organisation: $0.organisationName ?? "", amount: Money.format($0.amountOre, lang), reason: $0.reason,
                                         due: $0.dueOn, status: req.t("reclaimStatus.\($0.status)"), open: $0.status == "open", decisionHref: "/grants/decisions/\($0.decisionId)", letterHref: "/grants/reclaims/\($0.id)") }
        return try await req.page("grants/reclaims", title: req.t("reclaims.title"), ReclaimsPage(rows: rows, hasRows: !rows.isEmpty, csrf: req.csrfToken,
                                                                                                  canManage: Policy.allows(p, .grantsManage), today: LocalDate.today().description))
    }

    struct ReclaimLetterPage: Encodable, Sendable {
        var body: String; var diarienummer: String; var date: String; var organisation: String; var orgnr: String?; var address: String?
        var programme: String; var amount: String; var granted: String; var decisionDate: String; var reason: String; var due: String
        var status: String; var settled: String?; var decisionHref: String; var appeal: String
    }

    /// The reclaim decision as a letter to the organisation: what is reclaimed and why, how and by when to pay, and
    /// how to appeal. Seen by the organisation's people and the programme's officials (as the list of reclaims).
    @Sendable static func reclaimLetter(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let r = try await GrantQueries.reclaims(visibleTo: req.principal, page: PageRequest(page: 1, per: 1), on: req.db, only: id).items.first else {
            throw AppError.notFound()
        }
        let d = try await GrantQueries.decision(r.decisionID, on: req.db)
        let p = try await GrantQueries.programme(r.programmeID, on: req.db)
        let route = AppealRules.Route(rawValue: try await DecisionService.decisionDTOs([d], on: req.db)[0].appealRoute) ?? .forvaltningslagen
        guard let org = try await DirectoryQueries.organisation(r.organisationID, includingDeleted: true, on: req.db) else { throw AppError.notFound() }
        let lang = req.language.rawValue
        let bodyName = try await DirectoryQueries.body(p.bodyID, on: req.db)?.name ?? ""
        func day(_ s: String) -> String { LocalDate(s)?.formatted(lang) ?? s }
        let settled: String? = switch r.status {
        case .repaid: req.t("reclaim.letter.repaid", r.repaidOn.map(day) ?? "")
        case .cancelled: req.t("reclaim.letter.cancelled")
        default: nil
        }
        let data = ReclaimLetterPage(
            body: bodyName, diarienummer: d.diarienummer, date: r.createdAt.map { LocalDate($0).formatted(lang) } ?? "", organisation: org.name, orgnr: org.orgnr,
            address: org.address, programme: p.name, amount: Money.format(r.amountOre, lang), granted: Money.format(d.amountOre, lang),
            decisionDate: day(d.decidedOn), reason: r.reason, due: day(r.dueOn), status: req.t("reclaimStatus.\(r.status.rawValue)"), settled: settled,
            decisionHref: "/grants/decisions/\(r.decisionID)", appeal: req.t(AppealRules.textKey(route), bodyName))
        return try await req.page("grants/reclaim-letter", title: req.t("reclaim.letter.title", d.diarienummer), data)
    }

    @Sendable static func reclaim(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct F: Content { var amount: String?; var reason: String?; var dueOn: String? }
        let f = try req.decodeForm(F.self)
        guard let ore = f.amount.flatMap(Money.parseKronor) else { throw AppError.invalid(field: "amount", code: "amount") }
        _ = try await req.write { ctx in try await DecisionService.reclaim(ReclaimBody(decisionId: id.uuidString, amountOre: ore, reason: f.reason, dueOn: f.dueOn), in: ctx) }
        return req.redirect(to: "/grants/reclaims", flash: req.t("reclaim.created"))
    }

    @Sendable static func reclaimAction(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct F: Content { var action: String?; var date: String? }
        let f = try req.decodeForm(F.self)
        let status: ReclaimStatus = f.action == "cancel" ? .cancelled : .repaid
        let date = LocalDate(f.date ?? "") ?? LocalDate.today()
        _ = try await req.write { ctx in try await DecisionService.setReclaimStatus(id, to: status, on: date, in: ctx) }
        return req.redirect(to: "/grants/reclaims", flash: req.t("saved"))
    }
}
