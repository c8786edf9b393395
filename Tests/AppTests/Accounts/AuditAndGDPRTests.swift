import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

@Suite("Audit log and personal data", .serialized)
struct AuditAndGDPRTests {
    @Test("events are hash-chained; tampering with any row is found at that row")
    func tamper() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            for i in 0..<3 { _ = try await t.api(.POST, "/api/v1/organisations", token: admin.token, json: ["name": "Förening \(i)", "legalForm": "ideellForening", "level": "local"]) }
            let ok = try await AuditChain.verify(on: t.db)
            #expect(ok.ok)
            #expect(ok.checked >= 5)
            let target = try await AuditEvent.query(on: t.db).filter(\.$action == "create").filter(\.$entityType == "organisation").sort(\.$seq).first()!
            try await t.sql.raw("UPDATE audit_events SET changes = \(bind: target.changes.replacingOccurrences(of: "Förening 0", with: "Förening X")) WHERE seq = \(bind: target.seq)").run()
            let broken = try await AuditChain.verify(on: t.db)
            #expect(!broken.ok)
            #expect(broken.brokenAt == target.seq)
            let api = try await t.api(.GET, "/api/v1/audit/verify", token: admin.token).json()
            #expect(api["ok"] == false)
            #expect(api["brokenAt"] == .int(target.seq))
        }
    }

    @Test("deleting the newest events is found too")
    func truncation() async throws {
        try await TestApp.run { t in
            try await t.organisation("Alfa")
            try await t.organisation("Beta")
            let last = try await AuditEvent.query(on: t.db).sort(\.$seq, .descending).first()!
            try await t.sql.raw("DELETE FROM audit_events WHERE seq = \(bind: last.seq)").run()
            #expect(!(try await AuditChain.verify(on: t.db).ok))
        }
    }

    @Test("audit events record actor, before/after and request id; personal values never enter the log")
    func contents() async throws {
        try await TestApp.run { t in
            let body = try await t.region()
            let unit = try await t.unit(body: body)
            let official = try await t.user(.official, body: body)
            let role = try await t.api(.POST, "/api/v1/roles", token: official.token, json: ContactRoleBody(title: "Sekreterare", unitId: unit.uuidString)).decode(ContactRoleDTO.self)
            var req = HTTPHeaders()
            req.bearerAuthorization = BearerAuthorization(token: official.token)
            req.contentType = .json
            req.replaceOrAdd(name: "X-Request-ID", value: "test-req-42")
            _ = try await t.send(.POST, "/api/v1/roles/\(role.id)/handover", headers: req,
                                 body: ByteBuffer(data: try JSONEncoder().encode(HandoverBody(holderName: "Hemlig Person", holderEmail: "hemlig@person.example", startsOn: "2026-01-01"))))
            let events = try await AuditEvent.query(on: t.db).filter(\.$requestID == "test-req-42").all()
            #expect(!events.isEmpty)
            #expect(events.allSatisfy { $0.actorUserID == official.id })
            let all = try await AuditEvent.query(on: t.db).all().map(\.changes).joined()
            #expect(!all.contains("Hemlig Person"))
            #expect(!all.contains("hemlig@person.example"))
            #expect(all.contains("[personuppgift]"))
            let page = try await t.api(.GET, "/api/v1/audit?entityType=contactRole", token: (try await t.user(.admin)).token)
            #expect(page.status == .ok)
        }
    }

    @Test("a user downloads everything about them and erases it; decisions and the audit chain stay intact")
    func exportAndErase() async throws {
        try await TestApp.run { t in
            let body = try await t.region()
            let unit = try await t.unit(body: body)
            let u = try await t.user(.official, body: body, email: "karin@region.example")
            let roleID = try await t.db.write(as: .system("test")) { ctx in
                let r = try await RoleService.saveRole(nil, ContactRoleBody(title: "Sekreterare", unitId: unit.uuidString), in: ctx)
                _ = try await RoleService.handover(r.id!, HandoverBody(holderName: "Karin K", holderEmail: "karin@region.example", startsOn: "2025-01-01", userId: u.id.uuidString), in: ctx)
                return r.id!
            }
            _ = try await t.api(.POST, "/api/v1/organisations", token: u.token, json: ["name": "Karins förening", "legalForm": "ideellForening", "level": "local"])
            let export = try await t.api(.GET, "/api/v1/me/export", token: u.token).json()
            #expect(export["user"]?["email"] == "karin@region.example")
            if case .array(let tenures)? = export["roleTenures"] { #expect(tenures.count == 1) } else { Issue.record("no tenures") }
            if case .array(let events)? = export["auditEvents"] { #expect(!events.isEmpty) } else { Issue.record("no events") }
            let eventsBefore = try await t.count("audit_events")

            let b = Browser(t)
            try await b.signIn(u.email)
            #expect(try await b.post("/account/erase", [("current", "wrong-password-123")]).status == .unprocessableEntity)
            #expect(try await b.post("/account/erase", [("current", TestApp.password)]).status == .seeOther)

            let erased = try await User.find(u.id, on: t.db)!
            #expect(erased.status == .erased)
            #expect(erased.email != "karin@region.example")
            #expect(erased.displayName.hasPrefix("Raderad användare"))
            let tenure = try await RoleTenure.query(on: t.db).filter(\.$roleID == roleID).first()!
            #expect(tenure.holderName == "Raderad person")
            #expect(tenure.holderEmail == "")
            #expect(try await Organisation.query(on: t.db).filter(\.$name == "Karins förening").count() == 1)
            #expect(try await t.count("audit_events") > eventsBefore)
            #expect(try await AuditChain.verify(on: t.db).ok)
            #expect(try await t.api(.GET, "/api/v1/me", token: u.token).status == .unauthorized)
            #expect(try await b.get("/account").status == .seeOther)
            let search = try await t.api(.GET, "/api/v1/search?q=karin").json()
            if case .array(let roles)? = search["roles"] { #expect(roles.isEmpty) }
        }
    }

    @Test("the personal-data register is public and names a lawful basis for every field")
    func register() async throws {
        try await TestApp.run { t in
            let entries = try await t.api(.GET, "/api/v1/personal-data").decode([PersonalDataRegister.Entry].self)
            #expect(entries.count == PersonalDataRegister.all.count)
            #expect(entries.allSatisfy { !$0.lawfulBasis.isEmpty && !$0.purpose.isEmpty })
            #expect(try await Browser(t).get("/privacy").text.contains("users.email"))
        }
    }
}
