import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension GrantApplication: Auditable {
    static var auditEntityType: String { "grantApplication" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["status": .string(status.rawValue), "answers": .string(answers), "budget": .string(budget),
                       "requestedOre": requestedOre.map { .int($0) } ?? .null, "activities": .int(activities), "payeeAccount": .string(payeeAccount),
                       "diarienummer": diarienummer.map { .string($0) } ?? .null, "registeredOn": registeredOn.map { .string($0) } ?? .null])
    }
}

/// Applications: drafts, answers, attachments, submission and withdrawal.
enum ApplicationService {
    static let defaultMaxMB = 10

    static func authorizeApplicant(_ app: GrantApplication, _ actor: Principal) throws {
        guard Policy.allows(actor, .grantsApply, .organisation(app.organisationID)) else { throw AppError.forbidden() }
    }

    static func create(callID: UUID, organisationID: UUID, in ctx: WriteContext) async throws -> GrantApplication {
        guard let call = try await GrantCall.find(callID, on: ctx.db) else { throw AppError.invalid(field: "callId", code: "notFound") }
        guard try await DirectoryQueries.organisationExists(organisationID, on: ctx.db) else { throw AppError.invalid(field: "organisationId", code: "notFound") }
        guard Policy.allows(ctx.actor, .grantsApply, .organisation(organisationID)) else { throw AppError.forbidden() }
        guard CallRules.isOpen(opensOn: call.opensOnDate, closesOn: call.closesOnDate, now: Date()) else {
            throw AppError.invalid(field: "callId", code: "callClosed", call.closesOn)
        }
        if let existing = try await GrantApplication.query(on: ctx.db).filter(\.$callID == callID).filter(\.$organisationID == organisationID).first() {
            throw AppError(.conflict, "Organisationen har redan en ansökan i utlysningen.", fields: [FieldError(field: "callId", code: "alreadyApplied", args: [existing.id!.uuidString])])
        }
        let a = GrantApplication()
        a.id = UUID()
        a.callID = callID
        a.organisationID = organisationID
        a.status = .draft
        a.answers = "{}"
        a.budget = "[]"
        a.activities = 0
        a.payeeAccount = ""
        a.createdBy = ctx.actor.userID
        a.version = 1
        try await a.create(on: ctx.db)
        ctx.audit("create", a, id: a.id, before: nil)
        return a
    }

    /// Starts an application and fills in what the body already carries (answers, budget, amount…), in the caller's transaction.
    static func create(callID: UUID, organisationID: UUID, filling b: ApplicationBody, in ctx: WriteContext) async throws -> GrantApplication {
        let a = try await create(callID: callID, organisationID: organisationID, in: ctx)
        guard b.answers != nil || b.budget != nil || b.requestedOre != nil || b.activities != nil || b.payeeAccount != nil, let id = a.id else { return a }
        var body = b
        body.version = a.version
        return try await update(id, body, in: ctx)
    }

    /// Saves a draft's answers (checked against the call's form) without submitting.
    static func update(_ id: UUID, _ b: ApplicationBody, in ctx: WriteContext) async throws -> GrantApplication {
        guard let a = try await GrantApplication.find(id, on: ctx.db), let call = try await GrantCall.find(a.callID, on: ctx.db) else { throw AppError.notFound() }
        try authorizeApplicant(a, ctx.actor)
        guard a.status == .draft else { throw AppError(.conflict, "Bara utkast kan ändras.", fields: [FieldError(field: "status", code: "notDraft")]) }
        guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
        guard v == a.version else { throw AppError.staleVersion() }
        var errors = FieldErrors()
        var answers = a.answerMap
        for (key, raw) in b.answers ?? [:] {
            guard let spec = call.fieldSpecs.first(where: { $0.key == key }), spec.kind != .file else {
                errors.add("answers.\(key)", code: "unknownField")
                continue
            }
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty { answers[key] = nil; continue }
            switch spec.kind {
            case .text: answers[key] = TextRules.paragraph(value, field: "answers.\(key)", max: 4000, errors: &errors)
            case .number:
                if let n = TextRules.integer(value, field: "answers.\(key)", range: 0...1_000_000_000, errors: &errors) { answers[key] = String(n) }
            case .amount:
                if let ore = Money.parseKronor(value) { answers[key] = String(ore) } else { errors.add("answers.\(key)", code: "amount") }
            case .date:
                if let d = TextRules.date(value, field: "answers.\(key)", errors: &errors) { answers[key] = d.description }
            case .choice:
                if spec.options?.contains(value) == true { answers[key] = value } else { errors.add("answers.\(key)", code: "oneOf", (spec.options ?? []).joined(separator: ", ")) }
            case .file: break
            }
        }
        var budget = a.budgetLines
        if let lines = b.budget {
            budget = []
            for (i, l) in lines.enumerated() {
                let label = TextRules.line(l.label, field: "budget[\(i)].label", max: 200, required: true, errors: &errors)
                if l.amountOre < 0 || l.amountOre > Money.maxOre { errors.add("budget[\(i)].amountOre", code: "range", "0", Money.format(Money.maxOre)) }
                budget.append(BudgetLine(label: label, amountOre: l.amountOre))
            }
            if lines.count > 100 { errors.add("budget", code: "tooMany", "100") }
        }
        if let r = b.requestedOre, r < 0 || r > Money.maxOre { errors.add("requestedOre", code: "range", "0", Money.format(Money.maxOre)) }
        if let act = b.activities, !(0...100_000).contains(act) { errors.add("activities", code: "range", "0", "100000") }
        var payee = a.payeeAccount
        if let raw = b.payeeAccount {
            payee = TextRules.line(raw, field: "payeeAccount", max: 40, errors: &errors)
            // An account the payment file can carry: bankgiro, plusgiro or IBAN, with a correct check digit.
            if !payee.isEmpty && PaymentAccount.parse(payee) == nil { errors.add("payeeAccount", code: "payeeAccount") }
        }
        try errors.throwIfAny()
        let before = a.auditSnapshot
        a.answers = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
        a.budget = String(decoding: try JSONEncoder().encode(budget), as: UTF8.self)
        if let r = b.requestedOre { a.requestedOre = r }
        if let act = b.activities { a.activities = act }
        a.payeeAccount = payee
        a.version += 1
        try await a.save(on: ctx.db)
        ctx.audit("update", a, id: a.id, before: before)
        return a
    }

    /// Submits a draft: the call must be open, required answers and attachments present, and the
    /// organisation must not fail the eligibility rules.
    static func submit(_ id: UUID, version: Int?, in ctx: WriteContext) async throws -> GrantApplication {
        guard let a = try await GrantApplication.find(id, on: ctx.db), let call = try await GrantCall.find(a.callID, on: ctx.db),
              let programme = try await GrantProgramme.find(call.programmeID, on: ctx.db) else { throw AppError.notFound() }
        try authorizeApplicant(a, ctx.actor)
        guard a.status == .draft else { throw AppError(.conflict, "Ansökan är redan inskickad.", fields: [FieldError(field: "status", code: "notDraft")]) }
        if let version, version != a.version { throw AppError.staleVersion() }
        guard CallRules.isOpen(opensOn: call.opensOnDate, closesOn: call.closesOnDate, now: Date()) else {
            throw AppError(.unprocessableEntity, "Utlysningen stängde \(call.closesOn); ansökan kan inte skickas in.", fields: [FieldError(field: "callId", code: "callClosed", args: [call.closesOn])])
        }
        let files = try await GrantQueries.attachments(applicationID: id, on: ctx.db)
        var errors = ApplicationRules.missing(fields: call.fieldSpecs, answers: a.answerMap, attachmentKinds: call.attachmentKinds, uploaded: files.map(\.kind),
                                              budgetTable: call.budgetTable, hasBudget: !a.budgetLines.isEmpty, requestedOre: a.requestedOre,
                                              hasFormula: programme.allocationFormula != nil)
        let eligibility = try await EligibilityService.evaluate(programme: programme, organisationID: a.organisationID, callYear: call.year, on: ctx.db)
        if eligibility.status == .fail {
            for c in eligibility.conditions where c.status == .fail { errors.add(c.fieldError) }
        }
        try errors.throwIfAny()
        let before = a.auditSnapshot
        a.status = .submitted
        a.submittedAt = Date()
        // Registered (diariefört) on receipt, in the body's sequence for the year of registration; a case withdrawn
        // and sent in again keeps its number.
        if a.diarienummer == nil {
            let today = LocalDate.today()
            a.diarienummer = try await DiarieSequence.next(bodyID: programme.bodyID, year: today.year, on: ctx.sql)
            a.registeredOn = today.description
        }
        a.version += 1
        try await a.save(on: ctx.db)
        ctx.audit("submit", a, id: a.id, before: before)
        try await GrantNotifications.received(a, call: call, programme: programme, in: ctx)
        return a
    }

    static func withdraw(_ id: UUID, version: Int?, in ctx: WriteContext) async throws -> GrantApplication {
        guard let a = try await GrantApplication.find(id, on: ctx.db) else { throw AppError.notFound() }
        try authorizeApplicant(a, ctx.actor)
        if let version, version != a.version { throw AppError.staleVersion() }
        guard a.status == .submitted || a.status == .underReview || a.status == .draft else {
            throw AppError(.conflict, "Ansökan kan inte återkallas i det här läget.", fields: [FieldError(field: "status", code: "cannotWithdraw")])
        }
        let before = a.auditSnapshot
        a.status = .withdrawn
        a.version += 1
        try await a.save(on: ctx.db)
        ctx.audit("withdraw", a, id: a.id, before: before)
        return a
    }

    static func reopen(_ id: UUID, version: Int?, in ctx: WriteContext) async throws -> GrantApplication {
        guard let a = try await GrantApplication.find(id, on: ctx.db), let call = try await GrantCall.find(a.callID, on: ctx.db) else { throw AppError.notFound() }
        try authorizeApplicant(a, ctx.actor)
        if let version, version != a.version { throw AppError.staleVersion() }
        guard a.status == .withdrawn, CallRules.isOpen(opensOn: call.opensOnDate, closesOn: call.closesOnDate, now: Date()) else {
            throw AppError(.conflict, "Bara återkallade ansökningar i öppna utlysningar kan öppnas igen.", fields: [FieldError(field: "status", code: "cannotReopen")])
        }
        let before = a.auditSnapshot
        a.status = .draft
        a.version += 1
        try await a.save(on: ctx.db)
        ctx.audit("reopen", a, id: a.id, before: before)
        return a
    }

    static func addAttachment(_ id: UUID, kind: String, filename: String, contentType: String, data: Data, in ctx: WriteContext) async throws -> GrantAttachment {
        guard let a = try await GrantApplication.find(id, on: ctx.db), let call = try await GrantCall.find(a.callID, on: ctx.db) else { throw AppError.notFound() }
        try authorizeApplicant(a, ctx.actor)
        guard a.status == .draft else { throw AppError(.conflict, "Bilagor kan bara läggas till i utkast.", fields: [FieldError(field: "status", code: "notDraft")]) }
        let spec = call.fieldSpecs.first { $0.key == kind && $0.kind == .file }
        guard spec != nil || ProgrammeService.attachmentKinds.contains(kind) else { throw AppError.invalid(field: "kind", code: "oneOf", (ProgrammeService.attachmentKinds + call.fieldSpecs.filter { $0.kind == .file }.map(\.key)).joined(separator: ", ")) }
        var errors = FieldErrors()
        let checked = UploadRules.check(filename: filename, contentType: contentType, size: data.count, maxMB: spec?.maxMB ?? defaultMaxMB,
                                        accepted: spec?.accept ?? UploadRules.documentTypes, errors: &errors)
        let name = checked.filename, type = checked.contentType
        try errors.throwIfAny()
        let f = GrantAttachment()
        f.id = UUID()
        f.applicationID = id
        f.kind = kind
        f.filename = name
        f.contentType = type
        f.size = data.count
        f.data = data
        f.uploadedBy = ctx.actor.userID
        try await f.create(on: ctx.db)
        ctx.audit("create", "grantAttachment", f.id!.uuidString, before: nil,
                  after: AuditSnapshot(["applicationId": .string(id.uuidString), "kind": .string(kind), "filename": .string(name), "size": .int(data.count)]))
        return f
    }

    static func removeAttachment(_ attachmentID: UUID, in ctx: WriteContext) async throws {
        guard let f = try await GrantAttachment.find(attachmentID, on: ctx.db), let a = try await GrantApplication.find(f.applicationID, on: ctx.db) else { throw AppError.notFound() }
        try authorizeApplicant(a, ctx.actor)
        guard a.status == .draft else { throw AppError(.conflict, "Bilagor kan bara tas bort i utkast.", fields: [FieldError(field: "status", code: "notDraft")]) }
        try await f.delete(on: ctx.db)
        ctx.audit("delete", "grantAttachment", attachmentID.uuidString, before: AuditSnapshot(["filename": .string(f.filename)]), after: nil)
    }

    /// Who may see an application: its organisation's representatives, officials of the programme's body, assigned reviewers.
    static func mayView(_ a: GrantApplication, _ p: Principal, on db: any Database) async throws -> Bool {
        if Policy.allows(p, .grantsApply, .organisation(a.organisationID)) { return true }
        guard let call = try await GrantCall.find(a.callID, on: db), let prog = try await GrantProgramme.find(call.programmeID, on: db) else { return false }
        if Policy.allows(p, .grantsManage, try await ProgrammeService.scope(prog, on: db)) { return true }
        if let uid = p.userID, try await GrantReview.query(on: db).filter(\.$applicationID == a.id!).filter(\.$reviewerID == uid).count() > 0 { return true }
        return Policy.allows(p, .crossBodyRead)
    }

    static func dto(_ a: GrantApplication, withEligibility: Bool, on db: any Database) async throws -> ApplicationDTO {
        let call = try await GrantCall.find(a.callID, on: db)
        let files = try await GrantQueries.attachments(applicationID: a.id!, on: db)
        var eligibility: EligibilityResult?
        if withEligibility, let call, let programme = try await GrantProgramme.find(call.programmeID, on: db) {
            // A decided application is judged as things stood when it was decided.
            let decided = a.status == .decided ? try await DecisionService.current(applicationID: a.id!, on: db) : nil
            eligibility = try await EligibilityService.evaluate(programme: programme, organisationID: a.organisationID, callYear: call.year,
                                                                asOf: decided?.createdAt ?? Date(), on: db)
        }
        return ApplicationDTO(id: a.id!, callId: a.callID, callTitle: call?.title, organisationId: a.organisationID,
                              organisationName: try await DirectoryQueries.organisation(a.organisationID, includingDeleted: true, on: db)?.name,
                              status: a.status.rawValue, answers: a.answerMap, budget: a.budgetLines, requestedOre: a.requestedOre,
                              activities: a.activities, payeeAccount: a.payeeAccount,
                              attachments: files.map { AttachmentDTO(id: $0.id!, kind: $0.kind, filename: $0.filename, contentType: $0.contentType, size: $0.size) },
                              eligibility: eligibility, submittedAt: a.submittedAt, diarienummer: a.diarienummer, registeredOn: a.registeredOn,
                              version: a.version)
    }

    /// The programme's body (and unit) of the application named in the path.
    static func programmeScope(_ req: Request) async throws -> ResourceScope {
        guard let a = try await GrantApplication.find(try req.parameters.require("id", as: UUID.self), on: req.db) else { throw AppError.notFound() }
        let (_, p) = try await ReviewService.programme(of: a, on: req.db)
        return try await ProgrammeService.scope(p, on: req.db)
    }

    static func applicationScope(_ req: Request) async throws -> ResourceScope {
        guard let a = try await GrantApplication.find(try req.parameters.require("id", as: UUID.self), on: req.db) else { throw AppError.notFound() }
        return .organisation(a.organisationID)
    }
}
