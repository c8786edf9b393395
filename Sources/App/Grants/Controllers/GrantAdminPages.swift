import Fluent
import Vapor
import SamverkaRules

/// Officials' pages: programme form with the rules editor, dashboard, allocation preview, advances, calls.
enum GrantAdminPages {
    static func register(_ g: Router) {
        g.get("programmes", "new", access: .permission(.grantsManage), use: newProgramme)
        g.post("programmes", access: .permission(.grantsManage), use: createProgramme)
        g.get("programmes", ":id", "edit", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: editProgramme)
        g.post("programmes", ":id", "edit", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: updateProgramme)
        g.get("programmes", ":id", "dashboard", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: dashboard)
        g.get("programmes", ":id", "allocation", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: allocation)
        g.post("programmes", ":id", "advances", access: .scoped(.grantsManage, ProgrammeService.programmeScope), use: advances)
        g.get("calls", "new", access: .permission(.grantsManage), use: newCall)
        g.post("calls", access: .permission(.grantsManage), use: createCall)
        g.get("calls", ":id", "edit", access: .scoped(.grantsManage, ProgrammeService.callScope), use: editCall)
        g.post("calls", ":id", "edit", access: .scoped(.grantsManage, ProgrammeService.callScope), use: updateCall)
    }

    // MARK: Programme form

    /// The form posts flat fields; every rule is on when its parameter is filled in.
    struct ProgrammeForm: Content {
        var bodyId: String?
        var unitId: String?
        var name: String?
        var kind: String?
        var purpose: String?
        var description: String?
        var targetAreas: [String]?
        var decisionLevel: String?
        var contactRoleId: String?
        var paymentModel: String?
        var instalments: String?
        var isStateAid: String?
        var reportMonths: String?
        var frameYear: String?
        var frameAmount: String?
        var ruleLegalForms: [String]?
        var ruleLevels: [String]?
        var ruleActiveMin: String?
        var ruleActiveCounty: String?
        var ruleBranchesMin: String?
        var ruleBranchesCounty: String?
        var ruleYoungMin: String?
        var ruleYoungCounty: String?
        var ruleYoungYear: String?
        var ruleMembersMin: String?
        var ruleCouncil: String?
        var ruleParentLevel: String?
        var ruleParentArea: String?
        var ruleRegisteredYears: String?
        var ruleLastReport: String?
        var ruleNoReclaim: String?
        var formulaBase: String?
        var formulaPerMember: String?
        var formulaPerYoung: String?
        var formulaPerMunicipality: String?
        var formulaPerActivity: String?
        var formulaCap: String?
        var version: Int?

        init() {}

        init(_ p: ProgrammeDTO) {
            bodyId = p.bodyId.uuidString
            unitId = p.unitId?.uuidString
            name = p.name
            kind = p.kind
            purpose = p.purpose
            description = p.description
            targetAreas = p.targetAreas
            decisionLevel = p.decisionLevel
            contactRoleId = p.contactRoleId?.uuidString
            paymentModel = p.paymentModel
            instalments = String(p.instalments)
            isStateAid = p.isStateAid ? "true" : nil
            reportMonths = String(p.reportMonths)
            if let f = p.budgetFrames.last { frameYear = String(f.year); frameAmount = Money.decimal(f.amountOre).replacingOccurrences(of: ".", with: ",") }
            for c in p.eligibility {
                switch c.kind {
                case .legalFormIn: ruleLegalForms = c.values
                case .levelIn: ruleLevels = c.values
                case .activeInMunicipalities: ruleActiveMin = c.min.map(String.init); ruleActiveCounty = c.county
                case .branchesInMunicipalities: ruleBranchesMin = c.min.map(String.init); ruleBranchesCounty = c.county
                case .youngMembersInCounty: ruleYoungMin = c.min.map(String.init); ruleYoungCounty = c.county; ruleYoungYear = c.year.map(String.init)
                case .membersAtLeast: ruleMembersMin = c.min.map(String.init)
                case .representedInCouncil: ruleCouncil = c.text
                case .parentIs: ruleParentLevel = c.values?.first; ruleParentArea = c.text
                case .registeredYears: ruleRegisteredYears = c.min.map(String.init)
                case .lastYearReportSubmitted: ruleLastReport = "true"
                case .notInReclaim: ruleNoReclaim = "true"
                }
            }
            if let f = p.formula {
                func kr(_ o: Int) -> String { Money.decimal(o).replacingOccurrences(of: ".00", with: "").replacingOccurrences(of: ".", with: ",") }
                formulaBase = kr(f.baseOre); formulaPerMember = kr(f.perMemberOre); formulaPerYoung = kr(f.perYoungMemberOre)
                formulaPerMunicipality = kr(f.perMunicipalityOre); formulaPerActivity = kr(f.perActivityOre); formulaCap = f.capOre.map(kr)
            }
            version = p.version
        }

        /// Converts to the API body; numbers people typed that are not numbers become field errors.
        func body() throws -> ProgrammeBody {
            var errors = FieldErrors()
            func int(_ s: String?, _ field: String, _ range: ClosedRange<Int>) -> Int? { TextRules.integer(s, field: field, range: range, errors: &errors) }
            func kr(_ s: String?, _ field: String) -> Int? {
                guard let s, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                guard let ore = Money.parseKronor(s) else { errors.add(field, code: "amount"); return nil }
                return ore
            }
            var rules: [EligibilityCondition] = []
            if let v = ruleLegalForms, !v.isEmpty { rules.append(.init(.legalFormIn, values: v)) }
            if let v = ruleLevels, !v.isEmpty { rules.append(.init(.levelIn, values: v)) }
            if let n = int(ruleActiveMin, "ruleActiveMin", 0...400) { rules.append(.init(.activeInMunicipalities, min: n, county: ruleActiveCounty?.nilIfEmpty)) }
            if let n = int(ruleBranchesMin, "ruleBranchesMin", 0...400) { rules.append(.init(.branchesInMunicipalities, min: n, county: ruleBranchesCounty?.nilIfEmpty)) }
            if let n = int(ruleYoungMin, "ruleYoungMin", 0...10_000_000) {
                if (ruleYoungCounty ?? "").isEmpty { errors.add("ruleYoungCounty", code: "required") }
                rules.append(.init(.youngMembersInCounty, min: n, county: ruleYoungCounty?.nilIfEmpty, year: int(ruleYoungYear, "ruleYoungYear", 1900...2200)))
            }
            if let n = int(ruleMembersMin, "ruleMembersMin", 0...10_000_000) { rules.append(.init(.membersAtLeast, min: n)) }
            if let t = ruleCouncil?.trimmingCharacters(in: .whitespaces), !t.isEmpty { rules.append(.init(.representedInCouncil, text: t)) }
            if let l = ruleParentLevel, !l.isEmpty { rules.append(.init(.parentIs, values: [l], text: ruleParentArea?.nilIfEmpty)) }
            if let n = int(ruleRegisteredYears, "ruleRegisteredYears", 0...500) { rules.append(.init(.registeredYears, min: n)) }
            if ruleLastReport == "true" { rules.append(.init(.lastYearReportSubmitted)) }
            if ruleNoReclaim == "true" { rules.append(.init(.notInReclaim)) }
            var formula: AllocationFormula?
            let parts = [kr(formulaBase, "formulaBase"), kr(formulaPerMember, "formulaPerMember"), kr(formulaPerYoung, "formulaPerYoung"),
                         kr(formulaPerMunicipality, "formulaPerMunicipality"), kr(formulaPerActivity, "formulaPerActivity")]
            if parts.contains(where: { $0 != nil }) {
                formula = AllocationFormula(baseOre: parts[0] ?? 0, perMemberOre: parts[1] ?? 0, perYoungMemberOre: parts[2] ?? 0,
                                            perMunicipalityOre: parts[3] ?? 0, perActivityOre: parts[4] ?? 0, capOre: kr(formulaCap, "formulaCap"))
            }
            var frames: [BudgetFrameDTO] = []
            if let y = int(frameYear, "frameYear", 2000...2200) {
                if let a = kr(frameAmount, "frameAmount") { frames.append(BudgetFrameDTO(year: y, amountOre: a)) } else { errors.add("frameAmount", code: "required") }
            }
            try errors.throwIfAny()
            return ProgrammeBody(bodyId: bodyId, unitId: unitId ?? "", name: name, kind: kind, purpose: purpose, description: description,
                                 targetAreas: targetAreas ?? [], decisionLevel: decisionLevel, contactRoleId: contactRoleId ?? "", paymentModel: paymentModel,
                                 instalments: Int(instalments ?? "") ?? 4, isStateAid: isStateAid == "true", eligibility: rules, formula: formula,
                                 reportMonths: Int(reportMonths ?? "") ?? 3, budgetFrames: frames.isEmpty ? nil : frames, version: version)
        }
    }

    static func programmeFields(_ f: ProgrammeForm, _ req: Request, id: UUID?) async throws -> [FormField] {
        let vocab = try await DirectoryVocabularyService.load(on: req.db)
        let bodies = try await req.officialBodies()
        let bodyID = f.bodyId.flatMap(UUID.init(uuidString:)) ?? bodies.first?.id
        let units = try await bodyID.asyncFlatMap { try await DirectoryQueries.unitTree(of: $0, on: req.db) } ?? []
        let roles = try await DirectoryQueries.roles(ofUnits: units.map(\.unit.id), on: req.db)
        let counties = try await req.countyOptions(on: req.db, selected: nil, emptyLabel: req.t("rule.anyCounty"))
        func countyOpts(_ sel: String?) -> [FormField.Option] { counties.map { var o = $0; o.selected = ($0.value == (sel ?? "")); return o } }
        func levelOpts(_ sel: [String]) -> [FormField.Option] { OrganisationLevel.allCases.map { .init(value: $0.rawValue, label: req.label($0), selected: sel.contains($0.rawValue)) } }
        var fields: [FormField] = []
        if id == nil {
            fields.append(FormField("bodyId", label: req.t("account.body"), kind: .select, required: true,
                                    options: bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id == bodyID) }))
        }
        fields += [
            FormField("name", label: req.t("grants.programme.name"), value: f.name, required: true, maxLength: 200),
            FormField("kind", label: req.t("grants.kind"), kind: .select, required: true, options: req.options(GrantKind.self, selected: f.kind, emptyLabel: req.t("form.choose"))),
            FormField("purpose", label: req.t("grants.purposeField"), kind: .textarea, value: f.purpose, required: true, maxLength: 2000),
            FormField("description", label: req.t("grants.publicDescription"), kind: .textarea, value: f.description, maxLength: 10_000),
            FormField("unitId", label: req.t("grants.unit"), kind: .select, options: [.init(value: "", label: req.t("form.none"))]
                        + units.map { .init(value: $0.unit.id.uuidString, label: String(repeating: "– ", count: $0.depth) + $0.unit.name, selected: f.unitId == $0.unit.id.uuidString) }),
            FormField("contactRoleId", label: req.t("grants.contact"), kind: .select, options: [.init(value: "", label: req.t("form.none"))]
                        + roles.map { .init(value: $0.id.uuidString, label: $0.title, selected: f.contactRoleId == $0.id.uuidString) }),
            FormField("targetAreas[]", label: req.t("org.field.areas"), kind: .checkboxes, options: req.areaOptions(vocab, selected: f.targetAreas ?? [])),
            FormField("decisionLevel", label: req.t("grants.decisionLevel"), kind: .select, options: req.options(DecisionLevel.self, selected: f.decisionLevel ?? "official")),
            FormField("paymentModel", label: req.t("grants.paymentModel"), kind: .select, hint: req.t("grants.paymentModelHint"),
                      options: PaymentModel.allCases.map { .init(value: $0.rawValue, label: req.t("paymentModel.\($0.rawValue)"), selected: (f.paymentModel ?? "single") == $0.rawValue) }),
            FormField("instalments", label: req.t("grants.instalments"), kind: .number, value: f.instalments ?? "4", maxLength: 2),
            FormField("isStateAid", label: req.t("grants.isStateAid"), kind: .checkbox, hint: req.t("grants.isStateAidHint"), checked: f.isStateAid == "true"),
            FormField("reportMonths", label: req.t("grants.reportMonths"), kind: .number, value: f.reportMonths ?? "3", maxLength: 2),
            FormField("frameYear", label: req.t("grants.frameYear"), kind: .number, value: f.frameYear, maxLength: 4),
            FormField("frameAmount", label: req.t("grants.frameAmount"), value: f.frameAmount, hint: req.t("grants.kronorHint"), maxLength: 20),
            // Rules: each is on when its parameter is filled in.
            FormField("ruleLegalForms[]", label: req.t("rule.form.legalForms"), kind: .checkboxes, hint: req.t("rule.form.hint"),
                      options: LegalForm.allCases.map { .init(value: $0.rawValue, label: req.label($0), selected: (f.ruleLegalForms ?? []).contains($0.rawValue)) }),
            FormField("ruleLevels[]", label: req.t("rule.form.levels"), kind: .checkboxes, options: levelOpts(f.ruleLevels ?? [])),
            FormField("ruleActiveMin", label: req.t("rule.form.activeMin"), kind: .number, value: f.ruleActiveMin, maxLength: 3),
            FormField("ruleActiveCounty", label: req.t("rule.form.activeCounty"), kind: .select, options: countyOpts(f.ruleActiveCounty)),
            FormField("ruleBranchesMin", label: req.t("rule.form.branchesMin"), kind: .number, value: f.ruleBranchesMin, maxLength: 3),
            FormField("ruleBranchesCounty", label: req.t("rule.form.branchesCounty"), kind: .select, options: countyOpts(f.ruleBranchesCounty)),
            FormField("ruleYoungMin", label: req.t("rule.form.youngMin"), kind: .number, value: f.ruleYoungMin, maxLength: 8),
            FormField("ruleYoungCounty", label: req.t("rule.form.youngCounty"), kind: .select, options: countyOpts(f.ruleYoungCounty)),
            FormField("ruleYoungYear", label: req.t("rule.form.youngYear"), kind: .number, value: f.ruleYoungYear, hint: req.t("rule.form.yearHint"), maxLength: 4),
            FormField("ruleMembersMin", label: req.t("rule.form.membersMin"), kind: .number, value: f.ruleMembersMin, maxLength: 8),
            FormField("ruleCouncil", label: req.t("rule.form.council"), value: f.ruleCouncil, hint: req.t("rule.form.councilHint"), maxLength: 100),
            FormField("ruleParentLevel", label: req.t("rule.form.parentLevel"), kind: .select,
                      options: [.init(value: "", label: req.t("form.none"))] + levelOpts([f.ruleParentLevel ?? ""])),
            FormField("ruleParentArea", label: req.t("rule.form.parentArea"), kind: .select,
                      options: [.init(value: "", label: req.t("form.none"))] + req.areaOptions(vocab, selected: [f.ruleParentArea ?? ""])),
            FormField("ruleRegisteredYears", label: req.t("rule.form.registeredYears"), kind: .number, value: f.ruleRegisteredYears, maxLength: 3),
            FormField("ruleLastReport", label: req.t("rule.lastYearReportSubmitted"), kind: .checkbox, checked: f.ruleLastReport == "true"),
            FormField("ruleNoReclaim", label: req.t("rule.notInReclaim"), kind: .checkbox, checked: f.ruleNoReclaim == "true"),
            // Formula
            FormField("formulaBase", label: req.t("formula.base"), value: f.formulaBase, hint: req.t("formula.hint"), maxLength: 20),
            FormField("formulaPerMember", label: req.t("formula.perMember"), value: f.formulaPerMember, maxLength: 20),
            FormField("formulaPerYoung", label: req.t("formula.perYoung"), value: f.formulaPerYoung, maxLength: 20),
            FormField("formulaPerMunicipality", label: req.t("formula.perMunicipality"), value: f.formulaPerMunicipality, maxLength: 20),
            FormField("formulaPerActivity", label: req.t("formula.perActivity"), value: f.formulaPerActivity, maxLength: 20),
            FormField("formulaCap", label: req.t("formula.cap"), value: f.formulaCap, maxLength: 20),
        ]
        return fields
    }

    static func programmeFormPage(_ req: Request, _ f: ProgrammeForm, id: UUID?, errors: [FieldError]) async throws -> Response {
        let mapped = errors.map { e -> FieldError in
            var e = e
            // Rule errors from the API shape point at the form's fields.
            if e.field.hasPrefix("eligibility") { e.field = "ruleLegalForms" }
            if e.field.hasPrefix("budgetFrames") { e.field = "frameAmount" }
            if e.field.hasPrefix("formula.") { e.field = "formulaBase" }
            return e
        }
        let form = req.form(action: id.map { "/grants/programmes/\($0)/edit" } ?? "/grants/programmes", submitLabel: req.t("form.save"),
                            fields: try await programmeFields(f, req, id: id), errors: mapped, version: f.version,
                            cancelHref: id.map { "/grants/programmes/\($0)" } ?? "/grants")
        return try await req.formPage(heading: id == nil ? req.t("grants.programme.new") : req.t("grants.programme.edit"), intro: req.t("grants.programme.intro"),
                                      form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newProgramme(_ req: Request) async throws -> Response { try await programmeFormPage(req, ProgrammeForm(), id: nil, errors: []) }

    @Sendable static func createProgramme(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(ProgrammeForm.self)
        do {
            let body = try f.body()
            let p = try await req.write { ctx in try await ProgrammeService.save(nil, body, in: ctx) }
            return req.redirect(to: "/grants/programmes/\(p.id!)/dashboard", flash: req.t("saved"))
        } catch let e as FieldErrors {
            return try await programmeFormPage(req, f, id: nil, errors: e.all.map { $0.localized(req.application.localizer, req.language) })
        } catch { return try await rerender(req, error: error) { try await programmeFormPage(req, f, id: nil, errors: $0) } }
    }

    @Sendable static func editProgramme(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let p = try await GrantProgramme.find(id, on: req.db) else { throw AppError.notFound() }
        return try await programmeFormPage(req, ProgrammeForm(try await ProgrammeService.dto(p, on: req.db)), id: id, errors: [])
    }

    @Sendable static func updateProgramme(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(ProgrammeForm.self)
        do {
            let body = try f.body()
            _ = try await req.write { ctx in try await ProgrammeService.save(id, body, in: ctx) }
            return req.redirect(to: "/grants/programmes/\(id)/dashboard", flash: req.t("saved"))
        } catch let e as FieldErrors {
            return try await programmeFormPage(req, f, id: id, errors: e.all.map { $0.localized(req.application.localizer, req.language) })
        } catch { return try await rerender(req, error: error) { try await programmeFormPage(req, f, id: id, errors: $0) } }
    }

    // MARK: Dashboard

    struct StatusCount: Encodable, Sendable { var label: String; var count: Int; var href: String }
    struct AppRow: Encodable, Sendable { var href: String; var organisation: String; var call: String; var status: String; var requested: String; var decideHref: String? }
    struct DashboardPage: Encodable, Sendable {
        var programme: ProgrammeDTO
        var year: Int
        var statuses: [StatusCount]
        var frame: String
        var decided: String
        var paid: String
        var remaining: String
        var overFrame: Bool
        var applications: [AppRow]
        var hasApplications: Bool
        var overdueReports: [ReportDTO]
        var overdueText: [String]
        var hasOverdue: Bool
        var calls: [Link]
        var isKalmar: Bool
        var hasFormula: Bool
        var csrf: String
    }

    @Sendable static func dashboard(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let p = try await GrantProgramme.find(id, on: req.db) else { throw AppError.notFound() }
        let year = try req.yearParameter() ?? LocalDate.today().year
        let lang = req.language.rawValue
        let calls = try await GrantCall.query(on: req.db).filter(\.$programmeID == id).sort(\.$closesOn, .descending).all()
        let yearCalls = calls.filter { $0.year == year }.compactMap(\.id)
        let apps = yearCalls.isEmpty ? [] : try await GrantApplication.query(on: req.db).filter(\.$callID ~~ yearCalls).all()
        let names = try await DirectoryQueries.organisationNames(apps.map(\.organisationID), on: req.db)
        let callTitles = Dictionary(uniqueKeysWithValues: calls.map { ($0.id!, $0.title) })
        let statuses = ApplicationStatus.allCases.map { s in
            StatusCount(label: req.t("applicationStatus.\(s.rawValue)"), count: apps.filter { $0.status == s }.count, href: "/grants/applications?programme=\(id)&status=\(s.rawValue)")
        }
        let decisions = try await GrantDecision.query(on: req.db).filter(\.$programmeID == id).filter(\.$year == year).all()
        let live = DecisionRules.inForce(decisions.map(\.entry))
        let decided = decisions.filter { live.contains($0.id!) }.reduce(0) { $0 + $1.amountOre }
        let paid = try await GrantPayment.query(on: req.db).filter(\.$programmeID == id).filter(\.$year == year).filter(\.$status == .paid).all().reduce(0) { $0 + $1.amountOre }
        let frame = try await ProgrammeService.frame(id, year: year, on: req.db)
        let overdue = try await DecisionService.reportDTOs(try await GrantReport.query(on: req.db).filter(\.$programmeID == id)
            .filter(\.$status ~~ [.pending, .completionRequested]).filter(\.$dueOn < LocalDate.today().description).all(), on: req.db)
        let data = DashboardPage(
            programme: try await ProgrammeService.dto(p, on: req.db), year: year, statuses: statuses,
            frame: frame.map { Money.format($0, lang) } ?? "–", decided: Money.format(decided, lang), paid: Money.format(paid, lang),
            remaining: frame.map { Money.format($0 - decided, lang) } ?? "–", overFrame: frame.map { decided > $0 } ?? false,
            applications: apps.sorted { (names[$0.organisationID] ?? "") < (names[$1.organisationID] ?? "") }.map { a in
                AppRow(href: "/grants/applications/\(a.id!)", organisation: names[a.organisationID] ?? "", call: callTitles[a.callID] ?? "",
                       status: req.t("applicationStatus.\(a.status.rawValue)"), requested: a.requestedOre.map { Money.format($0, lang) } ?? "–",
                       decideHref: (a.status == .submitted || a.status == .underReview) ? "/grants/applications/\(a.id!)/decide" : nil)
            },
            hasApplications: !apps.isEmpty, overdueReports: overdue,
            overdueText: overdue.map { "\($0.organisationName ?? ""): \($0.dueOn)" }, hasOverdue: !overdue.isEmpty,
            calls: calls.map { Link(href: "/grants/calls/\($0.id!)", label: $0.title, note: "\($0.opensOn) – \($0.closesOn)") },
            isKalmar: p.paymentModel == .kalmar, hasFormula: p.allocationFormula != nil, csrf: req.csrfToken)
        return try await req.page("grants/dashboard", title: req.t("grants.dashboardFor", p.name), data)
    }

    struct AllocationPage: Encodable, Sendable {
        struct Line: Encodable, Sendable { var organisation: String; var formula: String; var capped: String; var final: String; var href: String }
        var programmeName: String
        var programmeHref: String
        var year: Int
        var hasFormula: Bool
        var editHref: String
        var frame: String
        var total: String
        var totalFinal: String
        var scaled: Bool
        var scalePercent: String
        var lines: [Line]
        var hasLines: Bool
        var batchHref: String
    }

    @Sendable static func allocation(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let p = try await GrantProgramme.find(id, on: req.db) else { throw AppError.notFound() }
        let year = try req.yearParameter() ?? LocalDate.today().year
        let lang = req.language.rawValue
        guard p.allocationFormula != nil else {
            return try await req.page("grants/allocation", title: req.t("grants.allocationFor", p.name, String(year)), AllocationPage(
                programmeName: p.name, programmeHref: "/grants/programmes/\(id)/dashboard?year=\(year)", year: year, hasFormula: false,
                editHref: "/grants/programmes/\(id)/edit", frame: "", total: "", totalFinal: "", scaled: false, scalePercent: "", lines: [],
                hasLines: false, batchHref: ""))
        }
        let (a, _) = try await ProgrammeService.allocationPreview(p, year: year, on: req.db)
        let data = AllocationPage(
            programmeName: p.name, programmeHref: "/grants/programmes/\(id)/dashboard?year=\(year)", year: year, hasFormula: true, editHref: "",
            frame: a.frameOre.map { Money.format($0, lang) } ?? "–", total: Money.format(a.totalCappedOre, lang), totalFinal: Money.format(a.totalFinalOre, lang),
            scaled: a.scale < 1, scalePercent: DecimalText.format(a.scale * 100, digits: 1, lang: req.language.rawValue),
            lines: a.lines.map { .init(organisation: $0.organisationName, formula: Money.format($0.formulaOre, lang), capped: Money.format($0.cappedOre, lang),
                                       final: Money.format($0.finalOre, lang), href: "/grants/applications/\($0.applicationId)") },
            hasLines: !a.lines.isEmpty, batchHref: "/grants/programmes/\(id)/batch?year=\(year)")
        return try await req.page("grants/allocation", title: req.t("grants.allocationFor", p.name, String(year)), data)
    }

    @Sendable static func advances(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        struct B: Content { var year: String? }
        let y = Int(try req.decodeForm(B.self).year ?? "") ?? LocalDate.today().year
        let created = try await req.write { ctx in try await DecisionService.planAdvances(programmeID: id, year: y, in: ctx) }
        return req.redirect(to: "/grants/payments?programme=\(id)", flash: req.t("grants.advancesPlanned", String(created.count), String(y)))
    }

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

    /// Form fields and criteria are typed one per line: `key | label | kind | required | options` and `key | label | weight`.
    static func parseFields(_ text: String?, errors: inout FieldErrors) -> [FormFieldSpec] {
        var out: [FormFieldSpec] = []
        for (i, line) in (text ?? "").split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 3, let kind = FormFieldSpec.Kind(rawValue: parts[2]) else { errors.add("fields", code: "fieldLine", String(i + 1)); continue }
            let required = parts.count > 3 && ["ja", "yes", "true", "obligatorisk", "required"].contains(parts[3].lowercased())
            let options = parts.count > 4 ? parts[4].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : nil
            out.append(FormFieldSpec(key: parts[0], label: parts[1], kind: kind, required: required, options: options, maxMB: kind == .file ? 10 : nil, accept: nil))
        }
        return out
    }

    static func parseCriteria(_ text: String?, errors: inout FieldErrors) -> [ReviewRules.Criterion] {
        var out: [ReviewRules.Criterion] = []
        for (i, line) in (text ?? "").split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let w = Int(parts[2]) else { errors.add("criteria", code: "criteriaLine", String(i + 1)); continue }
            out.append(ReviewRules.Criterion(key: parts[0], label: parts[1], weight: w))
        }
        return out
    }

    static func fieldsText(_ specs: [FormFieldSpec]) -> String {
        specs.map { s in [s.key, s.label, s.kind.rawValue, s.required ? "ja" : "nej", (s.options ?? []).joined(separator: "; ")].joined(separator: " | ") }.joined(separator: "\n")
    }

    static func callFormPage(_ req: Request, _ f: CallForm, id: UUID?, errors: [FieldError]) async throws -> Response {
        var fields: [FormField] = []
        if id == nil {
            let programmes = try await GrantProgramme.query(on: req.db).sort(\.$name).all()
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
        let fields = parseFields(f.fields, errors: &errors)
        let criteria = parseCriteria(f.criteria, errors: &errors)
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
        guard let c = try await GrantCall.find(id, on: req.db) else { throw AppError.notFound() }
        let f = CallForm(programmeId: c.programmeID.uuidString, title: c.title, year: String(c.year), opensOn: c.opensOn, closesOn: c.closesOn,
                         description: c.description, fields: fieldsText(c.fieldSpecs),
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
