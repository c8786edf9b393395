import Foundation
import SamverkaRules

/// OpenAPI schemas of the Dialogue API.
enum DialogueSchemas {
    static func input(_ props: [(String, Schema)], required: [String] = []) -> Schema { Schema.input(props, required: required) }

    static func register(_ r: SchemaRegistry) {
        let id = Schema.uuid, optID = Schema.nullable(.uuid), optText = Schema.nullable(.string())
        let idInput = Schema.nullable(.string(maxLength: 40))
        let time = Schema.string(pattern: #"^\d{1,2}:\d{2}$"#)
        let rule = Schema.object([("category", .oneOf(SeatCategory.rawValues)), ("min", .nullable(.integer(minimum: 0, maximum: 500))),
                                  ("max", .nullable(.integer(minimum: 0, maximum: 500)))], required: ["category"])
        let cadence = Schema.object([
            ("meetingsPerYear", .integer(minimum: 0, maximum: 12)), ("months", .nullable(.array(.integer(minimum: 1, maximum: 12), maxItems: 12))),
            ("weekday", .integer(minimum: 1, maximum: 7)), ("week", .integer(minimum: 1, maximum: 4)), ("startTime", time),
            ("durationMinutes", .integer(minimum: 15, maximum: 600)),
            ("extra", .array(.object([("month", .integer(minimum: 1, maximum: 12)), ("title", .text(max: 200, min: 1))], required: ["month", "title"]), maxItems: 12)),
        ], required: ["meetingsPerYear", "weekday", "week", "startTime", "durationMinutes", "extra"])
        r.register("Cadence", cadence)
        r.register("Forum", .object([
            ("id", id), ("bodyId", id), ("bodyName", optText), ("unitId", optID), ("name", .string()), ("kind", .oneOf(ForumKind.rawValues)),
            ("purpose", .string()), ("mandate", .string()), ("themes", .array(.oneOf(ForumTheme.rawValues))),
            ("participationLevel", .oneOf(ParticipationLevel.rawValues)), ("isPublic", .boolean), ("composition", .array(rule)),
            ("compositionWarnings", .array(.object([("category", .string()), ("count", .integer()), ("min", .nullable(.integer())), ("max", .nullable(.integer())),
                                                    ("message", .string())], required: ["category", "count", "message"]))),
            ("cadence", .nullable(.ref("Cadence"))), ("feedbackDays", .integer(minimum: 1, maximum: 365)), ("feedbackByNextMeeting", .boolean),
            ("secretaryRoleId", optID), ("location", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "name", "kind", "purpose", "themes", "participationLevel", "isPublic", "composition", "compositionWarnings", "feedbackDays", "version"]))
        r.register("ForumInput", input([
            ("bodyId", idInput), ("unitId", idInput), ("name", .text(max: 200, min: 1)), ("kind", .oneOf(ForumKind.rawValues)), ("purpose", .text(max: 4000, min: 1)),
            ("mandate", .nullable(.text(max: 10_000))), ("themes", .array(.oneOf(ForumTheme.rawValues), maxItems: 4)),
            ("participationLevel", .oneOf(ParticipationLevel.rawValues)), ("isPublic", .boolean), ("composition", .array(rule, maxItems: 3)),
            ("cadence", .nullable(.ref("Cadence"))), ("clearCadence", .boolean), ("feedbackDays", .integer(minimum: 1, maximum: 365)),
            ("feedbackByNextMeeting", .boolean), ("secretaryRoleId", idInput), ("location", .nullable(.text(max: 300))), ("version", .integer(minimum: 1)),
        ]))
        r.register("Seat", .object([
            ("id", id), ("forumId", id), ("category", .oneOf(SeatCategory.rawValues)), ("position", .oneOf(SeatPosition.rawValues)),
            ("organisationId", optID), ("organisationName", optText), ("contactRoleId", optID), ("contactRoleTitle", optText),
            ("holderName", .string()), ("holderEmail", optText), ("userId", optID), ("isSubstitute", .boolean), ("substituteForId", optID),
            ("note", .string()), ("termFrom", .date), ("termTo", .nullable(.date)), ("isCurrent", .boolean),
            ("phase", .oneOf(["upcoming", "current", "ended"])), ("previousId", optID), ("version", .integer(minimum: 1)),
        ], required: ["id", "forumId", "category", "position", "holderName", "isSubstitute", "note", "termFrom", "isCurrent", "phase", "version"]))
        r.register("SeatInput", input([
            ("category", .oneOf(SeatCategory.rawValues)), ("position", .oneOf(SeatPosition.rawValues)), ("organisationId", idInput), ("contactRoleId", idInput),
            ("holderName", .nullable(.text(max: 200))), ("holderEmail", .nullable(.text(max: 254))), ("userId", idInput), ("isSubstitute", .boolean),
            ("substituteForId", idInput), ("note", .nullable(.text(max: 200))), ("termFrom", .nullable(.string(maxLength: 10))),
            ("termTo", .nullable(.string(maxLength: 10))), ("version", .integer(minimum: 1)),
        ]))
        r.register("AgendaItem", .object([
            ("id", id), ("position", .integer()), ("title", .string()), ("description", .string()), ("raisedBy", .string()), ("organisationId", optID),
            ("questionId", optID), ("minutes", .string()), ("decision", .string()), ("isPublic", .boolean), ("secrecyProvision", .string()),
            ("secrecyReference", .string()), ("secrecyReason", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "position", "title", "description", "raisedBy", "minutes", "decision", "isPublic", "secrecyReason", "version"]))
        r.register("AgendaItemInput", input([
            ("position", .integer(minimum: 1, maximum: 500)), ("title", .text(max: 300, min: 1)), ("description", .nullable(.text(max: 10_000))),
            ("raisedBy", .nullable(.text(max: 200))), ("organisationId", idInput), ("questionId", idInput), ("minutes", .nullable(.text(max: 50_000))),
            ("decision", .nullable(.text(max: 10_000))), ("isPublic", .boolean),
            ("secrecyProvision", .nullable(.string(values: [""] + SecrecyRules.provisions.map(\.code)))), ("secrecyReason", .nullable(.text(max: 300))), ("version", .integer(minimum: 1)),
        ]))
        r.register("MeetingDocument", .object([
            ("id", id), ("agendaItemId", optID), ("title", .string()), ("filename", .string()), ("contentType", .string()), ("size", .integer(minimum: 0)),
            ("registeredAt", .nullable(.dateTime)), ("isPublic", .boolean), ("secrecyProvision", .string()), ("secrecyReference", .string()),
            ("secrecyReason", .string()), ("titleSecret", .boolean), ("canDownload", .boolean),
        ], required: ["id", "title", "filename", "contentType", "size", "isPublic", "secrecyProvision", "secrecyReason", "titleSecret", "canDownload"]))
        r.register("Attendance", .object([
            ("seatId", id), ("holderName", .string()), ("category", .oneOf(SeatCategory.rawValues)), ("position", .oneOf(SeatPosition.rawValues)),
            ("isSubstitute", .boolean), ("rsvp", .oneOf(RSVP.allCases.map(\.rawValue) + ["notInvited"])), ("substituteSeatId", optID), ("substituteName", optText),
            ("present", .nullable(.boolean)),
        ], required: ["seatId", "holderName", "category", "position", "isSubstitute", "rsvp"]))
        r.register("AttendanceInput", input([
            ("lines", .array(.object([("seatId", .string(maxLength: 40)), ("present", .nullable(.boolean)), ("rsvp", .nullable(.oneOf(RSVP.allCases.map(\.rawValue)))),
                                      ("substituteSeatId", idInput)], required: ["seatId"]), maxItems: 200)),
        ]))
        r.register("Action", .object([
            ("id", id), ("meetingId", id), ("agendaItemId", optID), ("text", .string()), ("ownerRoleId", optID), ("ownerRoleTitle", optText),
            ("dueOn", .nullable(.date)), ("status", .oneOf(ActionStatus.allCases.map(\.rawValue))), ("doneOn", .nullable(.date)), ("note", .string()),
            ("overdue", .boolean), ("version", .integer(minimum: 1)),
        ], required: ["id", "meetingId", "text", "status", "note", "overdue", "version"]))
        r.register("ActionInput", input([
            ("agendaItemId", idInput), ("text", .text(max: 4000, min: 1)), ("ownerRoleId", idInput), ("dueOn", .nullable(.string(maxLength: 10))),
            ("status", .oneOf(ActionStatus.allCases.map(\.rawValue))), ("note", .nullable(.text(max: 4000))), ("version", .integer(minimum: 1)),
        ]))
        r.register("Meeting", .object([
            ("id", id), ("forumId", id), ("forumName", optText), ("title", .string()), ("date", .date), ("startTime", time), ("endTime", time),
            ("location", .string()), ("status", .oneOf(MeetingStatus.allCases.map(\.rawValue))), ("isExtra", .boolean), ("adjusterSeatId", optID),
            ("chairApproved", .boolean), ("adjusterApproved", .boolean), ("publishedAt", .nullable(.dateTime)), ("invitationsSentAt", .nullable(.dateTime)),
            ("minutesIntro", .string()), ("agenda", .nullable(.array(.ref("AgendaItem")))), ("documents", .nullable(.array(.ref("MeetingDocument")))),
            ("attendance", .nullable(.array(.ref("Attendance")))), ("actions", .nullable(.array(.ref("Action")))),
            ("quorum", .nullable(.object([("ordinarySeats", .integer(minimum: 0)), ("present", .integer(minimum: 0)), ("hasQuorum", .boolean)],
                                         required: ["ordinarySeats", "present", "hasQuorum"]))),
            ("version", .integer(minimum: 1)),
        ], required: ["id", "forumId", "title", "date", "startTime", "endTime", "location", "status", "isExtra", "chairApproved", "adjusterApproved", "minutesIntro", "version"]))
        r.register("MeetingInput", input([
            ("forumId", idInput), ("title", .text(max: 200, min: 1)), ("date", .string(maxLength: 10)), ("startTime", .string(maxLength: 5)), ("endTime", .string(maxLength: 5)),
            ("location", .nullable(.text(max: 300))), ("adjusterSeatId", idInput), ("minutesIntro", .nullable(.text(max: 20_000))), ("version", .integer(minimum: 1)),
        ]))
        r.register("Question", .object([
            ("id", id), ("bodyId", id), ("bodyName", optText), ("forumId", optID), ("forumName", optText), ("unitId", optID), ("unitName", optText),
            ("organisationId", optID), ("organisationName", optText), ("askerName", .string()), ("isProposal", .boolean), ("title", .string()), ("text", .string()),
            ("isPublic", .boolean), ("ownerRoleId", optID), ("ownerRoleTitle", optText), ("status", .oneOf(QuestionStatus.allCases.map(\.rawValue))),
            ("raisedOn", .date), ("deadline", .date), ("overdue", .boolean), ("answer", .string()), ("answeredOn", .nullable(.date)), ("forwardedTo", .string()),
            ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "askerName", "isProposal", "title", "text", "isPublic", "status", "raisedOn", "deadline", "overdue", "answer", "forwardedTo", "version"]))
        r.register("QuestionInput", input([
            ("forumId", idInput), ("unitId", idInput), ("bodyId", idInput), ("organisationId", idInput), ("isProposal", .boolean),
            ("title", .text(max: 200, min: 1)), ("text", .text(max: 10_000, min: 1)), ("isPublic", .boolean),
        ], required: ["title", "text"]))
        r.register("AnswerInput", input([
            ("status", .oneOf(["inProgress", "answered", "forwarded", "closed"])), ("answer", .nullable(.text(max: 20_000))),
            ("forwardedTo", .nullable(.text(max: 300))), ("ownerRoleId", idInput), ("deadline", .nullable(.string(maxLength: 10))), ("version", .integer(minimum: 1)),
        ]))
        r.register("FeedbackRate", .object([
            ("scope", .oneOf(["body", "forum", "unit"])), ("id", optID), ("name", .string()), ("questions", .integer(minimum: 0)), ("judged", .integer(minimum: 0)),
            ("answeredInTime", .integer(minimum: 0)), ("answeredLate", .integer(minimum: 0)), ("overdue", .integer(minimum: 0)), ("pending", .integer(minimum: 0)),
            ("share", .nullable(.number(minimum: 0))), ("medianDays", .nullable(.number(minimum: 0))),
        ], required: ["scope", "name", "questions", "judged", "answeredInTime", "answeredLate", "overdue", "pending"]))
        let section = Schema.object([("key", .string(maxLength: 40)), ("title", .string(maxLength: 200))], required: ["key", "title"])
        r.register("Consultation", .object([
            ("id", id), ("bodyId", id), ("bodyName", optText), ("unitId", optID), ("title", .string()), ("description", .string()), ("sections", .array(section)),
            ("hasDraft", .boolean), ("draftFilename", optText), ("deadline", .date), ("openToAll", .boolean), ("status", .oneOf(ConsultationStatus.allCases.map(\.rawValue))),
            ("acceptsResponses", .boolean), ("responsesPublic", .boolean), ("invitedOrganisationIds", .array(id)), ("invitedForumIds", .array(id)),
            ("responseCount", .integer(minimum: 0)), ("summary", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "title", "description", "sections", "hasDraft", "deadline", "openToAll", "status", "acceptsResponses", "responsesPublic",
                      "invitedOrganisationIds", "invitedForumIds", "responseCount", "summary", "version"]))
        r.register("ConsultationInput", input([
            ("bodyId", idInput), ("unitId", idInput), ("title", .text(max: 300, min: 1)), ("description", .nullable(.text(max: 20_000))), ("sections", .array(section, maxItems: 50)),
            ("deadline", .string(maxLength: 10)), ("openToAll", .boolean), ("invitedOrganisationIds", .array(.string(maxLength: 40), maxItems: 500)),
            ("invitedForumIds", .array(.string(maxLength: 40), maxItems: 50)), ("summary", .nullable(.text(max: 50_000))), ("version", .integer(minimum: 1)),
        ]))
        let comment = Schema.object([("id", id), ("sectionKey", .string()), ("comment", .string()), ("outcome", .nullable(.oneOf(CommentOutcome.rawValues))),
                                     ("outcomeText", .string())], required: ["id", "sectionKey", "comment", "outcomeText"])
        r.register("ConsultationComment", comment)
        r.register("ConsultationResponse", .object([
            ("id", id), ("consultationId", id), ("organisationId", id), ("organisationName", optText), ("generalComment", .string()), ("documentFilename", optText),
            ("comments", .array(.ref("ConsultationComment"))), ("submittedAt", .nullable(.dateTime)), ("version", .integer(minimum: 1)),
        ], required: ["id", "consultationId", "organisationId", "generalComment", "comments", "version"]))
        r.register("ConsultationResponseInput", input([
            ("organisationId", idInput), ("generalComment", .nullable(.text(max: 20_000))),
            ("comments", .array(.object([("sectionKey", .string(maxLength: 40)), ("comment", .text(max: 20_000, min: 1))], required: ["sectionKey", "comment"]), maxItems: 50)),
            ("version", .integer(minimum: 1)),
        ]))
        r.register("CommentOutcomeInput", input([("outcome", .oneOf(CommentOutcome.rawValues)), ("outcomeText", .nullable(.text(max: 10_000)))], required: ["outcome"]))
        r.register("Event", .object([
            ("id", id), ("bodyId", id), ("bodyName", optText), ("forumId", optID), ("title", .string()), ("description", .string()), ("date", .date),
            ("startTime", time), ("endTime", time), ("location", .string()), ("capacity", .nullable(.integer(minimum: 1))), ("registrationClosesOn", .nullable(.date)),
            ("registrationOpen", .boolean), ("surveyUrl", .string()), ("status", .oneOf(EventStatus.allCases.map(\.rawValue))), ("registered", .integer(minimum: 0)),
            ("waitlisted", .integer(minimum: 0)), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "title", "description", "date", "startTime", "endTime", "location", "registrationOpen", "surveyUrl", "status", "registered", "waitlisted", "version"]))
        r.register("EventInput", input([
            ("bodyId", idInput), ("forumId", idInput), ("title", .text(max: 200, min: 1)), ("description", .nullable(.text(max: 10_000))), ("date", .string(maxLength: 10)),
            ("startTime", .string(maxLength: 5)), ("endTime", .string(maxLength: 5)), ("location", .nullable(.text(max: 300))),
            ("capacity", .nullable(.integer(minimum: 0, maximum: 100_000))), ("registrationClosesOn", .nullable(.string(maxLength: 10))),
            ("surveyUrl", .nullable(.text(max: 300))), ("status", .oneOf(EventStatus.allCases.map(\.rawValue))), ("version", .integer(minimum: 1)),
        ]))
        r.register("Registration", .object([
            ("id", id), ("eventId", id), ("name", .string()), ("email", optText), ("organisationId", optID), ("organisationName", optText),
            ("needs", optText), ("status", .oneOf(RegistrationStatus.allCases.map(\.rawValue))), ("createdAt", .nullable(.dateTime)),
        ], required: ["id", "eventId", "name", "status"]))
        r.register("RegistrationInput", input([("organisationId", idInput), ("needs", .nullable(.text(max: 1000))), ("needsConsent", .boolean)]))
        r.register("CalendarEntry", .object([
            ("uid", .string()), ("kind", .oneOf(["meeting", "event"])), ("title", .string()), ("date", .date), ("startTime", time), ("endTime", time),
            ("location", .string()), ("status", .string()), ("href", .string()),
        ], required: ["uid", "kind", "title", "date", "startTime", "endTime", "location", "status", "href"]))
    }
}
