import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App
import SamverkaRules

/// Surveys and the national overview through the API, on SQLite and PostgreSQL: build a survey, send it to
/// organisations and units, answer through the personal links, count "N of M"; import answers in long form and check
/// every count against a hand count; refuse bad files whole; and the overview of all 21 regions from records and
/// reported figures, with unknown kept apart from no.
@Suite("Surveys and overview", .serialized)
struct SurveyFlowTests {
    struct Q: Encodable { var code: String; var text: String; var kind: String; var options: [O]? = nil; var showIf: C? = nil; var required: Bool? = nil }
    struct O: Encodable { var code: String; var label: String }
    struct C: Encodable { var question: String; var answer: String }
    struct NewSurvey: Encodable { var title: String; var questions: [Q]; var bodyId: String? = nil; var opensOn: String? = nil; var closesOn: String? = nil; var anonymous: Bool? = nil }
    struct Recipients: Encodable { var kind: String; var ids: [String]? = nil; var bodyId: String? = nil; var group: String? = nil; var municipality: String? = nil }
    struct Answers: Encodable { var answers: [String: [String]] }
    struct Item: Decodable, Equatable { var respondentGroup: String; var question: String; var answer: String; var count: Int; var of: Int }
    struct Results: Decodable { var items: [Item]; var texts: [SurveyTextAnswer]; var respondents: Int }

    static let questions = [
        Q(code: "samverkar", text: "Samverkar ni med regionen?", kind: "yesNo", required: true),
        Q(code: "former", text: "I vilka former?", kind: "multi", options: [O(code: "dialog", label: "Dialog"), O(code: "projekt", label: "Projekt"), O(code: "bidrag", label: "Bidrag")],
          showIf: C(question: "samverkar", answer: "yes")),
        Q(code: "niva", text: "På vilken nivå?", kind: "single", options: [O(code: "information", label: "Information"), O(code: "dialog", label: "Dialog")]),
        Q(code: "ovrigt", text: "Något mer?", kind: "text"),
    ]

    static func count(_ items: [Item], _ g: String, _ q: String, _ a: String) -> [Int]? {
        items.first { $0.respondentGroup == g && $0.question == q && $0.answer == a }.map { [$0.count, $0.of] }
    }

    @Test("an official builds a survey, sends it to organisations and units, answers arrive through the links, results count N of M per group")
    func buildSendAnswer() async throws {
        try await TestApp.run { t in
            let body = try await t.region("25", name: "Region Norrbotten")
            let other = try await t.region("17", name: "Region Värmland")
            let u1 = try await t.unit(body: body, name: "Kulturenheten"), u2 = try await t.unit(body: body, name: "Folkhälsa")
            try await t.db.write(as: .system("test")) { ctx in
                for u in [u1, u2] { let m = try await OrgUnit.require(u, on: ctx.db); m.email = "enhet-\(m.name.lowercased())@rn.example"; try await m.save(on: ctx.db) }
            }
            var orgs: [UUID] = []
            for (i, name) in ["Bris Norrbotten", "Lottakåren Norrbotten", "Folkets Hus Norrbotten"].enumerated() {
                let o = try await t.organisation(name, areas: ["social"], municipalities: ["2580"])
                try await t.db.write(as: .system("test")) { ctx in let m = try await Organisation.require(o, on: ctx.db); m.email = "org\(i)@test.example"; try await m.save(on: ctx.db) }
                orgs.append(o)
            }
            let official = try await t.user(.official, body: body)
            let stranger = try await t.user(.official, body: other)
            let rep = try await t.user(.representative, organisation: orgs[0])
            // The contract body: title and questions only.
            #expect(try await t.api(.POST, "/api/v1/surveys", token: rep.token, json: NewSurvey(title: "Kartläggning", questions: Self.questions)).status == .forbidden)
            let created = try await t.api(.POST, "/api/v1/surveys", token: official.token, json: NewSurvey(title: "Kartläggning 2026", questions: Self.questions, bodyId: body.uuidString))
            try #require(created.status == .created, "\(created.text)")
            let survey = try created.decode(SurveyDTO.self)
            #expect(survey.questions.map(\.code) == ["samverkar", "former", "niva", "ovrigt"] && survey.questions[1].showIf?.question == "samverkar")
            // Bad definitions are field errors; another body's official cannot touch it, nor move it to their own body.
            let bad = try await t.api(.POST, "/api/v1/surveys", token: official.token, json: NewSurvey(title: "Trasig", questions: [
                Q(code: "a", text: "A", kind: "single", options: [O(code: "x", label: "X")]), Q(code: "a", text: "B", kind: "yesNo")], bodyId: body.uuidString))
            #expect(bad.status == .unprocessableEntity && Set(bad.problemFields).isSuperset(of: ["questions[0].options", "questions[1].code"]), "\(bad.problemFields)")
            #expect(try await t.api(.PUT, "/api/v1/surveys/\(survey.id)", token: stranger.token, json: NewSurvey(title: "Min nu", questions: Self.questions, bodyId: other.uuidString)).status == .forbidden)
            // Audience: the three organisations (in Luleå) and every unit of the region, each in its group.
            let addOrgs = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/recipients", token: official.token, json: Recipients(kind: "organisation", municipality: "2580"))
            #expect(addOrgs.status == .ok, "\(addOrgs.text)")
            _ = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/recipients", token: official.token, json: Recipients(kind: "unit", bodyId: body.uuidString, group: "Region Norrbotten, enheter"))
            let recipients = try await t.api(.GET, "/api/v1/surveys/\(survey.id)/recipients", token: official.token).decode([SurveyRecipientDTO].self)
            #expect(recipients.count == 5)
            #expect(Set(recipients.map(\.respondentGroup)) == ["civilsamhälle", "Region Norrbotten, enheter"])
            // Send: one personal link each, through the outbox.
            let sent = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/send", token: official.token)
            #expect(sent.status == .ok)
            #expect(try sent.decode(SurveyDTO.self).invited == 5)
            let mails = try await OutboxMail.query(on: t.db).all()
            #expect(mails.count == 5)
            func link(_ to: String) throws -> String {
                let m = try #require(mails.first { $0.recipient == to })
                let range = try #require(m.body.range(of: "/s/"))
                return String(m.body[range.upperBound...].prefix { !$0.isWhitespace })
            }
            // Answers: two organisations and one unit; the third organisation answers only the first question.
            let answers: [(String, [String: [String]])] = [
                ("org0@test.example", ["samverkar": ["Ja"], "former": ["dialog", "bidrag"], "niva": ["dialog"], "ovrigt": ["Fler dialogmöten, tack."]]),
                ("org1@test.example", ["samverkar": ["yes"], "former": ["dialog"]]),
                ("org2@test.example", ["samverkar": ["nej"], "former": ["projekt"]]),
                ("enhet-kulturenheten@rn.example", ["samverkar": ["yes"], "former": ["projekt"], "niva": ["information"]]),
            ]
            for (to, a) in answers {
                let token = try link(to)
                #expect(try await t.api(.GET, "/api/v1/survey-links/\(token)").status == .ok)
                let r = try await t.api(.POST, "/api/v1/survey-links/\(token)", json: Answers(answers: a))
                #expect(r.status == .created, "\(to): \(r.text)")
                #expect(try await t.api(.POST, "/api/v1/survey-links/\(token)", json: Answers(answers: a)).status == .conflict, "a link answers once")
            }
            // A wrong answer is a field error and nothing is stored.
            let wrong = try await t.api(.POST, "/api/v1/survey-links/\(try link("enhet-folkhälsa@rn.example"))", json: Answers(answers: ["samverkar": ["kanske"]]))
            #expect(wrong.status == .unprocessableEntity && wrong.problemFields == ["samverkar"])
            #expect(try await t.api(.GET, "/api/v1/survey-links/not-a-token").status == .notFound)
            let dto = try await t.api(.GET, "/api/v1/surveys/\(survey.id)", token: official.token).decode(SurveyDTO.self)
            #expect(dto.answered == 4 && dto.invited == 5 && dto.responseRate == 80)
            // Not public before it is published.
            #expect(try await t.api(.GET, "/api/v1/surveys/\(survey.id)/results").status == .notFound)
            let r = try await t.api(.GET, "/api/v1/surveys/\(survey.id)/results", token: official.token).decode(Results.self)
            let c = "civilsamhälle", e = "Region Norrbotten, enheter"
            #expect(Self.count(r.items, c, "samverkar", "yes") == [2, 3] && Self.count(r.items, c, "samverkar", "no") == [1, 3])
            // "former" is only asked of those who collaborate: org2's answer was dropped.
            #expect(Self.count(r.items, c, "former", "dialog") == [2, 2] && Self.count(r.items, c, "former", "bidrag") == [1, 2] && Self.count(r.items, c, "former", "projekt") == [0, 2])
            #expect(Self.count(r.items, c, "niva", "dialog") == [1, 1] && Self.count(r.items, c, "niva", "information") == [0, 1])
            #expect(Self.count(r.items, e, "former", "projekt") == [1, 1] && Self.count(r.items, e, "former", "dialog") == [0, 1])
            #expect(r.texts.map(\.text) == ["Fler dialogmöten, tack."])
            // Reminders go to the one who has not answered.
            #expect(try await t.api(.POST, "/api/v1/surveys/\(survey.id)/remind", token: official.token).status == .ok)
            #expect(try await OutboxMail.query(on: t.db).count() == 6)
            // Published results are public, as JSON and CSV.
            #expect(try await t.api(.POST, "/api/v1/surveys/\(survey.id)/publish", token: official.token).status == .ok)
            #expect(try await t.api(.GET, "/api/v1/surveys/\(survey.id)/results").status == .ok)
            let csv = try await t.api(.GET, "/api/v1/surveys/\(survey.id)/results.csv")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.text.split(whereSeparator: \.isNewline).map(String.init)
            #expect(lines.first == "respondent_group,question,answer,count,of")
            #expect(lines.contains("civilsamhälle,samverkar,yes,2,3"))
            // Once answers exist, the questions' structure is fixed, their texts are not.
            var changed = Self.questions
            changed[2].options?.append(O(code: "partnerskap", label: "Partnerskap"))
            #expect(try await t.api(.PUT, "/api/v1/surveys/\(survey.id)", token: official.token, json: NewSurvey(title: "Kartläggning 2026", questions: changed)).problemFields == ["questions"])
            changed = Self.questions
            changed[0].text = "Samverkar er organisation med Region Norrbotten?"
            #expect(try await t.api(.PUT, "/api/v1/surveys/\(survey.id)", token: official.token, json: NewSurvey(title: "Kartläggning 2026", questions: changed)).status == .ok)
        }
    }

    /// The long-form file of the hand count: two groups; "P3" answered only the first question; multi-choice answers
    /// on several rows; a yes/no answer as "Ja"; semicolons and a BOM.
    static let longFile = "\u{FEFF}respondent_group;respondent;question;answer;comment\n"
        + "civilsamhälle;P1;samverkar;Ja;\n" + "civilsamhälle;P1;former;dialog;\n" + "civilsamhälle;P1;former;projekt;\n" + "civilsamhälle;P1;niva;dialog;\n"
        + "civilsamhälle;P2;samverkar;yes;\n" + "civilsamhälle;P2;former;bidrag;\n" + "civilsamhälle;P2;niva;information;\n" + "civilsamhälle;P2;ovrigt;Mer pengar;\n"
        + "civilsamhälle;P3;samverkar;Nej;ingen kommentar\n"
        + "enheter;E1;samverkar;Ja;\n" + "enheter;E1;former;dialog;\n" + "enheter;E1;former;bidrag;\n" + "enheter;E1;former;projekt;\n"
        + "enheter;E2;samverkar;Ja;\n" + "enheter;E2;former;dialog;\n" + "enheter;E2;niva;;\n"

    @Test("import of answers in long form: every count and 'of' as counted by hand; bad files refused whole with line numbers; CLI and API alike")
    func importLongForm() async throws {
        try await TestApp.run { t in
            let body = try await t.region("25", name: "Region Norrbotten")
            let official = try await t.user(.official, body: body)
            let created = try await t.api(.POST, "/api/v1/surveys", token: official.token, json: NewSurvey(title: "Importerad kartläggning", questions: Self.questions, bodyId: body.uuidString))
            let survey = try created.decode(SurveyDTO.self)
            // A bad file: every bad row with its line, nothing stored.
            let badFile = "respondent_group,respondent,question,answer\n" + "civilsamhälle,P1,samverkar,Ja\n" + "civilsamhälle,P1,samverkar,Nej\n"
                + "civilsamhälle,P1,former,kaffe\n" + "civilsamhälle,P1,annan_enkat_fraga,Ja\n" + "civilsamhälle,P2,niva,dialog\n" + "civilsamhälle,P2,niva,information\n"
            let bad = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/responses/import", token: official.token, rawBody: badFile, contentType: "text/csv")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(bad.problemFields == ["rows[3].answer", "rows[4].answer", "rows[5].question", "rows[7].answer"], "\(bad.problemFields)")
            #expect(try await t.count("survey_respondents") == 0)
            #expect(try await t.count("survey_answers") == 0)
            let missing = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/responses/import", token: official.token, rawBody: "group,who,q\nx,y,z\n", contentType: "text/csv")
            #expect(missing.status == .unprocessableEntity && missing.problemFields == ["rows[1]"])
            // The good file.
            let ok = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/responses/import", token: official.token, rawBody: Self.longFile, contentType: "text/csv")
            #expect(ok.status == .ok, "\(ok.text)")
            let r = try await t.api(.GET, "/api/v1/surveys/\(survey.id)/results", token: official.token).decode(Results.self)
            #expect(r.respondents == 5)
            let c = "civilsamhälle", e = "enheter"
            // Hand count. samverkar: c yes P1 P2, no P3 → 2/3, 1/3; e yes E1 E2 → 2/2, no 0/2.
            #expect(Self.count(r.items, c, "samverkar", "yes") == [2, 3] && Self.count(r.items, c, "samverkar", "no") == [1, 3])
            #expect(Self.count(r.items, e, "samverkar", "yes") == [2, 2] && Self.count(r.items, e, "samverkar", "no") == [0, 2])
            // former (multi): c P1 {dialog, projekt}, P2 {bidrag} → of 2 (P3 did not answer it): dialog 1, projekt 1, bidrag 1.
            #expect(Self.count(r.items, c, "former", "dialog") == [1, 2] && Self.count(r.items, c, "former", "projekt") == [1, 2] && Self.count(r.items, c, "former", "bidrag") == [1, 2])
            // e E1 {dialog, bidrag, projekt}, E2 {dialog} → of 2: dialog 2, bidrag 1, projekt 1.
            #expect(Self.count(r.items, e, "former", "dialog") == [2, 2] && Self.count(r.items, e, "former", "bidrag") == [1, 2] && Self.count(r.items, e, "former", "projekt") == [1, 2])
            // niva: c P1 dialog, P2 information → of 2; e: E2's empty answer is no answer → no rows for e.
            #expect(Self.count(r.items, c, "niva", "dialog") == [1, 2] && Self.count(r.items, c, "niva", "information") == [1, 2])
            #expect(!r.items.contains { $0.respondentGroup == e && $0.question == "niva" })
            // Rows: samverkar 2 groups × 2, former 2 × 3, niva 1 × 2 (c only).
            let expectedRows = 4 + 6 + 2
            #expect(r.items.count == expectedRows, "every option for every group that answered: \(r.items.count)")
            #expect(r.texts.map(\.text) == ["Mer pengar"])
            // The same respondents again are refused.
            let again = try await t.api(.POST, "/api/v1/surveys/\(survey.id)/responses/import", token: official.token, rawBody: Self.longFile, contentType: "text/csv")
            #expect(again.status == .unprocessableEntity && again.problemFields.first == "rows[2].respondent")
            // The CLI takes the same file.
            let survey2 = try await t.api(.POST, "/api/v1/surveys", token: official.token, json: NewSurvey(title: "Via kommandoraden", questions: Self.questions, bodyId: body.uuidString)).decode(SurveyDTO.self)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("svar-\(UUID().uuidString).csv").path
            try Self.longFile.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            // What `samverka import survey-responses --survey ID FILE.csv` runs (the command itself is run by the browser suite).
            let localizer = t.app.localizer
            _ = try await t.db.write(as: .system("import")) { ctx in
                try await SurveyResultsService.importResponses(survey2.id, try ByteSource.file(path), localizer: localizer, in: ctx)
            }
            let r2 = try await t.api(.GET, "/api/v1/surveys/\(survey2.id)/results", token: official.token).decode(Results.self)
            #expect(r2.items == r.items)
        }
    }

    struct Overview: Decodable {
        struct Cell: Decodable { var value: String; var source: String; var count: Int?; var reported: String?; var conflict: Bool }
        struct Row: Decodable { var region: String; var countyCode: String; var agreement: Cell; var iop: Cell; var councils: Int?; var grantsSek: Int?; var signatories: Int? }
        var items: [Row]
        var summary: [OverviewSummaryDTO]
    }
    struct Changes: Decodable { var items: [OverviewChangeDTO]; var notComparable: [OverviewChangeDTO] }

    @Test("national overview: records for a region that keeps its agreement here, reported figures for the others, unknown never no (API, CSV, page)")
    func overview() async throws {
        try await TestApp.run { t in
            // Region Värmland keeps its agreement here, adopted 2021-03-01.
            let w = try await AgreementFlowTests.world(t)
            _ = try await AgreementFlowTests.adopted(t, w, on: "2021-03-01")
            let analyst = try await t.user(.analyst)
            let file = "region;year;agreement;iop;not used\n" + "Sörmland;2020;–*;–*;x\n" + "Sörmland;2023;Nej;Ja;\n" + "Kalmar;2020;Nej;Nej;\n"
                + "Region Kalmar län;2023;Ja;Nej;\n" + "17;2020;Ja;Ja;\n" + "Värmlands län;2023;Ja;Ja;\n" + "Jämtland Härjedalen;2023;Nej;-;\n"
            #expect(try await t.api(.POST, "/api/v1/overview/import", token: w.official.token, rawBody: file, contentType: "text/csv").status == .forbidden)
            let bad = try await t.api(.POST, "/api/v1/overview/import", token: analyst.token, rawBody: "region,year,agreement,iop\nAtlantis,2020,Ja,Ja\nSkåne,20x0,Ja,Ja\nSkåne,2020,Kanske,Ja\nSkåne,2021,Ja,Ja\nSkåne,2021,Nej,Nej\n", contentType: "text/csv")
            #expect(bad.problemFields == ["rows[2].region", "rows[3].year", "rows[4].agreement", "rows[6].region"], "\(bad.problemFields)")
            #expect(try await t.count("overview_reported") == 0)
            let ok = try await t.api(.POST, "/api/v1/overview/import", token: analyst.token, rawBody: file, contentType: "text/csv")
            #expect(ok.status == .ok, "\(ok.text)")
            let y2020 = try await t.api(.GET, "/api/v1/overview?year=2020").decode(Overview.self)
            let y2023 = try await t.api(.GET, "/api/v1/overview?year=2023").decode(Overview.self)
            #expect(y2020.items.count == 21 && y2023.items.count == 21)
            func row(_ o: Overview, _ code: String) throws -> Overview.Row { try #require(o.items.first { $0.countyCode == code }) }
            // Sörmland 2020: not surveyed → unknown, never no.
            #expect(try row(y2020, "04").agreement.value == "unknown" && (try row(y2020, "04")).agreement.source == "reported")
            #expect(try row(y2023, "04").iop.value == "yes" && (try row(y2023, "04")).agreement.value == "no")
            // Jämtland Härjedalen's IOP was a dash: unknown.
            #expect(try row(y2023, "23").iop.value == "unknown")
            // A county nobody reported on and no records: unknown with no source.
            #expect(try row(y2023, "12").agreement.value == "unknown" && (try row(y2023, "12")).agreement.source == "none")
            // Värmland: computed from the agreement on the platform. 2020: no (adopted 2021), though the region reported yes → both shown, flagged.
            let v2020 = try row(y2020, "17").agreement, v2023 = try row(y2023, "17").agreement
            #expect(v2020.value == "no" && v2020.source == "platform" && v2020.reported == "yes" && v2020.conflict)
            #expect(v2023.value == "yes" && v2023.source == "platform" && !v2023.conflict)
            #expect(try row(y2023, "17").signatories == 0)
            #expect(y2023.summary.first { $0.indicator == "agreement" }.map { [$0.yes, $0.no, $0.unknown] } == [2, 2, 17])
            // Changes 2020 → 2023: only values known in both years.
            let ch = try await t.api(.GET, "/api/v1/overview/changes?from=2020&to=2023").decode(Changes.self)
            #expect(ch.items.contains { $0.countyCode == "08" && $0.indicator == "agreement" && $0.from == "no" && $0.to == "yes" })
            #expect(ch.items.contains { $0.countyCode == "17" && $0.indicator == "agreement" && $0.from == "no" && $0.to == "yes" })
            #expect(!ch.items.contains { $0.countyCode == "04" })
            #expect(ch.notComparable.contains { $0.countyCode == "04" && $0.indicator == "agreement" && $0.from == "unknown" && $0.to == "no" })
            #expect(ch.items.allSatisfy { $0.from != "unknown" && $0.to != "unknown" && $0.from != $0.to })
            // CSV keeps unknown apart from no.
            let csv = try await t.api(.GET, "/api/v1/overview.csv?year=2020").text
            #expect(csv.contains("Region 04,04,2020,unknown,reported") || csv.contains(",04,2020,unknown,reported"), "\(csv.prefix(400))")
            let badYear = try await t.api(.GET, "/api/v1/overview?year=20x0")
            #expect((badYear.status == .badRequest || badYear.status == .unprocessableEntity) && badYear.problemFields == ["year"], "\(badYear.status) \(badYear.text)")
            // The page shows the same.
            let page = try await t.send(.GET, "/overview?year=2020&from=2020&to=2023")
            #expect(page.status == .ok && page.text.contains("Okänt") && page.text.contains("Regionen rapporterade: Ja"))
        }
    }
}
