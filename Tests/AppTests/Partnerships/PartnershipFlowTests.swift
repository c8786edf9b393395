import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App
import SamverkaRules

/// IOPs end to end through the API on SQLite and PostgreSQL: the pipeline that cannot be skipped, the legal assessment
/// that a decision needs, follow-up and renewal; and the de minimis register per undertaking across bodies.
@Suite("Partnerships", .serialized)
struct PartnershipFlowTests {
    static func move(_ t: TestApp, _ token: String, _ id: UUID, to: String, reason: String? = nil, override: String? = nil) async throws -> TestingHTTPResponse {
        try await t.api(.POST, "/api/v1/partnerships/\(id)/move", token: token, json: MoveBody(to: to, reason: reason, deMinimisOverride: override))
    }

    struct World: Sendable {
        var body: UUID; var org: UUID
        var official: TestApp.TestUser; var stranger: TestApp.TestUser; var rep: TestApp.TestUser
        var created: TestingHTTPResponse
    }

    /// Region Värmland with an official, another region's official, and an organisation whose representative has
    /// just proposed an IOP ("Stöd efter stroke").
    static func world(_ t: TestApp) async throws -> World {
        let body = try await t.region("17", name: "Region Värmland")
        let other = try await t.region("25", name: "Region Norrbotten")
        let org = try await t.organisation("Afasiföreningen Testlän", orgnr: "802000-0009", level: "regional", areas: ["health"], municipalities: ["1780"])
        let official = try await t.user(.official, body: body)
        let stranger = try await t.user(.official, body: other)
        let rep = try await t.user(.representative, organisation: org)
        let created = try await t.api(.POST, "/api/v1/partnerships", token: rep.token, json: PartnershipBody(
            bodyId: body.uuidString, organisationId: org.uuidString, title: "Stöd efter stroke", need: "Personer med afasi behöver stöd efter vården.",
            answers: IOPQuestions(buysForOwnNeeds: .no, bothContribute: .yes, partnerIsIdeburen: .yes)))
        try #require(created.status == .created, "\(created.text)")
        return World(body: body, org: org, official: official, stranger: stranger, rep: rep, created: created)
    }

    @Test("an organisation proposes; the official analyses, assesses, decides, signs, follows up and renews; skipping or deciding without an assessment is refused")
    func pipeline() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let (body, official, stranger, created) = (w.body, w.official, w.stranger, w.created)
            let p = try created.decode(PartnershipDTO.self)
            #expect(p.state == "initiative" && p.initiatedBy == "organisation" && p.answers.bothContribute == .yes)
            // Not public while an initiative; the body's official and the organisation read it.
            #expect(try await t.api(.GET, "/api/v1/partnerships/\(p.id)").status == .notFound)
            #expect(try await t.api(.GET, "/api/v1/partnerships/\(p.id)", token: official.token).status == .ok)
            // Another body's official cannot move it; nobody can skip a state.
            #expect(try await Self.move(t, stranger.token, p.id, to: "analysis").status == .forbidden)
            let skip = try await Self.move(t, official.token, p.id, to: "assessment")
            #expect(skip.status == .unprocessableEntity && skip.text.contains("skipState"))
            #expect(try await Self.move(t, official.token, p.id, to: "analysis").status == .ok)
            // The analysis must hold both sides' contributions, goals and the problem.
            let empty = try await Self.move(t, official.token, p.id, to: "assessment")
            #expect(empty.status == .unprocessableEntity)
            #expect(Set(empty.problemFields).isSuperset(of: ["problemAnalysis", "goals", "contributions"]), "\(empty.problemFields)")
            let analysed = try await t.api(.PUT, "/api/v1/partnerships/\(p.id)", token: official.token, json: PartnershipBody(
                problemAnalysis: "Regionen når inte målgruppen ensam.", goals: ["Fler får stöd"], indicators: ["Antal deltagare"],
                contributions: [Contribution(party: "body", kronorPerYear: 400_000), Contribution(party: "organisation", staffHoursPerYear: 300, volunteers: 20)]))
            #expect(analysed.status == .ok, "\(analysed.text)")
            #expect(try await Self.move(t, official.token, p.id, to: "assessment").status == .ok)
            // No decision without an assessment; one that concludes against IOP needs an override with a reason.
            let noAssessment = try await Self.move(t, official.token, p.id, to: "decision")
            #expect(noAssessment.status == .unprocessableEntity && noAssessment.text.contains("assessmentMissing"))
            let before = try await t.api(.GET, "/api/v1/partnerships/\(p.id)", token: official.token).decode(PartnershipDTO.self)
            #expect(before.state == "assessment", "nothing changed")
            let grantLike = try await t.api(.PUT, "/api/v1/partnerships/\(p.id)/assessment", token: official.token, json: AssessmentBody(
                answers: IOPQuestions(buysForOwnNeeds: .no, paymentForPerformance: .no, bothContribute: .no, partnerIsIdeburen: .yes), motivation: "Bara regionen bidrar."))
            #expect(try grantLike.decode(PartnershipDTO.self).conclusion == "grant")
            let against = try await Self.move(t, official.token, p.id, to: "decision")
            #expect(against.status == .unprocessableEntity && against.text.contains("assessmentAgainstIOP"))
            let suitable = try await t.api(.PUT, "/api/v1/partnerships/\(p.id)/assessment", token: official.token, json: AssessmentBody(
                answers: IOPQuestions(buysForOwnNeeds: .no, paymentForPerformance: .no, bothContribute: .yes, partnerIsIdeburen: .yes, economicActivity: .no, announced: .yes),
                motivation: "Båda parter bidrar; regionen köper inget; partnern är idéburen."))
            #expect(try suitable.decode(PartnershipDTO.self).conclusion == "iopSuitable")
            #expect(try await Self.move(t, official.token, p.id, to: "decision").status == .ok)
            // The decision needs organ, date, § and diarienummer; a malformed § is a field error.
            #expect(try await Self.move(t, official.token, p.id, to: "agreement").text.contains("decisionMissing"))
            let badParagraph = try await t.api(.PUT, "/api/v1/partnerships/\(p.id)", token: official.token, json: PartnershipBody(decisionParagraph: "tolv"))
            #expect(badParagraph.status == .unprocessableEntity && badParagraph.text.contains("paragraphFormat"))
            #expect(try await t.api(.PUT, "/api/v1/partnerships/\(p.id)", token: official.token, json: PartnershipBody(
                decisionOrgan: "Hälso- och sjukvårdsnämnden", decisionOn: "2025-11-20", decisionParagraph: "42", decisionDiarienummer: "HSN 2025-00042")).status == .ok)
            #expect(try await Self.move(t, official.token, p.id, to: "agreement").status == .ok)
            let noText = try await Self.move(t, official.token, p.id, to: "active")
            #expect(noText.status == .unprocessableEntity && Set(noText.problemFields) == ["periodFrom", "agreementText"])
            #expect(try await t.api(.PUT, "/api/v1/partnerships/\(p.id)", token: official.token, json: PartnershipBody(
                periodFrom: "2026-01-01", periodTo: "2026-12-31", agreementText: "Parterna samverkar om stöd efter stroke.")).status == .ok)
            #expect(try await Self.move(t, official.token, p.id, to: "active").status == .ok)
            // In force on its period; public in the register; a follow-up; then renewed for the next period.
            #expect(try await t.api(.GET, "/api/v1/partnerships?body=\(body)&inForceOn=2026-06-01").decode([PartnershipDTO].self).map(\.id) == [p.id])
            #expect(try await t.api(.GET, "/api/v1/partnerships?inForceOn=2027-01-01").decode([PartnershipDTO].self).isEmpty)
            let csv = try await t.send(.GET, "/api/v1/partnerships/register.csv").text
            #expect(csv.contains("Stöd efter stroke") || LocalDate.today() > LocalDate("2026-12-31")!)
            let follow = try await t.api(.POST, "/api/v1/partnerships/\(p.id)/follow-ups", token: official.token,
                                         json: FollowUpEntryBody(results: "120 deltagare.", text: "Bra första år."))
            #expect(follow.status == .created)
            #expect(try follow.decode(PartnershipDTO.self).followUps.count == 1)
            let overlap = try await t.api(.POST, "/api/v1/partnerships/\(p.id)/renew", token: official.token, json: RenewBody(periodFrom: "2026-06-01", periodTo: "2027-12-31"))
            #expect(overlap.status == .unprocessableEntity && overlap.text.contains("overlapsPeriod"))
            let renewed = try await t.api(.POST, "/api/v1/partnerships/\(p.id)/renew", token: official.token, json: RenewBody(periodFrom: "2027-01-01", periodTo: "2029-12-31"))
            try #require(renewed.status == .created, "\(renewed.text)")
            let next = try renewed.decode(PartnershipDTO.self)
            #expect(next.previousId == p.id && next.state == "decision" && next.conclusion == "iopSuitable" && next.decisionDiarienummer.isEmpty)
            // Closing needs a reason; a closed IOP is read-only.
            #expect(try await Self.move(t, official.token, next.id, to: "rejected").text.contains("reason"))
            #expect(try await Self.move(t, official.token, next.id, to: "rejected", reason: "Nämnden avslog.").status == .ok)
            #expect(try await t.api(.PUT, "/api/v1/partnerships/\(next.id)", token: official.token, json: PartnershipBody(title: "Ny rubrik")).status == .conflict)
            #expect(try await AuditEvent.query(on: t.db).filter(\.$entityType == "partnership").filter(\.$action == "transition").count() == 6)
        }
    }

    @Test("de minimis per undertaking: a grant from one body, an IOP from another and declared aid from a third, summed by hand; window edges; the API refuses exactly when the page warns")
    func deMinimis() async throws {
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let admin = try await t.user(.admin)
            #expect(try await t.api(.PUT, "/api/v1/exchange-rates", token: admin.token, json: ExchangeRateBody(currency: "SEK", day: "2020-01-01", perEuro: 10)).status == .ok)
            #expect(try await t.api(.PUT, "/api/v1/exchange-rates", token: w.official.token, json: ExchangeRateBody(currency: "SEK", day: "2020-01-01", perEuro: 9)).status == .forbidden)
            // 1. A state-aid grant from Region Värmland today: 1 000 000 kr = 100 000 €.
            let app = try await GrantFlowTests.submitted(t, w, requested: 100_000_000)
            _ = try await GrantFlowTests.decide(t, w, app.id, amount: 100_000_000)
            // 2. An IOP from Region Norrbotten with 500 000 kr a year over two years as de minimis: 100 000 €.
            let north = try await t.region("25", name: "Region Norrbotten")
            let northOfficial = try await t.user(.official, body: north)
            let p = try await t.api(.POST, "/api/v1/partnerships", token: northOfficial.token, json: PartnershipBody(
                bodyId: north.uuidString, organisationId: w.org.uuidString, title: "Samverkan i norr", need: "Ett behov.")).decode(PartnershipDTO.self)
            try await t.db.write(as: .system("test")) { ctx in
                let m = try await Partnership.require(p.id, on: ctx.db)
                m.state = .agreement
                m.deMinimis = true
                m.contributions = JSONText.encode([Contribution(party: "body", kronorPerYear: 500_000), Contribution(party: "organisation", volunteers: 5)])
                m.decisionOn = LocalDate.today().adding(days: -30).description
                m.periodFrom = "2025-01-01"; m.periodTo = "2026-12-31"
                try await m.save(on: ctx.db)
            }
            // 3. Aid the organisation declares from a third authority: 50 000 € a year ago, and 40 000 € exactly three years back (outside).
            let today = LocalDate.today()
            let threeBack = LocalDate.clamped(year: today.year - 3, month: today.month, day: today.day)
            for (day, amount) in [(today.adding(days: -365), "50000"), (threeBack, "40000")] {
                let r = try await t.api(.POST, "/api/v1/organisations/\(w.org)/state-aid", token: w.representative.token, json: StateAidBody(
                    authority: "Länsstyrelsen", grantedOn: day.description, amount: amount, currency: "EUR", description: "Stöd till landsbygdsprojekt"))
                #expect(r.status == .created, "\(r.text)")
            }
            let register = try await t.api(.GET, "/api/v1/organisations/\(w.org)/de-minimis", token: w.official.token).decode(DeMinimisDTO.self)
            #expect(register.aids.count == 4)
            #expect(register.totalEuroCents == 25_000_000, "100 000 + 100 000 + 50 000 €: \(register.totalEuroCents)")
            #expect(register.ceilingEuro == 300_000 && !register.exceeded)
            #expect(register.aids.filter { !$0.counted }.map(\.euroCents) == [4_000_000], "the aid exactly three years back is outside")
            // The day after, the window has moved past the old aid; the day before... it is inside.
            let dayBefore = try await t.api(.GET, "/api/v1/organisations/\(w.org)/de-minimis?on=\(today.adding(days: -1))", token: w.official.token).decode(DeMinimisDTO.self)
            #expect(dayBefore.aids.first { $0.euroCents == 4_000_000 }?.counted == true)
            // Nobody outside the organisation and the officials reads it.
            #expect(try await t.api(.GET, "/api/v1/organisations/\(w.org)/de-minimis").status == .unauthorized)
            // A new grant that would pass 300 000 €: the page warns, the API refuses without a reason, and accepts one with it.
            // (A second call of the programme: one application per organisation and call.)
            let c2 = try await t.api(.POST, "/api/v1/grants/calls", token: w.official.token, json: CallBody(
                programmeId: w.programme.id.uuidString, title: "Extra utlysning", year: today.year, opensOn: today.adding(days: -1).description,
                closesOn: today.adding(days: 20).description, fields: w.call.fields, criteria: w.call.criteria, requiredAttachments: ["verksamhetsberattelse"], budgetTable: true))
            try #require(c2.status == .created, "\(c2.text)")
            var w2 = w
            w2.call = try c2.decode(CallDTO.self)
            let app2 = try await GrantFlowTests.submitted(t, w2, requested: 60_000_000)
            let browser = Browser(t)
            _ = try await browser.signIn(w.official.email)
            let page = try await browser.get("/grants/applications/\(app2.id)/decide")
            #expect(page.text.contains("310") && page.text.contains("300"), "the page shows the total with the proposed amount and the ceiling")
            let refused = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
                applicationId: app2.id.uuidString, outcome: "granted", amountOre: 60_000_000, motivation: "Bra.", decidedOn: today.description, jav: false))
            #expect(refused.status == .unprocessableEntity && refused.text.contains("deMinimisExceeded"), "\(refused.text)")
            #expect(page.text.contains(Self.warningText(t)), "the page warns for the same amount")
            let fine = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
                applicationId: app2.id.uuidString, outcome: "granted", amountOre: 40_000_000, motivation: "Bra.", decidedOn: today.description, jav: false))
            #expect(fine.status == .created, "40 000 € more stays at 290 000 €: \(fine.text)")
        }
    }

    static func warningText(_ t: TestApp) -> String {
        t.app.localizer.text("decision.deMinimisWarning", .sv, [])
    }
}
