import Fluent
import Foundation
import SamverkaRules

/// A region, municipality, länsstyrelse or other public body.
final class PublicBody: Model, @unchecked Sendable {
    static let schema = "public_bodies"
    var properties: [any AnyProperty] {
        [$id, $name, $kind, $countyCode, $municipalityCode, $orgnr, $website, $description, $isDemo, $version, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: BodyKind
    @Field(key: "county_code") var countyCode: String
    @OptionalField(key: "municipality_code") var municipalityCode: String?
    @OptionalField(key: "orgnr") var orgnr: String?
    @Field(key: "website") var website: String
    @Field(key: "description") var description: String
    @Field(key: "is_demo") var isDemo: Bool
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A förvaltning, avdelning, enhet or nämnd inside a public body; units form a tree.
final class OrgUnit: Model, @unchecked Sendable {
    static let schema = "units"
    var properties: [any AnyProperty] { [$id, $bodyID, $parentID, $name, $kind, $responsibilities, $email, $phone, $version, $createdAt, $updatedAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "body_id") var bodyID: UUID
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: UnitKind
    /// What the unit is responsible for, in plain words ("who do I talk to about disability grants?").
    @Field(key: "responsibilities") var responsibilities: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

final class UnitArea: Model, @unchecked Sendable {
    static let schema = "unit_areas"
    var properties: [any AnyProperty] { [$id, $unitID, $areaKey] }
    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "area_key") var areaKey: String
    init() {}
    init(unitID: UUID, areaKey: String) {
        self.id = UUID()
        self.unitID = unitID
        self.areaKey = areaKey
    }
}

/// A contact role ("grant administrator for youth grants") of a unit or an organisation, with a shared
/// address. People hold it for periods (`RoleTenure`); the role outlives them.
final class ContactRole: Model, @unchecked Sendable {
    static let schema = "contact_roles"
    var properties: [any AnyProperty] {
        [$id, $title, $description, $unitID, $organisationID, $email, $phone, $version, $closedOn, $grantsRole, $createdAt, $updatedAt]
    }
    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "version") var version: Int
    @OptionalField(key: "closed_on") var closedOn: String?
    /// The account role that comes with holding this contact role (e.g. `official` for a grant
    /// administrator); moved to the new holder's account on handover.
    @OptionalField(key: "grants_role") var grantsRole: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var closedOnDate: LocalDate? { LocalDate.stored(closedOn) }
}

/// A person holding a contact role from `startsOn` until `endsOn` (nil while they hold it).
final class RoleTenure: Model, @unchecked Sendable {
    static let schema = "role_tenures"
    var properties: [any AnyProperty] { [$id, $roleID, $holderName, $holderEmail, $userID, $startsOn, $endsOn, $handoverNote, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "role_id") var roleID: UUID
    @Field(key: "holder_name") var holderName: String
    @Field(key: "holder_email") var holderEmail: String
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "starts_on") var startsOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    /// What the previous holder handed over (open matters, contacts).
    @Field(key: "handover_note") var handoverNote: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var startsOnDate: LocalDate { LocalDate(stored: startsOn) }
    var endsOnDate: LocalDate? { LocalDate.stored(endsOn) }
}

/// An organisation collaborates with a unit in some form for a period.
final class CollaborationLink: Model, @unchecked Sendable {
    static let schema = "collaboration_links"
    var properties: [any AnyProperty] { [$id, $organisationID, $unitID, $form, $startsOn, $endsOn, $description, $version, $createdAt, $updatedAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "form") var form: CollaborationForm
    @Field(key: "starts_on") var startsOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    @Field(key: "description") var description: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    // Typed dates (stored as `YYYY-MM-DD` text; see `LocalDate(stored:)`).
    var startsOnDate: LocalDate { LocalDate(stored: startsOn) }
    var endsOnDate: LocalDate? { LocalDate.stored(endsOn) }
}
