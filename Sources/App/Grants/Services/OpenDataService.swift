import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// The public register of decided grants, and the 360Giving export (Data Standard 1.4).
enum OpenDataService {
    /// One decision as the export reads it. Identifiers are the stored text (upper case in SQLite); exports
    /// write them in lower case.
    struct Row: Sendable {
        var decisionID: String
        var purpose: String
        var motivation: String
        var amountOre: Int
        var decidedOn: String
        var year: Int
        var diarienummer: String
        var organisationID: String
        var organisationName: String
        var orgnr: String?
        var city: String
        var programmeID: String
        var programmeName: String
        var bodyID: String
        var bodyName: String
        var bodyOrgnr: String?

        var decisionUUID: UUID? { UUID(uuidString: decisionID) }
    }

    /// The register, newest first (then by decision id): one page of it and how many there are in all, or the
    /// whole of it when there is no limit. The database orders and cuts the page.
    static func page(on db: any Database, bodyID: UUID?, year: Int?, limit: Int?, offset: Int) async throws -> (rows: [Row], total: Int) {
        guard let limit else {
            var q = select + from(bodyID: bodyID, programmeID: nil, year: year)
            q += " ORDER BY d.decided_on DESC, d.id DESC"
            let all = try await rows(q, on: db)
            return (all, all.count)
        }
        // The page's decisions are picked first by the decisions' own columns (and the programme's body when
        // filtered), and only those 50 are joined to their organisation, programme and body: a deep page skips
        // thousands of rows, and joining every skipped row was most of the register page's time.
        var pick: SQLQueryString = "SELECT d.id FROM grant_decisions d"
        if bodyID != nil { pick += " JOIN grant_programmes p ON p.id = d.programme_id" }
        pick += " WHERE "
        pick += conditions(bodyID: bodyID, programmeID: nil, year: year)
        pick += " ORDER BY d.decided_on DESC, d.id DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
        var picked = select
        picked += " FROM ("
        picked += pick
        picked += ") k JOIN grant_decisions d ON d.id = k.id " + joins + " ORDER BY d.decided_on DESC, d.id DESC"
        // The page and the total in one trip to the database.
        enum Read: Sendable { case row(Row), total(Int) }
        let read = try await RowReader.rows(on: db, [picked, totalQuery(bodyID: bodyID, year: year)]) { index, r in
            index == 0 ? Read.row(try row(r)) : Read.total(try r.requiredInt("n"))
        }
        var page: [Row] = [], total = 0
        for item in read {
            switch item {
            case .row(let r): page.append(r)
            case .total(let n): total = n
            }
        }
        return (page, total)
    }

    /// How many decisions the register holds, from the counts the database keeps per programme and year
    /// (`GrantsRegisterCounts`): the same at any size of the register.
    static func total(on db: any Database, bodyID: UUID?, year: Int?) async throws -> Int {
        try await RowReader.rows(on: db, totalQuery(bodyID: bodyID, year: year)) { try $0.requiredInt("n") }.first ?? 0
    }

    private static func totalQuery(bodyID: UUID?, year: Int?) -> SQLQueryString {
        var q: SQLQueryString = """
            SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) AS n FROM grant_register_counts c JOIN grant_programmes p ON p.id = c.programme_id
            WHERE c.n > 0
            """
        if let bodyID { q += " AND p.body_id = \(bind: bodyID)" }
        if let year { q += " AND c.year = \(bind: year)" }
        return q
    }

    private static let select: SQLQueryString = """
        SELECT CAST(d.id AS TEXT) AS id, d.purpose AS purpose, d.motivation AS motivation, d.amount_ore AS amount_ore, d.decided_on AS decided_on,
               d.year AS year, d.diarienummer AS diarienummer, CAST(o.id AS TEXT) AS org_id, o.name AS org_name, o.orgnr AS orgnr, o.city AS city,
               CAST(p.id AS TEXT) AS programme_id, p.name AS programme_name, CAST(b.id AS TEXT) AS body_id, b.name AS body_name, b.orgnr AS body_orgnr

        """

    private static func from(bodyID: UUID?, programmeID: UUID?, year: Int?) -> SQLQueryString {
        var q: SQLQueryString = "FROM grant_decisions d "
        q += joins + " WHERE "
        q += conditions(bodyID: bodyID, programmeID: programmeID, year: year)
        return q
    }

    /// A decision's organisation, programme (`p`) and body.
    private static let joins: SQLQueryString = """
        JOIN organisations o ON o.id = d.organisation_id
        JOIN grant_programmes p ON p.id = d.programme_id
        JOIN public_bodies b ON b.id = p.body_id
        """

    /// Public decisions in force with money granted, of decisions `d` (with their programme `p` when narrowed by body).
    private static func conditions(bodyID: UUID?, programmeID: UUID?, year: Int?) -> SQLQueryString {
        var q: SQLQueryString = """
            d.is_public = \(true) AND d.amount_ore > 0
              AND NOT EXISTS (SELECT 1 FROM grant_decisions r WHERE r.replaces_id = d.id)
            """
        if let bodyID { q += " AND p.body_id = \(bind: bodyID)" }
        if let programmeID { q += " AND d.programme_id = \(bind: programmeID)" }
        if let year { q += " AND d.year = \(bind: year)" }
        return q
    }

    private static func rows(_ q: SQLQueryString, on db: any Database) async throws -> [Row] {
        try await RowReader.rows(on: db, q, row)
    }

    @Sendable private static func row(_ r: any ColumnValues) throws -> Row {
        Row(decisionID: try r.required("id"), purpose: try r.required("purpose"), motivation: try r.required("motivation"),
            amountOre: try r.requiredInt("amount_ore"), decidedOn: try r.required("decided_on"), year: try r.requiredInt("year"),
            diarienummer: try r.required("diarienummer"), organisationID: try r.required("org_id"),
            organisationName: try r.required("org_name"), orgnr: r.string("orgnr"), city: try r.required("city"),
            programmeID: try r.required("programme_id"), programmeName: try r.required("programme_name"),
            bodyID: try r.required("body_id"), bodyName: try r.required("body_name"), bodyOrgnr: r.string("body_orgnr"))
    }

    /// Public decisions in force with money granted, in batches ordered by decision id (keyset paging, so
    /// memory stays flat however many there are), narrowed by body, programme or year. The next batch is read
    /// while `body` handles the current one, so the database and the writer work at the same time.
    static func forEachBatch(on db: any Database, bodyID: UUID? = nil, programmeID: UUID? = nil, year: Int? = nil, batch: Int = 2000,
                             _ body: ([Row]) async throws -> Void) async throws {
        @Sendable func fetch(after: UUID?) async throws -> [Row] {
            var q = select + from(bodyID: bodyID, programmeID: programmeID, year: year)
            if let after { q += " AND d.id > \(bind: after)" }
            q += " ORDER BY d.id LIMIT \(literal: batch)"
            return try await rows(q, on: db)
        }
        var next = Task { try await fetch(after: nil) }
        defer { next.cancel() }
        while true {
            let rows = try await next.value
            guard let last = rows.last?.decisionUUID else { break }
            let more = rows.count == batch
            if more { next = Task { try await fetch(after: last) } }
            try await body(rows)
            if !more { break }
        }
    }

    // MARK: 360Giving

    static func orgID(orgnr: String?, fallback: String) -> String {
        if let orgnr, !orgnr.isEmpty { return "SE-ON-\(orgnr)" }
        return fallback
    }

    /// An org-id (`SE-ON-NNNNNN-NNNN`) written as JSON, or the prefixed fallback when there is no orgnr.
    private static func writeOrgID(orgnr: String?, prefix: String, kind: StaticString, id: String, to o: inout JSONBytes) {
        o.raw("\"")
        if let orgnr, !orgnr.isEmpty {
            o.raw("SE-ON-")
            o.escaped(orgnr)
        } else {
            o.escaped(prefix)
            o.raw(kind)
            o.escaped(id, lowercase: true)
        }
        o.raw("\"")
    }

    /// A 360Giving title: at most 140 characters.
    static func title(_ purpose: String) -> String {
        purpose.utf8.count <= 140 || purpose.count <= 140 ? purpose : String(purpose.prefix(137)) + "…"
    }

    /// One grant in 360Giving's JSON form, written straight as bytes: a million of them must export in about
    /// the time SQLite takes to print the rows.
    static func writeGivingRecord(_ r: Row, prefix: String, to o: inout JSONBytes) {
        o.raw("{\"id\":\"")
        o.escaped(prefix)
        o.raw("-")
        o.escaped(r.decisionID, lowercase: true)
        o.raw("\",\"title\":")
        o.string(title(r.purpose))
        o.raw(",\"description\":\"")
        o.escaped(r.programmeName)
        o.raw(": ")
        o.escaped(r.purpose)
        o.raw("\",\"currency\":\"SEK\",\"amountAwarded\":")
        o.raw(r.amountOre % 100 == 0 ? String(r.amountOre / 100) : Money.decimal(r.amountOre))
        o.raw(",\"awardDate\":")
        o.string(r.decidedOn)
        o.raw(",\"recipientOrganization\":[{\"id\":")
        writeOrgID(orgnr: r.orgnr, prefix: prefix, kind: "-org-", id: r.organisationID, to: &o)
        o.raw(",\"name\":")
        o.string(r.organisationName)
        if !r.city.isEmpty {
            o.raw(",\"addressLocality\":")
            o.string(r.city)
        }
        o.raw(",\"addressCountry\":\"SE\"}],\"fundingOrganization\":[{\"id\":")
        writeOrgID(orgnr: r.bodyOrgnr, prefix: prefix, kind: "-funder-", id: r.bodyID, to: &o)
        o.raw(",\"name\":")
        o.string(r.bodyName)
        o.raw("}],\"grantProgramme\":[{\"code\":\"")
        o.escaped(r.programmeID, lowercase: true)
        o.raw("\",\"title\":")
        o.string(r.programmeName)
        o.raw("}],\"plannedDates\":[{\"startDate\":\"")
        o.int(r.year)
        o.raw("-01-01\",\"endDate\":\"")
        o.int(r.year)
        o.raw("-12-31\"}]}")
    }

    static let csvHeader = ["Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date", "Recipient Org:Identifier",
                            "Recipient Org:Name", "Recipient Org:Address Locality", "Recipient Org:Country", "Funding Org:Identifier",
                            "Funding Org:Name", "Grant Programme:Code", "Grant Programme:Title", "Planned Dates:Start Date", "Planned Dates:End Date"]

    static func givingCSVRow(_ r: Row, prefix: String, writer: CSVWriter) -> String {
        writer.row(["\(prefix)-\(r.decisionID.lowercased())", r.purpose, "\(r.programmeName): \(r.purpose)", "SEK",
                    Money.decimal(r.amountOre), r.decidedOn,
                    orgID(orgnr: r.orgnr, fallback: "\(prefix)-org-\(r.organisationID.lowercased())"), r.organisationName, r.city, "SE",
                    orgID(orgnr: r.bodyOrgnr, fallback: "\(prefix)-funder-\(r.bodyID.lowercased())"), r.bodyName,
                    r.programmeID.lowercased(), r.programmeName, "\(r.year)-01-01", "\(r.year)-12-31"], numeric: [4])
    }

    /// Streams the 360Giving data package (JSON) in pieces to `write`.
    static func streamGivingJSON(on db: any Database, prefix: String, publisher: String, _ write: ([UInt8]) async throws -> Void) async throws {
        var header = JSONBytes()
        header.raw("{\"version\":\"1.4\",\"license\":\"https://creativecommons.org/licenses/by/4.0/\",\"publisher\":")
        JSONValue.object([("name", .string(publisher)), ("identifier", .string(prefix))]).write(to: &header)
        header.raw(",\"grants\":[")
        try await write(header.bytes)
        var first = true
        try await forEachBatch(on: db) { rows in
            var chunk = JSONBytes(capacity: rows.count * 800)
            for r in rows {
                if !first { chunk.raw(",") }
                first = false
                writeGivingRecord(r, prefix: prefix, to: &chunk)
            }
            try await write(chunk.bytes)
        }
        try await write(Array("]}".utf8))
    }

    static func streamGivingCSV(on db: any Database, prefix: String, _ write: ([UInt8]) async throws -> Void) async throws {
        let w = CSVWriter(delimiter: .comma)
        try await write(Array(w.row(csvHeader).utf8))
        try await forEachBatch(on: db) { rows in
            var chunk = ""
            for r in rows { chunk += givingCSVRow(r, prefix: prefix, writer: w) }
            try await write(Array(chunk.utf8))
        }
    }

    /// A streamed HTTP response.
    static func streamed(contentType: String, filename: String, _ produce: @escaping @Sendable (([UInt8]) async throws -> Void) async throws -> Void) -> Response {
        let res = Response(status: .ok)
        res.headers.replaceOrAdd(name: .contentType, value: contentType)
        res.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        res.body = .init(asyncStream: { out in
            do {
                try await produce { piece in try await out.writeBuffer(ByteBuffer(bytes: piece)) }
                try await out.write(.end)
            } catch {
                try? await out.write(.error(error))
            }
        })
        return res
    }
}
