import ConsoleKit
import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// A grant's whole life over the API: programme → call → application → review → decision → payment →
/// report → reclaim → public register and 360Giving, with the refusals users rely on.
@Suite("Grant flow", .serialized)
struct GrantFlowTests {
    struct World {
        var body: UUID, org: UUID
        var official: TestApp.TestUser, representative: TestApp.TestUser, reviewer: TestApp.TestUser
        /// A second official of the body: attests what `official` decided (separation of duties).
        var colleague: TestApp.TestUser
        var programme: ProgrammeDTO, call: CallDTO
    }

    static let today = LocalDate.today()

    static func world(_ t: TestApp, paymentModel: String = "single", eligibility: [EligibilityCondition]? = nil) async throws -> World {
        let body = try await t.region("17", name: "Region Värmland")
        let org = try await t.organisation("Funktionsrätt Testlän", orgnr: "802000-0009", level: "regional", areas: ["disability"],
                                           municipalities: ["1780", "1715", "1784"])
        let official = try await t.user(.official, body: body)
        let representative = try await t.user(.representative, organisation: org)
        let reviewer = try await t.user(.reviewer, body: body)
        let colleague = try await t.user(.official, body: body)
        let pres = try await t.api(.POST, "/api/v1/grants/programmes", token: official.token, json: ProgrammeBody(
            bodyId: body.uuidString, name: "Verksamhetsbidrag", kind: "verksamhetsbidrag", purpose: "Regional verksamhet.",
            targetAreas: ["disability"], decisionLevel: "official", paymentModel: paymentModel, isStateAid: true,
            eligibility: eligibility ?? [EligibilityCondition(.levelIn, values: ["regional"]), EligibilityCondition(.activeInMunicipalities, min: 3, county: "17"),
                                         EligibilityCondition(.notInReclaim)],
            reportMonths: 3, budgetFrames: [BudgetFrameDTO(year: today.year, amountOre: 50_000_000)]))
        try #require(pres.status == .created, "\(pres.text)")
        let programme = try pres.decode(ProgrammeDTO.self)
        let cres = try await t.api(.POST, "/api/v1/grants/calls", token: official.token, json: CallBody(
            programmeId: programme.id.uuidString, title: "Verksamhetsbidrag \(today.year)", year: today.year,
            opensOn: today.adding(days: -10).description, closesOn: today.adding(days: 20).description,
            fields: [FormFieldSpec(key: "verksamhet", label: "Verksamhet", kind: .text, required: true),
                     FormFieldSpec(key: "deltagare", label: "Antal deltagare", kind: .number, required: false)],
            criteria: [ReviewRules.Criterion(key: "relevans", label: "Relevans", weight: 2), ReviewRules.Criterion(key: "genomforbarhet", label: "Genomförbarhet", weight: 1)],
            requiredAttachments: ["verksamhetsberattelse"], budgetTable: true))
        try #require(cres.status == .created, "\(cres.text)")
        return World(body: body, org: org, official: official, representative: representative, reviewer: reviewer, colleague: colleague,
                     programme: programme, call: try cres.decode(CallDTO.self))
    }

    /// Draft, answers, budget, attachment, submit: the application as submitted.
    static func submitted(_ t: TestApp, _ w: World, requested: Int = 10_000_000) async throws -> ApplicationDTO {
        let created = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                      json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
        try #require(created.status == .created, "\(created.text)")
        var a = try created.decode(ApplicationDTO.self)
        let saved = try await t.api(.PUT, "/api/v1/grants/applications/\(a.id)", token: w.representative.token, json: ApplicationBody(
            answers: ["verksamhet": "Samordning och påverkan i hela länet.", "deltagare": "120"],
            budget: [BudgetLine(label: "Lokaler", amountOre: 4_000_000), BudgetLine(label: "Personal", amountOre: 6_000_000)],
            requestedOre: requested, payeeAccount: "5050-1055", version: a.version))
        try #require(saved.status == .ok, "\(saved.text)")
        a = try saved.decode(ApplicationDTO.self)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: w.representative.token)
        headers.replaceOrAdd(name: .contentType, value: "text/plain")
        let att = try await t.send(.POST, "/api/v1/grants/applications/\(a.id)/attachments?kind=verksamhetsberattelse&filename=vb.txt",
                                   headers: headers, body: ByteBuffer(string: "Verksamhetsberättelse"))
        try #require(att.status == .created, "\(att.text)")
        let sub = try await t.api(.POST, "/api/v1/grants/applications/\(a.id)/submit", token: w.representative.token)
        try #require(sub.status == .ok, "\(sub.text)")
        return try sub.decode(ApplicationDTO.self)
    }

    static func decide(_ t: TestApp, _ w: World, _ app: UUID, outcome: String = "granted", amount: Int, replaces: UUID? = nil) async throws -> DecisionDTO {
        let res = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
            applicationId: app.uuidString, outcome: outcome, amountOre: amount, motivation: "Verksamheten uppfyller programmets syfte.",
            decidedOn: today.description, replacesId: replaces?.uuidString, jav: false))
        try #require(res.status == .created, "\(res.text)")
        return try res.decode(DecisionDTO.self)
    }

    @Test("an organisation applies and an official takes it through review, decision, payment, report and reclaim")
    func wholeLife() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            // Eligibility is shown before applying.
            let elig = try await t.api(.GET, "/api/v1/grants/programmes/\(w.programme.id)/eligibility?organisation=\(w.org)")
            #expect(try elig.decode(EligibilityResult.self).status == .pass)

            // Submitting without the required attachment and answers is refused, naming what is missing.
            let draft = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                        json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
            let draftID = try draft.decode(ApplicationDTO.self).id
            let early = try await t.api(.POST, "/api/v1/grants/applications/\(draftID)/submit", token: w.representative.token)
            #expect(early.status == .unprocessableEntity)
            #expect(Set(early.problemFields) == ["answers.verksamhet", "attachments.verksamhetsberattelse", "budget", "requestedOre"])
            // A second application to the same call is a conflict; withdraw the first and use the helper's.
            #expect(try await t.api(.POST, "/api/v1/grants/applications/\(draftID)/withdraw", token: w.representative.token).status == .ok)
            try await GrantApplication.query(on: t.db).filter(\.$id == draftID).delete()
            let app = try await Self.submitted(t, w)
            #expect(app.status == "submitted")
            #expect(app.attachments.map(\.kind) == ["verksamhetsberattelse"])
            #expect(app.eligibility?.status == .pass)
            // Submitted applications cannot be edited.
            let edit = try await t.api(.PUT, "/api/v1/grants/applications/\(app.id)", token: w.representative.token,
                                       json: ApplicationBody(requestedOre: 1, version: app.version))
            #expect(edit.status == .conflict)

            // Review: jäv first, then scores; a stale version is a conflict.
            let assigned = try await t.api(.POST, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token, json: ["reviewerId": w.reviewer.id])
            #expect(assigned.status == .created)
            let review = try assigned.decode(ReviewDTO.self)
            let noJav = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                        json: ReviewBody(scores: ["relevans": 4], version: review.version))
            #expect(noJav.status == .forbidden)
            #expect(noJav.problemFields == ["jav"])
            let scored = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                         json: ReviewBody(jav: false, scores: ["relevans": 4, "genomforbarhet": 3], comment: "Väl beskrivet.", complete: true, version: review.version))
            #expect(scored.status == .ok, "\(scored.text)")
            let stale = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.reviewer.token,
                                        json: ReviewBody(comment: "Skriver över?", version: review.version))
            #expect(stale.status == .conflict)
            // The official may not score on the reviewer's behalf.
            #expect(try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: w.official.token, json: ReviewBody(comment: "x", version: review.version + 1)).status == .forbidden)
            let summary = try await t.api(.GET, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token).json()
            #expect(summary["weightedMean"]?.doubleValue.map { abs($0 - 11.0 / 3.0) < 1e-9 } == true)

            // Decision: motivation required; then granted, with a diarienummer and a planned payment.
            let noMotivation = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token,
                                               json: DecisionBody(applicationId: app.id.uuidString, outcome: "granted", amountOre: 8_000_000, jav: false))
            #expect(noMotivation.status == .unprocessableEntity)
            #expect(noMotivation.problemFields == ["motivation"])
            #expect(try await t.count("grant_decisions") == 0)
            let decision = try await Self.decide(t, w, app.id, outcome: "partly", amount: 8_000_000)
            #expect(decision.diarienummer == "BID-\(Self.today.year)-0001")
            #expect(decision.amountOre == 8_000_000)
            let twice = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
                applicationId: app.id.uuidString, outcome: "granted", amountOre: 8_000_000, motivation: "Igen.", jav: false))
            #expect(twice.status == .conflict)

            // Payment: planned → approved → in the payment file → paid.
            let pays = try await t.api(.GET, "/api/v1/grants/payments?programme=\(w.programme.id)", token: w.official.token).json()
            let payID = try #require(pays["items"]?[0]?["id"]?.stringValue)
            #expect(pays["items"]?[0]?["amountOre"] == .int(8_000_000))
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(payID)/approve", token: w.colleague.token).status == .ok)
            let file = try await t.api(.GET, "/api/v1/grants/payments/export.csv?programme=\(w.programme.id)", token: w.official.token)
            #expect(file.text.contains("80000.00"))
            #expect(file.text.contains("5050-1055"))
            #expect(file.text.contains("802000-0009"))
            // The same payment in the bank's format (pain.001): the XSD check runs in scripts/test; here the content and refusals.
            let xml = try await t.api(.GET, "/api/v1/grants/payments/export.xml?programme=\(w.programme.id)&debtorAccount=SE4550000000058398257466", token: w.official.token)
            #expect(xml.status == .ok)
            #expect(xml.headers.contentType?.description.hasPrefix("application/xml") == true)
            #expect(xml.text.contains("<InstdAmt Ccy=\"SEK\">80000.00</InstdAmt>"))
            #expect(xml.text.contains("<Id>50501055</Id><SchmeNm><Prtry>BGNR</Prtry>"))
            #expect(xml.text.contains("<IBAN>SE4550000000058398257466</IBAN>"))
            #expect(xml.text.contains("<Nm>Funktionsrätt Testlän</Nm><Id><OrgId><Othr><Id>8020000009</Id>"))
            #expect(try await t.api(.GET, "/api/v1/grants/payments/export.xml?programme=\(w.programme.id)", token: w.official.token).problemFields == ["debtorAccount"])
            #expect(try await t.api(.GET, "/api/v1/grants/payments/export.xml?programme=\(w.programme.id)&debtorAccount=SE45", token: w.representative.token).status == .forbidden)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(payID)/paid", token: w.official.token).status == .ok)
            // The representative sees the payment of its own organisation but may not mark it.
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(payID)/paid", token: w.representative.token).status == .forbidden)

            // Report: submitted, sent back for completion, completed, approved.
            let reports = try await t.api(.GET, "/api/v1/grants/reports", token: w.representative.token).json()
            let reportID = try #require(reports["items"]?[0]?["id"]?.stringValue)
            var report = try await t.api(.PUT, "/api/v1/grants/reports/\(reportID)", token: w.representative.token,
                                         json: ReportBody(actualCostsOre: 6_000_000, narrative: "Vi genomförde 12 träffar.", version: 1))
            #expect(report.status == .ok, "\(report.text)")
            report = try await t.api(.POST, "/api/v1/grants/reports/\(reportID)/request-completion", token: w.official.token, json: ["comment": "Bifoga deltagarlistor."])
            #expect(try report.decode(ReportDTO.self).status == "completionRequested")
            let version = try report.decode(ReportDTO.self).version
            report = try await t.api(.PUT, "/api/v1/grants/reports/\(reportID)", token: w.representative.token,
                                     json: ReportBody(actualCostsOre: 6_000_000, narrative: "Vi genomförde 12 träffar med 140 deltagare.", version: version))
            #expect(report.status == .ok)
            report = try await t.api(.POST, "/api/v1/grants/reports/\(reportID)/approve", token: w.official.token, json: [String: String]())
            #expect(try report.decode(ReportDTO.self).status == "approved")

            // Reclaim: costs were lower than the grant; the unspent part is reclaimed and blocks eligibility until repaid.
            let bad = try await t.api(.POST, "/api/v1/grants/reclaims", token: w.official.token,
                                      json: ReclaimBody(decisionId: decision.id.uuidString, amountOre: 9_000_000, reason: "Mer än beviljat."))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemFields == ["amountOre"])
            let reclaim = try await t.api(.POST, "/api/v1/grants/reclaims", token: w.official.token,
                                          json: ReclaimBody(decisionId: decision.id.uuidString, amountOre: 2_000_000, reason: "Ej förbrukade medel enligt redovisningen."))
            #expect(reclaim.status == .created, "\(reclaim.text)")
            let reclaimID = try reclaim.decode(ReclaimDTO.self).id
            let blocked = try await t.api(.GET, "/api/v1/grants/programmes/\(w.programme.id)/eligibility?organisation=\(w.org)").decode(EligibilityResult.self)
            #expect(blocked.status == .fail)
            #expect(blocked.conditions.last?.reason == "Organisationen har 1 obetalt återkrav.")
            // The reason follows the reader's language, with the number's own word.
            let english = try await t.api(.GET, "/api/v1/grants/programmes/\(w.programme.id)/eligibility?organisation=\(w.org)&lang=en").decode(EligibilityResult.self)
            #expect(english.conditions.last?.reason == "The organisation has 1 unpaid reclaim.")
            #expect(english.conditions.last?.code == "reclaimsOpen")
            #expect(try await t.api(.POST, "/api/v1/grants/reclaims/\(reclaimID)/repaid", token: w.official.token).status == .ok)
            #expect(try await t.api(.GET, "/api/v1/grants/programmes/\(w.programme.id)/eligibility?organisation=\(w.org)").decode(EligibilityResult.self).status == .pass)

            // Every step left an audit event.
            let actions = Set(try await AuditEvent.query(on: t.db).all().map { "\($0.entityType):\($0.action)" })
            for expected in ["grantDecision:decide", "grantReclaim:create", "grantReport:submit", "grantReport:approve", "grantReview:assign"] {
                #expect(actions.contains(expected), "missing audit \(expected) in \(actions.sorted())")
            }
        }
    }

    @Test("a late submission is refused and the draft stays a draft")
    func lateSubmission() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let created = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                          json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
            let id = try created.decode(ApplicationDTO.self).id
            // The call closed yesterday.
            let call = try #require(try await GrantCall.find(w.call.id, on: t.db))
            call.opensOn = Self.today.adding(days: -30).description
            call.closesOn = Self.today.adding(days: -1).description
            try await call.save(on: t.db)
            let late = try await t.api(.POST, "/api/v1/grants/applications/\(id)/submit", token: w.representative.token)
            #expect(late.status == .unprocessableEntity)
            #expect(late.problemFields == ["callId"])
            #expect(try await GrantApplication.find(id, on: t.db)?.status == .draft)
            // A new application to a closed call is refused too.
            try await GrantApplication.query(on: t.db).filter(\.$id == id).delete()
            let again = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                        json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
            #expect(again.status == .unprocessableEntity)
            #expect(try await t.count("grant_applications") == 0)
        }
    }

    @Test("a reviewer who represents the applicant, or declares jäv, cannot score")
    func javBlocks() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let app = try await Self.submitted(t, w)
            // A reviewer of the body who is also a representative of the applicant organisation.
            let insider = try await t.user(.reviewer, body: w.body)
            _ = try await t.db.write(as: .system("test")) { ctx in
                try await AccountService.addMembership(userID: insider.id, role: .representative, bodyID: nil, organisationID: w.org, unitIDs: [], in: ctx)
            }
            let r1 = try await t.api(.POST, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token, json: ["reviewerId": insider.id]).decode(ReviewDTO.self)
            let insiderScore = try await t.api(.PUT, "/api/v1/grants/reviews/\(r1.id)", token: insider.token,
                                               json: ReviewBody(jav: false, scores: ["relevans": 5], version: r1.version))
            #expect(insiderScore.status == .forbidden)
            #expect(try await GrantReview.find(r1.id, on: t.db)?.scoreMap.isEmpty == true)
            // A reviewer who declares jäv must give a reason, and then cannot score.
            let r2 = try await t.api(.POST, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token, json: ["reviewerId": w.reviewer.id]).decode(ReviewDTO.self)
            let noReason = try await t.api(.PUT, "/api/v1/grants/reviews/\(r2.id)", token: w.reviewer.token, json: ReviewBody(jav: true, version: r2.version))
            #expect(noReason.problemFields == ["javReason"])
            let declared = try await t.api(.PUT, "/api/v1/grants/reviews/\(r2.id)", token: w.reviewer.token,
                                           json: ReviewBody(jav: true, javReason: "Min make sitter i styrelsen.", version: r2.version))
            #expect(declared.status == .ok)
            let after = try await t.api(.PUT, "/api/v1/grants/reviews/\(r2.id)", token: w.reviewer.token,
                                        json: ReviewBody(scores: ["relevans": 5], version: r2.version + 1))
            #expect(after.status == .forbidden)
            // Neither counts in the summary.
            let summary = try await t.api(.GET, "/api/v1/grants/applications/\(app.id)/reviews", token: w.official.token).json()
            #expect(summary["weightedMean"] == .null || summary["weightedMean"] == nil)
        }
    }

    @Test("a correction is a new decision that refers to the old one; the register shows the current one")
    func correction() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let app = try await Self.submitted(t, w)
            let first = try await Self.decide(t, w, app.id, amount: 10_000_000)
            let fixed = try await Self.decide(t, w, app.id, outcome: "partly", amount: 7_500_000, replaces: first.id)
            #expect(fixed.replacesId == first.id)
            #expect(fixed.diarienummer == first.diarienummer)
            let old = try await t.api(.GET, "/api/v1/grants/decisions/\(first.id)").decode(DecisionDTO.self)
            #expect(old.replacedById == fixed.id)
            #expect(old.amountOre == 10_000_000) // the old row is unchanged
            // Correcting an already corrected decision is refused.
            let again = try await t.api(.POST, "/api/v1/grants/decisions", token: w.official.token, json: DecisionBody(
                applicationId: app.id.uuidString, outcome: "granted", amountOre: 1, motivation: "x", replacesId: first.id.uuidString, jav: false))
            #expect(again.problemFields == ["replacesId"])
            // Only one planned payment remains, for the corrected amount.
            let planned = try await GrantPayment.query(on: t.db).filter(\.$status == .planned).all()
            #expect(planned.map(\.amountOre) == [7_500_000])
            // The public register (anonymous) lists the current decision only; CSV likewise.
            let reg = try await t.api(.GET, "/api/v1/grants/register").json()
            #expect(reg["items"]?.arrayValue?.count == 1)
            #expect(reg["items"]?[0]?["amountOre"] == .int(7_500_000))
            #expect(reg["items"]?[0]?["recipient"]?.stringValue == "Funktionsrätt Testlän")
            let csv = try await t.send(.GET, "/api/v1/grants/register.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(whereSeparator: \.isNewline)
            #expect(lines.count == 2)
            #expect(lines[1].contains("75000.00"))
            #expect(lines[1].contains(first.diarienummer))
            // What other modules read (follow-up, the national overview): the corrected decision once, not the one it replaced.
            let facts = try await GrantFacts.decisions(bodies: [w.body], from: Self.today.adding(days: -1), to: Self.today, on: t.db)
            #expect(facts.map(\.decisionID) == [fixed.id] && facts.map(\.amountOre) == [7_500_000])
        }
    }

    @Test("grant facts: only decisions in the date range, each marked when the same organisation had a grant of the same programme the year before")
    func grantFactsContinuation() throws {
        let org = UUID(), other = UUID(), programme = UUID(), second = UUID()
        func row(_ org: UUID, _ programme: UUID, _ year: Int, _ day: String?) -> GrantFacts.GrantedRow {
            GrantFacts.GrantedRow(id: UUID(), organisationID: org, programmeID: programme, year: year, amountOre: 100, decidedOn: day.flatMap { LocalDate($0) })
        }
        let rows = [row(org, programme, 2023, "2023-02-01"), row(org, programme, 2024, "2024-02-01"), row(other, programme, 2024, "2024-03-01"),
                    row(org, second, 2024, "2024-04-01"), row(org, programme, 2025, "2025-01-10"), row(org, programme, 2024, nil)]
        let facts = GrantFacts.GrantedRow.facts(rows, yearBefore: rows, from: try #require(LocalDate("2024-01-01")), to: try #require(LocalDate("2024-12-31")),
                                                kinds: [programme: "verksamhetsbidrag"])
        #expect(facts.map(\.organisationID) == [org, other, org])
        #expect(facts.map(\.continuesFromYearBefore) == [true, false, false])
        #expect(facts.map(\.kind) == ["verksamhetsbidrag", "verksamhetsbidrag", ""])
    }

    @Test("360Giving: decided public grants as a data package with prefixed ids and SE-ON recipient ids")
    func threeSixtyGiving() async throws {
        try await TestApp.run(configure: { $0.giving360Prefix = "360G-samverkatest" }) { t in
            let w = try await Self.world(t)
            let app = try await Self.submitted(t, w)
            let d = try await Self.decide(t, w, app.id, amount: 10_000_000)
            let res = try await t.send(.GET, "/api/v1/grants/360giving.json")
            #expect(res.status == .ok)
            let j = try res.json()
            let grant = try #require(j["grants"]?[0])
            #expect(grant["id"]?.stringValue == "360G-samverkatest-\(d.id.uuidString.lowercased())")
            #expect(grant["currency"]?.stringValue == "SEK")
            #expect(grant["amountAwarded"] == .int(100_000) || grant["amountAwarded"]?.doubleValue == 100_000)
            #expect(grant["recipientOrganization"]?[0]?["id"]?.stringValue == "SE-ON-802000-0009")
            #expect(grant["fundingOrganization"]?[0]?["name"]?.stringValue == "Region Värmland")
            #expect(grant["awardDate"]?.stringValue == Self.today.description)
            let csv = try await t.send(.GET, "/api/v1/grants/360giving.csv")
            #expect(csv.text.hasPrefix("Identifier,Title,Description,Currency,Amount Awarded,Award Date"))
            #expect(csv.text.contains("SE-ON-802000-0009"))
            // `samverka export 360giving FILE.json` writes the same package.
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("360g-\(UUID()).json").path
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try await ExportExtensions.run(kind: "360giving", file: handle, path: path, app: t.app, console: Terminal())
            try handle.close()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let exported = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(exported == j)
        }
    }

    @Test("Kalmar model: January advance from last year's grant; a lower decision leaves a reclaim")
    func kalmar() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t, paymentModel: "kalmar", eligibility: [])
            // Last year's grant: 240 000 kr.
            let lastCall = try await t.api(.POST, "/api/v1/grants/calls", token: w.official.token, json: CallBody(
                programmeId: w.programme.id.uuidString, title: "Förra året", year: Self.today.year - 1,
                opensOn: Self.today.adding(days: -10).description, closesOn: Self.today.adding(days: 20).description, budgetTable: false)).decode(CallDTO.self)
            var lw = w
            lw.call = lastCall
            let lastApp = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                          json: ApplicationBody(callId: lastCall.id.uuidString, organisationId: w.org.uuidString)).decode(ApplicationDTO.self)
            _ = try await t.api(.PUT, "/api/v1/grants/applications/\(lastApp.id)", token: w.representative.token,
                                json: ApplicationBody(requestedOre: 24_000_000, version: lastApp.version))
            #expect(try await t.api(.POST, "/api/v1/grants/applications/\(lastApp.id)/submit", token: w.representative.token).status == .ok)
            _ = try await Self.decide(t, lw, lastApp.id, amount: 24_000_000)
            // January advance for this year: half, 120 000 kr.
            let adv = try await t.api(.POST, "/api/v1/grants/programmes/\(w.programme.id)/advances?year=\(Self.today.year)", token: w.official.token)
            #expect(adv.status == .ok, "\(adv.text)")
            let advances = try adv.json()
            #expect(advances[0]?["amountOre"] == .int(12_000_000))
            #expect(advances[0]?["dueOn"]?.stringValue == "\(Self.today.year)-01-31")
            // Planning twice does not double the advance.
            _ = try await t.api(.POST, "/api/v1/grants/programmes/\(w.programme.id)/advances?year=\(Self.today.year)", token: w.official.token)
            #expect(try await GrantPayment.query(on: t.db).filter(\.$kind == "advance").count() == 1)
            // This year's decision is 100 000 kr: nothing more to pay, 20 000 kr to reclaim.
            let app = try await Self.submitted(t, w, requested: 30_000_000)
            let d = try await Self.decide(t, w, app.id, outcome: "partly", amount: 10_000_000)
            let finals = try await GrantPayment.query(on: t.db).filter(\.$decisionID == d.id).all()
            #expect(finals.isEmpty)
            let reclaims = try await GrantReclaim.query(on: t.db).filter(\.$decisionID == d.id).all()
            #expect(reclaims.map(\.amountOre) == [2_000_000])
        }
    }

    @Test("applicants see only their own applications; other organisations are refused")
    func privacy() async throws {
        try await TestApp.run { t in
            let w = try await Self.world(t)
            let app = try await Self.submitted(t, w)
            let other = try await t.organisation("Annan förening", orgnr: "802000-0017")
            let stranger = try await t.user(.representative, organisation: other)
            #expect(try await t.api(.GET, "/api/v1/grants/applications/\(app.id)", token: stranger.token).status == .forbidden)
            let list = try await t.api(.GET, "/api/v1/grants/applications", token: stranger.token).json()
            #expect(list["items"]?.arrayValue?.isEmpty == true)
            #expect(try await t.api(.GET, "/api/v1/grants/applications/\(app.id)").status == .unauthorized)
            // Nobody may apply in another organisation's name.
            let forged = try await t.api(.POST, "/api/v1/grants/applications", token: stranger.token,
                                         json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString))
            #expect(forged.status == .forbidden)
        }
    }
}
