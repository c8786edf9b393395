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
        let p = try await GrantQueries.programme(id, on: req.db)
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
}
