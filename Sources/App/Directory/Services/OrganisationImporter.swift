import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// CSV import of organisations: streamed, every row validated, all or nothing per file.
///
/// Columns (English or Swedish headers, any order, `;` or `,`): name/namn, orgnr/organisationsnummer,
/// legalForm/juridisk form, municipality/kommun (code or name; several separated by `|`),
/// areas/verksamhetsområden (`|`-separated), members/medlemmar, email/e-post, website/webbplats,
/// and optionally level/nivå (default local) and year/år for the member count (default this year).
enum OrganisationImporter {
    static let columns: [(key: String, names: [String], required: Bool)] = [
        ("name", ["name", "namn", "organisation", "organisationsnamn"], true),
        ("orgnr", ["orgnr", "organisationsnummer", "orgnummer"], false),
        ("legalForm", ["legalform", "juridiskform", "form"], true),
        ("municipality", ["municipality", "municipalities", "kommun", "kommuner"], false),
        ("areas", ["areas", "verksamhetsomraden", "verksamhetsområden", "omraden", "områden"], false),
        ("members", ["members", "medlemmar", "antalmedlemmar"], false),
        ("email", ["email", "epost", "e-post", "mejl"], false),
        ("website", ["website", "webbplats", "hemsida", "webb"], false),
        ("level", ["level", "niva", "nivå"], false),
        ("year", ["year", "ar", "år"], false),
    ]

    static let batchSize = 500
    static let maxReportedErrors = 1000

    /// Runs the import inside `ctx`'s transaction. Throws `ImportRejected` (and so rolls back) when any
    /// row is bad; the report lists every rejected row with its line number and reason.
    static func run(_ source: ByteSource, in ctx: WriteContext, fileName: String = "", localizer: Localizer,
                    progress: @Sendable (Int) -> Void = { _ in }) async throws -> ImportReport {
        try await DatabaseSetup.withBulkWriteCache(on: ctx.sql) {
            try await importRows(source, in: ctx, fileName: fileName, localizer: localizer, progress: progress)
        }
    }

    private static func importRows(_ source: ByteSource, in ctx: WriteContext, fileName: String, localizer: Localizer,
                                   progress: @Sendable (Int) -> Void) async throws -> ImportReport {
        var reader: CSVReader
        do { reader = try CSVReader(source: source) } catch let e as CSVError {
            throw ImportRejected(report: ImportReport(rowsRead: 0, imported: 0, rejected: [RowError(line: 1, field: nil, message: e.description)], committed: false))
        }
        let header = reader.header.map(normalizeWord)
        var index: [String: Int] = [:]
        for c in columns {
            if let i = header.firstIndex(where: { h in c.names.contains { normalizeWord($0) == h } }) { index[c.key] = i }
        }
        let missing = columns.filter { $0.required && index[$0.key] == nil }.map(\.key)
        if !missing.isEmpty {
            throw ImportRejected(report: ImportReport(rowsRead: 0, imported: 0, rejected: [RowError(
                line: 1, field: missing.joined(separator: ","),
                message: "Rubrikraden saknar kolumn: \(missing.joined(separator: ", ")). Förväntade kolumner: name, orgnr, legalForm, municipality, areas, members, email, website.")], committed: false))
        }
        let vocab = try await DirectoryVocabularyService.load(on: ctx.db)
        let year = LocalDate.today().year
        var errors: [RowError] = []
        var seenOrgnr: [String: Int] = [:]
        var batch: [(line: Int, fields: OrganisationFields, members: Int?, year: Int)] = []
        var read = 0
        var imported = 0

        func flush() async throws {
            guard !batch.isEmpty else { return }
            // Duplicates against what is already stored.
            let orgnrs = batch.compactMap(\.fields.orgnr)
            if !orgnrs.isEmpty {
                let existing = try await Organisation.query(on: ctx.db).withDeleted().filter(\.$orgnr ~~ orgnrs).all()
                let taken = Dictionary(existing.compactMap { o in o.orgnr.map { ($0, o.name) } }, uniquingKeysWith: { a, _ in a })
                for row in batch {
                    if let n = row.fields.orgnr, let other = taken[n] {
                        errors.append(RowError(line: row.line, field: "orgnr", message: "Organisationsnumret \(n) finns redan (\(other))."))
                    }
                }
            }
            if errors.isEmpty {
                try await insert(batch, on: ctx.sql, vocabulary: vocab)
                imported += batch.count
            }
            batch.removeAll(keepingCapacity: true)
            progress(read)
        }

        while true {
            let fields: [String]
            do {
                guard let f = try reader.next() else { break }
                fields = f
            } catch let e as CSVError {
                errors.append(RowError(line: reader.recordLine, field: nil, message: e.description))
                break
            }
            read += 1
            let line = reader.recordLine
            func v(_ key: String) -> String? { index[key].flatMap { $0 < fields.count ? fields[$0] : nil } }
            let input = OrganisationInput(
                name: v("name"), orgnr: v("orgnr"), legalForm: v("legalForm"), level: v("level").flatMap { $0.isEmpty ? nil : $0 } ?? "local",
                areas: split(v("areas")), municipalities: split(v("municipality")), email: v("email"), website: v("website"))
            var rowFailed = false
            switch OrganisationRules.validate(input, vocabulary: vocab, currentYear: year) {
            case .failure(let e):
                rowFailed = true
                for fe in e.all where errors.count < maxReportedErrors {
                    errors.append(RowError(line: line, field: fe.field, message: fe.localized(localizer, .sv).message))
                }
            case .success(let fields):
                var members: Int?
                var rowYear = year
                if let raw = v("members")?.filter({ !$0.isWhitespace }), !raw.isEmpty {
                    if let m = Int(raw), m >= 0, m <= 10_000_000 { members = m } else {
                        rowFailed = true
                        errors.append(RowError(line: line, field: "members", message: "Medlemmar måste vara ett heltal mellan 0 och 10 000 000."))
                    }
                }
                if let raw = v("year")?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                    if let y = Int(raw), (1900...year).contains(y) { rowYear = y } else {
                        rowFailed = true
                        errors.append(RowError(line: line, field: "year", message: "Året måste vara mellan 1900 och \(year)."))
                    }
                }
                if let n = fields.orgnr {
                    if let first = seenOrgnr[n] {
                        rowFailed = true
                        errors.append(RowError(line: line, field: "orgnr", message: "Organisationsnumret \(n) förekommer redan på rad \(first)."))
                    } else {
                        seenOrgnr[n] = line
                    }
                }
                if !rowFailed { batch.append((line, fields, members, rowYear)) }
            }
            if batch.count >= batchSize { try await flush() }
        }
        try await flush()
        if !errors.isEmpty {
            let sorted = errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
            throw ImportRejected(report: ImportReport(rowsRead: read, imported: 0, rejected: Array(sorted.prefix(maxReportedErrors)), committed: false))
        }
        ctx.auditSummary("import", "organisation", "", [("file", .string(fileName)), ("rows", .int(imported))])
        return ImportReport(rowsRead: read, imported: imported, rejected: [], committed: true)
    }

    static func split(_ s: String?) -> [String] {
        (s ?? "").split(whereSeparator: { $0 == "|" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Multi-row inserts: organisations, their links, member counts and search documents.
    static func insert(_ rows: [(line: Int, fields: OrganisationFields, members: Int?, year: Int)], on sql: any SQLDatabase,
                       vocabulary: DirectoryVocabularySnapshot) async throws {
        let now = Date()
        var ids: [UUID] = []
        let orgs = sql.insert(into: "organisations").columns(
            "id", "name", "sort_name", "orgnr", "legal_form", "level", "parent_id", "description", "street", "postal_code", "city",
            "email", "phone", "website", "founded_year", "council_memberships", "is_demo", "version", "created_at", "updated_at")
        var areaRows: [(UUID, String)] = []
        var muniRows: [(UUID, String)] = []
        var memberRows: [(UUID, Int, Int)] = []
        var docs: [SearchDocument] = []
        for r in rows {
            let id = UUID()
            ids.append(id)
            let f = r.fields
            orgs.values([id, f.name, SwedishCollation.key(f.name), f.orgnr, f.legalForm.rawValue, f.level.rawValue, f.parentID,
                         f.description, f.street, f.postalCode, f.city, f.email, f.phone, f.website, f.foundedYear,
                         f.councilMemberships.joined(separator: "|"), false, 1, now, now] as [any Encodable & Sendable])
            areaRows += f.areas.map { (id, $0) }
            muniRows += f.municipalities.map { (id, $0) }
            if let m = r.members { memberRows.append((id, r.year, m)) }
            let org = Organisation()
            org.id = id
            org.name = f.name
            org.description = f.description
            org.city = f.city
            org.orgnr = f.orgnr
            docs.append(DirectoryIndexer.organisationDocument(org, areas: f.areas, municipalities: f.municipalities, vocabulary: vocabulary))
        }
        try await orgs.run()
        for chunk in areaRows.chunked(by: 2000) {
            let q = sql.insert(into: "organisation_areas").columns("id", "organisation_id", "area_key")
            for (o, a) in chunk { q.values([UUID(), o, a] as [any Encodable & Sendable]) }
            try await q.run()
        }
        for chunk in muniRows.chunked(by: 2000) {
            let q = sql.insert(into: "organisation_municipalities").columns("id", "organisation_id", "municipality_code")
            for (o, m) in chunk { q.values([UUID(), o, m] as [any Encodable & Sendable]) }
            try await q.run()
        }
        for chunk in memberRows.chunked(by: 2000) {
            let q = sql.insert(into: "member_counts").columns("id", "organisation_id", "year", "municipality_code", "total", "young")
            for (o, y, m) in chunk { q.values([UUID(), o, y, String?.none, m, Int?.none] as [any Encodable & Sendable]) }
            try await q.run()
        }
        try await SearchIndexes.forDatabase(sql).upsert(docs, on: sql)
    }
}
