import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/grants/…`: programmes, calls, applications, reviews, decisions, payments, reports, reclaims,
/// the public register and the 360Giving export.
enum GrantsAPIController {
    static let tag = "Grants"

    static func register(_ api: Router) {
        GrantSchemas.register(api.registry.schemas)
        let g = api.grouped("grants")
        let paging = PagingParameters.all
        g.get("programmes", access: .anyone, api: APIOperation("List grant programmes", tag: tag, query: [APIParameter("body", .uuid, "Myndighet.")] + paging,
              response: .page(of: .ref("GrantProgramme"))), use: listProgrammes)
        g.post("programmes", access: .permission(.grantsManage), api: APIOperation("Create a programme", tag: tag, body: .ref("GrantProgrammeInput"), status: 201, response: .ref("GrantProgramme")), use: createProgramme)
        g.get("programmes", ":id", access: .anyone, api: APIOperation("Get a programme with its rules", tag: tag, response: .ref("GrantProgramme")), use: showProgramme)
        g.put("programmes", ":id", access: .scoped(.grantsManage, ProgrammeService.programmeScope), api: APIOperation("Change a programme", tag: tag, body: .ref("GrantProgrammeInput"), response: .ref("GrantProgramme")), use: updateProgramme)
        g.get("programmes", ":id", "eligibility", access: .anyone, api: APIOperation("Evaluate the eligibility rules for an organisation", tag: tag,
              query: [APIParameter("organisation", .uuid, "Organisation.", required: true), APIParameter("year", .integer(minimum: 2000, maximum: 2200), "Bidragsår.")],
              response: .ref("EligibilityResult")), use: eligibility)
        g.get("programmes", ":id", "allocation", access: .scoped(.grantsManage, ProgrammeService.programmeScope), api: APIOperation("Allocation preview for a year", tag: tag,
              query: [APIParameter("year", .integer(minimum: 2000, maximum: 2200), "Bidragsår.")], response: .ref("AllocationPreview")), use: allocation)
        g.post("programmes", ":id", "advances", access: .scoped(.grantsManage, ProgrammeService.programmeScope), api: APIOperation("Plan the January advances (Kalmar model)", tag: tag,
               query: [APIParameter("year", .integer(minimum: 2000, maximum: 2200), "Bidragsår.")], response: .array(.ref("GrantPayment"))), use: advances)

        g.get("calls", access: .anyone, api: APIOperation("List calls", tag: tag, query: [APIParameter("programme", .uuid, "Program."), APIParameter("open", .boolean, "Bara öppna.")] + paging,
              response: .page(of: .ref("GrantCall"))), use: listCalls)
        g.post("calls", access: .permission(.grantsManage), api: APIOperation("Create a call", tag: tag, body: .ref("GrantCallInput"), status: 201, response: .ref("GrantCall")), use: createCall)
        g.get("calls", ":id", access: .anyone, api: APIOperation("Get a call", tag: tag, response: .ref("GrantCall")), use: showCall)
        g.put("calls", ":id", access: .scoped(.grantsManage, ProgrammeService.callScope), api: APIOperation("Change a call", tag: tag, body: .ref("GrantCallInput"), response: .ref("GrantCall")), use: updateCall)

        g.get("applications", access: .signedIn, api: APIOperation("Applications the user may see", tag: tag,
              query: [APIParameter("call", .uuid, "Utlysning."), APIParameter("status", .oneOf(ApplicationStatus.allCases.map(\.rawValue)), "Status.")] + paging,
              response: .page(of: .ref("GrantApplication"))), use: listApplications)
        g.post("applications", access: .permission(.grantsApply), api: APIOperation("Start an application (draft)", tag: tag, body: .ref("GrantApplicationInput"), status: 201, response: .ref("GrantApplication")), use: createApplication)
        g.get("applications", ":id", access: .record("grantCaseRead"), api: APIOperation("Get an application with its eligibility", tag: tag, response: .ref("GrantApplication")), use: showApplication)
        g.put("applications", ":id", access: .scoped(.grantsApply, ApplicationService.applicationScope), api: APIOperation("Save a draft", tag: tag, body: .ref("GrantApplicationInput"), response: .ref("GrantApplication")), use: updateApplication)
        for (action, summary) in [("submit", "Submit a draft"), ("withdraw", "Withdraw an application"), ("reopen", "Reopen a withdrawn application as a draft")] {
            g.post("applications", ":id", .constant(action), access: .scoped(.grantsApply, ApplicationService.applicationScope),
                   api: APIOperation(summary, tag: tag, query: [APIParameter("version", .integer(minimum: 1), "Förväntad version.")], response: .ref("GrantApplication"))) { req in
                try await transition(req, action)
            }
        }
        g.post("applications", ":id", "attachments", access: .scoped(.grantsApply, ApplicationService.applicationScope),
               api: APIOperation("Attach a file (raw body; Content-Type is the file's type)", tag: tag,
                                 query: [APIParameter("kind", .string(maxLength: 60), "Typ av bilaga eller filfältets nyckel.", required: true),
                                         APIParameter("filename", .string(maxLength: 200), "Filnamn.", required: true)],
                                 body: .string(), bodyContentType: "application/octet-stream", status: 201, response: .ref("GrantAttachment")),
               body: .collect(maxSize: "21mb"), use: attach)
        g.get("attachments", ":id", access: .record("grantCaseRead"), api: APIOperation("Download an attachment (in its own content type)", tag: tag, response: .string(), responseContentType: "*/*"), use: download)
        g.delete("attachments", ":id", access: .permission(.grantsApply), api: APIOperation("Remove an attachment from a draft", tag: tag, status: 204), use: removeAttachment)

        g.get("applications", ":id", "reviews", access: .scoped(.grantsManage, ApplicationService.programmeScope), api: APIOperation("Reviews of an application with mean and spread", tag: tag, response: .ref("ReviewSummary")), use: reviews)
        g.post("applications", ":id", "reviews", access: .permission(.grantsManage), api: APIOperation("Assign a reviewer", tag: tag,
               body: .object([("reviewerId", .uuid)], required: ["reviewerId"]), status: 201, response: .ref("GrantReview")), use: assign)
        g.put("reviews", ":id", access: .record("assignedReviewer"), api: APIOperation("Declare jäv, score and comment (own review)", tag: tag,
              body: .ref("GrantReviewInput"), response: .ref("GrantReview")), use: updateReview)

        g.get("decisions", access: .signedIn, api: APIOperation("Decisions the user may see", tag: tag,
              query: [APIParameter("programme", .uuid, "Program."), APIParameter("year", .integer(minimum: 2000, maximum: 2200), "År.")] + paging,
              response: .page(of: .ref("GrantDecision"))), use: listDecisions)
        g.post("decisions", access: .permission(.grantsManage), api: APIOperation("Decide an application, or correct a decision (replacesId)", tag: tag,
               body: .ref("GrantDecisionInput"), status: 201, response: .ref("GrantDecision")), use: decide)
        g.get("decisions", ":id", access: .anyone, api: APIOperation("Get a public decision", tag: tag, response: .ref("GrantDecision")), use: showDecision)

        g.get("payments", access: .permission(.grantsManage), api: APIOperation("Payments", tag: tag,
              query: [APIParameter("programme", .uuid, "Program."), APIParameter("status", .oneOf(PaymentStatus.allCases.map(\.rawValue)), "Status."),
                      APIParameter("dueBefore", .date, "Förfaller senast.")] + paging, response: .page(of: .ref("GrantPayment"))), use: listPayments)
        g.get("payments", "export.csv", access: .permission(.grantsManage), api: APIOperation("Payment file of approved payments (CSV for the finance system)", tag: tag,
              query: [APIParameter("programme", .uuid, "Program.")], response: .string(), responseContentType: "text/csv"), use: paymentFile)
        g.get("payments", "export.xml", access: .permission(.grantsManage), api: APIOperation("Payment order file of a programme's approved payments: ISO 20022 pain.001.001.03 for the bank", tag: tag,
              query: [APIParameter("programme", .uuid, "Program (krävs)."), APIParameter("debtorAccount", .string(maxLength: 40), "Myndighetens bankgiro eller IBAN (krävs)."),
                      APIParameter("dueBefore", .date, "Förfaller senast.")], response: .string(), responseContentType: "application/xml"), use: paymentOrderFile)
        for (action, status) in [("approve", PaymentStatus.approved), ("paid", .paid), ("cancel", .cancelled)] {
            g.post("payments", ":id", .constant(action), access: .permission(.grantsManage),
                   api: APIOperation("Mark a payment \(status.rawValue)", tag: tag, query: [APIParameter("date", .date, "Datum (standard: i dag).")], response: .ref("GrantPayment"))) { req in
                let id = try req.parameters.require("id", as: UUID.self)
                let date = try (req.queryValue("date")).flatMap { $0.isEmpty ? nil : $0 }.map { s -> LocalDate in
                    guard let d = LocalDate(s) else { throw AppError.badRequest(code: "date", field: "date") }
                    return d
                } ?? LocalDate.today()
                let pay = try await req.write { ctx in try await DecisionService.setPaymentStatus(id, to: status, on: date, in: ctx) }
                return try await DecisionService.paymentDTOs([pay], on: req.db)[0]
            }
        }

        g.get("reports", access: .signedIn, api: APIOperation("Reports (redovisningar) the user may see", tag: tag,
              query: [APIParameter("overdue", .boolean, "Bara försenade.")] + paging, response: .page(of: .ref("GrantReport"))), use: listReports)
        g.post("reports", ":id", "attachments", access: .permission(.grantsApply),
               api: APIOperation("Attach a file to a report while it is owed (raw body; Content-Type is the file's type)", tag: tag,
                                 query: [APIParameter("filename", .string(maxLength: 200), "Filnamn.", required: true)],
                                 body: .string(), bodyContentType: "application/octet-stream", status: 201, response: .ref("GrantAttachment")),
               body: .collect(maxSize: "21mb"), use: attachToReport)
        g.get("reports", ":id", "attachments", access: .record("grantCaseRead"), api: APIOperation("A report's attachments", tag: tag,
              response: .array(.ref("GrantAttachment"))), use: reportAttachments)
        g.put("reports", ":id", access: .permission(.grantsApply), api: APIOperation("Submit a report", tag: tag, body: .ref("GrantReportInput"), response: .ref("GrantReport")), use: submitReport)
        for (action, approve) in [("approve", true), ("request-completion", false)] {
            g.post("reports", ":id", .constant(action), access: .permission(.grantsManage),
                   api: APIOperation(approve ? "Approve a report" : "Ask for completion of a report", tag: tag,
                                     body: .object([("comment", .nullable(.text(max: 4000)))]), response: .ref("GrantReport"))) { req in
                struct B: Content { var comment: String? }
                let id = try req.parameters.require("id", as: UUID.self)
                let b = (try? req.content.decode(B.self)) ?? B()
                let r = try await req.write { ctx in try await DecisionService.reviewReport(id, approve: approve, comment: b.comment, in: ctx) }
                return try await DecisionService.reportDTOs([r], on: req.db)[0]
            }
        }

        g.get("bodies", ":id", "settings", access: .scoped(.grantsManage, StructureService.bodyScope),
              api: APIOperation("A body's grant settings (separation of duties)", tag: tag, response: .ref("GrantSettings"))) { req in
            try await GrantSettingsService.dto(bodyID: try req.parameters.require("id", as: UUID.self), on: req.db)
        }
        g.put("bodies", ":id", "settings", access: .permission(.bodyManage),
              api: APIOperation("Relax or restore the separation of duties for a very small body (admin; audited)", tag: tag,
                                body: .ref("GrantSettingsInput"), response: .ref("GrantSettings"))) { req in
            let id = try req.parameters.require("id", as: UUID.self)
            let b = try req.content.decode(GrantSettingsBody.self)
            _ = try await req.write { ctx in try await GrantSettingsService.save(bodyID: id, b, in: ctx) }
            return try await GrantSettingsService.dto(bodyID: id, on: req.db)
        }

        g.get("reclaims", access: .signedIn, api: APIOperation("Reclaims (återkrav)", tag: tag, query: paging, response: .page(of: .ref("GrantReclaim"))), use: listReclaims)
        g.post("reclaims", access: .permission(.grantsManage), api: APIOperation("Reclaim all or part of a grant", tag: tag, body: .ref("GrantReclaimInput"), status: 201, response: .ref("GrantReclaim")), use: createReclaim)
        for (action, status) in [("repaid", ReclaimStatus.repaid), ("cancel", .cancelled)] {
            g.post("reclaims", ":id", .constant(action), access: .permission(.grantsManage),
                   api: APIOperation("Mark a reclaim \(status.rawValue)", tag: tag, query: [APIParameter("date", .date, "Datum.")], response: .ref("GrantReclaim"))) { req in
                let id = try req.parameters.require("id", as: UUID.self)
                let date = (req.queryValue("date")).flatMap(LocalDate.init) ?? LocalDate.today()
                let r = try await req.write { ctx in try await DecisionService.setReclaimStatus(id, to: status, on: date, in: ctx) }
                return try await DecisionService.reclaimDTOs([r], on: req.db)[0]
            }
        }

        g.get("register", access: .anyone, api: APIOperation("Public register of decided grants", tag: tag,
              query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("year", .integer(minimum: 2000, maximum: 2200), "År.")] + paging,
              response: .page(of: .ref("RegisterLine"))), use: register)
        g.get("register.csv", access: .anyone, api: APIOperation("Public register as CSV", tag: tag, query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("year", .integer(minimum: 2000, maximum: 2200), "År.")],
              response: .string(), responseContentType: "text/csv"), use: registerCSV)
        g.get("360giving.json", access: .anyone, api: APIOperation("360Giving data package (Data Standard 1.4) of public decided grants", tag: tag,
              response: .object([], additional: true)), use: givingJSON)
        g.get("360giving.csv", access: .anyone, api: APIOperation("360Giving CSV of public decided grants", tag: tag, response: .string(), responseContentType: "text/csv"), use: givingCSV)
    }

    // MARK: Programmes and calls

    @Sendable static func listProgrammes(_ req: Request) async throws -> Paged<ProgrammeDTO> {
        let page = try PageRequest.from(req)
        let (programmes, total) = try await GrantQueries.programmes(bodyID: try req.uuidParameter("body"), page: page, on: req.db)
        var items: [ProgrammeDTO] = []
        for p in programmes { items.append(try await ProgrammeService.dto(p, on: req.db)) }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showProgramme(_ req: Request) async throws -> ProgrammeDTO {
        try await ProgrammeService.dto(try await GrantQueries.programme(try req.parameters.require("id", as: UUID.self), on: req.db), on: req.db)
    }

    @Sendable static func createProgramme(_ req: Request) async throws -> Response {
        let b = try req.content.decode(ProgrammeBody.self)
        let p = try await req.write { ctx in try await ProgrammeService.save(nil, b, in: ctx) }
        return try await ProgrammeService.dto(p, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateProgramme(_ req: Request) async throws -> ProgrammeDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.content.decode(ProgrammeBody.self)
        let p = try await req.write { ctx in try await ProgrammeService.save(id, b, in: ctx) }
        return try await ProgrammeService.dto(p, on: req.db)
    }

    static func year(_ req: Request, default value: Int) throws -> Int { try req.yearParameter() ?? value }

    @Sendable static func eligibility(_ req: Request) async throws -> EligibilityResult {
        let p = try await GrantQueries.programme(try req.parameters.require("id", as: UUID.self), on: req.db)
        guard let org = try req.uuidParameter("organisation") else { throw AppError.badRequest(code: "organisationRequired", field: "organisation") }
        guard try await DirectoryQueries.organisationExists(org, on: req.db) else { throw AppError.notFound() }
        return try await EligibilityService.evaluate(programme: p, organisationID: org, callYear: try year(req, default: LocalDate.today().year), on: req.db).localized(req)
    }

    /// The allocation preview for the submitted applications of a year's calls.
    @Sendable static func allocation(_ req: Request) async throws -> AllocationDTO {
        let p = try await GrantQueries.programme(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await ProgrammeService.allocationPreview(p, year: try year(req, default: LocalDate.today().year), on: req.db).0
    }

    @Sendable static func advances(_ req: Request) async throws -> [PaymentDTO] {
        let id = try req.parameters.require("id", as: UUID.self)
        let y = try year(req, default: LocalDate.today().year)
        let pays = try await req.write { ctx in try await DecisionService.planAdvances(programmeID: id, year: y, in: ctx) }
        return try await DecisionService.paymentDTOs(pays, on: req.db)
    }

    @Sendable static func listCalls(_ req: Request) async throws -> Paged<CallDTO> {
        let page = try PageRequest.from(req)
        let (calls, total) = try await GrantQueries.calls(programmeID: try req.uuidParameter("programme"), openOn: try req.flag("open") ? LocalDate.today() : nil,
                                                          page: page, on: req.db)
        var items: [CallDTO] = []
        for c in calls { items.append(try await ProgrammeService.callDTO(c, on: req.db)) }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showCall(_ req: Request) async throws -> CallDTO {
        try await ProgrammeService.callDTO(try await GrantQueries.call(try req.parameters.require("id", as: UUID.self), on: req.db), on: req.db)
    }

    @Sendable static func createCall(_ req: Request) async throws -> Response {
        let b = try req.content.decode(CallBody.self)
        let c = try await req.write { ctx in try await ProgrammeService.saveCall(nil, b, in: ctx) }
        return try await ProgrammeService.callDTO(c, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateCall(_ req: Request) async throws -> CallDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.content.decode(CallBody.self)
        let c = try await req.write { ctx in try await ProgrammeService.saveCall(id, b, in: ctx) }
        return try await ProgrammeService.callDTO(c, on: req.db)
    }

    // MARK: Applications

    @Sendable static func listApplications(_ req: Request) async throws -> Paged<ApplicationDTO> {
        let page = try PageRequest.from(req)
        var status: ApplicationStatus?
        if let s = req.queryValue("status"), !s.isEmpty {
            guard let st = ApplicationStatus(rawValue: s) else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
            status = st
        }
        let (apps, total) = try await GrantQueries.applications(visibleTo: req.principal, callID: try req.uuidParameter("call"), status: status, page: page, on: req.db)
        var items: [ApplicationDTO] = []
        for a in apps {
            items.append(try await ApplicationService.dto(a, withEligibility: false, on: req.db))
        }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func createApplication(_ req: Request) async throws -> Response {
        let b = try req.content.decode(ApplicationBody.self)
        guard let c = b.callId.flatMap(UUID.init(uuidString:)) else { throw AppError.invalid(field: "callId", code: "required") }
        guard let o = b.organisationId.flatMap(UUID.init(uuidString:)) else { throw AppError.invalid(field: "organisationId", code: "required") }
        let a = try await req.write { ctx in try await ApplicationService.create(callID: c, organisationID: o, filling: b, in: ctx) }
        return try await applicationDTO(a, req).encodeResponse(status: .created, for: req)
    }

    /// An application with its eligibility, the reasons in the reader's language.
    static func applicationDTO(_ a: GrantApplication, _ req: Request) async throws -> ApplicationDTO {
        var dto = try await ApplicationService.dto(a, withEligibility: true, on: req.db)
        dto.eligibility = dto.eligibility?.localized(req)
        return dto
    }

    static func viewable(_ req: Request) async throws -> GrantApplication {
        let a = try await GrantQueries.application(try req.parameters.require("id", as: UUID.self), on: req.db)
        guard try await ApplicationService.mayView(a, req.principal, on: req.db) else { throw AppError.forbidden() }
        return a
    }

    @Sendable static func showApplication(_ req: Request) async throws -> ApplicationDTO {
        try await applicationDTO(try await viewable(req), req)
    }

    @Sendable static func updateApplication(_ req: Request) async throws -> ApplicationDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.content.decode(ApplicationBody.self)
        let a = try await req.write { ctx in try await ApplicationService.update(id, b, in: ctx) }
        return try await applicationDTO(a, req)
    }

    static func transition(_ req: Request, _ action: String) async throws -> ApplicationDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let version = try? req.query.get(Int.self, at: "version")
        let a = try await req.write { ctx -> GrantApplication in
            switch action {
            case "submit": return try await ApplicationService.submit(id, version: version, in: ctx)
            case "withdraw": return try await ApplicationService.withdraw(id, version: version, in: ctx)
            default: return try await ApplicationService.reopen(id, version: version, in: ctx)
            }
        }
        return try await applicationDTO(a, req)
    }

    @Sendable static func attach(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let kind = req.queryValue("kind") ?? ""
        let filename = req.queryValue("filename") ?? ""
        let data = Data(req.body.data.map { Array($0.readableBytesView) } ?? [])
        let type = req.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
        let f = try await req.write { ctx in try await ApplicationService.addAttachment(id, kind: kind, filename: filename, contentType: type, data: data, in: ctx) }
        return try await AttachmentDTO(id: f.id!, kind: f.kind, filename: f.filename, contentType: f.contentType, size: f.size).encodeResponse(status: .created, for: req)
    }

    @Sendable static func attachToReport(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let filename = req.queryValue("filename") ?? ""
        let data = Data(req.body.data.map { Array($0.readableBytesView) } ?? [])
        let type = req.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
        let f = try await req.write { ctx in try await ReportAttachments.add(reportID: id, filename: filename, contentType: type, data: data, in: ctx) }
        return try await AttachmentDTO(id: f.id!, kind: f.kind, filename: f.filename, contentType: f.contentType, size: f.size).encodeResponse(status: .created, for: req)
    }

    @Sendable static func reportAttachments(_ req: Request) async throws -> [AttachmentDTO] {
        let r = try await GrantQueries.report(try req.parameters.require("id", as: UUID.self), on: req.db)
        let p = try await GrantQueries.programme(r.programmeID, on: req.db)
        let scope = try await ProgrammeService.scope(p, on: req.db)
        guard Policy.allows(req.principal, .grantsApply, .organisation(r.organisationID)) || Policy.allows(req.principal, .grantsManage, scope)
                || Policy.allows(req.principal, .crossBodyRead) else { throw AppError.forbidden() }
        return try await GrantQueries.attachments(reportID: r.id!, on: req.db).map { AttachmentDTO(id: $0.id!, kind: $0.kind, filename: $0.filename, contentType: $0.contentType, size: $0.size) }
    }

    @Sendable static func download(_ req: Request) async throws -> Response {
        let f = try await GrantQueries.attachment(try req.parameters.require("id", as: UUID.self), on: req.db)
        let a = try await GrantQueries.application(f.applicationID, on: req.db)
        guard try await ApplicationService.mayView(a, req.principal, on: req.db) else { throw AppError.forbidden() }
        return .download(f.data, filename: f.filename, contentType: f.contentType)
    }

    @Sendable static func removeAttachment(_ req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("id", as: UUID.self)
        try await req.write { ctx in try await ApplicationService.removeAttachment(id, in: ctx) }
        return .noContent
    }

    // MARK: Reviews

    struct ReviewSummaryDTO: Content {
        struct Line: Content { var key: String; var label: String; var weight: Int; var mean: Double?; var min: Int?; var max: Int?; var count: Int }
        var criteria: [Line]
        var weightedMean: Double?
        var reviews: [ReviewDTO]
    }

    @Sendable static func reviews(_ req: Request) async throws -> ReviewSummaryDTO {
        let a = try await viewable(req)
        let s = try await ReviewService.summary(applicationID: a.id!, on: req.db)
        var reviews: [ReviewDTO] = []
        for r in s.reviews { reviews.append(try await ReviewService.dto(r, on: req.db)) }
        let lines = zip(s.criteria, s.summary).map { c, x in ReviewSummaryDTO.Line(key: c.key, label: c.label, weight: c.weight, mean: x.mean, min: x.min, max: x.max, count: x.count) }
        return ReviewSummaryDTO(criteria: lines, weightedMean: s.weighted, reviews: reviews)
    }

    @Sendable static func assign(_ req: Request) async throws -> Response {
        struct B: Content { var reviewerId: UUID? }
        let id = try req.parameters.require("id", as: UUID.self)
        guard let reviewer = try req.content.decode(B.self).reviewerId else { throw AppError.invalid(field: "reviewerId", code: "required") }
        let r = try await req.write { ctx in try await ReviewService.assign(applicationID: id, reviewerID: reviewer, in: ctx) }
        return try await ReviewService.dto(r, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateReview(_ req: Request) async throws -> ReviewDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.content.decode(ReviewBody.self)
        let r = try await req.write { ctx in try await ReviewService.update(id, b, in: ctx) }
        return try await ReviewService.dto(r, on: req.db)
    }

    // MARK: Decisions

    @Sendable static func listDecisions(_ req: Request) async throws -> Paged<DecisionDTO> {
        let page = try PageRequest.from(req)
        let (items, total) = try await GrantQueries.decisions(visibleTo: req.principal, programmeID: try req.uuidParameter("programme"), year: try req.yearParameter(),
                                                              page: page, on: req.db)
        return Paged(items: try await DecisionService.decisionDTOs(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let b = try req.content.decode(DecisionBody.self)
        let rate = req.application.config.eurToSek
        let d = try await req.write { ctx in try await DecisionService.decide(b, eurToSek: rate, in: ctx) }
        return try await DecisionService.decisionDTOs([d], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func showDecision(_ req: Request) async throws -> DecisionDTO {
        let d = try await GrantQueries.decision(try req.parameters.require("id", as: UUID.self), on: req.db)
        if !d.isPublic {
            guard let a = try await GrantQueries.findApplication(d.applicationID, on: req.db), try await ApplicationService.mayView(a, req.principal, on: req.db) else { throw AppError.notFound() }
        }
        return try await DecisionService.decisionDTOs([d], on: req.db)[0]
    }
}
