import Fluent
import Foundation
import SamverkaRules

/// An idéburet offentligt partnerskap (IOP) from initiative to agreement, follow-ups, renewal or end.
final class Partnership: Model, @unchecked Sendable {
    static let schema = "partnerships"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $organisationID, $title, $need, $targetGroup, $goal, $offer, $initiatedBy, $isPublic, $secrecyReason, $state,
        $problemAnalysis, $goals, $indicators, $contributions, $answers, $conclusion, $assessmentMotivation, $assessedBy, $assessedOn,
        $overrideReason, $decisionOrgan, $decisionOn, $decisionParagraph, $decisionDiarienummer, $periodFrom, $periodTo, $agreementText,
        $followUpPlan, $deMinimis, $deMinimisOverride, $previousID, $closedOn, $closedReason, $isDemo, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "title") var title: String
    @Field(key: "need") var need: String
    @Field(key: "target_group") var targetGroup: String
    @Field(key: "goal") var goal: String
    @Field(key: "offer") var offer: String
    /// "organisation" or "body": who took the initiative.
    @Field(key: "initiated_by") var initiatedBy: String
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "secrecy_reason") var secrecyReason: String
    @Field(key: "state") var state: PartnershipState
    @Field(key: "problem_analysis") var problemAnalysis: String
    /// JSON [String].
    @Field(key: "goals") var goals: String
    /// JSON [String].
    @Field(key: "indicators") var indicators: String
    /// JSON [Contribution].
    @Field(key: "contributions") var contributions: String
    /// JSON IOPQuestions (the guide's answers kept when an initiative starts from it, then the official's).
    @Field(key: "answers") var answers: String
    @OptionalField(key: "conclusion") var conclusion: IOPConclusion?
    @Field(key: "assessment_motivation") var assessmentMotivation: String
    @Field(key: "assessed_by") var assessedBy: String
    @OptionalField(key: "assessed_on") var assessedOn: String?
    @Field(key: "override_reason") var overrideReason: String
    @Field(key: "decision_organ") var decisionOrgan: String
    @OptionalField(key: "decision_on") var decisionOn: String?
    @Field(key: "decision_paragraph") var decisionParagraph: String
    @Field(key: "decision_diarienummer") var decisionDiarienummer: String
    @OptionalField(key: "period_from") var periodFrom: String?
    @OptionalField(key: "period_to") var periodTo: String?
    @Field(key: "agreement_text") var agreementText: String
    @Field(key: "follow_up_plan") var followUpPlan: String
    /// The body's contribution is de minimis aid to the organisation (counted in its register).
    @Field(key: "de_minimis") var deMinimis: Bool
    @Field(key: "de_minimis_override") var deMinimisOverride: String
    @OptionalField(key: "previous_id") var previousID: UUID?
    @OptionalField(key: "closed_on") var closedOn: String?
    @Field(key: "closed_reason") var closedReason: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var goalList: [String] { (try? JSONDecoder().decode([String].self, from: Data(goals.utf8))) ?? [] }
    var indicatorList: [String] { (try? JSONDecoder().decode([String].self, from: Data(indicators.utf8))) ?? [] }
    var contributionList: [Contribution] { (try? JSONDecoder().decode([Contribution].self, from: Data(contributions.utf8))) ?? [] }
    var questions: IOPQuestions { (try? JSONDecoder().decode(IOPQuestions.self, from: Data(answers.utf8))) ?? IOPQuestions() }
    var period: (from: LocalDate, to: LocalDate)? {
        guard let f = LocalDate.stored(periodFrom), let t = LocalDate.stored(periodTo) else { return nil }
        return (f, t)
    }

    var pipelineFacts: PipelineRules.Facts {
        PipelineRules.Facts(state: state, problemAnalysis: problemAnalysis, goals: goalList, contributions: contributionList, assessment: conclusion,
                            assessedBy: assessedBy, override: overrideReason,
                            decision: (decisionOrgan, LocalDate.stored(decisionOn), decisionParagraph, decisionDiarienummer),
                            period: period, agreementText: agreementText)
    }
}

/// A dated follow-up of an IOP against its indicators.
final class PartnershipFollowUp: Model, @unchecked Sendable {
    static let schema = "partnership_follow_ups"
    var properties: [any AnyProperty] { [$id, $partnershipID, $day, $results, $text, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "day") var day: String
    @Field(key: "results") var results: String
    @Field(key: "text") var text: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A procurement reserved for idéburna organisations (LOU 4 kap. 18 § or 19 kap. 25 a §).
final class ReservedProcurement: Model, @unchecked Sendable {
    static let schema = "reserved_procurements"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $contract, $object, $supplierID, $valueOre, $periodFrom, $periodTo, $legalBasis, $decision, $isDemo, $version,
        $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @Field(key: "contract") var contract: String
    @Field(key: "object") var object: String
    @OptionalField(key: "supplier_id") var supplierID: UUID?
    @Field(key: "value_ore") var valueOre: Int
    @Field(key: "period_from") var periodFrom: String
    @Field(key: "period_to") var periodTo: String
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "decision") var decision: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
