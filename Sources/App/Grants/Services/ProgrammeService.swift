import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension GrantProgramme: Auditable {
    static var auditEntityType: String { "grantProgramme" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["name": .string(name), "kind": .string(kind.rawValue), "purpose": .string(purpose), "description": .string(description),
                       "targetAreas": .string(targetAreas), "decisionLevel": .string(decisionLevel.rawValue),
                       "paymentModel": .string(paymentModel.rawValue), "instalments": .int(instalments), "isStateAid": .bool(isStateAid),
                       "eligibility": .string(eligibility), "formula": formula.map { .string($0) } ?? .null, "reportMonths": .int(reportMonths)])
    }
}

extension GrantCall: Auditable {
    static var auditEntityType: String { "grantCall" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "year": .int(year), "opensOn": .string(opensOn), "closesOn": .string(closesOn),
                       "description": .string(description), "fields": .string(fields), "criteria": .string(criteria),
                       "requiredAttachments": .string(requiredAttachments), "budgetTable": .bool(budgetTable)])
    }
}

/// Programmes (with their rules, formulas and budget frames) and calls.
enum ProgrammeService {
    static let attachmentKinds = ["verksamhetsberattelse", "arsbokslut", "revisionsberattelse", "budget", "other"]

    /// The scope of a programme for the policy: its body, narrowed to its unit when it has one.
    static func scope(_ p: GrantProgramme, on db: any Database) async throws -> ResourceScope {
        .body(p.bodyID, unitPath: try await p.unitID.asyncFlatMap { try await StructureService.unitPath($0, on: db) } ?? [])
    }

    static func authorizeManage(_ p: GrantProgramme, _ ctx: WriteContext) async throws {
        guard Policy.allows(ctx.actor, .grantsManage, try await scope(p, on: ctx.db)) else { throw AppError.forbidden() }
    }

    static func save(_ id: UUID?, _ b: ProgrammeBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> GrantProgramme {
        var errors = FieldErrors()
        let existing: GrantProgramme? = id == nil ? nil : try await GrantProgramme.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        // Allowed on the programme as it is (here) and as it will be (below, after the changes).
        if let existing { try await authorizeManage(existing, ctx) }
        let name = TextRules.line(b.name ?? existing?.name, field: "name", max: 200, required: true, min: 3, errors: &errors)
        let kind = OrganisationRules.vocabulary(GrantKind.self, b.kind ?? existing?.kind.rawValue, field: "kind", errors: &errors)
        let purpose = TextRules.paragraph(b.purpose ?? existing?.purpose, field: "purpose", max: 2000, required: true, errors: &errors)
        let description = TextRules.paragraph(b.description ?? existing?.description, field: "description", max: 10_000, errors: &errors)
        let level = OrganisationRules.vocabulary(DecisionLevel.self, b.decisionLevel ?? existing?.decisionLevel.rawValue ?? "official", field: "decisionLevel", errors: &errors)
        var model: PaymentModel?
        if let raw = b.paymentModel ?? existing?.paymentModel.rawValue {
            model = PaymentModel(rawValue: raw)
            if model == nil { errors.add("paymentModel", code: "oneOf", PaymentModel.allCases.map(\.rawValue).joined(separator: ", ")) }
        } else { model = .single }
        let instalments = b.instalments ?? existing?.instalments ?? 4
        if !(2...12).contains(instalments) { errors.add("instalments", code: "range", "2", "12") }
        let reportMonths = b.reportMonths ?? existing?.reportMonths ?? 3
        if !(0...24).contains(reportMonths) { errors.add("reportMonths", code: "range", "0", "24") }
        let (bodyID, unitID) = try await DirectoryQueries.resolveOwner(bodyId: b.bodyId, unitId: b.unitId, existingBody: existing?.bodyID,
                                                                       existingUnit: existing?.unitID, errors: &errors, on: ctx.db)
        let contactRoleID = try await DirectoryQueries.resolveRole(b.contactRoleId, existing: existing?.contactRoleID, field: "contactRoleId", errors: &errors, on: ctx.db)
        let vocab = try await DirectoryVocabularyService.load(on: ctx.db)
        var areas: [String] = []
        for a in b.targetAreas ?? existing?.areaKeys ?? [] {
            if let k = vocab.areaKey(a) { if !areas.contains(k) { areas.append(k) } } else { errors.add("targetAreas", code: "unknownArea", String(a.prefix(60))) }
        }
        let conditions = b.eligibility ?? existing?.conditions ?? []
        errors.append(EligibilityRules.validate(conditions))
        let formula = b.formula ?? existing?.allocationFormula
        if let f = formula {
            for (k, v) in [("baseOre", f.baseOre), ("perMemberOre", f.perMemberOre), ("perYoungMemberOre", f.perYoungMemberOre),
                           ("perMunicipalityOre", f.perMunicipalityOre), ("perActivityOre", f.perActivityOre), ("capOre", f.capOre ?? 0)]
            where v < 0 || v > Money.maxOre { errors.add("formula.\(k)", code: "range", "0", String(Money.maxOre)) }
        }
        for (i, frame) in (b.budgetFrames ?? []).enumerated() {
            if !(2000...2200).contains(frame.year) { errors.add("budgetFrames[\(i)].year", code: "range", "2000", "2200") }
            if frame.amountOre < 0 || frame.amountOre > Money.maxOre { errors.add("budgetFrames[\(i)].amountOre", code: "range", "0", String(Money.maxOre)) }
        }
        if let existing {
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            if v != existing.version { throw AppError.staleVersion() }
        }
        try errors.throwIfAny()
        let p = existing ?? GrantProgramme()
        let before = existing?.auditSnapshot
        if existing == nil { p.id = UUID(); p.bodyID = bodyID!; p.version = 1; p.isDemo = isDemo } else { p.version += 1 }
        p.unitID = unitID
        p.name = name
        p.kind = kind!
        p.purpose = purpose
        p.description = description
        p.targetAreas = areas.joined(separator: "|")
        p.decisionLevel = level!
        p.contactRoleID = contactRoleID
        p.paymentModel = model!
        p.instalments = instalments
        p.isStateAid = b.isStateAid ?? existing?.isStateAid ?? false
        p.eligibility = String(decoding: try JSONEncoder().encode(conditions), as: UTF8.self)
        p.formula = try formula.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        p.reportMonths = reportMonths
        try await authorizeManage(p, ctx)
        try await p.save(on: ctx.db)
        if let frames = b.budgetFrames {
            for f in frames {
                try await BudgetFrame.query(on: ctx.db).filter(\.$programmeID == p.id!).filter(\.$year == f.year).delete()
                let m = BudgetFrame()
                m.id = UUID()
                m.programmeID = p.id!
                m.year = f.year
                m.amountOre = f.amountOre
                try await m.create(on: ctx.db)
            }
        }
        ctx.audit(existing == nil ? "create" : "update", p, id: p.id, before: before)
        return p
    }

    static func dto(_ p: GrantProgramme, on db: any Database) async throws -> ProgrammeDTO {
        let frames = try await BudgetFrame.query(on: db).filter(\.$programmeID == p.id!).sort(\.$year).all()
        return ProgrammeDTO(id: p.id!, bodyId: p.bodyID, bodyName: try await DirectoryQueries.body(p.bodyID, on: db)?.name, unitId: p.unitID,
                            name: p.name, kind: p.kind.rawValue, purpose: p.purpose, description: p.description, targetAreas: p.areaKeys,
                            decisionLevel: p.decisionLevel.rawValue, contactRoleId: p.contactRoleID, paymentModel: p.paymentModel.rawValue,
                            instalments: p.instalments, isStateAid: p.isStateAid, eligibility: p.conditions, formula: p.allocationFormula,
                            reportMonths: p.reportMonths, budgetFrames: frames.map { BudgetFrameDTO(year: $0.year, amountOre: $0.amountOre) }, version: p.version)
    }

    static func frame(_ programmeID: UUID, year: Int, on db: any Database) async throws -> Int? {
        try await BudgetFrame.query(on: db).filter(\.$programmeID == programmeID).filter(\.$year == year).first()?.amountOre
    }

    // MARK: Calls

    static func saveCall(_ id: UUID?, _ b: CallBody, in ctx: WriteContext) async throws -> GrantCall {
        var errors = FieldErrors()
        let existing: GrantCall? = id == nil ? nil : try await GrantCall.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        var programme: GrantProgramme?
        if let existing { programme = try await GrantProgramme.find(existing.programmeID, on: ctx.db) }
        else if let raw = b.programmeId, let u = UUID(uuidString: raw) { programme = try await GrantProgramme.find(u, on: ctx.db) }
        guard let programme else { throw AppError.invalid(field: "programmeId", code: b.programmeId == nil ? "required" : "notFound") }
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let year = b.year ?? existing?.year ?? LocalDate.today().year
        if !(2000...2200).contains(year) { errors.add("year", code: "range", "2000", "2200") }
        let opens = TextRules.date(b.opensOn ?? existing?.opensOn, field: "opensOn", required: true, errors: &errors)
        let closes = TextRules.date(b.closesOn ?? existing?.closesOn, field: "closesOn", required: true, errors: &errors)
        StructureRules.checkPeriod(start: opens, end: closes, endField: "closesOn", errors: &errors)
        let description = TextRules.paragraph(b.description ?? existing?.description, field: "description", max: 10_000, errors: &errors)
        let fields = b.fields ?? existing?.fieldSpecs ?? []
        var keys = Set<String>()
        for (i, f) in fields.enumerated() {
            let p = "fields[\(i)]"
            if f.key.isEmpty || f.key.count > 40 || !f.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { errors.add(p + ".key", code: "keyFormat") }
            if !keys.insert(f.key).inserted { errors.add(p + ".key", code: "duplicateKey") }
            _ = TextRules.line(f.label, field: p + ".label", max: 200, required: true, errors: &errors)
            if f.kind == .choice && (f.options ?? []).isEmpty { errors.add(p + ".options", code: "required") }
            for o in f.options ?? [] { _ = TextRules.line(o, field: p + ".options", max: 200, required: true, errors: &errors) }
            if f.kind == .file, let mb = f.maxMB, !(1...20).contains(mb) { errors.add(p + ".maxMB", code: "range", "1", "20") }
        }
        if fields.count > 50 { errors.add("fields", code: "tooMany", "50") }
        let criteria = b.criteria ?? existing?.criteriaList ?? []
        for (i, c) in criteria.enumerated() {
            if c.key.isEmpty || !c.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { errors.add("criteria[\(i)].key", code: "keyFormat") }
            _ = TextRules.line(c.label, field: "criteria[\(i)].label", max: 200, required: true, errors: &errors)
            if !(1...10).contains(c.weight) { errors.add("criteria[\(i)].weight", code: "range", "1", "10") }
        }
        let attachments = b.requiredAttachments ?? existing?.attachmentKinds ?? []
        for a in attachments where !attachmentKinds.contains(a) { errors.add("requiredAttachments", code: "oneOf", attachmentKinds.joined(separator: ", ")) }
        if let existing {
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            if v != existing.version { throw AppError.staleVersion() }
        }
        try errors.throwIfAny()
        try await authorizeManage(programme, ctx)
        let c = existing ?? GrantCall()
        let before = existing?.auditSnapshot
        if existing == nil { c.id = UUID(); c.programmeID = programme.id!; c.version = 1 } else { c.version += 1 }
        c.title = title
        c.year = year
        c.opensOn = opens!.description
        c.closesOn = closes!.description
        c.description = description
        c.fields = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        c.criteria = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
        c.requiredAttachments = attachments.joined(separator: "|")
        c.budgetTable = b.budgetTable ?? existing?.budgetTable ?? true
        try await c.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", c, id: c.id, before: before)
        return c
    }

    static func callDTO(_ c: GrantCall, on db: any Database) async throws -> CallDTO {
        CallDTO(id: c.id!, programmeId: c.programmeID, programmeName: try await GrantProgramme.find(c.programmeID, on: db)?.name,
                title: c.title, year: c.year, opensOn: c.opensOn, closesOn: c.closesOn,
                isOpen: CallRules.isOpen(opensOn: c.opensOnDate, closesOn: c.closesOnDate, now: Date()),
                description: c.description, fields: c.fieldSpecs, criteria: c.criteriaList, requiredAttachments: c.attachmentKinds,
                budgetTable: c.budgetTable, version: c.version)
    }

    // Route scope resolvers.
    static func programmeScope(_ req: Request) async throws -> ResourceScope {
        guard let p = try await GrantProgramme.find(try req.parameters.require("id", as: UUID.self), on: req.db) else { throw AppError.notFound() }
        return try await scope(p, on: req.db)
    }

    static func callScope(_ req: Request) async throws -> ResourceScope {
        guard let c = try await GrantCall.find(try req.parameters.require("id", as: UUID.self), on: req.db),
              let p = try await GrantProgramme.find(c.programmeID, on: req.db) else { throw AppError.notFound() }
        return try await scope(p, on: req.db)
    }

    /// The allocation preview for a year: every submitted or decided application run through the formula,
    /// member figures from the year before, capped and scaled to the frame.
    static func allocationPreview(_ p: GrantProgramme, year: Int, on db: any Database) async throws -> (AllocationDTO, [UUID: AllocationLine]) {
        guard let formula = p.allocationFormula else { throw AppError.invalid(field: "formula", code: "noFormula") }
        let calls = try await GrantCall.query(on: db).filter(\.$programmeID == p.id!).filter(\.$year == year).all().compactMap(\.id)
        let apps = calls.isEmpty ? [] : try await GrantApplication.query(on: db).filter(\.$callID ~~ calls)
            .filter(\.$status ~~ [.submitted, .underReview, .decided]).all()
        let orgIDs = apps.map(\.organisationID)
        let members = try await DirectoryQueries.memberTotals(orgIDs, year: year - 1, on: db)
        let municipalities = try await DirectoryQueries.municipalityCounts(orgIDs, on: db)
        let inputs = apps.map { a in
            AllocationInput(key: a.id!, members: members[a.organisationID]?.total ?? 0, youngMembers: members[a.organisationID]?.young ?? 0,
                            municipalities: municipalities[a.organisationID] ?? 0, activities: a.activities)
        }
        let preview = AllocationRules.preview(inputs, formula: formula, frameOre: try await ProgrammeService.frame(p.id!, year: year, on: db))
        let names = try await DirectoryQueries.organisationNames(apps.map(\.organisationID), on: db)
        let orgOf = Dictionary(uniqueKeysWithValues: apps.map { ($0.id!, $0.organisationID) })
        let lines = preview.lines.map { AllocationDTO.Line(applicationId: $0.key, organisationName: orgOf[$0.key].flatMap { names[$0] } ?? "",
                                                           formulaOre: $0.formulaOre, cappedOre: $0.cappedOre, finalOre: $0.finalOre) }
        return (AllocationDTO(year: year, frameOre: preview.frameOre, totalCappedOre: preview.totalCappedOre, totalFinalOre: preview.totalFinalOre,
                              scale: preview.scale, lines: lines.sorted { $0.organisationName < $1.organisationName }),
                Dictionary(uniqueKeysWithValues: preview.lines.map { ($0.key, $0) }))
    }
}
