import Foundation
import Fluent
import SQLKit
import SamverkaRules

/// The Directory's tables: reference data, organisations, public bodies, units, roles, collaboration.
struct CreateDirectory: AsyncMigration {
    var name: String { "D001_CreateDirectory" }

    func prepare(on db: any Database) async throws {
        try await db.schema("counties").id()
            .field("code", .string, .required).field("name", .string, .required)
            .unique(on: "code").create()
        try await db.schema("municipalities").id()
            .field("code", .string, .required).field("name", .string, .required)
            .field("county_code", .string, .required, .references("counties", "code"))
            .unique(on: "code").create()
        try await db.schema("population_figures").id()
            .field("municipality_code", .string, .required, .references("municipalities", "code"))
            .field("year", .int, .required).field("population", .int, .required)
            .unique(on: "municipality_code", "year").create()
        try await db.schema("areas").id()
            .field("key", .string, .required).field("name_sv", .string, .required).field("name_en", .string, .required)
            .field("sort_order", .int, .required).field("active", .bool, .required)
            .unique(on: "key").create()

        try await db.schema("organisations").id()
            .field("name", .string, .required)
            .field("sort_name", .string, .required)
            .field("orgnr", .string)
            .field("legal_form", .string, .required)
            .field("level", .string, .required)
            .field("parent_id", .uuid, .references("organisations", "id"))
            .field("description", .string, .required)
            .field("street", .string, .required).field("postal_code", .string, .required).field("city", .string, .required)
            .field("email", .string, .required).field("phone", .string, .required).field("website", .string, .required)
            .field("founded_year", .int)
            .field("council_memberships", .string, .required)
            .field("is_demo", .bool, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime).field("deleted_at", .datetime)
            .unique(on: "orgnr")
            .create()
        try await db.schema("organisation_areas").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("area_key", .string, .required, .references("areas", "key"))
            .unique(on: "organisation_id", "area_key").create()
        try await db.schema("organisation_municipalities").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("municipality_code", .string, .required, .references("municipalities", "code"))
            .unique(on: "organisation_id", "municipality_code").create()
        try await db.schema("member_counts").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("municipality_code", .string, .references("municipalities", "code"))
            .field("total", .int, .required).field("young", .int)
            .create()

        try await db.schema("public_bodies").id()
            .field("name", .string, .required).field("kind", .string, .required)
            .field("county_code", .string, .required, .references("counties", "code"))
            .field("municipality_code", .string, .references("municipalities", "code"))
            .field("orgnr", .string).field("website", .string, .required).field("description", .string, .required)
            .field("is_demo", .bool, .required).field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .create()
        try await db.schema("units").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id", onDelete: .cascade))
            .field("parent_id", .uuid, .references("units", "id", onDelete: .cascade))
            .field("name", .string, .required).field("kind", .string, .required)
            .field("responsibilities", .string, .required)
            .field("email", .string, .required).field("phone", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .create()
        try await db.schema("unit_areas").id()
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("area_key", .string, .required, .references("areas", "key"))
            .unique(on: "unit_id", "area_key").create()
        try await db.schema("contact_roles").id()
            .field("title", .string, .required).field("description", .string, .required)
            .field("unit_id", .uuid, .references("units", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .references("organisations", "id", onDelete: .cascade))
            .field("email", .string, .required).field("phone", .string, .required)
            .field("version", .int, .required).field("closed_on", .string)
            .field("grants_role", .string)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .create()
        try await db.schema("role_tenures").id()
            .field("role_id", .uuid, .required, .references("contact_roles", "id", onDelete: .cascade))
            .field("holder_name", .string, .required).field("holder_email", .string, .required)
            .field("user_id", .uuid)
            .field("starts_on", .string, .required).field("ends_on", .string)
            .field("handover_note", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("collaboration_links").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("form", .string, .required)
            .field("starts_on", .string, .required).field("ends_on", .string)
            .field("description", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime).field("updated_at", .datetime)
            .create()

        let sql = db.sql
        for stmt in [
            "CREATE INDEX organisations_sort_name ON organisations (sort_name)",
            "CREATE INDEX organisations_parent ON organisations (parent_id)",
            "CREATE INDEX organisations_filter ON organisations (legal_form, level)",
            "CREATE INDEX organisation_areas_area ON organisation_areas (area_key, organisation_id)",
            "CREATE INDEX organisation_municipalities_code ON organisation_municipalities (municipality_code, organisation_id)",
            "CREATE INDEX member_counts_org ON member_counts (organisation_id, year)",
            "CREATE INDEX units_body ON units (body_id, parent_id)",
            "CREATE INDEX unit_areas_area ON unit_areas (area_key)",
            "CREATE INDEX contact_roles_unit ON contact_roles (unit_id)",
            "CREATE INDEX contact_roles_org ON contact_roles (organisation_id)",
            "CREATE INDEX role_tenures_role ON role_tenures (role_id, ends_on)",
            "CREATE INDEX role_tenures_user ON role_tenures (user_id)",
            "CREATE INDEX collaboration_org ON collaboration_links (organisation_id)",
            "CREATE INDEX collaboration_unit ON collaboration_links (unit_id)",
        ] {
            try await sql.raw(SQLQueryString(stmt)).run()
        }
        try await SearchIndexes.forDatabase(sql).createSchema(on: sql)
    }

    func revert(on db: any Database) async throws {
        try await SearchIndexes.forDatabase(db.sql).dropSchema(on: db.sql)
        for table in ["collaboration_links", "role_tenures", "contact_roles", "unit_areas", "units", "public_bodies",
                      "member_counts", "organisation_municipalities", "organisation_areas", "organisations",
                      "areas", "population_figures", "municipalities", "counties"] {
            try await db.schema(table).delete()
        }
    }
}

