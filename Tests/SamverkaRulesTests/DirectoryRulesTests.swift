import Foundation
import Testing
@testable import SamverkaRules

@Suite("Organisationsnummer")
struct OrganisationNumberTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String, valid: Bool, normalized: String, reason: String
        var testDescription: String { "\"\(input)\"" }
    }

    static let cases: [Case] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../AppTests/Fixtures/orgnr-cases.csv").standardized.path
        let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(whereSeparator: \.isNewline).dropFirst() ?? []
        return lines.map { line in
            let row = Self.fields(String(line))
            return Case(input: row[0], valid: row[1] == "true", normalized: row[2], reason: row[3])
        }
    }()

    /// One line of the fixture: comma-separated, a field may be quoted.
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { out.append(cur); cur = "" } else { cur.append(ch) }
        }
        out.append(cur)
        return out
    }

    @Test("the shared test file has all 27 cases")
    func fileComplete() { #expect(Self.cases.count == 27) }

    @Test("every case behaves as the file says", arguments: cases)
    func behaves(c: Case) {
        switch OrganisationNumber.parse(c.input) {
        case .success(let n):
            #expect(c.valid, "accepted an invalid number")
            #expect(n.normalized == c.normalized)
        case .failure(let f):
            #expect(!c.valid, "refused a valid number: \(f)")
            #expect(c.reason.hasPrefix(f.rawValue), "reason \(f.rawValue) vs \(c.reason)")
        }
    }

    @Test("digits that are not ASCII digits are refused, never a crash", arguments: [
        "556091\u{0301}-2148", "5\u{0301}56091-2148", "556091-2148\u{20DD}", "٥٥٦٠٩١-٢١٤٨", "５５６０９１-２１４８",
        "556091-214\u{0}8", "55609１-2148", "\u{0301}", "--------", "16-------",
    ])
    func oddDigits(input: String) {
        if case .success = OrganisationNumber.parse(input) { Issue.record("accepted \(input.unicodeScalars.map { String($0.value, radix: 16) })") }
    }

    @Test("check digits generated for demo data are valid")
    func generatedCheckDigits() {
        for serial in [1, 42, 99_999] {
            let nine = "8029" + String(format: "%05d", serial)
            let n = nine + String(OrganisationNumber.checkDigit(forFirstNine: nine))
            #expect((try? OrganisationNumber.parse(n).get()) != nil)
        }
    }
}

@Suite("Organisation rules")
struct OrganisationRulesTests {
    let vocab = DirectoryVocabularySnapshot(
        areaKeys: ["youth", "pensioners"], areaNames: ["barn och unga": "youth", "pensionärer": "pensioners"],
        municipalityCodes: ["1780", "1715"], municipalityNames: ["karlstad": "1780", "kil": "1715"])

    @Test("accepts names of municipalities and areas and normalises")
    func accepts() throws {
        let input = OrganisationInput(name: " Kils IF ", orgnr: "16802000-0009", legalForm: "Ideell förening", level: "lokal",
                                      areas: ["Barn och unga", "youth"], municipalities: ["Karlstads kommun", "1715"])
        let f = try OrganisationRules.validate(input, vocabulary: vocab, currentYear: 2026).get()
        #expect(f.name == "Kils IF")
        #expect(f.orgnr == "802000-0009")
        #expect(f.legalForm == .ideellForening)
        #expect(f.level == .local)
        #expect(f.areas == ["youth"])
        #expect(f.municipalities == ["1780", "1715"])
    }

    @Test("reports every bad field at once")
    func reportsAll() {
        let input = OrganisationInput(name: "", orgnr: "556091-2149", legalForm: "bolag", level: nil, areas: ["astrologi"],
                                      municipalities: ["Atlantis"], email: "nope", foundedYear: "1700")
        guard case .failure(let e) = OrganisationRules.validate(input, vocabulary: vocab, currentYear: 2026) else {
            Issue.record("expected failure"); return
        }
        #expect(Set(e.all.map(\.field)) == ["name", "orgnr", "legalForm", "level", "areas", "municipalities", "email", "foundedYear"])
        #expect(e.all.first { $0.field == "orgnr" }?.code == "orgnr.checkDigit")
    }

    @Test("a district belongs to a national organisation, a local branch to a district")
    func parents() {
        let p = UUID(), child = UUID()
        #expect(OrganisationRules.checkParent(childID: nil, level: .regional, parent: (p, .national), parentRequested: true, ancestorsOfParent: [p]).isEmpty)
        #expect(OrganisationRules.checkParent(childID: nil, level: .local, parent: (p, .national), parentRequested: true, ancestorsOfParent: [p]).all.first?.code == "parentLevel.local")
        #expect(OrganisationRules.checkParent(childID: nil, level: .national, parent: (p, .national), parentRequested: true, ancestorsOfParent: [p]).all.first?.code == "parentForNational")
        #expect(OrganisationRules.checkParent(childID: child, level: .regional, parent: (p, .national), parentRequested: true, ancestorsOfParent: [p, child]).all.first?.code == "parentCycle")
        #expect(OrganisationRules.checkParent(childID: nil, level: .local, parent: nil, parentRequested: true, ancestorsOfParent: []).all.first?.code == "parentMissing")
    }

    @Test("member counts: young members cannot exceed the total, years are unique")
    func members() {
        let rows = [MemberCountInput(year: "2025", total: "199", young: "250"), MemberCountInput(year: "2025", total: "10"),
                    MemberCountInput(year: "abc", total: "1")]
        guard case .failure(let e) = MemberCountRules.validate(rows, vocabulary: vocab, currentYear: 2026) else { Issue.record("expected failure"); return }
        #expect(e.all.map(\.code).contains("youngOverTotal"))
        #expect(e.all.map(\.code).contains("duplicateYear"))
        #expect(e.all.map(\.code).contains("integer"))
    }
}

@Suite("Density and structure rules")
struct DensityRulesTests {
    @Test("density is organisations ÷ population × 1,000 (Torsby's 59 per 1,000)")
    func density() {
        #expect(DensityRow(code: "1737", name: "Torsby", organisations: 678, population: 11_500).perThousand! > 58.9)
        #expect(DensityRow(code: "1737", name: "Torsby", organisations: 678, population: 11_500).perThousand! < 59.0)
        #expect(DensityRow(code: "x", name: "x", organisations: 5, population: nil).perThousand == nil)
        #expect(DensityRow(code: "x", name: "x", organisations: 5, population: 0).perThousand == nil)
        #expect(DensityRules.format(29.66, lang: "sv") == "29,7")
        #expect(DensityRules.format(29.66, lang: "en") == "29.7")
        // Small densities keep two significant digits instead of showing "0,0".
        #expect(DensityRules.format(0.0421, lang: "sv") == "0,042")
        #expect(DensityRules.format(0.38, lang: "sv") == "0,38")
        #expect(DensityRules.format(0, lang: "sv") == "0")
    }

    @Test("sorting puts unknown densities last in both directions")
    func sorting() {
        let rows = [DensityRow(code: "a", name: "Kil", organisations: 240, population: 12_000),
                    DensityRow(code: "b", name: "Åmål", organisations: 1, population: nil),
                    DensityRow(code: "c", name: "Hammarö", organisations: 250, population: 16_900)]
        #expect(DensityRules.sorted(rows, by: .density, descending: true).map(\.name) == ["Kil", "Hammarö", "Åmål"])
        #expect(DensityRules.sorted(rows, by: .density, descending: false).map(\.name) == ["Hammarö", "Kil", "Åmål"])
        #expect(DensityRules.sorted(rows, by: .name, descending: false).map(\.name) == ["Hammarö", "Kil", "Åmål"])
    }

    @Test("bar chart scales to the largest value")
    func chart() {
        let c = BarChart.make([("A", 59, "59"), ("B", 29.5, "29,5"), ("C", 0, "0")], plotWidth: 400)
        #expect(c.bars.map(\.width) == [400, 200, 0])
    }

    @Test("a handover ends the current tenure the day before; periods cannot end before they start")
    func handover() {
        let r = StructureRules.handover(currentStart: LocalDate("2024-01-01"), newStart: LocalDate("2026-03-01")!)
        #expect(r.endCurrentOn?.description == "2026-02-28")
        #expect(StructureRules.handover(currentStart: LocalDate("2026-03-01"), newStart: LocalDate("2026-03-01")!).error == "handoverBeforeStart")
        var e = FieldErrors()
        StructureRules.checkPeriod(start: LocalDate("2026-01-02"), end: LocalDate("2026-01-01"), endField: "endsOn", errors: &e)
        #expect(e.all.first?.code == "endBeforeStart")
        let a = UUID(), b = UUID(), c = UUID()
        #expect(StructureRules.ancestors(of: c, parents: [c: b, b: a]) == [c, b, a])
        #expect(StructureRules.parentCreatesCycle(unitID: a, ancestorsOfNewParent: [c, b, a]))
    }
}
