import Fluent
import Foundation
import SamverkaRules

/// A civil-society organisation in the shared register.
final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"
    var properties: [any AnyProperty] {
        [$id, $name, $sortName, $orgnr, $legalForm, $level, $parentID, $description, $street, $postalCode, $city, $email, $phone, $website,
        $foundedYear, $councilMemberships, $isDemo, $version, $createdAt, $updatedAt, $deletedAt]
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String {
        didSet { sortName = SwedishCollation.key(name) }
    }
    /// `name` folded for Swedish alphabetical order (see `SwedishCollation`).
    @Field(key: "sort_name") var sortName: String
    /// Normalised `NNNNNN-NNNN`; nil for unregistered associations.
    @OptionalField(key: "orgnr") var orgnr: String?
    @Field(key: "legal_form") var legalForm: LegalForm
    @Field(key: "level") var level: OrganisationLevel
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "description") var description: String
    @Field(key: "street") var street: String
    @Field(key: "postal_code") var postalCode: String
    @Field(key: "city") var city: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "website") var website: String
    @OptionalField(key: "founded_year") var foundedYear: Int?
    /// Councils the organisation is represented in, as recorded by an official (until the Dialogue module
    /// records seats): free text keys such as `pensionarsrad`.
    @Field(key: "council_memberships") var councilMemberships: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) var deletedAt: Date?

    init() {}
}

final class OrganisationArea: Model, @unchecked Sendable {
    static let schema = "organisation_areas"
    var properties: [any AnyProperty] { [$id, $organisationID, $areaKey] }
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "area_key") var areaKey: String
    init() {}
    init(organisationID: UUID, areaKey: String) {
        self.id = UUID()
        self.organisationID = organisationID
        self.areaKey = areaKey
    }
}

final class OrganisationMunicipality: Model, @unchecked Sendable {
    static let schema = "organisation_municipalities"
    var properties: [any AnyProperty] { [$id, $organisationID, $municipalityCode] }
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "municipality_code") var municipalityCode: String
    init() {}
    init(organisationID: UUID, municipalityCode: String) {
        self.id = UUID()
        self.organisationID = organisationID
        self.municipalityCode = municipalityCode
    }
}

/// Members in a year: in the whole organisation (municipality nil) or living in one municipality.
final class MemberCount: Model, @unchecked Sendable {
    static let schema = "member_counts"
    var properties: [any AnyProperty] { [$id, $organisationID, $year, $municipalityCode, $total, $young] }
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "year") var year: Int
    @OptionalField(key: "municipality_code") var municipalityCode: String?
    @Field(key: "total") var total: Int
    /// Of which aged 6–25 (nil when not known).
    @OptionalField(key: "young") var young: Int?
    init() {}
    init(organisationID: UUID, year: Int, municipalityCode: String?, total: Int, young: Int?) {
        self.id = UUID()
        self.organisationID = organisationID
        self.year = year
        self.municipalityCode = municipalityCode
        self.total = total
        self.young = young
    }
}
