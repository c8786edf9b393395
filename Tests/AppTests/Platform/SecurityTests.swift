import AsyncKit
import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// Defects found by trying the product as an attacker would: records moved to oneself, formulas in exports, a
/// rewritable audit chain, secrets in logs, unsafe file names, misleading limits, and errors when the database is away.
@Suite("Security", .serialized)
struct SecurityTests {
    // MARK: A record you may not touch cannot be moved to yourself

    @Test("collaboration links: taking over another organisation's or body's link is refused, update and delete alike")
    func collaborationTakeover() async throws {
        try await TestApp.run { t in
            let varmland = try await t.region("17", name: "Region Värmland")
            let norrbotten = try await t.region("25", name: "Region Norrbotten")
            let vUnit = try await t.unit(body: varmland, name: "Kulturenheten")
            let nUnit = try await t.unit(body: norrbotten, name: "Regional utveckling")
            let mine = try await t.organisation("Min förening", orgnr: "802000-0009")
            let theirs = try await t.organisation("Deras förening", orgnr: "802000-0017")
            let rep = try await t.user(.representative, organisation: mine)
            let official = try await t.user(.official, body: varmland)
            let admin = try await t.user(.admin)
            func link(_ org: UUID, _ unit: UUID) async throws -> CollaborationDTO {
                try await t.api(.POST, "/api/v1/collaborations", token: admin.token, json: CollaborationBody(
                    organisationId: org.uuidString, unitId: unit.uuidString, form: "dialogue", startsOn: "2026-01-01", description: "Samråd")).decode(CollaborationDTO.self)
            }
            let others = try await link(theirs, vUnit)
            // The representative moves the other organisation's link to their own organisation.
            var res = try await t.api(.PUT, "/api/v1/collaborations/\(others.id)", token: rep.token, json: CollaborationBody(
                organisationId: mine.uuidString, form: "dialogue", startsOn: "2026-01-01", version: others.version))
            #expect(res.status == .forbidden)
            #expect(try await t.api(.DELETE, "/api/v1/collaborations/\(others.id)", token: rep.token).status == .forbidden)
            // An official of Region Värmland moves Region Norrbotten's link to a Värmland unit, or deletes it.
            let north = try await link(theirs, nUnit)
            res = try await t.api(.PUT, "/api/v1/collaborations/\(north.id)", token: official.token, json: CollaborationBody(
                unitId: vUnit.uuidString, form: "dialogue", startsOn: "2026-01-01", version: north.version))
            #expect(res.status == .forbidden)
            #expect(try await t.api(.DELETE, "/api/v1/collaborations/\(north.id)", token: official.token).status == .forbidden)
            let unchanged = try #require(try await CollaborationLink.find(north.id, on: t.db))
            #expect(unchanged.unitID == nUnit && unchanged.organisationID == theirs && unchanged.description == "Samråd")
            #expect(try await CollaborationLink.find(others.id, on: t.db)?.organisationID == theirs)
            // Their own links they may change and delete.
            let own = try await link(mine, vUnit)
            #expect(try await t.api(.DELETE, "/api/v1/collaborations/\(own.id)", token: rep.token).status == .noContent)
        }
    }

    @Test("units, programmes, forums and consultations: an official narrowed to one unit cannot move another's record to it, nor theirs away")
    func ownerMoves() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17", name: "Region Värmland")
            let mineUnit = try await t.unit(body: body, name: "Kulturenheten")
            let otherUnit = try await t.unit(body: body, name: "Folkhälsa")
            let narrowed = try await t.user(.official, body: body, units: [mineUnit])
            let full = try await t.user(.official, body: body)
            // A unit of someone else moved under mine.
            let stray = try await t.unit(body: body, name: "Kollektivtrafik", parent: otherUnit)
            let version = try #require(try await OrgUnit.find(stray, on: t.db)?.version)
            let move = try await t.api(.PUT, "/api/v1/units/\(stray)", token: narrowed.token, json: UnitBody(
                parentId: mineUnit.uuidString, name: "Kollektivtrafik", kind: "enhet", version: version))
            #expect(move.status == .forbidden)
            #expect(try await OrgUnit.find(stray, on: t.db)?.parentID == otherUnit)
            // A programme of the other unit set to mine.
            let programme = try await t.api(.POST, "/api/v1/grants/programmes", token: full.token, json: ProgrammeBody(
                bodyId: body.uuidString, unitId: otherUnit.uuidString, name: "Folkhälsobidrag", kind: "projektbidrag", purpose: "Folkhälsa.")).decode(ProgrammeDTO.self)
            let takeover = try await t.api(.PUT, "/api/v1/grants/programmes/\(programme.id)", token: narrowed.token,
                                           json: ProgrammeBody(unitId: mineUnit.uuidString, version: programme.version))
            #expect(takeover.status == .forbidden)
            #expect(try await GrantProgramme.find(programme.id, on: t.db)?.unitID == otherUnit)
            // A forum of mine moved to a unit I do not run.
            let forum = try await t.api(.POST, "/api/v1/forums", token: narrowed.token, json: ForumBody(
                bodyId: body.uuidString, unitId: mineUnit.uuidString, name: "Kulturrådet", kind: "dialogforum", purpose: "Dialog om kultur.",
                themes: ["verksamhet"], participationLevel: "dialog", isPublic: true)).decode(ForumDTO.self)
            let away = try await t.api(.PUT, "/api/v1/forums/\(forum.id)", token: narrowed.token,
                                       json: ForumBody(unitId: otherUnit.uuidString, version: forum.version))
            #expect(away.status == .forbidden)
            #expect(try await Forum.find(forum.id, on: t.db)?.unitID == mineUnit)
        }
    }

    // MARK: Exports

    @Test("CSV exports defuse every text cell that starts like a formula: directory, grant register, 360Giving, payment file")
    func csvInjection() async throws {
        try await TestApp.run { t in
            let attack = "-2+3+cmd|' /C calc'!A0"
            let w = try await GrantFlowTests.world(t)
            _ = try await t.db.write(as: .system("test")) { ctx in
                let o = try await Organisation.find(w.org, on: ctx.db)!
                o.name = attack
                try await o.save(on: ctx.db)
            }
            let app = try await GrantFlowTests.submitted(t, w)
            _ = try await GrantFlowTests.decide(t, w, app.id, amount: 5_000_000)
            let pay = try #require(try await GrantPayment.query(on: t.db).first()?.id)
            #expect(try await t.api(.POST, "/api/v1/grants/payments/\(pay)/approve", token: w.colleague.token).status == .ok)
            let exports = [
                try await t.send(.GET, "/api/v1/organisations/export.csv"),
                try await t.send(.GET, "/api/v1/grants/register.csv"),
                try await t.send(.GET, "/api/v1/grants/360giving.csv"),
                try await t.api(.GET, "/api/v1/grants/payments/export.csv", token: w.official.token),
            ]
            for res in exports {
                #expect(res.status == .ok)
                #expect(res.text.contains("'" + attack), "the name is defused: \(res.text.prefix(300))")
                let cells = res.text.split(whereSeparator: \.isNewline).flatMap { $0.split(separator: ";").flatMap { $0.split(separator: ",") } }
                #expect(!cells.contains { $0.hasPrefix("-2+3") || $0.hasPrefix("\"-2+3") }, "a raw formula cell is exported")
            }
            // The members column is filled from the latest year's count.
            _ = try await t.api(.PUT, "/api/v1/organisations/\(w.org)/members", token: w.official.token,
                                json: ["memberCounts": [["year": 2024, "total": 80], ["year": 2025, "total": 95]]])
            let dir = try await t.send(.GET, "/api/v1/organisations/export.csv")
            let row = try #require(dir.text.split(whereSeparator: \.isNewline).first { $0.contains(attack) })
            #expect(row.split(separator: ";", omittingEmptySubsequences: false)[6] == "95")
        }
    }

    // MARK: Audit chain

    @Test("a row rewritten with recomputed hashes is found: the chain is keyed, and a checkpoint kept outside catches even the key holder")
    func keyedChain() async throws {
        try await TestApp.run { t in
            for name in ["Alfa", "Beta", "Gamma"] { try await t.organisation(name) }
            #expect(try await AuditChain.verify(on: t.db).ok)
            let checkpoint = try await AuditChain.checkpoint(on: t.db)
            #expect(AuditChain.Checkpoint.parse(checkpoint.line) == checkpoint)
            #expect(AuditChain.Checkpoint.parse(checkpoint.line.replacingOccurrences(of: "seq=", with: "seq=1")) == nil, "a changed checkpoint fails its signature")
            let events = try await AuditEvent.query(on: t.db).sort(\.$seq).all()
            let target = try #require(events.first { $0.changes.contains("Beta") })

            /// Rewrites the target row and every later hash, as someone who can write the database would.
            func rewrite(with hash: (String) -> String) async throws {
                var prev = events.first { $0.seq == target.seq - 1 }?.hash ?? AuditChain.genesis
                for e in try await AuditEvent.query(on: t.db).filter(\.$seq >= target.seq).sort(\.$seq).all() {
                    if e.seq == target.seq { e.changes = e.changes.replacingOccurrences(of: "Beta", with: "Bluff") }
                    e.prevHash = prev
                    e.hash = hash(e.hashInput)
                    prev = e.hash
                    try await e.save(on: t.db)
                }
                try await t.sql.raw("UPDATE audit_chain_head SET last_hash = \(bind: prev) WHERE id = 1").run()
            }
            // Plain SHA-256, recomputed: the old, unkeyed chain would have passed.
            try await rewrite(with: AuditChain.unkeyedHash)
            var v = try await AuditChain.verify(on: t.db)
            #expect(!v.ok)
            #expect(v.brokenAt == target.seq)
            // HMAC with a guessed key: still found.
            let guessed = SymmetricKey(data: Data("not-the-installation-key-0123456789".utf8))
            try await rewrite { AuditChain.hash($0, key: guessed) }
            #expect(!(try await AuditChain.verify(on: t.db).ok))
            // With the real key the chain is consistent again, but the checkpoint taken before shows the rewrite.
            try await rewrite { AuditChain.hash($0) }
            #expect(try await AuditChain.verify(on: t.db).ok)
            v = try await AuditChain.verify(on: t.db, checkpoints: [checkpoint])
            #expect(!v.ok)
            #expect(v.problem?.contains("kontrollpunkten") == true)
            // A node started with another key refuses to write to this chain.
            let stored = try await Settings.get("audit.keyFingerprint", on: t.db)
            #expect(stored == AuditChain.fingerprint(AuditChain.key))
            try await Settings.set("audit.keyFingerprint", "0000000000000000", on: t.db)
            await #expect(throws: AppError.self) { try await AuditChain.checkKey(on: t.db) }
        }
    }

    // MARK: Logs, files, limits

    @Test("request logs never show a password-reset, invitation or calendar-feed secret")
    func redactedLogs() async throws {
        try await TestApp.run { t in
            let secret = "s3cr3t-t0ken-value"
            var checked = 0
            for route in t.app.routes.all {
                let pattern = route.path
                guard pattern.contains(where: { if case .parameter(let n) = $0 { return LogRedaction.secretParameters.contains(n) }; return false }) else { continue }
                let path = "/" + pattern.map { c -> String in
                    if case .parameter = c { return secret }
                    return c.description
                }.joined(separator: "/")
                let logged = LogRedaction.path(path, pattern: pattern)
                #expect(!logged.contains(secret), "\(route.method) \(path) logged as \(logged)")
                #expect(logged.contains("[redacted]"))
                checked += 1
            }
            #expect(checked >= 5)
            // An unmatched path keeps only its first segments.
            #expect(!LogRedaction.path("/invitations/\(secret)/x", pattern: nil).contains(secret))
        }
    }

    @Test("uploaded file names lose their path and reach the download header intact (RFC 6266); the size limit says the route's own")
    func filesAndLimits() async throws {
        #expect(UploadRules.safeFilename("../../etc/passwd") == "passwd")
        #expect(UploadRules.safeFilename("C:\\Users\\anna\\brev.pdf") == "brev.pdf")
        #expect(UploadRules.safeFilename("..\u{0}hidden\r\n.txt") == "hidden.txt")
        let header = UploadRules.contentDisposition("Protokoll för Rådet – §3 \"justerat\".pdf")
        #expect(header.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(header.contains("filename*=UTF-8''Protokoll%20f%C3%B6r%20R%C3%A5det%20%E2%80%93%20%C2%A73%20justerat.pdf"))
        try await TestApp.run { t in
            let w = try await GrantFlowTests.world(t)
            let a = try await t.api(.POST, "/api/v1/grants/applications", token: w.representative.token,
                                    json: ApplicationBody(callId: w.call.id.uuidString, organisationId: w.org.uuidString)).decode(ApplicationDTO.self)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: w.representative.token)
            headers.replaceOrAdd(name: .contentType, value: "text/plain")
            let att = try await t.send(.POST, "/api/v1/grants/applications/\(a.id)/attachments?kind=verksamhetsberattelse&filename=..%2F..%2Fetc%2Fverksamhetsber%C3%A4ttelse.txt",
                                       headers: headers, body: ByteBuffer(string: "Text"))
            try #require(att.status == .created, "\(att.text)")
            let stored = try att.decode(AttachmentDTO.self)
            #expect(stored.filename == "verksamhetsberättelse.txt")
            let download = try await t.api(.GET, "/api/v1/grants/attachments/\(stored.id)", token: w.representative.token)
            #expect(download.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''verksamhetsber%C3%A4ttelse.txt") == true)
            // 25 MB to a route that takes 21 MB: the answer names 21, not the 2 MB default.
            let big = ByteBuffer(repeating: 0x41, count: 25 * 1024 * 1024)
            // Over a real socket: the limit is enforced while the body streams in (the in-memory tester skips that).
            let tooBig = try await t.app.testing(method: .running(port: 0)).sendRequest(
                .POST, "/api/v1/grants/applications/\(a.id)/attachments?kind=verksamhetsberattelse&filename=stor.txt", headers: headers, body: big)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.text.contains("21 MB"), "\(tooBig.text)")
            #expect(!tooBig.text.contains("2 MB)"))
        }
    }

    // MARK: The database away

    @Test("with the database unreachable, pages and the API answer 503 with Retry-After, not 500")
    func databaseUnavailable() async throws {
        #expect(DatabaseUnavailable.matches(ConnectionPoolError.shutdown))
        #expect(DatabaseUnavailable.matches(ConnectionPoolTimeoutError.connectionRequestTimeout))
        #expect(!DatabaseUnavailable.matches(AppError.notFound()))
        try await TestApp.run { t in
            // Routes that fail as a request does when the pool has no connection to give.
            t.app.get("unavailable-probe") { _ -> String in throw ConnectionPoolTimeoutError.connectionRequestTimeout }
            t.app.get("api", "v1", "unavailable-probe") { _ -> String in throw ConnectionPoolError.shutdown }
            let page = try await Browser(t).get("/unavailable-probe")
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers.first(name: .retryAfter) == "30")
            #expect(page.text.contains("tillfälligt otillgänglig"))
            let api = try await t.api(.GET, "/api/v1/unavailable-probe")
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers.first(name: .retryAfter) == "30")
            #expect(api.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
        }
    }
}
