import Vapor
import SamverkaRules

// MARK: Inputs

struct AgreementBody: Content, Sendable {
    var title: String?
    var kind: String?
    var purpose: String?
    var scope: String?
    /// Owning public bodies (at least one; the official must be an official of one of them).
    var ownerBodyIds: [String]?
    var partyOrganisationId: String?
    var partyName: String?
    var isPublic: Bool?
    var version: Int?
}

struct SectionBody: Content, Sendable {
    var key: String?
    var title: String?
    var text: String?
}

struct VersionBody: Content, Sendable {
    var sections: [SectionBody]?
    var principles: [PrincipleInput]?
    var version: Int?
}

struct ConsultationRequestBody: Content, Sendable {
    var deadline: String?
    var version: Int?
}

struct AdoptionBody: Content, Sendable {
    var adoptedOn: String?
    var validFrom: String?
    var decidingBodyId: String?
    var decidingOrgan: String?
    var paragraph: String?
    var diarienummer: String?
    var version: Int?
}

struct EndBody: Content, Sendable {
    var endedOn: String?
    var endReason: String?
}

struct SignBody: Content, Sendable {
    var organisationId: String?
    var signedOn: String?
    var contactRoleId: String?
}

struct WithdrawBody: Content, Sendable {
    var withdrawnOn: String?
    var reason: String?
    var version: Int?
}

struct GovernanceBody: Content, Sendable {
    var forumId: String?
    var role: String?
    var seatsForSignatories: Bool?
}

struct PlanBody: Content, Sendable {
    var title: String?
    var periodFrom: Int?
    var periodTo: Int?
    var version: Int?
}

struct ActivityLinkBody: Content, Sendable {
    var kind: String?
    var id: String?
}

struct ActivityBody: Content, Sendable {
    var area: String?
    var title: String?
    var description: String?
    var ownerRoleId: String?
    var partners: String?
    var dueOn: String?
    var status: String?
    var principleKey: String?
    var links: [ActivityLinkBody]?
    var version: Int?
}

struct NoteBody: Content, Sendable {
    var writtenOn: String?
    var text: String?
}

struct FollowUpBody: Content, Sendable {
    var kind: String?
    var title: String?
    var periodFrom: String?
    var periodTo: String?
    var narrative: String?
    var version: Int?
}

struct FollowUpApprovalBody: Content, Sendable {
    var approvedOn: String?
    var diarienummer: String?
    var version: Int?
}

// MARK: Outputs

struct NamedRef: Content, Sendable, Equatable {
    var id: UUID
    var name: String
}

struct AgreementDTO: Content, Sendable {
    var id: UUID
    var title: String
    var kind: String
    var purpose: String
    var scope: String
    var owners: [NamedRef]
    var partyOrganisationId: UUID?
    var partyName: String
    var isPublic: Bool
    /// draft (never adopted), inForce, notYetInForce (adopted, starts later), ended.
    var state: String
    var versionInForce: Int?
    var firstInForceOn: String?
    var signatories: Int
    var isDemo: Bool
    var version: Int
}

struct AgreementVersionDTO: Content, Sendable {
    var id: UUID
    var agreementId: UUID
    var number: Int
    var status: String
    var sections: [AgreementSection]
    var principles: [Principle]
    var draftedOn: String
    var consultationId: UUID?
    var consultationDeadline: String?
    var adoptedOn: String?
    var validFrom: String?
    var decidingBodyId: UUID?
    var decidingOrgan: String
    var paragraph: String
    var diarienummer: String
    var endedOn: String?
    var endReason: String
    var version: Int
}

struct VersionDiffDTO: Content, Sendable {
    var from: Int
    var to: Int
    var sections: [SectionDiff.SectionChange]
    var principlesAdded: [String]
    var principlesRemoved: [String]
}

struct SignatoryDTO: Content, Sendable {
    var id: UUID
    var organisationId: UUID
    var organisationName: String
    var contactRoleId: UUID?
    var contactRoleTitle: String?
    var signedOn: String
    var onPaper: Bool
    var withdrawnOn: String?
    var withdrawalReason: String
    var isDemo: Bool
    var version: Int
}

struct SignatoryPointDTO: Content, Sendable {
    var month: String
    var count: Int
}

struct GovernanceDTO: Content, Sendable {
    var id: UUID
    var forumId: UUID
    var forumName: String
    var role: String
    var seatsForSignatories: Bool
    /// Organisations holding a seat today that have not signed (when the forum requires signatories).
    var seatsNotSignatories: [NamedRef]
}

struct ActivityNoteDTO: Content, Sendable {
    var id: UUID
    var writtenOn: String
    var text: String
}

struct ActivityLinkDTO: Content, Sendable {
    var kind: String
    var id: UUID
}

struct ActivityDTO: Content, Sendable {
    var id: UUID
    var planId: UUID
    var area: String
    var title: String
    var description: String
    var ownerRoleId: UUID?
    var ownerRoleTitle: String?
    var partners: String
    var dueOn: String?
    var status: String
    var isLate: Bool
    var principleKey: String
    var links: [ActivityLinkDTO]
    var notes: [ActivityNoteDTO]
    var version: Int
}

struct ActionPlanDTO: Content, Sendable {
    var id: UUID
    var agreementId: UUID
    var title: String
    var periodFrom: Int
    var periodTo: Int
    var activities: [ActivityDTO]
    var version: Int
}

struct FollowUpDTO: Content, Sendable {
    var id: UUID
    var agreementId: UUID
    var kind: String
    var title: String
    var periodFrom: String
    var periodTo: String
    var narrative: String
    var figures: FollowUpFigures
    var approved: Bool
    var approvedOn: String?
    var diarienummer: String
    var version: Int
}

struct IndicatorTrendDTO: Content, Sendable {
    var year: Int
    var value: Double?
    var insufficient: Bool

    /// `value` is always present: null when the basis is too small (a missing key would read as "not computed").
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(year, forKey: .year)
        try c.encode(value, forKey: .value)
        try c.encode(insufficient, forKey: .insufficient)
    }
}

struct IndicatorDTO: Content, Sendable {
    var key: String
    var principle: String
    var principleName: String
    var name: String
    var definition: String
    var value: Double?
    var unit: String
    var numerator: Int
    var denominator: Int
    var insufficient: Bool
    var recordKind: String
    var records: [UUID]
    var trend: [IndicatorTrendDTO]

    /// Every field always present; `value` is null when the basis is too small.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(principle, forKey: .principle)
        try c.encode(principleName, forKey: .principleName)
        try c.encode(name, forKey: .name)
        try c.encode(definition, forKey: .definition)
        try c.encode(value, forKey: .value)
        try c.encode(unit, forKey: .unit)
        try c.encode(numerator, forKey: .numerator)
        try c.encode(denominator, forKey: .denominator)
        try c.encode(insufficient, forKey: .insufficient)
        try c.encode(recordKind, forKey: .recordKind)
        try c.encode(records, forKey: .records)
        try c.encode(trend, forKey: .trend)
    }
}

struct IndicatorsDTO: Content, Sendable {
    var agreementId: UUID
    var year: Int
    var indicators: [IndicatorDTO]
}
