import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("Full-text search (SQLite FTS5 or PostgreSQL tsvector)", .serialized)
struct SearchTests {
    @Test("finds inflected Swedish forms, ignores case, ranks name matches first")
    func swedishSearch() async throws {
        try await TestApp.run { t in
            try await t.organisation("Pensionärsföreningen i Kil", municipalities: ["1715"], description: "Träffar för äldre")
            try await t.organisation("Kils Idrottsförening", areas: ["sports"], municipalities: ["1715"], description: "Vi samarbetar med pensionärerna i kommunen")
            try await t.organisation("Schackklubben", description: "Schack")
            let res = try await t.api(.GET, "/api/v1/organisations?q=PENSIONÄRER")
            let names = try res.decode(Paged<OrganisationDTO>.self).items.map(\.name)
            #expect(names.count == 2)
            #expect(names.first == "Pensionärsföreningen i Kil")
            let orgnrHit = try await t.api(.GET, "/api/v1/organisations?q=idrottsföreningar")
            #expect(try orgnrHit.decode(Paged<OrganisationDTO>.self).items.map(\.name) == ["Kils Idrottsförening"])
        }
    }

    @Test("filters combine with search: area, municipality, county, legal form, level")
    func filters() async throws {
        try await TestApp.run { t in
            try await t.organisation("Ungdom Karlstad", legalForm: "ideellForening", level: "local", areas: ["youth"], municipalities: ["1780"])
            try await t.organisation("Ungdom Luleå", legalForm: "stiftelse", level: "regional", areas: ["youth"], municipalities: ["2580"])
            try await t.organisation("Kultur Karlstad", areas: ["culture"], municipalities: ["1780"])
            func names(_ q: String) async throws -> [String] {
                try await t.api(.GET, "/api/v1/organisations?\(q)").decode(Paged<OrganisationDTO>.self).items.map(\.name).sorted()
            }
            #expect(try await names("q=ungdom&county=17") == ["Ungdom Karlstad"])
            #expect(try await names("area=youth") == ["Ungdom Karlstad", "Ungdom Luleå"])
            #expect(try await names("municipality=1780") == ["Kultur Karlstad", "Ungdom Karlstad"])
            #expect(try await names("legalForm=stiftelse") == ["Ungdom Luleå"])
            #expect(try await names("level=regional&area=youth") == ["Ungdom Luleå"])
            #expect(try await t.api(.GET, "/api/v1/organisations?legalForm=bolag").status == .badRequest)
        }
    }

    @Test("search punctuation and SQL metacharacters are just words")
    func hostileQueries() async throws {
        try await TestApp.run { t in
            try await t.organisation("O'Learys Vänner")
            for q in ["' OR 1=1 --", "\"unbalanced", "NEAR(a b)", "a AND OR NOT", "*", "föreningen); DROP TABLE organisations; --", "%_%"] {
                let res = try await t.api(.GET, "/api/v1/organisations?q=\(URLQuery.escape(q))")
                #expect(res.status == .ok, "query \(q)")
            }
            #expect(try await t.count("organisations") == 1)
        }
    }

    @Test("units and roles are found by their responsibilities and holders")
    func unitsAndRoles() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17", name: "Region Värmland")
            let unit = try await t.unit(body: body, name: "Bidragsenheten", areas: ["disability"], responsibilities: "Handlägger bidrag till funktionsrättsorganisationer")
            try await t.db.write(as: .system("test")) { ctx in
                let role = try await RoleService.saveRole(nil, ContactRoleBody(title: "Handläggare ungdomsbidrag", unitId: unit.uuidString), in: ctx)
                _ = try await RoleService.handover(role.id!, HandoverBody(holderName: "Karin Exempel", startsOn: "2025-01-01"), in: ctx)
            }
            let res = try await t.api(.GET, "/api/v1/search?q=bidrag")
            let j = try res.json()
            if case .array(let units)? = j["units"] { #expect(units.count == 1) } else { Issue.record("no units") }
            if case .array(let roles)? = j["roles"] { #expect(roles.count == 1) } else { Issue.record("no roles") }
            let byHolder = try await t.api(.GET, "/api/v1/search?q=karin").json()
            if case .array(let roles)? = byHolder["roles"] { #expect(roles.count == 1) }
            #expect(try await t.api(.GET, "/api/v1/search?q=").status == .badRequest)
        }
    }
}
