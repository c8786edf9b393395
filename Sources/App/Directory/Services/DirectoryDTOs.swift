import Vapor
import SamverkaRules

/// API shapes of the Directory. Models never leave the service layer; these do.
struct AddressDTO: Content, Sendable, Equatable {
    var street: String?
    var postalCode: String?
    var city: String?
}

struct MemberCountDTO: Content, Sendable, Equatable {
    var year: Int
    var total: Int
    var young: Int?
    var municipality: String?
}

struct OrganisationDTO: Content, Sendable {
    var id: UUID
    var name: String
    var orgnr: String?
    var legalForm: String
    var level: String
    var parentId: UUID?
    var parentName: String?
    var areas: [String]
    var municipalities: [String]
    var description: String
    var address: AddressDTO
    var email: String
    var phone: String
    var website: String
    var foundedYear: Int?
    var councilMemberships: [String]
    var memberCounts: [MemberCountDTO]?
    var isDemo: Bool
    var version: Int
    var createdAt: Date?
    var updatedAt: Date?
}

/// Body of POST/PUT/PATCH /api/v1/organisations. Every field is optional in decoding so that a missing
/// or empty field becomes a 422 naming it, not a decoding failure.
struct OrganisationBody: Content, Sendable {
    var name: String?
    var orgnr: String?
    var legalForm: String?
    var level: String?
    var parentId: String?
    var areas: [String]?
    var municipalities: [String]?
    var description: String?
    var address: AddressDTO?
    var email: String?
    var phone: String?
    var website: String?
    var foundedYear: Int?
    var councilMemberships: [String]?
    var version: Int?

    /// Input for a full write (missing = empty) or, given `existing`, a partial one (missing = unchanged).
    func input(merging existing: OrganisationInput? = nil) -> OrganisationInput {
        let base = existing ?? OrganisationInput()
        return OrganisationInput(
            name: name ?? base.name, orgnr: orgnr ?? base.orgnr, legalForm: legalForm ?? base.legalForm,
            level: level ?? base.level, parentID: parentId ?? base.parentID,
            areas: areas ?? base.areas, municipalities: municipalities ?? base.municipalities,
            description: description ?? base.description,
            street: address?.street ?? base.street, postalCode: address?.postalCode ?? base.postalCode,
            city: address?.city ?? base.city, email: email ?? base.email, phone: phone ?? base.phone,
            website: website ?? base.website, foundedYear: foundedYear.map(String.init) ?? base.foundedYear,
            councilMemberships: councilMemberships ?? base.councilMemberships, version: version ?? base.version)
    }
}

struct PublicBodyDTO: Content, Sendable {
    var id: UUID
    var name: String
    var kind: String
    var countyCode: String
    var municipalityCode: String?
    var orgnr: String?
    var website: String
    var description: String
    var version: Int
}

struct PublicBodyBody: Content, Sendable {
    var name: String?
    var kind: String?
    var countyCode: String?
    var municipalityCode: String?
    var orgnr: String?
    var website: String?
    var description: String?
    var version: Int?
}

struct UnitDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID
    var bodyName: String?
    var parentId: UUID?
    var name: String
    var kind: String
    var responsibilities: String
    var areas: [String]
    var email: String
    var phone: String
    var version: Int
}

struct UnitBody: Content, Sendable {
    var bodyId: String?
    var parentId: String?
    var name: String?
    var kind: String?
    var responsibilities: String?
    var areas: [String]?
    var email: String?
    var phone: String?
    var version: Int?
}

struct TenureDTO: Content, Sendable {
    var id: UUID
    var holderName: String
    var holderEmail: String?
    var userId: UUID?
    var startsOn: String
    var endsOn: String?
    var handoverNote: String
}

struct ContactRoleDTO: Content, Sendable {
    var id: UUID
    var title: String
    var description: String
    var unitId: UUID?
    var organisationId: UUID?
    var ownerName: String?
    var email: String
    var phone: String
    var closedOn: String?
    /// The account role that comes with holding this contact role, if any.
    var grantsRole: String?
    var currentHolder: TenureDTO?
    var isOpen: Bool
    var history: [TenureDTO]?
    var version: Int
}

struct ContactRoleBody: Content, Sendable {
    var title: String?
    var description: String?
    var unitId: String?
    var organisationId: String?
    var email: String?
    var phone: String?
    var closedOn: String?
    var grantsRole: String?
    var version: Int?
}

/// A person taking over a role (or the first holder).
struct HandoverBody: Content, Sendable {
    var holderName: String?
    var holderEmail: String?
    var startsOn: String?
    var handoverNote: String?
    var userId: String?
    /// Ends the current tenure without a successor: the role becomes open.
    var vacate: Bool?
}

struct MunicipalityDTO: Content, Sendable {
    var code: String
    var name: String
    var countyCode: String
    var organisations: Int
    var population: Int?
    var populationYear: Int?
    var perThousand: Double?
}

struct CountyDTO: Content, Sendable {
    var code: String
    var name: String
    var organisations: Int
    var population: Int?
    var populationYear: Int?
    var perThousand: Double?
}

struct CollaborationDTO: Content, Sendable {
    var id: UUID
    var organisationId: UUID
    var organisationName: String?
    var unitId: UUID
    var unitName: String?
    var bodyName: String?
    var form: String
    var startsOn: String
    var endsOn: String?
    var description: String
    var version: Int
}

struct CollaborationBody: Content, Sendable {
    var organisationId: String?
    var unitId: String?
    var form: String?
    var startsOn: String?
    var endsOn: String?
    var description: String?
    var version: Int?
}

struct AreaDTO: Content, Sendable {
    var key: String
    var nameSv: String
    var nameEn: String
    var active: Bool
}
