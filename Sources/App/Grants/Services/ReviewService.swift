import Fluent
import Vapor
import SamverkaRules

extension GrantReview: Auditable {
    static var auditEntityType: String { "grantReview" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["applicationId": .string(applicationID.uuidString), "reviewerId": .string(reviewerID.uuidString),
                       "jav": jav.map { .bool($0) } ?? .null, "javReason": .string(javReason), "javWithdrawalReason": .string(javWithdrawalReason),
                       "scores": .string(scores), "comment": .string(comment), "completed": .bool(completedAt != nil)],
                      personal: ["javReason", "javWithdrawalReason"])
    }
}

/// Review: officials assign reviewers; reviewers declare jäv, then score each criterion 1–5.
enum ReviewService {
    static func programme(of a: GrantApplication, on db: any Database) async throws -> (GrantCall, GrantProgramme) {
        guard let call = try await GrantCall.find(a.callID, on: db), let p = try await GrantProgramme.find(call.programmeID, on: db) else { throw AppError.notFound() }
        return (call, p)
    }

    /// Assigns a reviewer. The reviewer must hold the reviewer (or official) role in the programme's body.
    static func assign(applicationID: UUID, reviewerID: UUID, in ctx: WriteContext) async throws -> GrantReview {
        guard let a = try await GrantApplication.find(applicationID, on: ctx.db) else { throw AppError.notFound() }
        let (_, p) = try await programme(of: a, on: ctx.db)
        guard Policy.allows(ctx.actor, .grantsManage, try await ProgrammeService.scope(p, on: ctx.db)) else { throw AppError.forbidden() }
        guard a.status == .submitted || a.status == .underReview else {
            throw AppError(.conflict, "Bara inskickade ansökningar kan bedömas.", fields: [FieldError(field: "status", code: "notSubmitted")])
        }
        guard try await AccountQueries.exists(reviewerID, on: ctx.db) else { throw AppError.invalid(field: "reviewerId", code: "notFound") }
        let grants = try await AccountService.grants(for: reviewerID, on: ctx.db)
        guard grants.contains(where: { ($0.role == .reviewer || $0.role == .official) && $0.bodyID == p.bodyID }) else {
            throw AppError.invalid(field: "reviewerId", code: "notReviewer")
        }
        if let existing = try await GrantReview.query(on: ctx.db).filter(\.$applicationID == applicationID).filter(\.$reviewerID == reviewerID).first() {
            return existing
        }
        let r = GrantReview()
        r.id = UUID()
        r.applicationID = applicationID
        r.reviewerID = reviewerID
        r.assignedBy = ctx.actor.userID
        r.javReason = ""
        r.javWithdrawalReason = ""
        r.scores = "{}"
        r.comment = ""
        r.version = 1
        try await r.create(on: ctx.db)
        if a.status == .submitted {
            a.status = .underReview
            a.version += 1
            try await a.save(on: ctx.db)
        }
        ctx.audit("assign", r, id: r.id, before: nil)
        let (call, _) = try await programme(of: a, on: ctx.db)
        try await GrantNotifications.reviewerAssigned(r, application: a, call: call, in: ctx)
        return r
    }

    /// The reviewer's own update. Jäv can be declared at any time, also after scoring or after the decision: it sets
    /// the scores aside (they stay in the audit log and leave the summary). Withdrawing a declared jäv needs a reason.
    /// Scores only without jäv and without ties to the applicant, while the application is under review.
    static func update(_ reviewID: UUID, _ b: ReviewBody, in ctx: WriteContext) async throws -> GrantReview {
        guard let r = try await GrantReview.find(reviewID, on: ctx.db), let a = try await GrantApplication.find(r.applicationID, on: ctx.db) else { throw AppError.notFound() }
        guard r.reviewerID == ctx.actor.userID else { throw AppError.forbidden(code: "assignedReviewerOnly") }
        guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
        guard v == r.version else { throw AppError.staleVersion() }
        // After the review is over only a declaration of jäv is taken (the rest of the request is ignored).
        let open = a.status == .underReview || a.status == .submitted
        guard open || (b.jav == true && r.jav != true) else {
            throw AppError(.conflict, "Ansökan bedöms inte längre.", fields: [FieldError(field: "status", code: "notUnderReview")])
        }
        let (call, _) = try await programme(of: a, on: ctx.db)
        var errors = FieldErrors()
        let before = r.auditSnapshot
        if let jav = b.jav {
            let reason = TextRules.paragraph(b.javReason ?? (jav ? r.javReason : ""), field: "javReason", max: 2000, errors: &errors)
            let withdrawal = TextRules.paragraph(b.javWithdrawalReason, field: "javWithdrawalReason", max: 2000, errors: &errors)
            switch JavRules.changeProblem(from: r.jav, to: jav, reason: reason, withdrawalReason: withdrawal) {
            case .reasonRequired?: errors.add("javReason", code: "required")
            case .withdrawalReasonRequired?: errors.add("javWithdrawalReason", code: "javWithdrawalReason")
            case nil: break
            }
            if JavRules.voidsScores(from: r.jav, to: jav) { r.scores = "{}" }
            if r.jav == true && !jav { r.javWithdrawalReason = withdrawal }
            r.jav = jav
            if jav { r.javReason = reason }
        }
        // Scores sent together with a declaration of jäv are not taken: the declaration wins.
        if open, b.jav != true, let scores = b.scores, !scores.isEmpty {
            let ties = try await JavService.ties(userID: r.reviewerID, application: a, on: ctx.db).filter { $0 != .declaredAsReviewer }
            if let block = JavRules.blocked(declared: r.jav, ties: ties) {
                throw AppError(.forbidden, block == .javNotDeclared ? "Ange först om du är jävig." : "Du är jävig och kan inte bedöma ansökan.",
                               fields: [FieldError(field: "jav", code: "jav.\(block.rawValue)")])
            }
            var map = r.scoreMap
            let keys = Set(call.criteriaList.map(\.key))
            for (k, s) in scores {
                if !keys.contains(k) { errors.add("scores.\(k)", code: "unknownField"); continue }
                if !ReviewRules.validScore(s) { errors.add("scores.\(k)", code: "range", "1", "5"); continue }
                map[k] = s
            }
            r.scores = String(decoding: try JSONEncoder().encode(map), as: UTF8.self)
        }
        if open, let c = b.comment { r.comment = TextRules.paragraph(c, field: "comment", max: 4000, errors: &errors) }
        if open, b.complete == true {
            if r.jav == nil { errors.add("jav", code: "required") }
            else if r.jav == false && Set(r.scoreMap.keys) != Set(call.criteriaList.map(\.key)) { errors.add("scores", code: "scoresMissing") }
            r.completedAt = Date()
        }
        try errors.throwIfAny()
        r.version += 1
        try await r.save(on: ctx.db)
        ctx.audit(b.jav == true && before.fields["jav"] != .bool(true) ? "declareJav" : "update", r, id: r.id, before: before)
        return r
    }

    static func dto(_ r: GrantReview, on db: any Database) async throws -> ReviewDTO {
        ReviewDTO(id: r.id!, applicationId: r.applicationID, reviewerId: r.reviewerID, reviewerName: try await AccountQueries.account(r.reviewerID, on: db)?.name,
                  jav: r.jav, javReason: r.javReason, javWithdrawalReason: r.javWithdrawalReason.isEmpty ? nil : r.javWithdrawalReason, scores: r.scoreMap, comment: r.comment, completed: r.completedAt != nil, version: r.version)
    }

    /// Mean and spread per criterion over the reviews without jäv.
    static func summary(applicationID: UUID, on db: any Database) async throws -> (criteria: [ReviewRules.Criterion], summary: [ReviewRules.CriterionSummary], weighted: Double?, reviews: [GrantReview]) {
        guard let a = try await GrantApplication.find(applicationID, on: db) else { throw AppError.notFound() }
        let (call, _) = try await programme(of: a, on: db)
        let reviews = try await GrantReview.query(on: db).filter(\.$applicationID == applicationID).all()
        let s = ReviewRules.summary(criteria: call.criteriaList, scores: reviews.filter { $0.jav == false }.map(\.scoreMap))
        return (call.criteriaList, s.criteria, s.weighted, reviews)
    }

}
