import Fluent
import Vapor
import SamverkaRules

struct SurveyTextAnswer: Content, Sendable { var respondentGroup: String; var question: String; var text: String }

struct SurveyResultsDTO: Content, Sendable {
    var survey: UUID
    var title: String
    var items: [SurveyResultItem]
    /// The same counts over all groups together.
    var totals: [SurveyResultItem]
    var texts: [SurveyTextAnswer]
    var respondents: Int
}

/// Counting answers "N of M" per group, the CSV of the counts, and importing answers collected elsewhere.
enum SurveyResultsService {
    static func store(_ answers: [String: [String]], respondent: UUID, survey: UUID, on db: any Database) async throws {
        for (q, list) in answers.sorted(by: { $0.key < $1.key }) {
            for a in list {
                let row = SurveyAnswer()
                row.respondentID = respondent
                row.surveyID = survey
                row.question = q
                row.answer = a
                try await row.create(on: db)
            }
        }
    }

    /// Every respondent's answers, in the order they came.
    static func respondents(_ id: UUID, on db: any Database) async throws -> [SurveyRespondentAnswers] {
        let people = try await SurveyRespondent.query(on: db).filter(\.$surveyID == id).sort(\.$createdAt).all()
        var answers: [UUID: [String: [String]]] = [:]
        for a in try await SurveyAnswer.query(on: db).filter(\.$surveyID == id).all() { answers[a.respondentID, default: [:]][a.question, default: []].append(a.answer) }
        return people.compactMap { p in p.id.map { SurveyRespondentAnswers(group: p.respondentGroup, label: p.label, answers: answers[$0] ?? [:]) } }
    }

    static func results(_ s: Survey, on db: any Database) async throws -> SurveyResultsDTO {
        let id = try s.requireID()
        let questions = s.questionList
        let people = try await respondents(id, on: db)
        var texts: [SurveyTextAnswer] = []
        for q in questions where q.kind == .text {
            for p in people { for t in p.answers[q.code] ?? [] { texts.append(SurveyTextAnswer(respondentGroup: p.group, question: q.code, text: t)) } }
        }
        return SurveyResultsDTO(survey: id, title: s.title, items: SurveyResults.tally(questions, people), totals: SurveyResults.totals(questions, people),
                                texts: texts, respondents: people.count)
    }

    /// `respondent_group,question,answer,count,of`, one row per item.
    static func csv(_ r: SurveyResultsDTO) -> String {
        let w = CSVWriter(delimiter: .comma)
        var out = w.row(["respondent_group", "question", "answer", "count", "of"])
        for i in r.items { out += w.row([i.respondentGroup, i.question, i.answer, String(i.count), String(i.of)], numeric: [3, 4]) }
        return out
    }

    /// Imports long-form answers (`respondent_group,respondent,question,answer`; `,` or `;`; UTF-8 with or without
    /// BOM; other columns ignored). All or nothing: every bad row is reported with its line number.
    static func importResponses(_ id: UUID, _ source: ByteSource, localizer: Localizer, in ctx: WriteContext) async throws -> ImportReport {
        let s = try await SurveyService.managed(id, ctx.actor, on: ctx.db)
        let opened = try ImportRejected.open(source, columns: SurveyResults.importColumns, localizer: localizer)
        var reader = opened.reader
        let index = opened.index
        var rows: [SurveyResults.ImportRow] = []
        do {
            while let f = try reader.next() {
                if rows.count >= 200_000 { throw ImportRejected.rows([RowError(line: reader.recordLine, field: nil, message: "Högst 200 000 rader per fil.")], read: rows.count) }
                func col(_ c: String) -> String { index[c].flatMap { $0 < f.count ? f[$0] : nil } ?? "" }
                rows.append(.init(line: reader.recordLine, group: col("respondent_group"), respondent: col("respondent"), question: col("question"), answer: col("answer")))
            }
        } catch let e as CSVError {
            throw ImportRejected.rows([RowError(line: reader.recordLine, field: nil, message: e.description)], read: rows.count)
        }
        let sid = try s.requireID()
        let existing = Set(try await SurveyRespondent.query(on: ctx.db).filter(\.$surveyID == sid).filter(\.$source == "import").all().map(\.label))
        let parsed = SurveyResults.parseImport(rows, questions: s.questionList, existingRespondents: existing)
        if !parsed.errors.isEmpty {
            throw ImportRejected.rows(parsed.errors.map { e in
                RowError(line: e.line, field: e.field, message: FieldError(field: e.field, code: e.code, args: e.args).localized(localizer, .sv).message)
            }, read: rows.count)
        }
        for r in parsed.respondents {
            let p = SurveyRespondent()
            p.id = UUID()
            p.surveyID = sid
            p.respondentGroup = r.group
            p.label = r.label
            p.source = "import"
            try await p.create(on: ctx.db)
            try await store(r.answers, respondent: try p.requireID(), survey: sid, on: ctx.db)
        }
        ctx.auditSummary("importResponses", Survey.auditEntityType, sid.uuidString, [("respondents", .int(parsed.respondents.count)), ("rows", .int(rows.count))])
        return ImportReport(rowsRead: rows.count, imported: rows.count, rejected: [], committed: true)
    }
}
