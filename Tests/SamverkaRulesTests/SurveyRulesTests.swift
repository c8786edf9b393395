import Foundation
import Testing
@testable import SamverkaRules

/// The plain rules of Surveys and the national overview: a survey's definition, answers through a link, counting
/// "N of M" per group, the long-form import, reported values, region names and the comparison of two years.
@Suite("Survey and overview rules")
struct SurveyRulesTests {
    static let forms = [SurveyOption(code: "dialog", label: "Dialog"), SurveyOption(code: "projekt", label: "Projekt"), SurveyOption(code: "bidrag", label: "Bidrag")]
    static let questions = [
        SurveyQuestion(code: "samverkar", text: "Samverkar ni?", kind: .yesNo),
        SurveyQuestion(code: "former", text: "Former?", kind: .multi, options: forms, showIf: SurveyCondition(question: "samverkar", answer: "yes")),
        SurveyQuestion(code: "niva", text: "Nivå?", kind: .single, options: [SurveyOption(code: "information", label: "Information"), SurveyOption(code: "dialog", label: "Dialog")]),
        SurveyQuestion(code: "latt", text: "Hur lätt?", kind: .scale),
        SurveyQuestion(code: "ovrigt", text: "Övrigt", kind: .text),
    ]

    @Test("a survey's questions: codes unique and well formed, options where needed, conditions on earlier choice questions")
    func validation() {
        #expect(SurveyRules.validate(Self.questions).isEmpty)
        #expect(SurveyRules.validate([]).hasError("questions"))
        let bad = [
            SurveyQuestion(code: "Stor Bokstav", text: "x", kind: .yesNo),
            SurveyQuestion(code: "a", text: "", kind: .single, options: [SurveyOption(code: "x", label: "X")]),
            SurveyQuestion(code: "a", text: "dubbel", kind: .scale, options: [SurveyOption(code: "1", label: "1")]),
            SurveyQuestion(code: "b", text: "villkor", kind: .multi, options: [SurveyOption(code: "x", label: "X"), SurveyOption(code: "x", label: "Y")],
                           showIf: SurveyCondition(question: "a", answer: "7")),
            SurveyQuestion(code: "c", text: "framåt", kind: .yesNo, showIf: SurveyCondition(question: "d", answer: "yes")),
            SurveyQuestion(code: "d", text: "d", kind: .yesNo),
        ]
        let e = SurveyRules.validate(bad)
        for f in ["questions[0].code", "questions[1].text", "questions[1].options", "questions[2].code", "questions[2].options", "questions[3].options[1].code",
                  "questions[3].showIf", "questions[4].showIf"] {
            #expect(e.hasError(f), "\(f): \(e.all)")
        }
        #expect(SurveyRules.isCode("samverkar_region") && SurveyRules.isCode("1") && !SurveyRules.isCode("-a") && !SurveyRules.isCode("å") && !SurveyRules.isCode(""))
    }

    @Test("answers through a link: hidden questions dropped, unknown options and two answers to a one-answer question refused")
    func submission() {
        let q = Self.questions
        let ok = SurveyRules.checkSubmission(["samverkar": ["Ja"], "former": ["dialog", "bidrag"], "niva": ["dialog"], "latt": ["4"], "ovrigt": ["Mer stöd"]], questions: q)
        #expect(ok.errors.isEmpty)
        #expect(ok.answers == ["samverkar": ["yes"], "former": ["dialog", "bidrag"], "niva": ["dialog"], "latt": ["4"], "ovrigt": ["Mer stöd"]])
        // "former" is only asked of those who collaborate: dropped for a "no".
        let no = SurveyRules.checkSubmission(["samverkar": ["nej"], "former": ["dialog"]], questions: q)
        #expect(no.errors.isEmpty && no.answers == ["samverkar": ["no"]])
        let bad = SurveyRules.checkSubmission(["niva": ["information", "dialog"], "latt": ["6"]], questions: q)
        #expect(bad.errors.hasError("niva") && bad.errors.hasError("latt"))
        var required = q
        required[0].required = true
        #expect(SurveyRules.checkSubmission([:], questions: required).errors.hasError("samverkar"))
    }

    /// Five respondents in two groups; the hand count is in the comments.
    static let people = [
        SurveyRespondentAnswers(group: "civilsamhälle", label: "A", answers: ["samverkar": ["yes"], "former": ["dialog", "projekt"], "niva": ["dialog"]]),
        SurveyRespondentAnswers(group: "civilsamhälle", label: "B", answers: ["samverkar": ["yes"], "former": ["dialog"], "ovrigt": ["Fler möten"]]),
        SurveyRespondentAnswers(group: "civilsamhälle", label: "C", answers: ["samverkar": ["no"]]),
        SurveyRespondentAnswers(group: "enheter", label: "D", answers: ["former": ["bidrag", "dialog"], "latt": ["2"]]),
        SurveyRespondentAnswers(group: "enheter", label: "E", answers: ["former": ["bidrag"]]),
    ]

    func item(_ r: [SurveyResultItem], _ g: String, _ q: String, _ a: String) -> (Int, Int)? {
        r.first { $0.respondentGroup == g && $0.question == q && $0.answer == a }.map { ($0.count, $0.of) }
    }

    @Test("N of M: of = those in the group who answered the question; every option listed, 0 included; no rows for a group that did not answer")
    func tally() {
        let r = SurveyResults.tally(Self.questions, Self.people)
        // samverkar: civilsamhälle 2 yes, 1 no of 3; enheter never answered it.
        #expect(item(r, "civilsamhälle", "samverkar", "yes")! == (2, 3))
        #expect(item(r, "civilsamhälle", "samverkar", "no")! == (1, 3))
        #expect(item(r, "enheter", "samverkar", "yes") == nil)
        // former (multi): civilsamhälle A and B answered → of 2; dialog 2, projekt 1, bidrag 0.
        #expect(item(r, "civilsamhälle", "former", "dialog")! == (2, 2))
        #expect(item(r, "civilsamhälle", "former", "projekt")! == (1, 2))
        #expect(item(r, "civilsamhälle", "former", "bidrag")! == (0, 2))
        #expect(item(r, "enheter", "former", "bidrag")! == (2, 2))
        #expect(item(r, "enheter", "former", "dialog")! == (1, 2))
        #expect(item(r, "enheter", "former", "projekt")! == (0, 2))
        // niva: only A → 1 of 1 for dialog, 0 of 1 information.
        #expect(item(r, "civilsamhälle", "niva", "information")! == (0, 1))
        // scale: every step appears, 1 of 1 at 2.
        #expect(r.filter { $0.question == "latt" }.map(\.answer) == ["1", "2", "3", "4", "5"])
        #expect(item(r, "enheter", "latt", "2")! == (1, 1))
        // Free text is not counted.
        #expect(!r.contains { $0.question == "ovrigt" })
        // Totals over all groups: former answered by 4, dialog by 3.
        let t = SurveyResults.totals(Self.questions, Self.people)
        #expect(item(t, "", "former", "dialog")! == (3, 4))
        #expect(SurveyResultItem(respondentGroup: "", question: "", answer: "", count: 15, of: 17).percent == 88)
    }

    func row(_ line: Int, _ g: String, _ who: String, _ q: String, _ a: String) -> SurveyResults.ImportRow { .init(line: line, group: g, respondent: who, question: q, answer: a) }

    @Test("import: long form into respondents; every bad row reported with its line; nothing returned on any error")
    func importRows() {
        let good = SurveyResults.parseImport([
            row(2, "civilsamhälle", "A", "samverkar", "Ja"), row(3, "civilsamhälle", "A", "former", "dialog"), row(4, "civilsamhälle", "A", "former", "projekt"),
            row(5, "enheter", "D", "latt", "2"), row(6, "enheter", "D", "niva", ""),
        ], questions: Self.questions)
        #expect(good.errors.isEmpty)
        #expect(good.respondents.map(\.label) == ["A", "D"])
        #expect(good.respondents[0].answers == ["samverkar": ["yes"], "former": ["dialog", "projekt"]])
        let bad = SurveyResults.parseImport([
            row(2, "civilsamhälle", "A", "samverkar", "Ja"),
            row(3, "civilsamhälle", "A", "samverkar", "Nej"),        // second answer to a yes/no question
            row(4, "civilsamhälle", "A", "former", "kaffe"),          // unknown option
            row(5, "civilsamhälle", "A", "okand", "Ja"),              // not a question of this survey
            row(6, "enheter", "A", "niva", "dialog"),                  // A is in another group already
            row(7, "civilsamhälle", "B", "former", "dialog"),
            row(8, "civilsamhälle", "B", "former", "dialog"),         // the same answer twice
            row(9, "civilsamhälle", "", "niva", "dialog"),             // no respondent
            row(10, "civilsamhälle", "Z", "niva", "dialog"),           // already imported
        ], questions: Self.questions, existingRespondents: ["Z"])
        #expect(bad.respondents.isEmpty)
        #expect(bad.errors.map(\.line) == [3, 4, 5, 6, 8, 9, 10])
        #expect(bad.errors.map(\.code) == ["surveySecondAnswer", "surveyUnknownAnswer", "surveyUnknownQuestion", "surveyTwoGroups", "surveyAnswerTwice", "required",
                                           "surveyRespondentExists"])
    }

    @Test("reported values: Ja/Nej; empty or a dash with or without a footnote mark is unknown, never no")
    func reported() {
        #expect(OverviewRules.reportedValue("Ja") == .yes && OverviewRules.reportedValue(" nej ") == .no && OverviewRules.reportedValue("Yes") == .yes)
        for raw in ["", "-", "–", "—", "–*", "- *", "–¹", "—**"] { #expect(OverviewRules.reportedValue(raw) == .unknown, "\(raw)") }
        #expect(OverviewRules.reportedValue("Kanske") == nil)
        #expect(OverviewRules.reportedValue("Ja*") == .yes)
    }

    static let counties: [(code: String, name: String)] = [("01", "Stockholms län"), ("04", "Södermanlands län"), ("06", "Jönköpings län"), ("12", "Skåne län"),
                                                          ("14", "Västra Götalands län"), ("17", "Värmlands län"), ("23", "Jämtlands län")]

    @Test("region names: county code, county, region or the short name national reports use")
    func regions() {
        let c = Self.counties
        for (raw, code) in [("17", "17"), ("1", "01"), ("Värmlands län", "17"), ("Region Värmland", "17"), ("Värmland", "17"), ("värmland", "17"),
                            ("Sörmland", "04"), ("Region Sörmland", "04"), ("Södermanland", "04"), ("Jämtland Härjedalen", "23"), ("Västra Götaland", "14"),
                            ("Västra Götalandsregionen", "14"), ("Skåne", "12"), ("Skane", "12"), ("Region Jönköpings län", "06"), ("Stockholm", "01")] {
            #expect(OverviewRules.countyCode(for: raw, counties: c) == code, "\(raw)")
        }
        #expect(OverviewRules.countyCode(for: "Atlantis", counties: c) == nil)
        #expect(OverviewRules.countyCode(for: "99", counties: c) == nil)
    }

    @Test("a cell: records decide where they exist, a disagreeing report is kept and flagged; otherwise the report; otherwise unknown")
    func cells() {
        #expect(OverviewRules.cell(platform: true, reported: .yes) == OverviewCell(value: .yes, source: .platform, reported: .yes, conflict: false))
        #expect(OverviewRules.cell(platform: false, reported: .yes) == OverviewCell(value: .no, source: .platform, reported: .yes, conflict: true))
        #expect(OverviewRules.cell(platform: false, reported: .unknown).conflict == false)
        #expect(OverviewRules.cell(platform: nil, reported: .no) == OverviewCell(value: .no, source: .reported))
        #expect(OverviewRules.cell(platform: nil, reported: .unknown).value == .unknown)
        #expect(OverviewRules.cell(platform: nil, reported: nil) == OverviewCell(value: .unknown, source: .none))
    }

    @Test("changes between years: only values known in both; unknown in either is not comparable")
    func changes() {
        let r = OverviewRules.changes(countyCode: "04", from: ["agreement": "unknown", "iop": "no", "councils": "2"], to: ["agreement": "no", "iop": "yes", "councils": "2"],
                                      indicators: ["agreement", "iop", "councils"])
        #expect(r.changed == [OverviewRules.Change(countyCode: "04", indicator: "iop", from: "no", to: "yes")])
        #expect(r.notComparable == [OverviewRules.Change(countyCode: "04", indicator: "agreement", from: "unknown", to: "no")])
        #expect(OverviewRules.summary([.yes, .no, .unknown, .yes]) == (2, 1, 1))
        #expect(OverviewRules.overlaps(year: 2020, from: LocalDate("2018-01-01"), to: LocalDate("2020-01-01")))
        #expect(!OverviewRules.overlaps(year: 2020, from: LocalDate("2021-01-01"), to: nil))
    }

    @Test("in force during a year: agreements and IOPs")
    func duringYear() {
        let d = { (s: String) in LocalDate(s)! }
        let v = AgreementVersionFacts(id: UUID(), number: 1, status: .replaced, draftedOn: d("2017-01-01"), adoptedOn: d("2018-06-12"), validFrom: d("2018-06-12"),
                                      endedOn: d("2020-03-01"), consultationDeadline: nil)
        #expect(AgreementRules.inForce([v], from: d("2020-01-01"), to: d("2020-12-31")))
        #expect(!AgreementRules.inForce([v], from: d("2021-01-01"), to: d("2021-12-31")))
        #expect(!AgreementRules.inForce([v], from: d("2017-01-01"), to: d("2017-12-31")))
        #expect(PipelineRules.inForce(state: .ended, period: (d("2019-01-01"), d("2022-12-31")), closedOn: d("2021-06-01"), from: d("2021-01-01"), to: d("2021-12-31")))
        #expect(!PipelineRules.inForce(state: .ended, period: (d("2019-01-01"), d("2022-12-31")), closedOn: d("2021-06-01"), from: d("2022-01-01"), to: d("2022-12-31")))
        #expect(!PipelineRules.inForce(state: .decision, period: (d("2019-01-01"), d("2022-12-31")), closedOn: nil, from: d("2020-01-01"), to: d("2020-12-31")))
    }

    @Test("who runs surveys: a body's officials for its surveys, analysts for national ones and the overview")
    func policy() {
        let body = UUID(), other = UUID()
        let official = Principal(userID: UUID(), displayName: "o", grants: [Grant(role: .official, bodyID: body)], method: .session)
        let analyst = Principal(userID: UUID(), displayName: "a", grants: [Grant(role: .analyst)], method: .session)
        let rep = Principal(userID: UUID(), displayName: "r", grants: [Grant(role: .representative, organisationID: UUID())], method: .session)
        #expect(Policy.allows(official, .surveysManage, .body(body, unitPath: [])) && !Policy.allows(official, .surveysManage, .body(other, unitPath: [])))
        #expect(Policy.allows(analyst, .surveysManage) && !Policy.allows(analyst, .surveysManage, .body(body, unitPath: [])))
        #expect(Policy.allows(analyst, .overviewManage) && !Policy.allows(official, .overviewManage))
        #expect(!Policy.allows(rep, .surveysManage) && !Policy.allows(rep, .overviewManage))
    }
}
