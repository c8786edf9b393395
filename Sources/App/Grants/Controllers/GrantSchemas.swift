import Foundation
import SamverkaRules
/// OpenAPI schemas of the Grants API.
enum GrantSchemas {
    static func register(_ r: SchemaRegistry) {
        let kinds = EligibilityCondition.Kind.allCases.map(\.rawValue)
        r.register("EligibilityCondition", .object([
            ("kind", .oneOf(kinds)), ("values", .nullable(.array(.string(maxLength: 60), maxItems: 20))), ("min", .nullable(.integer(minimum: 0, maximum: 10_000_000))),
            ("county", .nullable(.string(pattern: #"^\d{2}$"#))), ("year", .nullable(.integer(minimum: 1900, maximum: 2200))), ("text", .nullable(.string(maxLength: 200))),
        ], required: ["kind"]))
        r.register("EligibilityResult", .object([
            ("status", .oneOf(["pass", "fail", "unknown"])),
            ("conditions", .array(.object([("kind", .oneOf(kinds)), ("status", .oneOf(["pass", "fail", "unknown"])), ("code", .string()), ("args", .array(.string())), ("reason", .string())], required: ["kind", "status", "code", "args", "reason"]))),
        ], required: ["status", "conditions"]))
        let formula = Schema.object([
            ("baseOre", .integer(minimum: 0)), ("perMemberOre", .integer(minimum: 0)), ("perYoungMemberOre", .integer(minimum: 0)),
            ("perMunicipalityOre", .integer(minimum: 0)), ("perActivityOre", .integer(minimum: 0)), ("capOre", .nullable(.integer(minimum: 0))),
        ], required: ["baseOre", "perMemberOre", "perYoungMemberOre", "perMunicipalityOre", "perActivityOre"])
        r.register("AllocationFormula", formula)
        let frame = Schema.object([("year", .integer(minimum: 2000, maximum: 2200)), ("amountOre", .integer(minimum: 0))], required: ["year", "amountOre"])
        r.register("GrantProgramme", .object([
            ("id", .uuid), ("bodyId", .uuid), ("bodyName", .nullable(.string())), ("unitId", .nullable(.uuid)), ("name", .string()),
            ("kind", .oneOf(GrantKind.rawValues)), ("purpose", .string()), ("description", .string()), ("targetAreas", .array(.string())),
            ("decisionLevel", .oneOf(DecisionLevel.rawValues)), ("contactRoleId", .nullable(.uuid)), ("paymentModel", .oneOf(PaymentModel.allCases.map(\.rawValue))),
            ("instalments", .integer()), ("isStateAid", .boolean), ("eligibility", .array(.ref("EligibilityCondition"))), ("formula", .nullable(.ref("AllocationFormula"))),
            ("reportMonths", .integer()), ("budgetFrames", .array(frame)), ("currency", .oneOf(["SEK"])), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "name", "kind", "eligibility", "version"]))
        r.register("GrantProgrammeInput", .object([
            ("bodyId", .string(maxLength: 40)), ("unitId", .nullable(.string(maxLength: 40))), ("name", .text(max: 200, min: 1)), ("kind", .oneOf(GrantKind.rawValues)),
            ("purpose", .text(max: 2000, min: 1)), ("description", .nullable(.text(max: 10_000))), ("targetAreas", .array(.string(maxLength: 60), maxItems: 12)),
            ("decisionLevel", .oneOf(DecisionLevel.rawValues)), ("contactRoleId", .nullable(.string(maxLength: 40))),
            ("paymentModel", .oneOf(PaymentModel.allCases.map(\.rawValue))), ("instalments", .integer(minimum: 2, maximum: 12)), ("isStateAid", .boolean),
            ("eligibility", .array(.ref("EligibilityCondition"), maxItems: 11)), ("formula", .nullable(.ref("AllocationFormula"))),
            ("reportMonths", .integer(minimum: 0, maximum: 24)), ("budgetFrames", .array(frame, maxItems: 20)), ("version", .integer(minimum: 1)),
        ]))
        let field = Schema.object([
            ("key", .string(maxLength: 40)), ("label", .string(maxLength: 200)), ("kind", .oneOf(FormFieldSpec.Kind.allCases.map(\.rawValue))), ("required", .boolean),
            ("options", .nullable(.array(.string(maxLength: 200)))), ("maxMB", .nullable(.integer(minimum: 1, maximum: 20))), ("accept", .nullable(.array(.string()))),
        ], required: ["key", "label", "kind", "required"])
        let criterion = Schema.object([("key", .string(maxLength: 40)), ("label", .string(maxLength: 200)), ("weight", .integer(minimum: 1, maximum: 10))], required: ["key", "label", "weight"])
        r.register("GrantCall", .object([
            ("id", .uuid), ("programmeId", .uuid), ("programmeName", .nullable(.string())), ("title", .string()), ("year", .integer()),
            ("opensOn", .date), ("closesOn", .date), ("isOpen", .boolean), ("description", .string()), ("fields", .array(field)),
            ("criteria", .array(criterion)), ("requiredAttachments", .array(.string())), ("budgetTable", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "programmeId", "title", "year", "opensOn", "closesOn", "isOpen", "version"]))
        r.register("GrantCallInput", .object([
            ("programmeId", .string(maxLength: 40)), ("title", .text(max: 200, min: 1)), ("year", .integer(minimum: 2000, maximum: 2200)),
            ("opensOn", .string(maxLength: 10)), ("closesOn", .string(maxLength: 10)), ("description", .nullable(.text(max: 10_000))),
            ("fields", .array(field, maxItems: 50)), ("criteria", .array(criterion, maxItems: 20)),
            ("requiredAttachments", .array(.oneOf(ProgrammeService.attachmentKinds), maxItems: 5)), ("budgetTable", .boolean), ("version", .integer(minimum: 1)),
        ]))
        let budgetLine = Schema.object([("label", .string(maxLength: 200)), ("amountOre", .integer(minimum: 0))], required: ["label", "amountOre"])
        let attachment = Schema.object([("id", .uuid), ("kind", .string()), ("filename", .string()), ("contentType", .string()), ("size", .integer(minimum: 0))],
                                       required: ["id", "kind", "filename", "contentType", "size"])
        r.register("GrantAttachment", attachment)
        r.register("GrantApplication", .object([
            ("id", .uuid), ("callId", .uuid), ("callTitle", .nullable(.string())), ("organisationId", .uuid), ("organisationName", .nullable(.string())),
            ("status", .oneOf(ApplicationStatus.allCases.map(\.rawValue))), ("answers", .map(.string())), ("budget", .array(budgetLine)),
            ("requestedOre", .nullable(.integer(minimum: 0))), ("activities", .integer(minimum: 0)), ("payeeAccount", .string()),
            ("attachments", .array(attachment)), ("eligibility", .nullable(.ref("EligibilityResult"))), ("submittedAt", .nullable(.dateTime)),
            ("diarienummer", .nullable(.string())), ("registeredOn", .nullable(.date)),
            ("currency", .oneOf(["SEK"])), ("version", .integer(minimum: 1)),
        ], required: ["id", "callId", "organisationId", "status", "version"]))
        r.register("GrantApplicationInput", .object([
            ("callId", .string(maxLength: 40)), ("organisationId", .string(maxLength: 40)), ("answers", .map(.string(maxLength: 4000))),
            ("budget", .array(budgetLine, maxItems: 100)), ("requestedOre", .nullable(.integer(minimum: 0))), ("activities", .integer(minimum: 0, maximum: 100_000)),
            ("payeeAccount", .nullable(.string(maxLength: 40))), ("version", .integer(minimum: 1)),
        ]))
        let review = Schema.object([
            ("id", .uuid), ("applicationId", .uuid), ("reviewerId", .uuid), ("reviewerName", .nullable(.string())), ("jav", .nullable(.boolean)),
            ("javReason", .string()), ("javWithdrawalReason", .nullable(.string())), ("scores", .map(.integer(minimum: 1, maximum: 5))),
            ("comment", .string()), ("completed", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "applicationId", "reviewerId", "scores", "completed", "version"])
        r.register("GrantReview", review)
        r.register("GrantReviewInput", .object([
            ("jav", .nullable(.boolean)), ("javReason", .nullable(.text(max: 2000))), ("javWithdrawalReason", .nullable(.text(max: 2000))),
            ("scores", .map(.integer(minimum: 1, maximum: 5))),
            ("comment", .nullable(.text(max: 4000))), ("complete", .nullable(.boolean)), ("version", .integer(minimum: 1)),
        ]))
        r.register("ReviewSummary", .object([
            ("criteria", .array(.object([("key", .string()), ("label", .string()), ("weight", .integer()), ("mean", .nullable(.number())),
                                         ("min", .nullable(.integer())), ("max", .nullable(.integer())), ("count", .integer())], required: ["key", "label", "weight", "count"]))),
            ("weightedMean", .nullable(.number())), ("reviews", .array(review)),
        ], required: ["criteria", "reviews"]))
        r.register("GrantDecision", .object([
            ("id", .uuid), ("applicationId", .uuid), ("programmeId", .uuid), ("organisationId", .uuid), ("organisationName", .nullable(.string())),
            ("year", .integer()), ("outcome", .oneOf(DecisionOutcome.allCases.map(\.rawValue))), ("amountOre", .integer(minimum: 0)), ("conditions", .string()),
            ("motivation", .string()), ("purpose", .string()), ("decidedOn", .date), ("decisionMaker", .string()), ("delegationLevel", .oneOf(DecisionLevel.rawValues)),
            ("diarienummer", .string()), ("replacesId", .nullable(.uuid)), ("replacedById", .nullable(.uuid)), ("isStateAid", .boolean), ("currency", .oneOf(["SEK"])),
            ("deciderJav", .nullable(.boolean)), ("appealRoute", .oneOf(AppealRules.Route.allCases.map(\.rawValue))),
        ], required: ["id", "applicationId", "outcome", "amountOre", "decidedOn", "diarienummer"]))
        r.register("GrantDecisionInput", .object([
            ("applicationId", .string(maxLength: 40)), ("outcome", .oneOf(DecisionOutcome.allCases.map(\.rawValue))), ("amountOre", .nullable(.integer(minimum: 0))),
            ("conditions", .nullable(.text(max: 5000))), ("motivation", .text(max: 5000, min: 1)), ("purpose", .nullable(.text(max: 300))),
            ("decidedOn", .nullable(.string(maxLength: 10))), ("decisionMaker", .nullable(.text(max: 200))), ("delegationLevel", .nullable(.oneOf(DecisionLevel.rawValues))),
            ("diarienummer", .nullable(.text(max: 50))), ("replacesId", .nullable(.string(maxLength: 40))), ("jav", .boolean),
        ], required: ["applicationId", "outcome", "motivation", "jav"]))
        r.register("GrantPayment", .object([
            ("id", .uuid), ("programmeId", .uuid), ("organisationId", .uuid), ("organisationName", .nullable(.string())), ("year", .integer()),
            ("decisionId", .nullable(.uuid)), ("kind", .oneOf(["single", "instalment", "advance", "final"])), ("dueOn", .date), ("amountOre", .integer()),
            ("status", .oneOf(PaymentStatus.allCases.map(\.rawValue))), ("approvedOn", .nullable(.date)), ("paidOn", .nullable(.date)),
            ("currency", .oneOf(["SEK"])), ("version", .integer(minimum: 1)),
        ], required: ["id", "programmeId", "organisationId", "kind", "dueOn", "amountOre", "status"]))
        r.register("GrantReport", .object([
            ("id", .uuid), ("decisionId", .uuid), ("organisationId", .uuid), ("organisationName", .nullable(.string())), ("programmeId", .uuid),
            ("year", .integer()), ("dueOn", .date), ("status", .oneOf(ReportStatus.allCases.map(\.rawValue))), ("overdue", .boolean),
            ("actualCostsOre", .nullable(.integer(minimum: 0))), ("narrative", .string()), ("reviewComment", .string()), ("currency", .oneOf(["SEK"])),
            ("version", .integer(minimum: 1)),
        ], required: ["id", "decisionId", "organisationId", "dueOn", "status", "overdue"]))
        r.register("GrantReportInput", .object([("actualCostsOre", .integer(minimum: 0)), ("narrative", .text(max: 10_000, min: 1)), ("version", .integer(minimum: 1))],
                                               required: ["actualCostsOre", "narrative"]))
        r.register("GrantReclaim", .object([
            ("id", .uuid), ("decisionId", .uuid), ("organisationId", .uuid), ("organisationName", .nullable(.string())), ("amountOre", .integer(minimum: 0)),
            ("reason", .string()), ("dueOn", .date), ("status", .oneOf(ReclaimStatus.allCases.map(\.rawValue))), ("repaidOn", .nullable(.date)),
            ("currency", .oneOf(["SEK"])), ("version", .integer(minimum: 1)),
        ], required: ["id", "decisionId", "amountOre", "status"]))
        r.register("GrantReclaimInput", .object([("decisionId", .string(maxLength: 40)), ("amountOre", .integer(minimum: 1)),
                                                 ("reason", .text(max: 4000, min: 1)), ("dueOn", .date)], required: ["decisionId", "amountOre", "reason"]))
        r.register("AllocationPreview", .object([
            ("year", .integer()), ("frameOre", .nullable(.integer())), ("totalCappedOre", .integer()), ("totalFinalOre", .integer()), ("scale", .number()),
            ("lines", .array(.object([("applicationId", .uuid), ("organisationName", .string()), ("formulaOre", .integer()), ("cappedOre", .integer()),
                                      ("finalOre", .integer())], required: ["applicationId", "finalOre"]))), ("currency", .oneOf(["SEK"])),
        ], required: ["year", "lines"]))
        r.register("GrantSettings", .object([("bodyId", .uuid), ("relaxSeparation", .boolean), ("reason", .string()), ("version", .integer(minimum: 0))],
                                            required: ["bodyId", "relaxSeparation", "reason", "version"]))
        r.register("GrantSettingsInput", .object([("relaxSeparation", .boolean), ("reason", .nullable(.text(max: 2000))), ("version", .integer(minimum: 1))],
                                                 required: ["relaxSeparation"]))
        r.register("RegisterLine", .object([
            ("decisionId", .uuid), ("recipient", .string()), ("recipientOrgnr", .nullable(.string())), ("programme", .string()), ("body", .string()),
            ("amountOre", .integer()), ("decidedOn", .date), ("purpose", .string()), ("diarienummer", .string()), ("currency", .oneOf(["SEK"])),
        ], required: ["decisionId", "recipient", "amountOre", "decidedOn"]))
    }
}
