import Fluent
import Vapor
import SamverkaRules

/// `/api/v1/forums`, `/meetings`, `/questions`, `/consultations`, `/events`: the Dialogue API.
enum DialogueAPIController {
    static let tag = "Dialogue"

    static func register(_ api: Router) {
        DialogueSchemas.register(api.registry.schemas)
        let paging = PagingParameters.all
        let manageForum = Access.scoped(.dialogueManage, ForumService.forumScope)
        let manageMeeting = Access.scoped(.dialogueManage, MeetingService.meetingScope)

        api.get("forums", access: .anyone, api: APIOperation("List forums (councils, partsorgan, steering groups …)", tag: tag,
                query: [APIParameter("body", .uuid, "Myndighet."), APIParameter("kind", .oneOf(ForumKind.rawValues), "Typ av forum.")] + paging,
                response: .page(of: .ref("Forum"))), use: listForums)
        api.post("forums", access: .permission(.dialogueManage), api: APIOperation("Create a forum", tag: tag, body: .ref("ForumInput"), status: 201, response: .ref("Forum")), use: createForum)
        api.get("forums", ":id", access: .anyone, api: APIOperation("Get a forum with its composition warnings", tag: tag, response: .ref("Forum")), use: showForum)
        api.put("forums", ":id", access: manageForum, api: APIOperation("Change a forum", tag: tag, body: .ref("ForumInput"), response: .ref("Forum")), use: updateForum)
        api.get("forums", ":id", "seats", access: .anyone, api: APIOperation("Seats of a forum: current and upcoming (also ended ones with ?history=true)", tag: tag,
                query: [APIParameter("history", .boolean, "Även tidigare innehavare.")], response: .array(.ref("Seat"))), use: listSeats)
        api.post("forums", ":id", "seats", access: manageForum, api: APIOperation("Add a seat", tag: tag, body: .ref("SeatInput"), status: 201, response: .ref("Seat")), use: createSeat)
        api.put("seats", ":id", access: .scoped(.dialogueManage, seatScope), api: APIOperation("Change a seat", tag: tag, body: .ref("SeatInput"), response: .ref("Seat")), use: updateSeat)
        api.post("seats", ":id", "replace", access: .scoped(.dialogueManage, seatScope), api: APIOperation("Hand a seat to a new holder from a date (history kept)", tag: tag,
                 body: .ref("SeatInput"), status: 201, response: .ref("Seat")), use: replaceSeat)
        api.post("seats", ":id", "end", access: .scoped(.dialogueManage, seatScope), api: APIOperation("End a seat holding", tag: tag,
                 query: [APIParameter("date", .date, "Sista dag (standard: i dag).")], response: .ref("Seat")), use: endSeat)
        api.post("forums", ":id", "plan", access: manageForum, api: APIOperation("Create the year's planned meetings from the cadence", tag: tag,
                 query: [APIParameter("year", .integer(minimum: 2000, maximum: 2200), "År.", required: true)], status: 201, response: .array(.ref("Meeting"))), use: plan)

        api.get("meetings", access: .anyone, api: APIOperation("Meetings the user may see", tag: tag,
                query: [APIParameter("forum", .uuid, "Forum."), APIParameter("from", .date, "Från och med."), APIParameter("to", .date, "Till och med."),
                        APIParameter("status", .oneOf(MeetingStatus.allCases.map(\.rawValue)), "Status.")] + paging,
                response: .page(of: .ref("Meeting"))), use: listMeetings)
        api.post("meetings", access: .permission(.dialogueManage), api: APIOperation("Add a meeting", tag: tag, body: .ref("MeetingInput"), status: 201, response: .ref("Meeting")), use: createMeeting)
        api.get("meetings", ":id", access: .anyone, api: APIOperation("Get a meeting with agenda, documents, attendance and minutes", tag: tag, response: .ref("Meeting")), use: showMeeting)
        api.put("meetings", ":id", access: manageMeeting, api: APIOperation("Change a meeting (date, place, adjuster, minutes introduction)", tag: tag,
                body: .ref("MeetingInput"), response: .ref("Meeting")), use: updateMeeting)
        api.post("meetings", ":id", "status", access: manageMeeting, api: APIOperation("Confirm, cancel or mark a meeting held", tag: tag,
                 body: .object([("status", .oneOf(["planned", "confirmed", "held", "cancelled"])), ("version", .integer(minimum: 1))], required: ["status"]),
                 response: .ref("Meeting")), use: setMeetingStatus)
        api.post("meetings", ":id", "agenda", access: manageMeeting, api: APIOperation("Add an agenda item", tag: tag, body: .ref("AgendaItemInput"), status: 201, response: .ref("AgendaItem")), use: addAgendaItem)
        api.put("agenda-items", ":id", access: .scoped(.dialogueManage, agendaScope), api: APIOperation("Change an agenda item or write its minutes", tag: tag,
                body: .ref("AgendaItemInput"), response: .ref("AgendaItem")), use: updateAgendaItem)
        api.delete("agenda-items", ":id", access: .scoped(.dialogueManage, agendaScope), api: APIOperation("Remove an agenda item before the meeting", tag: tag, status: 204), use: deleteAgendaItem)
        api.post("meetings", ":id", "documents", access: manageMeeting,
                 api: APIOperation("Attach a document (raw body; Content-Type is the file's type)", tag: tag,
                                   query: [APIParameter("filename", .string(maxLength: 200), "Filnamn.", required: true), APIParameter("title", .string(maxLength: 200), "Rubrik."),
                                           APIParameter("agendaItem", .uuid, "Dagordningspunkt."),
                                           APIParameter("public", .boolean, "Offentlig handling (standard: ja, om ingen sekretessbestämmelse anges)."),
                                           APIParameter("secrecyProvision", .oneOf(SecrecyRules.provisions.map(\.code)), "Sekretess: OSL kapitel:paragraf."),
                                           APIParameter("secrecyReason", .string(maxLength: 300), "Skälet till sekretessen."),
                                           APIParameter("titleSecret", .boolean, "Även rubriken omfattas av sekretess.")],
                                   body: .string(), bodyContentType: "application/octet-stream", status: 201, response: .ref("MeetingDocument")),
                 body: .collect(maxSize: "21mb"), use: addDocument)
        api.get("meeting-documents", ":id", access: .anyone, api: APIOperation("Download a meeting document", tag: tag, response: .string(), responseContentType: "*/*"), use: document)
        api.post("meetings", ":id", "invite", access: manageMeeting, api: APIOperation("Send invitations to the seat holders", tag: tag,
                 response: .object([("sent", .integer(minimum: 0))], required: ["sent"])), use: invite)
        api.post("meetings", ":id", "rsvp", access: .record("seatHolder"), api: APIOperation("Answer an invitation (own seat); declining calls in a substitute", tag: tag,
                 body: .object([("accept", .boolean)], required: ["accept"]), response: .ref("Attendance")), use: rsvp)
        api.put("meetings", ":id", "attendance", access: manageMeeting, api: APIOperation("Record attendance", tag: tag, body: .ref("AttendanceInput"), response: .ref("Meeting")), use: attendance)
        api.post("meetings", ":id", "approve", access: .record("minutesApprover"), api: APIOperation("Approve the minutes (chair or adjuster)", tag: tag, response: .ref("Meeting")), use: approve)
        api.post("meetings", ":id", "publish", access: manageMeeting, api: APIOperation("Publish approved minutes", tag: tag, response: .ref("Meeting")), use: publish)
        api.post("meetings", ":id", "actions", access: manageMeeting, api: APIOperation("Record a decision or action from the minutes", tag: tag,
                 body: .ref("ActionInput"), status: 201, response: .ref("Action")), use: createAction)
        api.put("actions", ":id", access: .scoped(.dialogueManage, actionScope), api: APIOperation("Change an action (e.g. mark it done)", tag: tag, body: .ref("ActionInput"), response: .ref("Action")), use: updateAction)
        api.get("actions", access: .signedIn, api: APIOperation("Open actions in the forums the user runs", tag: tag,
                query: [APIParameter("status", .oneOf(ActionStatus.allCases.map(\.rawValue)), "Status.")] + paging, response: .page(of: .ref("Action"))), use: listActions)

        DialogueAPIController.registerParticipation(api, paging: paging)
    }

    static func seatScope(_ req: Request) async throws -> ResourceScope {
        let s = try await DialogueQueries.seat(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await ForumService.scope(try await ForumService.find(s.forumID, on: req.db), on: req.db)
    }

    static func agendaScope(_ req: Request) async throws -> ResourceScope {
        let a = try await DialogueQueries.agendaItem(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await ForumService.scope(try await MeetingService.find(a.meetingID, on: req.db).1, on: req.db)
    }

    static func actionScope(_ req: Request) async throws -> ResourceScope {
        let a = try await DialogueQueries.action(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await ForumService.scope(try await MeetingService.find(a.meetingID, on: req.db).1, on: req.db)
    }

    static func id(_ req: Request) throws -> UUID { try req.parameters.require("id", as: UUID.self) }

    /// Refuses the members' view of a closed forum: 401 to visitors, 403 to others.
    static func requireInside(_ f: Forum, _ req: Request) async throws {
        guard try await ForumService.mayReadInside(f, req.principal, on: req.db) else {
            throw req.principal.isSignedIn ? AppError.forbidden(code: "forumClosed") : AppError.unauthenticated()
        }
    }

    // MARK: Forums

    @Sendable static func listForums(_ req: Request) async throws -> Paged<ForumDTO> {
        let page = try PageRequest.from(req)
        var kind: ForumKind?
        if let k = req.queryValue("kind"), !k.isEmpty {
            guard let parsed = ForumKind(rawValue: k) else { throw AppError.badRequest(code: "unknownKind", field: "kind") }
            kind = parsed
        }
        let (forums, total) = try await DialogueQueries.forums(bodyID: try req.uuidParameter("body"), kind: kind, page: page, on: req.db)
        var items: [ForumDTO] = []
        for f in forums { items.append(try await ForumService.dto(f, on: req.db)) }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    @Sendable static func showForum(_ req: Request) async throws -> ForumDTO {
        try await ForumService.dto(try await ForumService.find(try id(req), on: req.db), on: req.db)
    }

    @Sendable static func createForum(_ req: Request) async throws -> Response {
        let b = try req.content.decode(ForumBody.self)
        let f = try await req.write { ctx in try await ForumService.save(nil, b, in: ctx) }
        return try await ForumService.dto(f, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateForum(_ req: Request) async throws -> ForumDTO {
        let id = try id(req)
        let b = try req.content.decode(ForumBody.self)
        let f = try await req.write { ctx in try await ForumService.save(id, b, in: ctx) }
        return try await ForumService.dto(f, on: req.db)
    }

    @Sendable static func listSeats(_ req: Request) async throws -> [SeatDTO] {
        let f = try await ForumService.find(try id(req), on: req.db)
        try await requireInside(f, req)
        let history = (try? req.query.get(Bool.self, at: "history")) ?? false
        let all = try await DialogueQueries.seats(forumID: f.id!, on: req.db)
        let seats = history ? all : all.filter { $0.phase(on: .today()) != .ended }
        let showContact = req.principal.isSignedIn
        return try await ForumService.seatDTOs(ForumService.ordered(seats), showContact: showContact, on: req.db)
    }

    @Sendable static func createSeat(_ req: Request) async throws -> Response {
        let fid = try id(req)
        let b = try req.content.decode(SeatBody.self)
        let s = try await req.write { ctx in try await ForumService.saveSeat(forumID: fid, seatID: nil, b, in: ctx) }
        return try await ForumService.seatDTOs([s], showContact: true, on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateSeat(_ req: Request) async throws -> SeatDTO {
        let sid = try id(req)
        let existing = try await DialogueQueries.seat(sid, on: req.db)
        let b = try req.content.decode(SeatBody.self)
        let s = try await req.write { ctx in try await ForumService.saveSeat(forumID: existing.forumID, seatID: sid, b, in: ctx) }
        return try await ForumService.seatDTOs([s], showContact: true, on: req.db)[0]
    }

    @Sendable static func replaceSeat(_ req: Request) async throws -> Response {
        let sid = try id(req)
        let b = try req.content.decode(SeatBody.self)
        let s = try await req.write { ctx in try await ForumService.replaceHolder(sid, b, in: ctx) }
        return try await ForumService.seatDTOs([s], showContact: true, on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func endSeat(_ req: Request) async throws -> SeatDTO {
        let sid = try id(req)
        let day = try req.dateParameter("date") ?? .today()
        let s = try await req.write { ctx in try await ForumService.endSeat(sid, on: day, in: ctx) }
        return try await ForumService.seatDTOs([s], showContact: true, on: req.db)[0]
    }


    @Sendable static func plan(_ req: Request) async throws -> Response {
        let fid = try id(req)
        guard let year = try req.yearParameter() else { throw AppError.badRequest(code: "yearRequired", field: "year") }
        let created = try await req.write { ctx in try await ForumService.plan(forumID: fid, year: year, in: ctx) }
        let f = try await ForumService.find(fid, on: req.db)
        var out: [MeetingDTO] = []
        for m in created { out.append(try await MeetingService.dto(m, forum: f, full: false, principal: req.principal, on: req.db)) }
        return try await out.encodeResponse(status: .created, for: req)
    }

    // MARK: Meetings

    @Sendable static func listMeetings(_ req: Request) async throws -> Paged<MeetingDTO> {
        let page = try PageRequest.from(req)
        var status: MeetingStatus?
        if let s = req.queryValue("status"), !s.isEmpty {
            guard let st = MeetingStatus(rawValue: s) else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
            status = st
        }
        let (meetings, total) = try await DialogueQueries.meetings(visibleTo: req.principal, forumID: try req.uuidParameter("forum"), from: try req.dateParameter("from"),
                                                                   to: try req.dateParameter("to"), status: status, page: page, on: req.db)
        var items: [MeetingDTO] = []
        for (m, f) in meetings {
            items.append(try await MeetingService.dto(m, forum: f, full: false, principal: req.principal, on: req.db))
        }
        return Paged(items: items, metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }

    static func readableMeeting(_ req: Request) async throws -> (Meeting, Forum) {
        let (m, f) = try await MeetingService.find(try id(req), on: req.db)
        try await requireInside(f, req)
        return (m, f)
    }

    @Sendable static func showMeeting(_ req: Request) async throws -> MeetingDTO {
        let (m, f) = try await readableMeeting(req)
        return try await MeetingService.dto(m, forum: f, full: true, principal: req.principal, on: req.db)
    }

    static func fullMeeting(_ mid: UUID, _ req: Request) async throws -> MeetingDTO {
        let (m, f) = try await MeetingService.find(mid, on: req.db)
        return try await MeetingService.dto(m, forum: f, full: true, principal: req.principal, on: req.db)
    }

    @Sendable static func createMeeting(_ req: Request) async throws -> Response {
        let b = try req.content.decode(MeetingBody.self)
        let m = try await req.write { ctx in try await MeetingService.save(nil, b, in: ctx) }
        return try await fullMeeting(m.id!, req).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateMeeting(_ req: Request) async throws -> MeetingDTO {
        let mid = try id(req)
        let b = try req.content.decode(MeetingBody.self)
        _ = try await req.write { ctx in try await MeetingService.save(mid, b, in: ctx) }
        return try await fullMeeting(mid, req)
    }

    @Sendable static func setMeetingStatus(_ req: Request) async throws -> MeetingDTO {
        struct B: Content { var status: String?; var version: Int? }
        let mid = try id(req)
        let b = try req.content.decode(B.self)
        guard let raw = b.status, let status = MeetingStatus(rawValue: raw), status != .published else {
            throw AppError.invalid(field: "status", code: "oneOf", "planned, confirmed, held, cancelled")
        }
        _ = try await req.write { ctx in try await MeetingService.setStatus(mid, to: status, version: b.version, in: ctx) }
        return try await fullMeeting(mid, req)
    }

    static func agendaDTO(_ a: AgendaItem) -> AgendaItemDTO {
        AgendaItemDTO(id: a.id!, position: a.position, title: a.title, description: a.description, raisedBy: a.raisedBy, organisationId: a.organisationID,
                      questionId: a.questionID, minutes: a.minutes, decision: a.decision, isPublic: a.isPublic, secrecyProvision: a.secrecyProvision,
                      secrecyReference: SecrecyRules.reference(provision: a.secrecyProvision), secrecyReason: a.secrecyReason, version: a.version)
    }

    @Sendable static func addAgendaItem(_ req: Request) async throws -> Response {
        let mid = try id(req)
        let b = try req.content.decode(AgendaItemBody.self)
        let a = try await req.write { ctx in try await MeetingService.saveAgendaItem(meetingID: mid, itemID: nil, b, in: ctx) }
        return try await agendaDTO(a).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateAgendaItem(_ req: Request) async throws -> AgendaItemDTO {
        let aid = try id(req)
        let existing = try await DialogueQueries.agendaItem(aid, on: req.db)
        let b = try req.content.decode(AgendaItemBody.self)
        return agendaDTO(try await req.write { ctx in try await MeetingService.saveAgendaItem(meetingID: existing.meetingID, itemID: aid, b, in: ctx) })
    }

    @Sendable static func deleteAgendaItem(_ req: Request) async throws -> HTTPStatus {
        let aid = try id(req)
        try await req.write { ctx in try await MeetingService.deleteAgendaItem(aid, in: ctx) }
        return .noContent
    }

    @Sendable static func addDocument(_ req: Request) async throws -> Response {
        let mid = try id(req)
        let f = try rawUpload(req)
        let item = try req.uuidParameter("agendaItem")
        let q: @Sendable (String) -> String? = { [req] in req.queryValue($0).flatMap { $0.isEmpty ? nil : $0 } }
        let isPublic = try req.optionalFlag("public")
        let titleSecret = try req.optionalFlag("titleSecret")
        let d = try await req.write { ctx in
            try await MeetingService.addDocument(meetingID: mid, agendaItemID: item, title: q("title"), filename: f.filename, contentType: f.contentType,
                                                 data: f.data, isPublic: isPublic, secrecyProvision: q("secrecyProvision"), secrecyReason: q("secrecyReason"),
                                                 titleSecret: titleSecret, in: ctx)
        }
        return try await MeetingService.documentDTO(d, canRead: true).encodeResponse(status: .created, for: req)
    }

    @Sendable static func document(_ req: Request) async throws -> Response {
        let d = try await DialogueQueries.document(try id(req), on: req.db)
        guard try await MeetingService.mayReadDocument(d, req.principal, on: req.db) else {
            let marking = SecrecyRules.reference(provision: d.secrecyProvision)
            let why = "Handlingen omfattas av sekretess" + (marking.isEmpty ? "" : " enligt \(marking)") + (d.secrecyReason.isEmpty ? "." : ": \(d.secrecyReason).")
            throw req.principal.isSignedIn ? AppError.forbidden(why) : AppError.unauthenticated(why + " Logga in om du har rätt att läsa den.")
        }
        return .download(d.data, filename: d.filename, contentType: d.contentType)
    }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        struct Sent: Content { var sent: Int }
        let mid = try id(req)
        let base = req.application.config.publicBaseURL
        let n = try await req.write { ctx in try await MeetingService.invite(mid, baseURL: base, in: ctx) }
        return try await Sent(sent: n).encodeResponse(for: req)
    }

    @Sendable static func rsvp(_ req: Request) async throws -> AttendanceDTO {
        struct B: Content { var accept: Bool? }
        let mid = try id(req)
        let b = (try? req.content.decode(B.self)) ?? B()
        let a = try await req.write { ctx -> MeetingAttendance in
            let r = try await MeetingService.rsvp(mid, accept: b.accept ?? true, in: ctx)
            if b.accept == nil { throw AppError.invalid(field: "accept", code: "required") }
            return r
        }
        let dto = try await fullMeeting(mid, req)
        guard let line = dto.attendance?.first(where: { $0.seatId == a.seatID }) else { throw AppError.notFound() }
        return line
    }

    @Sendable static func attendance(_ req: Request) async throws -> MeetingDTO {
        let mid = try id(req)
        let b = try req.content.decode(AttendanceBody.self)
        _ = try await req.write { ctx in try await MeetingService.recordAttendance(mid, b, in: ctx) }
        return try await fullMeeting(mid, req)
    }

    @Sendable static func approve(_ req: Request) async throws -> MeetingDTO {
        let mid = try id(req)
        _ = try await req.write { ctx in try await MeetingService.approve(mid, in: ctx) }
        return try await fullMeeting(mid, req)
    }

    @Sendable static func publish(_ req: Request) async throws -> MeetingDTO {
        let mid = try id(req)
        _ = try await req.write { ctx in try await MeetingService.publish(mid, in: ctx) }
        return try await fullMeeting(mid, req)
    }

    @Sendable static func createAction(_ req: Request) async throws -> Response {
        let mid = try id(req)
        let b = try req.content.decode(ActionBody.self)
        let a = try await req.write { ctx in try await MeetingService.saveAction(meetingID: mid, actionID: nil, b, in: ctx) }
        return try await MeetingService.actionDTOs([a], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateAction(_ req: Request) async throws -> ActionDTO {
        let aid = try id(req)
        let b = try req.content.decode(ActionBody.self)
        let a = try await req.write { ctx in try await MeetingService.saveAction(meetingID: nil, actionID: aid, b, in: ctx) }
        return try await MeetingService.actionDTOs([a], on: req.db)[0]
    }

    @Sendable static func listActions(_ req: Request) async throws -> Paged<ActionDTO> {
        let page = try PageRequest.from(req)
        // Actions of the forums the principal runs.
        var status: ActionStatus?
        if let s = req.queryValue("status"), !s.isEmpty {
            guard let st = ActionStatus(rawValue: s) else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
            status = st
        }
        let (items, total) = try await DialogueQueries.actions(managedBy: req.principal, status: status, page: page, on: req.db)
        return Paged(items: try await MeetingService.actionDTOs(items, on: req.db), metadata: PageMetadata(page: page.page, per: page.per, total: total))
    }
}
