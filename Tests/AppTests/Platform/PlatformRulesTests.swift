import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("CSV reader and writer")
struct CSVTests {
    @Test("reads semicolon files with BOM, quotes, CRLF and embedded newlines")
    func semicolonWithBOM() throws {
        var r = try CSVReader(string: "\u{FEFF}namn;kommun\r\n\"Föreningen \"\"Vi\"\"\";Karlstad\r\n\"Rad\nbrytning\";Kil\r\n")
        #expect(r.delimiter == .semicolon)
        #expect(r.header == ["namn", "kommun"])
        #expect(try r.next() == ["Föreningen \"Vi\"", "Karlstad"])
        #expect(r.recordLine == 2)
        #expect(try r.next() == ["Rad\nbrytning", "Kil"])
        #expect(r.recordLine == 3)
        #expect(try r.next() == nil)
    }

    @Test("detects comma and skips blank lines")
    func commaAndBlankLines() throws {
        var r = try CSVReader(string: "code,name\n\n0114,Upplands Väsby\n")
        #expect(r.delimiter == .comma)
        #expect(try r.next() == ["0114", "Upplands Väsby"])
        #expect(try r.next() == nil)
    }

    @Test("reports invalid UTF-8 and unterminated quotes with the line")
    func badInput() throws {
        var r = try CSVReader(source: ByteSource(bytes: Array("a;b\n".utf8) + [0xC3, 0x28] + Array(";x\n".utf8)))
        #expect(throws: CSVError.invalidUTF8(line: 2)) { try r.next() }
        var q = try CSVReader(string: "a;b\n\"open;x\n")
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try q.next() }
        #expect(throws: CSVError.empty) { try CSVReader(string: "") }
    }

    @Test("streams a file larger than its buffer")
    func streamsFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID()).csv").path
        var text = "n;v\n"
        for i in 0..<20_000 { text += "rad \(i);\(i)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var r = try CSVReader(source: try ByteSource.file(path))
        var n = 0
        var last: [String] = []
        while let row = try r.next() { n += 1; last = row }
        #expect(n == 20_000)
        #expect(last == ["rad 19999", "19999"])
    }

    @Test("writer quotes where needed and defuses formulas")
    func writer() {
        let w = CSVWriter(delimiter: .semicolon)
        #expect(w.row(["a;b", "say \"hi\"", "=SUM(A1)", "-12", "-x", "plain"]) == "\"a;b\";\"say \"\"hi\"\"\";'=SUM(A1);'-12;'-x;plain\r\n")
        #expect(w.row(["rad\r\nbrytning", "a\nb", "Åsa, Öland", "x\ry"]) == "\"rad\r\nbrytning\";\"a\nb\";Åsa, Öland;\"x\ry\"\r\n")
        #expect(CSVWriter(delimiter: .comma).row(["Åsa, Öland", "a;b"]) == "\"Åsa, Öland\",a;b\r\n")
    }

    @Test("every text cell that starts like a formula is defused; numeric columns keep their sign only for numbers")
    func formulaInjection() {
        let w = CSVWriter(delimiter: .semicolon)
        let attack = "-2+3+cmd|' /C calc'!A0"
        #expect(w.row([attack]) == "'\(attack)\r\n")
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            #expect(w.row([start + "1+1"]).hasPrefix("\"'") || w.row([start + "1+1"]).hasPrefix("'"), "\(start.debugDescription) not defused")
        }
        #expect(w.row(["-1250.50", "-3", attack, "+7"], numeric: [0, 1, 2, 3]) == "-1250.50;-3;'\(attack);+7\r\n")
        #expect(w.row(["-1250.50"]) == "'-1250.50\r\n")
        #expect(w.row(["Föreningen -2"]) == "Föreningen -2\r\n")
    }
}

@Suite("Swedish text analysis")
struct SwedishAnalyzerTests {
    @Test("stems inflected Swedish words to a common stem", arguments: [
        ("föreningar", "förening"), ("föreningen", "förening"), ("föreningarna", "förening"),
        ("pensionärer", "pensionär"), ("pensionärernas", "pensionär"), ("bidragen", "bidrag"), ("bidrag", "bidrag"),
        ("ungdomarna", "ungdom"), ("kraftfullt", "kraftfull"), ("hopplöst", "hopplös"), ("kvinnlig", "kvinn"),
        ("hästarnas", "häst"), ("trädgårdar", "trädgård"), ("vänligt", "vän"), ("bidragets", "bidraget"), ("kallt", "kallt"),
    ])
    func stems(word: String, stem: String) {
        #expect(SwedishStemmer.stem(word) == stem)
    }

    @Test("keeps å, ä and ö as letters and folds case")
    func letters() {
        #expect(SwedishAnalyzer.words("Värmlands Idéburna ÖSTERÅKER") == ["värmlands", "idéburna", "österåker"])
        #expect(SwedishAnalyzer.words("802000-0009") == ["802000", "0009"])
        // Latin text takes a scalar-by-scalar path; anything else (combining marks, ², «») the general one.
        #expect(SwedishAnalyzer.words("ÆØÅ straße e\u{301}cole x²y «Ärende»-ÅÖ") == ["æøå", "straße", "e\u{301}cole", "x²y", "ärende", "åö"])
        #expect(SwedishAnalyzer.words("Ärende×Åtgärd ÿŸ") == ["ärende", "åtgärd", "ÿÿ"])
    }

    @Test("FTS and tsquery texts contain only quoted words")
    func queries() {
        #expect(SQLiteFTSSearchIndex.ftsQuery("Funktionsrätt \"Värmland\" OR *") == "\"funktionsrät\"* \"värmland\"* \"or\"*")
        #expect(PostgresSearchIndex.tsQuery("pensionärer & ; drop") == "pensionärer:* & drop:*")
        #expect(SQLiteFTSSearchIndex.ftsQuery("  --- ") == nil)
    }

    @Test("Swedish sort order puts å, ä, ö after z")
    func collation() {
        let names = ["Örebro", "Åre", "Zinkgruvan", "Ängelholm", "alingsås"].sorted { SwedishCollation.key($0) < SwedishCollation.key($1) }
        #expect(names == ["alingsås", "Zinkgruvan", "Åre", "Ängelholm", "Örebro"])
    }
}

@Suite("Language negotiation")
struct LanguageTests {
    @Test("query beats cookie beats Accept-Language; Swedish by default")
    func order() {
        #expect(Language.negotiate(query: "en", cookie: "sv", acceptLanguage: "sv") == .en)
        #expect(Language.negotiate(query: nil, cookie: "en", acceptLanguage: "sv") == .en)
        #expect(Language.negotiate(query: nil, cookie: nil, acceptLanguage: "de-DE, en-GB;q=0.8, sv;q=0.5") == .en)
        #expect(Language.negotiate(query: nil, cookie: nil, acceptLanguage: "fr") == .sv)
        #expect(Language.negotiate(query: "xx", cookie: nil, acceptLanguage: nil) == .sv)
    }

    @Test("both languages have the same keys")
    func sameKeys() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Resources/Localization").standardized.path
        let l = try Localizer.load(from: dir)
        #expect(l.missingKeys[.sv] == [])
        #expect(l.missingKeys[.en] == [])
        #expect(l.text("invalid.tooLong", .en, ["200"]) == "At most 200 characters.")
        // `{0:prefix}` shows a vocabulary key as its label; unknown keys show as they are.
        #expect(l.text("invalid.attachmentMissing", .sv, ["verksamhetsberattelse"]) == "Bilaga saknas: Verksamhetsberättelse.")
        #expect(l.text("invalid.attachmentMissing", .en, ["revisionsberattelse"]) == "Attachment missing: Auditor’s report.")
        #expect(l.text("invalid.attachmentMissing", .sv, ["stadgar"]) == "Bilaga saknas: stadgar.")
        // A list is labelled item by item; `{0#one|other}` agrees with the number.
        #expect(l.text("invalid.elig.legalFormNot", .en, ["ideellForening|stiftelse"]) == "The legal form must be one of: Non-profit association, Foundation.")
        #expect(l.text("invalid.elig.activeOk", .sv, ["1", "1"]) == "Verksam i 1 kommun (krav: minst 1).")
        #expect(l.text("invalid.elig.activeOk", .sv, ["3", "2"]) == "Verksam i 3 kommuner (krav: minst 2).")
        #expect(l.text("invalid.elig.activeOk", .en, ["0", "2"]) == "Active in 0 municipalities (required: at least 2).")
    }

    @Test("placeholders are filled in one pass: an argument's own braces stay as they are, odd placeholders stay literal")
    func placeholders() {
        let l = Localizer(tables: [.sv: ["k": "{0} och {1} ({2}) {x} {} {0 {1:färg} {0#kommun|kommuner} {12}", "färg.röd": "Röd"], .en: [:]])
        #expect(l.text("k", .sv, ["{1}", "röd|blå"]) == "{1} och röd|blå ({2}) {x} {} {0 Röd, blå kommuner {12}")
        #expect(l.text("k", .en, ["1", "{0}"]) == "1 och {0} ({2}) {x} {} {0 {0} kommun {12}")
        #expect(l.text("k", .sv) == "{0} och {1} ({2}) {x} {} {0 {1:färg} {0#kommun|kommuner} {12}")
        #expect(l.text("saknas", .sv, ["a"]) == "saknas")
    }
}

@Suite("Duplicate JSON keys")
struct JSONKeyScannerTests {
    @Test("duplicates are found; malformed bodies are left to the decoder instead of crashing the node")
    func scanner() {
        #expect(JSONKeyScanner.firstDuplicate(in: Array(#"{"a":1,"b":{"c":1,"c":2}}"#.utf8)) == "b.c")
        #expect(JSONKeyScanner.firstDuplicate(in: Array(#"{"a":1,"b":2}"#.utf8)) == nil)
        for malformed in ["]", "\u{FFFD}\u{FFFD}]", "}}", "[]]", "{\"a\":1}}"] {
            #expect(JSONKeyScanner.firstDuplicate(in: Array(malformed.utf8)) == nil)
        }
    }
}

@Suite("Text length as the API documents it")
struct TextLengthTests {
    @Test("limits count code points like JSON Schema's maxLength, also in query parameters")
    func codePoints() {
        let zalgo = "o" + String(repeating: "\u{0336}", count: 5)   // one letter on screen, six code points
        #expect(TextRules.length(zalgo) == 6)
        #expect(TextRules.length("Värmland") == 8)
        var e = FieldErrors()
        _ = TextRules.line(zalgo, field: "q", max: 5, errors: &e)
        #expect(e.all.map(\.code) == ["tooLong"])
        #expect(Schema.text(max: 5).violation(zalgo) != nil)
        #expect(Schema.text(max: 6).violation(zalgo) == nil)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("escapes quotes, backslashes, control characters, HTML characters and U+2028/2029; keeps other text")
    func escaping() throws {
        let text = "a\"b\\c\n\r\t\u{01}\u{1F}<>&\u{2028}\u{2029}é–🙂"
        let out = JSONValue.string(text).serialized()
        #expect(out == #""a\"b\\c\n\r\t\u0001\u001f\u003c\u003e\u0026\u2028\u2029é–🙂""#)
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == text)
    }

    @Test("lower-cases identifiers without touching other characters")
    func lowercase() {
        var o = JSONBytes()
        o.escaped("00000DC4-9D5D-4C69", lowercase: true)
        o.escaped("-ÅÄÖ\"")
        #expect(String(decoding: o.bytes, as: UTF8.self) == #"00000dc4-9d5d-4c69-ÅÄÖ\""#)
    }

    @Test("a 360Giving record is valid JSON with lower-case ids, org-ids, whole or decimal kronor and a short title")
    func givingRecord() throws {
        let long = String(repeating: "Läger & utbildning ", count: 10)
        let row = OpenDataService.Row(
            decisionID: "00000DC4-9D5D-4C69-9351-FEF22183A5C5", purpose: long, motivation: "", amountOre: 1_234_550, decidedOn: "2026-03-01",
            year: 2026, diarienummer: "D-1", organisationID: "236439E8-3C6D-4ABB-ABD3-DF5477340283", organisationName: "Föreningen \"Vi\"",
            orgnr: "812015-1207", city: "Torsby", programmeID: "955A8822-9137-4F02-A0FE-A65BFCBCA6BE", programmeName: "Verksamhetsbidrag",
            bodyID: "E3F8DD6A-BCBB-4925-A63B-D5F7C0093065", bodyName: "Region Värmland", bodyOrgnr: nil)
        var o = JSONBytes()
        OpenDataService.writeGivingRecord(row, prefix: "360G-x", to: &o)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(o.bytes)) as? [String: Any])
        #expect(json["id"] as? String == "360G-x-00000dc4-9d5d-4c69-9351-fef22183a5c5")
        #expect((json["title"] as? String)?.count == 138)
        #expect((json["title"] as? String)?.hasSuffix("…") == true)
        #expect(json["description"] as? String == "Verksamhetsbidrag: " + long)
        #expect((json["amountAwarded"] as? NSNumber)?.doubleValue == 12345.5)
        let recipient = try #require((json["recipientOrganization"] as? [[String: Any]])?.first)
        #expect(recipient["id"] as? String == "SE-ON-812015-1207")
        #expect(recipient["name"] as? String == "Föreningen \"Vi\"")
        #expect(recipient["addressLocality"] as? String == "Torsby")
        let funder = try #require((json["fundingOrganization"] as? [[String: Any]])?.first)
        #expect(funder["id"] as? String == "360G-x-funder-e3f8dd6a-bcbb-4925-a63b-d5f7c0093065")
        let dates = try #require((json["plannedDates"] as? [[String: Any]])?.first)
        #expect(dates["startDate"] as? String == "2026-01-01")
        #expect(dates["endDate"] as? String == "2026-12-31")
    }
}

@Suite("UUID text")
struct UUIDTextTests {
    @Test("reads every UUID Foundation writes, in either case, and nothing malformed (stricter than Foundation, which skips leading spaces)")
    func parse() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(UUIDText.parse(id.uuidString) == id)
            #expect(UUIDText.parse(id.uuidString.lowercased()) == id)
        }
        #expect(UUIDText.parse("00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(UUIDText.parse("FFFFFFFF-FFFF-FFFF-ffff-ffffffffffff")?.uuidString == "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")
        let good = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
        for bad in ["", good.dropLast().description, good + "0", good.replacingOccurrences(of: "-", with: "0"),
                    "E621E1F8C36C-495A-93FC-0C247A3E6E5F0", "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6E5Ö",
                    " E621E1F8-C36C-495A-93FC-0C247A3E6E5", "{E621E1F8-C36C-495A-93FC-0C247A3E6E5F}"] {
            #expect(UUIDText.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite("Views written in Swift")
struct HTMLWriterTests {
    @Test("text is escaped as Leaf escapes it, everything else copied as it is, markup only from literals")
    func escaping() {
        var w = HTMLWriter(capacity: 16)
        w.raw("<p title=\"")
        w.text("\"Vi\" & 'de' <andra>")
        w.raw("\">")
        w.text("Förening – Åre ✓")
        w.text("")
        w.text(2026)
        w.raw("</p>")
        #expect(String(buffer: w.buffer) == "<p title=\"&quot;Vi&quot; &amp; &#39;de&#39; &lt;andra&gt;\">Förening – Åre ✓2026</p>")
        // The layout writes the body it is given unchanged and escapes its own data (title, user name, flash message).
        let layout = Layout(title: "<b>Råd</b>", lang: "sv", csrf: "tok\"en", userName: "Anna & Bo", nav: [NavItem(href: "/a?x=1&y=2", label: "A", current: true)],
                            subnav: [], otherLangHref: "/?lang=en", otherLangLabel: "English", otherLang: "en", flash: "<sparat>", year: 2026)
        let html = String(buffer: layout.render(body: ByteBuffer(string: "<h1>Kropp</h1>\n")) { "[\($0)]" })
        #expect(html.contains("<title>&lt;b&gt;Råd&lt;/b&gt; – Samverka</title>"))
        #expect(html.contains("<a href=\"/account\">Anna &amp; Bo</a>") && html.contains("value=\"tok&quot;en\""))
        #expect(html.contains("<li><a href=\"/a?x=1&amp;y=2\" aria-current=\"page\">A</a></li>"))
        #expect(html.contains("<div class=\"flash\" role=\"status\">&lt;sparat&gt;</div>\n\n<h1>Kropp</h1>\n\n</main>"))
        #expect(!html.contains("class=\"subnav\"") && html.contains("[layout.signOut]"))
    }

    @Test("column headings are escaped, the numeric ones right-aligned")
    func columnHeadings() {
        var w = HTMLWriter(capacity: 16)
        w.columnHeadings(["År", "<Belopp>", "Antal"], numeric: [1, 2])
        #expect(String(buffer: w.buffer) == "<th scope=\"col\">År</th><th scope=\"col\" class=\"num\">&lt;Belopp&gt;</th><th scope=\"col\" class=\"num\">Antal</th>")
    }
}

@Suite("URL query values")
struct QueryValueTests {
    @Test("values are decoded (+ and percent escapes), the first of a repeated name wins, odd escapes never throw")
    func decoding() async throws {
        let app = try await Application.make(.testing)
        let req = Request(application: app, method: .GET, url: URI(string: "/x?q=F%C3%B6rening+%C3%85re&q=other&empty=&bare&a%20b=c&year=2026&kind="),
                          on: app.eventLoopGroup.next())
        #expect(req.queryValue("q") == "Förening Åre")
        #expect(req.queryValue("empty") == "" && req.queryValue("bare") == "")
        #expect(req.queryValue("a b") == "c")
        #expect(req.queryValue("missing") == nil)
        #expect(try req.yearParameter() == 2026)
        #expect(try req.uuidParameter("kind") == nil, "an empty value counts as not given")
        #expect(throws: AppError.self) { try req.uuidParameter("q") }
        let odd = Request(application: app, method: .GET, url: URI(string: "/x?bad=%zz&q=%E2%82&year=20%2"), on: app.eventLoopGroup.next())
        #expect(odd.queryValue("bad") != nil && odd.queryValue("q") != nil, "read as given, never a crash")
        #expect(throws: AppError.self) { try odd.yearParameter() }
        try await app.asyncShutdown()
    }
}
