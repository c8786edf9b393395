import Fluent
import Vapor
import SamverkaRules

/// Money and open-data handlers of `/api/v1/grants/…`: payments, reports, reclaims, the public register and 360Giving.
extension GrantsAPIController {
    // MARK: Payments, reports, reclaims

    /// The payment filter of the query string (`programme`, `status`, `dueBefore`).
    static func paymentFilter(_ req: Request) throws -> GrantQueries.PaymentFilter {
        var f = GrantQueries.PaymentFilter(programmeID: try req.uuidParameter("programme"))
        if let s = req.queryValue("status"), !s.isEmpty {
            guard let st = PaymentStatus(rawValue: s) else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
            f.status = st
        }
        if let d = req.queryValue("dueBefore"), !d.isEmpty {
            guard let date = LocalDate(d) else { throw AppError.badRequest(code: "date", field: "dueBefore") }
            f.dueBefore = date
        }
        return f
    }

    @Sendable static func listPayments(_ req: Request) async throws -> Paged<PaymentDTO> {
        let page = try PageRequest.from(req)
        let (items, total) = try await GrantQueries.payments(try paymentFilter(req), visibleTo: req.principal, page: page, on: req.db)
        return Paged(items: try await DecisionService.paymentDTOs(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func paymentFile(_ req: Request) async throws -> Response {
        var filter = try paymentFilter(req)
        filter.status = .approved
        let pays = try await GrantQueries.payments(filter, visibleTo: req.principal, page: nil, on: req.db).items
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"utbetalningar.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: try await PaymentFiles.csv(pays, on: req.db)))
    }

    /// `pain.001.001.03` of one programme's approved payments, for the bank.
    @Sendable static func paymentOrderFile(_ req: Request) async throws -> Response {
        guard let programmeID = try req.uuidParameter("programme") else { throw AppError.badRequest(code: "programmeRequired", field: "programme") }
        let p = try await GrantQueries.programme(programmeID, on: req.db)
        guard Policy.allows(req.principal, .grantsManage, try await ProgrammeService.scope(p, on: req.db)) else { throw AppError.forbidden() }
        var filter = try paymentFilter(req)
        filter.status = .approved
        let pays = try await GrantQueries.payments(filter, visibleTo: req.principal, page: nil, on: req.db).items
        let xml = try await PaymentFiles.pain001(pays, programme: p, debtorAccount: req.queryValue("debtorAccount"), on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"utbetalningar-pain001.xml\"")
        return Response(status: .ok, headers: headers, body: .init(string: xml))
    }

    @Sendable static func listReports(_ req: Request) async throws -> Paged<ReportDTO> {
        let page = try PageRequest.from(req)
        let (items, total) = try await GrantQueries.reports(visibleTo: req.principal, overdueOn: try req.flag("overdue") ? LocalDate.today() : nil, page: page, on: req.db)
        return Paged(items: try await DecisionService.reportDTOs(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func submitReport(_ req: Request) async throws -> ReportDTO {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.content.decode(ReportBody.self)
        let r = try await req.write { ctx in try await DecisionService.submitReport(id, b, in: ctx) }
        return try await DecisionService.reportDTOs([r], on: req.db)[0]
    }

    @Sendable static func listReclaims(_ req: Request) async throws -> Paged<ReclaimDTO> {
        let page = try PageRequest.from(req)
        let (items, total) = try await GrantQueries.reclaims(visibleTo: req.principal, page: page, on: req.db)
        return Paged(items: try await DecisionService.reclaimDTOs(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func createReclaim(_ req: Request) async throws -> Response {
        let b = try req.content.decode(ReclaimBody.self)
        let r = try await req.write { ctx in try await DecisionService.reclaim(b, in: ctx) }
        return try await DecisionService.reclaimDTOs([r], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    // MARK: Open data

    static func registerLines(_ req: Request, limit: Int?, offset: Int) async throws -> (lines: [RegisterLineDTO], total: Int) {
        let body = try req.uuidParameter("body")
        let year = try req.yearParameter()
        func line(_ r: OpenDataService.Row) -> RegisterLineDTO? {
            r.decisionUUID.map { RegisterLineDTO(decisionId: $0, recipient: r.organisationName, recipientOrgnr: r.orgnr, programme: r.programmeName,
                                                 body: r.bodyName, amountOre: r.amountOre, decidedOn: r.decidedOn, purpose: r.purpose, diarienummer: r.diarienummer) }
        }
        let (rows, total) = try await OpenDataService.page(on: req.db, bodyID: body, year: year, limit: limit, offset: offset)
        return (rows.compactMap(line), total)
    }

    @Sendable static func register(_ req: Request) async throws -> Paged<RegisterLineDTO> {
        let page = try PageRequest.from(req)
        let (lines, total) = try await registerLines(req, limit: page.per, offset: page.offset)
        return Paged(items: lines, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func registerCSV(_ req: Request) async throws -> Response {
        let (lines, _) = try await registerLines(req, limit: nil, offset: 0)
        let w = CSVWriter(delimiter: .semicolon)
        var out = CSVWriter.bom + w.row(["mottagare", "organisationsnummer", "program", "myndighet", "belopp_kr", "beslutsdatum", "syfte", "diarienummer"])
        for l in lines { out += w.row([l.recipient, l.recipientOrgnr ?? "", l.programme, l.body, Money.decimal(l.amountOre), l.decidedOn, l.purpose, l.diarienummer], numeric: [4]) }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"bidragsregister.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: out))
    }

    @Sendable static func givingJSON(_ req: Request) async throws -> Response {
        let db = req.db, prefix = req.application.config.giving360Prefix, publisher = req.application.config.giving360Publisher
        return OpenDataService.streamed(contentType: "application/json", filename: "360giving.json") { write in
            try await OpenDataService.streamGivingJSON(on: db, prefix: prefix, publisher: publisher, write)
        }
    }

    @Sendable static func givingCSV(_ req: Request) async throws -> Response {
        let db = req.db, prefix = req.application.config.giving360Prefix
        return OpenDataService.streamed(contentType: "text/csv; charset=utf-8", filename: "360giving.csv") { write in
            try await OpenDataService.streamGivingCSV(on: db, prefix: prefix, write)
        }
    }
}
