import Fluent
import Vapor
import SamverkaRules

/// The answer form a personal link opens (and its preview for the survey's owner).
extension SurveyPages {
    struct ChoiceView: Encodable, Sendable { var value: String; var label: String; var id: String; var checked: Bool }
    struct AnswerQuestion: Encodable, Sendable {
        var code: String; var number: Int; var text: String; var help: String; var condition: String?; var required: Bool; var kind: String
        var choices: [ChoiceView]; var text_value: String; var error: String?; var many: Bool
    }

    static func answerQuestions(_ s: Survey, given: [String: [String]], errors: [FieldError], _ req: Request) -> [AnswerQuestion] {
        let qs = s.questionList
        let rows = questionRows(qs, req)
        return qs.enumerated().map { i, q in
            let mine = given[q.code] ?? []
            return AnswerQuestion(code: q.code, number: i + 1, text: q.text, help: q.help, condition: rows[i].condition, required: q.required, kind: q.kind.rawValue,
                                  choices: q.choices.map { c in ChoiceView(value: c.code, label: choiceLabel(q, c.code, req), id: "a-\(q.code)-\(c.code)",
                                                                           checked: mine.contains(c.code)) },
                                  text_value: q.kind == .text ? mine.joined(separator: "\n") : "", error: errors.first { $0.field == q.code }?.message,
                                  many: q.kind == .multi)
        }
    }

    struct AnswerData: Encodable, Sendable {
        var title: String; var purpose: String; var owner: String; var closes: String; var anonymity: String; var questions: [AnswerQuestion]
        var action: String?; var csrf: String; var hasErrors: Bool; var errors: [FieldError]; var preview: Bool; var recipient: String
    }

    static func answerPage(_ req: Request, _ s: Survey, token: String?, recipient: String, given: [String: [String]], errors: [FieldError], status: HTTPStatus = .ok) async throws -> Response {
        let dto = try await SurveyService.dto(s, on: req.db)
        return try await req.page("surveys/answer", title: s.title, AnswerData(
            title: s.title, purpose: s.purpose, owner: dto.ownerName, closes: day(s.closesOn, req),
            anonymity: req.t(s.anonymous ? "survey.anonymousYes" : "survey.anonymousNo"), questions: answerQuestions(s, given: given, errors: errors, req),
            action: token.map { "/s/\($0)" }, csrf: req.csrfToken, hasErrors: !errors.isEmpty, errors: errors, preview: token == nil, recipient: recipient), status: status)
    }

    @Sendable static func preview(_ req: Request) async throws -> Response {
        let s = try await SurveyService.managed(try id(req), req.principal, on: req.db)
        return try await answerPage(req, s, token: nil, recipient: "", given: [:], errors: [])
    }

    @Sendable static func answerForm(_ req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let (r, s) = try await SurveyService.byToken(token, on: req.db)
        if r.answeredAt != nil {
            return try await req.page("surveys/thanks", title: s.title, ["title": s.title, "message": req.t("survey.alreadyAnswered")])
        }
        return try await answerPage(req, s, token: token, recipient: r.name, given: [:], errors: [])
    }

    @Sendable static func answer(_ req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let (r, s) = try await SurveyService.byToken(token, on: req.db)
        var given: [String: [String]] = [:]
        for (k, v) in FormPairs.parse(req) where k.hasPrefix("q_") { given[String(k.dropFirst(2)), default: []].append(v) }
        let submitted = given
        do {
            _ = try await req.write { ctx in try await SurveyService.answer(token: token, SurveyAnswerBody(answers: submitted), in: ctx) }
            return try await req.page("surveys/thanks", title: s.title, ["title": s.title, "message": req.t("survey.thanks")])
        } catch {
            guard let fields = req.formErrors(error) else { throw error }
            return try await answerPage(req, s, token: token, recipient: r.name, given: given, errors: fields, status: (error as? AppError)?.status ?? .unprocessableEntity)
        }
    }
}
