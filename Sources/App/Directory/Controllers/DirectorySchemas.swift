import Foundation
import SamverkaRules
/// OpenAPI schemas of the Directory API.
enum DirectorySchemas {
    static let orgnrPattern = #"^(16)?\d{6}-?\d{4}$"#

    static func register(_ r: SchemaRegistry) {
        let address = Schema.object([("street", .nullable(.text(max: 200))), ("postalCode", .nullable(.text(max: 10))), ("city", .nullable(.text(max: 100)))])
        r.register("Address", address)
        r.register("MemberCount", .object([
            ("year", .integer(minimum: 1900)), ("total", .integer(minimum: 0)), ("young", .nullable(.integer(minimum: 0))),
            ("municipality", .nullable(.string())),
        ], required: ["year", "total"]))
        r.register("Organisation", .object([
            ("id", .uuid), ("name", .string()), ("orgnr", .nullable(.string(pattern: #"^\d{6}-\d{4}$"#))),
            ("legalForm", .oneOf(LegalForm.rawValues)), ("level", .oneOf(OrganisationLevel.rawValues)),
            ("parentId", .nullable(.uuid)), ("parentName", .nullable(.string())),
            ("areas", .array(.string())), ("municipalities", .array(.string())), ("description", .string()),
            ("address", .ref("Address")), ("email", .string()), ("phone", .string()), ("website", .string()),
            ("foundedYear", .nullable(.integer())), ("councilMemberships", .array(.string())),
            ("memberCounts", .nullable(.array(.ref("MemberCount")))), ("isDemo", .boolean), ("version", .integer(minimum: 1)),
            ("createdAt", .nullable(.dateTime)), ("updatedAt", .nullable(.dateTime)),
        ], required: ["id", "name", "legalForm", "level", "areas", "municipalities", "version"]))
        r.register("OrganisationInput", .object([
            ("name", .text(max: 200, min: 1)), ("orgnr", .nullable(.string(maxLength: 20))),
            ("legalForm", .oneOf(LegalForm.rawValues)), ("level", .oneOf(OrganisationLevel.rawValues)),
            ("parentId", .nullable(.string(maxLength: 40))), ("areas", .array(.string(maxLength: 60), maxItems: 20)),
            ("municipalities", .array(.string(maxLength: 60), maxItems: 300)), ("description", .nullable(.text(max: 5000))),
            ("address", .ref("Address")), ("email", .nullable(.string(maxLength: 254))), ("phone", .nullable(.string(maxLength: 40))),
            ("website", .nullable(.string(maxLength: 300))), ("foundedYear", .nullable(.integer(minimum: 1800, maximum: 2100))),
            ("councilMemberships", .array(.string(maxLength: 100), maxItems: 20)), ("version", .integer(minimum: 1)),
        ]))
        r.register("MemberCountsInput", .object([
            ("memberCounts", .array(.object([
                ("year", .integer(minimum: 1900, maximum: 2100)), ("total", .integer(minimum: 0, maximum: 10_000_000)),
                ("young", .nullable(.integer(minimum: 0, maximum: 10_000_000))), ("municipality", .nullable(.string(maxLength: 60))),
            ], required: ["year", "total"]), maxItems: 400)),
        ], required: ["memberCounts"]))
        r.register("PublicBody", .object([
            ("id", .uuid), ("name", .string()), ("kind", .oneOf(BodyKind.rawValues)), ("countyCode", .string()),
            ("municipalityCode", .nullable(.string())), ("orgnr", .nullable(.string())), ("website", .string()),
            ("description", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "name", "kind", "countyCode", "version"]))
        r.register("PublicBodyInput", .object([
            ("name", .text(max: 200, min: 1)), ("kind", .oneOf(BodyKind.rawValues)), ("countyCode", .string(maxLength: 2)),
            ("municipalityCode", .nullable(.string(maxLength: 4))), ("orgnr", .nullable(.string(maxLength: 20))),
            ("website", .nullable(.string(maxLength: 300))), ("description", .nullable(.text(max: 5000))), ("version", .integer(minimum: 1)),
        ]))
        r.register("Unit", .object([
            ("id", .uuid), ("bodyId", .uuid), ("bodyName", .nullable(.string())), ("parentId", .nullable(.uuid)), ("name", .string()),
            ("kind", .oneOf(UnitKind.rawValues)), ("responsibilities", .string()), ("areas", .array(.string())),
            ("email", .string()), ("phone", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "bodyId", "name", "kind", "version"]))
        r.register("UnitInput", .object([
            ("bodyId", .string(maxLength: 40)), ("parentId", .nullable(.string(maxLength: 40))), ("name", .text(max: 200, min: 1)),
            ("kind", .oneOf(UnitKind.rawValues)), ("responsibilities", .nullable(.text(max: 5000))),
            ("areas", .array(.string(maxLength: 60), maxItems: 20)), ("email", .nullable(.string(maxLength: 254))),
            ("phone", .nullable(.string(maxLength: 40))), ("version", .integer(minimum: 1)),
        ]))
        let tenure = Schema.object([
            ("id", .uuid), ("holderName", .string()), ("holderEmail", .nullable(.string())), ("userId", .nullable(.uuid)),
            ("startsOn", .date), ("endsOn", .nullable(.date)), ("handoverNote", .string()),
        ], required: ["id", "holderName", "startsOn"])
        r.register("RoleTenure", tenure)
        r.register("ContactRole", .object([
            ("id", .uuid), ("title", .string()), ("description", .string()), ("unitId", .nullable(.uuid)),
            ("organisationId", .nullable(.uuid)), ("ownerName", .nullable(.string())), ("email", .string()), ("phone", .string()),
            ("closedOn", .nullable(.date)), ("grantsRole", .nullable(.string())), ("currentHolder", .nullable(.ref("RoleTenure"))), ("isOpen", .boolean),
            ("history", .nullable(.array(.ref("RoleTenure")))), ("version", .integer(minimum: 1)),
        ], required: ["id", "title", "isOpen", "version"]))
        r.register("ContactRoleInput", .object([
            ("title", .text(max: 200, min: 1)), ("description", .nullable(.text(max: 2000))), ("unitId", .nullable(.string(maxLength: 40))),
            ("organisationId", .nullable(.string(maxLength: 40))), ("email", .nullable(.string(maxLength: 254))),
            ("phone", .nullable(.string(maxLength: 40))), ("closedOn", .nullable(.string(maxLength: 10))),
            ("grantsRole", .nullable(.oneOf(["", "official", "politician", "reviewer", "representative"]))), ("version", .integer(minimum: 1)),
        ]))
        r.register("HandoverInput", .object([
            ("holderName", .nullable(.text(max: 200))), ("holderEmail", .nullable(.string(maxLength: 254))),
            ("startsOn", .string(maxLength: 10)), ("handoverNote", .nullable(.text(max: 4000))),
            ("userId", .nullable(.string(maxLength: 40))), ("vacate", .nullable(.boolean)),
        ]))
        r.register("Municipality", .object([
            ("code", .string()), ("name", .string()), ("countyCode", .string()), ("organisations", .integer(minimum: 0)),
            ("population", .nullable(.integer(minimum: 0))), ("populationYear", .nullable(.integer())), ("perThousand", .nullable(.number())),
        ], required: ["code", "name", "countyCode", "organisations"]))
        r.register("County", .object([
            ("code", .string()), ("name", .string()), ("organisations", .integer(minimum: 0)),
            ("population", .nullable(.integer(minimum: 0))), ("populationYear", .nullable(.integer())), ("perThousand", .nullable(.number())),
        ], required: ["code", "name", "organisations"]))
        r.register("Collaboration", .object([
            ("id", .uuid), ("organisationId", .uuid), ("organisationName", .nullable(.string())), ("unitId", .uuid),
            ("unitName", .nullable(.string())), ("bodyName", .nullable(.string())), ("form", .oneOf(CollaborationForm.rawValues)),
            ("startsOn", .date), ("endsOn", .nullable(.date)), ("description", .string()), ("version", .integer(minimum: 1)),
        ], required: ["id", "organisationId", "unitId", "form", "startsOn", "version"]))
        r.register("CollaborationInput", .object([
            ("organisationId", .string(maxLength: 40)), ("unitId", .string(maxLength: 40)), ("form", .oneOf(CollaborationForm.rawValues)),
            ("startsOn", .string(maxLength: 10)), ("endsOn", .nullable(.string(maxLength: 10))),
            ("description", .nullable(.text(max: 2000))), ("version", .integer(minimum: 1)),
        ]))
        r.register("Area", .object([("key", .string()), ("nameSv", .string()), ("nameEn", .string()), ("active", .boolean)],
                                   required: ["key", "nameSv", "nameEn", "active"]))
        r.register("AreaInput", .object([("key", .string(maxLength: 40)), ("nameSv", .text(max: 100, min: 1)), ("nameEn", .text(max: 100, min: 1))],
                                        required: ["key", "nameSv", "nameEn"]))
        r.register("ImportReport", .object([
            ("rowsRead", .integer(minimum: 0)), ("imported", .integer(minimum: 0)), ("committed", .boolean),
            ("rejected", .array(.object([("line", .integer()), ("field", .nullable(.string())), ("message", .string())], required: ["line", "message"]))),
        ], required: ["rowsRead", "imported", "rejected", "committed"]))
        r.register("SearchResults", .object([
            ("organisations", .array(.ref("Organisation"))), ("bodies", .array(.ref("PublicBody"))), ("units", .array(.ref("Unit"))),
            ("roles", .array(.ref("ContactRole"))),
        ], required: ["organisations", "bodies", "units", "roles"]))
    }
}
