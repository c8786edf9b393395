import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("Organisation API", .serialized)
struct OrganisationAPITests {
    @Test("POST creates an organisation and answers 201 with the stored record")
    func create() async throws {
        try await TestApp.run { t in
            let official = try await t.user(.official, body: try await t.region("17"))
            let res = try await t.api(.POST, "/api/v1/organisations", token: official.token, json: [
                "name": AnyEncodable("Ungdomsförbundet Värmland"), "orgnr": AnyEncodable("8020000009"), "legalForm": AnyEncodable("ideellForening"),
                "level": AnyEncodable("regional"), "municipalities": AnyEncodable(["1780", "Kil"]), "areas": AnyEncodable(["youth"]),
            ])
            #expect(res.status == .created)
            let org = try res.decode(OrganisationDTO.self)
            #expect(org.orgnr == "802000-0009")
            #expect(org.municipalities == ["1715", "1780"])
            #expect(org.version == 1)
            #expect(res.headers.first(name: .location) == "/api/v1/organisations/\(org.id)")
            let got = try await t.api(.GET, "/api/v1/organisations/\(org.id)")
            #expect(try got.decode(OrganisationDTO.self).name == "Ungdomsförbundet Värmland")
            // The write left an audit event in the same transaction.
            let events = try await AuditEvent.query(on: t.db).filter(\.$entityID == org.id.uuidString).all()
            #expect(events.map(\.action) == ["create"])
            #expect(events.first?.actorUserID == official.id)
        }
    }

    @Test("a bad orgnr is a 422 problem naming the field, and nothing is stored")
    func badOrgnr() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let before = try await t.count("organisations")
            let res = try await t.api(.POST, "/api/v1/organisations", token: admin.token, json: [
                "name": "Föreningen", "orgnr": "811218-9876", "legalForm": "ideellForening", "level": "local",
            ])
            #expect(res.status == .unprocessableEntity)
            #expect(res.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            #expect(res.problemFields == ["orgnr"])
            #expect(try res.json()["status"] == .int(422))
            #expect(try await t.count("organisations") == before)
        }
    }

    @Test("duplicate orgnr is a 409 conflict on the field")
    func duplicate() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            try await t.organisation("Första", orgnr: "802000-0009")
            let res = try await t.api(.POST, "/api/v1/organisations", token: admin.token, json: [
                "name": "Andra", "orgnr": "16802000-0009", "legalForm": "stiftelse", "level": "local",
            ])
            #expect(res.status == .conflict)
            #expect(res.problemFields == ["orgnr"])
        }
    }

    @Test("unknown municipality, HTML in text and over-long fields are refused with field errors")
    func otherBadInput() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let res = try await t.api(.POST, "/api/v1/organisations", token: admin.token, json: [
                "name": AnyEncodable("<img src=x onerror=alert(1)>"), "legalForm": AnyEncodable("ideellForening"), "level": AnyEncodable("local"),
                "municipalities": AnyEncodable(["9999"]), "description": AnyEncodable(String(repeating: "x", count: 5001)),
            ])
            #expect(res.status == .unprocessableEntity)
            #expect(Set(res.problemFields) == ["name", "municipalities", "description"])
            #expect(try await t.count("organisations") == 0)
        }
    }

    @Test("writes need a token with the right role")
    func needsToken() async throws {
        try await TestApp.run { t in
            let body = ["name": "Föreningen", "legalForm": "ideellForening", "level": "local"]
            #expect(try await t.api(.POST, "/api/v1/organisations", json: body).status == .unauthorized)
            #expect(try await t.api(.POST, "/api/v1/organisations", token: "svk_nonsense", json: body).status == .unauthorized)
            let analyst = try await t.user(.analyst)
            #expect(try await t.api(.POST, "/api/v1/organisations", token: analyst.token, json: body).status == .forbidden)
        }
    }

    @Test("the deprecated SAMVERKA_ADMIN_TOKEN still works as installation admin when set")
    func legacyToken() async throws {
        try await TestApp.run(configure: { $0.legacyAdminToken = "legacy-admin-token-0123456789" }) { t in
            let res = try await t.api(.POST, "/api/v1/organisations", token: "legacy-admin-token-0123456789", json: [
                "name": "Föreningen", "legalForm": "ideellForening", "level": "local",
            ])
            #expect(res.status == .created)
        }
    }

    @Test("PUT with a stale version is a 409 and changes nothing; PATCH changes only given fields")
    func optimisticLocking() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let id = try await t.organisation("Kils IF", orgnr: "556091-2148", municipalities: ["1715"])
            let patched = try await t.api(.PATCH, "/api/v1/organisations/\(id)", token: admin.token, json: ["description": AnyEncodable("Fotboll och friidrott"), "version": AnyEncodable(1)])
            #expect(patched.status == .ok)
            let dto = try patched.decode(OrganisationDTO.self)
            #expect(dto.version == 2)
            #expect(dto.municipalities == ["1715"])
            #expect(dto.description == "Fotboll och friidrott")
            let stale = try await t.api(.PUT, "/api/v1/organisations/\(id)", token: admin.token, json: [
                "name": AnyEncodable("Kils IF – ändrat"), "legalForm": AnyEncodable("ideellForening"), "level": AnyEncodable("local"), "version": AnyEncodable(1),
            ])
            #expect(stale.status == .conflict)
            #expect(stale.problemFields == ["version"])
            #expect(try await Organisation.find(id, on: t.db)?.name == "Kils IF")
        }
    }

    @Test("a representative edits their own organisation but not others")
    func representativeScope() async throws {
        try await TestApp.run { t in
            let own = try await t.organisation("Egen")
            let other = try await t.organisation("Annan")
            let rep = try await t.user(.representative, organisation: own)
            let ok = try await t.api(.PATCH, "/api/v1/organisations/\(own)", token: rep.token, json: ["website": AnyEncodable("egen.example.se"), "version": AnyEncodable(1)])
            #expect(ok.status == .ok)
            #expect(try ok.decode(OrganisationDTO.self).website == "https://egen.example.se")
            let no = try await t.api(.PATCH, "/api/v1/organisations/\(other)", token: rep.token, json: ["website": AnyEncodable("x.se"), "version": AnyEncodable(1)])
            #expect(no.status == .forbidden)
        }
    }

    @Test("districts belong to a national organisation; delete keeps history but hides the record")
    func parentsAndDelete() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let national = try await t.organisation("PRO", level: "national")
            let local = try await t.organisation("PRO Kil", level: "local")
            let wrong = try await t.api(.POST, "/api/v1/organisations", token: admin.token, json: [
                "name": "PRO Värmland", "legalForm": "ideellForening", "level": "regional", "parentId": local.uuidString,
            ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.problemFields == ["parentId"])
            let district = try await t.api(.POST, "/api/v1/organisations", token: admin.token, json: [
                "name": "PRO Värmland", "legalForm": "ideellForening", "level": "regional", "parentId": national.uuidString,
            ])
            #expect(district.status == .created)
            #expect(try await t.api(.DELETE, "/api/v1/organisations/\(national)", token: admin.token).status == .conflict)
            #expect(try await t.api(.DELETE, "/api/v1/organisations/\(local)", token: admin.token).status == .noContent)
            #expect(try await t.api(.GET, "/api/v1/organisations/\(local)").status == .notFound)
            let history = try await AuditEvent.query(on: t.db).filter(\.$entityID == local.uuidString).all().map(\.action)
            #expect(history.contains("delete"))
        }
    }

    @Test("member counts by year and municipality")
    func memberCounts() async throws {
        try await TestApp.run { t in
            let id = try await t.organisation("Unga Värmland", municipalities: ["1780"])
            let rep = try await t.user(.representative, organisation: id)
            let res = try await t.api(.PUT, "/api/v1/organisations/\(id)/members", token: rep.token, json: ["memberCounts": [
                MemberCountDTO(year: 2025, total: 450, young: 320, municipality: nil),
                MemberCountDTO(year: 2025, total: 120, young: 90, municipality: "1780"),
            ]])
            #expect(res.status == .ok)
            let rows = try res.decode([MemberCountDTO].self)
            #expect(rows.count == 2)
            #expect(rows.first { $0.municipality == nil }?.young == 320)
            let bad = try await t.api(.PUT, "/api/v1/organisations/\(id)/members", token: rep.token, json: ["memberCounts": [
                MemberCountDTO(year: 2025, total: 10, young: 20, municipality: nil),
            ]])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemFields == ["memberCounts[0].young"])
            #expect(try await t.count("member_counts") == 2)
            // The export's members column: the latest year's whole-organisation figure, or the sum of that year's
            // per-municipality figures when the organisation reported no whole figure that year.
            let other = try await t.organisation("Unga Kil", municipalities: ["1715", "1780"])
            let otherRep = try await t.user(.representative, organisation: other)
            let put = try await t.api(.PUT, "/api/v1/organisations/\(other)/members", token: otherRep.token, json: ["memberCounts": [
                MemberCountDTO(year: 2023, total: 999, young: nil, municipality: nil),
                MemberCountDTO(year: 2024, total: 30, young: nil, municipality: "1780"),
                MemberCountDTO(year: 2024, total: 12, young: nil, municipality: "1715"),
            ]])
            #expect(put.status == .ok)
            let file = try await t.api(.GET, "/api/v1/organisations/export.csv").text
            let members = Dictionary(uniqueKeysWithValues: file.split(separator: "\r\n").dropFirst().map { line in
                let cells = line.split(separator: ";", omittingEmptySubsequences: false)
                return (String(cells[0]), String(cells[6]))
            })
            #expect(members == ["Unga Värmland": "450", "Unga Kil": "42"])
        }
    }

    @Test("lists are paged with metadata; bad paging is a 400 naming the parameter")
    func paging() async throws {
        try await TestApp.run { t in
            for i in 0..<7 { try await t.organisation("Förening \(i)") }
            let page = try await t.api(.GET, "/api/v1/organisations?page=2&per=5")
            let j = try page.json()
            #expect(j["metadata"] == ["page": 2, "per": 5, "total": 7])
            if case .array(let items)? = j["items"] { #expect(items.count == 2) } else { Issue.record("no items") }
            let bad = try await t.api(.GET, "/api/v1/organisations?per=501")
            #expect(bad.status == .badRequest)
            #expect(bad.problemFields == ["per"])
        }
    }
}
