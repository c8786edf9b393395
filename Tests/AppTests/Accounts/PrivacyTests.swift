import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// What the privacy page promises: personal data stays out of the unerasable audit log, erasure reaches every copy,
/// the export holds everything, and the retention jobs run.
@Suite("Privacy: erasure everywhere, export, retention", .serialized)
struct PrivacyTests {
    /// Every text value of every table (files and binary columns skipped).
    static func allText(_ t: TestApp) async throws -> [(table: String, text: String)] {
        let tables: [String]
        if TestDatabase.isPostgres {
            tables = try await t.sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
                .all().map { try $0.decode(column: "name", as: String.self) }
        } else {
            tables = try await t.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'")
                .all().map { try $0.decode(column: "name", as: String.self) }
        }
        var out: [(String, String)] = []
        for table in tables {
            for row in try await t.sql.raw("SELECT * FROM \(ident: table)").all() {
                for c in row.allColumns {
                    if let v = try? row.decode(column: c, as: String.self) { out.append((table, v)) }
                }
            }
        }
        return out
    }

    @Test("after erasure no name, address or jäv reason of the person is readable anywhere, the audit log included")
    func erasureEverywhere() async throws {
        try await TestApp.run { t in
            let name = "Greta Granskarsson"
            let email = "greta.granskarsson@example.se"
            let reason = "Kusin till kassören i sökande förening"
            let w = try await GrantFlowTests.world(t)
            // Greta's seat is made before her account (linked when the account is made), then she becomes a reviewer.
            let forum = try await t.api(.POST, "/api/v1/forums", token: w.official.token, json: ForumBody(
                bodyId: w.body.uuidString, name: "Funktionsrättsrådet", kind: "funktionshinderrad", purpose: "Samråd.", themes: ["verksamhet"],
                participationLevel: "samrad", isPublic: true)).decode(ForumDTO.self)
            let seat = try await t.api(.POST, "/api/v1/forums/\(forum.id)/seats", token: w.official.token, json: SeatBody(
                category: "organisation", position: "member", organisationId: w.org.uuidString, holderName: name, holderEmail: email,
                termFrom: LocalDate.today().adding(days: -5).description))
            #expect(seat.status == .created)
            let greta = try await t.user(.reviewer, body: w.body, email: email)
            _ = try await t.db.write(as: .system("test")) { ctx in
                let u = try await User.find(greta.id, on: ctx.db)!
                u.name = name
                try await u.save(on: ctx.db)
            }
            #expect(try await ForumSeat.query(on: t.db).filter(\.$holderEmail == email).first()?.userID == greta.id, "linked on account creation")
            let app = try await GrantFlowTests.submitted(t, w)
            var review = try await GrantCorrectnessTests.assignReviewer(t, w, app: app.id, reviewer: greta.id)
            review = try await t.api(.PUT, "/api/v1/grants/reviews/\(review.id)", token: greta.token,
                                     json: ReviewBody(jav: true, javReason: reason, version: review.version)).decode(ReviewDTO.self)
            // The export holds the review and the seat.
            let export = try await t.api(.GET, "/api/v1/me/export", token: greta.token).json()
            #expect(export["grants"]?["reviews"]?[0]?["javReason"]?.stringValue == reason)
            #expect(export["dialogue"]?["forumSeats"]?.arrayValue?.count == 1)
            let repExport = try await t.api(.GET, "/api/v1/me/export", token: w.representative.token).json()
            #expect(repExport["grants"]?["applicationsCreated"]?.arrayValue?.count == 1)

            let browser = Browser(t)
            #expect(try await browser.signIn(email).status == .seeOther)
            #expect(try await browser.post("/account/erase", [("current", TestApp.password)]).status == .seeOther)
            let leftovers = try await Self.allText(t).filter { row in
                [name, email, reason, "Greta", "Kusin"].contains { row.text.localizedCaseInsensitiveContains($0) }
            }
            #expect(leftovers.isEmpty, "still readable: \(leftovers.map { "\($0.table): \($0.text.prefix(120))" })")
            #expect(try await AuditChain.verify(on: t.db).ok)
        }
    }

    @Test("retention jobs: delivered mail, registrations of past events and former role holders' e-mail are removed")
    func retention() async throws {
        try await TestApp.run { t in
            let body = try await t.region()
            let unit = try await t.unit(body: body)
            let official = try await t.user(.official, body: body)
            // Mail: one already delivered, one waiting to be.
            try await t.db.write(as: .system("test")) { ctx in
                try await Outbox.enqueue(MailMessage(to: "levererad@example.se", subject: "A", body: "A"), in: ctx)
                try await Outbox.enqueue(MailMessage(to: "vantar@example.se", subject: "B", body: "B"), in: ctx)
            }
            try await OutboxMail.query(on: t.db).filter(\.$recipient == "levererad@example.se").set(\.$sentAt, to: Date()).update()
            // Events 40 and 10 days ago, each with a registration.
            var recent: UUID?
            for days in [40, 10] {
                let e = try await t.api(.POST, "/api/v1/events", token: official.token, json: EventBody(
                    bodyId: body.uuidString, title: "Stormöte \(days)", date: LocalDate.today().adding(days: 30).description)).decode(EventDTO.self)
                let reg = try await t.api(.POST, "/api/v1/events/\(e.id)/registrations", token: official.token, json: RegistrationBody())
                #expect(reg.status == .created, "\(reg.text)")
                if days == 10 { recent = e.id }
                _ = try await t.db.write(as: .system("test")) { ctx in
                    let ev = try await DialogueEvent.find(e.id, on: ctx.db)!
                    ev.date = LocalDate.today().adding(days: -days).description
                    try await ev.save(on: ctx.db)
                }
            }
            #expect(try await EventRegistration.query(on: t.db).count() == 2)
            // A role handed over yesterday: the former holder's address goes, the current one's stays.
            _ = try await t.db.write(as: .system("test")) { ctx in
                let r = try await RoleService.saveRole(nil, ContactRoleBody(title: "Samordnare", unitId: unit.uuidString), in: ctx)
                _ = try await RoleService.handover(r.id!, HandoverBody(holderName: "Förre", holderEmail: "forre@example.se",
                                                                       startsOn: LocalDate.today().adding(days: -100).description), in: ctx)
                return try await RoleService.handover(r.id!, HandoverBody(holderName: "Nuvarande", holderEmail: "nu@example.se",
                                                                          startsOn: LocalDate.today().description), in: ctx)
            }
            await BackgroundJobs.runOnce(t.app)
            // The waiting mail was delivered in the same tick; delivered mail is removed.
            #expect(try await OutboxMail.query(on: t.db).count() == 0)
            #expect(try await EventRegistration.query(on: t.db).all().map(\.eventID) == [try #require(recent)])
            #expect(try await RoleTenure.query(on: t.db).filter(\.$holderName == "Förre").first()?.holderEmail == "")
            #expect(try await RoleTenure.query(on: t.db).filter(\.$holderName == "Nuvarande").first()?.holderEmail == "nu@example.se")
            // A second tick within the hour does not run the claimed jobs again; across nodes the claim is shared.
            #expect(try await JobClaims.claim("mail retention", every: 3600, on: t.db) == false)
        }
    }
}
