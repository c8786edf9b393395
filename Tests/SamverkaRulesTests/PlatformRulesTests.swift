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
    }

    @Test("day arithmetic crosses months and leap years")
    func arithmetic() {
        #expect(LocalDate("2024-03-01")!.adding(days: -1).description == "2024-02-29")
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(LocalDate("2026-01-01")!.days(until: LocalDate("2026-12-31")!) == 364)
        #expect(LocalDate("2026-11-23")!.formatted("sv") == "23 november 2026")
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
