import Vapor
import SamverkaRules

/// API shapes of the Grants module. Money is integer öre with `currency: "SEK"`.
struct ProgrammeDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String?
    var unitId: UUID?
    var name: String
    var kind: String
    var purpose: String
    var description: String
    var targetAreas: [String]
    var decisionLevel: String
    var contactRoleId: UUID?
    var paymentModel: String
    var instalments: Int
    var isStateAid: Bool
    var eligibility: [EligibilityCondition]
    var formula: AllocationFormula?
    var reportMonths: Int
    var budgetFrames: [BudgetFrameDTO]
    var currency = "SEK"
    var version: Int
}

struct BudgetFrameDTO: Content, Sendable, Equatable {
    var year: Int
    var amountOre: Int
}

struct ProgrammeBody: Content, Sendable {
    var bodyId: String?
    var unitId: String?
    var name: String?
    var kind: String?
    var purpose: String?
    var description: String?
    var targetAreas: [String]?
    var decisionLevel: String?
    var contactRoleId: String?
    var paymentModel: String?
    var instalments: Int?
    var isStateAid: Bool?
    var eligibility: [EligibilityCondition]?
    var formula: AllocationFormula?
    var reportMonths: Int?
    var budgetFrames: [BudgetFrameDTO]?
    var version: Int?
}

struct CallDTO: Content, Sendable {
    var id: UUID
    var programmeId: UUID
    var programmeName: String?
    var title: String
    var year: Int
    var opensOn: String
    var closesOn: String
    var isOpen: Bool
    var description: String
    var fields: [FormFieldSpec]
    var criteria: [ReviewRules.Criterion]
    var requiredAttachments: [String]
    var budgetTable: Bool
    var version: Int
}

struct CallBody: Content, Sendable {
    var programmeId: String?
    var title: String?
    var year: Int?
    var opensOn: String?
    var closesOn: String?
    var description: String?
    var fields: [FormFieldSpec]?
    var criteria: [ReviewRules.Criterion]?
    var requiredAttachments: [String]?
    var budgetTable: Bool?
    var version: Int?
}

struct AttachmentDTO: Content, Sendable {
    var id: UUID
    var kind: String
    var filename: String
    var contentType: String
    var size: Int
}

struct ApplicationDTO: Content, Sendable {
    var id: UUID
    var callId: UUID
    var callTitle: String?
    var organisationId: UUID
    var organisationName: String?
    var status: String
    var answers: [String: String]
    var budget: [BudgetLine]
    var requestedOre: Int?
    var activities: Int
    var payeeAccount: String
    var attachments: [AttachmentDTO]
    var eligibility: EligibilityResult?
    var submittedAt: Date?
    /// The case's diarienummer and registration day, given on receipt.
    var diarienummer: String?
    var registeredOn: String?
    var currency = "SEK"
    var version: Int
}

struct ApplicationBody: Content, Sendable {
    var callId: String?
    var organisationId: String?
    var answers: [String: String]?
    var budget: [BudgetLine]?
    var requestedOre: Int?
    var activities: Int?
    var payeeAccount: String?
    var version: Int?
}

struct ReviewDTO: Content, Sendable {
    var id: UUID
    var applicationId: UUID
    var reviewerId: UUID
    var reviewerName: String?
    var jav: Bool?
    var javReason: String
    var javWithdrawalReason: String?
    var scores: [String: Int]
    var comment: String
    var completed: Bool
    var version: Int
}

struct ReviewBody: Content, Sendable {
    var jav: Bool?
    var javReason: String?
    /// Required when a declared jäv is withdrawn.
    var javWithdrawalReason: String?
    var scores: [String: Int]?
    var comment: String?
    var complete: Bool?
    var version: Int?
}

struct DecisionDTO: Content, Sendable {
    var id: UUID
    var applicationId: UUID
    var programmeId: UUID
    var organisationId: UUID
    var organisationName: String?
    var year: Int
    var outcome: String
    var amountOre: Int
    var conditions: String
    var motivation: String
    var purpose: String
    var decidedOn: String
    var decisionMaker: String
    var delegationLevel: String
    var diarienummer: String
    var replacesId: UUID?
    var replacedById: UUID?
    var isStateAid: Bool
    /// The decider's jäv declaration (false: not jävig); nil on decisions made before it was asked.
    var deciderJav: Bool?
    /// How the decision is appealed, by the kind of deciding body (`AppealRules`).
    var appealRoute: String
    var currency = "SEK"
}

struct DecisionBody: Content, Sendable {
    var applicationId: String?
    var outcome: String?
    var amountOre: Int?
    var conditions: String?
    var motivation: String?
    var purpose: String?
    var decidedOn: String?
    var decisionMaker: String?
    var delegationLevel: String?
    var diarienummer: String?
    var replacesId: String?
    /// Why the decision goes ahead although it passes the de minimis ceiling.
    var deMinimisOverride: String?
    /// The decider's jäv declaration (förvaltningslagen 16–18 §§): must be `false` ("I am not jävig") to decide.
    var jav: Bool?
}

struct PaymentDTO: Content, Sendable {
    var id: UUID
    var programmeId: UUID
    var organisationId: UUID
    var organisationName: String?
    var year: Int
    var decisionId: UUID?
    var kind: String
    var dueOn: String
    var amountOre: Int
    var status: String
    var approvedOn: String?
    var paidOn: String?
    var currency = "SEK"
    var version: Int
}

struct ReportDTO: Content, Sendable {
    var id: UUID
    var decisionId: UUID
    var organisationId: UUID
    var organisationName: String?
    var programmeId: UUID
    var year: Int
    var dueOn: String
    var status: String
    var overdue: Bool
    var actualCostsOre: Int?
    var narrative: String
    var reviewComment: String
    var currency = "SEK"
    var version: Int
}

struct ReportBody: Content, Sendable {
    var actualCostsOre: Int?
    var narrative: String?
    var version: Int?
}

struct ReclaimDTO: Content, Sendable {
    var id: UUID
    var decisionId: UUID
    var organisationId: UUID
    var organisationName: String?
    var amountOre: Int
    var reason: String
    var dueOn: String
    var status: String
    var repaidOn: String?
    var currency = "SEK"
    var version: Int
}

struct ReclaimBody: Content, Sendable {
    var decisionId: String?
    var amountOre: Int?
    var reason: String?
    var dueOn: String?
}

/// A line of the public register of decided grants (offentlighetsprincipen).
struct RegisterLineDTO: Content, Sendable {
    var decisionId: UUID
    var recipient: String
    var recipientOrgnr: String?
    var programme: String
    var body: String
    var amountOre: Int
    var decidedOn: String
    var purpose: String
    var diarienummer: String
    var currency = "SEK"
}

extension EligibilityResult: Content {}

struct AllocationDTO: Content {
    struct Line: Content { var applicationId: UUID; var organisationName: String; var formulaOre: Int; var cappedOre: Int; var finalOre: Int }
    var year: Int
    var frameOre: Int?
    var totalCappedOre: Int
    var totalFinalOre: Int
    var scale: Double
    var lines: [Line]
    var currency = "SEK"
}
