import Fluent
import Vapor
import SamverkaRules

/// The meeting page: agenda, documents, invitations and RSVP, attendance with quorum, minutes per item,
/// approval by chair and adjuster, publication, and the actions that follow.
enum MeetingPages {
    static func register(_ site: Router) {
        let manage = Access.scoped(.dialogueManage, MeetingService.meetingScope)
        site.get("meetings", ":id", access: .anyone, use: show)
        site.get("meetings", ":id", "edit", access: manage, use: editForm)
        site.post("meetings", ":id", "edit", access: manage, use: update)
        site.post("meetings", ":id", "status", access: manage, use: setStatus)
        site.post("meetings", ":id", "invite", access: manage, use: invite)
        site.post("meetings", ":id", "publish", access: manage, use: publish)
        site.post("meetings", ":id", "agenda", access: manage, use: addItem)
        site.post("meetings", ":id", "minutes", access: manage, use: saveMinutes)
        site.post("meetings", ":id", "attendance", access: manage, use: attendance)
        site.post("meetings", ":id", "actions", access: manage, use: addAction)
        site.post("meetings", ":id", "documents", access: manage, body: .collect(maxSize: "21mb"), use: upload)
        site.get("meeting-documents", ":id", access: .anyone, use: DialogueAPIController.document)
        site.post("meetings", ":id", "rsvp", access: .record("seatHolder"), use: rsvp)
        site.post("meetings", ":id", "approve", access: .record("minutesApprover"), use: approve)
        site.post("actions", ":id", "done", access: .scoped(.dialogueManage, DialogueAPIController.actionScope), use: actionDone)
    }

    struct ItemView: Encodable, Sendable {
        var id: UUID; var position: Int; var title: String; var description: String; var raisedBy: String; var minutes: String; var decision: String
        var isPublic: Bool; var secrecy: String?; var minutesField: String; var decisionField: String
    }
    /// A registered document as listed: a secret one with its date and marking, without a link.
    struct DocumentView: Encodable, Sendable {
        var title: String; var href: String?; var detail: String; var secrecy: String?
    }
    struct AttendanceView: Encodable, Sendable {
        var seatId: UUID; var name: String; var role: String; var rsvp: String; var substitute: String?; var present: Bool; var field: String; var isSubstitute: Bool
    }
    struct StatusButton: Encodable, Sendable { var status: String; var label: String }

    @Sendable static func show(_ req: Request) async throws -> Response {
        struct Page: Encodable, Sendable {
            var meeting: MeetingDTO; var forumHref: String; var forumName: String; var date: String; var status: String; var manage: Bool
            var items: [ItemView]; var hasItems: Bool; var documents: [DocumentView]; var hasDocuments: Bool; var secrecyOptions: [FormField.Option]
            var attendance: [AttendanceView]; var hasAttendance: Bool; var quorum: QuorumDTO?; var actions: [ActionDTO]; var hasActions: Bool
            var statusButtons: [StatusButton]; var canInvite: Bool; var canPublish: Bool; var canRSVP: Bool; var canApprove: Bool
            var minutesEditable: Bool; var agendaEditable: Bool; var showMinutes: Bool; var csrf: String; var version: Int; var adjuster: String?
            var myRSVP: String?
        }
        let (m, f) = try await DialogueAPIController.readableMeeting(req)
        let dto = try await MeetingService.dto(m, forum: f, full: true, principal: req.principal, on: req.db)
        let manage = try await ForumService.mayManage(f, req.principal, on: req.db)
        var mine: [ForumSeat] = []
        if let uid = req.principal.userID { mine = try await ForumService.seatsHeld(by: uid, on: req.db, today: m.day).filter { $0.forumID == f.id } }
        let isChair = mine.contains { $0.position == .chair }
        let isAdjuster = m.adjusterSeatID.map { a in mine.contains { $0.id == a } } ?? false
        let canApprove = m.status == .held && ((isChair && m.chairApprovedBy == nil) || (isAdjuster && m.adjusterApprovedBy == nil))
        let items = (dto.agenda ?? []).map {
            ItemView(id: $0.id, position: $0.position, title: $0.title, description: $0.description, raisedBy: $0.raisedBy, minutes: $0.minutes, decision: $0.decision,
                     isPublic: $0.isPublic, secrecy: $0.isPublic ? nil : DialoguePages.secrecyText(req, provision: $0.secrecyProvision, reason: $0.secrecyReason),
                     minutesField: "minutes[\($0.id)]", decisionField: "decision[\($0.id)]")
        }
        let lang = req.language.rawValue
        let documents = (dto.documents ?? []).map { d in
            DocumentView(title: d.titleSecret && !d.canDownload ? req.t("secrecy.neutralTitle") : d.title, href: d.canDownload ? "/meeting-documents/\(d.id)" : nil,
                         detail: [d.registeredAt.map { LocalDate($0).formatted(lang) }, d.canDownload ? d.filename : nil].compactMap { $0 }.joined(separator: " · "),
                         secrecy: d.isPublic ? nil : DialoguePages.secrecyText(req, provision: d.secrecyProvision, reason: d.secrecyReason))
        }
        let att = (dto.attendance ?? []).map {
            AttendanceView(seatId: $0.seatId, name: $0.holderName, role: req.label(SeatPosition.self, $0.position) + " · " + req.label(SeatCategory.self, $0.category),
                           rsvp: req.t("rsvp.\($0.rsvp)"), substitute: $0.substituteName, present: $0.present == true, field: "present[\($0.seatId)]", isSubstitute: $0.isSubstitute)
        }
        var buttons: [StatusButton] = []
        if manage {
            for s in [MeetingStatus.confirmed, .held, .cancelled, .planned] where MeetingRules.mayChange(from: m.status, to: s) {
                buttons.append(StatusButton(status: s.rawValue, label: req.t("meeting.to.\(s.rawValue)")))
            }
        }
        let myAttendance = try await mine.first.asyncFlatMap { s in try await DialogueQueries.attendance(meetingID: m.id!, seatID: s.id!, on: req.db) }
        let adjusterName = try await m.adjusterSeatID.asyncFlatMap { try? await DialogueQueries.seat($0, on: req.db) }.asyncFlatMap { try await ForumService.holder($0, on: req.db).name }
        let data = Page(meeting: dto, forumHref: "/forums/\(f.id!)", forumName: f.name, date: m.day.formatted(req.language.rawValue),
                        status: req.t("meetingStatus.\(m.status.rawValue)"), manage: manage, items: items, hasItems: !items.isEmpty,
                        documents: documents, hasDocuments: !documents.isEmpty, secrecyOptions: DialoguePages.secrecyOptions(req), attendance: att, hasAttendance: !att.isEmpty, quorum: dto.quorum,
                        actions: dto.actions ?? [], hasActions: !(dto.actions ?? []).isEmpty, statusButtons: buttons,
                        canInvite: manage && m.status == .confirmed,
                        canPublish: manage && MeetingRules.mayPublish(status: m.status, chairApproved: m.chairApprovedBy != nil, adjusterApproved: m.adjusterApprovedBy != nil),
                        canRSVP: !mine.isEmpty && m.status == .confirmed, canApprove: canApprove,
                        minutesEditable: manage && m.status == .held, agendaEditable: manage && (m.status == .planned || m.status == .confirmed || m.status == .held),
                        showMinutes: m.status == .published || (manage && m.status == .held), csrf: req.csrfToken, version: m.version, adjuster: adjusterName,
                        myRSVP: myAttendance.map { req.t("rsvp.\($0.rsvp.rawValue)") })
        return try await req.page("dialogue/meeting", title: "\(m.title) \(m.date)", data)
    }

    static func back(_ id: UUID, _ anchor: String = "") -> String { "/meetings/\(id)" + (anchor.isEmpty ? "" : "#" + anchor) }

    @Sendable static func setStatus(_ req: Request) async throws -> Response {
        struct B: Content { var status: String?; var version: Int? }
        let mid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(B.self)
        guard let s = b.status.flatMap(MeetingStatus.init(rawValue:)), s != .published else { throw AppError.badRequest(code: "unknownStatus", field: "status") }
        return try await DialoguePages.action(req, back: back(mid), success: req.t("meetingStatus.\(s.rawValue)")) { ctx in
            _ = try await MeetingService.setStatus(mid, to: s, version: b.version, in: ctx)
        }
    }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        let mid = try DialogueAPIController.id(req)
        let base = req.application.config.publicBaseURL
        return try await DialoguePages.action(req, back: back(mid, "attendance"), success: req.t("meeting.invited")) { ctx in
            _ = try await MeetingService.invite(mid, baseURL: base, in: ctx)
        }
    }

    @Sendable static func publish(_ req: Request) async throws -> Response {
        let mid = try DialogueAPIController.id(req)
        return try await DialoguePages.action(req, back: back(mid), success: req.t("meeting.published")) { ctx in _ = try await MeetingService.publish(mid, in: ctx) }
    }

    @Sendable static func approve(_ req: Request) async throws -> Response {
        let mid = try DialogueAPIController.id(req)
        return try await DialoguePages.action(req, back: back(mid), success: req.t("meeting.approved")) { ctx in _ = try await MeetingService.approve(mid, in: ctx) }
    }

    @Sendable static func rsvp(_ req: Request) async throws -> Response {
        struct B: Content { var accept: String? }
        let mid = try DialogueAPIController.id(req)
        let accept = (try? req.decodeForm(B.self))?.accept != "false"
        return try await DialoguePages.action(req, back: back(mid), success: req.t(accept ? "meeting.rsvpAccepted" : "meeting.rsvpDeclined")) { ctx in
            _ = try await MeetingService.rsvp(mid, accept: accept, in: ctx)
        }
    }

    @Sendable static func addItem(_ req: Request) async throws -> Response {
        struct B: Content { var title: String?; var description: String?; var raisedBy: String?; var secrecyProvision: String?; var secrecyReason: String? }
        let mid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(B.self)
        let count = try await DialogueQueries.agendaCount(meetingID: mid, on: req.db)
        let body = AgendaItemBody(position: count + 1, title: b.title, description: b.description, raisedBy: b.raisedBy,
                                  secrecyProvision: b.secrecyProvision ?? "", secrecyReason: b.secrecyReason)
        return try await DialoguePages.action(req, back: back(mid, "agenda"), success: req.t("saved")) { ctx in
            _ = try await MeetingService.saveAgendaItem(meetingID: mid, itemID: nil, body, in: ctx)
        }
    }

    /// The minutes form posts `minutes[<item id>]` and `decision[<item id>]` for every item, plus the introduction.
    @Sendable static func saveMinutes(_ req: Request) async throws -> Response {
        struct B: Content { var minutesIntro: String?; var minutes: [String: String]?; var decision: [String: String]?; var version: Int? }
        let mid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(B.self)
        return try await DialoguePages.action(req, back: back(mid, "agenda"), success: req.t("meeting.minutesSaved")) { ctx in
            try await MeetingService.saveMinutes(mid, intro: b.minutesIntro, minutes: b.minutes ?? [:], decisions: b.decision ?? [:], in: ctx)
        }
    }

    @Sendable static func attendance(_ req: Request) async throws -> Response {
        struct B: Content { var present: [String: String]? }
        let mid = try DialogueAPIController.id(req)
        let b = (try? req.decodeForm(B.self)) ?? B()
        let seats = try await MeetingService.find(mid, on: req.db).0
        let current = try await ForumService.currentSeats(forumID: seats.forumID, on: req.db, today: seats.day)
        let present = Set((b.present ?? [:]).filter { $0.value == "true" }.keys.map { $0.uppercased() })
        let lines = current.map { AttendanceBody.Line(seatId: $0.id!.uuidString, present: present.contains($0.id!.uuidString), rsvp: nil, substituteSeatId: nil) }
        return try await DialoguePages.action(req, back: back(mid, "attendance"), success: req.t("meeting.attendanceSaved")) { ctx in
            _ = try await MeetingService.recordAttendance(mid, AttendanceBody(lines: lines), in: ctx)
        }
    }

    @Sendable static func addAction(_ req: Request) async throws -> Response {
        struct B: Content { var text: String?; var dueOn: String?; var ownerRoleId: String? }
        let mid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(B.self)
        return try await DialoguePages.action(req, back: back(mid, "actions"), success: req.t("saved")) { ctx in
            _ = try await MeetingService.saveAction(meetingID: mid, actionID: nil, ActionBody(text: b.text, ownerRoleId: b.ownerRoleId ?? "", dueOn: b.dueOn ?? ""), in: ctx)
        }
    }

    @Sendable static func actionDone(_ req: Request) async throws -> Response {
        let aid = try DialogueAPIController.id(req)
        let a = try await DialogueQueries.action(aid, on: req.db)
        return try await DialoguePages.action(req, back: back(a.meetingID, "actions"), success: req.t("saved")) { ctx in
            _ = try await MeetingService.saveAction(meetingID: nil, actionID: aid, ActionBody(status: "done"), in: ctx)
        }
    }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        // `secrecyProvision` empty = a public document; a provision makes it secret (the same rule as the API).
        struct B: Content { var title: String?; var file: File?; var secrecyProvision: String?; var secrecyReason: String?; var titleSecret: String? }
        let mid = try DialogueAPIController.id(req)
        let b = try req.decodeForm(B.self)
        let f = DialoguePages.uploaded(b.file)
        return try await DialoguePages.action(req, back: back(mid, "documents"), success: req.t("saved")) { ctx in
            _ = try await MeetingService.addDocument(meetingID: mid, agendaItemID: nil, title: b.title, filename: f.filename, contentType: f.contentType, data: f.data,
                                                     isPublic: nil, secrecyProvision: b.secrecyProvision, secrecyReason: b.secrecyReason,
                                                     titleSecret: b.titleSecret == "true", in: ctx)
        }
    }

    // MARK: Edit form

    struct MeetingForm: Content { var title: String?; var date: String?; var startTime: String?; var endTime: String?; var location: String?; var adjusterSeatId: String?; var version: Int? }

    static func formPage(_ req: Request, _ mid: UUID, _ f: MeetingForm, errors: [FieldError]) async throws -> Response {
        let (m, forum) = try await MeetingService.find(mid, on: req.db)
        var adj: [FormField.Option] = [.init(value: "", label: req.t("form.none"))]
        for s in try await ForumService.currentSeats(forumID: forum.id!, on: req.db, today: m.day) where !s.isSubstitute {
            adj.append(.init(value: s.id!.uuidString, label: try await ForumService.holder(s, on: req.db).name, selected: f.adjusterSeatId == s.id!.uuidString))
        }
        let fields = [
            FormField("title", label: req.t("dialogue.meeting.title"), value: f.title, required: true, maxLength: 200),
            FormField("date", label: req.t("dialogue.date"), kind: .date, value: f.date, required: true),
            FormField("startTime", label: req.t("dialogue.startTime"), value: f.startTime, hint: req.t("dialogue.timeHint"), required: true, maxLength: 5),
            FormField("endTime", label: req.t("dialogue.endTime"), value: f.endTime, required: true, maxLength: 5),
            FormField("location", label: req.t("dialogue.location"), value: f.location, maxLength: 300),
            FormField("adjusterSeatId", label: req.t("dialogue.meeting.adjuster"), kind: .select, hint: req.t("dialogue.meeting.adjusterHint"), options: adj),
        ]
        let form = req.form(action: "/meetings/\(mid)/edit", submitLabel: req.t("form.save"), fields: fields, errors: errors, version: f.version, cancelHref: "/meetings/\(mid)")
        return try await req.formPage(heading: req.t("dialogue.meeting.edit"), intro: forum.name, form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let mid = try DialogueAPIController.id(req)
        let (m, _) = try await MeetingService.find(mid, on: req.db)
        return try await formPage(req, mid, MeetingForm(title: m.title, date: m.date, startTime: m.startTime, endTime: m.endTime, location: m.location,
                                                        adjusterSeatId: m.adjusterSeatID?.uuidString, version: m.version), errors: [])
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let mid = try DialogueAPIController.id(req)
        let f = try req.decodeForm(MeetingForm.self)
        do {
            _ = try await req.write { ctx in
                try await MeetingService.save(mid, MeetingBody(title: f.title, date: f.date, startTime: f.startTime, endTime: f.endTime, location: f.location,
                                                               adjusterSeatId: f.adjusterSeatId ?? "", version: f.version), in: ctx)
            }
            return req.redirect(to: "/meetings/\(mid)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await formPage(req, mid, f, errors: $0) } }
    }
}
