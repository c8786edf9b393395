import Foundation
import SamverkaRules

/// OpenAPI schemas of the Agreements API.
enum AgreementSchemas {
    static func register(_ r: SchemaRegistry) {
        let id = Schema.uuid, optID = Schema.nullable(.uuid), optText = Schema.nullable(.string()), optDate = Schema.nullable(.date)
        let named = Schema.object([("id", id), ("name", .string())], required: ["id", "name"])
        r.register("Agreement", .object([
            ("id", id), ("title", .string()), ("kind", .oneOf(AgreementKind.rawValues)), ("purpose", .string()), ("scope", .string()),
            ("owners", .array(named)), ("partyOrganisationId", optID), ("partyName", .string()), ("isPublic", .boolean),
            ("state", .oneOf(["draft", "inForce", "notYetInForce", "ended"])), ("versionInForce", .nullable(.integer())), ("firstInForceOn", optDate),
            ("signatories", .integer(minimum: 0)), ("isDemo", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "title", "kind", "purpose", "scope", "owners", "partyName", "isPublic", "state", "signatories", "isDemo", "version"]))
        r.register("AgreementInput", Schema.input([
            ("title", .text(max: 200, min: 3)), ("kind", .oneOf(AgreementKind.rawValues)), ("purpose", .text(max: 4000)), ("scope", .text(max: 4000)),
            ("ownerBodyIds", .array(.uuid, maxItems: 10)), ("partyOrganisationId", .string(maxLength: 40)), ("partyName", .text(max: 200)),
            ("isPublic", .boolean), ("version", .integer(minimum: 1)),
        ]))
        let section = Schema.object([("key", .string()), ("title", .string()), ("text", .string())], required: ["key", "title", "text"])
        let principle = Schema.object([("key", .string()), ("name", .string()), ("description", .string()),
                                       ("nationalKey", .nullable(.oneOf(NationalPrinciple.rawValues))), ("isPortal", .boolean)],
                                      required: ["key", "name", "description", "isPortal"])
        r.register("AgreementVersion", .object([
            ("id", id), ("agreementId", id), ("number", .integer(minimum: 1)), ("status", .oneOf(AgreementVersionStatus.rawValues)),
            ("sections", .array(section)), ("principles", .array(principle)), ("draftedOn", .date), ("consultationId", optID),
            ("consultationDeadline", optDate), ("adoptedOn", optDate), ("validFrom", optDate), ("decidingBodyId", optID), ("decidingOrgan", .string()),
            ("paragraph", .string()), ("diarienummer", .string()), ("endedOn", optDate), ("endReason", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "agreementId", "number", "status", "sections", "principles", "draftedOn", "decidingOrgan", "paragraph", "diarienummer", "endReason", "version"]))
        r.register("AgreementVersionInput", Schema.input([
            ("sections", .array(Schema.input([("key", .string(maxLength: 40)), ("title", .text(max: 300, min: 1)), ("text", .text(max: SectionRules.maxText))],
                                      required: ["title"]), maxItems: SectionRules.maxSections)),
            ("principles", .array(Schema.input([("key", .string(maxLength: 40)), ("name", .text(max: 120, min: 1)), ("description", .text(max: 4000)),
                                         ("nationalKey", .string(maxLength: 40)), ("isPortal", .boolean)], required: ["name"]), maxItems: PrincipleRules.maxPrinciples)),
            ("version", .integer(minimum: 1)),
        ]))
        r.register("AdoptionInput", Schema.input([
            ("adoptedOn", .date), ("validFrom", .date), ("decidingBodyId", .string(maxLength: 40)), ("decidingOrgan", .text(max: 200, min: 2)),
            ("paragraph", .string(maxLength: 20)), ("diarienummer", .string(maxLength: 40)), ("version", .integer(minimum: 1)),
        ], required: ["adoptedOn", "decidingOrgan", "paragraph", "diarienummer"]))
        let piece = Schema.object([("kind", .oneOf(["same", "added", "removed"])), ("text", .string())], required: ["kind", "text"])
        r.register("VersionDiff", .object([
            ("from", .integer(minimum: 0)), ("to", .integer(minimum: 1)),
            ("sections", .array(.object([("key", .string()), ("change", .oneOf(["added", "removed", "changed", "unchanged"])), ("oldTitle", optText),
                                         ("newTitle", optText), ("pieces", .array(piece))], required: ["key", "change", "pieces"]))),
            ("principlesAdded", .array(.string())), ("principlesRemoved", .array(.string())),
        ], required: ["from", "to", "sections", "principlesAdded", "principlesRemoved"]))
        r.register("Signatory", .object([
            ("id", id), ("organisationId", id), ("organisationName", .string()), ("contactRoleId", optID), ("contactRoleTitle", optText),
            ("signedOn", .date), ("onPaper", .boolean), ("withdrawnOn", optDate), ("withdrawalReason", .string()), ("isDemo", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "organisationId", "organisationName", "signedOn", "onPaper", "withdrawalReason", "isDemo", "version"]))
        r.register("SignatoryInput", Schema.input([("organisationId", .string(maxLength: 40)), ("signedOn", .date), ("contactRoleId", .string(maxLength: 40))],
                                           required: ["organisationId"]))
        r.register("WithdrawalInput", Schema.input([("withdrawnOn", .date), ("reason", .text(max: 2000)), ("version", .integer(minimum: 1))]))
        r.register("Governance", .object([
            ("id", id), ("forumId", id), ("forumName", .string()), ("role", .oneOf(GovernanceRole.rawValues)), ("seatsForSignatories", .boolean),
            ("seatsNotSignatories", .array(named)),
        ], required: ["id", "forumId", "forumName", "role", "seatsForSignatories", "seatsNotSignatories"]))
        r.register("GovernanceInput", Schema.input([("forumId", .string(maxLength: 40)), ("role", .oneOf(GovernanceRole.rawValues)), ("seatsForSignatories", .boolean)],
                                            required: ["forumId"]))
        let activity = Schema.object([
            ("id", id), ("planId", id), ("area", .string()), ("title", .string()), ("description", .string()), ("ownerRoleId", optID),
            ("ownerRoleTitle", optText), ("partners", .string()), ("dueOn", optDate), ("status", .oneOf(ActivityStatus.rawValues)), ("isLate", .boolean),
            ("principleKey", .string()), ("links", .array(.object([("kind", .oneOf(ActivityLinkKind.rawValues)), ("id", id)], required: ["kind", "id"]))),
            ("notes", .array(.object([("id", id), ("writtenOn", .date), ("text", .string())], required: ["id", "writtenOn", "text"]))),
            ("version", .integer(minimum: 1)),
        ], required: ["id", "planId", "area", "title", "description", "partners", "status", "isLate", "principleKey", "links", "notes", "version"])
        r.register("Activity", activity)
        r.register("ActionPlan", .object([
            ("id", id), ("agreementId", id), ("title", .string()), ("periodFrom", .integer()), ("periodTo", .integer()), ("activities", .array(.ref("Activity"))),
            ("version", .integer(minimum: 1)),
        ], required: ["id", "agreementId", "title", "periodFrom", "periodTo", "activities", "version"]))
        r.register("ActionPlanInput", Schema.input([("title", .text(max: 200, min: 3)), ("periodFrom", .integer(minimum: 2000, maximum: 2100)),
                                             ("periodTo", .integer(minimum: 2000, maximum: 2100)), ("version", .integer(minimum: 1))]))
        r.register("ActivityInput", Schema.input([
            ("area", .text(max: 200, min: 1)), ("title", .text(max: 300, min: 3)), ("description", .text(max: 4000)), ("ownerRoleId", .string(maxLength: 40)),
            ("partners", .text(max: 500)), ("dueOn", .string(maxLength: 10)), ("status", .oneOf(ActivityStatus.rawValues)), ("principleKey", .text(max: 40)),
            ("links", .array(.object([("kind", .oneOf(ActivityLinkKind.rawValues)), ("id", .uuid)], required: ["kind", "id"]), maxItems: 50)),
            ("version", .integer(minimum: 1)),
        ]))
        r.register("ActivityNoteInput", Schema.input([("writtenOn", .date), ("text", .text(max: 4000, min: 1))], required: ["text"]))
        let figures = Schema.object(["meetingsPlanned", "meetingsHeld", "questionsJudged", "questionsAnsweredInTime", "consultations", "consultationComments",
                                     "consultationCommentsHandled", "grantsToSignatories", "grantsToSignatoriesOre", "signatoriesAtStart", "signatoriesJoined",
                                     "signatoriesLeft", "signatoriesAtEnd", "activitiesPlanned", "activitiesOngoing", "activitiesDone", "activitiesCancelled"]
            .map { ($0, Schema.integer(minimum: 0)) } + [("from", .date), ("to", .date)], required: ["from", "to", "meetingsPlanned", "meetingsHeld"])
        r.register("FollowUpReport", .object([
            ("id", id), ("agreementId", id), ("kind", .oneOf(FollowUpKind.rawValues)), ("title", .string()), ("periodFrom", .date), ("periodTo", .date),
            ("narrative", .string()), ("figures", figures), ("approved", .boolean), ("approvedOn", optDate), ("diarienummer", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "agreementId", "kind", "title", "periodFrom", "periodTo", "narrative", "figures", "approved", "diarienummer", "version"]))
        r.register("FollowUpReportInput", Schema.input([
            ("kind", .oneOf(FollowUpKind.rawValues)), ("title", .text(max: 200, min: 3)), ("periodFrom", .date), ("periodTo", .date),
            ("narrative", .text(max: 40_000)), ("version", .integer(minimum: 1)),
        ]))
        r.register("FollowUpApprovalInput", Schema.input([("approvedOn", .date), ("diarienummer", .string(maxLength: 40)), ("version", .integer(minimum: 1))],
                                                  required: ["diarienummer"]))
        r.register("Indicators", .object([
            ("agreementId", id), ("year", .integer()),
            ("indicators", .array(.object([
                ("key", .string()), ("principle", .oneOf(NationalPrinciple.rawValues)), ("principleName", .string()), ("name", .string()),
                ("definition", .string()), ("value", .nullable(.number())), ("unit", .oneOf(["share", "days", "count"])), ("numerator", .integer()),
                ("denominator", .integer()), ("insufficient", .boolean), ("recordKind", .string()), ("records", .array(.uuid)),
                ("trend", .array(.object([("year", .integer()), ("value", .nullable(.number())), ("insufficient", .boolean)], required: ["year", "value", "insufficient"]))),
            ], required: ["key", "principle", "principleName", "name", "definition", "value", "unit", "numerator", "denominator", "insufficient", "recordKind", "records", "trend"]))),
        ], required: ["agreementId", "year", "indicators"]))
    }
}
