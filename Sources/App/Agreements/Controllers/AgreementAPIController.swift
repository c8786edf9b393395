import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/agreements` and their versions, signatories, governance, action plans, follow-up reports and indicators.
enum AgreementAPIController {
    static let tag = "Agreements"

    static func register(_ api: Router) {
        AgreementSchemas.register(api.registry.schemas)
        let manage = Access.scoped(.agreementsManage, AgreementService.agreementScope)
        let manageVersion = Access.scoped(.agreementsManage, AgreementService.versionScope)
        let managePlan = Access.scoped(.agreementsManage, PlanService.planScope)
        let manageActivity = Access.scoped(.agreementsManage, PlanService.activityScope)
        let manageReport = Access.scoped(.agreementsManage, FollowUpService.reportScope)

        api.get("agreements", access: .anyone, api: APIOperation("Agreements (överenskommelser); with inForceOn only those in force on that day", tag: tag,
                query: [APIParameter("body", .uuid, "Ägande myndighet."), APIParameter("inForceOn", .date, "I kraft denna dag.")],
                response: .array(.ref("Agreement"))), use: list)
        api.post("agreements", access: .permission(.agreementsManage), api: APIOperation("Create an agreement (its first draft starts with the six national principles)", tag: tag,
                 body: .ref("AgreementInput"), status: 201, response: .ref("Agreement")), use: create)
        api.get("agreements", ":id", access: .anyone, api: APIOperation("Get an agreement", tag: tag, response: .ref("Agreement")), use: show)
        api.put("agreements", ":id", access: manage, api: APIOperation("Change an agreement", tag: tag, body: .ref("AgreementInput"), response: .ref("Agreement")), use: update)
        api.post("agreements", ":id", "end", access: manage, api: APIOperation("End the agreement: the version in force stops on the day given", tag: tag,
                 body: Schema.input([("endedOn", .date), ("endReason", .text(max: 2000, min: 1))], required: ["endedOn", "endReason"]),
                 response: .ref("AgreementVersion")), use: end)

        api.get("agreements", ":id", "versions", access: .anyone, api: APIOperation("Versions (drafts only for the agreement's officials)", tag: tag,
                response: .array(.ref("AgreementVersion"))), use: versions)
        api.post("agreements", ":id", "versions", access: manage, api: APIOperation("Start a revision: a new draft copied from the latest version", tag: tag,
                 status: 201, response: .ref("AgreementVersion")), use: createDraft)
        api.get("agreement-versions", ":id", access: .anyone, api: APIOperation("Get a version", tag: tag, response: .ref("AgreementVersion")), use: showVersion)
        api.put("agreement-versions", ":id", access: manageVersion, api: APIOperation("Change a draft's text and principles", tag: tag,
                body: .ref("AgreementVersionInput"), response: .ref("AgreementVersion")), use: updateDraft)
        api.post("agreement-versions", ":id", "consultation", access: manageVersion, api: APIOperation("Send a draft out for consultation (a remiss in Dialogue)", tag: tag,
                 body: Schema.input([("deadline", .date), ("version", .integer(minimum: 1))], required: ["deadline"]), response: .ref("AgreementVersion")), use: consult)
        api.post("agreement-versions", ":id", "adopt", access: manageVersion, api: APIOperation("Record the adoption; the version in force is replaced from validFrom", tag: tag,
                 body: .ref("AdoptionInput"), response: .ref("AgreementVersion")), use: adopt)
        api.get("agreement-versions", ":id", "diff", access: .anyone, api: APIOperation("What changed, section by section, against another version (default: the one before)", tag: tag,
                query: [APIParameter("against", .uuid, "Version att jämföra med.")], response: .ref("VersionDiff")), use: diff)

        api.get("agreements", ":id", "signatories", access: .anyone, api: APIOperation("Who has signed and not withdrawn (today, or on the day given)", tag: tag,
                query: [APIParameter("on", .date, "Dag (standard: i dag).")], response: .array(.ref("Signatory"))), use: signatories)
        api.get("agreements", ":id", "signatories", "timeline", access: .anyone, api: APIOperation("Signatories at the end of each month", tag: tag,
                response: .array(.object([("month", .string()), ("count", .integer(minimum: 0))], required: ["month", "count"]))), use: timeline)
        api.post("agreements", ":id", "signatories", access: .record("agreementSigner"), api: APIOperation(
                 "Sign for one's organisation (representative), or record a paper signature (official of an owning body)", tag: tag,
                 body: .ref("SignatoryInput"), status: 201, response: .ref("Signatory")), use: sign)
        api.post("agreement-signatories", ":id", "withdraw", access: .record("agreementSigner"), api: APIOperation("Withdraw a signature", tag: tag,
                 body: .ref("WithdrawalInput"), response: .ref("Signatory")), use: withdraw)

        api.get("agreements", ":id", "governance", access: .anyone, api: APIOperation("Forums that govern the agreement (steering group, stormöte)", tag: tag,
                response: .array(.ref("Governance"))), use: governance)
        api.post("agreements", ":id", "governance", access: manage, api: APIOperation("Link a forum of an owning body", tag: tag,
                 body: .ref("GovernanceInput"), status: 201, response: .array(.ref("Governance"))), use: addForum)
        api.delete("agreement-forums", ":id", access: .scoped(.agreementsManage, AgreementService.forumLinkScope),
                   api: APIOperation("Unlink a forum", tag: tag, status: 204), use: removeForum)

        api.get("agreements", ":id", "action-plans", access: .anyone, api: APIOperation("Action plans with their activities", tag: tag,
                response: .array(.ref("ActionPlan"))), use: plans)
        api.post("agreements", ":id", "action-plans", access: manage, api: APIOperation("Add an action plan for a period", tag: tag,
                 body: .ref("ActionPlanInput"), status: 201, response: .ref("ActionPlan")), use: createPlan)
        api.put("action-plans", ":id", access: managePlan, api: APIOperation("Change an action plan", tag: tag, body: .ref("ActionPlanInput"), response: .ref("ActionPlan")), use: updatePlan)
        api.post("action-plans", ":id", "activities", access: managePlan, api: APIOperation("Add an activity", tag: tag,
                 body: .ref("ActivityInput"), status: 201, response: .ref("Activity")), use: createActivity)
        api.put("plan-activities", ":id", access: manageActivity, api: APIOperation("Change an activity (status, owner, links …)", tag: tag,
                body: .ref("ActivityInput"), response: .ref("Activity")), use: updateActivity)
        api.post("plan-activities", ":id", "notes", access: manageActivity, api: APIOperation("Add a dated progress note", tag: tag,
                 body: .ref("ActivityNoteInput"), status: 201, response: .ref("Activity")), use: addNote)

        api.get("agreements", ":id", "reports", access: .anyone, api: APIOperation("Follow-up reports (drafts only for the agreement's officials)", tag: tag,
                response: .array(.ref("FollowUpReport"))), use: reports)
        api.post("agreements", ":id", "reports", access: manage, api: APIOperation("Start a follow-up report for a period", tag: tag,
                 body: .ref("FollowUpReportInput"), status: 201, response: .ref("FollowUpReport")), use: createReport)
        api.get("agreement-reports", ":id", access: .anyone, api: APIOperation("Get a follow-up report with its figures", tag: tag, response: .ref("FollowUpReport")), use: showReport)
        api.put("agreement-reports", ":id", access: manageReport, api: APIOperation("Change a draft report (title, period, narrative)", tag: tag,
                body: .ref("FollowUpReportInput"), response: .ref("FollowUpReport")), use: updateReport)
        api.post("agreement-reports", ":id", "approve", access: manageReport, api: APIOperation("Approve: the figures are frozen", tag: tag,
                 body: .ref("FollowUpApprovalInput"), response: .ref("FollowUpReport")), use: approveReport)
        api.get("agreement-reports", ":id", "figures.csv", access: .anyone, api: APIOperation("The report's figures as CSV", tag: tag,
                response: .string(), responseContentType: "text/csv"), use: reportCSV)

        api.get("agreements", ":id", "indicators", access: .anyone, api: APIOperation("Principle indicators for a year, each with its definition and the counts behind it", tag: tag,
                query: [APIParameter("year", .integer(minimum: 2000, maximum: 2100), "År (standard: i år).")], response: .ref("Indicators")), use: indicators)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }

    // MARK: Agreements

    @Sendable static func list(_ req: Request) async throws -> [AgreementDTO] {
        let list = try await AgreementQueries.agreements(visibleTo: req.principal, bodyID: try req.uuidParameter("body"), inForceOn: try req.dateParameter("inForceOn"), on: req.db)
        var out: [AgreementDTO] = []
        for a in list { out.append(try await AgreementService.dto(a, on: req.db)) }
        return out
    }

    @Sendable static func show(_ req: Request) async throws -> AgreementDTO {
        try await AgreementService.dto(try await AgreementService.readable(try id(req), req.principal, on: req.db), on: req.db)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let b = try req.content.decode(AgreementBody.self)
        let a = try await req.write { ctx in try await AgreementService.save(nil, b, in: ctx) }
        return try await AgreementService.dto(a, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(_ req: Request) async throws -> AgreementDTO {
        let aid = try id(req)
        let b = try req.content.decode(AgreementBody.self)
        let a = try await req.write { ctx in try await AgreementService.save(aid, b, in: ctx) }
        return try await AgreementService.dto(a, on: req.db)
    }

    @Sendable static func end(_ req: Request) async throws -> AgreementVersionDTO {
        let aid = try id(req)
        let b = try req.content.decode(EndBody.self)
        return try AgreementService.versionDTO(try await req.write { ctx in try await AgreementService.end(aid, b, in: ctx) })
    }

    // MARK: Versions

    @Sendable static func versions(_ req: Request) async throws -> [AgreementVersionDTO] {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        return try await AgreementService.visibleVersions(try a.requireID(), req.principal, on: req.db).map { try AgreementService.versionDTO($0) }
    }

    @Sendable static func createDraft(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let v = try await req.write { ctx in try await AgreementService.createDraft(aid, in: ctx) }
        return try await AgreementService.versionDTO(v).encodeResponse(status: .created, for: req)
    }

    @Sendable static func showVersion(_ req: Request) async throws -> AgreementVersionDTO {
        try AgreementService.versionDTO(try await AgreementService.readableVersion(try id(req), req.principal, on: req.db))
    }

    @Sendable static func updateDraft(_ req: Request) async throws -> AgreementVersionDTO {
        let vid = try id(req)
        let b = try req.content.decode(VersionBody.self)
        return try AgreementService.versionDTO(try await req.write { ctx in try await AgreementService.updateDraft(vid, b, in: ctx) })
    }

    @Sendable static func consult(_ req: Request) async throws -> AgreementVersionDTO {
        let vid = try id(req)
        let b = try req.content.decode(ConsultationRequestBody.self)
        let base = req.application.config.publicBaseURL
        return try AgreementService.versionDTO(try await req.write { ctx in try await AgreementService.sendToConsultation(vid, b, baseURL: base, in: ctx) })
    }

    @Sendable static func adopt(_ req: Request) async throws -> AgreementVersionDTO {
        let vid = try id(req)
        let b = try req.content.decode(AdoptionBody.self)
        return try AgreementService.versionDTO(try await req.write { ctx in try await AgreementService.adopt(vid, b, in: ctx) })
    }

    @Sendable static func diff(_ req: Request) async throws -> VersionDiffDTO {
        let v = try await AgreementService.readableVersion(try id(req), req.principal, on: req.db)
        return AgreementService.diff(v, against: try await against(req, v))
    }

    /// The version to compare with: `?against=`, or the one before.
    static func against(_ req: Request, _ v: AgreementVersion) async throws -> AgreementVersion? {
        if let other = try req.uuidParameter("against") {
            let o = try await AgreementService.readableVersion(other, req.principal, on: req.db)
            guard o.agreementID == v.agreementID else { throw AppError.badRequest(code: "versionOfOtherAgreement", field: "against") }
            return o
        }
        return try await AgreementService.visibleVersions(v.agreementID, req.principal, on: req.db).last { $0.number < v.number }
    }

    // MARK: Signatories

    @Sendable static func signatories(_ req: Request) async throws -> [SignatoryDTO] {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        return try await SignatoryService.list(try a.requireID(), on: try req.dateParameter("on") ?? .today(), db: req.db)
    }

    @Sendable static func timeline(_ req: Request) async throws -> [SignatoryPointDTO] {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        return try await SignatoryService.timeline(try a.requireID(), until: .today(), on: req.db)
    }

    @Sendable static func sign(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let b = try req.content.decode(SignBody.self)
        let s = try await req.write { ctx in try await SignatoryService.sign(aid, b, in: ctx) }
        return try await SignatoryService.dtos([s], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func withdraw(_ req: Request) async throws -> SignatoryDTO {
        let sid = try id(req)
        let b = try req.content.decode(WithdrawBody.self)
        let s = try await req.write { ctx in try await SignatoryService.withdraw(sid, b, in: ctx) }
        return try await SignatoryService.dtos([s], on: req.db)[0]
    }

    // MARK: Governance

    @Sendable static func governance(_ req: Request) async throws -> [GovernanceDTO] {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        return try await AgreementService.governance(try a.requireID(), on: req.db)
    }

    @Sendable static func addForum(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let b = try req.content.decode(GovernanceBody.self)
        _ = try await req.write { ctx in try await AgreementService.addForum(aid, b, in: ctx) }
        return try await AgreementService.governance(aid, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func removeForum(_ req: Request) async throws -> HTTPStatus {
        let lid = try id(req)
        try await req.write { ctx in try await AgreementService.removeForum(lid, in: ctx) }
        return .noContent
    }

    // MARK: Action plans

    @Sendable static func plans(_ req: Request) async throws -> [ActionPlanDTO] {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        var out: [ActionPlanDTO] = []
        for p in try await PlanService.plans(try a.requireID(), on: req.db) { out.append(try await PlanService.dto(p, on: req.db)) }
        return out
    }

    @Sendable static func createPlan(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let b = try req.content.decode(PlanBody.self)
        let p = try await req.write { ctx in try await PlanService.savePlan(agreementID: aid, planID: nil, b, in: ctx) }
        return try await PlanService.dto(p, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updatePlan(_ req: Request) async throws -> ActionPlanDTO {
        let pid = try id(req)
        let b = try req.content.decode(PlanBody.self)
        return try await PlanService.dto(try await req.write { ctx in try await PlanService.savePlan(agreementID: nil, planID: pid, b, in: ctx) }, on: req.db)
    }

    static func activityDTO(_ a: PlanActivity, on db: any Database) async throws -> ActivityDTO {
        let plan = try await ActionPlan.require(a.planID, on: db)
        guard let dto = try await PlanService.dto(plan, on: db).activities.first(where: { $0.id == a.id }) else { throw AppError.notFound() }
        return dto
    }

    @Sendable static func createActivity(_ req: Request) async throws -> Response {
        let pid = try id(req)
        let b = try req.content.decode(ActivityBody.self)
        let a = try await req.write { ctx in try await PlanService.saveActivity(planID: pid, activityID: nil, b, in: ctx) }
        return try await activityDTO(a, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateActivity(_ req: Request) async throws -> ActivityDTO {
        let aid = try id(req)
        let b = try req.content.decode(ActivityBody.self)
        return try await activityDTO(try await req.write { ctx in try await PlanService.saveActivity(planID: nil, activityID: aid, b, in: ctx) }, on: req.db)
    }

    @Sendable static func addNote(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let b = try req.content.decode(NoteBody.self)
        _ = try await req.write { ctx in try await PlanService.addNote(aid, b, in: ctx) }
        return try await activityDTO(try await PlanActivity.require(aid, on: req.db), on: req.db).encodeResponse(status: .created, for: req)
    }

    // MARK: Follow-up and indicators

    @Sendable static func reports(_ req: Request) async throws -> [FollowUpDTO] {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        var out: [FollowUpDTO] = []
        for r in try await FollowUpService.reports(try a.requireID(), req.principal, on: req.db) { out.append(try await FollowUpService.dto(r, on: req.db)) }
        return out
    }

    @Sendable static func createReport(_ req: Request) async throws -> Response {
        let aid = try id(req)
        let b = try req.content.decode(FollowUpBody.self)
        let r = try await req.write { ctx in try await FollowUpService.save(agreementID: aid, reportID: nil, b, in: ctx) }
        return try await FollowUpService.dto(r, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func showReport(_ req: Request) async throws -> FollowUpDTO {
        try await FollowUpService.dto(try await FollowUpService.readable(try id(req), req.principal, on: req.db), on: req.db)
    }

    @Sendable static func updateReport(_ req: Request) async throws -> FollowUpDTO {
        let rid = try id(req)
        let b = try req.content.decode(FollowUpBody.self)
        return try await FollowUpService.dto(try await req.write { ctx in try await FollowUpService.save(agreementID: nil, reportID: rid, b, in: ctx) }, on: req.db)
    }

    @Sendable static func approveReport(_ req: Request) async throws -> FollowUpDTO {
        let rid = try id(req)
        let b = try req.content.decode(FollowUpApprovalBody.self)
        return try await FollowUpService.dto(try await req.write { ctx in try await FollowUpService.approve(rid, b, in: ctx) }, on: req.db)
    }

    @Sendable static func reportCSV(_ req: Request) async throws -> Response {
        let d = try await FollowUpService.dto(try await FollowUpService.readable(try id(req), req.principal, on: req.db), on: req.db)
        return .csv(FollowUpService.csv(d), filename: "uppfoljning-\(d.periodFrom)-\(d.periodTo).csv")
    }

    @Sendable static func indicators(_ req: Request) async throws -> IndicatorsDTO {
        let a = try await AgreementService.readable(try id(req), req.principal, on: req.db)
        let year = try req.query.get(Int?.self, at: "year") ?? LocalDate.today().year
        guard (2000...2100).contains(year) else { throw AppError.invalid(field: "year", code: "range", "2000", "2100") }
        return try await FollowUpService.indicators(try a.requireID(), year: year, on: req.db)
    }
}
