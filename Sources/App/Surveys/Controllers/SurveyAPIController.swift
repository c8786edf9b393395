import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/surveys`: build, address, send, answer through a personal link, import answers, results "N of M".
enum SurveyAPIController {
    static let tag = "Surveys"
    static let code = Schema.string(minLength: 1, maxLength: 40, pattern: #"^[a-z0-9][a-z0-9_-]{0,39}$"#)

    static func registerSchemas(_ r: SchemaRegistry) {
        let option = Schema.object([("code", code), ("label", .text(max: 300, min: 1))], required: ["code", "label"])
        let condition = Schema.object([("question", code), ("answer", .string(minLength: 1, maxLength: 40))], required: ["question", "answer"])
        r.register("SurveyQuestion", .object([
            ("code", code), ("text", .text(max: 1000, min: 1)), ("kind", .oneOf(QuestionKind.allCases.map(\.rawValue))),
            ("options", .nullable(.array(option, maxItems: SurveyRules.maxOptions))), ("help", .nullable(.text(max: 1000))), ("required", .nullable(.boolean)),
            ("showIf", .nullable(condition)),
        ], required: ["code", "text", "kind"]))
        r.register("SurveyInput", Schema.input([
            ("title", .text(max: 200, min: 3)), ("purpose", .text(max: 4000)), ("bodyId", .string(maxLength: 40)), ("opensOn", .date), ("closesOn", .date),
            ("anonymous", .boolean), ("questions", .array(.ref("SurveyQuestion"), maxItems: SurveyRules.maxQuestions)), ("version", .integer(minimum: 1)),
        ], required: ["title", "questions"]))
        r.register("SurveyUpdate", Schema.input([
            ("title", .text(max: 200, min: 3)), ("purpose", .text(max: 4000)), ("bodyId", .string(maxLength: 40)), ("opensOn", .date), ("closesOn", .date),
            ("anonymous", .boolean), ("questions", .array(.ref("SurveyQuestion"), maxItems: SurveyRules.maxQuestions)), ("version", .integer(minimum: 1)),
        ]))
        let rate = Schema.object([("respondentGroup", .string()), ("invited", .integer(minimum: 0)), ("answered", .integer(minimum: 0)),
                                  ("responseRate", .nullable(.integer(minimum: 0)))], required: ["respondentGroup", "invited", "answered"])
        r.register("Survey", .object([
            ("id", .uuid), ("bodyId", .nullable(.uuid)), ("ownerName", .string()), ("title", .string()), ("purpose", .string()), ("opensOn", .date),
            ("closesOn", .date), ("anonymous", .boolean), ("phase", .oneOf(SurveyRules.Phase.allCases.map(\.rawValue))), ("sentOn", .nullable(.date)),
            ("publishedOn", .nullable(.date)), ("questions", .array(.ref("SurveyQuestion"))), ("invited", .integer(minimum: 0)), ("answered", .integer(minimum: 0)),
            ("responseRate", .nullable(.integer(minimum: 0))), ("respondents", .integer(minimum: 0)), ("groups", .array(rate)), ("isDemo", .boolean),
            ("version", .integer(minimum: 1)),
        ], required: ["id", "title", "opensOn", "closesOn", "anonymous", "phase", "questions", "invited", "answered", "respondents", "groups", "version"]))
        let item = Schema.object([("respondentGroup", .string()), ("question", .string()), ("answer", .string()), ("count", .integer(minimum: 0)), ("of", .integer(minimum: 0))],
                                 required: ["respondentGroup", "question", "answer", "count", "of"])
        r.register("SurveyResults", .object([
            ("survey", .uuid), ("title", .string()), ("items", .array(item)), ("totals", .array(item)), ("respondents", .integer(minimum: 0)),
            ("texts", .array(.object([("respondentGroup", .string()), ("question", .string()), ("text", .string())], required: ["respondentGroup", "question", "text"]))),
        ], required: ["survey", "items", "totals", "texts", "respondents"]))
        r.register("SurveyRecipient", .object([
            ("id", .uuid), ("kind", .oneOf(SurveyService.recipientKinds)), ("name", .string()), ("email", .string()), ("respondentGroup", .string()),
            ("invited", .boolean), ("reminded", .boolean), ("answered", .boolean),
        ], required: ["id", "kind", "name", "email", "respondentGroup", "invited", "reminded", "answered"]))
        r.register("SurveyRecipientsInput", Schema.input([
            ("kind", .oneOf(SurveyService.recipientKinds)), ("ids", .array(.uuid, maxItems: 1000)), ("area", .string(maxLength: 60)),
            ("municipality", .string(maxLength: 4)), ("bodyId", .string(maxLength: 40)), ("group", .text(max: 200)),
        ], required: ["kind"]))
    }

    static func register(_ api: Router) {
        registerSchemas(api.registry.schemas)
        let manager = Access.record("surveyManager")
        api.get("surveys", access: .anyone, api: APIOperation("Surveys the user may read: published ones, and the user's own", tag: tag, response: .array(.ref("Survey"))), use: list)
        api.post("surveys", access: .permission(.surveysManage), api: APIOperation("Create a survey (a body's officials; national surveys: analysts)", tag: tag,
                 body: .ref("SurveyInput"), status: 201, response: .ref("Survey")), use: create)
        api.get("surveys", "template", access: .anyone, api: APIOperation("The ready template (European Code levels and forms of collaboration), to copy", tag: tag,
                response: .ref("SurveyInput")), use: template)
        api.get("surveys", ":id", access: .anyone, api: APIOperation("Get a survey", tag: tag, response: .ref("Survey")), use: show)
        api.put("surveys", ":id", access: manager, api: APIOperation("Change a survey (questions are fixed, but for their texts, once answers exist)", tag: tag,
                body: .ref("SurveyUpdate"), response: .ref("Survey")), use: update)
        api.get("surveys", ":id", "recipients", access: manager, api: APIOperation("Who the survey goes to, and who has answered", tag: tag,
                response: .array(.ref("SurveyRecipient"))), use: recipients)
        api.post("surveys", ":id", "recipients", access: manager, api: APIOperation("Add recipients: organisations (chosen or by area/municipality), units, or regions", tag: tag,
                 body: .ref("SurveyRecipientsInput"), response: .ref("Survey")), use: addRecipients)
        api.post("surveys", ":id", "send", access: manager, api: APIOperation("Send personal links to recipients not yet invited", tag: tag, response: .ref("Survey")), use: send)
        api.post("surveys", ":id", "remind", access: manager, api: APIOperation("Remind those who have not answered (a new link)", tag: tag, response: .ref("Survey")), use: remind)
        api.post("surveys", ":id", "publish", access: manager, api: APIOperation("Publish the results (public from now on)", tag: tag, response: .ref("Survey")), use: publish)
        api.post("surveys", ":id", "responses", "import", access: manager, api: APIOperation(
                 "Import answers collected elsewhere: CSV respondent_group,respondent,question,answer (all or nothing)", tag: tag,
                 body: .string(maxLength: 20_000_000), bodyContentType: "text/csv", response: .ref("ImportReport")), body: .stream, use: importResponses)
        api.get("surveys", ":id", "results", access: .anyone, api: APIOperation("Results: per group, question and answer, count of respondents who answered the question", tag: tag,
                response: .ref("SurveyResults")), use: results)
        api.get("surveys", ":id", "results.csv", access: .anyone, api: APIOperation("Results as CSV: respondent_group,question,answer,count,of", tag: tag,
                response: .string(), responseContentType: "text/csv"), use: resultsCSV)
        api.get("survey-links", ":token", access: .anyone, api: APIOperation("The survey a personal link opens", tag: tag, response: .ref("Survey")), use: linkSurvey)
        api.post("survey-links", ":token", access: .anyone, api: APIOperation("Answer through a personal link (once)", tag: tag,
                 body: .object([("answers", .map(.array(.string(maxLength: 4000), maxItems: 50)))], required: ["answers"]), status: 201,
                 response: .object([("answered", .boolean)], required: ["answered"])), use: answer)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }

    @Sendable static func list(_ req: Request) async throws -> [SurveyDTO] {
        var out: [SurveyDTO] = []
        for s in try await SurveyService.list(visibleTo: req.principal, on: req.db) { out.append(try await SurveyService.dto(s, on: req.db)) }
        return out
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let b = try req.content.decode(SurveyBody.self)
        let s = try await req.write { ctx in try await SurveyService.save(nil, b, in: ctx) }
        return try await SurveyService.dto(s, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func template(_ req: Request) async throws -> SurveyBody {
        let t = SurveyTemplate.europeanCode
        return SurveyBody(title: t.title, purpose: t.purpose, bodyId: nil, opensOn: nil, closesOn: nil, anonymous: false, questions: t.questions)
    }

    @Sendable static func show(_ req: Request) async throws -> SurveyDTO {
        try await SurveyService.dto(try await SurveyService.readable(try id(req), req.principal, on: req.db), on: req.db)
    }

    @Sendable static func update(_ req: Request) async throws -> SurveyDTO {
        let sid = try id(req)
        let b = try req.content.decode(SurveyBody.self)
        return try await SurveyService.dto(try await req.write { ctx in try await SurveyService.save(sid, b, in: ctx) }, on: req.db)
    }

    @Sendable static func recipients(_ req: Request) async throws -> [SurveyRecipientDTO] {
        let s = try await SurveyService.managed(try id(req), req.principal, on: req.db)
        return try await SurveyService.recipients(try s.requireID(), on: req.db).compactMap(SurveyService.recipientDTO)
    }

    @Sendable static func addRecipients(_ req: Request) async throws -> SurveyDTO {
        let sid = try id(req)
        let b = try req.content.decode(SurveyRecipientsBody.self)
        _ = try await req.write { ctx in try await SurveyService.addRecipients(sid, b, in: ctx) }
        return try await SurveyService.dto(try await SurveyService.find(sid, on: req.db), on: req.db)
    }

    static func sendOrRemind(_ req: Request, remind: Bool) async throws -> SurveyDTO {
        let sid = try id(req)
        let base = req.application.config.publicBaseURL
        _ = try await req.write { ctx in try await SurveyService.send(sid, remind: remind, baseURL: base, in: ctx) }
        Task { [app = req.application] in await Outbox.deliverPending(app, limit: 200) }
        return try await SurveyService.dto(try await SurveyService.find(sid, on: req.db), on: req.db)
    }

    @Sendable static func send(_ req: Request) async throws -> SurveyDTO { try await sendOrRemind(req, remind: false) }
    @Sendable static func remind(_ req: Request) async throws -> SurveyDTO { try await sendOrRemind(req, remind: true) }

    @Sendable static func publish(_ req: Request) async throws -> SurveyDTO {
        let sid = try id(req)
        return try await SurveyService.dto(try await req.write { ctx in try await SurveyService.publish(sid, true, in: ctx) }, on: req.db)
    }

    @Sendable static func importResponses(_ req: Request) async throws -> Response {
        let sid = try id(req)
        // Only the survey's owner may send a file; check before reading it.
        _ = try await SurveyService.managed(sid, req.principal, on: req.db)
        let file = try await Upload.streamToTemporaryFile(req)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let localizer = req.application.localizer
        do {
            let report = try await req.write { ctx in try await SurveyResultsService.importResponses(sid, try ByteSource.file(file), localizer: localizer, in: ctx) }
            return try await report.encodeResponse(for: req)
        } catch let r as ImportRejected {
            return r.report.rejectedResponse()
        }
    }

    @Sendable static func results(_ req: Request) async throws -> SurveyResultsDTO {
        try await SurveyResultsService.results(try await SurveyService.readable(try id(req), req.principal, on: req.db), on: req.db)
    }

    @Sendable static func resultsCSV(_ req: Request) async throws -> Response {
        let r = try await results(req)
        return Response.csv(SurveyResultsService.csv(r), filename: "enkatresultat.csv")
    }

    static func token(_ req: Request) throws -> String { try req.parameters.require("token") }

    @Sendable static func linkSurvey(_ req: Request) async throws -> SurveyDTO {
        var dto = try await SurveyService.dto(try await SurveyService.byToken(try token(req), on: req.db).1, on: req.db)
        // A respondent sees the questions, not who else was asked or answered.
        dto.groups = []
        dto.invited = 0
        dto.answered = 0
        dto.responseRate = nil
        dto.respondents = 0
        return dto
    }

    @Sendable static func answer(_ req: Request) async throws -> Response {
        let t = try token(req)
        let b = try req.content.decode(SurveyAnswerBody.self)
        _ = try await req.write { ctx in try await SurveyService.answer(token: t, b, in: ctx) }
        struct Answered: Content { var answered: Bool }
        return try await Answered(answered: true).encodeResponse(status: .created, for: req)
    }
}
