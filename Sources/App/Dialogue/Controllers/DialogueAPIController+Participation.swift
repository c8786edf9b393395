import Fluent
import Vapor
import SamverkaRules

/// Questions with feedback, consultations (remiss) and events of the Dialogue API.
extension DialogueAPIController {
    static func registerParticipation(_ api: Router, paging: [APIParameter]) {
        api.get("questions", access: .anyone, api: APIOperation("Questions and proposals the user may see", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("forum", .uuid, "Forum."),
                        APIParameter("status", .oneOf(QuestionStatus.allCases.map(\.rawValue)), "Status."), APIParameter("overdue", .boolean, "Bara försenade."),
                        APIParameter("mine", .oneOf(["raised", "owed"]), "Frågor jag ställt eller äger svaret på.")] + paging,
                response: .page(of: .ref("Question"))), use: listQuestions)
        api.post("questions", access: .permission(.dialogueParticipate), api: APIOperation("Raise a question or proposal to a forum or a unit", tag: tag,
                 body: .ref("QuestionInput"), status: 201, response: .ref("Question")), use: raiseQuestion)
        api.get("questions", "feedback-rate", access: .anyone, api: APIOperation("Feedback rate of a body and its forums and units", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet.", required: true), APIParameter("from", .date, "Frågor ställda från och med."),
                        APIParameter("to", .date, "Frågor ställda till och med.")], response: .array(.ref("FeedbackRate"))), use: feedbackRate)
        api.get("questions", ":id", access: .anyone, api: APIOperation("Get a question with its answer", tag: tag, response: .ref("Question")), use: showQuestion)
        api.post("questions", ":id", "answer", access: .scoped(.dialogueManage, QuestionService.questionScope),
                 api: APIOperation("Answer, forward, close or take up a question; change owner or deadline", tag: tag, body: .ref("AnswerInput"), response: .ref("Question")), use: answerQuestion)

        let manageConsultation = Access.scoped(.dialogueManage, ConsultationService.consultationScope)
        api.get("consultations", access: .anyone, api: APIOperation("Consultations (remisser)", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("status", .oneOf(ConsultationStatus.allCases.map(\.rawValue)), "Status.")] + paging,
                response: .page(of: .ref("Consultation"))), use: listConsultations)
        api.post("consultations", access: .permission(.dialogueManage), api: APIOperation("Create a consultation (draft)", tag: tag,
                 body: .ref("ConsultationInput"), status: 201, response: .ref("Consultation")), use: createConsultation)
        api.get("consultations", ":id", access: .anyone, api: APIOperation("Get a consultation", tag: tag, response: .ref("Consultation")), use: showConsultation)
        api.put("consultations", ":id", access: manageConsultation, api: APIOperation("Change a consultation", tag: tag, body: .ref("ConsultationInput"), response: .ref("Consultation")), use: updateConsultation)
        api.post("consultations", ":id", "draft", access: manageConsultation,
                api: APIOperation("Upload the draft document (raw body; Content-Type is the file's type)", tag: tag,
                                  query: [APIParameter("filename", .string(maxLength: 200), "Filnamn.", required: true)],
                                  body: .string(), bodyContentType: "application/octet-stream", response: .ref("Consultation")),
                body: .collect(maxSize: "21mb"), use: uploadDraft)
        api.get("consultations", ":id", "draft", access: .anyone, api: APIOperation("Download the draft document", tag: tag, response: .string(), responseContentType: "*/*"), use: draft)
        for action in ["open", "close", "compile"] {
            api.post("consultations", ":id", .constant(action), access: manageConsultation,
                     api: APIOperation(action == "open" ? "Send out for consultation (invitations by e-mail)" : action == "close" ? "Close for responses" : "Mark the compilation (remissammanställning) done",
                                       tag: tag, response: .ref("Consultation"))) { req in
                let cid = try id(req)
                let base = req.application.config.publicBaseURL
                let c = try await req.write { ctx -> Consultation in
                    switch action {
                    case "open": return try await ConsultationService.open(cid, baseURL: base, in: ctx)
                    case "close": return try await ConsultationService.close(cid, in: ctx)
                    default: return try await ConsultationService.compile(cid, in: ctx)
                    }
                }
                return try await ConsultationService.dto(c, on: req.db)
            }
        }
        api.get("consultations", ":id", "responses", access: .anyone, api: APIOperation("Responses the user may see (all, once the deadline has passed)", tag: tag,
                response: .array(.ref("ConsultationResponse"))), use: listResponses)
        api.post("consultations", ":id", "responses", access: .record("consultationRespond"), api: APIOperation("Respond for an organisation (again to change the response)", tag: tag,
                 body: .ref("ConsultationResponseInput"), status: 201, response: .ref("ConsultationResponse")), use: respond)
        api.post("consultation-responses", ":id", "document", access: .scoped(.dialogueParticipate, responseScope),
                api: APIOperation("Attach the response document (raw body)", tag: tag, query: [APIParameter("filename", .string(maxLength: 200), "Filnamn.", required: true)],
                                  body: .string(), bodyContentType: "application/octet-stream", response: .ref("ConsultationResponse")),
                body: .collect(maxSize: "21mb"), use: uploadResponseDocument)
        api.get("consultation-responses", ":id", "document", access: .anyone, api: APIOperation("Download a response document", tag: tag, response: .string(), responseContentType: "*/*"), use: responseDocument)
        api.put("consultation-comments", ":id", "outcome", access: .scoped(.dialogueManage, commentScope),
                api: APIOperation("Record what was done with a comment", tag: tag, body: .ref("CommentOutcomeInput"), response: .ref("ConsultationComment")), use: setOutcome)

        api.get("events", access: .anyone, api: APIOperation("Events (stormöten and others)", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("upcoming", .boolean, "Bara kommande.")] + paging,
                response: .page(of: .ref("Event"))), use: listEvents)
        api.post("events", access: .permission(.dialogueManage), api: APIOperation("Create an event", tag: tag, body: .ref("EventInput"), status: 201, response: .ref("Event")), use: createEvent)
        api.get("events", ":id", access: .anyone, api: APIOperation("Get an event", tag: tag, response: .ref("Event")), use: showEvent)
        api.put("events", ":id", access: .scoped(.dialogueManage, EventService.eventScope), api: APIOperation("Change or cancel an event", tag: tag,
                body: .ref("EventInput"), response: .ref("Event")), use: updateEvent)
        api.get("events", ":id", "registrations", access: .scoped(.dialogueManage, EventService.eventScope),
                api: APIOperation("Participant list for the organiser", tag: tag, response: .array(.ref("Registration"))), use: registrations)
        api.post("events", ":id", "registrations", access: .signedIn, api: APIOperation("Register the signed-in user (waiting list when full)", tag: tag,
                 body: .ref("RegistrationInput"), status: 201, response: .ref("Registration")), use: registerForEvent)
        api.post("event-registrations", ":id", "cancel", access: .signedIn, api: APIOperation("Cancel a registration (own, or as organiser)", tag: tag,
                 response: .ref("Registration")), use: cancelRegistration)
        api.get("calendar", access: .signedIn, api: APIOperation("Meetings and events the user takes part in", tag: tag,
                query: [APIParameter("from", .date, "Från och med."), APIParameter("to", .date, "Till och med.")], response: .array(.ref("CalendarEntry"))), use: calendar)
    }

    /// The organisation that gave a consultation response.
    static func responseScope(_ req: Request) async throws -> ResourceScope {
        .organisation(try await DialogueQueries.response(try id(req), on: req.db).organisationID)
    }

    static func commentScope(_ req: Request) async throws -> ResourceScope {
        let c = try await DialogueQueries.comment(try id(req), on: req.db)
        return try await ConsultationService.scope(try await DialogueQueries.consultation(c.consultationID, on: req.db), on: req.db)
    }

    // MARK: Questions

    @Sendable static func listQuestions(_ req: Request) async throws -> Paged<QuestionDTO> {
        let page = try PageRequest.from(req)
        var filter = DialogueQueries.QuestionFilter(bodyID: try req.uuidParameter("body"), forumID: try req.uuidParameter("forum"))
        if let s = req.queryValue("status"), !s.isEmpty {
            guard let st = QuestionStatus(rawValue: s) else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
            filter.status = st
        }
        if (try? req.query.get(Bool.self, at: "overdue")) == true { filter.overdueOn = LocalDate.today() }
        switch req.queryValue("mine") ?? "" {
        case "raised":
            guard let uid = req.principal.userID else { throw AppError.unauthenticated() }
            filter.askedBy = uid
        case "owed":
            guard let uid = req.principal.userID else { throw AppError.unauthenticated() }
            filter.owedByRoles = try await DirectoryQueries.rolesHeld(byUser: uid, on: req.db)
        case "": break
        default: throw AppError.badRequest(code: "mineValue", field: "mine")
        }
        let (items, total) = try await DialogueQueries.questions(visibleTo: req.principal, filter, page: page, on: req.db)
        return Paged(items: try await QuestionService.dtos(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func raiseQuestion(_ req: Request) async throws -> Response {
        let b = try req.content.decode(QuestionBody.self)
        let q = try await req.write { ctx in try await QuestionService.raise(b, in: ctx) }
        return try await QuestionService.dtos([q], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    static func readableQuestion(_ req: Request) async throws -> DialogueQuestion {
        let q = try await DialogueQueries.question(try id(req), on: req.db)
        guard try await QuestionService.mayRead(q, req.principal, on: req.db) else {
            throw req.principal.isSignedIn ? AppError.forbidden(code: "questionNotPublic") : AppError.unauthenticated()
        }
        return q
    }

    @Sendable static func showQuestion(_ req: Request) async throws -> QuestionDTO {
        try await QuestionService.dtos([try await readableQuestion(req)], on: req.db)[0]
    }

    @Sendable static func answerQuestion(_ req: Request) async throws -> QuestionDTO {
        let qid = try id(req)
        let b = try req.content.decode(AnswerBody.self)
        let q = try await req.write { ctx in try await QuestionService.answer(qid, b, in: ctx) }
        return try await QuestionService.dtos([q], on: req.db)[0]
    }

    @Sendable static func feedbackRate(_ req: Request) async throws -> [FeedbackRateDTO] {
        guard let body = try req.uuidParameter("body") else { throw AppError.badRequest(code: "bodyRequired", field: "body") }
        guard try await DirectoryQueries.bodyExists(body, on: req.db) else { throw AppError.notFound() }
        return try await QuestionService.rates(bodyID: body, from: try req.dateParameter("from"), to: try req.dateParameter("to"), on: req.db)
    }

    // MARK: Consultations

    @Sendable static func listConsultations(_ req: Request) async throws -> Paged<ConsultationDTO> {
        let page = try PageRequest.from(req)
        var status: ConsultationStatus?
        if let s = req.queryValue("status"), !s.isEmpty {
            guard let st = ConsultationStatus(rawValue: s) else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
            status = st
        }
        let visible = try await DialogueQueries.consultations(visibleTo: req.principal, bodyID: try req.uuidParameter("body"), status: status, on: req.db)
        var items: [ConsultationDTO] = []
        for c in visible.dropFirst(page.offset).prefix(page.per) { items.append(try await ConsultationService.dto(c, on: req.db)) }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: visible.count))
    }

    static func readableConsultation(_ req: Request) async throws -> Consultation {
        let c = try await DialogueQueries.consultation(try id(req), on: req.db)
        guard try await ConsultationService.mayRead(c, req.principal, on: req.db) else { throw AppError.notFound() }
        return c
    }

    @Sendable static func showConsultation(_ req: Request) async throws -> ConsultationDTO {
        try await ConsultationService.dto(try await readableConsultation(req), on: req.db)
    }

    @Sendable static func createConsultation(_ req: Request) async throws -> Response {
        let b = try req.content.decode(ConsultationBody.self)
        let c = try await req.write { ctx in try await ConsultationService.save(nil, b, in: ctx) }
        return try await ConsultationService.dto(c, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateConsultation(_ req: Request) async throws -> ConsultationDTO {
        let cid = try id(req)
        let b = try req.content.decode(ConsultationBody.self)
        let c = try await req.write { ctx in try await ConsultationService.save(cid, b, in: ctx) }
        return try await ConsultationService.dto(c, on: req.db)
    }

    static func rawUpload(_ req: Request) throws -> (filename: String, contentType: String, data: Data) {
        guard let filename = req.queryValue("filename"), !filename.isEmpty else { throw AppError.invalid(field: "filename", code: "required") }
        let contentType = req.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? "application/octet-stream"
        return (filename, contentType, req.body.data.map { Data(buffer: $0) } ?? Data())
    }

    @Sendable static func uploadDraft(_ req: Request) async throws -> ConsultationDTO {
        let cid = try id(req)
        let f = try rawUpload(req)
        let c = try await req.write { ctx in try await ConsultationService.setDraft(cid, filename: f.filename, contentType: f.contentType, data: f.data, in: ctx) }
        return try await ConsultationService.dto(c, on: req.db)
    }

    @Sendable static func draft(_ req: Request) async throws -> Response {
        let c = try await readableConsultation(req)
        guard let data = c.draftData, let name = c.draftFilename else { throw AppError.notFound(code: "noDraft") }
        return .download(data, filename: name, contentType: c.draftContentType ?? "application/octet-stream")
    }

    @Sendable static func listResponses(_ req: Request) async throws -> [ConsultationResponseDTO] {
        let c = try await readableConsultation(req)
        var out: [ConsultationResponseDTO] = []
        for r in try await DialogueQueries.responses(to: c, readableBy: req.principal, on: req.db) {
            out.append(try await ConsultationService.responseDTO(r, on: req.db))
        }
        return out
    }

    @Sendable static func respond(_ req: Request) async throws -> Response {
        let cid = try id(req)
        let b = try req.content.decode(ConsultationResponseBody.self)
        let r = try await req.write { ctx in try await ConsultationService.respond(cid, b, in: ctx) }
        return try await ConsultationService.responseDTO(r, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func uploadResponseDocument(_ req: Request) async throws -> ConsultationResponseDTO {
        let rid = try id(req)
        let f = try rawUpload(req)
        let r = try await req.write { ctx in
            try await ConsultationService.attachResponseDocument(rid, filename: f.filename, contentType: f.contentType, data: f.data, in: ctx)
        }
        return try await ConsultationService.responseDTO(r, on: req.db)
    }

    @Sendable static func responseDocument(_ req: Request) async throws -> Response {
        let r = try await DialogueQueries.response(try id(req), on: req.db)
        let c = try await DialogueQueries.consultation(r.consultationID, on: req.db)
        guard let data = r.documentData, let name = r.documentFilename else { throw AppError.notFound() }
        guard try await ConsultationService.mayReadResponse(r, c, req.principal, on: req.db) else {
            throw req.principal.isSignedIn ? AppError.forbidden(code: "responseNotYetPublic") : AppError.unauthenticated()
        }
        return .download(data, filename: name, contentType: r.documentContentType ?? "application/octet-stream")
    }

    @Sendable static func setOutcome(_ req: Request) async throws -> ConsultationCommentDTO {
        let cid = try id(req)
        let b = try req.content.decode(CommentOutcomeBody.self)
        let c = try await req.write { ctx in try await ConsultationService.setOutcome(cid, b, in: ctx) }
        return ConsultationCommentDTO(id: c.id!, sectionKey: c.sectionKey, comment: c.comment, outcome: c.outcome?.rawValue, outcomeText: c.outcomeText)
    }

    // MARK: Events

    @Sendable static func listEvents(_ req: Request) async throws -> Paged<EventDTO> {
        let page = try PageRequest.from(req)
        let upcoming = (try? req.query.get(Bool.self, at: "upcoming")) == true
        let (events, total) = try await DialogueQueries.events(bodyID: try req.uuidParameter("body"), from: upcoming ? LocalDate.today() : nil, page: page, on: req.db)
        var items: [EventDTO] = []
        for e in events { items.append(try await EventService.dto(e, on: req.db)) }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showEvent(_ req: Request) async throws -> EventDTO {
        try await EventService.dto(try await EventService.find(try id(req), on: req.db), on: req.db)
    }

    @Sendable static func createEvent(_ req: Request) async throws -> Response {
        let b = try req.content.decode(EventBody.self)
        let e = try await req.write { ctx in try await EventService.save(nil, b, in: ctx) }
        return try await EventService.dto(e, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateEvent(_ req: Request) async throws -> EventDTO {
        let eid = try id(req)
        let b = try req.content.decode(EventBody.self)
        let e = try await req.write { ctx in try await EventService.save(eid, b, in: ctx) }
        return try await EventService.dto(e, on: req.db)
    }

    @Sendable static func registrations(_ req: Request) async throws -> [RegistrationDTO] {
        let e = try await EventService.find(try id(req), on: req.db)
        let regs = try await DialogueQueries.registrations(eventID: e.id!, includingCancelled: true, on: req.db)
        return try await EventService.registrationDTOs(regs, full: true, on: req.db)
    }

    @Sendable static func registerForEvent(_ req: Request) async throws -> Response {
        let eid = try id(req)
        let b = try req.content.decode(RegistrationBody.self)
        let r = try await req.write { ctx in try await EventService.register(eid, b, in: ctx) }
        return try await EventService.registrationDTOs([r], full: true, on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func cancelRegistration(_ req: Request) async throws -> RegistrationDTO {
        let rid = try id(req)
        let r = try await req.write { ctx in try await EventService.cancel(rid, in: ctx) }
        return try await EventService.registrationDTOs([r], full: true, on: req.db)[0]
    }

    struct CalendarEntryDTO: Content {
        var uid: String
        var kind: String
        var title: String
        var date: String
        var startTime: String
        var endTime: String
        var location: String
        var status: String
        var href: String
    }

    @Sendable static func calendar(_ req: Request) async throws -> [CalendarEntryDTO] {
        guard let uid = req.principal.userID else { throw AppError.unauthenticated() }
        let from = try req.dateParameter("from"), to = try req.dateParameter("to")
        return try await CalendarService.userEntries(uid, principal: req.principal, on: req.db)
            .filter { e in (from.map { e.date >= $0 } ?? true) && (to.map { e.date <= $0 } ?? true) }
            .map { CalendarEntryDTO(uid: $0.uid, kind: $0.kind, title: $0.title, date: $0.date.description, startTime: $0.startTime, endTime: $0.endTime,
                                    location: $0.location, status: $0.status, href: $0.href) }
    }
}
