import Vapor
import SamverkaRules

struct ForumDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String?
    var unitId: UUID?
    var name: String
    var kind: String
    var purpose: String
    var mandate: String
    var themes: [String]
    var participationLevel: String
    var isPublic: Bool
    var composition: [CompositionRule]
    var compositionWarnings: [CompositionWarningDTO]
    var cadence: Cadence?
    var feedbackDays: Int
    var feedbackByNextMeeting: Bool
    var secretaryRoleId: UUID?
    var location: String
    var version: Int
}

struct CompositionWarningDTO: Content, Sendable, Equatable {
    var category: String
    var count: Int
    var min: Int?
    var max: Int?
    var message: String
}

struct ForumBody: Content, Sendable {
    var bodyId: String?
    var unitId: String?
    var name: String?
    var kind: String?
    var purpose: String?
    var mandate: String?
    var themes: [String]?
    var participationLevel: String?
    var isPublic: Bool?
    var composition: [CompositionRule]?
    var cadence: Cadence?
    var clearCadence: Bool?
    var feedbackDays: Int?
    var feedbackByNextMeeting: Bool?
    var secretaryRoleId: String?
    var location: String?
    var version: Int?
}

struct SeatDTO: Content, Sendable {
    var id: UUID
    var forumId: UUID
    var category: String
    var position: String
    var organisationId: UUID?
    var organisationName: String?
    var contactRoleId: UUID?
    var contactRoleTitle: String?
    /// The person sitting today (through the role when the seat is held through one).
    var holderName: String
    var holderEmail: String?
    var userId: UUID?
    var isSubstitute: Bool
    var substituteForId: UUID?
    var note: String
    var termFrom: String
    var termTo: String?
    var isCurrent: Bool
    /// `upcoming`, `current` or `ended` (see `SeatRules.Phase`).
    var phase: String
    var previousId: UUID?
    var version: Int
}

struct SeatBody: Content, Sendable {
    var category: String?
    var position: String?
    var organisationId: String?
    var contactRoleId: String?
    var holderName: String?
    var holderEmail: String?
    var userId: String?
    var isSubstitute: Bool?
    var substituteForId: String?
    var note: String?
    var termFrom: String?
    var termTo: String?
    var version: Int?
}

struct MeetingDTO: Content, Sendable {
    var id: UUID
    var forumId: UUID
    var forumName: String?
    var title: String
    var date: String
    var startTime: String
    var endTime: String
    var location: String
    var status: String
    var isExtra: Bool
    var adjusterSeatId: UUID?
    var chairApproved: Bool
    var adjusterApproved: Bool
    var publishedAt: Date?
    var invitationsSentAt: Date?
    var minutesIntro: String
    var agenda: [AgendaItemDTO]?
    var documents: [MeetingDocumentDTO]?
    var attendance: [AttendanceDTO]?
    var actions: [ActionDTO]?
    var quorum: QuorumDTO?
    var version: Int
}

struct QuorumDTO: Content, Sendable {
    var ordinarySeats: Int
    var present: Int
    var hasQuorum: Bool
}

struct MeetingBody: Content, Sendable {
    var forumId: String?
    var title: String?
    var date: String?
    var startTime: String?
    var endTime: String?
    var location: String?
    var adjusterSeatId: String?
    var minutesIntro: String?
    var version: Int?
}

struct AgendaItemDTO: Content, Sendable {
    var id: UUID
    var position: Int
    var title: String
    var description: String
    var raisedBy: String
    var organisationId: UUID?
    var questionId: UUID?
    var minutes: String
    var decision: String
    var isPublic: Bool
    var secrecyProvision: String
    /// "OSL 21 kap. 1 §" when not public.
    var secrecyReference: String
    var secrecyReason: String
    var version: Int
}

struct AgendaItemBody: Content, Sendable {
    var position: Int?
    var title: String?
    var description: String?
    var raisedBy: String?
    var organisationId: String?
    var questionId: String?
    var minutes: String?
    var decision: String?
    var isPublic: Bool?
    /// OSL chapter and section (`21:1`) of a secret item.
    var secrecyProvision: String?
    var secrecyReason: String?
    var version: Int?
}

struct MeetingDocumentDTO: Content, Sendable {
    var id: UUID
    var agendaItemId: UUID?
    var title: String
    var filename: String
    var contentType: String
    var size: Int
    var registeredAt: Date?
    var isPublic: Bool
    var secrecyProvision: String
    var secrecyReference: String
    var secrecyReason: String
    var titleSecret: Bool
    /// False for a secret document the caller may not read: it is listed, not delivered.
    var canDownload: Bool
}

struct AttendanceDTO: Content, Sendable {
    var seatId: UUID
    var holderName: String
    var category: String
    var position: String
    var isSubstitute: Bool
    var rsvp: String
    var substituteSeatId: UUID?
    var substituteName: String?
    var present: Bool?
}

struct AttendanceBody: Content, Sendable {
    struct Line: Content, Sendable {
        var seatId: String
        var present: Bool?
        var rsvp: String?
        var substituteSeatId: String?
    }
    var lines: [Line]?
}

struct ActionDTO: Content, Sendable {
    var id: UUID
    var meetingId: UUID
    var agendaItemId: UUID?
    var text: String
    var ownerRoleId: UUID?
    var ownerRoleTitle: String?
    var dueOn: String?
    var status: String
    var doneOn: String?
    var note: String
    var overdue: Bool
    var version: Int
}

struct ActionBody: Content, Sendable {
    var agendaItemId: String?
    var text: String?
    var ownerRoleId: String?
    var dueOn: String?
    var status: String?
    var note: String?
    var version: Int?
}

struct QuestionDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String?
    var forumId: UUID?
    var forumName: String?
    var unitId: UUID?
    var unitName: String?
    var organisationId: UUID?
    var organisationName: String?
    var askerName: String
    var isProposal: Bool
    var title: String
    var text: String
    var isPublic: Bool
    var ownerRoleId: UUID?
    var ownerRoleTitle: String?
    var status: String
    var raisedOn: String
    var deadline: String
    var overdue: Bool
    var answer: String
    var answeredOn: String?
    var forwardedTo: String
    var version: Int
}

struct QuestionBody: Content, Sendable {
    var forumId: String?
    var unitId: String?
    var bodyId: String?
    var organisationId: String?
    var isProposal: Bool?
    var title: String?
    var text: String?
    var isPublic: Bool?
}

struct AnswerBody: Content, Sendable {
    /// inProgress, answered, forwarded, closed.
    var status: String?
    var answer: String?
    var forwardedTo: String?
    var ownerRoleId: String?
    var deadline: String?
    var version: Int?
}

struct FeedbackRateDTO: Content, Sendable {
    var scope: String
    var id: UUID?
    var name: String
    var questions: Int
    var judged: Int
    var answeredInTime: Int
    var answeredLate: Int
    var overdue: Int
    var pending: Int
    var share: Double?
    var medianDays: Double?
}

struct ConsultationDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String?
    var unitId: UUID?
    var title: String
    var description: String
    var sections: [ConsultationSection]
    var hasDraft: Bool
    var draftFilename: String?
    var deadline: String
    var openToAll: Bool
    var status: String
    var acceptsResponses: Bool
    var responsesPublic: Bool
    var invitedOrganisationIds: [UUID]
    var invitedForumIds: [UUID]
    var responseCount: Int
    var summary: String
    var version: Int
}

struct ConsultationBody: Content, Sendable {
    var bodyId: String?
    var unitId: String?
    var title: String?
    var description: String?
    var sections: [ConsultationSection]?
    var deadline: String?
    var openToAll: Bool?
    var invitedOrganisationIds: [String]?
    var invitedForumIds: [String]?
    var summary: String?
    var version: Int?
}

struct ConsultationResponseDTO: Content, Sendable {
    var id: UUID
    var consultationId: UUID
    var organisationId: UUID
    var organisationName: String?
    var generalComment: String
    var documentFilename: String?
    var comments: [ConsultationCommentDTO]
    var submittedAt: Date?
    var version: Int
}

struct ConsultationCommentDTO: Content, Sendable {
    var id: UUID
    var sectionKey: String
    var comment: String
    var outcome: String?
    var outcomeText: String
}

struct ConsultationResponseBody: Content, Sendable {
    struct Comment: Content, Sendable {
        var sectionKey: String
        var comment: String
    }
    var organisationId: String?
    var generalComment: String?
    var comments: [Comment]?
    var version: Int?
}

struct CommentOutcomeBody: Content, Sendable {
    var outcome: String?
    var outcomeText: String?
}

struct EventDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String?
    var forumId: UUID?
    var title: String
    var description: String
    var date: String
    var startTime: String
    var endTime: String
    var location: String
    var capacity: Int?
    var registrationClosesOn: String?
    var registrationOpen: Bool
    var surveyUrl: String
    var status: String
    var registered: Int
    var waitlisted: Int
    var version: Int
}

struct EventBody: Content, Sendable {
    var bodyId: String?
    var forumId: String?
    var title: String?
    var description: String?
    var date: String?
    var startTime: String?
    var endTime: String?
    var location: String?
    var capacity: Int?
    var registrationClosesOn: String?
    var surveyUrl: String?
    var status: String?
    var version: Int?
}

struct RegistrationDTO: Content, Sendable {
    var id: UUID
    var eventId: UUID
    var name: String
    var email: String?
    var organisationId: UUID?
    var organisationName: String?
    var needs: String?
    var status: String
    var createdAt: Date?
}

struct RegistrationBody: Content, Sendable {
    var organisationId: String?
    var needs: String?
    /// Needs are stored only with consent.
    var needsConsent: Bool?
}
