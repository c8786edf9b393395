import Fluent
import Foundation
import SamverkaRules

/// An överenskommelse between one or more public bodies and the civil society around them. Public by default.
final class Agreement: Model, @unchecked Sendable {
    static let schema = "agreements"
    var properties: [any AnyProperty] {
        [$id, $title, $kind, $purpose, $scope, $partyOrganisationID, $partyName, $isPublic, $isDemo, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "kind") var kind: AgreementKind
    @Field(key: "purpose") var purpose: String
    @Field(key: "scope") var scope: String
    /// The civil-society party, e.g. a network organisation from the Directory.
    @OptionalField(key: "party_organisation_id") var partyOrganisationID: UUID?
    @Field(key: "party_name") var partyName: String
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A public body that owns (is party to and manages) an agreement.
final class AgreementOwner: Model, @unchecked Sendable {
    static let schema = "agreement_owners"
    var properties: [any AnyProperty] { [$id, $agreementID, $bodyID] }
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "body_id") var bodyID: UUID
    init() {}
}

/// One version of the agreement's text: draft → consultation → adopted → replaced or ended.
final class AgreementVersion: Model, @unchecked Sendable {
    static let schema = "agreement_versions"
    var properties: [any AnyProperty] {
        [$id, $agreementID, $number, $status, $sections, $principles, $draftedOn, $consultationID, $consultationDeadline, $adoptedOn,
        $validFrom, $adoptedByBodyID, $adoptingOrgan, $paragraph, $diarienummer, $endedOn, $endReason, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "status") var status: AgreementVersionStatus
    /// JSON array of `AgreementSection`.
    @Field(key: "sections") var sections: String
    /// JSON array of `Principle`.
    @Field(key: "principles") var principles: String
    @Field(key: "drafted_on") var draftedOn: String
    @OptionalField(key: "consultation_id") var consultationID: UUID?
    @OptionalField(key: "consultation_deadline") var consultationDeadline: String?
    @OptionalField(key: "adopted_on") var adoptedOn: String?
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "adopted_by_body_id") var adoptedByBodyID: UUID?
    @Field(key: "adopting_organ") var adoptingOrgan: String
    @Field(key: "paragraph") var paragraph: String
    @Field(key: "diarienummer") var diarienummer: String
    @OptionalField(key: "ended_on") var endedOn: String?
    @Field(key: "end_reason") var endReason: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var sectionList: [AgreementSection] { (try? JSONDecoder().decode([AgreementSection].self, from: Data(sections.utf8))) ?? [] }
    var principleList: [Principle] { (try? JSONDecoder().decode([Principle].self, from: Data(principles.utf8))) ?? [] }

    var facts: AgreementVersionFacts {
        AgreementVersionFacts(id: id ?? UUID(), number: number, status: status, draftedOn: LocalDate(stored: draftedOn),
                              adoptedOn: LocalDate.stored(adoptedOn), validFrom: LocalDate.stored(validFrom), endedOn: LocalDate.stored(endedOn),
                              consultationDeadline: LocalDate.stored(consultationDeadline))
    }
}

/// An organisation's signature: when, through which of its contact roles, and a withdrawal.
final class AgreementSignatory: Model, @unchecked Sendable {
    static let schema = "agreement_signatories"
    var properties: [any AnyProperty] {
        [$id, $agreementID, $organisationID, $contactRoleID, $signedOn, $onPaper, $withdrawnOn, $withdrawalReason, $isDemo, $version,
        $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "contact_role_id") var contactRoleID: UUID?
    @Field(key: "signed_on") var signedOn: String
    /// Recorded by an official from a signature on paper (rather than signed here by a representative).
    @Field(key: "on_paper") var onPaper: Bool
    @OptionalField(key: "withdrawn_on") var withdrawnOn: String?
    @Field(key: "withdrawal_reason") var withdrawalReason: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var signature: SignatoryRules.Signature {
        SignatoryRules.Signature(organisationID: organisationID, signedOn: LocalDate(stored: signedOn), withdrawnOn: LocalDate.stored(withdrawnOn))
    }
}

/// A Dialogue forum serving the agreement: its steering group (e.g. VGR's RÖS-gruppen) or its recurring stormöte.
final class AgreementForum: Model, @unchecked Sendable {
    static let schema = "agreement_forums"
    var properties: [any AnyProperty] { [$id, $agreementID, $forumID, $role, $seatsForSignatories] }
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "forum_id") var forumID: UUID
    @Field(key: "role") var role: GovernanceRole
    /// Organisation seats in this forum must be held by signatories.
    @Field(key: "seats_for_signatories") var seatsForSignatories: Bool
    init() {}
}

/// An action plan for a period of years.
final class ActionPlan: Model, @unchecked Sendable {
    static let schema = "agreement_action_plans"
    var properties: [any AnyProperty] { [$id, $agreementID, $title, $periodFrom, $periodTo, $version] }
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "title") var title: String
    @Field(key: "period_from") var periodFrom: Int
    @Field(key: "period_to") var periodTo: Int
    @Field(key: "version") var version: Int
    init() {}
}

/// An activity of an action plan, under a development area.
final class PlanActivity: Model, @unchecked Sendable {
    static let schema = "agreement_activities"
    var properties: [any AnyProperty] {
        [$id, $planID, $area, $title, $description, $ownerRoleID, $partners, $dueOn, $status, $principleKey, $links, $version, $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: UUID
    @Field(key: "area") var area: String
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "owner_role_id") var ownerRoleID: UUID?
    @Field(key: "partners") var partners: String
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "status") var status: ActivityStatus
    @Field(key: "principle_key") var principleKey: String
    /// JSON array of `ActivityLink`: meetings, grant decisions, consultations … that carry the activity out.
    @Field(key: "links") var links: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var linkList: [ActivityLink] { (try? JSONDecoder().decode([ActivityLink].self, from: Data(links.utf8))) ?? [] }
}

/// A dated progress note on an activity.
final class ActivityNote: Model, @unchecked Sendable {
    static let schema = "agreement_activity_notes"
    var properties: [any AnyProperty] { [$id, $activityID, $writtenOn, $text, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "written_on") var writtenOn: String
    @Field(key: "text") var text: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A follow-up report for a date range: figures generated from platform data plus narrative; frozen when approved.
final class FollowUpReport: Model, @unchecked Sendable {
    static let schema = "agreement_reports"
    var properties: [any AnyProperty] {
        [$id, $agreementID, $kind, $title, $periodFrom, $periodTo, $narrative, $frozenFigures, $approvedOn, $diarienummer, $version,
        $createdAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "kind") var kind: FollowUpKind
    @Field(key: "title") var title: String
    @Field(key: "period_from") var periodFrom: String
    @Field(key: "period_to") var periodTo: String
    @Field(key: "narrative") var narrative: String
    /// JSON `FollowUpFigures`, written when the report is approved (until then computed afresh on each view).
    @OptionalField(key: "frozen_figures") var frozenFigures: String?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @Field(key: "diarienummer") var diarienummer: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A link from an activity to the record that carries it out.
struct ActivityLink: Codable, Sendable, Equatable {
    var kind: ActivityLinkKind
    var id: UUID
}

enum GovernanceRole: String, Codable, Sendable, CaseIterable, Vocabulary {
    case steeringGroup, stormote, other
    static let labelPrefix = "governanceRole"
    var aliases: [String] { [] }
}
