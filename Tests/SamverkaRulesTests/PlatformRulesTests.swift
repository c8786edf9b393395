import Foundation
import Testing
@testable import SamverkaRules

@Suite("Dates")
struct LocalDateTests {
    @Test("parses real dates only")
    func parse() {
        #expect(LocalDate("2026-02-28") != nil)
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2026-13-01") == nil)
        #expect(LocalDate("26-01-01") == nil)
        #expect(LocalDate("2026-1-01") == nil)
        #expect(LocalDate("２０２６-01-01") == nil)
        for bad in ["", "2026-01-011", "2026-01-01 ", " 2026-01-01", "2026/01/01", "2026-0a-01", "2026-01-0", "-2026-01-1", "2026--01-01", "2026-01-01\u{0}"] {
            #expect(LocalDate(bad) == nil, "\(bad)")
        }
        #expect(LocalDate("1999-12-31").map { [$0.year, $0.month, $0.day] } == [1999, 12, 31])
        #expect(LocalDate("2026-07-04")?.description == "2026-07-04")
    }

    @Test("day arithmetic crosses months and leap years")
    func arithmetic() {
        #expect(LocalDate("2024-03-01")!.adding(days: -1).description == "2024-02-29")
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(LocalDate("2026-01-01")!.days(until: LocalDate("2026-12-31")!) == 364)
        #expect(LocalDate("2026-11-23")!.formatted("sv") == "23 november 2026")
    }

    @Test("a moment's day in Stockholm agrees with the calendar, around midnight and the summer-time changes")
    func dayOfMoment() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .stockholm
        func byCalendar(_ date: Date) -> String {
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
        // Every 20 minutes over the days of both 2026 changes (29 March, 25 October) and a new year in winter time.
        let starts = ["2026-03-27T12:00:00Z", "2026-10-23T12:00:00Z", "2025-12-30T12:00:00Z", "2024-02-28T12:00:00Z"]
        let iso = ISO8601DateFormatter()
        for start in starts {
            let from = try #require(iso.date(from: start))
            for step in 0..<(4 * 24 * 3) {
                let moment = from.addingTimeInterval(Double(step) * 1_200)
                #expect(LocalDate(moment).description == byCalendar(moment), "at \(moment)")
            }
        }
        // 23:30 UTC on 31 December is already the new year in Stockholm; in UTC it is not.
        let lateUTC = try #require(iso.date(from: "2026-12-31T23:30:00Z"))
        #expect(LocalDate(lateUTC).description == "2027-01-01")
        #expect(LocalDate(lateUTC, timeZone: try #require(TimeZone(identifier: "UTC"))).description == "2026-12-31")
        // Moments no calendar day holds do not stop the node.
        #expect(LocalDate(Date(timeIntervalSince1970: .nan)).description == "1970-01-01")
        #expect(LocalDate(Date.distantFuture.addingTimeInterval(1e15)).description == "1970-01-01")
    }
}

@Suite("Text rules")
struct TextRulesTests {
    @Test("refuses markup, control characters and over-long text")
    func lines() {
        var e = FieldErrors()
        _ = TextRules.line("<script>alert(1)</script>", field: "a", max: 100, errors: &e)
        _ = TextRules.line("ok <3 and 2 < 5", field: "b", max: 100, errors: &e)
        _ = TextRules.line("nul\u{0}byte", field: "c", max: 100, errors: &e)
        _ = TextRules.line(String(repeating: "x", count: 101), field: "d", max: 100, errors: &e)
        _ = TextRules.line("", field: "e", max: 100, required: true, errors: &e)
        _ = TextRules.line("javascript:alert(1)", field: "f", max: 100, errors: &e)
        #expect(e.all.map(\.field) == ["a", "c", "d", "e", "f"])
        #expect(e.all.map(\.code) == ["markup", "controlCharacters", "tooLong", "required", "markup"])
    }

    @Test("normalises postcodes, websites and e-mail")
    func normalises() {
        var e = FieldErrors()
        #expect(TextRules.postalCode("65184", field: "p", errors: &e) == "651 84")
        #expect(TextRules.website("www.regionvarmland.se", field: "w", errors: &e) == "https://www.regionvarmland.se")
        #expect(TextRules.email(" Info@Forening.SE ", field: "m", errors: &e) == "info@forening.se")
        #expect(e.isEmpty)
        _ = TextRules.email("not-an-address", field: "m2", errors: &e)
        _ = TextRules.postalCode("1234", field: "p2", errors: &e)
        _ = TextRules.phone("call me", field: "t", errors: &e)
        #expect(e.all.map(\.field) == ["m2", "p2", "t"])
    }
}

@Suite("Safe redirects")
struct SafeRedirectTests {
    @Test("only same-site paths are followed", arguments: [
        ("/organisations?q=x", "/organisations?q=x"), ("//evil.example", "/"), ("https://evil.example", "/"),
        ("/\\evil.example", "/"), ("/%2F%2Fevil.example", "/"), ("javascript:alert(1)", "/"), ("", "/"), ("/sign-in", "/"),
    ])
    func redirects(input: String, expected: String) {
        #expect(SafeRedirect.path(input) == expected)
    }
}

@Suite("Import progress")
struct ImportProgressTests {
    @Test("the line gives rows done of the total, the rate and the time left at that rate")
    func line() {
        let p = ImportProgress(done: 12_000, total: 300_000, elapsed: 2)
        #expect(p.rowsPerSecond == 6_000)
        #expect(p.secondsLeft == 48)
        #expect(p.percent == 4)
        #expect(p.line(lang: "sv") == "12\u{00A0}000 av 300\u{00A0}000 rader (4 %) · 6\u{00A0}000 rader/s · cirka 48 s kvar")
        #expect(p.line(lang: "en") == "12,000 of 300,000 rows (4 %) · 6,000 rows/s · about 48 s left")
    }

    @Test("no rate before there is anything to measure; an underestimated total never goes past 100 % or below 0 s")
    func edges() {
        #expect(ImportProgress(done: 0, total: 100, elapsed: 0).line(lang: "sv") == "0 av 100 rader (0 %)")
        let over = ImportProgress(done: 120, total: 100, elapsed: 4)
        #expect(over.percent == 100 && over.secondsLeft == 0)
        #expect(ImportProgress(done: 500, total: nil, elapsed: 10).line(lang: "en") == "500 rows · 50 rows/s")
        #expect(ImportProgress.duration(75) == "1 min 15 s")
    }
}
