import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// A council's year over the API and the pages, questions with feedback, a consultation and an event, on both databases.
@Suite("Dialogue flow", .serialized)
struct DialogueFlowTests {
    struct World {
        var body: UUID, org: UUID, official: TestApp.TestUser, chair: TestApp.TestUser, member: TestApp.TestUser, representative: TestApp.TestUser
        var forum: ForumDTO, chairSeat: SeatDTO, memberSeat: SeatDTO, substitute: SeatDTO
    }

    static func world(_ t: TestApp) async throws -> World {
        let body = try await t.region("17", name: "Region Värmland")
        let org = try await t.organisation("PRO Testlän", orgnr: "802000-0009", level: "regional", areas: ["pensioners"], municipalities: ["1780"])
        let official = try await t.user(.official, body: body)
        let chair = try await t.user(.politician, body: body)
        let member = try await t.user(.representative, organisation: org)
        let representative = try await t.user(.representative, organisation: org)
        let fres = try await t.api(.POST, "/api/v1/forums", token: official.token, json: ForumBody(
            bodyId: body.uuidString, name: "Pensionärsrådet", kind: "pensionarsrad", purpose: "Samråd med pensionärsorganisationerna.",
            themes: ["verksamhet"], participationLevel: "samrad", isPublic: true,
            composition: [CompositionRule(category: "politician", min: 1), CompositionRule(category: "organisation", min: 2)],
            cadence: Cadence(meetingsPerYear: 4, weekday: 3, extra: [.init(month: 10, title: "Höstmöte om regionplan och budget")]),
            feedbackDays: 30, feedbackByNextMeeting: false, location: "Regionens hus"))
        try #require(fres.status == .created, "\(fres.text)")
        let forum = try fres.decode(ForumDTO.self)
        func seat(_ b: SeatBody) async throws -> SeatDTO {
            let r = try await t.api(.POST, "/api/v1/forums/\(forum.id)/seats", token: official.token, json: b)
            try #require(r.status == .created, "\(r.text)")
            return try r.decode(SeatDTO.self)
        }
        let from = "\(LocalDate.today().year - 1)-01-01"
        let chairSeat = try await seat(SeatBody(category: "politician", position: "chair", holderName: "Ordförande", holderEmail: chair.email, termFrom: from))
        let memberSeat = try await seat(SeatBody(category: "organisation", position: "member", organisationId: org.uuidString, holderName: "Ledamot", holderEmail: member.email, termFrom: from))
        let substitute = try await seat(SeatBody(category: "organisation", position: "member", organisationId: org.uuidString, holderName: "Ersättare",
                                                 holderEmail: "ersattare@test.example", isSubstitute: true, substituteForId: memberSeat.id.uuidString, termFrom: from))
        return World(body: body, org: org, official: official, chair: chair, member: member, representative: representative, forum: forum,
                     chairSeat: chairSeat, memberSeat: memberSeat, substitute: substitute)
    }

    @Test("a secretary runs a meeting: plan, confirm, agenda, invite, RSVP with substitute, attendance, minutes, approval, publication")
    func councilYear() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let year = LocalDate.today().year + 1
            let planned = try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/plan?year=\(year)", token: w.official.token)
            try #require(planned.status == .created, "\(planned.text)")
            let meetings = try planned.decode([MeetingDTO].self)
            #expect(meetings.count == 5)
            #expect(meetings.contains { $0.isExtra && $0.date == "\(year)-10-\(CadenceRules.weekday(3, n: 0, month: 10, year: year).day)" })
            // Planning again adds nothing.
            #expect(try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/plan?year=\(year)", token: w.official.token).decode([MeetingDTO].self).isEmpty)
            // A representative may not plan.
            #expect(try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/plan?year=\(year)", token: w.representative.token).status == .forbidden)
            let m = meetings[0]
            // Invitations need a confirmed date.
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/invite", token: w.official.token).status == .conflict)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/status", token: w.official.token, json: ["status": "confirmed"]).status == .ok)
            let item = try await t.api(.POST, "/api/v1/meetings/\(m.id)/agenda", token: w.official.token,
                                       json: AgendaItemBody(position: 1, title: "Färdtjänst", raisedBy: "PRO Testlän"))
            try #require(item.status == .created, "\(item.text)")
            let agendaID = try item.decode(AgendaItemDTO.self).id
            let before = try await OutboxMail.query(on: t.db).count()
            let sent = try await t.api(.POST, "/api/v1/meetings/\(m.id)/invite", token: w.official.token).json()
            #expect(sent["sent"] == .int(3))
            let mails = try await OutboxMail.query(on: t.db).all().dropFirst(before)
            #expect(mails.contains { $0.recipient == w.member.email && $0.body.contains("Färdtjänst") })
            // The member cannot come: the substitute is called in.
            let rsvp = try await t.api(.POST, "/api/v1/meetings/\(m.id)/rsvp", token: w.member.token, json: ["accept": false])
            try #require(rsvp.status == .ok, "\(rsvp.text)")
            #expect(try rsvp.decode(AttendanceDTO.self).substituteName == "Ersättare")
            #expect(try await OutboxMail.query(on: t.db).filter(\.$recipient == "ersattare@test.example").all().contains { $0.subject.contains("ersättare") })
            // Someone without a seat may not answer.
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/rsvp", token: w.representative.token, json: ["accept": true]).status == .forbidden)
            // A meeting is not held before its day.
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/status", token: w.official.token, json: ["status": "held"]).problemFields == ["status"])
            let moved = try await t.api(.PUT, "/api/v1/meetings/\(m.id)", token: w.official.token, json: MeetingBody(
                date: LocalDate.today().description, version: try await t.api(.GET, "/api/v1/meetings/\(m.id)").decode(MeetingDTO.self).version))
            try #require(moved.status == .ok, "\(moved.text)")
            // Held: attendance with quorum, minutes per item.
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/status", token: w.official.token, json: ["status": "held"]).status == .ok)
            let att = try await t.api(.PUT, "/api/v1/meetings/\(m.id)/attendance", token: w.official.token, json: AttendanceBody(lines: [
                .init(seatId: w.chairSeat.id.uuidString, present: true), .init(seatId: w.substitute.id.uuidString, present: true),
                .init(seatId: w.memberSeat.id.uuidString, present: false)]))
            try #require(att.status == .ok, "\(att.text)")
            let quorum = try #require(try att.decode(MeetingDTO.self).quorum)
            #expect(quorum.ordinarySeats == 2 && quorum.present == 2 && quorum.hasQuorum)
            #expect(try await t.api(.PUT, "/api/v1/agenda-items/\(agendaID)", token: w.official.token,
                                    json: AgendaItemBody(minutes: "Regionen svarar till nästa möte.", decision: "Frågan bereds.")).status == .ok)
            // Minutes are not public before publication.
            #expect(try await t.api(.GET, "/api/v1/meetings/\(m.id)").decode(MeetingDTO.self).agenda?.first?.minutes == "")
            // Publication needs both the chair's and the adjuster's approval. The chair cannot be the adjuster, and an
            // adjuster who declined and was absent cannot approve.
            func version() async throws -> Int { try await t.api(.GET, "/api/v1/meetings/\(m.id)").decode(MeetingDTO.self).version }
            #expect(try await t.api(.PUT, "/api/v1/meetings/\(m.id)", token: w.official.token,
                                    json: MeetingBody(adjusterSeatId: w.chairSeat.id.uuidString, version: try await version())).problemFields == ["adjusterSeatId"])
            #expect(try await t.api(.PUT, "/api/v1/meetings/\(m.id)", token: w.official.token,
                                    json: MeetingBody(adjusterSeatId: w.memberSeat.id.uuidString, version: try await version())).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/publish", token: w.official.token).status == .conflict)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/approve", token: w.representative.token).status == .forbidden)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/approve", token: w.chair.token).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/approve", token: w.chair.token).status == .conflict)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/approve", token: w.member.token).problemFields == ["status"])
            // The substitute who stood in (and was present) adjusts. Their seat was given to an e-mail address before they had
            // an account; the account, made now, is linked to the seat.
            let standIn = try await t.user(.representative, organisation: w.org, email: "ersattare@test.example")
            #expect(try await t.api(.PUT, "/api/v1/meetings/\(m.id)", token: w.official.token,
                                    json: MeetingBody(adjusterSeatId: w.substitute.id.uuidString, version: try await version())).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/approve", token: standIn.token).status == .ok)
            let published = try await t.api(.POST, "/api/v1/meetings/\(m.id)/publish", token: w.official.token)
            try #require(published.status == .ok, "\(published.text)")
            let pub = try await t.api(.GET, "/api/v1/meetings/\(m.id)").decode(MeetingDTO.self)
            #expect(pub.status == "published" && pub.agenda?.first?.minutes == "Regionen svarar till nästa möte.")
            // Published minutes are locked.
            #expect(try await t.api(.PUT, "/api/v1/agenda-items/\(agendaID)", token: w.official.token, json: AgendaItemBody(minutes: "Ändrat")).status == .conflict)
            // An impossible version is refused (found by schemathesis), and nothing is recorded.
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/actions", token: w.official.token,
                                    json: ActionBody(text: "Ogiltig", version: -4)).status == .unprocessableEntity)
            #expect(try await t.count("meeting_actions") == 0)
            let action = try await t.api(.POST, "/api/v1/meetings/\(m.id)/actions", token: w.official.token,
                                         json: ActionBody(text: "Bjud in kollektivtrafiken.", dueOn: LocalDate.today().adding(days: -1).description))
            try #require(action.status == .created, "\(action.text)")
            #expect(try action.decode(ActionDTO.self).overdue)
            // The forum's calendar feed has every meeting; the page shows the minutes to a visitor.
            let ics = try await t.send(.GET, "/forums/\(w.forum.id)/calendar.ics")
            #expect(ics.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(ics.body.string.components(separatedBy: "BEGIN:VEVENT").count - 1 == 5)
            let page = try await Browser(t).get("/meetings/\(m.id)")
            #expect(page.status == .ok && page.text.contains("Regionen svarar till nästa möte."))
        }
    }

    @Test("seats: history kept when a holder is replaced; composition warnings; seats through a role follow the role")
    func seats() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            #expect(try await t.api(.GET, "/api/v1/forums/\(w.forum.id)").decode(ForumDTO.self).compositionWarnings.map(\.category) == ["organisation"])
            let replaced = try await t.api(.POST, "/api/v1/seats/\(w.chairSeat.id)/replace", token: w.official.token,
                                           json: SeatBody(holderName: "Ny ordförande", termFrom: LocalDate.today().description))
            try #require(replaced.status == .created, "\(replaced.text)")
            #expect(try replaced.decode(SeatDTO.self).previousId == w.chairSeat.id)
            let all = try await t.api(.GET, "/api/v1/forums/\(w.forum.id)/seats?history=true").decode([SeatDTO].self)
            #expect(all.contains { $0.holderName == "Ordförande" && !$0.isCurrent })
            #expect(try await t.api(.GET, "/api/v1/forums/\(w.forum.id)/seats").decode([SeatDTO].self).contains { $0.holderName == "Ny ordförande" })
            // A seat held through a Directory role: the role's holder sits, and a handover changes the holder.
            let unit = try await t.unit(body: w.body, name: "Regionledningskontoret")
            let role = try await t.db.write(as: .system("test")) { ctx in
                try await RoleService.saveRole(nil, ContactRoleBody(title: "Sekreterare", description: "", unitId: unit.uuidString, email: "sekr@test.example"), in: ctx)
            }
            _ = try await t.db.write(as: .system("test")) { ctx in try await RoleService.handover(role.id!, HandoverBody(holderName: "Anna", holderEmail: nil, startsOn: "2024-01-01"), in: ctx) }
            let viaRole = try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/seats", token: w.official.token,
                                          json: SeatBody(category: "official", position: "secretary", contactRoleId: role.id!.uuidString, termFrom: "2024-01-01"))
            try #require(viaRole.status == .created, "\(viaRole.text)")
            #expect(try viaRole.decode(SeatDTO.self).holderName == "Anna")
            _ = try await t.db.write(as: .system("test")) { ctx in try await RoleService.handover(role.id!, HandoverBody(holderName: "Bertil", holderEmail: nil, startsOn: LocalDate.today().description), in: ctx) }
            #expect(try await t.api(.GET, "/api/v1/forums/\(w.forum.id)/seats").decode([SeatDTO].self).contains { $0.holderName == "Bertil" })
            // Bad input: the failing fields, nothing written.
            let seatsBefore = try await t.count("forum_seats")
            let bad = try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/seats", token: w.official.token, json: SeatBody(category: "organisation", termFrom: "2026-13-01"))
            #expect(bad.status == .unprocessableEntity)
            let fields = try bad.json()["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(Set(fields).isSuperset(of: ["organisationId", "termFrom", "holderName"]))
            #expect(try await t.count("forum_seats") == seatsBefore)
        }
    }

    @Test("a question gets an owner, a deadline and an answer the asker sees; the feedback rate counts it")
    func questions() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let raised = try await t.api(.POST, "/api/v1/questions", token: w.representative.token,
                                         json: QuestionBody(forumId: w.forum.id.uuidString, title: "Färdtjänstens beställningstid", text: "Kan den kortas?", isPublic: true))
            try #require(raised.status == .created, "\(raised.text)")
            let q = try raised.decode(QuestionDTO.self)
            #expect(q.status == "received" && q.organisationId == w.org && q.deadline == LocalDate.today().adding(days: 30).description)
            let secret = try await t.api(.POST, "/api/v1/questions", token: w.representative.token,
                                         json: QuestionBody(forumId: w.forum.id.uuidString, title: "Intern fråga", text: "Bara till regionen.", isPublic: false))
            let s = try secret.decode(QuestionDTO.self)
            // Public to all; the non-public one only to the asker's side and the body.
            #expect(try await t.api(.GET, "/api/v1/questions/\(q.id)").status == .ok)
            #expect(try await t.api(.GET, "/api/v1/questions/\(s.id)").status == .unauthorized)
            #expect(try await t.api(.GET, "/api/v1/questions/\(s.id)", token: w.chair.token).status == .forbidden)
            #expect(try await t.api(.GET, "/api/v1/questions/\(s.id)", token: w.official.token).status == .ok)
            // The forum page filters the forum's questions in memory (`QuestionService.mayList`): the same questions
            // as the database's filter (`visible`), for a visitor, the asker, a seat holder and the body's official.
            var principals = [Principal.anonymous]
            for user in [w.representative, w.chair, w.official] {
                principals.append(try #require(try await AccountService.principal(forUserID: user.id, method: .session, on: t.db)))
            }
            let inForum = try await DialogueQueries.questions(forumID: w.forum.id, on: t.db)
            var listed: [Set<UUID>] = []
            for p in principals {
                let byDatabase = Set(try await DialogueQueries.newestQuestions(visibleTo: p, .init(forumID: w.forum.id), limit: 100, on: t.db).map { try $0.requireID() })
                let inMemory = Set(try inForum.filter { QuestionService.mayList($0, p) }.map { try $0.requireID() })
                #expect(byDatabase == inMemory, "\(p.userID?.uuidString ?? "visitor")")
                listed.append(inMemory)
            }
            #expect(listed == [[q.id], [q.id, s.id], [q.id], [q.id, s.id]])
            // Answering needs a written answer.
            #expect(try await t.api(.POST, "/api/v1/questions/\(q.id)/answer", token: w.official.token, json: AnswerBody(status: "answered", answer: "")).status == .unprocessableEntity)
            #expect(try await t.api(.POST, "/api/v1/questions/\(q.id)/answer", token: w.representative.token, json: AnswerBody(status: "answered", answer: "x")).status == .forbidden)
            let answered = try await t.api(.POST, "/api/v1/questions/\(q.id)/answer", token: w.official.token,
                                           json: AnswerBody(status: "answered", answer: "Beställningstiden blir en timme från 1 mars."))
            try #require(answered.status == .ok, "\(answered.text)")
            let mine = try await t.api(.GET, "/api/v1/questions?mine=raised", token: w.representative.token).decode(Paged<QuestionDTO>.self)
            #expect(mine.items.contains { $0.id == q.id && $0.answer.hasPrefix("Beställningstiden") && $0.answeredOn == LocalDate.today().description })
            let rates = try await t.api(.GET, "/api/v1/questions/feedback-rate?body=\(w.body)").decode([FeedbackRateDTO].self)
            let forumRate = try #require(rates.first { $0.scope == "forum" })
            #expect(forumRate.questions == 2 && forumRate.answeredInTime == 1 && forumRate.pending == 1 && forumRate.share == 1 && forumRate.medianDays == 0)
            // A reminder goes to the owner once, shortly before the deadline.
            let unit = try await t.unit(body: w.body, name: "Regionledningskontoret")
            let role = try await t.db.write(as: .system("test")) { ctx in
                try await RoleService.saveRole(nil, ContactRoleBody(title: "Sekreterare i Pensionärsrådet", description: "", unitId: unit.uuidString, email: "pr@test.example"), in: ctx)
            }
            try await DialogueQuestion.query(on: t.db).filter(\.$id == s.id).set(\.$deadline, to: LocalDate.today().adding(days: 2).description)
                .set(\.$ownerRoleID, to: role.id).update()
            #expect(try await QuestionService.sendReminders(t.app) == 1)
            #expect(try await QuestionService.sendReminders(t.app) == 0)
            #expect(try await OutboxMail.query(on: t.db).filter(\.$recipient == "pr@test.example").all().contains { $0.subject.hasPrefix("Påminnelse") })
            // The forum page reads its rows by hand in one trip (`DialogueQueries.forumPage`): the same models, field
            // by field, as Fluent reads (an answered question, a reminded one with an owner role, seats, meetings).
            let year = LocalDate.today().year
            #expect(try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/plan?year=\(year + 1)", token: w.official.token).status == .created)
            let from = LocalDate.clamped(year: year - 1, month: 1, day: 1)
            let page = try #require(try await DialogueQueries.forumPage(w.forum.id, meetingsFrom: from, on: t.db))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            func fields<M: Encodable>(_ models: [M]) throws -> Set<String> { Set(try models.map { String(decoding: try encoder.encode($0), as: UTF8.self) }) }
            #expect(try fields([page.forum]) == fields([try #require(try await Forum.find(w.forum.id, on: t.db))]))
            #expect(page.seats.count == 3 && page.questions.count == 2 && page.meetings.count == 5)
            func same(_ mine: Set<String>, _ fluent: Set<String>) -> Bool {
                mine == fluent ? true : { Issue.record("by hand only: \(mine.subtracting(fluent)); Fluent only: \(fluent.subtracting(mine))"); return false }()
            }
            #expect(same(try fields(page.seats), try fields(try await DialogueQueries.seats(forumID: w.forum.id, on: t.db).map(\.facts))))
            let fluentMeetings = try await DialogueQueries.meetings(forumID: w.forum.id, from: from, on: t.db).map { m in
                ForumPageRows.MeetingLine(id: try #require(m.id), title: m.title, date: m.date, startTime: m.startTime, endTime: m.endTime, status: m.status)
            }
            #expect(same(try fields(page.meetings), try fields(fluentMeetings)))
            #expect(page.meetings.map(\.date) == page.meetings.map(\.date).sorted())
            #expect(same(try fields(page.questions), try fields(try await DialogueQueries.questions(forumID: w.forum.id, on: t.db))))
            #expect(page.forum.$id.exists && page.questions.allSatisfy { $0.$id.exists })
            #expect(try await DialogueQueries.forumPage(UUID(), meetingsFrom: from, on: t.db) == nil)
            // The page lists those meetings: a link to each, its day in Swedish and its status's label.
            let browser = Browser(t)
            _ = try await browser.signIn(w.official.email)
            let html = try await browser.get("/forums/\(w.forum.id)").text
            for m in page.meetings {
                #expect(html.contains("<td>\(m.day.formatted("sv"))</td><th scope=\"row\"><a href=\"/meetings/\(m.id)\">"), "\(m.title) \(m.date)")
            }
            #expect(html.contains("status-planned\">Planerat</span>"))
        }
    }

    @Test("consultation: invited organisations respond per section; responses public after the deadline; compilation")
    func consultation() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let other = try await t.user(.representative, organisation: try await t.organisation("Annan förening", orgnr: "802000-0017"))
            let created = try await t.api(.POST, "/api/v1/consultations", token: w.official.token, json: ConsultationBody(
                bodyId: w.body.uuidString, title: "Remiss: folkhälsostrategi", description: "Förslag.",
                sections: [ConsultationSection(key: "mal", title: "Mål"), ConsultationSection(key: "uppf", title: "Uppföljning")],
                deadline: LocalDate.today().adding(days: 10).description, openToAll: false, invitedOrganisationIds: [], invitedForumIds: [w.forum.id.uuidString]))
            try #require(created.status == .created, "\(created.text)")
            let c = try created.decode(ConsultationDTO.self)
            // A draft is not visible outside the body.
            #expect(try await t.api(.GET, "/api/v1/consultations/\(c.id)").status == .notFound)
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/open", token: w.official.token).status == .ok)
            let r = try await t.api(.POST, "/api/v1/consultations/\(c.id)/responses", token: w.representative.token, json: ConsultationResponseBody(
                generalComment: "Bra förslag.", comments: [.init(sectionKey: "mal", comment: "Lägg till ensamhet bland äldre.")]))
            try #require(r.status == .created, "\(r.text)")
            // Not a remissinstans; an unknown section.
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/responses", token: other.token, json: ConsultationResponseBody(generalComment: "x")).status == .forbidden)
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/responses", token: w.representative.token,
                                    json: ConsultationResponseBody(comments: [.init(sectionKey: "nope", comment: "x")])).status == .unprocessableEntity)
            #expect(try await t.api(.GET, "/api/v1/consultations/\(c.id)/responses").decode([ConsultationResponseDTO].self).isEmpty)
            #expect(try await t.api(.GET, "/api/v1/consultations/\(c.id)/responses", token: w.official.token).decode([ConsultationResponseDTO].self).count == 1)
            // After the deadline: public, no more responses, outcomes recorded, compiled.
            try await Consultation.query(on: t.db).filter(\.$id == c.id).set(\.$deadline, to: LocalDate.today().adding(days: -1).description).update()
            let pub = try await t.api(.GET, "/api/v1/consultations/\(c.id)/responses").decode([ConsultationResponseDTO].self)
            let comment = try #require(pub.first?.comments.first)
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/responses", token: w.representative.token, json: ConsultationResponseBody(generalComment: "Sent")).status == .conflict)
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/close", token: w.official.token).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/compile", token: w.official.token).status == .unprocessableEntity)
            #expect(try await t.api(.PUT, "/api/v1/consultation-comments/\(comment.id)/outcome", token: w.official.token,
                                    json: CommentOutcomeBody(outcome: "accepted", outcomeText: "Ensamhet lyfts i avsnitt 1.")).status == .ok)
            let done = try await t.api(.POST, "/api/v1/consultations/\(c.id)/compile", token: w.official.token)
            #expect(try done.decode(ConsultationDTO.self).status == "compiled")
            // The compilation downloads as a spreadsheet in Swedish: who said what, and the body's position on it.
            let csv = try await Browser(t).get("/consultations/\(c.id)/compilation.csv")
            #expect(csv.status == .ok)
            #expect(csv.text.contains("Remissinstans;Avsnitt;Synpunkt;Ställningstagande;Motivering;Bifogat remissvar"))
            #expect(csv.text.contains("PRO Testlän;Mål;Lägg till ensamhet bland äldre."))
            #expect(csv.text.contains("Ensamhet lyfts i avsnitt 1."))
        }
    }

    @Test("event registration with capacity, waiting list that moves up, and needs only with consent")
    func events() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let e = try await t.api(.POST, "/api/v1/events", token: w.official.token, json: EventBody(
                bodyId: w.body.uuidString, title: "Stormöte", date: LocalDate.today().adding(days: 20).description, startTime: "09:00", endTime: "15:00", capacity: 1))
            try #require(e.status == .created, "\(e.text)")
            let ev = try e.decode(EventDTO.self)
            // No location, description or survey given: the page draws none of them (no empty link to itself).
            let page = try await t.send(.GET, "/events/\(ev.id)").body.string
            #expect(page.contains("Stormöte"))
            #expect(!page.contains("href=\"\"") && !page.contains("<p class=\"prewrap\"></p>") && !page.contains("<dd></dd>"))
            #expect(try await t.api(.POST, "/api/v1/events/\(ev.id)/registrations", token: w.member.token,
                                    json: RegistrationBody(needs: "Vegetariskt")).status == .unprocessableEntity)
            let first = try await t.api(.POST, "/api/v1/events/\(ev.id)/registrations", token: w.member.token, json: RegistrationBody(needs: "Vegetariskt", needsConsent: true))
            #expect(try first.decode(RegistrationDTO.self).status == "registered")
            let second = try await t.api(.POST, "/api/v1/events/\(ev.id)/registrations", token: w.representative.token, json: RegistrationBody())
            let s = try second.decode(RegistrationDTO.self)
            #expect(s.status == "waitlisted")
            #expect(try await t.api(.POST, "/api/v1/events/\(ev.id)/registrations", token: w.representative.token, json: RegistrationBody()).status == .conflict)
            let list = try await t.api(.GET, "/api/v1/events/\(ev.id)/registrations", token: w.official.token).decode([RegistrationDTO].self)
            #expect(list.first { $0.status == "registered" }?.needs == "Vegetariskt")
            #expect(try await t.api(.GET, "/api/v1/events/\(ev.id)/registrations", token: w.member.token).status == .forbidden)
            let mine = try first.decode(RegistrationDTO.self)
            #expect(try await t.api(.POST, "/api/v1/event-registrations/\(mine.id)/cancel", token: w.representative.token).status == .notFound)
            #expect(try await t.api(.POST, "/api/v1/event-registrations/\(mine.id)/cancel", token: w.member.token).status == .ok)
            let after = try await t.api(.GET, "/api/v1/events/\(ev.id)/registrations", token: w.official.token).decode([RegistrationDTO].self)
            #expect(after.first { $0.id == s.id }?.status == "registered")
            #expect(after.first { $0.id == mine.id }?.needs == "")
        }
    }

    @Test("personal calendar: a secret feed with the user's meetings and events; a wrong token finds nothing")
    func calendarFeed() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            _ = try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/plan?year=\(LocalDate.today().year + 1)", token: w.official.token)
            let principal = Principal(userID: w.member.id, displayName: "x", grants: [], method: .session)
            let token = try await t.db.write(as: principal) { ctx in try await CalendarService.rotateFeed(in: ctx) }
            let feed = try await t.send(.GET, "/calendar/feed/\(token).ics")
            #expect(feed.status == .ok)
            #expect(feed.body.string.components(separatedBy: "BEGIN:VEVENT").count - 1 == 5)
            #expect(try await t.send(.GET, "/calendar/feed/cal_wrong.ics").status == .notFound)
            let entries = try await t.api(.GET, "/api/v1/calendar", token: w.member.token).json()
            #expect(entries.arrayValue?.count == 5)
        }
    }

    @Test("personal data: seats, questions and registrations are in the export and go with erasure")
    func personalData() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let q = try await t.api(.POST, "/api/v1/questions", token: w.member.token, json: QuestionBody(forumId: w.forum.id.uuidString, title: "Min fråga", text: "Text."))
            try #require(q.status == .created, "\(q.text)")
            let e = try await t.api(.POST, "/api/v1/events", token: w.official.token, json: EventBody(
                bodyId: w.body.uuidString, title: "Stormöte", date: LocalDate.today().adding(days: 20).description, startTime: "09:00", endTime: "15:00"))
            let ev = try e.decode(EventDTO.self)
            #expect(try await t.api(.POST, "/api/v1/events/\(ev.id)/registrations", token: w.member.token, json: RegistrationBody(needs: "Hörslinga", needsConsent: true)).status == .created)
            let export = try await GDPRService.export(userID: w.member.id, on: t.db)
            let dialogue = try #require(export["dialogue"])
            #expect(dialogue["forumSeats"]?.arrayValue?.count == 1)
            #expect(dialogue["questions"]?.arrayValue?.count == 1)
            #expect(dialogue["eventRegistrations"]?[0]?["needs"] == .string("Hörslinga"))
            try await t.db.write(as: .system("test")) { ctx in try await GDPRService.erase(userID: w.member.id, in: ctx) }
            #expect(try await EventRegistration.query(on: t.db).filter(\.$userID == w.member.id).count() == 0)
            let seat = try #require(try await ForumSeat.find(w.memberSeat.id, on: t.db))
            #expect(seat.holderName == "Raderad person" && seat.holderEmail.isEmpty && seat.userID == nil)
            let asked = try #require(try await DialogueQuestion.find(try q.decode(QuestionDTO.self).id, on: t.db))
            #expect(asked.askerName == "Raderad användare" && asked.askedBy == nil)
        }
    }
}
