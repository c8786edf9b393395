import Fluent
import SQLKit
import Foundation
import SamverkaRules

/// The kinds of grants regions and municipalities give (seed 000).
enum GrantKind: String, Vocabulary {
    case organisationsbidrag, verksamhetsbidrag, projektbidrag, aktivitetsbidrag, arrangorsstod, utvecklingsmedel, socialaInvesteringsmedel
    static let labelPrefix = "grantKind"
    var aliases: [String] {
        switch self {
        case .organisationsbidrag: return ["organisationsbidrag", "organisationsanslag"]
        case .verksamhetsbidrag: return ["verksamhetsbidrag"]
        case .projektbidrag: return ["projektbidrag"]
        case .aktivitetsbidrag: return ["aktivitetsbidrag"]
        case .arrangorsstod: return ["arrangörsstöd"]
        case .utvecklingsmedel: return ["utvecklingsmedel"]
        case .socialaInvesteringsmedel: return ["sociala investeringsmedel"]
        }
    }
}

/// Who decides (delegation): an official on delegation, or the committee.
enum DecisionLevel: String, Vocabulary {
    case official, committee
    static let labelPrefix = "decisionLevel"
    var aliases: [String] { self == .official ? ["tjänsteperson", "delegation"] : ["nämnd", "utskott"] }
}

/// A grant programme of a public body.
final class GrantProgramme: Model, @unchecked Sendable {
    static let schema = "grant_programmes"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $unitID, $name, $kind, $purpose, $description, $targetAreas, $decisionLevel, $contactRoleID, $paymentModel,
        $instalments, $isStateAid, $eligibility, $formula, $reportMonths, $isDemo, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: GrantKind
    @Field(key: "purpose") var purpose: String
    @Field(key: "description") var description: String
    /// Area keys, `|`-separated.
    @Field(key: "target_areas") var targetAreas: String
    @Field(key: "decision_level") var decisionLevel: DecisionLevel
    @OptionalField(key: "contact_role_id") var contactRoleID: UUID?
    @Field(key: "payment_model") var paymentModel: PaymentModel
    @Field(key: "instalments") var instalments: Int
    /// Grants from this programme count as state aid (de minimis).
    @Field(key: "is_state_aid") var isStateAid: Bool
    /// `[EligibilityCondition]` as JSON.
    @Field(key: "eligibility") var eligibility: String
    /// `AllocationFormula` as JSON, for formula-based grants.
    @OptionalField(key: "formula") var formula: String?
    /// Reports are due this many months after the end of the grant year.
    @Field(key: "report_months") var reportMonths: Int
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var conditions: [EligibilityCondition] {
        (try? JSONDecoder().decode([EligibilityCondition].self, from: Data(eligibility.utf8))) ?? []
    }
    var allocationFormula: AllocationFormula? {
        formula.flatMap { try? JSONDecoder().decode(AllocationFormula.self, from: Data($0.utf8)) }
    }
    var areaKeys: [String] { targetAreas.split(separator: "|").map(String.init) }
}

final class BudgetFrame: Model, @unchecked Sendable {
    static let schema = "grant_budget_frames"
    var properties: [any AnyProperty] { [$id, $programmeID, $year, $amountOre] }
    @ID(key: .id) var id: UUID?
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "amount_ore") var amountOre: Int
    init() {}
}

/// A call for applications (utlysning).
final class GrantCall: Model, @unchecked Sendable {
    static let schema = "grant_calls"
    var properties: [any AnyProperty] {
        [$id, $programmeID, $title, $year, $opensOn, $closesOn, $description, $fields, $criteria, $requiredAttachments, $budgetTable,
        $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "title") var title: String
    @Field(key: "year") var year: Int
    @Field(key: "opens_on") var opensOn: String
    @Field(key: "closes_on") var closesOn: String
    @Field(key: "description") var description: String
    /// `[FormFieldSpec]` as JSON.
    @Field(key: "fields") var fields: String
    /// `[ReviewRules.Criterion]` as JSON.
    @Field(key: "criteria") var criteria: String
    /// Attachment kinds that must be uploaded, `|`-separated.
    @Field(key: "required_attachments") var requiredAttachments: String
    @Field(key: "budget_table") var budgetTable: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var fieldSpecs: [FormFieldSpec] { (try? JSONDecoder().decode([FormFieldSpec].self, from: Data(fields.utf8))) ?? [] }
    var criteriaList: [ReviewRules.Criterion] { (try? JSONDecoder().decode([ReviewRules.Criterion].self, from: Data(criteria.utf8))) ?? [] }
    var attachmentKinds: [String] { requiredAttachments.split(separator: "|").map(String.init) }

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var opensOnDate: LocalDate { LocalDate(stored: opensOn) }
    var closesOnDate: LocalDate { LocalDate(stored: closesOn) }
}

enum ApplicationStatus: String, Codable, Sendable, CaseIterable {
    case draft, submitted, withdrawn, underReview, decided
}

final class GrantApplication: Model, @unchecked Sendable {
    static let schema = "grant_applications"
    var properties: [any AnyProperty] {
        [$id, $callID, $organisationID, $status, $answers, $budget, $requestedOre, $activities, $payeeAccount, $submittedAt, $diarienummer,
        $registeredOn, $createdBy, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "call_id") var callID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "status") var status: ApplicationStatus
    /// `[String: String]` as JSON: the answers to the call's form fields.
    @Field(key: "answers") var answers: String
    /// `[BudgetLine]` as JSON.
    @Field(key: "budget") var budget: String
    @OptionalField(key: "requested_ore") var requestedOre: Int?
    @Field(key: "activities") var activities: Int
    @Field(key: "payee_account") var payeeAccount: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    /// Registered (diariefört) on receipt: the case's number from the body's sequence, and the day.
    @OptionalField(key: "diarienummer") var diarienummer: String?
    @OptionalField(key: "registered_on") var registeredOn: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var answerMap: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(answers.utf8))) ?? [:] }
    var budgetLines: [BudgetLine] { (try? JSONDecoder().decode([BudgetLine].self, from: Data(budget.utf8))) ?? [] }
}

struct BudgetLine: Codable, Sendable, Equatable {
    var label: String
    var amountOre: Int
}


final class GrantAttachment: Model, @unchecked Sendable {
    static let schema = "grant_attachments"
    var properties: [any AnyProperty] { [$id, $applicationID, $reportID, $kind, $filename, $contentType, $size, $data, $uploadedBy, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    /// Set when the file belongs to the report (redovisning) on the application's grant.
    @OptionalField(key: "report_id") var reportID: UUID?
    /// A required attachment kind (`verksamhetsberattelse`…) or a form field key.
    @Field(key: "kind") var kind: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class GrantReview: Model, @unchecked Sendable {
    static let schema = "grant_reviews"
    var properties: [any AnyProperty] {
        [$id, $applicationID, $reviewerID, $assignedBy, $jav, $javReason, $javWithdrawalReason, $scores, $comment, $completedAt, $version,
        $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "reviewer_id") var reviewerID: UUID
    @OptionalField(key: "assigned_by") var assignedBy: UUID?
    /// nil until declared; true blocks scoring.
    @OptionalField(key: "jav") var jav: Bool?
    @Field(key: "jav_reason") var javReason: String
    /// Why a declared jäv was withdrawn (required to withdraw it).
    @Field(key: "jav_withdrawal_reason") var javWithdrawalReason: String
    /// `[String: Int]` as JSON.
    @Field(key: "scores") var scores: String
    @Field(key: "comment") var comment: String
    @OptionalField(key: "completed_at") var completedAt: Date?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var scoreMap: [String: Int] { (try? JSONDecoder().decode([String: Int].self, from: Data(scores.utf8))) ?? [:] }
}

enum DecisionOutcome: String, Codable, Sendable, CaseIterable { case granted, partly, rejected }

/// A decision. Final: a correction is a new decision that replaces the old one.
final class GrantDecision: Model, @unchecked Sendable {
    static let schema = "grant_decisions"
    var properties: [any AnyProperty] {
        [$id, $applicationID, $programmeID, $organisationID, $year, $outcome, $amountOre, $conditions, $motivation, $purpose, $decidedOn,
        $decisionMaker, $decidedBy, $delegationLevel, $deciderJav, $diarienummer, $replacesID, $deMinimisOverride, $isStateAid, $isPublic,
        $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "outcome") var outcome: DecisionOutcome
    @Field(key: "amount_ore") var amountOre: Int
    @Field(key: "conditions") var conditions: String
    @Field(key: "motivation") var motivation: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "decided_on") var decidedOn: String
    @Field(key: "decision_maker") var decisionMaker: String
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @Field(key: "delegation_level") var delegationLevel: DecisionLevel
    /// The decider's own jäv declaration (false: declared not jävig); nil on decisions made before it was asked.
    @OptionalField(key: "decider_jav") var deciderJav: Bool?
    @Field(key: "diarienummer") var diarienummer: String
    @OptionalField(key: "replaces_id") var replacesID: UUID?
    /// Why the decision was taken although it passes the de minimis ceiling (empty when it does not).
    @Field(key: "de_minimis_override") var deMinimisOverride: String
    @Field(key: "is_state_aid") var isStateAid: Bool
    @Field(key: "is_public") var isPublic: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var entry: DecisionRules.Entry { DecisionRules.Entry(id: id ?? UUID(), replaces: replacesID, createdAt: createdAt) }

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var decidedOnDate: LocalDate { LocalDate(stored: decidedOn) }
}

enum PaymentStatus: String, Codable, Sendable, CaseIterable { case planned, approved, paid, cancelled }

final class GrantPayment: Model, @unchecked Sendable {
    static let schema = "grant_payments"
    var properties: [any AnyProperty] {
        [$id, $programmeID, $organisationID, $year, $decisionID, $kind, $dueOn, $amountOre, $status, $plannedBy, $approvedBy, $paidBy,
        $approvedOn, $paidOn, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "year") var year: Int
    @OptionalField(key: "decision_id") var decisionID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "due_on") var dueOn: String
    @Field(key: "amount_ore") var amountOre: Int
    @Field(key: "status") var status: PaymentStatus
    /// Who planned the payment: the decider, or whoever planned the Kalmar advances.
    @OptionalField(key: "planned_by") var plannedBy: UUID?
    /// The attester.
    @OptionalField(key: "approved_by") var approvedBy: UUID?
    @OptionalField(key: "paid_by") var paidBy: UUID?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @OptionalField(key: "paid_on") var paidOn: String?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var dueOnDate: LocalDate { LocalDate(stored: dueOn) }
    var approvedOnDate: LocalDate? { LocalDate.stored(approvedOn) }
    var paidOnDate: LocalDate? { LocalDate.stored(paidOn) }
}

enum ReportStatus: String, Codable, Sendable, CaseIterable { case pending, submitted, approved, completionRequested }

final class GrantReport: Model, @unchecked Sendable {
    static let schema = "grant_reports"
    var properties: [any AnyProperty] {
        [$id, $decisionID, $organisationID, $programmeID, $year, $dueOn, $status, $actualCostsOre, $narrative, $submittedAt, $reviewedBy,
        $reviewComment, $completionRequests, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "decision_id") var decisionID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "due_on") var dueOn: String
    @Field(key: "status") var status: ReportStatus
    @OptionalField(key: "actual_costs_ore") var actualCostsOre: Int?
    @Field(key: "narrative") var narrative: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "reviewed_by") var reviewedBy: UUID?
    @Field(key: "review_comment") var reviewComment: String
    /// Times the report was sent back for completion.
    @Field(key: "completion_requests") var completionRequests: Int
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var dueOnDate: LocalDate { LocalDate(stored: dueOn) }
}

enum ReclaimStatus: String, Codable, Sendable, CaseIterable { case open, repaid, cancelled }

final class GrantReclaim: Model, @unchecked Sendable {
    static let schema = "grant_reclaims"
    var properties: [any AnyProperty] {
        [$id, $decisionID, $organisationID, $programmeID, $amountOre, $reason, $dueOn, $status, $repaidOn, $createdBy, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "decision_id") var decisionID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "amount_ore") var amountOre: Int
    @Field(key: "reason") var reason: String
    @Field(key: "due_on") var dueOn: String
    @Field(key: "status") var status: ReclaimStatus
    @OptionalField(key: "repaid_on") var repaidOn: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var dueOnDate: LocalDate { LocalDate(stored: dueOn) }
    var repaidOnDate: LocalDate? { LocalDate.stored(repaidOn) }
}


/// A body's settings for its grant work.
final class GrantBodySettings: Model, @unchecked Sendable {
    static let schema = "grant_body_settings"
    var properties: [any AnyProperty] { [$id, $bodyID, $relaxSeparation, $reason, $version, $updatedAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    /// Very small bodies may let one person decide, attest and pay (separation of duties relaxed; set by an admin).
    @Field(key: "relax_separation") var relaxSeparation: Bool
    @Field(key: "reason") var reason: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// De minimis aid an organisation received from elsewhere (another authority), as it declares it.
final class StateAidDeclaration: Model, @unchecked Sendable {
    static let schema = "state_aid_declarations"
    var properties: [any AnyProperty] { [$id, $organisationID, $authority, $grantedOn, $amountMinor, $currency, $description, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "authority") var authority: String
    @Field(key: "granted_on") var grantedOn: String
    /// In minor units (öre, cent) of `currency`.
    @Field(key: "amount_minor") var amountMinor: Int
    @Field(key: "currency") var currency: String
    @Field(key: "description") var description: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// Units of a currency per euro on a day (the de minimis conversion uses the rate of the aid's grant day).
final class ExchangeRate: Model, @unchecked Sendable {
    static let schema = "exchange_rates"
    var properties: [any AnyProperty] { [$id, $currency, $day, $perEuro] }
    @ID(key: .id) var id: UUID?
    @Field(key: "currency") var currency: String
    @Field(key: "day") var day: String
    @Field(key: "per_euro") var perEuro: Double
    init() {}
}
