import Foundation

/// Jäv (conflict of interest) in a grant case: förvaltningslagen (2017:900) 16–18 §§ for officials, kommunallagen
/// 6 kap. 28–32 §§ for elected members. Whoever is jävig may take no part in handling the matter — neither the
/// review nor the decision; declaring jäv is always possible; what a jävig person already did is set aside.
public enum JavRules {
    /// A tie between a person and the applicant that makes the person jävig whatever they declare.
    public enum Tie: String, Sendable, Equatable, CaseIterable {
        /// Represents the applicant organisation (an account role for it).
        case representsApplicant
        /// Holds one of the applicant's contact roles (chair, treasurer …).
        case holdsApplicantRole
        /// Represents the applicant's parent organisation.
        case representsParent
        /// Holds one of the parent organisation's contact roles.
        case holdsParentRole
        /// Declared jäv as a reviewer of the same application.
        case declaredAsReviewer
    }

    public enum Block: String, Sendable, Equatable {
        /// The person has not yet said whether they are jävig.
        case javNotDeclared
        /// The person declared jäv.
        case javDeclared
        /// A tie to the applicant (see `Tie`).
        case memberOfApplicant
    }

    /// nil when the person may take part (score an application, or decide it).
    public static func blocked(declared: Bool?, ties: [Tie]) -> Block? {
        if !ties.isEmpty { return .memberOfApplicant }
        guard let declared else { return .javNotDeclared }
        return declared ? .javDeclared : nil
    }

    public enum ChangeProblem: String, Sendable, Equatable {
        /// Withdrawing a declared jäv needs a reason, which is kept with the review.
        case withdrawalReasonRequired
        /// A declaration of jäv needs a reason (what ties the person to the applicant).
        case reasonRequired
    }

    /// What a change of the declaration needs: declaring jäv is always possible (a reason is required);
    /// going from declared to not declared needs a reason for the withdrawal.
    public static func changeProblem(from old: Bool?, to new: Bool, reason: String, withdrawalReason: String) -> ChangeProblem? {
        if new && reason.isEmpty { return .reasonRequired }
        if old == true && !new && withdrawalReason.isEmpty { return .withdrawalReasonRequired }
        return nil
    }

    /// Declaring jäv sets aside the scores already given: they stay in the audit log and leave the summary.
    public static func voidsScores(from old: Bool?, to new: Bool) -> Bool { new && old != true }
}

/// Separation of duties for grant money: the one who attests a payment is not the one who decided it, and the one
/// who marks it paid is not the one who attested it. A small body may relax this (an admin setting, audited).
public enum DutyRules {
    public enum Conflict: String, Sendable, Equatable {
        /// The attester decided the grant (or planned the advance) themselves.
        case attesterDecided
        /// The payer attested the payment themselves.
        case payerAttested
    }

    public static func attest(actor: UUID?, decidedBy: UUID?, relaxed: Bool) -> Conflict? {
        guard !relaxed, let actor, let decidedBy, actor == decidedBy else { return nil }
        return .attesterDecided
    }

    public static func pay(actor: UUID?, attestedBy: UUID?, relaxed: Bool) -> Conflict? {
        guard !relaxed, let actor, let attestedBy, actor == attestedBy else { return nil }
        return .payerAttested
    }
}

/// Diarienummer of grant cases: `BID-2026-0007` = the body's 7th case registered in 2026. Numbers come from a
/// per-body, per-year sequence kept in the database (no gaps, never reused); the year is the year of registration.
public enum DiarieRules {
    public static let prefix = "BID"

    public static func format(year: Int, number: Int) -> String { String(format: "%@-%d-%04d", prefix, year, number) }

    /// The year and number of an automatic diarienummer; nil for any other text (a number typed from another registry).
    public static func parse(_ text: String) -> (year: Int, number: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix, parts[1].count == 4, parts[2].count >= 4,
              parts[1].unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), parts[2].unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let y = Int(parts[1]), let n = Int(parts[2]), n > 0 else { return nil }
        return (y, n)
    }

    /// A typed diarienummer must not look like one the sequence hands out (it would collide with a later one),
    /// unless it is the case's own registered number.
    public static func typedNumberAllowed(_ typed: String, ownNumber: String?) -> Bool {
        typed == ownNumber || parse(typed) == nil
    }
}
