import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// `bench-data --orgs N`: a deterministic national-scale data set for the benchmarks.
struct BenchDataCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "orgs", help: "number of organisations (default 300000)") var orgs: Int?
        @Option(name: "csv", help: "write the organisations as an import CSV instead of storing them") var csv: String?
        @Option(name: "grants", help: "also store this many decided grants (spread over the stored organisations)") var grants: Int?
        @Option(name: "fts-queries", help: "only write, for each search text in this file (one per line), the FTS5 query the app runs for it, to FILE.fts")
        var ftsQueries: String?
        init() {}
    }
    var help: String { "Generates a deterministic national-scale data set (organisations across all municipalities)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if let file = signature.ftsQueries {
            // The benchmark's raw baseline runs the very FTS5 expressions the search builds (same analyser).
            guard let text = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw CommandFailed(description: "Kan inte läsa \(file)")
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            let out = lines.map { SQLiteFTSSearchIndex.ftsQuery(String($0)) ?? "" }.joined(separator: "\n") + "\n"
            guard FileManager.default.createFile(atPath: file + ".fts", contents: Data(out.utf8)) else {
                throw CommandFailed(description: "Kan inte skriva \(file).fts")
            }
            return
        }
        try await Commands.prepare(app)
        let n = signature.orgs ?? 300_000
        let path = signature.csv ?? FileManager.default.temporaryDirectory.appendingPathComponent("samverka-bench-\(n).csv").path
        let munis = try await Municipality.query(on: app.db).sort(\.$code).all().map(\.name)
        try BenchData.writeCSV(count: n, municipalities: munis, to: path)
        context.console.print("Skrev \(n) organisationer till \(path).")
        if signature.csv != nil { return }
        let localizer = app.localizer
        if n > 0 {
            let report = try await app.db.write(as: .system("bench-data")) { ctx in
                try await OrganisationImporter.run(try ByteSource.file(path), in: ctx, fileName: path, localizer: localizer)
            }
            context.console.print("Importerade \(report.imported) organisationer.")
        }
        try? FileManager.default.removeItem(atPath: path)
        if let g = signature.grants, g > 0 {
            let started = Date()
            try await BenchData.storeGrants(count: g, on: app.db)
            context.console.print("Lagrade \(g) beslutade bidrag på \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        }
    }
}

enum BenchData {
    /// A small deterministic generator (SplitMix64) so every run makes the same data.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
    }

    static let words = ["Idrottsförening", "Hembygdsförening", "Pensionärsförening", "Ungdomsklubb", "Kulturförening", "Föreningen för funktionsrätt",
                        "Scoutkår", "Musikförening", "Friluftsförening", "Byalag", "Folkdanslag", "Skytteförening", "Schackklubb", "Fotbollsklubb",
                        "Konstförening", "Teaterförening", "Studiecirkel", "Brukarförening", "Anhörigförening", "Miljöförening", "Församling"]
    static let areas = ["sports", "culture", "pensioners", "youth", "disability", "folkbildning", "social", "environment", "health", "faith"]
    static let forms = ["ideell förening", "ideell förening", "ideell förening", "stiftelse", "ekonomisk förening", "trossamfund"]

    static func writeCSV(count: Int, municipalities: [String], to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { throw CommandFailed(description: "Kan inte skriva \(path)") }
        defer { try? h.close() }
        var rng = Random(state: 20261123)
        let w = CSVWriter(delimiter: .semicolon)
        var buffer = w.row(["namn", "organisationsnummer", "juridisk form", "kommun", "verksamhetsområden", "medlemmar", "e-post", "webbplats"])
        for i in 0..<count {
            let muni = rng.pick(municipalities)
            // 812NNNNNN + Luhn check digit: digits 3–4 are 2x, so every number is a valid legal-entity number.
            let nine = String(format: "812%06d", i)
            let orgnr = nine.prefix(6) + "-" + nine.suffix(3) + String(OrganisationNumber.checkDigit(forFirstNine: nine))
            let area1 = rng.pick(areas), area2 = rng.pick(areas)
            buffer += w.row(["\(muni) \(rng.pick(words)) \(i)", String(orgnr), rng.pick(forms), muni, area1 == area2 ? area1 : "\(area1)|\(area2)",
                             String(rng.next() % 2000), "kontakt\(i)@forening.example", "https://forening\(i).example"])
            if buffer.utf8.count > 1 << 20 {
                h.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        h.write(Data(buffer.utf8))
    }

    /// Stores `count` decided, public grants for the 360Giving export benchmark: one region, one programme,
    /// as many yearly calls as needed (an organisation applies once per call), an application and a decision
    /// per grant. Bulk SQL in batches, bypassing the services: this is load, not behaviour.
    static func storeGrants(count: Int, on db: any Database) async throws {
        let orgs = try await db.sql.raw("SELECT id FROM organisations WHERE deleted_at IS NULL ORDER BY id").all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !orgs.isEmpty else { throw CommandFailed(description: "Inga organisationer: kör bench-data med --orgs först.") }
        let (programmeID, callIDs) = try await db.write(as: .system("bench-data")) { ctx -> (UUID, [UUID]) in
            let county = "17"
            var body = try await PublicBody.query(on: ctx.db).filter(\.$countyCode == county).filter(\.$kind == .region).first()
            if body == nil {
                body = try await StructureService.saveBody(nil, PublicBodyBody(name: "Region Värmland", kind: "region", countyCode: county), in: ctx)
            }
            let bodyID = body!.id!
            let p = try await ProgrammeService.save(nil, ProgrammeBody(bodyId: bodyID.uuidString, name: "Verksamhetsbidrag (benchmark)", kind: "verksamhetsbidrag",
                                                                       purpose: "Belastningstest av 360Giving-exporten.", decisionLevel: "official", paymentModel: "single"), in: ctx)
            var calls: [UUID] = []
            let needed = (count + orgs.count - 1) / orgs.count
            for i in 0..<needed {
                let year = 2026 - i % 27
                let c = try await ProgrammeService.saveCall(nil, CallBody(programmeId: p.id!.uuidString, title: "Verksamhetsbidrag \(year) – omgång \(i + 1)", year: year,
                                                                          opensOn: "\(year)-01-01", closesOn: "\(year)-03-31", budgetTable: false), in: ctx)
                calls.append(c.id!)
            }
            return (p.id!, calls)
        }
        var rng = Random(state: 360)
        let purposes = ["Regional verksamhet för barn och unga", "Föreläsningar om \"psykisk hälsa\" i länet", "Läger & utbildning, Torsby–Karlstad",
                        "Drift av mötesplats för äldre", "Tillgänglighetsanpassning\\lokaler", "Kultur på landsbygden: dans, musik och teater"]
        let now = Date()
        // 400 rows per statement (within every database's limit on binds), 50 statements per transaction: a commit
        // per statement made 1,000,000 grants take about 11 minutes on SQLite.
        let batch = 400, statementsPerTransaction = 50
        var made = 0
        while made < count {
            var statements: [(SQLQueryString, SQLQueryString)] = []
            for _ in 0..<statementsPerTransaction where made < count {
                let size = min(batch, count - made)
                var apps: [(UUID, UUID, UUID, Int)] = []
                apps.reserveCapacity(size)
                for k in 0..<size {
                    let i = made + k
                    apps.append((UUID(), callIDs[i / orgs.count], orgs[i % orgs.count], Int(rng.next() % 500_000 + 5_000) * 100))
                }
                var a = SQLQueryString("INSERT INTO grant_applications (id, call_id, organisation_id, status, answers, budget, requested_ore, activities, payee_account, submitted_at, version, created_at, updated_at) VALUES ")
                for (k, x) in apps.enumerated() {
                    if k > 0 { a += ", " }
                    a += "(\(bind: x.0), \(bind: x.1), \(bind: x.2), 'decided', '{}', '[]', \(bind: x.3), 0, '', \(bind: now), 2, \(bind: now), \(bind: now))"
                }
                var d = SQLQueryString("INSERT INTO grant_decisions (id, application_id, programme_id, organisation_id, year, outcome, amount_ore, conditions, motivation, purpose, decided_on, decision_maker, delegation_level, diarienummer, is_state_aid, is_public, created_at) VALUES ")
                for (k, x) in apps.enumerated() {
                    if k > 0 { d += ", " }
                    let i = made + k
                    let year = 2026 - (i / orgs.count) % 27
                    let purpose = purposes[Int(rng.next() % UInt64(purposes.count))]
                    let day = String(format: "%04d-%02d-%02d", year, Int(rng.next() % 12) + 1, Int(rng.next() % 28) + 1)
                    d += "(\(bind: UUID()), \(bind: x.0), \(bind: programmeID), \(bind: x.2), \(bind: year), 'granted', \(bind: x.3), '', 'Uppfyller villkoren.', \(bind: purpose), \(bind: day), 'Bidragshandläggare', 'official', \(bind: String(format: "BID-%04d-%07d", year, i)), false, true, \(bind: now))"
                }
                statements.append((a, d))
                made += size
            }
            let chunk = statements
            try await db.transaction { tx in
                for (apps, decisions) in chunk {
                    try await tx.sql.raw(apps).run()
                    try await tx.sql.raw(decisions).run()
                }
            }
        }
    }
}
