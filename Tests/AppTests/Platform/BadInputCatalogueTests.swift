import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// Every known-bad input from `Fixtures/bad-inputs.json` gets a 4xx naming the field, and the database is
/// exactly as before (row counts and a checksum of every table a write could touch).
@Suite("Bad-input catalogue", .serialized)
struct BadInputCatalogueTests {
    struct Catalogue: Decodable { var cases: [Case] }
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var kind: String
        var method: String?
        var path: String
        var json: JSONValue?
        var raw: String?
        var csv: String?
        var form: [String: String]?
        var status: Int
        var field: String
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/bad-inputs.json").standardized
        return try! JSONDecoder().decode(Catalogue.self, from: Data(contentsOf: url)).cases
    }()

    static let tables = ["organisations", "organisation_areas", "organisation_municipalities", "member_counts", "public_bodies", "units",
                         "unit_areas", "contact_roles", "role_tenures", "collaboration_links", "population_figures", "areas", "users",
                         "memberships", "one_time_tokens", "mail_outbox", "audit_events"]

    /// Row count and SHA-256 of every row (all columns, decoded generically) of each table.
    static func snapshot(_ t: TestApp) async throws -> [String: String] {
        var out: [String: String] = [:]
        for table in tables {
            let rows = try await t.sql.raw("SELECT * FROM \(ident: table)").all()
            var lines: [String] = []
            for row in rows {
                var cells: [String] = []
                for c in row.allColumns.sorted() {
                    if try row.decodeNil(column: c) { cells.append("∅"); continue }
                    if let v = try? row.decode(column: c, as: String.self) { cells.append(v) }
                    else if let v = try? row.decode(column: c, as: Int.self) { cells.append(String(v)) }
                    else if let v = try? row.decode(column: c, as: Double.self) { cells.append(String(v)) }
                    else if let v = try? row.decode(column: c, as: UUID.self) { cells.append(v.uuidString) }
                    else if let v = try? row.decode(column: c, as: Bool.self) { cells.append(String(v)) }
                    else if let v = try? row.decode(column: c, as: Date.self) { cells.append(String(v.timeIntervalSince1970)) }
                    else { cells.append("?") }
                }
                lines.append(cells.joined(separator: "|"))
            }
            let digest = SHA256.hash(data: Data(lines.sorted().joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
            out[table] = "\(rows.count):\(digest)"
        }
        return out
    }

    static func fill(_ s: String, _ ids: [String: String]) -> String {
        var out = s
        for (k, v) in ids { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        while let r = out.range(of: #"\{huge:(\d+)\}"#, options: .regularExpression) {
            let n = Int(out[r].dropFirst(6).dropLast())!
            out.replaceSubrange(r, with: String(repeating: "x", count: n))
        }
        return out
    }

    @Test("is refused with the field named and changes nothing", arguments: cases)
    func refused(c: Case) async throws {
        try await TestApp.run { t in
            let body = try await t.region("17")
            let unit = try await t.unit(body: body)
            let org = try await t.organisation("Kils pensionärer", orgnr: "802000-0009", level: "regional")
            let role = try await t.db.write(as: .system("test")) { ctx in
                let r = try await RoleService.saveRole(nil, ContactRoleBody(title: "Sekreterare", unitId: unit.uuidString), in: ctx)
                _ = try await RoleService.handover(r.id!, HandoverBody(holderName: "Första Innehavaren", startsOn: "2026-03-01"), in: ctx)
                return r.id!
            }
            let admin = try await t.user(.admin)
            let ids = ["org": org.uuidString, "body": body.uuidString, "unit": unit.uuidString, "role": role.uuidString]
            let browser = Browser(t)
            if c.kind == "form" { try await browser.signIn(admin.email) }
            let before = try await Self.snapshot(t)

            let path = Self.fill(c.path, ids)
            let res: TestingHTTPResponse
            if c.kind == "form" {
                res = try await browser.post(path, (c.form ?? [:]).map { ($0.key, Self.fill($0.value, ids)) }.sorted { $0.0 < $1.0 })
            } else if let json = c.json {
                res = try await t.api(HTTPMethod(rawValue: c.method ?? "POST"), path, token: admin.token, rawBody: Self.fill(json.serialized(), ids))
            } else if let csv = c.csv {
                res = try await t.api(HTTPMethod(rawValue: c.method ?? "POST"), path, token: admin.token, rawBody: csv, contentType: "text/csv")
            } else if let raw = c.raw {
                var bytes = Array(Self.fill(raw, ids).utf8)
                if let r = bytes.firstRange(of: Array("{invalidUTF8}".utf8)) { bytes.replaceSubrange(r, with: [0x66, 0xC3, 0x28, 0xFF, 0x6F]) }
                var h = HTTPHeaders()
                h.bearerAuthorization = BearerAuthorization(token: admin.token)
                h.contentType = .json
                res = try await t.send(HTTPMethod(rawValue: c.method ?? "POST"), path, headers: h, body: ByteBuffer(bytes: bytes))
            } else {
                res = try await t.api(HTTPMethod(rawValue: c.method ?? "GET"), path, token: admin.token)
            }

            #expect(Int(res.status.code) == c.status, "\(c.name): status \(res.status.code) \(res.text.prefix(300))")
            if c.kind == "form" {
                // The message sits next to the field, or (for fields without an input, like a stale version) in the
                // form's error summary, or on the error page's list of fields.
                let shown = res.text.contains("id=\"f-\(c.field)-error\"") || res.text.contains("class=\"error-summary\"")
                    || res.text.contains("<li>\(c.field): ")
                #expect(shown, "\(c.name): no message for \(c.field)")
            } else {
                #expect(res.problemFields.contains(c.field), "\(c.name): fields \(res.problemFields)")
                #expect(res.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            }
            let after = try await Self.snapshot(t)
            for table in Self.tables where before[table] != after[table] {
                Issue.record("\(c.name): table \(table) changed")
            }
        }
    }

    @Test("the catalogue covers every category the harness promises")
    func coverage() {
        let names = Self.cases.map(\.name).joined(separator: " ")
        for word in ["orgnr", "date", "negative", "absurd", "10 MB", "UTF-8", "script", "SQL", "unknown", "duplicate", "stale"] {
            #expect(names.contains(word), "no case for \(word)")
        }
        #expect(Self.cases.count >= 40)
    }
}
