import Fluent
import Vapor
import SamverkaRules

/// Questions with feedback, consultations, events and the personal calendar.
enum ParticipationPages {
    static func register(_ site: Router) {
        site.get("questions", access: .anyone, use: questions)
        site.get("questions", "new", access: .permission(.dialogueParticipate), use: newQuestion)
        site.post("questions", access: .permission(.dialogueParticipate), use: raise)
        site.get("questions", ":id", access: .anyone, use: question)
        site.post("questions", ":id", "answer", access: .scoped(.dialogueManage, QuestionService.questionScope), use: answer)
        site.get("consultations", access: .anyone, use: consultations)
        site.get("consultations", ":id", access: .anyone, use: consultation)
        site.get("consultations", ":id", "draft", access: .anyone, use: DialogueAPIController.draft)
        site.get("consultations", ":id", "compilation.csv", access: .anyone, use: compilation)
        site.post("consultations", ":id", "responses", access: .record("consultationRespond"), body: .collect(maxSize: "21mb"), use: respond)
        site.post("consultation-comments", ":id", "outcome", access: .scoped(.dialogueManage, DialogueAPIController.commentScope), use: outcome)
        site.post("consultations", ":id", "close", access: .scoped(.dialogueManage, ConsultationService.consultationScope), use: closeConsultation)
        site.post("consultations", ":id", "compile", access: .scoped(.dialogueManage, ConsultationService.consultationScope), use: compileConsultation)
        site.get("events", access: .anyone, use: events)
        site.get("events", ":id", access: .anyone, use: event)
        site.post("events", ":id", "register", access: .signedIn, use: registerForEvent)
        site.post("event-registrations", ":id", "cancel", access: .signedIn, use: cancelRegistration)
        site.get("calendar", access: .signedIn, use: calendar)
        site.post("calendar", "feed", access: .signedIn, use: rotateFeed)
        site.get("calendar", "feed", ":file", access: .anyone, use: feed)
    }

    // MARK: Questions

    struct QuestionRow: Encodable, Sendable {
        var href: String; var title: String; var kind: String; var to: String; var organisation: String?; var status: String; var statusKey: String
        var raised: String; var deadline: String; var overdue: Bool
    }

    /// `names`: the names of `QuestionService.nameRequest(qs, ownerRoles: false)` when the caller has read them.
    static func questionRows(_ qs: [DialogueQuestion], forumNames: [UUID: String]? = nil, names: DirectoryNames? = nil, _ req: Request) async throws -> [QuestionRow] {
        try await QuestionService.dtos(qs, forumNames: forumNames, ownerRoles: false, names: names, on: req.db).map { q in
            QuestionRow(href: "/questions/\(q.id)", title: q.title, kind: req.t(q.isProposal ? "question.proposal" : "question.question"),
                        to: q.forumName ?? q.unitName ?? q.bodyName ?? "", organisation: q.organisationName, status: req.t("questionStatus.\(q.status)"), statusKey: q.status,
                        raised: q.raisedOn, deadline: q.deadline, overdue: q.overdue)
        }
    }

    @Sendable static func questions(_ req: Request) async throws -> Response {
        struct Page: Encodable, Sendable {
            var questions: [QuestionRow]; var raised: [QuestionRow]; var owed: [QuestionRow]; var overdue: [QuestionRow]
            var hasAll: Bool; var hasRaised: Bool; var hasOwed: Bool; var hasOverdue: Bool; var signedIn: Bool; var canRaise: Bool; var rates: [RateView]; var hasRates: Bool
        }
        let all = try await DialogueQueries.newestQuestions(visibleTo: req.principal, limit: 100, on: req.db)
        var raised: [DialogueQuestion] = [], owed: [DialogueQuestion] = [], overdue: [DialogueQuestion] = []
        var rates: [RateView] = []
        if let uid = req.principal.userID {
            raised = try await DialogueQueries.questions(raisedBy: uid, on: req.db)
            owed = try await DialogueQueries.questions(owedByRoles: try await DirectoryQueries.rolesHeld(byUser: uid, on: req.db), on: req.db)
            let bodies = req.principal.isAdmin ? try await DirectoryQueries.allBodies(on: req.db).map(\.id) : req.principal.officialBodyIDs
            overdue = try await DialogueQueries.overdueQuestions(bodies: bodies, on: LocalDate.today(), db: req.db)
            for b in try await DialogueQueries.bodiesWithQuestions(bodies, on: req.db) {
                rates += try await QuestionService.rates(bodyID: b, from: nil, to: nil, on: req.db).map { RateView($0, req) }
            }
        }
        let data = Page(questions: try await questionRows(all, req), raised: try await questionRows(raised, req), owed: try await questionRows(owed, req),
                        overdue: try await questionRows(overdue, req), hasAll: !all.isEmpty, hasRaised: !raised.isEmpty, hasOwed: !owed.isEmpty,
                        hasOverdue: !overdue.isEmpty, signedIn: req.principal.isSignedIn, canRaise: Policy.allows(req.principal, .dialogueParticipate),
                        rates: rates, hasRates: !rates.isEmpty)
        return try await req.page("dialogue/questions", title: req.t("dialogue.questions"), data)
    }

    struct QuestionForm: Content { var forumId: String?; var unitId: String?; var organisationId: String?; var isProposal: String?; var title: String?; var text: String?; var isPublic: String? }

    static func questionFormPage(_ req: Request, _ f: QuestionForm, errors: [FieldError]) async throws -> Response {
        let forums = try await DialogueQueries.allForums(on: req.db)
        let bodies = Dictionary(uniqueKeysWithValues: try await DirectoryQueries.allBodies(on: req.db).map { ($0.id, $0.name) })
        let units = try await DirectoryQueries.units(on: req.db)
        let orgs = try await DirectoryQueries.organisations(req.principal.organisationIDs, on: req.db)
        var fields = [
            FormField("forumId", label: req.t("question.forum"), kind: .select, hint: req.t("question.forumHint"),
                      options: [.init(value: "", label: req.t("form.none"))] + forums.map { .init(value: $0.id!.uuidString, label: $0.name, selected: f.forumId == $0.id!.uuidString, group: bodies[$0.bodyID]) }),
            FormField("unitId", label: req.t("question.unit"), kind: .select,
                      options: [.init(value: "", label: req.t("form.none"))] + units.map { .init(value: $0.id.uuidString, label: $0.name, selected: f.unitId == $0.id.uuidString, group: bodies[$0.bodyID]) }),
        ]
        if orgs.count > 1 {
            fields.append(FormField("organisationId", label: req.t("question.organisation"), kind: .select,
                                    options: orgs.map { .init(value: $0.id.uuidString, label: $0.name, selected: f.organisationId == $0.id.uuidString) }))
        }
        fields += [
            FormField("isProposal", label: req.t("question.isProposal"), kind: .checkbox, checked: f.isProposal == "true"),
            FormField("title", label: req.t("question.title"), value: f.title, required: true, maxLength: 200),
            FormField("text", label: req.t("question.text"), kind: .textarea, value: f.text, required: true, maxLength: 10_000),
            FormField("isPublic", label: req.t("question.isPublic"), kind: .checkbox, hint: req.t("question.isPublicHint"), checked: f.isPublic != "false"),
        ]
        let form = req.form(action: "/questions", submitLabel: req.t("question.send"), fields: fields, errors: errors, cancelHref: "/questions")
        return try await req.formPage(heading: req.t("question.new"), intro: req.t("question.intro"), form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newQuestion(_ req: Request) async throws -> Response {
        try await questionFormPage(req, QuestionForm(forumId: req.queryValue("forum"), isPublic: "true"), errors: [])
    }

    @Sendable static func raise(_ req: Request) async throws -> Response {
        var f = try req.decodeForm(QuestionForm.self)
        if f.isPublic == nil { f.isPublic = "false" }
        let body = QuestionBody(forumId: f.forumId, unitId: f.unitId, bodyId: nil, organisationId: f.organisationId, isProposal: f.isProposal == "true",
                                title: f.title, text: f.text, isPublic: f.isPublic == "true")
        do {
            let q = try await req.write { ctx in try await QuestionService.raise(body, in: ctx) }
            return req.redirect(to: "/questions/\(q.id!)", flash: req.t("question.sent", q.deadline))
        } catch { return try await rerender(req, error: error) { try await questionFormPage(req, f, errors: $0) } }
    }

    @Sendable static func question(_ req: Request) async throws -> Response {
        struct Page: Encodable, Sendable { var q: QuestionDTO; var status: String; var kind: String; var form: FormContext?; var deadline: String }
        let q = try await DialogueAPIController.readableQuestion(req)
        return try await questionPage(req, q, errors: [])
    }

    static func questionPage(_ req: Request, _ q: DialogueQuestion, errors: [FieldError], form: AnswerBody? = nil) async throws -> Response {
        struct Page: Encodable, Sendable { var q: QuestionDTO; var status: String; var kind: String; var form: FormContext?; var deadline: String; var answered: String? }
        let dto = try await QuestionService.dtos([q], on: req.db)[0]
        var answerForm: FormContext?
        if try await QuestionService.mayAnswer(q, req.principal, on: req.db) {
            let roles = try await DirectoryQueries.openRoles(on: req.db)
            let statuses = ["inProgress", "answered", "forwarded", "closed"]
            answerForm = req.form(action: "/questions/\(dto.id)/answer", submitLabel: req.t("form.save"), fields: [
                FormField("status", label: req.t("question.status"), kind: .select,
                          options: statuses.map { .init(value: $0, label: req.t("questionStatus.\($0)"), selected: (form?.status ?? (q.status == .received ? "answered" : q.status.rawValue)) == $0) }),
                FormField("answer", label: req.t("question.answer"), kind: .textarea, value: form?.answer ?? q.answer, hint: req.t("question.answerHint"), maxLength: 20_000),
                FormField("forwardedTo", label: req.t("question.forwardedTo"), value: form?.forwardedTo ?? q.forwardedTo, maxLength: 300),
                FormField("ownerRoleId", label: req.t("question.owner"), kind: .select,
                          options: [.init(value: "", label: req.t("form.none"))] + roles.map { .init(value: $0.id.uuidString, label: $0.title, selected: q.ownerRoleID == $0.id) }),
                FormField("deadline", label: req.t("question.deadline"), kind: .date, value: form?.deadline ?? q.deadline),
            ], errors: errors, version: q.version)
        }
        return try await req.page("dialogue/question", title: q.title, Page(q: dto, status: req.t("questionStatus.\(dto.status)"),
                                  kind: req.t(dto.isProposal ? "question.proposal" : "question.question"), form: answerForm,
                                  deadline: LocalDate(dto.deadline)?.formatted(req.language.rawValue) ?? dto.deadline,
                                  answered: LocalDate.stored(dto.answeredOn)?.formatted(req.language.rawValue)),
                                  status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func answer(_ req: Request) async throws -> Response {
        struct F: Content { var status: String?; var answer: String?; var forwardedTo: String?; var ownerRoleId: String?; var deadline: String?; var version: Int? }
        let qid = try DialogueAPIController.id(req)
        let f = try req.decodeForm(F.self)
        let body = AnswerBody(status: f.status, answer: f.answer, forwardedTo: f.forwardedTo, ownerRoleId: f.ownerRoleId, deadline: f.deadline, version: f.version)
        do {
            _ = try await req.write { ctx in try await QuestionService.answer(qid, body, in: ctx) }
            return req.redirect(to: "/questions/\(qid)", flash: req.t("saved"))
        } catch {
            guard let q = try await DialogueQueries.findQuestion(qid, on: req.db) else { throw error }
            return try await rerender(req, error: error) { try await questionPage(req, q, errors: $0, form: body) }
        }
    }

    // MARK: Consultations

    @Sendable static func consultations(_ req: Request) async throws -> Response {
        struct Row: Encodable, Sendable { var href: String; var title: String; var body: String; var deadline: String; var status: String; var responses: Int }
        struct Page: Encodable, Sendable { var rows: [Row]; var hasRows: Bool; var canCreate: Bool }
        var rows: [Row] = []
        for c in try await DialogueQueries.consultations(visibleTo: req.principal, on: req.db) {
            let d = try await ConsultationService.dto(c, on: req.db)
            rows.append(Row(href: "/consultations/\(d.id)", title: d.title, body: d.bodyName ?? "", deadline: LocalDate(d.deadline)?.formatted(req.language.rawValue) ?? d.deadline,
                            status: req.t("consultationStatus.\(d.status)"), responses: d.responseCount))
        }
        return try await req.page("dialogue/consultations", title: req.t("dialogue.consultations"),
                                  Page(rows: rows, hasRows: !rows.isEmpty, canCreate: Policy.allows(req.principal, .dialogueManage)))
    }

    struct CommentView: Encodable, Sendable { var id: UUID; var section: String; var comment: String; var outcome: String?; var outcomeText: String; var action: String? }
    struct ResponseView: Encodable, Sendable { var organisation: String; var general: String; var document: String?; var comments: [CommentView]; var hasComments: Bool }

    @Sendable static func consultation(_ req: Request) async throws -> Response {
        struct SectionField: Encodable, Sendable { var key: String; var title: String; var name: String; var id: String; var value: String }
        struct Page: Encodable, Sendable {
            var c: ConsultationDTO; var deadline: String; var status: String; var canRespond: Bool; var sections: [SectionField]; var csrf: String
            var responses: [ResponseView]; var hasResponses: Bool; var manage: Bool; var canClose: Bool; var canCompile: Bool; var outcomes: [FormField.Option]
            var myGeneral: String; var canOpen: Bool
        }
        let k = try await DialogueAPIController.readableConsultation(req)
        let c = try await ConsultationService.dto(k, on: req.db)
        let manage = try await ConsultationService.mayManage(k, req.principal, on: req.db)
        let today = LocalDate.today()
        let sectionTitles = Dictionary(uniqueKeysWithValues: c.sections.map { ($0.key, $0.title) })
        let invited = try await ConsultationService.invitedOrganisations(k, on: req.db)
        let myOrg = req.principal.organisationIDs.first { c.openToAll || invited.contains($0) }
        let mine = try await myOrg.asyncFlatMap { o in try await DialogueQueries.response(consultationID: k.id!, organisationID: o, on: req.db) }
        let myComments = try await mine.asyncFlatMap { r in try await DialogueQueries.comments(responseID: r.id!, on: req.db) } ?? []
        var responses: [ResponseView] = []
        let outcomeAllowed = manage && (k.status == .closed || (k.status == .open && today > k.deadlineDate))
        for r in try await DialogueQueries.responses(to: k, readableBy: req.principal, on: req.db) {
            let d = try await ConsultationService.responseDTO(r, on: req.db)
            let comments = d.comments.map {
                CommentView(id: $0.id, section: sectionTitles[$0.sectionKey] ?? $0.sectionKey, comment: $0.comment, outcome: $0.outcome.map { req.label(CommentOutcome.self, $0) },
                            outcomeText: $0.outcomeText, action: outcomeAllowed ? "/consultation-comments/\($0.id)/outcome" : nil)
            }
            responses.append(ResponseView(organisation: d.organisationName ?? "", general: d.generalComment,
                                          document: d.documentFilename.map { _ in "/api/v1/consultation-responses/\(d.id)/document" }, comments: comments, hasComments: !comments.isEmpty))
        }
        let sections = c.sections.map { s in
            SectionField(key: s.key, title: s.title, name: "comments[\(s.key)]", id: "f-comments-\(s.key)", value: myComments.first { $0.sectionKey == s.key }?.comment ?? "")
        }
        let data = Page(c: c, deadline: LocalDate(c.deadline)?.formatted(req.language.rawValue) ?? c.deadline, status: req.t("consultationStatus.\(c.status)"),
                        canRespond: c.acceptsResponses && myOrg != nil, sections: sections, csrf: req.csrfToken, responses: responses, hasResponses: !responses.isEmpty,
                        manage: manage, canClose: manage && k.status == .open, canCompile: manage && k.status == .closed,
                        outcomes: CommentOutcome.allCases.map { .init(value: $0.rawValue, label: req.label($0)) }, myGeneral: mine?.generalComment ?? "",
                        canOpen: manage && k.status == .draft)
        return try await req.page("dialogue/consultation", title: c.title, data)
    }

    /// The remissammanställning as a spreadsheet: one row per comment (and one per general comment) with the body's
    /// position on it, in Swedish, of the responses the reader may see.
    @Sendable static func compilation(_ req: Request) async throws -> Response {
        let k = try await DialogueAPIController.readableConsultation(req)
        let responses = try await DialogueQueries.responses(to: k, readableBy: req.principal, on: req.db)
        let names = try await DirectoryQueries.organisationNames(responses.map(\.organisationID), on: req.db)
        let sections = Dictionary(k.sectionList.map { ($0.key, $0.title) }, uniquingKeysWith: { a, _ in a })
        let w = CSVWriter(delimiter: .semicolon)
        var out = CSVWriter.bom + w.row([req.t("compilation.organisation"), req.t("compilation.section"), req.t("compilation.comment"),
                                         req.t("compilation.outcome"), req.t("compilation.outcomeText"), req.t("compilation.document")])
        for r in responses {
            guard let id = r.id else { continue }
            let org = names[r.organisationID] ?? ""
            let doc = r.documentFilename.map { _ in req.application.config.publicBaseURL + "/api/v1/consultation-responses/\(id)/document" } ?? ""
            if !r.generalComment.isEmpty { out += w.row([org, req.t("compilation.general"), r.generalComment, "", "", doc]) }
            for c in try await DialogueQueries.comments(responseID: id, on: req.db) {
                out += w.row([org, sections[c.sectionKey] ?? c.sectionKey, c.comment, c.outcome.map { req.label($0) } ?? "", c.outcomeText, doc])
            }
        }
        return .csv(out, filename: "remissammanstallning.csv")
    }

    @Sendable static func respond(_ req: Request) async throws -> Response {
        struct F: Content { var generalComment: String?; var comments: [String: String]?; var file: File? }
        let cid = try DialogueAPIController.id(req)
        let f = try req.decodeForm(F.self)
        // An attached document (optional) is saved with the response, in the same transaction.
        let document = (f.file?.data.readableBytes ?? 0) > 0 ? DialoguePages.uploaded(f.file) : nil
        let body = ConsultationResponseBody(organisationId: nil, generalComment: f.generalComment,
                                            comments: (f.comments ?? [:]).sorted { $0.key < $1.key }.map { .init(sectionKey: $0.key, comment: $0.value) }, version: nil)
        return try await DialoguePages.action(req, back: "/consultations/\(cid)#respond", success: req.t("consultation.responded")) { ctx in
            let r = try await ConsultationService.respond(cid, body, in: ctx)
            if let document, let id = r.id {
                _ = try await ConsultationService.attachResponseDocument(id, filename: document.filename, contentType: document.contentType, data: document.data, in: ctx)
            }
        }
    }

    @Sendable static func outcome(_ req: Request) async throws -> Response {
        let cmid = try DialogueAPIController.id(req)
        let cm = try await DialogueQueries.comment(cmid, on: req.db)
        let b = try req.decodeForm(CommentOutcomeBody.self)
        return try await DialoguePages.action(req, back: "/consultations/\(cm.consultationID)#responses", success: req.t("saved")) { ctx in
            _ = try await ConsultationService.setOutcome(cmid, b, in: ctx)
        }
    }

    @Sendable static func closeConsultation(_ req: Request) async throws -> Response {
        let cid = try DialogueAPIController.id(req)
        return try await DialoguePages.action(req, back: "/consultations/\(cid)", success: req.t("consultationStatus.closed")) { ctx in _ = try await ConsultationService.close(cid, in: ctx) }
    }

    @Sendable static func compileConsultation(_ req: Request) async throws -> Response {
        let cid = try DialogueAPIController.id(req)
        return try await DialoguePages.action(req, back: "/consultations/\(cid)", success: req.t("consultationStatus.compiled")) { ctx in _ = try await ConsultationService.compile(cid, in: ctx) }
    }

    // MARK: Events

    @Sendable static func events(_ req: Request) async throws -> Response {
        struct Row: Encodable, Sendable { var href: String; var title: String; var date: String; var location: String; var places: String }
        struct Page: Encodable, Sendable { var rows: [Row]; var hasRows: Bool; var canCreate: Bool }
        var rows: [Row] = []
        for e in try await DialogueQueries.events(on: req.db).items {
            let d = try await EventService.dto(e, on: req.db)
            rows.append(Row(href: "/events/\(d.id)", title: d.title, date: LocalDate(d.date)?.formatted(req.language.rawValue) ?? d.date, location: d.location,
                            places: d.capacity.map { req.t("event.places", String(max(0, $0 - d.registered)), String($0)) } ?? req.t("event.noLimit")))
        }
        return try await req.page("dialogue/events", title: req.t("dialogue.events"),
                                  Page(rows: rows, hasRows: !rows.isEmpty, canCreate: Policy.allows(req.principal, .dialogueManage)))
    }

    @Sendable static func event(_ req: Request) async throws -> Response {
        struct Page: Encodable, Sendable {
            var e: EventDTO; var date: String; var form: FormContext?; var mine: RegistrationDTO?; var mineStatus: String?; var csrf: String
            var participants: [RegistrationDTO]; var hasParticipants: Bool; var manage: Bool
        }
        let ev = try await EventService.find(try DialogueAPIController.id(req), on: req.db)
        return try await eventPage(req, ev, errors: [])
    }

    static func eventPage(_ req: Request, _ ev: DialogueEvent, errors: [FieldError]) async throws -> Response {
        struct Page: Encodable, Sendable {
            var e: EventDTO; var date: String; var form: FormContext?; var mine: RegistrationDTO?; var mineStatus: String?; var csrf: String
            var participants: [RegistrationDTO]; var hasParticipants: Bool; var manage: Bool
        }
        let d = try await EventService.dto(ev, on: req.db)
        let manage = Policy.allows(req.principal, .dialogueManage, EventService.scope(ev))
        var mine: RegistrationDTO?
        var form: FormContext?
        if let uid = req.principal.userID {
            if let r = try await DialogueQueries.registration(eventID: ev.id!, userID: uid, on: req.db) {
                mine = try await EventService.registrationDTOs([r], full: true, on: req.db)[0]
            } else if d.registrationOpen {
                let orgs = try await DirectoryQueries.organisations(req.principal.organisationIDs, on: req.db)
                var fields: [FormField] = []
                if !orgs.isEmpty {
                    fields.append(FormField("organisationId", label: req.t("event.organisation"), kind: .select,
                                            options: [.init(value: "", label: req.t("form.none"))] + orgs.map { .init(value: $0.id.uuidString, label: $0.name) }))
                }
                fields += [
                    FormField("needs", label: req.t("event.needs"), kind: .textarea, hint: req.t("event.needsHint"), maxLength: 1000),
                    FormField("needsConsent", label: req.t("event.needsConsent"), kind: .checkbox),
                ]
                form = req.form(action: "/events/\(d.id)/register", submitLabel: req.t("event.register"), fields: fields, errors: errors)
            }
        }
        let participants = manage ? try await EventService.registrationDTOs(
            try await DialogueQueries.registrations(eventID: ev.id!, includingCancelled: false, on: req.db), full: true, on: req.db) : []
        return try await req.page("dialogue/event", title: d.title, Page(
            e: d, date: LocalDate(d.date)?.formatted(req.language.rawValue) ?? d.date, form: form, mine: mine, mineStatus: mine.map { req.t("registration.\($0.status)") },
            csrf: req.csrfToken, participants: participants, hasParticipants: !participants.isEmpty, manage: manage), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func registerForEvent(_ req: Request) async throws -> Response {
        struct F: Content { var organisationId: String?; var needs: String?; var needsConsent: String? }
        let ev = try await EventService.find(try DialogueAPIController.id(req), on: req.db)
        let f = try req.decodeForm(F.self)
        let body = RegistrationBody(organisationId: f.organisationId, needs: f.needs, needsConsent: f.needsConsent == "true")
        do {
            let r = try await req.write { ctx in try await EventService.register(ev.id!, body, in: ctx) }
            return req.redirect(to: "/events/\(ev.id!)", flash: req.t(r.status == .registered ? "event.registered" : "event.waitlisted"))
        } catch { return try await rerender(req, error: error) { try await eventPage(req, ev, errors: $0) } }
    }

    @Sendable static func cancelRegistration(_ req: Request) async throws -> Response {
        let rid = try DialogueAPIController.id(req)
        let r = try await DialogueQueries.registration(rid, on: req.db)
        return try await DialoguePages.action(req, back: "/events/\(r.eventID)", success: req.t("event.cancelled")) { ctx in _ = try await EventService.cancel(rid, in: ctx) }
    }

    // MARK: Calendar

    @Sendable static func calendar(_ req: Request) async throws -> Response { try await calendarPage(req, newToken: nil) }

    /// The calendar page; right after a new feed address is made it is shown once, on this response only.
    static func calendarPage(_ req: Request, newToken: String?) async throws -> Response {
        struct Row: Encodable, Sendable { var href: String; var title: String; var date: String; var time: String; var status: String; var kind: String }
        struct Page: Encodable, Sendable { var rows: [Row]; var hasRows: Bool; var hasFeed: Bool; var feedURL: String?; var csrf: String }
        guard let uid = req.principal.userID else { throw AppError.unauthenticated() }
        let from = LocalDate.today().adding(days: -31)
        let rows = try await CalendarService.userEntries(uid, principal: req.principal, on: req.db).filter { $0.date >= from }.map {
            Row(href: $0.href, title: $0.title, date: $0.date.formatted(req.language.rawValue), time: "\($0.startTime)–\($0.endTime)",
                status: $0.kind == "meeting" ? req.t("meetingStatus.\($0.status)") : req.t("eventStatus.\($0.status)"), kind: req.t("calendar.kind.\($0.kind)"))
        }
        let res = try await req.page("dialogue/calendar", title: req.t("dialogue.calendar"), Page(
            rows: rows, hasRows: !rows.isEmpty, hasFeed: try await CalendarService.hasFeed(uid, on: req.db),
            feedURL: newToken.map { "\(req.application.config.publicBaseURL)/calendar/feed/\($0).ics" }, csrf: req.csrfToken))
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return res
    }

    @Sendable static func rotateFeed(_ req: Request) async throws -> Response {
        let token = try await req.write { ctx in try await CalendarService.rotateFeed(in: ctx) }
        return try await calendarPage(req, newToken: token)
    }

    /// The secret per-user feed: the token in the address is the credential.
    @Sendable static func feed(_ req: Request) async throws -> Response {
        let file = try req.parameters.require("file")
        guard file.hasSuffix(".ics"), let uid = try await CalendarService.feedOwner(token: String(file.dropLast(4)), on: req.db) else { throw AppError.notFound() }
        guard let principal = try await AccountService.principal(forUserID: uid, method: .token, on: req.db) else { throw AppError.notFound() }
        let entries = try await CalendarService.userEntries(uid, principal: principal, on: req.db)
        return CalendarService.response(CalendarService.ics(name: "Samverka", entries, baseURL: req.application.config.publicBaseURL), filename: "samverka.ics")
    }
}
