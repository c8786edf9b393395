import Fluent
import Vapor
import SamverkaRules

/// The reviewer's pages: assignments, and the review form (jäv first, then scores).
enum ReviewPages {
    static func register(_ g: Router) {
        g.get("reviews", access: .permission(.grantsReview), use: list)
        g.get("reviews", ":id", access: .record("assignedReviewer"), use: show)
        g.post("reviews", ":id", access: .record("assignedReviewer"), use: save)
    }

    struct Row: Encodable, Sendable { var href: String; var organisation: String; var call: String; var state: String }
    struct ListPage: Encodable, Sendable { var rows: [Row]; var hasRows: Bool }

    @Sendable static func list(_ req: Request) async throws -> Response {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        let reviews = try await GrantQueries.reviews(byReviewer: uid, on: req.db)
        var rows: [Row] = []
        for r in reviews {
            guard let a = try await GrantQueries.findApplication(r.applicationID, on: req.db) else { continue }
            let (c, _) = try await ReviewService.programme(of: a, on: req.db)
            let state = r.completedAt != nil ? req.t("review.done") : r.jav == true ? req.t("review.javYes") : r.jav == nil ? req.t("review.javFirst") : req.t("review.inProgress")
            rows.append(Row(href: "/grants/reviews/\(r.id!)", organisation: try await DirectoryQueries.organisation(a.organisationID, on: req.db)?.name ?? "", call: c.title, state: state))
        }
        return try await req.page("grants/reviews", title: req.t("grants.reviews"), ListPage(rows: rows, hasRows: !rows.isEmpty))
    }

    struct ReviewPage: Encodable, Sendable {
        var review: ReviewDTO
        var app: ApplicationDTO
        var appHref: String
        var answers: [ApplicationPages.Answer]
        var form: FormContext
        var javDeclared: Bool
        var javBlocked: Bool
    }

    struct ReviewForm: Content {
        var jav: String?
        var javReason: String?
        var javWithdrawalReason: String?
        var scores: [String: String]?
        var comment: String?
        var complete: String?
        var version: Int?
    }

    static func page(_ req: Request, id: UUID, form f: ReviewForm?, errors: [FieldError]) async throws -> Response {
        let r = try await GrantQueries.review(id, on: req.db)
        let a = try await GrantQueries.application(r.applicationID, on: req.db)
        guard r.reviewerID == req.principal.userID else { throw AppError.forbidden(code: "assignedReviewerOnly") }
        let (call, _) = try await ReviewService.programme(of: a, on: req.db)
        let dto = try await ApplicationService.dto(a, withEligibility: false, on: req.db)
        let lang = req.language.rawValue
        var fields: [FormField] = []
        let jav = f?.jav ?? r.jav.map { $0 ? "true" : "false" }
        fields.append(FormField("jav", label: req.t("review.javQuestion"), kind: .select, hint: req.t("review.javHint"), required: true, options: [
            .init(value: "", label: req.t("form.choose"), selected: jav == nil), .init(value: "false", label: req.t("review.javNo"), selected: jav == "false"),
            .init(value: "true", label: req.t("review.javYes"), selected: jav == "true")]))
        fields.append(FormField("javReason", label: req.t("review.javReason"), kind: .textarea, value: f?.javReason ?? r.javReason, maxLength: 2000))
        if r.jav == true {
            fields.append(FormField("javWithdrawalReason", label: req.t("review.javWithdrawalReason"), kind: .textarea, value: f?.javWithdrawalReason,
                                    hint: req.t("review.javWithdrawalHint"), maxLength: 2000))
        }
        if r.jav == false {
            for c in call.criteriaList {
                let v = f?.scores?[c.key] ?? r.scoreMap[c.key].map(String.init) ?? ""
                fields.append(FormField("scores[\(c.key)]", label: "\(c.label) (\(req.t("review.weight", String(c.weight))))", kind: .select,
                                        options: [.init(value: "", label: "–", selected: v.isEmpty)] + (1...5).map { .init(value: String($0), label: String($0), selected: v == String($0)) }))
            }
            fields.append(FormField("comment", label: req.t("review.comment"), kind: .textarea, value: f?.comment ?? r.comment, maxLength: 4000))
            fields.append(FormField("complete", label: req.t("review.complete"), kind: .checkbox, checked: r.completedAt != nil))
        }
        let mapped = errors.map { e -> FieldError in var e = e; if e.field.hasPrefix("scores.") { e.field = "scores[\(e.field.dropFirst(7))]" }; if e.field.hasPrefix("jav.") { e.field = "jav" }; return e }
        let form = req.form(action: "/grants/reviews/\(id)", submitLabel: req.t("form.save"), fields: fields, errors: mapped, version: r.version)
        let answers = call.fieldSpecs.filter { $0.kind != .file }.map { spec -> ApplicationPages.Answer in
            let raw = dto.answers[spec.key] ?? ""
            return .init(label: spec.label, value: spec.kind == .amount ? (Int(raw).map { Money.format($0, lang) } ?? "–") : (raw.isEmpty ? "–" : raw))
        }
        let data = ReviewPage(review: try await ReviewService.dto(r, on: req.db), app: dto, appHref: "/grants/applications/\(a.id!)", answers: answers,
                              form: form, javDeclared: r.jav != nil, javBlocked: r.jav == true)
        return try await req.page("grants/review", title: req.t("review.title", dto.organisationName ?? ""), data, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func show(_ req: Request) async throws -> Response { try await page(req, id: try req.parameters.require("id", as: UUID.self), form: nil, errors: []) }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(ReviewForm.self)
        do {
            var scores: [String: Int] = [:]
            for (k, v) in f.scores ?? [:] where !v.isEmpty {
                guard let n = Int(v) else { throw AppError.invalid(field: "scores.\(k)", code: "range", "1", "5") }
                scores[k] = n
            }
            let body = ReviewBody(jav: f.jav.flatMap { $0.isEmpty ? nil : $0 == "true" }, javReason: f.javReason,
                                  javWithdrawalReason: f.javWithdrawalReason, scores: scores,
                                  comment: f.comment, complete: f.complete == "true", version: f.version)
            if body.jav == nil { throw AppError.invalid(field: "jav", code: "required") }
            _ = try await req.write { ctx in try await ReviewService.update(id, body, in: ctx) }
            return req.redirect(to: "/grants/reviews/\(id)", flash: req.t("saved"))
        } catch {
            return try await rerender(req, error: error) { try await page(req, id: id, form: f, errors: $0) }
        }
    }
}
