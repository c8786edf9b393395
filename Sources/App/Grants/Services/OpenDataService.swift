import Fluent
import SQLKit
import Vapor

/// The public register of decided grants, and the 360Giving export (Data Standard 1.4).
enum OpenDataService {
    struct Row: Sendable {
        var decisionID: UUID
        var purpose: String
        var motivation: String
        var amountOre: Int
        var decidedOn: String
        var year: Int
        var diarienummer: String
        var organisationID: UUID
        var organisationName: String
        var orgnr: String?
        var city: String
        var programmeID: UUID
        var programmeName: String
        var bodyID: UUID
        var bodyName: String
        var bodyOrgnr: String?
    }

    /// Public decisions in force with money granted, in batches ordered by decision id (keyset paging, so
    /// memory stays flat however many there are). `filter` narrows by body or programme.
    static func forEachBatch(on db: any Database, bodyID: UUID? = nil, programmeID: UUID? = nil, year: Int? = nil, batch: Int = 1000,
                             _ body: ([Row]) async throws -> Void) async throws {
        let sql = db.sql
        var after: UUID?
        while true {
            var q: SQLQueryString = """
                SELECT d.id AS id, d.purpose AS purpose, d.motivation AS motivation, d.amount_ore AS amount_ore, d.decided_on AS decided_on,
                       d.year AS year, d.diarienummer AS diarienummer, o.id AS org_id, o.name AS org_name, o.orgnr AS orgnr, o.city AS city,
                       p.id AS programme_id, p.name AS programme_name, b.id AS body_id, b.name AS body_name, b.orgnr AS body_orgnr
                FROM grant_decisions d
                JOIN organisations o ON o.id = d.organisation_id
                JOIN grant_programmes p ON p.id = d.programme_id
                JOIN public_bodies b ON b.id = p.body_id
                WHERE d.is_public = \(bind: true) AND d.amount_ore > 0
                  AND NOT EXISTS (SELECT 1 FROM grant_decisions r WHERE r.replaces_id = d.id)
                """
            if let bodyID { q += " AND p.body_id = \(bind: bodyID)" }
            if let programmeID { q += " AND p.id = \(bind: programmeID)" }
            if let year { q += " AND d.year = \(bind: year)" }
            if let after { q += " AND d.id > \(bind: after)" }
            q += " ORDER BY d.id LIMIT \(literal: batch)"
            let rows = try await sql.raw(q).all()
            if rows.isEmpty { break }
            var out: [Row] = []
            out.reserveCapacity(rows.count)
            for r in rows {
                out.append(Row(
                    decisionID: try r.decode(column: "id", as: UUID.self), purpose: try r.decode(column: "purpose", as: String.self),
                    motivation: try r.decode(column: "motivation", as: String.self), amountOre: try r.decode(column: "amount_ore", as: Int.self),
                    decidedOn: try r.decode(column: "decided_on", as: String.self), year: try r.decode(column: "year", as: Int.self),
                    diarienummer: try r.decode(column: "diarienummer", as: String.self), organisationID: try r.decode(column: "org_id", as: UUID.self),
                    organisationName: try r.decode(column: "org_name", as: String.self), orgnr: try r.decode(column: "orgnr", as: String?.self),
                    city: try r.decode(column: "city", as: String.self), programmeID: try r.decode(column: "programme_id", as: UUID.self),
                    programmeName: try r.decode(column: "programme_name", as: String.self), bodyID: try r.decode(column: "body_id", as: UUID.self),
                    bodyName: try r.decode(column: "body_name", as: String.self), bodyOrgnr: try r.decode(column: "body_orgnr", as: String?.self)))
            }
            try await body(out)
            if rows.count < batch { break }
            after = out.last?.decisionID
        }
    }

    // MARK: 360Giving

    static func orgID(orgnr: String?, fallback: String) -> String {
        if let orgnr, !orgnr.isEmpty { return "SE-ON-\(orgnr)" }
        return fallback
    }

    /// One grant in 360Giving's JSON form.
    static func givingRecord(_ r: Row, prefix: String) -> JSONValue {
        let title = r.purpose.count > 140 ? String(r.purpose.prefix(137)) + "…" : r.purpose
        return .object([
            ("id", .string("\(prefix)-\(r.decisionID.uuidString.lowercased())")),
            ("title", .string(title)),
            ("description", .string("\(r.programmeName): \(r.purpose)")),
            ("currency", "SEK"),
            ("amountAwarded", r.amountOre % 100 == 0 ? .int(r.amountOre / 100) : .double(Double(r.amountOre) / 100)),
            ("awardDate", .string(r.decidedOn)),
            ("recipientOrganization", .array([.object([
                ("id", .string(orgID(orgnr: r.orgnr, fallback: "\(prefix)-org-\(r.organisationID.uuidString.lowercased())"))),
                ("name", .string(r.organisationName)),
            ] + (r.city.isEmpty ? [] : [("addressLocality", .string(r.city))]) + [("addressCountry", "SE")])])),
            ("fundingOrganization", .array([.object([
                ("id", .string(orgID(orgnr: r.bodyOrgnr, fallback: "\(prefix)-funder-\(r.bodyID.uuidString.lowercased())"))),
                ("name", .string(r.bodyName)),
            ])])),
            ("grantProgramme", .array([.object([("code", .string(r.programmeID.uuidString.lowercased())), ("title", .string(r.programmeName))])])),
            ("plannedDates", .array([.object([("startDate", .string("\(r.year)-01-01")), ("endDate", .string("\(r.year)-12-31"))])])),
        ])
    }

    static let csvHeader = ["Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date", "Recipient Org:Identifier",
                            "Recipient Org:Name", "Recipient Org:Address Locality", "Recipient Org:Country", "Funding Org:Identifier",
                            "Funding Org:Name", "Grant Programme:Code", "Grant Programme:Title", "Planned Dates:Start Date", "Planned Dates:End Date"]

    static func givingCSVRow(_ r: Row, prefix: String, writer: CSVWriter) -> String {
        writer.row(["\(prefix)-\(r.decisionID.uuidString.lowercased())", r.purpose, "\(r.programmeName): \(r.purpose)", "SEK",
                    Money.decimal(r.amountOre), r.decidedOn,
                    orgID(orgnr: r.orgnr, fallback: "\(prefix)-org-\(r.organisationID.uuidString.lowercased())"), r.organisationName, r.city, "SE",
                    orgID(orgnr: r.bodyOrgnr, fallback: "\(prefix)-funder-\(r.bodyID.uuidString.lowercased())"), r.bodyName,
                    r.programmeID.uuidString.lowercased(), r.programmeName, "\(r.year)-01-01", "\(r.year)-12-31"])
    }

    /// Streams the 360Giving data package (JSON) in pieces to `write`.
    static func streamGivingJSON(on db: any Database, prefix: String, publisher: String, _ write: (String) async throws -> Void) async throws {
        var header = "{\"version\":\"1.4\",\"license\":\"https://creativecommons.org/licenses/by/4.0/\",\"publisher\":"
        header += JSONValue.object([("name", .string(publisher)), ("identifier", .string(prefix))]).serialized()
        header += ",\"grants\":["
        try await write(header)
        var first = true
        try await forEachBatch(on: db) { rows in
            var chunk = ""
            chunk.reserveCapacity(rows.count * 700)
            for r in rows {
                if !first { chunk += "," }
                first = false
                chunk += givingRecord(r, prefix: prefix).serialized()
            }
            try await write(chunk)
        }
        try await write("]}")
    }

    static func streamGivingCSV(on db: any Database, prefix: String, _ write: (String) async throws -> Void) async throws {
        let w = CSVWriter(delimiter: .comma)
        try await write(w.row(csvHeader))
        try await forEachBatch(on: db) { rows in
            var chunk = ""
            for r in rows { chunk += givingCSVRow(r, prefix: prefix, writer: w) }
            try await write(chunk)
        }
    }

    /// A streamed HTTP response.
    static func streamed(contentType: String, filename: String, _ produce: @escaping @Sendable ((String) async throws -> Void) async throws -> Void) -> Response {
        let res = Response(status: .ok)
        res.headers.replaceOrAdd(name: .contentType, value: contentType)
        res.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        res.body = .init(asyncStream: { out in
            do {
                try await produce { piece in try await out.writeBuffer(ByteBuffer(string: piece)) }
                try await out.write(.end)
            } catch {
                try? await out.write(.error(error))
            }
        })
        return res
    }
}
