import Fluent
import Vapor

/// `bench-data --orgs N`: a deterministic national-scale data set for the benchmarks.
struct BenchDataCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "orgs", help: "number of organisations (default 300000)") var orgs: Int?
        @Option(name: "csv", help: "write the organisations as an import CSV instead of storing them") var csv: String?
        init() {}
    }
    var help: String { "Generates a deterministic national-scale data set (organisations across all municipalities)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Commands.prepare(app)
        let n = signature.orgs ?? 300_000
        let path = signature.csv ?? FileManager.default.temporaryDirectory.appendingPathComponent("samverka-bench-\(n).csv").path
        let munis = try await Municipality.query(on: app.db).sort(\.$code).all().map(\.name)
        try BenchData.writeCSV(count: n, municipalities: munis, to: path)
        context.console.print("Skrev \(n) organisationer till \(path).")
        if signature.csv != nil { return }
        let localizer = app.localizer
        let report = try await app.db.write(as: .system("bench-data")) { ctx in
            try await OrganisationImporter.run(try ByteSource.file(path), in: ctx, fileName: path, localizer: localizer)
        }
        try? FileManager.default.removeItem(atPath: path)
        context.console.print("Importerade \(report.imported) organisationer.")
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
}
