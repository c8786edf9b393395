import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/partnerships` (IOP), `/api/v1/reserved-procurements` and the guide's verdict.
enum PartnershipAPIController {
    static let tag = "Partnerships"

    static func registerSchemas(_ r: SchemaRegistry) {
        let answer = Schema.oneOf(IOPAnswer.allCases.map(\.rawValue))
        let questions = Schema.object(IOPQuestions.keys.map { ($0, answer) })
        r.register("IOPQuestions", questions)
        r.register("IOPVerdict", .object([("conclusion", .oneOf(IOPConclusion.allCases.map(\.rawValue))), ("reasons", .array(.string())), ("conditions", .array(.string())),
                                          ("open", .array(.string()))], required: ["conclusion", "reasons", "conditions", "open"]))
        let contribution = Schema.object([("party", .oneOf(["body", "organisation"])), ("kronorPerYear", .integer(minimum: 0, maximum: Money.maxOre / 100)),
                                          ("staffHoursPerYear", .integer(minimum: 0, maximum: 1_000_000)), ("premises", .text(max: 300)),
                                          ("volunteers", .integer(minimum: 0, maximum: 1_000_000)), ("other", .text(max: 500))],
                                         required: ["party", "kronorPerYear", "staffHoursPerYear", "premises", "volunteers", "other"])
        let optDate = Schema.nullable(.date), optText = Schema.nullable(.string())
        r.register("Partnership", .object([
            ("id", .uuid), ("bodyId", .uuid), ("bodyName", .string()), ("organisationId", .uuid), ("organisationName", .string()), ("title", .string()),
            ("need", .string()), ("targetGroup", .string()), ("goal", .string()), ("offer", .string()), ("initiatedBy", .oneOf(["organisation", "body"])),
            ("isPublic", .boolean), ("secrecyReason", .string()), ("state", .oneOf(PartnershipState.rawValues)), ("nextState", .nullable(.oneOf(PartnershipState.rawValues))),
            ("problemAnalysis", .string()), ("goals", .array(.string())), ("indicators", .array(.string())), ("contributions", .array(contribution)),
            ("answers", .ref("IOPQuestions")), ("verdict", .nullable(.ref("IOPVerdict"))), ("conclusion", .nullable(.oneOf(IOPConclusion.allCases.map(\.rawValue)))),
            ("assessmentMotivation", .string()), ("assessedBy", .string()), ("assessedOn", optDate), ("overrideReason", .string()), ("decisionOrgan", .string()),
            ("decisionOn", optDate), ("decisionParagraph", .string()), ("decisionDiarienummer", .string()), ("periodFrom", optDate), ("periodTo", optDate),
            ("agreementText", .string()), ("followUpPlan", .string()), ("deMinimis", .boolean), ("previousId", .nullable(.uuid)), ("closedOn", optDate),
            ("closedReason", .string()), ("followUps", .array(.object([("id", .uuid), ("day", .date), ("results", .string()), ("text", .string())],
                                                                      required: ["id", "day", "results", "text"]))),
            ("isDemo", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "organisationId", "title", "state", "isPublic", "goals", "indicators", "contributions", "answers", "followUps", "version"]))
        _ = optText
        r.register("PartnershipInput", Schema.input([
            ("bodyId", .string(maxLength: 40)), ("organisationId", .string(maxLength: 40)), ("title", .text(max: 200, min: 3)), ("need", .text(max: 4000)),
            ("targetGroup", .text(max: 300)), ("goal", .text(max: 4000)), ("offer", .text(max: 4000)), ("isPublic", .boolean), ("secrecyReason", .text(max: 300)),
            ("answers", .ref("IOPQuestions")), ("problemAnalysis", .text(max: 20_000)), ("goals", .array(.text(max: 300), maxItems: 30)),
            ("indicators", .array(.text(max: 300), maxItems: 30)), ("contributions", .array(contribution, maxItems: 10)), ("decisionOrgan", .text(max: 200)),
            ("decisionOn", .string(maxLength: 10)), ("decisionParagraph", .string(maxLength: 20)), ("decisionDiarienummer", .string(maxLength: 40)),
            ("periodFrom", .string(maxLength: 10)), ("periodTo", .string(maxLength: 10)), ("agreementText", .text(max: 40_000)), ("followUpPlan", .text(max: 4000)),
            ("deMinimis", .boolean), ("version", .integer(minimum: 1)),
        ]))
        r.register("PartnershipProposalInput", Schema.input([
            ("bodyId", .string(maxLength: 40)), ("organisationId", .string(maxLength: 40)), ("title", .text(max: 200, min: 3)), ("need", .text(max: 4000, min: 1)),
            ("targetGroup", .text(max: 300)), ("goal", .text(max: 4000)), ("offer", .text(max: 4000)), ("isPublic", .boolean), ("secrecyReason", .text(max: 300)),
            ("answers", .ref("IOPQuestions")),
        ], required: ["bodyId", "organisationId", "title", "need"]))
        r.register("ReservedProcurement", .object([
            ("id", .uuid), ("bodyId", .uuid), ("bodyName", .string()), ("contract", .string()), ("object", .string()), ("supplierId", .nullable(.uuid)),
            ("supplierName", .nullable(.string())), ("valueOre", .integer()), ("periodFrom", .date), ("periodTo", .date), ("legalBasis", .string()),
            ("decision", .string()), ("isDemo", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "bodyName", "contract", "object", "valueOre", "periodFrom", "periodTo", "legalBasis", "decision", "isDemo", "version"]))
        r.register("ReservedProcurementInput", Schema.input([
            ("bodyId", .string(maxLength: 40)), ("contract", .text(max: 200, min: 3)), ("object", .text(max: 2000, min: 1)), ("supplierId", .string(maxLength: 40)),
            ("valueOre", .integer(minimum: 0, maximum: Money.maxOre)), ("periodFrom", .date), ("periodTo", .date), ("legalBasis", .oneOf(ReservedProcurementService.bases)),
            ("decision", .text(max: 300, min: 1)), ("version", .integer(minimum: 1)),
        ]))
    }

    static func register(_ api: Router) {
        registerSchemas(api.registry.schemas)
        let manage = Access.scoped(.partnershipsManage, PartnershipService.partnershipScope)
        api.get("partnerships", access: .anyone, api: APIOperation("IOPs the user may read; with inForceOn only those in force that day", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("inForceOn", .date, "I kraft denna dag.")], response: .array(.ref("Partnership"))), use: list)
        api.get("partnerships", "register.csv", access: .anyone, api: APIOperation("The public register of IOPs in force today, as CSV", tag: tag,
                response: .string(), responseContentType: "text/csv"), use: registerCSV)
        api.get("partnerships", "guide", access: .anyone, api: APIOperation("IOP, grant or procurement? The guide's verdict for the answers given", tag: tag,
                query: IOPQuestions.keys.map { APIParameter($0, .oneOf(IOPAnswer.allCases.map(\.rawValue)), "Svar.") }, response: .ref("IOPVerdict")), use: guide)
        api.post("partnerships", access: .permission(.partnershipsPropose), api: APIOperation("Propose an IOP (an organisation's representative or an official)", tag: tag,
                 body: .ref("PartnershipProposalInput"), status: 201, response: .ref("Partnership")), use: propose)
        api.get("partnerships", ":id", access: .anyone, api: APIOperation("Get an IOP", tag: tag, response: .ref("Partnership")), use: show)
        api.put("partnerships", ":id", access: manage, api: APIOperation("Change what the current state works on (analysis, decision, agreement …)", tag: tag,
                body: .ref("PartnershipInput"), response: .ref("Partnership")), use: update)
        api.put("partnerships", ":id", "assessment", access: manage, api: APIOperation("Record the legal assessment", tag: tag,
                body: Schema.input([("answers", .ref("IOPQuestions")), ("motivation", .text(max: 10_000, min: 1)), ("overrideReason", .text(max: 4000)),
                                    ("version", .integer(minimum: 1))], required: ["answers", "motivation"]), response: .ref("Partnership")), use: assess)
        api.post("partnerships", ":id", "move", access: .record("partnershipMover"), api: APIOperation(
                 "Move to the next state, or reject, withdraw or end (with a reason); states cannot be skipped", tag: tag,
                 body: Schema.input([("to", .oneOf(PartnershipState.rawValues)), ("reason", .text(max: 4000)), ("deMinimisOverride", .text(max: 2000)),
                                     ("version", .integer(minimum: 1))], required: ["to"]), response: .ref("Partnership")), use: move)
        api.post("partnerships", ":id", "follow-ups", access: manage, api: APIOperation("Record a dated follow-up against the indicators", tag: tag,
                 body: Schema.input([("day", .date), ("results", .text(max: 10_000, min: 1)), ("text", .text(max: 10_000))], required: ["results"]),
                 status: 201, response: .ref("Partnership")), use: followUp)
        api.post("partnerships", ":id", "renew", access: manage, api: APIOperation("Renew for a new period (a new IOP linked to this one, at the decision step)", tag: tag,
                 body: Schema.input([("periodFrom", .date), ("periodTo", .date)], required: ["periodFrom", "periodTo"]), status: 201, response: .ref("Partnership")), use: renew)
        api.get("reserved-procurements", access: .anyone, api: APIOperation("The register of reserved procurements", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("inForceOn", .date, "Gäller denna dag.")], response: .array(.ref("ReservedProcurement"))), use: procurements)
        api.get("reserved-procurements", "register.csv", access: .anyone, api: APIOperation("The register of reserved procurements as CSV", tag: tag,
                response: .string(), responseContentType: "text/csv"), use: procurementsCSV)
        api.post("reserved-procurements", access: .permission(.partnershipsManage), api: APIOperation("Register a reserved procurement", tag: tag,
                 body: .ref("ReservedProcurementInput"), status: 201, response: .ref("ReservedProcurement")), use: createProcurement)
        api.put("reserved-procurements", ":id", access: .scoped(.partnershipsManage, ReservedProcurementService.procurementScope),
                api: APIOperation("Change a reserved procurement", tag: tag, body: .ref("ReservedProcurementInput"), response: .ref("ReservedProcurement")), use: updateProcurement)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }

    @Sendable static func list(_ req: Request) async throws -> [PartnershipDTO] {
        var out: [PartnershipDTO] = []
        for p in try await PartnershipService.list(visibleTo: req.principal, bodyID: try req.uuidParameter("body"), inForceOn: try req.dateParameter("inForceOn"), on: req.db) {
            out.append(try await PartnershipService.dto(p, on: req.db))
        }
        return out
    }

    @Sendable static func registerCSV(_ req: Request) async throws -> Response {
        let list = try await PartnershipService.list(visibleTo: .anonymous, bodyID: try req.uuidParameter("body"), inForceOn: .today(), on: req.db)
        return Response.csv(try await PartnershipService.registerCSV(list, on: req.db), filename: "iop-register.csv")
    }

    static func questions(_ req: Request) throws -> IOPQuestions {
        var q = IOPQuestions()
        for key in IOPQuestions.keys {
            guard let raw = req.queryValue(key), !raw.isEmpty else { continue }
            guard let a = IOPAnswer(rawValue: raw) else { throw AppError.badRequest(code: "iopAnswer", field: key) }
            q[key] = a
        }
        return q
    }

    @Sendable static func guide(_ req: Request) async throws -> VerdictDTO {
        let v = IOPRules.assess(try questions(req))
        return VerdictDTO(conclusion: v.conclusion.rawValue, reasons: v.reasons, conditions: v.conditions, open: v.open)
    }

    @Sendable static func propose(_ req: Request) async throws -> Response {
        let b = try req.content.decode(PartnershipBody.self)
        let p = try await req.write { ctx in try await PartnershipService.propose(b, in: ctx) }
        return try await PartnershipService.dto(p, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func show(_ req: Request) async throws -> PartnershipDTO {
        try await PartnershipService.dto(try await PartnershipService.readable(try id(req), req.principal, on: req.db), on: req.db)
    }

    @Sendable static func update(_ req: Request) async throws -> PartnershipDTO {
        let pid = try id(req)
        let b = try req.content.decode(PartnershipBody.self)
        return try await PartnershipService.dto(try await req.write { ctx in try await PartnershipService.update(pid, b, in: ctx) }, on: req.db)
    }

    @Sendable static func assess(_ req: Request) async throws -> PartnershipDTO {
        let pid = try id(req)
        let b = try req.content.decode(AssessmentBody.self)
        return try await PartnershipService.dto(try await req.write { ctx in try await PartnershipService.assess(pid, b, in: ctx) }, on: req.db)
    }

    @Sendable static func move(_ req: Request) async throws -> PartnershipDTO {
        let pid = try id(req)
        let b = try req.content.decode(MoveBody.self)
        let rate = req.application.config.eurToSek
        return try await PartnershipService.dto(try await req.write { ctx in try await PartnershipService.move(pid, b, eurToSek: rate, in: ctx) }, on: req.db)
    }

    @Sendable static func followUp(_ req: Request) async throws -> Response {
        let pid = try id(req)
        let b = try req.content.decode(FollowUpEntryBody.self)
        _ = try await req.write { ctx in try await PartnershipService.addFollowUp(pid, b, in: ctx) }
        return try await PartnershipService.dto(try await PartnershipService.find(pid, on: req.db), on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func renew(_ req: Request) async throws -> Response {
        let pid = try id(req)
        let b = try req.content.decode(RenewBody.self)
        let p = try await req.write { ctx in try await PartnershipService.renew(pid, b, in: ctx) }
        return try await PartnershipService.dto(p, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func procurements(_ req: Request) async throws -> [ReservedProcurementDTO] {
        try await ReservedProcurementService.dtos(try await ReservedProcurementService.list(bodyID: try req.uuidParameter("body"), inForceOn: try req.dateParameter("inForceOn"), on: req.db), on: req.db)
    }

    @Sendable static func procurementsCSV(_ req: Request) async throws -> Response {
        let list = try await ReservedProcurementService.dtos(try await ReservedProcurementService.list(bodyID: try req.uuidParameter("body"), inForceOn: nil, on: req.db), on: req.db)
        return Response.csv(ReservedProcurementService.csv(list), filename: "reserverade-upphandlingar.csv")
    }

    @Sendable static func createProcurement(_ req: Request) async throws -> Response {
        let b = try req.content.decode(ReservedProcurementBody.self)
        let r = try await req.write { ctx in try await ReservedProcurementService.save(nil, b, in: ctx) }
        return try await ReservedProcurementService.dtos([r], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateProcurement(_ req: Request) async throws -> ReservedProcurementDTO {
        let rid = try id(req)
        let b = try req.content.decode(ReservedProcurementBody.self)
        return try await ReservedProcurementService.dtos([try await req.write { ctx in try await ReservedProcurementService.save(rid, b, in: ctx) }], on: req.db)[0]
    }
}
