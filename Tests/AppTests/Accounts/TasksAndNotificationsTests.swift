import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App
@testable import SamverkaRules

/// "Att göra" and the notifications at every step of a grant, read from the outbox as the recipients would get them.
@Suite("Tasks and notifications", .serialized)
struct TasksAndNotificationsTests {
    typealias Flow = GrantFlowTests

    /// Mails the pending notifications and returns every outbox message to `email` (subject, body).
    static func mail(_ t: TestApp, to email: String, now: Date = Date()) async throws -> [(subject: String, body: String)] {
        try await NotificationService.dispatch(t.app, now: now)
        return try await OutboxMail.query(on: t.db).filter(\.$recipient == email).sort(\.$createdAt).all().map { ($0.subject, $0.body) }
    }

    static func tasks(_ t: TestApp, _ token: String) async throws -> [String: [String]] {
        let res = try await t.api(.GET, "/api/v1/me/tasks", token: token)
        try #require(res.status == .ok, "\(res.text)")
        let list = try res.decode(TaskPages.TaskList.self)
        #expect(list.total == list.items.count)
        #expect(list.counts.values.reduce(0, +) == list.total)
        return Dictionary(grouping: list.items, by: \.kind).mapValues { $0.map(\.href) }
    }

    @Test("every step of a grant sends its message to the people it concerns, and each person's start page lists what waits for them")
    func grantSteps() async throws {
        try await TestApp.run { t in
            let w = try await Flow.world(t)
            let rep = w.representative, official = w.official, reviewer = w.reviewer

            // Before applying: the open call is on the representative's start page, and nothing on the reviewer's.
            var repTasks = try await Self.tasks(t, rep.token)
            #expect(repTasks == ["grants.call": ["/grants/calls/\(w.call.id)"]])
            #expect(try await Self.tasks(t, reviewer.token).isEmpty)

            // Received, with the diarienummer.
            let app = try await Flow.submitted(t, w)
            let dnr = try #require(try await GrantApplication.find(app.id, on: t.db)?.diarienummer)
            var repMail = try await Self.mail(t, to: rep.email)
            #expect(repMail.count == 1)
            #expect(repMail.last?.subject == "Ansökan mottagen – \(dnr)")
            #expect(repMail.last?.body.contains("/grants/applications/\(app.id)") == true)
            #expect(try await Self.tasks(t, rep.token)["grants.call"] == nil)
            #expect(try await Self.tasks(t, official.token) == ["grants.decide": ["/grants/applications/\(app.id)/decide"]])

            // Reviewer assigned: the reviewer hears of it and sees it to do; the official does not.
            let assigned = try await t.api(.POST, "/api/v1/grants/applications/\(app.id)/reviews", token: official.token, json: ["reviewerId": reviewer.id])
            let review = try assigned.decode(ReviewDTO.self)
            let reviewerMail = try await Self.mail(t, to: reviewer.email)
            #expect(reviewerMail.map(\.subject) == ["Ansökan att bedöma: Funktionsrätt Testlän"])
            #expect(try await Self.tasks(t, reviewer.token) == ["grants.review": ["/grants/reviews/\(review.id)"]])
            #expect(try await Self.tasks(t, official.token)["grants.review"] == nil)
            let done = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: reviewer.token,
                                       json: ReviewBody(jav: false, scores: ["relevans": 4, "genomforbarhet": 3], complete: true, version: review.version))
            #expect(done.status == .ok, "\(done.text)")
            #expect(try await Self.tasks(t, reviewer.token).isEmpty)

            // Decision with the letter: the outcome in words, the amount and the link to the letter.
            let decision = try await Flow.decide(t, w, app.id, outcome: "partly", amount: 8_000_000)
            repMail = try await Self.mail(t, to: rep.email)
            #expect(repMail.last?.subject == "Beslut: Verksamhetsbidrag – Delvis beviljat")
            #expect(repMail.last?.body.contains(Money.format(8_000_000)) == true)
            #expect(repMail.last?.body.contains("/grants/decisions/\(decision.id)") == true)
            var offTasks = try await Self.tasks(t, official.token)
            #expect(offTasks["grants.decide"] == nil)
            #expect(offTasks["grants.attest"]?.count == 1)

            // Payment attested by a colleague and paid: the organisation hears of the payment only.
            let pays = try await t.api(.GET, "/api/v1/grants/payments?programme=\(w.programme.id)", token: official.token).json()
            let payID = try #require(pays["items"]?[0]?["id"]?.stringValue)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(payID)/approve", token: w.colleague.token).status == .ok)
            offTasks = try await Self.tasks(t, official.token)
            #expect(offTasks["grants.attest"] == nil)
            #expect(offTasks["grants.pay"]?.count == 1)
            let before = try await Self.mail(t, to: rep.email).count
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(payID)/paid", token: official.token).status == .ok)
            repMail = try await Self.mail(t, to: rep.email)
            #expect(repMail.count == before + 1)
            #expect(repMail.last?.subject == "Utbetalning: \(Money.format(8_000_000)) från Verksamhetsbidrag")

            // Report due soon and then overdue: one reminder each, however often the job runs.
            let report = try #require(try await GrantReport.query(on: t.db).filter(\.$organisationID == w.org).first())
            let reportID = try #require(report.id)
            repTasks = try await Self.tasks(t, rep.token)
            #expect(repTasks["grants.report"] == ["/grants/reports/\(reportID)"])
            let due = LocalDate(stored: report.dueOn)
            try await GrantNotifications.remind(t.app, today: due.adding(days: -3))
            try await GrantNotifications.remind(t.app, today: due.adding(days: -2))
            try await GrantNotifications.remind(t.app, today: due.adding(days: 1))
            try await GrantNotifications.remind(t.app, today: due.adding(days: 2))
            repMail = try await Self.mail(t, to: rep.email)
            #expect(repMail.filter { $0.subject.hasPrefix("Redovisning senast \(report.dueOn)") }.count == 1)
            #expect(repMail.filter { $0.subject.hasPrefix("Försenad redovisning") }.count == 1)

            // Completion requested, with the official's comment.
            let put = try await t.api(.PUT, "/api/v1/grants/reports/\(reportID)", token: rep.token,
                                      json: ReportBody(actualCostsOre: 6_000_000, narrative: "Tolv träffar.", version: report.version))
            #expect(put.status == .ok, "\(put.text)")
            #expect(try await Self.tasks(t, official.token)["grants.reportReview"] == ["/grants/reports/\(reportID)"])
            _ = try await t.api(.POST, "/api/v1/grants/reports/\(reportID)/request-completion", token: official.token, json: ["comment": "Bifoga deltagarlistor."])
            repMail = try await Self.mail(t, to: rep.email)
            #expect(repMail.last?.subject.hasPrefix("Komplettera redovisningen") == true)
            #expect(repMail.last?.body.contains("Bifoga deltagarlistor.") == true)

            // Reclaim decided, with how to pay.
            let reclaim = try await t.api(.POST, "/api/v1/grants/reclaims", token: official.token,
                                          json: ReclaimBody(decisionId: decision.id.uuidString, amountOre: 2_000_000, reason: "Ej förbrukade medel."))
            #expect(reclaim.status == .created)
            repMail = try await Self.mail(t, to: rep.email)
            #expect(repMail.last?.subject == "Återkrav: \(Money.format(2_000_000)) – Verksamhetsbidrag")
            #expect(repMail.last?.body.contains("ange \(decision.diarienummer) som referens") == true)
            let reclaimID = try reclaim.decode(ReclaimDTO.self).id
            #expect(try await Self.tasks(t, rep.token)["grants.reclaim"] == ["/grants/reclaims/\(reclaimID)"])
            // The reclaim as a letter: the organisation reads what to pay, by when and with which reference; nobody else.
            let letterBrowser = Browser(t)
            try await letterBrowser.signIn(rep.email)
            let letter = try await letterBrowser.get("/grants/reclaims/\(reclaimID)")
            #expect(letter.status == .ok)
            #expect(letter.text.contains("Beslut om återkrav, \(decision.diarienummer)"))
            #expect(letter.text.contains("ange \(decision.diarienummer) som referens"))
            #expect(letter.text.contains("Ej förbrukade medel."))
            let stranger = Browser(t)
            try await stranger.signIn(reviewer.email)
            #expect(try await stranger.get("/grants/reclaims/\(reclaimID)").status == .notFound)

            // The same messages are listed in the app, unread until read; another user cannot mark them.
            let list = try await t.api(.GET, "/api/v1/me/notifications?unread=true", token: rep.token).json()
            let total = try #require(list["metadata"]?["total"]?.doubleValue.map { Int($0) })
            #expect(total == repMail.count)
            let firstID = try #require(list["items"]?[0]?["id"]?.stringValue)
            #expect(try await t.api(.POST, "/api/v1/me/notifications/\(firstID)/read", token: reviewer.token).status == .notFound)
            #expect(try await t.api(.POST, "/api/v1/me/notifications/\(firstID)/read", token: rep.token).status == .noContent)
            #expect(try await t.api(.GET, "/api/v1/me/notifications?unread=true", token: rep.token).json()["metadata"]?["total"] == .int(total - 1))

            // Pages: the start page after sign-in, and the notification list.
            let b = Browser(t)
            let signIn = try await b.signIn(rep.email)
            #expect(signIn.status == .seeOther)
            let page = try await b.get("/tasks")
            #expect(page.status == .ok)
            #expect(page.text.contains("Redovisningar att lämna"))
            #expect(page.text.contains("/grants/reports/\(reportID)"))
            #expect(page.text.contains("Återkrav att betala"))
            #expect(!page.text.contains("Ansökningar att besluta om"))
            #expect(try await b.get("/notifications").text.contains("Återkrav: \(Money.format(2_000_000))"))
        }
    }

    @Test("delivery follows each person's choice: a daily digest, nothing by mail, English for English readers; calls only to those who asked")
    func preferences() async throws {
        try await TestApp.run { t in
            let w = try await Flow.world(t)
            // An unknown kind is a field error; nothing is saved.
            let bad = try await t.api(.PUT, "/api/v1/me/notification-preferences", token: w.representative.token,
                                      json: [["kind": "nonsense", "mode": "now"]])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemFields == ["nonsense"])
            #expect(try await t.count("notification_preferences") == 0)
            // The representative takes received-notices as a digest; the reviewer wants no mail; a second representative reads English.
            #expect(try await t.api(.PUT, "/api/v1/me/notification-preferences", token: w.representative.token,
                                    json: [["kind": "grantReceived", "mode": "digest"], ["kind": "grantCallOpened", "mode": "now"]]).status == .ok)
            #expect(try await t.api(.PUT, "/api/v1/me/notification-preferences", token: w.reviewer.token,
                                    json: [["kind": "grantReviewer", "mode": "none"]]).status == .ok)
            let english = try await t.user(.representative, organisation: w.org)
            let u = try #require(try await User.find(english.id, on: t.db))
            u.language = "en"
            try await u.save(on: t.db)
            let prefs = try await t.api(.GET, "/api/v1/me/notification-preferences", token: w.representative.token).json()
            #expect(prefs.arrayValue?.first { $0["kind"] == "grantReceived" }?["mode"] == "digest")
            #expect(prefs.arrayValue?.first { $0["kind"] == "grantDecision" }?["mode"] == "now")

            // The call opened: only the representative who asked hears of it, once.
            try await GrantNotifications.remind(t.app)
            try await GrantNotifications.remind(t.app)
            #expect(try await Self.mail(t, to: w.representative.email).map(\.subject) == ["Ny utlysning: \(w.call.title)"])
            #expect(try await Self.mail(t, to: english.email).isEmpty)

            let app = try await Flow.submitted(t, w)
            // Now: the English reader gets English at once; the digest waits.
            #expect(try await Self.mail(t, to: english.email).map(\.subject).first?.hasPrefix("Application received – ") == true)
            #expect(try await Self.mail(t, to: w.representative.email).count == 1)
            // The next morning after 07:00 the digest goes out, once.
            let tomorrow = Date().addingTimeInterval(86_400 + 3600)
            let digest = try await Self.mail(t, to: w.representative.email, now: tomorrow)
            #expect(digest.count == 2)
            #expect(digest.last?.subject == "Samverka: 1 ny avisering")
            #expect(digest.last?.body.contains("/grants/applications/\(app.id)") == true)
            #expect(try await Self.mail(t, to: w.representative.email, now: tomorrow.addingTimeInterval(86_400)).count == 2)

            // No mail for the reviewer, but the notice is in the app.
            _ = try await t.api(.POST, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token, json: ["reviewerId": w.reviewer.id])
            #expect(try await Self.mail(t, to: w.reviewer.email).isEmpty)
            let listed = try await t.api(.GET, "/api/v1/me/notifications", token: w.reviewer.token).json()
            #expect(listed["items"]?[0]?["kind"] == "grantReviewer")
            #expect(listed["items"]?[0]?["subject"] == "Ansökan att bedöma: Funktionsrätt Testlän")

            // The page form saves the same choices; the export has them; erasure removes them.
            let b = Browser(t)
            _ = try await b.signIn(w.reviewer.email)
            #expect(try await b.get("/account").text.contains("mode_grantReviewer"))
            let saved = try await b.post("/account/notifications", [("mode_grantDecision", "digest")])
            #expect(saved.status == .seeOther)
            #expect(try await NotificationService.preferences(userID: w.reviewer.id, on: t.db)["grantDecision"] == .digest)
            let export = try await t.api(.GET, "/api/v1/me/export", token: w.reviewer.token).json()
            #expect(export["notifications"]?.arrayValue?.count == 1)
            #expect(export["notificationPreferences"]?.arrayValue?.count == 2)
        }
    }

    @Test("a council's people see what they owe: invitations to answer, minutes to approve, questions to answer, consultations to respond to")
    func dialogueTasks() async throws {
        try await TestApp.run { t in
            let w = try await DialogueFlowTests.world(t)
            let planned = try await t.api(.POST, "/api/v1/forums/\(w.forum.id)/plan?year=\(LocalDate.today().year + 1)", token: w.official.token)
            let m = try #require(try planned.decode([MeetingDTO].self).first)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/status", token: w.official.token, json: ["status": "confirmed"]).status == .ok)
            // Nothing before the invitation goes out.
            #expect(try await Self.tasks(t, w.member.token).isEmpty)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/invite", token: w.official.token).status == .ok)
            #expect(try await Self.tasks(t, w.member.token) == ["dialogue.rsvp": ["/meetings/\(m.id)"]])
            #expect(try await Self.tasks(t, w.chair.token) == ["dialogue.rsvp": ["/meetings/\(m.id)"]])
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/rsvp", token: w.member.token, json: ["accept": true]).status == .ok)
            #expect(try await Self.tasks(t, w.member.token).isEmpty)

            // Held today with the member as adjuster: chair and adjuster each owe an approval until they give it.
            func version() async throws -> Int { try await t.api(.GET, "/api/v1/meetings/\(m.id)").decode(MeetingDTO.self).version }
            #expect(try await t.api(.PUT, "/api/v1/meetings/\(m.id)", token: w.official.token,
                                    json: MeetingBody(date: LocalDate.today().description, version: try await version())).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/status", token: w.official.token, json: ["status": "held"]).status == .ok)
            #expect(try await t.api(.PUT, "/api/v1/meetings/\(m.id)/attendance", token: w.official.token, json: AttendanceBody(lines: [
                .init(seatId: w.chairSeat.id.uuidString, present: true), .init(seatId: w.memberSeat.id.uuidString, present: true)])).status == .ok)
            #expect(try await t.api(.PUT, "/api/v1/meetings/\(m.id)", token: w.official.token,
                                    json: MeetingBody(adjusterSeatId: w.memberSeat.id.uuidString, version: try await version())).status == .ok)
            #expect(try await Self.tasks(t, w.chair.token) == ["dialogue.minutes": ["/meetings/\(m.id)#minutes"]])
            #expect(try await Self.tasks(t, w.member.token) == ["dialogue.minutes": ["/meetings/\(m.id)#minutes"]])
            #expect(try await t.api(.POST, "/api/v1/meetings/\(m.id)/approve", token: w.chair.token).status == .ok)
            #expect(try await Self.tasks(t, w.chair.token).isEmpty)
            #expect(try await Self.tasks(t, w.member.token)["dialogue.minutes"]?.count == 1)

            // A question nobody owns is owed by the body's officials, not by the asker.
            let raised = try await t.api(.POST, "/api/v1/questions", token: w.representative.token,
                                         json: QuestionBody(forumId: w.forum.id.uuidString, title: "Färdtjänst", text: "Kan den kortas?", isPublic: true))
            let q = try raised.decode(QuestionDTO.self)
            #expect(try await Self.tasks(t, w.official.token) == ["dialogue.question": ["/questions/\(q.id)"]])
            #expect(try await Self.tasks(t, w.representative.token)["dialogue.question"] == nil)
            _ = try await t.api(.POST, "/api/v1/questions/\(q.id)/answer", token: w.official.token, json: AnswerBody(status: "answered", answer: "Ja, från mars."))
            #expect(try await Self.tasks(t, w.official.token).isEmpty)

            // A consultation to the forum: the organisation's representatives have it to do until one of them answers.
            let created = try await t.api(.POST, "/api/v1/consultations", token: w.official.token, json: ConsultationBody(
                bodyId: w.body.uuidString, title: "Remiss: folkhälsostrategi", description: "Förslag.", sections: [ConsultationSection(key: "mal", title: "Mål")],
                deadline: LocalDate.today().adding(days: 10).description, openToAll: false, invitedOrganisationIds: [], invitedForumIds: [w.forum.id.uuidString]))
            let c = try created.decode(ConsultationDTO.self)
            #expect(try await Self.tasks(t, w.representative.token)["dialogue.consultation"] == nil)
            _ = try await t.api(.POST, "/api/v1/consultations/\(c.id)/open", token: w.official.token)
            #expect(try await Self.tasks(t, w.representative.token) == ["dialogue.consultation": ["/consultations/\(c.id)"]])
            #expect(try await Self.tasks(t, w.official.token).isEmpty)
            #expect(try await t.api(.POST, "/api/v1/consultations/\(c.id)/responses", token: w.member.token,
                                    json: ConsultationResponseBody(generalComment: "Bra.")).status == .created)
            #expect(try await Self.tasks(t, w.representative.token).isEmpty)

            // The start page in English names the kinds in English.
            let b = Browser(t)
            try await b.signIn(w.member.email)
            let page = try await b.get("/tasks?lang=en")
            #expect(page.text.contains("Minutes to approve"))
            #expect(!page.text.contains("Protokoll att justera"))
        }
    }

    @Test("a representative sees the agreements in force in their county that their organisation has not signed, until it signs")
    func agreementSignatures() async throws {
        try await TestApp.run { t in
            let w = try await AgreementFlowTests.world(t)
            // A draft is nothing to sign.
            #expect(try await Self.tasks(t, w.representative.token)["agreements.sign"] == nil)
            _ = try await AgreementFlowTests.adopted(t, w, on: "2018-03-01")
            #expect(try await Self.tasks(t, w.representative.token) == ["agreements.sign": ["/agreements/\(w.agreement.id)/sign?organisation=\(w.org)"]])
            // An organisation in another county has nothing to sign here; an official has nothing to sign at all.
            let far = try await t.organisation("Föreningen i Norrbotten", municipalities: ["2580"])
            let farRepresentative = try await t.user(.representative, organisation: far)
            #expect(try await Self.tasks(t, farRepresentative.token)["agreements.sign"] == nil)
            #expect(try await Self.tasks(t, w.official.token)["agreements.sign"] == nil)
            // The link opens the signing form with the organisation chosen.
            let b = Browser(t)
            try await b.signIn(w.representative.email)
            let form = try await b.get("/agreements/\(w.agreement.id)/sign?organisation=\(w.org)")
            #expect(form.status == .ok)
            #expect(form.text.contains("value=\"\(w.org.uuidString)\" selected"))
            let signed = try await t.api(.POST, "/api/v1/agreements/\(w.agreement.id)/signatories", token: w.representative.token,
                                         json: SignBody(organisationId: w.org.uuidString, signedOn: "2019-03-01"))
            try #require(signed.status == .created, "\(signed.text)")
            #expect(try await Self.tasks(t, w.representative.token).isEmpty)
        }
    }

    @Test("a body's officials see each IOP at the step it has reached, and agreements ending within 90 days; nobody else does")
    func partnershipSteps() async throws {
        try await TestApp.run { t in
            let w = try await PartnershipFlowTests.world(t)
            let (official, stranger, rep) = (w.official, w.stranger, w.rep)
            let p = try w.created.decode(PartnershipDTO.self)
            #expect(try await Self.tasks(t, official.token) == ["partnerships.initiative": ["/partnerships/\(p.id)"]])
            #expect(try await Self.tasks(t, stranger.token).isEmpty)
            #expect(try await Self.tasks(t, rep.token)["partnerships.initiative"] == nil)
            #expect(try await PartnershipFlowTests.move(t, official.token, p.id, to: "analysis").status == .ok)
            #expect(try await Self.tasks(t, official.token) == ["partnerships.analysis": ["/partnerships/\(p.id)"]])
            // In force: listed only when it ends within 90 days (overdue once the end has passed).
            try await t.db.write(as: .system("test")) { ctx in
                let x = try await Partnership.require(p.id, on: ctx.db)
                x.state = .active
                x.periodFrom = "2020-01-01"
                x.periodTo = LocalDate.today().adding(days: 200).description
                try await x.save(on: ctx.db)
            }
            #expect(try await Self.tasks(t, official.token).isEmpty)
            try await t.db.write(as: .system("test")) { ctx in
                let x = try await Partnership.require(p.id, on: ctx.db)
                x.periodTo = LocalDate.today().adding(days: 30).description
                try await x.save(on: ctx.db)
            }
            #expect(try await Self.tasks(t, official.token) == ["partnerships.ending": ["/partnerships/\(p.id)"]])
        }
    }

    @Test("the digest is due once the 07:00 after the notice has passed")
    func digestRule() {
        let cal = Calendar.stockholm
        let evening = cal.date(from: DateComponents(year: 2026, month: 12, day: 1, hour: 20))!
        let nextMorning6 = cal.date(from: DateComponents(year: 2026, month: 12, day: 2, hour: 6))!
        let nextMorning8 = cal.date(from: DateComponents(year: 2026, month: 12, day: 2, hour: 8))!
        #expect(!NotificationRules.digestDue(createdAt: evening, now: nextMorning6))
        #expect(NotificationRules.digestDue(createdAt: evening, now: nextMorning8))
        let early = cal.date(from: DateComponents(year: 2026, month: 12, day: 2, hour: 6, minute: 30))!
        #expect(!NotificationRules.digestDue(createdAt: early, now: early.addingTimeInterval(60)))
        #expect(NotificationRules.digestDue(createdAt: early, now: nextMorning8))
        let today = LocalDate(year: 2026, month: 12, day: 1)!
        #expect(NotificationRules.reportDueSoon(dueOn: today.adding(days: 14), today: today))
        #expect(!NotificationRules.reportDueSoon(dueOn: today.adding(days: 15), today: today))
        #expect(!NotificationRules.reportDueSoon(dueOn: today.adding(days: -1), today: today))
        #expect(NotificationRules.reportOverdue(dueOn: today.adding(days: -1), today: today))
        #expect(NotificationRules.mode(kind: "a", chosen: ["a": .digest], defaultMode: .now) == .digest)
        #expect(NotificationRules.mode(kind: "b", chosen: ["a": .digest], defaultMode: .none) == .none)
    }
}
