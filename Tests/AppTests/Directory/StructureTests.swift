import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("Bodies, units, roles, collaboration and density", .serialized)
struct StructureTests {
    @Test("units form a tree inside one body; cycles and other bodies' parents are refused")
    func unitTree() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17")
            let other = try await t.region("25")
            let official = try await t.user(.official, body: body)
            let top = try await t.unit(body: body, name: "Regionledningskontoret")
            let child = try await t.unit(body: body, name: "Bidragsenheten", parent: top)
            let foreign = try await t.unit(body: other, name: "Norrbottens enhet")
            let cycle = try await t.api(.PUT, "/api/v1/units/\(top)", token: official.token, json: UnitBody(parentId: child.uuidString, name: "Regionledningskontoret", kind: "forvaltning", version: 1))
            #expect(cycle.status == .unprocessableEntity)
            #expect(cycle.problemFields == ["parentId"])
            let cross = try await t.api(.POST, "/api/v1/units", token: official.token, json: UnitBody(bodyId: body.uuidString, parentId: foreign.uuidString, name: "X-enheten", kind: "enhet"))
            #expect(cross.problemFields == ["parentId"])
            let notMine = try await t.api(.POST, "/api/v1/units", token: official.token, json: UnitBody(bodyId: other.uuidString, name: "Y-enheten", kind: "enhet"))
            #expect(notMine.status == .forbidden)
            let tree = try await StructureService.tree(of: body, on: t.db)
            #expect(tree.map { "\($0.depth):\($0.unit.name)" } == ["0:Regionledningskontoret", "1:Bidragsenheten"])
        }
    }

    @Test("a role outlives its holders: handover keeps history, vacating makes it open")
    func roleHandover() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17")
            let unit = try await t.unit(body: body)
            let official = try await t.user(.official, body: body)
            let created = try await t.api(.POST, "/api/v1/roles", token: official.token, json: ContactRoleBody(title: "Sekreterare i pensionärsrådet", unitId: unit.uuidString, email: "pensionarsradet@region.example"))
            #expect(created.status == .created)
            let role = try created.decode(ContactRoleDTO.self)
            #expect(role.isOpen)
            let first = try await t.api(.POST, "/api/v1/roles/\(role.id)/handover", token: official.token, json: HandoverBody(holderName: "Anna A", startsOn: "2024-01-01"))
            #expect(try first.decode(ContactRoleDTO.self).currentHolder?.holderName == "Anna A")
            let second = try await t.api(.POST, "/api/v1/roles/\(role.id)/handover", token: official.token,
                                         json: HandoverBody(holderName: "Bertil B", startsOn: "2026-03-01", handoverNote: "Kallelse till marsmötet är skickad"))
            let dto = try second.decode(ContactRoleDTO.self)
            #expect(dto.currentHolder?.holderName == "Bertil B")
            #expect(dto.history?.map(\.holderName) == ["Bertil B", "Anna A"])
            #expect(dto.history?.last?.endsOn == "2026-02-28")
            let early = try await t.api(.POST, "/api/v1/roles/\(role.id)/handover", token: official.token, json: HandoverBody(holderName: "Cecilia C", startsOn: "2025-01-01"))
            #expect(early.problemFields == ["startsOn"])
            let vacated = try await t.api(.POST, "/api/v1/roles/\(role.id)/handover", token: official.token, json: HandoverBody(startsOn: "2026-06-30", vacate: true))
            #expect(try vacated.decode(ContactRoleDTO.self).isOpen)
            let open = try await t.api(.GET, "/api/v1/roles?open=true").decode(Paged<ContactRoleDTO>.self)
            #expect(open.items.map(\.id) == [role.id])
            #expect(try await t.api(.GET, "/api/v1/roles/\(role.id)").decode(ContactRoleDTO.self).email == "pensionarsradet@region.example")
        }
    }

    @Test("one read names bodies, units, organisations, role titles and the holders in office, as each record says")
    func namesInOneRead() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17", name: "Region Värmland")
            let unit = try await t.unit(body: body, name: "Kulturenheten")
            let org = try await t.organisation("Föreningen Vänern")
            let official = try await t.user(.official, body: body)
            let created = try await t.api(.POST, "/api/v1/roles", token: official.token, json: ContactRoleBody(title: "Sekreterare i kulturrådet", unitId: unit.uuidString))
            let role = try created.decode(ContactRoleDTO.self).id
            let vacant = try await t.api(.POST, "/api/v1/roles", token: official.token, json: ContactRoleBody(title: "Samordnare", unitId: unit.uuidString)).decode(ContactRoleDTO.self).id
            // Two open tenures (a damaged history): the one that began last holds the role. An ended one never does.
            for (name, starts, ends) in [("Anna A", "2024-01-01", nil), ("Bertil B", "2025-03-01", nil), ("Cecilia C", "2026-01-01", "2026-02-01")] as [(String, String, String?)] {
                let tenure = RoleTenure()
                tenure.roleID = role; tenure.holderName = name; tenure.holderEmail = name.prefix(1).lowercased() + "@test.example"
                tenure.userID = name == "Bertil B" ? official.id : nil; tenure.startsOn = starts; tenure.endsOn = ends; tenure.handoverNote = ""
                try await tenure.create(on: t.db)
            }
            // 600 ids that name nothing: more than one select's worth, so the read is split over statements.
            let unknown = Set((0..<600).map { _ in UUID() })
            let all = Set([body, unit, org, role, vacant]).union(unknown)
            let names = try await DirectoryQueries.names(NameRequest(bodies: all, units: all, organisations: all, roleTitles: all, roleHolders: all), on: t.db)
            #expect(names.bodies == [body: "Region Värmland"])
            #expect(names.units == [unit: "Kulturenheten"])
            #expect(names.organisations == [org: "Föreningen Vänern"])
            #expect(names.roleTitles == [role: "Sekreterare i kulturrådet", vacant: "Samordnare"])
            #expect(names.roleHolders == [role: RoleHolder(name: "Bertil B", email: "b@test.example", userID: official.id)])
            // Each kind alone gives the same as in the joint read.
            #expect(try await DirectoryQueries.currentHolders(roleIDs: [role, vacant], on: t.db) == names.roleHolders)
            #expect(try await DirectoryQueries.organisationNames(Array(unknown) + [org], on: t.db) == names.organisations)
            #expect(try await DirectoryQueries.names(NameRequest(), on: t.db) == DirectoryNames())
        }
    }

    @Test("handing over a role moves the account permissions that come with it")
    func handoverMovesPermissions() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17")
            let unit = try await t.unit(body: body, name: "Bidragsenheten")
            let anna = try await t.user(.politician, body: body)
            let bertil = try await t.user(.politician, body: body)
            let roleID = try await t.db.write(as: .system("test")) { ctx in
                let r = try await RoleService.saveRole(nil, ContactRoleBody(title: "Bidragshandläggare", unitId: unit.uuidString), in: ctx)
                r.grantsRole = "official"
                try await r.save(on: ctx.db)
                _ = try await RoleService.handover(r.id!, HandoverBody(holderName: "Anna", startsOn: "2025-01-01", userId: anna.id.uuidString), in: ctx)
                return r.id!
            }
            func canEditUnit(_ u: TestApp.TestUser) async throws -> Bool {
                try await t.api(.PUT, "/api/v1/units/\(unit)", token: u.token,
                                json: UnitBody(name: "Bidragsenheten", kind: "enhet", version: try await OrgUnit.find(unit, on: t.db)!.version)).status == .ok
            }
            #expect(try await canEditUnit(anna))
            #expect(!(try await canEditUnit(bertil)))
            try await t.db.write(as: .system("test")) { ctx in
                _ = try await RoleService.handover(roleID, HandoverBody(holderName: "Bertil", startsOn: "2026-01-01", userId: bertil.id.uuidString), in: ctx)
            }
            #expect(!(try await canEditUnit(anna)))
            #expect(try await canEditUnit(bertil))
        }
    }

    @Test("a role's permission goes to a holder found by e-mail, and only those who may give it out can attach it")
    func grantsRoleByEmail() async throws {
        try await TestApp.run { t in
            let body = try await t.region()
            let unit = try await t.unit(body: body)
            let org = try await t.organisation("Egen förening")
            let official = try await t.user(.official, body: body)
            let rep = try await t.user(.representative, organisation: org)
            let newcomer = try await t.user(.politician, body: body, email: "karin@region.example")
            let role = try await t.api(.POST, "/api/v1/roles", token: official.token,
                                       json: ContactRoleBody(title: "Bidragshandläggare", unitId: unit.uuidString, grantsRole: "official")).decode(ContactRoleDTO.self)
            #expect(role.grantsRole == "official")
            _ = try await t.api(.POST, "/api/v1/roles/\(role.id)/handover", token: official.token, json: HandoverBody(holderName: "Karin", holderEmail: "karin@region.example", startsOn: "2026-01-01"))
            let grants = try await AccountService.grants(for: newcomer.id, on: t.db)
            #expect(grants.contains(Grant(role: .official, bodyID: body, unitIDs: [unit])))
            // A representative may not hand out representative rights through a role (only officials invite).
            let escalate = try await t.api(.POST, "/api/v1/roles", token: rep.token,
                                           json: ContactRoleBody(title: "Kassör", organisationId: org.uuidString, grantsRole: "representative"))
            #expect(escalate.status == .forbidden)
            let plain = try await t.api(.POST, "/api/v1/roles", token: rep.token, json: ContactRoleBody(title: "Kassör", organisationId: org.uuidString))
            #expect(plain.status == .created)
        }
    }

    @Test("collaboration links feed the unit and organisation pages and the matrix")
    func collaboration() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17", name: "Region Värmland")
            let unit = try await t.unit(body: body, name: "Hälso- och sjukvårdsnämnden")
            let org = try await t.organisation("Afasiföreningen")
            let official = try await t.user(.official, body: body)
            let res = try await t.api(.POST, "/api/v1/collaborations", token: official.token,
                                      json: CollaborationBody(organisationId: org.uuidString, unitId: unit.uuidString, form: "iop", startsOn: "2022-01-01"))
            #expect(res.status == .created)
            let bad = try await t.api(.POST, "/api/v1/collaborations", token: official.token,
                                      json: CollaborationBody(organisationId: org.uuidString, unitId: unit.uuidString, form: "iop", startsOn: "2022-01-01", endsOn: "2021-12-31"))
            #expect(bad.problemFields == ["endsOn"])
            let m = try await CollaborationService.matrix(bodyID: body, on: LocalDate("2026-11-23")!, db: t.db)
            #expect(m.units.map(\.name) == ["Hälso- och sjukvårdsnämnden"])
            #expect(m.cells[unit]?[org] == [.iop])
            let page = try await Browser(t).get("/bodies/\(body)/collaboration")
            #expect(page.status == .ok)
            #expect(page.text.contains("Afasiföreningen"))
            #expect(page.text.contains("IOP"))
        }
    }

    @Test("an organisation's page shows its members, member organisations, open roles with holders and collaborations as the API and services give them")
    func organisationPageFacts() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17", name: "Region Värmland")
            let unit = try await t.unit(body: body, name: "Kulturnämnden")
            let org = try await t.organisation("Värmlands idrottsförbund", level: "regional", areas: ["sports", "culture"], municipalities: ["1780", "1715"])
            var kids: [String: UUID] = [:]
            for name in ["Örebro-Kils IF", "Arvika BK", "Kils IF"] { kids[name] = try await t.organisation(name, parent: org) }
            let gone = try await t.organisation("Borta IF", parent: org)
            try await t.db.write(as: .system("test")) { ctx in
                try await OrganisationService.delete(gone, version: nil, in: ctx)
                for (year, total, muni) in [("2024", "900", nil), ("2025", "1000", nil), ("2025", "400", "1780"), ("2025", "300", "1715")] as [(String, String, String?)] {
                    _ = try await OrganisationService.setMemberCountRow(org, MemberCountInput(year: year, total: total, young: "10", municipality: muni), in: ctx)
                }
            }
            let official = try await t.user(.official, body: body)
            var roles: [UUID] = []
            for title in ["Kassör", "Ordförande", "Avslutad roll"] {
                let r = try await t.api(.POST, "/api/v1/roles", token: official.token, json: ContactRoleBody(title: title, organisationId: org.uuidString))
                roles.append(try r.decode(ContactRoleDTO.self).id)
            }
            _ = try await t.api(.POST, "/api/v1/roles/\(roles[0])/handover", token: official.token, json: HandoverBody(holderName: "Karin Kassör", startsOn: "2025-01-01"))
            _ = try await t.api(.POST, "/api/v1/roles/\(roles[0])/handover", token: official.token, json: HandoverBody(holderName: "Nils Ny", startsOn: "2026-01-01"))
            _ = try await t.api(.POST, "/api/v1/roles/\(roles[1])/handover", token: official.token, json: HandoverBody(holderName: "Olle", startsOn: "2024-01-01"))
            _ = try await t.api(.POST, "/api/v1/roles/\(roles[1])/handover", token: official.token, json: HandoverBody(startsOn: "2025-06-30", vacate: true))
            let closed = try await t.api(.PUT, "/api/v1/roles/\(roles[2])", token: official.token, json: ContactRoleBody(title: "Avslutad roll", organisationId: org.uuidString, closedOn: "2026-01-01", version: 1))
            #expect(closed.status == .ok)
            var linkIDs: [UUID] = []
            for (form, start) in [("iop", "2022-01-01"), ("grant", "2024-03-01")] {
                let res = try await t.api(.POST, "/api/v1/collaborations", token: official.token,
                                          json: CollaborationBody(organisationId: org.uuidString, unitId: unit.uuidString, form: form, startsOn: start))
                #expect(res.status == .created)
                linkIDs.append(try res.decode(CollaborationDTO.self).id)
            }

            let facts = try #require(try await OrganisationQueries.pageFacts(org, childLimit: 200, on: t.db))
            let model = try await OrganisationService.require(org, on: t.db)
            let dto = try await OrganisationService.dto(model, withMembers: true, on: t.db)
            #expect(facts.organisation.name == dto.name && facts.organisation.areas == dto.areas && facts.organisation.municipalities == dto.municipalities)
            #expect(facts.organisation.memberCounts == dto.memberCounts)
            #expect(facts.organisation.memberCounts?.first == MemberCountDTO(year: 2025, total: 1000, young: 10, municipality: nil))
            #expect(facts.children.map(\.name) == ["Arvika BK", "Kils IF", "Örebro-Kils IF"])
            #expect(facts.children.map(\.id) == ["Arvika BK", "Kils IF", "Örebro-Kils IF"].map { kids[$0] })
            #expect(facts.children.allSatisfy { $0.level == "local" })
            #expect(try await OrganisationQueries.pageFacts(org, childLimit: 2, on: t.db)?.children.map(\.name) == ["Arvika BK", "Kils IF"])
            #expect(facts.openRoles == [.init(id: roles[0], title: "Kassör", holder: "Nils Ny"), .init(id: roles[1], title: "Ordförande", holder: nil)])
            for role in facts.openRoles {
                let shown = try await t.api(.GET, "/api/v1/roles/\(role.id)").decode(ContactRoleDTO.self)
                #expect(role.holder == shown.currentHolder?.holderName && role.title == shown.title)
            }
            #expect(facts.collaborations.map(\.form) == ["grant", "iop"])
            #expect(facts.collaborations.map(\.id) == linkIDs.reversed())
            #expect(facts.collaborations.allSatisfy { $0.unitName == "Kulturnämnden" && $0.bodyName == "Region Värmland" && $0.organisationName == dto.name })

            let page = try await Browser(t).get("/organisations/\(org)")
            #expect(page.status == .ok)
            for text in ["Arvika BK", "Nils Ny", "Ordförande", "Kulturnämnden", "Region Värmland"] {
                #expect(page.text.contains(text), "\(text) on the page")
            }
            #expect(!page.text.contains("Borta IF") && !page.text.contains("Avslutad roll") && !page.text.contains("Karin Kassör"))
            // The reference data's counter comes with the facts (the page's vocabulary reads no counter of its
            // own), and a renamed municipality is named anew on the next page.
            #expect(facts.referenceCounter == (try await ChangeCounters.value(ChangeCounters.reference, on: t.db)))
            try await t.db.sql.raw("UPDATE municipalities SET name = 'Karlstad stad' WHERE code = '1780'").run()
            let renamed = try #require(try await OrganisationQueries.pageFacts(org, childLimit: 200, on: t.db))
            #expect(renamed.referenceCounter != facts.referenceCounter)
            let after = try await Browser(t).get("/organisations/\(org)")
            #expect(after.text.contains("Karlstad stad"))
            #expect(try await Browser(t).get("/organisations/\(gone)").status == .notFound)
            #expect(try await OrganisationQueries.pageFacts(gone, childLimit: 200, on: t.db) == nil)
        }
    }

    @Test("density: organisations active in a municipality per 1,000 inhabitants, by municipality and county")
    func density() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let csv = "code;year;population\n1737;2024;1000\n1715;2024;2000\n"
            let imported = try await t.api(.POST, "/api/v1/population", token: admin.token, rawBody: csv, contentType: "text/csv")
            #expect(imported.status == .ok)
            for i in 0..<59 { try await t.organisation("Torsbyförening \(i)", municipalities: ["1737"]) }
            try await t.organisation("Kilförening", municipalities: ["1715"])
            let munis = try await t.api(.GET, "/api/v1/municipalities?county=17").decode([MunicipalityDTO].self)
            #expect(munis.first { $0.code == "1737" }?.perThousand == 59.0)
            #expect(munis.first { $0.code == "1715" }?.perThousand == 0.5)
            #expect(munis.first { $0.code == "1780" }?.perThousand == nil)
            let one = try await t.api(.GET, "/api/v1/municipalities/1737").decode(MunicipalityDTO.self)
            #expect(one.organisations == 59)
            // Counties: unknown until every municipality has a figure.
            let counties = try await t.api(.GET, "/api/v1/counties").decode([CountyDTO].self)
            #expect(counties.first { $0.code == "17" }?.organisations == 60)
            #expect(counties.first { $0.code == "17" }?.perThousand == nil)
            let page = try await Browser(t).get("/density?county=17&sort=density&dir=desc")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("59,0"))
            let bad = try await t.api(.POST, "/api/v1/population", token: admin.token, rawBody: "code;year;population\n1737;2024;-5\n9999;2024;10\n", contentType: "text/csv")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemFields == ["rows[2].population", "rows[3].code"])
            #expect(try await t.count("population_figures") == 2)
        }
    }
}
