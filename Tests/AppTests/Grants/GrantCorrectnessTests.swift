import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// What the law and the seeds require of a grant case beyond the happy path: jäv for reviewers and deciders,
/// diarienummer from a sequence, the Kalmar advance from last year's total, council seats as eligibility facts,
/// separation of duties, eligibility judged as of the decision, optimistic locking in the browser.
@Suite("Grants: jäv, registry, money rules", .serialized)
struct GrantCorrectnessTests {
    typealias World = GrantFlowTests.World

    static func assignReviewer(_ t: TestApp, _ w: World, app: UUID, reviewer: UUID) async throws -> ReviewDTO {
        let res = try await t.api(.POST, "/api/v1/grants/applications/\(app)/reviews", token: w.official.token, json: ["reviewerId": reviewer.uuidString])
        try #require(res.status == .created, "\(res.text)")
        return try res.decode(ReviewDTO.self)
    }

    @Test("the call form builder round-trips a call's questions through the page, adds, orders and previews questions")
    func callBuilderRoundTrip() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let b = Browser(t)
            try await b.signIn(w.official.email)
            // The help text given through the API is shown to the applicant and kept by the builder.
            let withHelp = try await GrantQueries.call(w.call.id, on: t.db)
            var specs = withHelp.fieldSpecs
            specs[0].help = "Beskriv med egna ord & exempel."
            specs.append(FormFieldSpec(key: "malgrupp", label: "Målgrupp", kind: .choice, required: true, options: ["Unga", "Äldre \"65+\""]))
            withHelp.fields = JSONText.encode(specs)
            try await withHelp.save(on: t.db)
            let before = try await GrantQueries.call(w.call.id, on: t.db)
            let edit = try await b.get("/grants/calls/\(w.call.id)/edit")
            #expect(edit.status == .ok)
            var pairs = Browser.formFields(edit.text, action: "/grants/calls/\(w.call.id)/edit")
            #expect(pairs.contains { $0.0 == "q.0.help" && $0.1 == "Beskriv med egna ord & exempel." })
            // Sent back unchanged (the empty rows the page adds are ignored), nothing changes.
            let saved = try await b.post("/grants/calls/\(w.call.id)/edit", pairs + [("action", "save")])
            #expect(saved.status == .seeOther, "\(saved.text.prefix(2000))")
            let after = try await GrantQueries.call(w.call.id, on: t.db)
            #expect(after.fieldSpecs == before.fieldSpecs)
            #expect(after.criteriaList == before.criteriaList)
            // Add a question, put it first, preview, then save (from the form as it is now, with the new version).
            pairs = Browser.formFields(try await b.get("/grants/calls/\(w.call.id)/edit").text, action: "/grants/calls/\(w.call.id)/edit")
            let more = try await b.post("/grants/calls/\(w.call.id)/edit", pairs + [("action", "addQuestion")])
            pairs = Browser.formFields(more.text, action: "/grants/calls/\(w.call.id)/edit")
            let newIndex = try #require(pairs.compactMap { $0.0.hasPrefix("q.") && $0.0.hasSuffix(".label") && $0.1.isEmpty ? $0.0.split(separator: ".")[1] : nil }.last)
            pairs = pairs.map { p in
                switch p.0 {
                case "q.\(newIndex).label": return (p.0, "Antal medlemmar")
                case "q.\(newIndex).kind": return (p.0, "number")
                case "q.\(newIndex).position": return (p.0, "0")
                default: return p
                }
            }
            let preview = try await b.post("/grants/calls/\(w.call.id)/edit", pairs + [("action", "preview")])
            #expect(preview.text.contains("Så här ser frågorna ut för den som söker") && preview.text.contains("Antal medlemmar"))
            #expect(try await GrantQueries.call(w.call.id, on: t.db).fieldSpecs == before.fieldSpecs)
            let savedNew = try await b.post("/grants/calls/\(w.call.id)/edit", pairs + [("action", "save")])
            #expect(savedNew.status == .seeOther, "\(savedNew.text.components(separatedBy: "error-summary-title").dropFirst().dropFirst().first?.prefix(700) ?? "")")
            let final = try await GrantQueries.call(w.call.id, on: t.db).fieldSpecs
            #expect(final.map(\.key) == ["antalMedlemmar"] + before.fieldSpecs.map(\.key))
            // A choice with one option is an error next to the field, and nothing is saved.
            let bad = pairs.map { $0.0 == "q.\(newIndex).kind" ? ($0.0, "choice") : $0 }
            let refused = try await b.post("/grants/calls/\(w.call.id)/edit", bad + [("action", "save")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("id=\"f-q-\(newIndex)-options-error\""))
            #expect(try await GrantQueries.call(w.call.id, on: t.db).fieldSpecs == final)
            // The applicant sees the help text with the question.
            let rb = Browser(t)
            try await rb.signIn(w.representative.email)
            let created = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                          json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
            let appID = try created.decode(ApplicationDTO.self).id
            #expect(try await rb.get("/grants/applications/\(appID)/edit").text.contains("Beskriv med egna ord &amp; exempel."))
        }
    }

    @Test("a report takes attachments while it is owed: the organisation adds, the official reads, nobody adds after it is sent")
    func reportAttachments() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            _ = try await GrantFlowTests.decide(t, w, app.id, amount: 5_000_000)
            let report = try #require(try await GrantReport.query(on: t.db).filter(\.$organisationID == w.org).first())
            let rid = try #require(report.id)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: w.representative.token)
            headers.replaceOrAdd(name: .contentType, value: "text/csv")
            let added = try await t.send(.POST, "/api/v1/grants/reports/\(rid)/attachments?filename=deltagare.csv", headers: headers, body: ByteBuffer(string: "namn\nAnna\n"))
            #expect(added.status == .created, "\(added.text)")
            // The official reads it; the application's own attachments are unchanged.
            let list = try await t.api(.GET, "/api/v1/grants/reports/\(rid)/attachments", token: w.official.token).json()
            #expect(list.arrayValue?.compactMap { $0["filename"]?.stringValue } == ["deltagare.csv"])
            #expect(try await t.api(.GET, "/api/v1/grants/applications/\(app.id)", token: w.official.token).decode(ApplicationDTO.self).attachments.map(\.kind) == ["verksamhetsberattelse"])
            // Another organisation may not add; once the report is sent nobody may.
            var other = headers
            other.bearerAuthorization = BearerAuthorization(token: w.official.token)
            #expect(try await t.send(.POST, "/api/v1/grants/reports/\(rid)/attachments?filename=x.csv", headers: other, body: ByteBuffer(string: "x")).status == .forbidden)
            #expect(try await t.api(.PUT, "/api/v1/grants/reports/\(rid)", token: w.representative.token,
                                    json: ReportBody(actualCostsOre: 5_000_000, narrative: "Klart.", version: report.version)).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/grants/reports/\(rid)/attachments?filename=sen.csv", headers: headers, body: ByteBuffer(string: "x")).status == .conflict)
            // The page lists the file with a working link.
            let b = Browser(t)
            try await b.signIn(w.official.email)
            let page = try await b.get("/grants/reports/\(rid)")
            #expect(page.text.contains("deltagare.csv"))
        }
    }

    @Test("the payee account must be one a bank can pay: bankgiro, plusgiro or IBAN with the right check digit")
    func payeeAccount() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let created = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                          json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
            var a = try created.decode(ApplicationDTO.self)
            for bad in ["5050-1056", "SE45 5000 0000 0583 9825 7467", "12345"] {
                let r = try await t.api(.PUT, "/api/v1/grants/applications/\(a.id)", token: w.representative.token, json: ApplicationBody(payeeAccount: bad, version: a.version))
                #expect(r.problemFields == ["payeeAccount"], "\(bad)")
            }
            for good in ["5050-1055", "12 34 56-6", "SE45 5000 0000 0583 9825 7466"] {
                let r = try await t.api(.PUT, "/api/v1/grants/applications/\(a.id)", token: w.representative.token, json: ApplicationBody(payeeAccount: good, version: a.version))
                #expect(r.status == .ok, "\(good): \(r.text)")
                a = try r.decode(ApplicationDTO.self)
            }
        }
    }

    @Test("a reviewer who finds a conflict after scoring declares jäv: the scores are set aside (kept in the audit); withdrawing needs a reason")
    func javAfterScoring() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            var review = try await Self.assignReviewer(t, w, app: app.id, reviewer: w.reviewer.id)
            var res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token, json: ReviewBody(jav: false, version: review.version))
            review = try res.decode(ReviewDTO.self)
            res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                  json: ReviewBody(scores: ["relevans": 5, "genomforbarhet": 4], version: review.version))
            review = try res.decode(ReviewDTO.self)
            var summary = try await t.api(.GET, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token).json()
            #expect(summary["criteria"]?[0]?["count"] == .int(1))
            // Declaring jäv after scoring is accepted, and needs a reason.
            res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token, json: ReviewBody(jav: true, version: review.version))
            #expect(res.problemFields == ["javReason"])
            res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                  json: ReviewBody(jav: true, javReason: "Min syster sitter i föreningens styrelse.", version: review.version))
            try #require(res.status == .ok, "\(res.text)")
            review = try res.decode(ReviewDTO.self)
            #expect(review.scores.isEmpty)
            summary = try await t.api(.GET, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token).json()
            #expect(summary["criteria"]?[0]?["count"] == .int(0), "the jävig reviewer's scores leave the summary")
            // The set-aside scores are in the audit log; the reason (personal) is not.
            let audit = try await AuditEvent.query(on: t.db).filter(\.$entityType == "grantReview").filter(\.$action == "declareJav").all()
            #expect(audit.count == 1)
            #expect(audit.first?.changes.contains("relevans") == true)
            #expect(audit.first?.changes.contains("syster") == false)
            // Scoring while jävig is refused.
            res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                  json: ReviewBody(scores: ["relevans": 5], version: review.version))
            #expect(res.status == .forbidden)
            // Withdrawing the declaration needs a reason, which is kept.
            res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token, json: ReviewBody(jav: false, version: review.version))
            #expect(res.problemFields == ["javWithdrawalReason"])
            res = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                  json: ReviewBody(jav: false, javWithdrawalReason: "Det var en annan förening.", version: review.version))
            #expect(res.status == .ok)
            #expect(try res.decode(ReviewDTO.self).javWithdrawalReason == "Det var en annan förening.")
        }
    }

    @Test("an admin assigned as reviewer may score; a holder of the applicant's or its parent's contact role may not")
    func reviewerTies() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            let admin = try await t.user(.admin, email: "admin-bedomare@test.example")
            // An admin holds every permission, but that is not a tie to the applicant.
            _ = try await t.db.write(as: .system("test")) { ctx in
                try await AccountService.addMembership(userID: admin.id, role: .reviewer, bodyID: w.body, organisationID: nil, in: ctx)
            }
            var r = try await Self.assignReviewer(t, w, app: app.id, reviewer: admin.id)
            r = try await t.api(.PUT, "/api/v1/grants/reviews/\(r.id)", token: admin.token, json: ReviewBody(jav: false, version: r.version)).decode(ReviewDTO.self)
            let scored = try await t.api(.PUT, "/api/v1/grants/reviews/\(r.id)", token: admin.token, json: ReviewBody(scores: ["relevans": 3], version: r.version))
            #expect(scored.status == .ok, "\(scored.text)")

            // A reviewer who is the treasurer of the applicant's parent organisation (a contact role, by e-mail) is jävig.
            let parent = try await t.organisation("Funktionsrätt Sverige", orgnr: "802000-0017", level: "national")
            let child = try await OrganisationService.input(from: try #require(try await Organisation.find(w.org, on: t.db)), on: t.db)
            _ = try await t.db.write(as: .system("test")) { ctx in
                var input = child
                input.parentID = parent.uuidString
                input.version = try await Organisation.find(w.org, on: ctx.db)?.version
                return try await OrganisationService.update(w.org, input, in: ctx)
            }
            let treasurer = try await t.user(.reviewer, body: w.body, email: "kassor@test.example")
            _ = try await t.db.write(as: .system("test")) { ctx in
                let role = try await RoleService.saveRole(nil, ContactRoleBody(title: "Kassör", organisationId: parent.uuidString), in: ctx)
                return try await RoleService.handover(role.id!, HandoverBody(holderName: "Kim Kassör", holderEmail: "kassor@test.example",
                                                                           startsOn: LocalDate.today().adding(days: -30).description), in: ctx)
            }
            var tr = try await Self.assignReviewer(t, w, app: app.id, reviewer: treasurer.id)
            tr = try await t.api(.PUT, "/api/v1/grants/reviews/\(tr.id)", token: treasurer.token, json: ReviewBody(jav: false, version: tr.version)).decode(ReviewDTO.self)
            let refused = try await t.api(.PUT, "/api/v1/grants/reviews/\(tr.id)", token: treasurer.token, json: ReviewBody(scores: ["relevans": 5], version: tr.version))
            #expect(refused.status == .forbidden)
            #expect(refused.problemFields == ["jav"])
        }
    }

    @Test("the official who decides declares jäv too: undeclared is refused, jävig is refused, a role in the applicant is refused")
    func deciderJav() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            func decide(_ token: String, jav: Bool?) async throws -> TestingHTTPResponse {
                try await t.api(.POST, "/api/v1/grants/decisions", token: token, json: DecisionBody(
                    applicationId: app.id.uuidString, outcome: "granted", amountOre: 5_000_000, motivation: "Uppfyller villkoren.", jav: jav))
            }
            #expect(try await decide(w.official.token, jav: nil).problemFields == ["jav"])
            let jävig = try await decide(w.official.token, jav: true)
            #expect(jävig.status == .forbidden)
            #expect(jävig.problemFields == ["jav"])
            // A colleague who chairs the applicant (by e-mail) cannot decide even if they say they are not jävig.
            _ = try await t.db.write(as: .system("test")) { ctx in
                let role = try await RoleService.saveRole(nil, ContactRoleBody(title: "Ordförande", organisationId: w.org.uuidString), in: ctx)
                return try await RoleService.handover(role.id!, HandoverBody(holderName: "Kollegan", holderEmail: w.colleague.email,
                                                                           startsOn: LocalDate.today().description), in: ctx)
            }
            #expect(try await decide(w.colleague.token, jav: false).status == .forbidden)
            #expect(try await t.count("grant_decisions") == 0)
            let ok = try await decide(w.official.token, jav: false)
            #expect(ok.status == .created)
            #expect(try ok.decode(DecisionDTO.self).deciderJav == false)
            #expect(try ok.decode(DecisionDTO.self).appealRoute == "laglighetsprovning")
        }
    }

    @Test("diarienummer: registered on receipt from a per-body sequence; a refused decision takes no number; a typed number may not collide")
    func registry() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let year = LocalDate.today().year
            let first = try await GrantFlowTests.submitted(t, w)
            #expect(first.diarienummer == "BID-\(year)-0001")
            #expect(first.registeredOn == LocalDate.today().description)
            let otherOrg = try await t.organisation("Andra föreningen", orgnr: "802000-0017", level: "regional", areas: ["disability"],
                                                    municipalities: ["1780", "1715", "1784"])
            let otherRep = try await t.user(.representative, organisation: otherOrg)
            var w2 = w
            w2.org = otherOrg
            w2.representative = otherRep
            let second = try await GrantFlowTests.submitted(t, w2)
            #expect(second.diarienummer == "BID-\(year)-0002")
            // Another body has its own series.
            let kalmar = try await t.region("08", name: "Region Kalmar län")
            let seq = try await t.db.write(as: .system("test")) { ctx in try await DiarieSequence.next(bodyID: kalmar, year: year, on: ctx.sql) }
            #expect(seq == "BID-\(year)-0001")
            // A typed number that looks like one from the series is refused (it would collide with a later one).
            let typed = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
                applicationId: first.id.uuidString, outcome: "granted", amountOre: 1_000_000, motivation: "OK", diarienummer: "BID-\(year)-0003", jav: false))
            #expect(typed.problemFields == ["diarienummer"])
            // The decision takes the case's own number; the failed attempts used none.
            let d = try await GrantFlowTests.decide(t, w, first.id, amount: 1_000_000)
            #expect(d.diarienummer == "BID-\(year)-0001")
            let third = try await t.db.write(as: .system("test")) { ctx in try await DiarieSequence.next(bodyID: w.body, year: year, on: ctx.sql) }
            #expect(third == "BID-\(year)-0003")
            // A number from the body's own registry is accepted.
            let own = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
                applicationId: second.id.uuidString, outcome: "granted", amountOre: 1_000_000, motivation: "OK", diarienummer: "RS \(year)/123", jav: false))
            #expect(try own.decode(DecisionDTO.self).diarienummer == "RS \(year)/123")
        }
    }

    @Test("Kalmar advance: half of the total of last year's decisions, not of one of them")
    func kalmarTotal() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t, paymentModel: "kalmar", eligibility: [])
            let year = LocalDate.today().year
            // Two calls last year, each decided for the organisation: 160 000 kr + 80 000 kr.
            for (title, amount) in [("Våren", 16_000_000), ("Hösten", 8_000_000)] {
                let call = try await t.api(.POST, "/api/v1/grants/calls", token: w.official.token, json: CallBody(
                    programmeId: w.programme.id.uuidString, title: "\(title) \(year - 1)", year: year - 1,
                    opensOn: LocalDate.today().adding(days: -10).description, closesOn: LocalDate.today().adding(days: 20).description,
                    budgetTable: false)).decode(CallDTO.self)
                let a = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                        json: ApplicationBody(callId: call.id.uuidString, organisationId: w.org.uuidString)).decode(ApplicationDTO.self)
                _ = try await t.api(.PUT, "/api/v1/grants/applications/\(a.id)", token: w.representative.token, json: ApplicationBody(requestedOre: amount, version: a.version))
                #expect(try await t.api(.POST, "/api/v1/grants/applications/\(a.id)/submit", token: w.representative.token).status == .ok)
                var lw = w
                lw.call = call
                _ = try await GrantFlowTests.decide(t, lw, a.id, amount: amount)
            }
            let adv = try await t.api(.POST, "/api/v1/grants/programmes/\(w.programme.id)/advances?year=\(year)", token: w.official.token).json()
            #expect(adv.arrayValue?.count == 1)
            #expect(adv[0]?["amountOre"] == .int(12_000_000))
        }
    }

    @Test("eligibility 'represented in a council' reads the organisation's real Dialogue seats, as of the day")
    func councilSeats() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t, eligibility: [EligibilityCondition(.representedInCouncil, text: "pensionärsråd")])
            let check = { try await t.api(.GET, "/api/v1/grants/programmes/\(w.programme.id)/eligibility?organisation=\(w.org)").json()["status"] }
            #expect(try await check() == "fail")
            let forum = try await t.api(.POST, "/api/v1/forums", token: w.official.token, json: ForumBody(
                bodyId: w.body.uuidString, name: "Pensionärsrådet", kind: "pensionarsrad", purpose: "Samråd.", themes: ["verksamhet"],
                participationLevel: "samrad", isPublic: true)).decode(ForumDTO.self)
            let seat = try await t.api(.POST, "/api/v1/forums/\(forum.id)/seats", token: w.official.token, json: SeatBody(
                category: "organisation", position: "member", organisationId: w.org.uuidString, holderName: "Ledamot",
                termFrom: LocalDate.today().adding(days: -1).description))
            #expect(seat.status == .created, "\(seat.text)")
            #expect(try await check() == "pass")
        }
    }

    @Test("separation of duties: the decider cannot attest, the attester cannot pay; an admin may relax it for a small body (audited)")
    func duties() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            _ = try await GrantFlowTests.decide(t, w, app.id, amount: 5_000_000)
            let pay = try #require(try await GrantPayment.query(on: t.db).first()?.id)
            let own = try await t.api(.POST, "/api/v1/grants/payments/\(pay)/approve", token: w.official.token)
            #expect(own.status == .forbidden)
            #expect(own.problemFields == ["status"])
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(pay)/approve", token: w.colleague.token).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(pay)/paid", token: w.colleague.token).status == .forbidden)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(pay)/paid", token: w.official.token).status == .ok)
            let paid = try #require(try await GrantPayment.find(pay, on: t.db))
            #expect(paid.approvedBy == w.colleague.id && paid.paidBy == w.official.id)

            // A very small body: an admin relaxes the rule, with a reason; then one official may do all.
            let admin = try await t.user(.admin)
            #expect(try await t.api(.PUT, "/api/v1/grants/bodies/\(w.body)/settings", token: w.official.token,
                                    json: GrantSettingsBody(relaxSeparation: true, reason: "Två anställda.")).status == .forbidden)
            #expect(try await t.api(.PUT, "/api/v1/grants/bodies/\(w.body)/settings", token: admin.token,
                                    json: GrantSettingsBody(relaxSeparation: true)).problemFields == ["reason"])
            let relaxed = try await t.api(.PUT, "/api/v1/grants/bodies/\(w.body)/settings", token: admin.token,
                                          json: GrantSettingsBody(relaxSeparation: true, reason: "Kommunen har två anställda."))
            #expect(try relaxed.decode(GrantSettingsDTO.self).relaxSeparation)
            #expect(try await AuditEvent.query(on: t.db).filter(\.$entityType == "grantBodySettings").count() == 1)
            let otherOrg = try await t.organisation("Andra föreningen", orgnr: "802000-0017", level: "regional", areas: ["disability"],
                                                    municipalities: ["1780", "1715", "1784"])
            var w2 = w
            w2.org = otherOrg
            w2.representative = try await t.user(.representative, organisation: otherOrg)
            let second = try await GrantFlowTests.submitted(t, w2)
            let d2 = try await GrantFlowTests.decide(t, w2, second.id, amount: 2_000_000)
            let pay2 = try #require(try await GrantPayment.query(on: t.db).filter(\.$decisionID == d2.id).first()?.id)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(pay2)/approve", token: w.official.token).status == .ok)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(pay2)/paid", token: w.official.token).status == .ok)
        }
    }

    @Test("a granted application is judged as of its decision: a later reclaim does not turn it red")
    func eligibilityAsOfDecision() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            let d = try await GrantFlowTests.decide(t, w, app.id, amount: 5_000_000)
            let pay = try #require(try await GrantPayment.query(on: t.db).first()?.id)
            _ = try await t.api(.POST, "/api/v1/grants/payments/\(pay)/approve", token: w.colleague.token)
            _ = try await t.api(.POST, "/api/v1/grants/payments/\(pay)/paid", token: w.official.token)
            let reclaim = try await t.api(.POST, "/api/v1/grants/reclaims", token: w.official.token,
                                          json: ReclaimBody(decisionId: d.id.uuidString, amountOre: 1_000_000, reason: "Ej förbrukat."))
            #expect(reclaim.status == .created, "\(reclaim.text)")
            // Today, the organisation has an open reclaim and fails "not in reclaim"…
            let now = try await t.api(.GET, "/api/v1/grants/programmes/\(w.programme.id)/eligibility?organisation=\(w.org)").json()
            #expect(now["status"] == "fail")
            // …but its granted application still shows what held when it was decided.
            let shown = try await t.api(.GET, "/api/v1/grants/applications/\(app.id)", token: w.official.token).decode(ApplicationDTO.self)
            #expect(shown.eligibility?.status == .pass)
        }
    }

    @Test("the browser's submit and withdraw carry the version: a stale page is refused, a missing version too")
    func browserVersion() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            let browser = Browser(t)
            try await browser.get("/sign-in")
            #expect(try await browser.signIn(w.representative.email, w.representative.password).status == .seeOther)
            #expect(try await browser.post("/grants/applications/\(app.id)/withdraw", []).status == .unprocessableEntity)
            #expect(try await browser.post("/grants/applications/\(app.id)/withdraw", [("version", String(app.version - 1))]).status == .conflict)
            #expect(try await GrantApplication.find(app.id, on: t.db)?.status == .submitted)
            #expect(try await browser.post("/grants/applications/\(app.id)/withdraw", [("version", String(app.version))]).status == .seeOther)
            #expect(try await GrantApplication.find(app.id, on: t.db)?.status == .withdrawn)
        }
    }

    @Test("the decision letter says how to appeal, by the kind of deciding body")
    func appealText() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let app = try await GrantFlowTests.submitted(t, w)
            let d = try await GrantFlowTests.decide(t, w, app.id, amount: 5_000_000)
            let letter = try await t.send(.GET, "/grants/decisions/\(d.id)")
            #expect(letter.text.contains("laglighetsprövning"))
            #expect(letter.text.contains("13 kap."))
            // A länsstyrelse's decisions are appealed under förvaltningslagen.
            let lst = try await t.db.write(as: .system("test")) { ctx in
                try await StructureService.saveBody(nil, PublicBodyBody(name: "Länsstyrelsen Värmland", kind: "lansstyrelse", countyCode: "17"), in: ctx).id!
            }
            _ = try await t.db.write(as: .system("test")) { ctx in
                let p = try await GrantProgramme.find(w.programme.id, on: ctx.db)!
                p.bodyID = lst
                try await p.save(on: ctx.db)
            }
            let moved = try await t.api(.GET, "/api/v1/grants/decisions/\(d.id)").decode(DecisionDTO.self)
            #expect(moved.appealRoute == "forvaltningslagen")
            let letter2 = try await t.send(.GET, "/grants/decisions/\(d.id)")
            #expect(letter2.text.contains("förvaltningslagen (2017:900) 40–44 §§"))
        }
    }

    @Test("the public register pages newest first in the database: pages are disjoint, ordered, and together the whole register")
    func registerPages() async throws {
        try await TestApp.run { t in
            for i in 0..<7 { _ = try await t.organisation("Mottagare \(i)") }
            try await BenchData.storeGrants(count: 130, on: t.db)
            var seen: [RegisterLineDTO] = []
            for page in 1...3 {
                let res = try await t.api(.GET, "/api/v1/grants/register?per=50&page=\(page)").decode(Paged<RegisterLineDTO>.self)
                #expect(res.metadata.total == 130)
                #expect(res.items.count == (page < 3 ? 50 : 30))
                seen += res.items
            }
            #expect(Set(seen.map(\.decisionId)).count == 130, "no decision on two pages")
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.decidedOn >= $1.decidedOn }, "newest first across pages")
            let year = try #require(seen.first.flatMap { Int($0.decidedOn.prefix(4)) })
            let ofYear = try await t.api(.GET, "/api/v1/grants/register?year=\(year)&per=500").decode(Paged<RegisterLineDTO>.self)
            #expect(ofYear.metadata.total == seen.filter { $0.decidedOn.hasPrefix("\(year)") }.count)
            #expect(ofYear.items.map(\.decisionId) == seen.filter { $0.decidedOn.hasPrefix("\(year)") }.map(\.decisionId))
        }
    }

    /// The register's total comes from counts the database keeps (`GrantsRegisterCounts`); after every kind of
    /// write it must equal the number of lines the register itself lists, for all years, one year and one body.
    @Test("the register's kept counts follow every write: hidden, zero, replaced, replaced twice, moved, deleted")
    func registerCountsFollowWrites() async throws {
        try await TestApp.run { t in
            for i in 0..<5 { _ = try await t.organisation("Mottagare \(i)") }
            try await BenchData.storeGrants(count: 40, on: t.db)
            let sql = t.db.sql
            let rows = try await sql.raw("SELECT id, year, programme_id FROM grant_decisions ORDER BY id").all()
            let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
            let body = try #require(try await sql.raw("SELECT p.body_id AS b FROM grant_programmes p").first()?.decode(column: "b", as: UUID.self))
            func check(_ step: String) async throws {
                for (b, y) in [(nil, nil), (body, nil), (nil, 2025), (body, 2026), (UUID(), nil)] as [(UUID?, Int?)] {
                    let listed = try await OpenDataService.page(on: t.db, bodyID: b, year: y, limit: nil, offset: 0).rows.count
                    #expect(try await OpenDataService.total(on: t.db, bodyID: b, year: y) == listed, "\(step): body \(b == nil ? "all" : "one"), year \(y.map(String.init) ?? "all")")
                }
            }
            func replace(_ id: UUID) async throws -> UUID {
                let new = UUID()
                try await sql.raw("""
                    INSERT INTO grant_decisions (id, application_id, programme_id, organisation_id, year, outcome, amount_ore, conditions, motivation, purpose,
                        decided_on, decision_maker, delegation_level, diarienummer, replaces_id, is_state_aid, is_public, created_at)
                    SELECT \(bind: new), application_id, programme_id, organisation_id, year, outcome, amount_ore + 100, conditions, motivation, purpose,
                        decided_on, decision_maker, delegation_level, diarienummer, id, is_state_aid, is_public, created_at FROM grant_decisions WHERE id = \(bind: id)
                    """).run()
                return new
            }
            try await check("stored")
            #expect(try await OpenDataService.total(on: t.db, bodyID: nil, year: nil) == 40)
            try await sql.raw("UPDATE grant_decisions SET is_public = \(bind: false) WHERE id IN (\(binds: Array(ids[0..<3])))").run()
            try await check("three hidden")
            try await sql.raw("UPDATE grant_decisions SET amount_ore = 0 WHERE id IN (\(binds: Array(ids[3..<5])))").run()
            try await check("two without money")
            let r1 = try await replace(ids[5])
            try await check("one replaced")
            let r2 = try await replace(ids[5])
            try await check("replaced twice")
            try await sql.raw("DELETE FROM grant_decisions WHERE id = \(bind: r1)").run()
            try await check("one replacement deleted")
            try await sql.raw("DELETE FROM grant_decisions WHERE id = \(bind: r2)").run()
            try await check("both replacements deleted")
            let r3 = try await replace(ids[6])
            try await sql.raw("UPDATE grant_decisions SET replaces_id = \(bind: ids[7]) WHERE id = \(bind: r3)").run()
            try await check("a replacement points at another decision")
            try await sql.raw("UPDATE grant_decisions SET replaces_id = NULL WHERE id = \(bind: r3)").run()
            try await check("a replacement replaces nothing")
            try await sql.raw("UPDATE grant_decisions SET year = 2025 WHERE id IN (\(binds: Array(ids[8..<12])))").run()
            try await check("four moved to 2025")
            try await sql.raw("UPDATE grant_decisions SET is_public = \(bind: true), amount_ore = 500 WHERE id IN (\(binds: Array(ids[0..<5])))").run()
            try await check("shown again with money")
            try await sql.raw("DELETE FROM grant_decisions WHERE id IN (\(binds: Array(ids[12..<15])))").run()
            try await check("three deleted")
        }
    }
}
