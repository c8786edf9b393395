import Fluent
import Vapor
import SamverkaRules

/// Forum pages: the list, a forum's public and members' view, the forum and seat forms, the meeting plan and the
/// forum's iCalendar feed.
enum DialoguePages {
    static func register(_ site: Router) {
        let manageForum = Access.scoped(.dialogueManage, ForumService.forumScope)
        site.get("forums", access: .anyone, use: index)
        site.get("forums", "new", access: .permission(.dialogueManage), use: newForum)
        site.post("forums", access: .permission(.dialogueManage), use: createForum)
        site.get("forums", ":id", access: .anyone, use: show)
        site.get("forums", ":id", "calendar.ics", access: .anyone, use: forumCalendar)
        site.get("forums", ":id", "edit", access: manageForum, use: editForum)
        site.post("forums", ":id", "edit", access: manageForum, use: updateForum)
        site.post("forums", ":id", "plan", access: manageForum, use: plan)
        site.get("forums", ":id", "seats", "new", access: manageForum, use: newSeat)
        site.post("forums", ":id", "seats", access: manageForum, use: createSeat)
        site.get("seats", ":id", "replace", access: .scoped(.dialogueManage, DialogueAPIController.seatScope), use: replaceSeatForm)
        site.post("seats", ":id", "replace", access: .scoped(.dialogueManage, DialogueAPIController.seatScope), use: replaceSeat)
        site.post("seats", ":id", "end", access: .scoped(.dialogueManage, DialogueAPIController.seatScope), use: endSeat)
        MeetingPages.register(site)
        DialogueAdminPages.register(site)
        ParticipationPages.register(site)
    }

    /// Runs a button's action and goes back with a message: the success text, or the reason it was refused.
    static func action(_ req: Request, back: String, success: String, _ work: @escaping @Sendable (WriteContext) async throws -> Void) async throws -> Response {
        do {
            try await req.write { ctx in try await work(ctx) }
            return req.redirect(to: back, flash: success)
        } catch let e as AppError where e.status == .conflict || e.status == .unprocessableEntity || e.status == .badRequest {
            let detail = e.fieldErrors.map { $0.localized(req.application.localizer, req.language).message }.joined(separator: " ")
            return req.redirect(to: back, flash: detail.isEmpty ? e.reason(for: req) : e.reason(for: req) + " " + detail)
        }
    }

    /// A file from a form's file field: its bytes, name and media type (empty when none was chosen; the service says so).
    /// "Sekretess enligt OSL 21 kap. 1 § (uppgifter om hälsa eller sexualliv): <reason>".
    static func secrecyText(_ req: Request, provision: String, reason: String) -> String {
        guard let p = SecrecyRules.provision(provision) else { return req.t("meeting.notPublic", reason) }
        return req.t("secrecy.marking", p.reference, req.t(p.labelKey), reason)
    }

    /// The choices of the secrecy field: public, or one of the OSL provisions.
    static func secrecyOptions(_ req: Request, selected: String? = nil) -> [FormField.Option] {
        [.init(value: "", label: req.t("secrecy.public"), selected: (selected ?? "").isEmpty)]
            + SecrecyRules.provisions.map { .init(value: $0.code, label: "\($0.reference) – \(req.t($0.labelKey))", selected: selected == $0.code) }
    }

    static func uploaded(_ file: File?) -> (data: Data, filename: String, contentType: String) {
        (file.map { Data(buffer: $0.data) } ?? Data(), file?.filename ?? "",
         file?.contentType.map { "\($0.type)/\($0.subType)" } ?? "application/octet-stream")
    }

    // MARK: List and forum page

    struct ForumRow: Encodable, Sendable { var href: String; var name: String; var kind: String; var level: String; var body: String; var isPublic: Bool }

    @Sendable static func index(_ req: Request) async throws -> Response {
        struct Page: Encodable, Sendable { var forums: [ForumRow]; var canCreate: Bool; var mine: [ForumRow]; var hasMine: Bool }
        let forums = try await DialogueQueries.allForums(on: req.db)
        let bodies = Dictionary(uniqueKeysWithValues: try await DirectoryQueries.allBodies(on: req.db).map { ($0.id, $0.name) })
        func row(_ f: Forum) -> ForumRow {
            ForumRow(href: "/forums/\(f.id!)", name: f.name, kind: req.label(f.kind), level: req.label(f.participationLevel), body: bodies[f.bodyID] ?? "", isPublic: f.isPublic)
        }
        var mine: [ForumRow] = []
        if let uid = req.principal.userID {
            let held = Set(try await ForumService.seatsHeld(by: uid, on: req.db).map(\.forumID))
            let managed = req.principal.isAdmin ? [] : Set(try await ForumService.managed(by: req.principal, on: req.db).map { $0.id! })
            for f in forums where held.contains(f.id!) || managed.contains(f.id!) { mine.append(row(f)) }
        }
        return try await req.page("dialogue/forums", title: req.t("dialogue.forums"),
                                  Page(forums: forums.map(row), canCreate: Policy.allows(req.principal, .dialogueManage), mine: mine, hasMine: !mine.isEmpty))
    }

    struct SeatRow: Encodable, Sendable {
        var holder: String; var category: String; var position: String; var organisation: String?; var note: String; var term: String
        var isSubstitute: Bool; var isCurrent: Bool; var isUpcoming: Bool; var email: String?; var replaceHref: String?; var endAction: String?; var viaRole: String?
    }
    struct MeetingRow: Encodable, Sendable { var href: String; var title: String; var date: String; var time: String; var status: String; var statusKey: String }

    /// What a forum's page shows (`ForumView`).
    struct ForumPage {
        var forum: ForumDTO; var kind: String; var level: String; var themes: [String]; var body: String
        var inside: Bool; var manage: Bool; var seats: [SeatRow]; var history: [SeatRow]
        var meetings: [MeetingRow]; var year: Int; var questions: [ParticipationPages.QuestionRow]
        var rate: RateView?; var canRaise: Bool; var csrf: String; var icsHref: String; var warnings: [String]
        var cadence: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        // One database handle, principal and translator for the page (each `req.db`, `req.principal` and `req.t`
        // reads storage).
        let today = LocalDate.today(), db = req.db, principal = req.principal, t = req.translator, lang = req.language.rawValue
        // The forum, its seats, meetings and questions in one read. Every seat: the composition warnings count the
        // current ones, the page lists them all. Every question: the feedback rate counts them all, the table lists
        // the newest the visitor may see.
        guard let rows = try await DialogueQueries.forumPage(try DialogueAPIController.id(req), meetingsFrom: LocalDate.clamped(year: today.year - 1, month: 1, day: 1), on: db)
        else { throw AppError.notFound() }
        let f = rows.forum, fid = try f.requireID(), allSeats = rows.seats
        let inside = try await ForumService.mayReadInside(f, principal, on: db)
        let manage = try await ForumService.mayManage(f, principal, on: db)
        let all = rows.questions
        let visible = all.filter { QuestionService.mayList($0, principal) }
            .sorted { ($0.raisedOn, $0.createdAt ?? .distantPast) > ($1.raisedOn, $1.createdAt ?? .distantPast) }.prefix(50)
        // Every name the page shows (body, seats, questions) in one read.
        var wanted = ForumService.nameRequest(f, seats: inside ? allSeats : allSeats.filter { $0.isCurrent(on: today) })
        wanted.formUnion(QuestionService.nameRequest(Array(visible), ownerRoles: false))
        let names = try await DirectoryQueries.names(wanted, on: db)
        let dto = try await ForumService.dto(f, seats: allSeats, names: names, on: db, today: today)
        var seats: [SeatRow] = [], history: [SeatRow] = []
        if inside {
            for s in try await ForumService.seatDTOs(ForumService.ordered(allSeats), showContact: principal.isSignedIn, names: names, on: db) {
                let active = s.phase != SeatRules.Phase.ended.rawValue
                let r = SeatRow(holder: s.holderName, category: Request.label(SeatCategory.self, s.category, t), position: Request.label(SeatPosition.self, s.position, t),
                                organisation: s.organisationName, note: s.note, term: s.termFrom + " – " + (s.termTo ?? ""), isSubstitute: s.isSubstitute, isCurrent: s.isCurrent,
                                isUpcoming: s.phase == SeatRules.Phase.upcoming.rawValue,
                                email: s.holderEmail, replaceHref: manage && active ? "/seats/\(s.id)/replace" : nil,
                                endAction: manage && active ? "/seats/\(s.id)/end" : nil, viaRole: s.contactRoleTitle)
                if active { seats.append(r) } else { history.append(r) }
            }
        }
        var meetings: [MeetingRow] = []
        if inside {
            for m in rows.meetings {
                meetings.append(MeetingRow(href: "/meetings/\(m.id)", title: m.title, date: m.day.formatted(lang), time: "\(m.startTime)–\(m.endTime)",
                                           status: t("meetingStatus.\(m.status.rawValue)", []), statusKey: m.status.rawValue))
            }
        }
        let questions = try await ParticipationPages.questionRows(Array(visible), forumNames: [fid: f.name], names: names, req)
        let rate = all.isEmpty ? nil : RateView(QuestionService.rateDTO(scope: "forum", id: fid, name: f.name, all, today: today), req)
        let cadence = dto.cadence.map { c in
            (c.extra.isEmpty ? req.t("dialogue.cadenceText.plain", String(c.meetingsPerYear))
                : req.t("dialogue.cadenceText", String(c.meetingsPerYear), String(c.extra.count)) + " (" + c.extra.map(\.title).joined(separator: ", ") + ")")
        }
        var canRaise = Policy.allows(principal, .dialogueParticipate)
        if !canRaise, let uid = principal.userID { canRaise = try await ForumService.isSeatHolder(userID: uid, forumID: fid, on: db) }
        let data = ForumPage(forum: dto, kind: req.label(f.kind), level: req.label(f.participationLevel), themes: f.themeList.map { req.label(ForumTheme.self, $0) },
                             body: dto.bodyName ?? "", inside: inside, manage: manage, seats: seats, history: history,
                             meetings: meetings, year: today.year, questions: questions, rate: rate,
                             canRaise: canRaise, csrf: manage ? req.csrfToken : "", icsHref: "/forums/\(fid)/calendar.ics", warnings: dto.compositionWarnings.map(\.message),
                             cadence: cadence)
        return req.page(title: f.name) { ForumView.write(data, t: t, into: &$0) }
    }

    @Sendable static func forumCalendar(_ req: Request) async throws -> Response {
        let f = try await ForumService.find(try DialogueAPIController.id(req), on: req.db)
        try await DialogueAPIController.requireInside(f, req)
        let ics = CalendarService.ics(name: f.name, try await CalendarService.forumEntries(f, on: req.db), baseURL: req.application.config.publicBaseURL)
        return CalendarService.response(ics, filename: "forum.ics")
    }

    @Sendable static func plan(_ req: Request) async throws -> Response {
        struct B: Content { var year: String? }
        let fid = try DialogueAPIController.id(req)
        let year = Int((try? req.content.decode(B.self))?.year ?? "") ?? LocalDate.today().year
        let back = "/forums/\(fid)#meetings"
        do {
            let created = try await req.write { ctx in try await ForumService.plan(forumID: fid, year: year, in: ctx) }
            return req.redirect(to: back, flash: req.t("dialogue.planned", String(created.count), String(year)))
        } catch let e as AppError where e.status == .unprocessableEntity {
            return req.redirect(to: back, flash: e.fieldErrors.map { $0.localized(req.application.localizer, req.language).message }.joined(separator: " "))
        }
    }

    // MARK: Forum form

    struct ForumForm: Content {
        var bodyId: String?; var unitId: String?; var name: String?; var kind: String?; var purpose: String?; var mandate: String?
        var themes: [String]?; var participationLevel: String?; var isPublic: String?; var feedbackDays: String?; var feedbackByNextMeeting: String?
        var secretaryRoleId: String?; var location: String?; var meetingsPerYear: String?; var weekday: String?; var week: String?; var startTime: String?
        var durationMinutes: String?; var extraMonth: String?; var extraTitle: String?; var politicianMin: String?; var politicianMax: String?
        var organisationMin: String?; var organisationMax: String?; var version: Int?

        init() { isPublic = "true"; meetingsPerYear = "4"; weekday = "2"; week = "2"; startTime = "13:00"; durationMinutes = "120"; feedbackDays = "30" }

        init(_ f: ForumDTO) {
            bodyId = f.bodyId.uuidString; unitId = f.unitId?.uuidString; name = f.name; kind = f.kind; purpose = f.purpose; mandate = f.mandate; themes = f.themes
            participationLevel = f.participationLevel; isPublic = f.isPublic ? "true" : nil; feedbackDays = String(f.feedbackDays)
            feedbackByNextMeeting = f.feedbackByNextMeeting ? "true" : nil; secretaryRoleId = f.secretaryRoleId?.uuidString; location = f.location
            if let c = f.cadence {
                meetingsPerYear = String(c.meetingsPerYear); weekday = String(c.weekday); week = String(c.week); startTime = c.startTime
                durationMinutes = String(c.durationMinutes); extraMonth = c.extra.first.map { String($0.month) }; extraTitle = c.extra.first?.title
            }
            for r in f.composition {
                if r.category == "politician" { politicianMin = r.min.map(String.init); politicianMax = r.max.map(String.init) }
                if r.category == "organisation" { organisationMin = r.min.map(String.init); organisationMax = r.max.map(String.init) }
            }
            version = f.version
        }

        func body() throws -> ForumBody {
            var errors = FieldErrors()
            func int(_ s: String?, _ field: String, _ range: ClosedRange<Int>) -> Int? { TextRules.integer(s, field: field, range: range, errors: &errors) }
            var composition: [CompositionRule] = []
            let pMin = int(politicianMin, "politicianMin", 0...500), pMax = int(politicianMax, "politicianMax", 0...500)
            if pMin != nil || pMax != nil { composition.append(CompositionRule(category: "politician", min: pMin, max: pMax)) }
            let oMin = int(organisationMin, "organisationMin", 0...500), oMax = int(organisationMax, "organisationMax", 0...500)
            if oMin != nil || oMax != nil { composition.append(CompositionRule(category: "organisation", min: oMin, max: oMax)) }
            let perYear = int(meetingsPerYear, "meetingsPerYear", 0...12) ?? 0
            var extra: [Cadence.Extra] = []
            if let m = int(extraMonth, "extraMonth", 1...12) {
                let title = (extraTitle ?? "").trimmingCharacters(in: .whitespaces)
                if title.isEmpty { errors.add("extraTitle", code: "required") } else { extra.append(.init(month: m, title: title)) }
            }
            let cadence = Cadence(meetingsPerYear: perYear, weekday: int(weekday, "weekday", 1...7) ?? 2, week: int(week, "week", 1...4) ?? 2,
                                  startTime: startTime ?? "13:00", durationMinutes: int(durationMinutes, "durationMinutes", 15...600) ?? 120, extra: extra)
            let days = int(feedbackDays, "feedbackDays", 1...365)
            try errors.throwIfAny()
            return ForumBody(bodyId: bodyId, unitId: unitId ?? "", name: name, kind: kind, purpose: purpose, mandate: mandate, themes: themes ?? [],
                             participationLevel: participationLevel, isPublic: isPublic == "true", composition: composition, cadence: cadence, clearCadence: nil,
                             feedbackDays: days, feedbackByNextMeeting: feedbackByNextMeeting == "true", secretaryRoleId: secretaryRoleId ?? "", location: location, version: version)
        }
    }

    static func forumFormPage(_ req: Request, _ f: ForumForm, id: UUID?, errors: [FieldError]) async throws -> Response {
        let bodies = try await req.officialBodies()
        let bodyID = f.bodyId.flatMap(UUID.init(uuidString:)) ?? bodies.first?.id
        let units = try await bodyID.asyncFlatMap { try await DirectoryQueries.unitTree(of: $0, on: req.db) } ?? []
        let roles = try await DirectoryQueries.roles(ofUnits: units.map(\.unit.id), on: req.db)
        let weekdays = (1...7).map { FormField.Option(value: String($0), label: req.t("weekday.\($0)"), selected: f.weekday == String($0)) }
        var fields: [FormField] = []
        if id == nil {
            fields.append(FormField("bodyId", label: req.t("account.body"), kind: .select, required: true,
                                    options: bodies.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id == bodyID) }))
        }
        let mapped = errors.map { e -> FieldError in
            var e = e
            if e.field.hasPrefix("cadence.") { e.field = String(e.field.dropFirst("cadence.".count)) }
            if e.field.hasPrefix("composition") { e.field = "politicianMin" }
            return e
        }
        fields += [
            FormField("name", label: req.t("dialogue.forum.name"), value: f.name, required: true, maxLength: 200),
            FormField("kind", label: req.t("dialogue.forum.kind"), kind: .select, required: true, options: req.options(ForumKind.self, selected: f.kind, emptyLabel: req.t("form.choose"))),
            FormField("purpose", label: req.t("dialogue.forum.purpose"), kind: .textarea, value: f.purpose, required: true, maxLength: 4000),
            FormField("mandate", label: req.t("dialogue.forum.mandate"), kind: .textarea, value: f.mandate, maxLength: 10_000),
            FormField("themes[]", label: req.t("dialogue.forum.themes"), kind: .checkboxes,
                      options: ForumTheme.allCases.map { .init(value: $0.rawValue, label: req.label($0), selected: (f.themes ?? []).contains($0.rawValue)) }),
            FormField("participationLevel", label: req.t("dialogue.forum.level"), kind: .select, hint: req.t("dialogue.forum.levelHint"),
                      options: req.options(ParticipationLevel.self, selected: f.participationLevel ?? "dialog")),
            FormField("isPublic", label: req.t("dialogue.forum.isPublic"), kind: .checkbox, hint: req.t("dialogue.forum.isPublicHint"), checked: f.isPublic == "true"),
            FormField("unitId", label: req.t("grants.unit"), kind: .select, options: [.init(value: "", label: req.t("form.none"))]
                        + units.map { .init(value: $0.unit.id.uuidString, label: String(repeating: "– ", count: $0.depth) + $0.unit.name, selected: f.unitId == $0.unit.id.uuidString) }),
            FormField("secretaryRoleId", label: req.t("dialogue.forum.secretary"), kind: .select, hint: req.t("dialogue.forum.secretaryHint"),
                      options: [.init(value: "", label: req.t("form.none"))] + roles.map { .init(value: $0.id.uuidString, label: $0.title, selected: f.secretaryRoleId == $0.id.uuidString) }),
            FormField("location", label: req.t("dialogue.location"), value: f.location, maxLength: 300),
            FormField("feedbackDays", label: req.t("dialogue.forum.feedbackDays"), kind: .number, value: f.feedbackDays, maxLength: 3),
            FormField("feedbackByNextMeeting", label: req.t("dialogue.forum.byNextMeeting"), kind: .checkbox, checked: f.feedbackByNextMeeting == "true"),
            FormField("meetingsPerYear", label: req.t("dialogue.cadence.perYear"), kind: .number, value: f.meetingsPerYear, maxLength: 2),
            FormField("weekday", label: req.t("dialogue.cadence.weekday"), kind: .select, options: weekdays),
            FormField("week", label: req.t("dialogue.cadence.week"), kind: .select,
                      options: (1...4).map { .init(value: String($0), label: req.t("dialogue.cadence.nth\($0)"), selected: f.week == String($0)) }),
            FormField("startTime", label: req.t("dialogue.startTime"), value: f.startTime, hint: req.t("dialogue.timeHint"), maxLength: 5),
            FormField("durationMinutes", label: req.t("dialogue.cadence.duration"), kind: .number, value: f.durationMinutes, maxLength: 3),
            FormField("extraMonth", label: req.t("dialogue.cadence.extraMonth"), kind: .number, value: f.extraMonth, hint: req.t("dialogue.cadence.extraHint"), maxLength: 2),
            FormField("extraTitle", label: req.t("dialogue.cadence.extraTitle"), value: f.extraTitle, maxLength: 200),
            FormField("politicianMin", label: req.t("dialogue.composition.politicianMin"), kind: .number, value: f.politicianMin, maxLength: 3),
            FormField("politicianMax", label: req.t("dialogue.composition.politicianMax"), kind: .number, value: f.politicianMax, maxLength: 3),
            FormField("organisationMin", label: req.t("dialogue.composition.organisationMin"), kind: .number, value: f.organisationMin, maxLength: 3),
            FormField("organisationMax", label: req.t("dialogue.composition.organisationMax"), kind: .number, value: f.organisationMax, maxLength: 3),
        ]
        let form = req.form(action: id.map { "/forums/\($0)/edit" } ?? "/forums", submitLabel: req.t("form.save"), fields: fields, errors: mapped,
                            version: f.version, cancelHref: id.map { "/forums/\($0)" } ?? "/forums")
        return try await req.formPage(heading: id == nil ? req.t("dialogue.forum.new") : req.t("dialogue.forum.edit"), form: form,
                                      status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newForum(_ req: Request) async throws -> Response { try await forumFormPage(req, ForumForm(), id: nil, errors: []) }

    static func saveForum(_ req: Request, id: UUID?) async throws -> Response {
        let f = try req.decodeForm(ForumForm.self)
        do {
            let body = try f.body()
            let saved = try await req.write { ctx in try await ForumService.save(id, body, in: ctx) }
            return req.redirect(to: "/forums/\(saved.id!)", flash: req.t("saved"))
        } catch let e as FieldErrors {
            return try await forumFormPage(req, f, id: id, errors: e.all.map { $0.localized(req.application.localizer, req.language) })
        } catch { return try await rerender(req, error: error) { try await forumFormPage(req, f, id: id, errors: $0) } }
    }

    @Sendable static func createForum(_ req: Request) async throws -> Response { try await saveForum(req, id: nil) }
    @Sendable static func updateForum(_ req: Request) async throws -> Response { try await saveForum(req, id: try DialogueAPIController.id(req)) }

    @Sendable static func editForum(_ req: Request) async throws -> Response {
        let f = try await ForumService.find(try DialogueAPIController.id(req), on: req.db)
        return try await forumFormPage(req, ForumForm(try await ForumService.dto(f, on: req.db)), id: f.id, errors: [])
    }

    // MARK: Seats

    static func seatFormPage(_ req: Request, forumID: UUID, _ b: SeatBody, replacing: ForumSeat?, errors: [FieldError]) async throws -> Response {
        let f = try await ForumService.find(forumID, on: req.db)
        let orgs = try await DirectoryQueries.allOrganisations(on: req.db)
        let roles = try await DirectoryQueries.openRoles(on: req.db)
        let ordinary = try await ForumService.activeSeats(forumID: forumID, on: req.db).filter { !$0.isSubstitute }
        var subOptions: [FormField.Option] = [.init(value: "", label: req.t("form.none"))]
        for s in ordinary { subOptions.append(.init(value: s.id!.uuidString, label: try await ForumService.holder(s, on: req.db).name, selected: b.substituteForId == s.id!.uuidString)) }
        var fields: [FormField] = []
        if replacing == nil {
            fields += [
                FormField("category", label: req.t("dialogue.seat.category"), kind: .select, required: true, options: req.options(SeatCategory.self, selected: b.category, emptyLabel: req.t("form.choose"))),
                FormField("position", label: req.t("dialogue.seat.position"), kind: .select, options: req.options(SeatPosition.self, selected: b.position ?? "member")),
                FormField("organisationId", label: req.t("dialogue.seat.organisation"), kind: .select, hint: req.t("dialogue.seat.organisationHint"),
                          options: [.init(value: "", label: req.t("form.none"))] + orgs.map { .init(value: $0.id.uuidString, label: $0.name, selected: b.organisationId == $0.id.uuidString) }),
            ]
        }
        fields += [
            FormField("holderName", label: req.t("dialogue.seat.holderName"), value: b.holderName, maxLength: 200),
            FormField("holderEmail", label: req.t("dialogue.seat.holderEmail"), kind: .email, value: b.holderEmail, hint: req.t("dialogue.seat.holderEmailHint"), maxLength: 254),
            FormField("contactRoleId", label: req.t("dialogue.seat.role"), kind: .select, hint: req.t("dialogue.seat.roleHint"),
                      options: [.init(value: "", label: req.t("form.none"))] + roles.map { .init(value: $0.id.uuidString, label: $0.title, selected: b.contactRoleId == $0.id.uuidString) }),
        ]
        if replacing == nil {
            fields += [
                FormField("isSubstitute", label: req.t("dialogue.seat.isSubstitute"), kind: .checkbox, checked: b.isSubstitute == true),
                FormField("substituteForId", label: req.t("dialogue.seat.substituteFor"), kind: .select, options: subOptions),
                FormField("note", label: req.t("dialogue.seat.note"), value: b.note, hint: req.t("dialogue.seat.noteHint"), maxLength: 200),
            ]
        }
        fields.append(FormField("termFrom", label: req.t("dialogue.seat.termFrom"), kind: .date, value: b.termFrom, required: true))
        if replacing == nil { fields.append(FormField("termTo", label: req.t("dialogue.seat.termTo"), kind: .date, value: b.termTo, hint: req.t("dialogue.seat.termToHint"))) }
        let action = replacing.map { "/seats/\($0.id!)/replace" } ?? "/forums/\(forumID)/seats"
        let form = req.form(action: action, submitLabel: req.t("form.save"), fields: fields, errors: errors, cancelHref: "/forums/\(forumID)#seats")
        return try await req.formPage(heading: replacing == nil ? req.t("dialogue.seat.new") : req.t("dialogue.seat.replace"), intro: f.name, form: form,
                                      status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    struct SeatForm: Content {
        var category: String?; var position: String?; var organisationId: String?; var contactRoleId: String?; var holderName: String?; var holderEmail: String?
        var isSubstitute: String?; var substituteForId: String?; var note: String?; var termFrom: String?; var termTo: String?
        var body: SeatBody {
            SeatBody(category: category, position: position, organisationId: organisationId ?? "", contactRoleId: contactRoleId ?? "", holderName: holderName,
                     holderEmail: holderEmail, userId: nil, isSubstitute: isSubstitute == "true", substituteForId: substituteForId ?? "", note: note, termFrom: termFrom,
                     termTo: termTo ?? "", version: nil)
        }
    }

    @Sendable static func newSeat(_ req: Request) async throws -> Response {
        try await seatFormPage(req, forumID: try DialogueAPIController.id(req), SeatBody(termFrom: LocalDate.today().description), replacing: nil, errors: [])
    }

    @Sendable static func createSeat(_ req: Request) async throws -> Response {
        let fid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(SeatForm.self).body
        do {
            _ = try await req.write { ctx in try await ForumService.saveSeat(forumID: fid, seatID: nil, b, in: ctx) }
            return req.redirect(to: "/forums/\(fid)#seats", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await seatFormPage(req, forumID: fid, b, replacing: nil, errors: $0) } }
    }

    @Sendable static func replaceSeatForm(_ req: Request) async throws -> Response {
        let s = try await DialogueQueries.seat(try DialogueAPIController.id(req), on: req.db)
        return try await seatFormPage(req, forumID: s.forumID, SeatBody(termFrom: LocalDate.today().description), replacing: s, errors: [])
    }

    @Sendable static func replaceSeat(_ req: Request) async throws -> Response {
        let s = try await DialogueQueries.seat(try DialogueAPIController.id(req), on: req.db)
        let b = try req.decodeForm(SeatForm.self).body
        do {
            _ = try await req.write { ctx in try await ForumService.replaceHolder(s.id!, b, in: ctx) }
            return req.redirect(to: "/forums/\(s.forumID)#seats", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await seatFormPage(req, forumID: s.forumID, b, replacing: s, errors: $0) } }
    }

    @Sendable static func endSeat(_ req: Request) async throws -> Response {
        let s = try await DialogueQueries.seat(try DialogueAPIController.id(req), on: req.db)
        let sid = s.id!
        return try await action(req, back: "/forums/\(s.forumID)#seats", success: req.t("dialogue.seat.ended")) { ctx in
            _ = try await ForumService.endSeat(sid, on: .today(), in: ctx)
        }
    }
}

/// The feedback rate as a page shows it.
struct RateView: Encodable, Sendable {
    var name: String; var share: String; var median: String; var judged: Int; var inTime: Int; var late: Int; var overdue: Int; var pending: Int
    init(_ r: FeedbackRateDTO, _ req: Request) {
        name = r.name
        share = r.share.map { String(Int(($0 * 100).rounded())) + " %" } ?? "–"
        median = r.medianDays.map { req.t("dialogue.rate.days", DecimalText.format($0, digits: $0 == $0.rounded() ? 0 : 1, lang: req.language.rawValue)) } ?? "–"
        judged = r.judged; inTime = r.answeredInTime; late = r.answeredLate; overdue = r.overdue; pending = r.pending
    }
}
