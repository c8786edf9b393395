import Fluent
import Foundation
import SQLKit
import SamverkaRules

/// A standing forum between a public body and civil society: a council, partsorgan, steering group …
final class Forum: Model, @unchecked Sendable {
    static let schema = "forums"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $unitID, $name, $kind, $purpose, $mandate, $themes, $participationLevel, $isPublic, $composition, $cadence,
        $feedbackDays, $feedbackByNextMeeting, $secretaryRoleID, $location, $isDemo, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: ForumKind
    @Field(key: "purpose") var purpose: String
    @Field(key: "mandate") var mandate: String
    /// Theme keys, `|`-separated.
    @Field(key: "themes") var themes: String
    @Field(key: "participation_level") var participationLevel: ParticipationLevel
    @Field(key: "is_public") var isPublic: Bool
    /// `[CompositionRule]` as JSON.
    @Field(key: "composition") var composition: String
    /// `Cadence` as JSON.
    @OptionalField(key: "cadence") var cadence: String?
    @Field(key: "feedback_days") var feedbackDays: Int
    @Field(key: "feedback_by_next_meeting") var feedbackByNextMeeting: Bool
    @OptionalField(key: "secretary_role_id") var secretaryRoleID: UUID?
    @Field(key: "location") var location: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var themeList: [String] { themes.split(separator: "|").map(String.init) }
    var compositionRules: [CompositionRule] { (try? JSONDecoder().decode([CompositionRule].self, from: Data(composition.utf8))) ?? [] }
    var cadencePlan: Cadence? { cadence.flatMap { try? JSONDecoder().decode(Cadence.self, from: Data($0.utf8)) } }
}

/// One person's (or one Directory role's) hold on a seat for a term. Replacing the holder ends the row and
/// starts a new one pointing back to it, so the history of who held a seat when is kept.
final class ForumSeat: Model, @unchecked Sendable {
    static let schema = "forum_seats"
    var properties: [any AnyProperty] {
        [$id, $forumID, $category, $position, $organisationID, $contactRoleID, $holderName, $holderEmail, $userID, $isSubstitute,
        $substituteForID, $note, $termFrom, $termTo, $previousID, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "forum_id") var forumID: UUID
    @Field(key: "category") var category: SeatCategory
    @Field(key: "position") var position: SeatPosition
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    /// Held through a Directory contact role: the role's current holder sits; a handover changes nothing here.
    @OptionalField(key: "contact_role_id") var contactRoleID: UUID?
    @Field(key: "holder_name") var holderName: String
    @Field(key: "holder_email") var holderEmail: String
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "is_substitute") var isSubstitute: Bool
    @OptionalField(key: "substitute_for_id") var substituteForID: UUID?
    /// What the seat stands for, e.g. "Kultur- och bildningsnämnden".
    @Field(key: "note") var note: String
    @Field(key: "term_from") var termFrom: String
    @OptionalField(key: "term_to") var termTo: String?
    @OptionalField(key: "previous_id") var previousID: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    /// The seat's fields as a value, for code that only reads them.
    var facts: SeatFacts {
        SeatFacts(id: id, forumID: forumID, category: category, position: position, organisationID: organisationID, contactRoleID: contactRoleID,
                  holderName: holderName, holderEmail: holderEmail, userID: userID, isSubstitute: isSubstitute, substituteForID: substituteForID,
                  note: note, termFrom: termFrom, termTo: termTo, previousID: previousID, version: version, createdAt: createdAt)
    }
}

/// What code that reads a seat needs from it: the model (`ForumSeat`) and a plain value (`SeatFacts`) both have it.
protocol SeatRecord {
    var id: UUID? { get }
    var forumID: UUID { get }
    var category: SeatCategory { get }
    var position: SeatPosition { get }
    var organisationID: UUID? { get }
    var contactRoleID: UUID? { get }
    var holderName: String { get }
    var holderEmail: String { get }
    var userID: UUID? { get }
    var isSubstitute: Bool { get }
    var substituteForID: UUID? { get }
    var note: String { get }
    var termFrom: String { get }
    var termTo: String? { get }
    var previousID: UUID? { get }
    var version: Int { get }
}

extension SeatRecord {
    func phase(on day: LocalDate) -> SeatRules.Phase {
        SeatRules.phase(termFrom: LocalDate(stored: termFrom), termTo: LocalDate.stored(termTo), on: day)
    }

    func isCurrent(on day: LocalDate) -> Bool { phase(on: day) == .current }

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var termFromDate: LocalDate { LocalDate(stored: termFrom) }
    var termToDate: LocalDate? { LocalDate.stored(termTo) }
}

extension ForumSeat: SeatRecord {}

/// A seat's fields as a plain value. A page that reads many seats only to show them fills these straight from
/// its rows: building a Fluent model allocates one property wrapper per field, which cost more than the read.
struct SeatFacts: SeatRecord, Sendable, Codable, Equatable {
    var id: UUID?
    var forumID: UUID
    var category: SeatCategory
    var position: SeatPosition
    var organisationID: UUID?
    var contactRoleID: UUID?
    var holderName: String
    var holderEmail: String
    var userID: UUID?
    var isSubstitute: Bool
    var substituteForID: UUID?
    var note: String
    var termFrom: String
    var termTo: String?
    var previousID: UUID?
    var version: Int
    var createdAt: Date?
}

final class Meeting: Model, @unchecked Sendable {
    static let schema = "meetings"
    var properties: [any AnyProperty] {
        [$id, $forumID, $title, $date, $startTime, $endTime, $location, $status, $isExtra, $adjusterSeatID, $chairApprovedBy,
        $chairApprovedAt, $adjusterApprovedBy, $adjusterApprovedAt, $publishedAt, $invitationsSentAt, $minutesIntro, $version, $createdAt,
        $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "forum_id") var forumID: UUID
    @Field(key: "title") var title: String
    @Field(key: "date") var date: String
    @Field(key: "start_time") var startTime: String
    @Field(key: "end_time") var endTime: String
    @Field(key: "location") var location: String
    @Field(key: "status") var status: MeetingStatus
    @Field(key: "is_extra") var isExtra: Bool
    /// The adjuster (justerare) of the minutes: a seat of the forum.
    @OptionalField(key: "adjuster_seat_id") var adjusterSeatID: UUID?
    @OptionalField(key: "chair_approved_by") var chairApprovedBy: UUID?
    @OptionalField(key: "chair_approved_at") var chairApprovedAt: Date?
    @OptionalField(key: "adjuster_approved_by") var adjusterApprovedBy: UUID?
    @OptionalField(key: "adjuster_approved_at") var adjusterApprovedAt: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "invitations_sent_at") var invitationsSentAt: Date?
    @Field(key: "minutes_intro") var minutesIntro: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var day: LocalDate { LocalDate(stored: date) }
}

final class AgendaItem: Model, @unchecked Sendable {
    static let schema = "agenda_items"
    var properties: [any AnyProperty] {
        [$id, $meetingID, $position, $title, $description, $raisedBy, $organisationID, $questionID, $minutes, $decision, $isPublic,
        $secrecyProvision, $secrecyReason, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    /// Who raises the item: "Region Värmland", an organisation's name …
    @Field(key: "raised_by") var raisedBy: String
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "question_id") var questionID: UUID?
    @Field(key: "minutes") var minutes: String
    @Field(key: "decision") var decision: String
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "secrecy_provision") var secrecyProvision: String
    @Field(key: "secrecy_reason") var secrecyReason: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A meeting document. Public unless marked non-public with a reason (offentlighetsprincipen / OSL).
final class MeetingDocument: Model, @unchecked Sendable {
    static let schema = "meeting_documents"
    var properties: [any AnyProperty] {
        [$id, $meetingID, $agendaItemID, $title, $filename, $contentType, $size, $data, $isPublic, $secrecyProvision, $secrecyReason,
        $titleSecret, $uploadedBy, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @OptionalField(key: "agenda_item_id") var agendaItemID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data
    @Field(key: "is_public") var isPublic: Bool
    /// OSL chapter and section (`21:1`, see `SecrecyRules`) when not public.
    @Field(key: "secrecy_provision") var secrecyProvision: String
    @Field(key: "secrecy_reason") var secrecyReason: String
    /// The title itself is secret: the public list shows a neutral title.
    @Field(key: "title_secret") var titleSecret: Bool
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// Invitation, RSVP and attendance of one seat at one meeting.
final class MeetingAttendance: Model, @unchecked Sendable {
    static let schema = "meeting_attendance"
    var properties: [any AnyProperty] { [$id, $meetingID, $seatID, $rsvp, $substituteSeatID, $present, $respondedAt, $version] }
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "seat_id") var seatID: UUID
    @Field(key: "rsvp") var rsvp: RSVP
    /// A substitute called in for this seat.
    @OptionalField(key: "substitute_seat_id") var substituteSeatID: UUID?
    @OptionalField(key: "present") var present: Bool?
    @OptionalField(key: "responded_at") var respondedAt: Date?
    @Field(key: "version") var version: Int
    init() {}
}

enum ActionStatus: String, Codable, Sendable, CaseIterable { case open, done }

/// A decision or action from the minutes, tracked with an owner role and a due date.
final class MeetingAction: Model, @unchecked Sendable {
    static let schema = "meeting_actions"
    var properties: [any AnyProperty] { [$id, $meetingID, $agendaItemID, $text, $ownerRoleID, $dueOn, $status, $doneOn, $note, $version, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @OptionalField(key: "agenda_item_id") var agendaItemID: UUID?
    @Field(key: "text") var text: String
    @OptionalField(key: "owner_role_id") var ownerRoleID: UUID?
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "status") var status: ActionStatus
    @OptionalField(key: "done_on") var doneOn: String?
    @Field(key: "note") var note: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var dueOnDate: LocalDate? { LocalDate.stored(dueOn) }
    var doneOnDate: LocalDate? { LocalDate.stored(doneOn) }
}

/// A question or proposal raised to a forum or a unit, and the feedback (återkoppling) owed on it.
final class DialogueQuestion: Model, @unchecked Sendable {
    static let schema = "questions"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $forumID, $unitID, $organisationID, $askedBy, $askerName, $isProposal, $title, $text, $isPublic, $ownerRoleID,
        $status, $raisedOn, $deadline, $answer, $answeredOn, $answeredBy, $forwardedTo, $remindedAt, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "forum_id") var forumID: UUID?
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "asked_by") var askedBy: UUID?
    @Field(key: "asker_name") var askerName: String
    @Field(key: "is_proposal") var isProposal: Bool
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Field(key: "is_public") var isPublic: Bool
    @OptionalField(key: "owner_role_id") var ownerRoleID: UUID?
    @Field(key: "status") var status: QuestionStatus
    @Field(key: "raised_on") var raisedOn: String
    @Field(key: "deadline") var deadline: String
    @Field(key: "answer") var answer: String
    @OptionalField(key: "answered_on") var answeredOn: String?
    @OptionalField(key: "answered_by") var answeredBy: UUID?
    @Field(key: "forwarded_to") var forwardedTo: String
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var raisedOnDate: LocalDate { LocalDate(stored: raisedOn) }
    var deadlineDate: LocalDate { LocalDate(stored: deadline) }
    var answeredOnDate: LocalDate? { LocalDate.stored(answeredOn) }
}

/// A draft policy document out for consultation (remiss).
final class Consultation: Model, @unchecked Sendable {
    static let schema = "consultations"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $unitID, $title, $description, $sections, $draftFilename, $draftContentType, $draftData, $deadline, $openToAll,
        $status, $summary, $isDemo, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    /// `[ConsultationSection]` as JSON: the parts respondents comment on.
    @Field(key: "sections") var sections: String
    @OptionalField(key: "draft_filename") var draftFilename: String?
    @OptionalField(key: "draft_content_type") var draftContentType: String?
    @OptionalField(key: "draft_data") var draftData: Data?
    @Field(key: "deadline") var deadline: String
    @Field(key: "open_to_all") var openToAll: Bool
    @Field(key: "status") var status: ConsultationStatus
    @Field(key: "summary") var summary: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var sectionList: [ConsultationSection] { (try? JSONDecoder().decode([ConsultationSection].self, from: Data(sections.utf8))) ?? [] }

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var deadlineDate: LocalDate { LocalDate(stored: deadline) }
}

struct ConsultationSection: Codable, Sendable, Equatable {
    var key: String
    var title: String
}

/// A remissinstans: an organisation or a whole forum (its organisations) asked to respond.
final class ConsultationInvitee: Model, @unchecked Sendable {
    static let schema = "consultation_invitees"
    var properties: [any AnyProperty] { [$id, $consultationID, $organisationID, $forumID] }
    @ID(key: .id) var id: UUID?
    @Field(key: "consultation_id") var consultationID: UUID
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "forum_id") var forumID: UUID?
    init() {}
}

final class ConsultationResponse: Model, @unchecked Sendable {
    static let schema = "consultation_responses"
    var properties: [any AnyProperty] {
        [$id, $consultationID, $organisationID, $submittedBy, $generalComment, $documentFilename, $documentContentType, $documentData,
        $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "consultation_id") var consultationID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @Field(key: "general_comment") var generalComment: String
    @OptionalField(key: "document_filename") var documentFilename: String?
    @OptionalField(key: "document_content_type") var documentContentType: String?
    @OptionalField(key: "document_data") var documentData: Data?
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A comment on one section; the body records what it did with it (the remissammanställning).
final class ConsultationComment: Model, @unchecked Sendable {
    static let schema = "consultation_comments"
    var properties: [any AnyProperty] { [$id, $responseID, $consultationID, $sectionKey, $comment, $outcome, $outcomeText] }
    @ID(key: .id) var id: UUID?
    @Field(key: "response_id") var responseID: UUID
    @Field(key: "consultation_id") var consultationID: UUID
    @Field(key: "section_key") var sectionKey: String
    @Field(key: "comment") var comment: String
    @OptionalField(key: "outcome") var outcome: CommentOutcome?
    @Field(key: "outcome_text") var outcomeText: String
    init() {}
}

enum EventStatus: String, Codable, Sendable, CaseIterable { case planned, cancelled }

/// An event such as a stormöte, with registration.
final class DialogueEvent: Model, @unchecked Sendable {
    static let schema = "dialogue_events"
    var properties: [any AnyProperty] {
        [$id, $bodyID, $forumID, $title, $description, $date, $startTime, $endTime, $location, $capacity, $registrationClosesOn, $surveyURL,
        $status, $isDemo, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "forum_id") var forumID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "date") var date: String
    @Field(key: "start_time") var startTime: String
    @Field(key: "end_time") var endTime: String
    @Field(key: "location") var location: String
    @OptionalField(key: "capacity") var capacity: Int?
    @OptionalField(key: "registration_closes_on") var registrationClosesOn: String?
    @Field(key: "survey_url") var surveyURL: String
    @Field(key: "status") var status: EventStatus
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var dateDate: LocalDate { LocalDate(stored: date) }
    var registrationClosesOnDate: LocalDate? { LocalDate.stored(registrationClosesOn) }
}

final class EventRegistration: Model, @unchecked Sendable {
    static let schema = "event_registrations"
    var properties: [any AnyProperty] { [$id, $eventID, $userID, $organisationID, $name, $email, $needs, $status, $createdAt, $cancelledAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "user_id") var userID: UUID
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    /// Dietary or accessibility needs, free text, stored only with consent.
    @Field(key: "needs") var needs: String
    @Field(key: "status") var status: RegistrationStatus
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    init() {}
}

/// A user's secret calendar feed address (the token is stored hashed).
final class CalendarFeed: Model, @unchecked Sendable {
    static let schema = "calendar_feeds"
    var properties: [any AnyProperty] { [$id, $userID, $tokenHash, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

