import Foundation

/// What a question asks for.
public enum QuestionKind: String, CaseIterable, Codable, Sendable {
    /// Ja or nej (answer codes `yes` and `no`).
    case yesNo
    /// One of the options.
    case single
    /// Any number of the options.
    case multi
    /// 1 to 5 (answer codes `1` … `5`).
    case scale
    /// Free text; listed, never counted.
    case text

    public var isCounted: Bool { self != .text }
    /// Only `multi` takes more than one answer from a respondent.
    public var takesMany: Bool { self == .multi }
    /// Whether the survey's author writes the options (for yes/no and scale they are fixed).
    public var hasOwnOptions: Bool { self == .single || self == .multi }
}

public struct SurveyOption: Codable, Sendable, Equatable {
    public var code: String
    public var label: String
    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// "Show only if question `question` was answered `answer`."
public struct SurveyCondition: Codable, Sendable, Equatable {
    public var question: String
    public var answer: String
    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}

public struct SurveyQuestion: Codable, Sendable, Equatable {
    public var code: String
    public var text: String
    public var kind: QuestionKind
    public var options: [SurveyOption]
    public var help: String
    public var required: Bool
    public var showIf: SurveyCondition?

    public init(code: String, text: String, kind: QuestionKind, options: [SurveyOption] = [], help: String = "", required: Bool = false,
                showIf: SurveyCondition? = nil) {
        self.code = code
        self.text = text
        self.kind = kind
        self.options = options
        self.help = help
        self.required = required
        self.showIf = showIf
    }

    enum CodingKeys: String, CodingKey { case code, text, kind, options, help, required, showIf }

    /// Only `code`, `text` and `kind` are required; options, help, required and the condition may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        text = try c.decode(String.self, forKey: .text)
        kind = try c.decode(QuestionKind.self, forKey: .kind)
        options = try c.decodeIfPresent([SurveyOption].self, forKey: .options) ?? []
        help = try c.decodeIfPresent(String.self, forKey: .help) ?? ""
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        showIf = try c.decodeIfPresent(SurveyCondition.self, forKey: .showIf)
    }

    /// The answers that can be given: the author's options, or the fixed ones of yes/no and scale questions
    /// (labels are localisation keys' fallbacks; pages show them in the reader's language).
    public var choices: [SurveyOption] {
        switch kind {
        case .yesNo: return [SurveyOption(code: "yes", label: "Ja"), SurveyOption(code: "no", label: "Nej")]
        case .scale: return (1...5).map { SurveyOption(code: String($0), label: String($0)) }
        case .single, .multi: return options
        case .text: return []
        }
    }
}

public enum SurveyRules {
    public static let maxQuestions = 100
    public static let maxOptions = 40

    /// A code is what results and imports key on, so it must survive a spreadsheet: 1–40 of a–z, 0–9, `_` and `-`,
    /// starting with a letter or a digit.
    public static func isCode(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.unicodeScalars.count <= 40 else { return false }
        let allowed = { (c: Unicode.Scalar) in ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-" }
        return allowed(first) && first != "_" && first != "-" && s.unicodeScalars.allSatisfy(allowed)
    }

    /// Checks a survey's questions: codes unique and well-formed, texts given, options where the kind needs them
    /// (at least two, codes unique), and every condition pointing at an earlier choice question and one of its answers.
    public static func validate(_ questions: [SurveyQuestion]) -> FieldErrors {
        var errors = FieldErrors()
        if questions.isEmpty { errors.add("questions", code: "surveyNoQuestions") }
        if questions.count > maxQuestions { errors.add("questions", code: "tooMany", String(maxQuestions)) }
        var seen: [String: SurveyQuestion] = [:]
        for (i, q) in questions.enumerated() {
            let f = "questions[\(i)]"
            if !isCode(q.code) { errors.add("\(f).code", code: "surveyCode") }
            else if seen[q.code] != nil { errors.add("\(f).code", code: "surveyCodeTwice", q.code) }
            if q.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("\(f).text", code: "required") }
            if TextRules.length(q.text) > 1000 { errors.add("\(f).text", code: "tooLong", "1000") }
            if TextRules.length(q.help) > 1000 { errors.add("\(f).help", code: "tooLong", "1000") }
            if q.kind.hasOwnOptions {
                if q.options.count < 2 { errors.add("\(f).options", code: "surveyTwoOptions") }
                if q.options.count > maxOptions { errors.add("\(f).options", code: "tooMany", String(maxOptions)) }
                var codes = Set<String>()
                for (j, o) in q.options.enumerated() {
                    if !isCode(o.code) { errors.add("\(f).options[\(j)].code", code: "surveyCode") }
                    else if !codes.insert(o.code).inserted { errors.add("\(f).options[\(j)].code", code: "surveyCodeTwice", o.code) }
                    if o.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("\(f).options[\(j)].label", code: "required") }
                    if TextRules.length(o.label) > 300 { errors.add("\(f).options[\(j)].label", code: "tooLong", "300") }
                }
            } else if !q.options.isEmpty {
                errors.add("\(f).options", code: "surveyNoOptions", q.kind.rawValue)
            }
            if let c = q.showIf {
                if let earlier = seen[c.question], earlier.kind.isCounted {
                    if answerCode(c.answer, for: earlier) == nil { errors.add("\(f).showIf", code: "surveyConditionAnswer", c.answer, c.question) }
                } else {
                    errors.add("\(f).showIf", code: "surveyConditionQuestion", c.question)
                }
            }
            if seen[q.code] == nil { seen[q.code] = q }
        }
        return errors
    }

    /// The stored answer code for what a person or a file wrote, or nil when it is not an answer to the question.
    /// Yes/no accepts Ja/Nej and yes/no in any case; other codes match exactly or ignoring case.
    public static func answerCode(_ raw: String, for q: SurveyQuestion) -> String? {
        let v = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch q.kind {
        case .yesNo:
            switch v.lowercased() {
            case "ja", "yes", "j", "y", "true", "1": return "yes"
            case "nej", "no", "n", "false", "0": return "no"
            default: return nil
            }
        case .text:
            return v.isEmpty ? nil : v
        case .single, .multi, .scale:
            return q.choices.first { $0.code == v }?.code ?? q.choices.first { $0.code.lowercased() == v.lowercased() }?.code
        }
    }

    /// Whether a question is asked of a respondent with these answers (question code → answer codes).
    public static func isShown(_ q: SurveyQuestion, answers: [String: [String]]) -> Bool {
        guard let c = q.showIf else { return true }
        return answers[c.question]?.contains(c.answer) ?? false
    }

    /// What a respondent submitted through their link, checked against the survey: answers to questions not shown
    /// are dropped; unknown options and a second answer to a one-answer question are field errors; required
    /// questions that are shown must be answered.
    public static func checkSubmission(_ raw: [String: [String]], questions: [SurveyQuestion]) -> (answers: [String: [String]], errors: FieldErrors) {
        var errors = FieldErrors()
        var out: [String: [String]] = [:]
        for q in questions {
            let given = (raw[q.code] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard isShown(q, answers: out) else { continue }
            if given.isEmpty {
                if q.required { errors.add(q.code, code: "required") }
                continue
            }
            if q.kind == .text {
                let text = given.joined(separator: "\n")
                if TextRules.length(text) > 4000 { errors.add(q.code, code: "tooLong", "4000") }
                out[q.code] = [text]
                continue
            }
            var codes: [String] = []
            for g in given {
                guard let c = answerCode(g, for: q) else { errors.add(q.code, code: "surveyUnknownAnswer", g); continue }
                if !codes.contains(c) { codes.append(c) }
            }
            if !q.kind.takesMany && codes.count > 1 { errors.add(q.code, code: "surveyOneAnswer") }
            if !codes.isEmpty { out[q.code] = codes }
        }
        return (out, errors)
    }

    /// Share of invited respondents who answered, in whole percent (nil when nobody was invited).
    public static func responseRate(invited: Int, answered: Int) -> Int? {
        guard invited > 0 else { return nil }
        return Int((Double(min(answered, invited)) * 100 / Double(invited)).rounded())
    }

    /// A personal link stays valid until the day after the survey closes (Swedish time), at most 120 days.
    public static func linkExpiry(closesOn: LocalDate, today: LocalDate) -> LocalDate {
        min(closesOn.adding(days: 1), today.adding(days: 120))
    }

    /// Where a survey is in its life. Answers are taken while open; results are public once published.
    public enum Phase: String, Sendable, CaseIterable { case draft, open, closed }

    public static func phase(sentOn: LocalDate?, opensOn: LocalDate, closesOn: LocalDate, today: LocalDate) -> Phase {
        guard sentOn != nil || today >= opensOn else { return .draft }
        if today > closesOn { return .closed }
        return today >= opensOn ? .open : .draft
    }

    /// Checks the dates of a survey: the closing day is not before the opening day.
    public static func checkDates(opensOn: LocalDate, closesOn: LocalDate) -> FieldErrors {
        var e = FieldErrors()
        if closesOn < opensOn { e.add("closesOn", code: "dateOrder") }
        return e
    }
}
