import Fluent
import Vapor
import SamverkaRules

/// Officials' forms: an extra meeting, a consultation (remiss) with its draft, an event.
enum DialogueAdminPages {
    static func register(_ site: Router) {
        site.get("meetings", "new", access: .permission(.dialogueManage), use: newMeeting)
        site.post("meetings", access: .permission(.dialogueManage), use: createMeeting)
        site.get("consultations", "new", access: .permission(.dialogueManage), use: newConsultation)
        site.post("consultations", access: .permission(.dialogueManage), use: createConsultation)
        site.post("consultations", ":id", "open", access: .scoped(.dialogueManage, ConsultationService.consultationScope), use: openConsultation)
        site.post("consultations", ":id", "draft", access: .scoped(.dialogueManage, ConsultationService.consultationScope), body: .collect(maxSize: "21mb"), use: uploadDraft)
        site.get("events", "new", access: .permission(.dialogueManage), use: newEvent)
        site.post("events", access: .permission(.dialogueManage), use: createEvent)
    }

    static func bodyField(_ req: Request, _ bodies: [BodyRef], selected: String?) -> FormField {
        FormField("bodyId", label: req.t("account.body"), kind: .select, required: true,
                  options: bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == selected) })
    }

    // MARK: Extra meeting

    struct MeetingForm: Content { var forumId: String?; var title: String?; var date: String?; var startTime: String?; var endTime: String?; var location: String? }

    static func meetingFormPage(_ req: Request, _ f: MeetingForm, errors: [FieldError]) async throws -> Response {
        let forums = try await ForumService.managed(by: req.principal, on: req.db)
        let fields = [
            FormField("forumId", label: req.t("question.forum"), kind: .select, required: true,
                      options: forums.map { .init(value: $0.id!.uuidString, label: $0.name, selected: f.forumId == $0.id!.uuidString) }),
            FormField("title", label: req.t("dialogue.meeting.title"), value: f.title, hint: req.t("dialogue.meeting.titleHint"), maxLength: 200),
            FormField("date", label: req.t("dialogue.date"), kind: .date, value: f.date, required: true),
            FormField("startTime", label: req.t("dialogue.startTime"), value: f.startTime ?? "13:00", hint: req.t("dialogue.timeHint"), required: true, maxLength: 5),
            FormField("endTime", label: req.t("dialogue.endTime"), value: f.endTime ?? "15:00", required: true, maxLength: 5),
            FormField("location", label: req.t("dialogue.location"), value: f.location, maxLength: 300),
        ]
        let form = req.form(action: "/meetings", submitLabel: req.t("form.save"), fields: fields, errors: errors, cancelHref: f.forumId.map { "/forums/\($0)" } ?? "/forums")
        return try await req.formPage(heading: req.t("dialogue.meeting.new"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newMeeting(_ req: Request) async throws -> Response {
        try await meetingFormPage(req, MeetingForm(forumId: req.queryValue("forum")), errors: [])
    }

    @Sendable static func createMeeting(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(MeetingForm.self)
        let body = MeetingBody(forumId: f.forumId, title: f.title?.isEmpty == true ? nil : f.title, date: f.date, startTime: f.startTime, endTime: f.endTime,
                               location: f.location?.isEmpty == true ? nil : f.location)
        do {
            let m = try await req.write { ctx in try await MeetingService.save(nil, body, in: ctx) }
            return req.redirect(to: "/meetings/\(m.id!)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await meetingFormPage(req, f, errors: $0) } }
    }

    // MARK: Consultation

    struct ConsultationForm: Content {
        var bodyId: String?; var title: String?; var description: String?; var sections: String?; var deadline: String?; var openToAll: String?
        var invitedForumIds: [String]?
    }

    /// One section per line: "Mål och inriktning"; keys are made from the position.
    static func sections(_ text: String?) -> [ConsultationSection]? {
        let lines = (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.isEmpty ? nil : lines.enumerated().map { ConsultationSection(key: "s\($0.offset + 1)", title: $0.element) }
    }

    static func consultationFormPage(_ req: Request, _ f: ConsultationForm, errors: [FieldError]) async throws -> Response {
        let bodies = try await req.officialBodies()
        let forums = try await DialogueQueries.forums(ofBodies: bodies.compactMap(\.id), on: req.db)
        let mapped = errors.map { e -> FieldError in
            var e = e
            if e.field.hasPrefix("sections") { e.field = "sections" }
            return e
        }
        let fields = [
            bodyField(req, bodies, selected: f.bodyId),
            FormField("title", label: req.t("consultation.title"), value: f.title, required: true, maxLength: 300),
            FormField("description", label: req.t("consultation.description"), kind: .textarea, value: f.description, required: true, maxLength: 20_000),
            FormField("sections", label: req.t("consultation.sections"), kind: .textarea, value: f.sections, hint: req.t("consultation.sectionsHint"), maxLength: 10_000),
            FormField("deadline", label: req.t("consultation.deadline"), kind: .date, value: f.deadline, required: true),
            FormField("invitedForumIds[]", label: req.t("consultation.invitedForums"), kind: .checkboxes, hint: req.t("consultation.invitedForumsHint"),
                      options: forums.map { .init(value: $0.id!.uuidString, label: $0.name, selected: (f.invitedForumIds ?? []).contains($0.id!.uuidString)) }),
            FormField("openToAll", label: req.t("consultation.openToAll"), kind: .checkbox, checked: f.openToAll == "true"),
        ]
        let form = req.form(action: "/consultations", submitLabel: req.t("form.save"), fields: fields, errors: mapped, cancelHref: "/consultations")
        return try await req.formPage(heading: req.t("consultation.new"), intro: req.t("consultation.newIntro"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newConsultation(_ req: Request) async throws -> Response {
        try await consultationFormPage(req, ConsultationForm(deadline: LocalDate.today().adding(days: 42).description), errors: [])
    }

    @Sendable static func createConsultation(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(ConsultationForm.self)
        let body = ConsultationBody(bodyId: f.bodyId, title: f.title, description: f.description, sections: sections(f.sections), deadline: f.deadline,
                                    openToAll: f.openToAll == "true", invitedOrganisationIds: [], invitedForumIds: f.invitedForumIds ?? [])
        do {
            let c = try await req.write { ctx in try await ConsultationService.save(nil, body, in: ctx) }
            return req.redirect(to: "/consultations/\(c.id!)", flash: req.t("consultation.created"))
        } catch { return try await rerender(req, error: error) { try await consultationFormPage(req, f, errors: $0) } }
    }

    @Sendable static func openConsultation(_ req: Request) async throws -> Response {
        let cid = try DialogueAPIController.id(req)
        let base = req.application.config.publicBaseURL
        return try await DialoguePages.action(req, back: "/consultations/\(cid)", success: req.t("consultation.opened")) { ctx in
            _ = try await ConsultationService.open(cid, baseURL: base, in: ctx)
        }
    }

    @Sendable static func uploadDraft(_ req: Request) async throws -> Response {
        struct B: Content { var file: File? }
        let cid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(B.self)
        let f = DialoguePages.uploaded(b.file)
        return try await DialoguePages.action(req, back: "/consultations/\(cid)", success: req.t("saved")) { ctx in
            _ = try await ConsultationService.setDraft(cid, filename: f.filename, contentType: f.contentType, data: f.data, in: ctx)
        }
    }

    // MARK: Event

    struct EventForm: Content {
        var bodyId: String?; var title: String?; var description: String?; var date: String?; var startTime: String?; var endTime: String?
        var location: String?; var capacity: String?; var registrationClosesOn: String?; var surveyUrl: String?
    }

    static func eventFormPage(_ req: Request, _ f: EventForm, errors: [FieldError]) async throws -> Response {
        let fields = [
            bodyField(req, try await req.officialBodies(), selected: f.bodyId),
            FormField("title", label: req.t("event.title"), value: f.title, required: true, maxLength: 200),
            FormField("description", label: req.t("event.description"), kind: .textarea, value: f.description, maxLength: 10_000),
            FormField("date", label: req.t("dialogue.date"), kind: .date, value: f.date, required: true),
            FormField("startTime", label: req.t("dialogue.startTime"), value: f.startTime ?? "09:00", hint: req.t("dialogue.timeHint"), required: true, maxLength: 5),
            FormField("endTime", label: req.t("dialogue.endTime"), value: f.endTime ?? "16:00", required: true, maxLength: 5),
            FormField("location", label: req.t("dialogue.location"), value: f.location, maxLength: 300),
            FormField("capacity", label: req.t("event.capacity"), kind: .number, value: f.capacity, hint: req.t("event.capacityHint"), maxLength: 6),
            FormField("registrationClosesOn", label: req.t("event.closes"), kind: .date, value: f.registrationClosesOn),
            FormField("surveyUrl", label: req.t("event.surveyUrl"), kind: .url, value: f.surveyUrl, hint: req.t("event.surveyUrlHint"), maxLength: 300),
        ]
        let form = req.form(action: "/events", submitLabel: req.t("form.save"), fields: fields, errors: errors, cancelHref: "/events")
        return try await req.formPage(heading: req.t("event.new"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newEvent(_ req: Request) async throws -> Response { try await eventFormPage(req, EventForm(), errors: []) }

    @Sendable static func createEvent(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(EventForm.self)
        var errors = FieldErrors()
        let capacity = TextRules.integer(f.capacity, field: "capacity", range: 0...100_000, errors: &errors)
        if !errors.all.isEmpty { return try await eventFormPage(req, f, errors: errors.all.map { $0.localized(req.application.localizer, req.language) }) }
        let body = EventBody(bodyId: f.bodyId, title: f.title, description: f.description, date: f.date, startTime: f.startTime, endTime: f.endTime,
                             location: f.location, capacity: capacity, registrationClosesOn: f.registrationClosesOn ?? "", surveyUrl: f.surveyUrl)
        do {
            let e = try await req.write { ctx in try await EventService.save(nil, body, in: ctx) }
            return req.redirect(to: "/events/\(e.id!)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await eventFormPage(req, f, errors: $0) } }
    }
}
