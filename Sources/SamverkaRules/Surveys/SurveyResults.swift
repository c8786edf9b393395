import Foundation

/// One respondent's answers: question code → answer codes (for a text question, the text).
public struct SurveyRespondentAnswers: Sendable, Equatable {
    public var group: String
    public var label: String
    public var answers: [String: [String]]
    public init(group: String, label: String = "", answers: [String: [String]]) {
        self.group = group
        self.label = label
        self.answers = answers
    }
}

/// One cell of a survey's results: of the respondents in `respondentGroup` who answered `question` at all (`of`),
/// `count` gave `answer`.
public struct SurveyResultItem: Codable, Sendable, Equatable {
    public var respondentGroup: String
    public var question: String
    public var answer: String
    public var count: Int
    public var of: Int
    public init(respondentGroup: String, question: String, answer: String, count: Int, of: Int) {
        self.respondentGroup = respondentGroup
        self.question = question
        self.answer = answer
        self.count = count
        self.of = of
    }

    /// Share in whole percent, as reports print it.
    public var percent: Int { of == 0 ? 0 : Int((Double(count) * 100 / Double(of)).rounded()) }
}

/// A row of an imported file that cannot be taken, with its line number (the header is line 1).
public struct SurveyLineError: Sendable, Equatable {
    public var line: Int
    public var field: String
    public var code: String
    public var args: [String]
    public init(line: Int, field: String, code: String, args: [String] = []) {
        self.line = line
        self.field = field
        self.code = code
        self.args = args
    }
}

public enum SurveyResults {
    /// Counts "N of M" per question, group and answer. Every answer of a counted question appears for every group in
    /// which anybody answered that question, with count 0 where nobody chose it; a group where nobody answered the
    /// question gets no rows for it. Free-text questions are listed elsewhere, not counted. Groups come in the order
    /// given (or sorted by name), questions and answers in the survey's order.
    public static func tally(_ questions: [SurveyQuestion], _ respondents: [SurveyRespondentAnswers], groups: [String]? = nil) -> [SurveyResultItem] {
        let order = groups ?? Array(Set(respondents.map(\.group))).sorted { SwedishCollation.key($0) < SwedishCollation.key($1) }
        var byGroup: [String: [SurveyRespondentAnswers]] = [:]
        for r in respondents { byGroup[r.group, default: []].append(r) }
        var out: [SurveyResultItem] = []
        for q in questions where q.kind.isCounted {
            let choices = q.choices.map(\.code)
            for g in order {
                let answered = (byGroup[g] ?? []).compactMap { r -> Set<String>? in
                    let given = Set((r.answers[q.code] ?? []).filter { choices.contains($0) })
                    return given.isEmpty ? nil : given
                }
                guard !answered.isEmpty else { continue }
                for c in choices {
                    out.append(SurveyResultItem(respondentGroup: g, question: q.code, answer: c, count: answered.filter { $0.contains(c) }.count, of: answered.count))
                }
            }
        }
        return out
    }

    /// The same counts over all groups together (the "Alla" column of a cross-tab).
    public static func totals(_ questions: [SurveyQuestion], _ respondents: [SurveyRespondentAnswers]) -> [SurveyResultItem] {
        tally(questions, respondents.map { SurveyRespondentAnswers(group: "", label: $0.label, answers: $0.answers) }, groups: [""])
    }

    public struct ImportRow: Sendable, Equatable {
        public var line: Int
        public var group: String
        public var respondent: String
        public var question: String
        public var answer: String
        public init(line: Int, group: String, respondent: String, question: String, answer: String) {
            self.line = line
            self.group = group
            self.respondent = respondent
            self.question = question
            self.answer = answer
        }
    }

    /// The columns an import needs, in the names the file must use.
    public static let importColumns = ["respondent_group", "respondent", "question", "answer"]

    /// Turns long-form rows (one per respondent, question and answer) into respondents, or reports every bad row:
    /// an unknown question (not one of this survey's), an unknown option, a second answer to a question that takes
    /// one, the same answer twice, a respondent in two groups, or a respondent already in the survey. An empty answer
    /// means the question was not answered. All or nothing: any error and no respondent is returned.
    public static func parseImport(_ rows: [ImportRow], questions: [SurveyQuestion], existingRespondents: Set<String> = []) -> (respondents: [SurveyRespondentAnswers], errors: [SurveyLineError]) {
        var errors: [SurveyLineError] = []
        let byCode = Dictionary(questions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var order: [String] = []
        var respondents: [String: SurveyRespondentAnswers] = [:]
        for row in rows {
            let group = row.group.trimmingCharacters(in: .whitespacesAndNewlines)
            let who = row.respondent.trimmingCharacters(in: .whitespacesAndNewlines)
            let code = row.question.trimmingCharacters(in: .whitespacesAndNewlines)
            var rowOK = true
            if group.isEmpty { errors.append(.init(line: row.line, field: "respondent_group", code: "required")); rowOK = false }
            else if TextRules.length(group) > 200 { errors.append(.init(line: row.line, field: "respondent_group", code: "tooLong", args: ["200"])); rowOK = false }
            if who.isEmpty { errors.append(.init(line: row.line, field: "respondent", code: "required")); rowOK = false }
            else if TextRules.length(who) > 200 { errors.append(.init(line: row.line, field: "respondent", code: "tooLong", args: ["200"])); rowOK = false }
            else if existingRespondents.contains(who) { errors.append(.init(line: row.line, field: "respondent", code: "surveyRespondentExists", args: [who])); rowOK = false }
            guard let q = byCode[code] else {
                errors.append(.init(line: row.line, field: "question", code: code.isEmpty ? "required" : "surveyUnknownQuestion", args: [code]))
                continue
            }
            guard rowOK else { continue }
            if let r = respondents[who], r.group != group {
                errors.append(.init(line: row.line, field: "respondent_group", code: "surveyTwoGroups", args: [who, r.group]))
                continue
            }
            if respondents[who] == nil {
                respondents[who] = SurveyRespondentAnswers(group: group, label: who, answers: [:])
                order.append(who)
            }
            let raw = row.answer.trimmingCharacters(in: .whitespacesAndNewlines)
            if raw.isEmpty { continue }
            if q.kind == .text && TextRules.length(raw) > 4000 { errors.append(.init(line: row.line, field: "answer", code: "tooLong", args: ["4000"])); continue }
            guard let answer = SurveyRules.answerCode(raw, for: q) else {
                errors.append(.init(line: row.line, field: "answer", code: "surveyUnknownAnswer", args: [raw]))
                continue
            }
            let before = respondents[who]?.answers[code] ?? []
            if before.contains(answer) {
                errors.append(.init(line: row.line, field: "answer", code: "surveyAnswerTwice", args: [raw]))
            } else if !before.isEmpty && !q.kind.takesMany {
                errors.append(.init(line: row.line, field: "answer", code: "surveySecondAnswer", args: [code]))
            } else {
                respondents[who]?.answers[code] = before + [answer]
            }
        }
        guard errors.isEmpty else { return ([], errors) }
        return (order.compactMap { respondents[$0] }, [])
    }
}
