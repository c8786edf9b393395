import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("CSV import and export of organisations", .serialized)
struct ImportTests {
    static let good = """
    namn;organisationsnummer;juridisk form;kommun;verksamhetsområden;medlemmar;e-post;webbplats
    Kils Pensionärsförening;802000-0009;ideell förening;Kil;pensionärer;240;info@kilspf.example;kilspf.example
    "Ungdomens Hus; Karlstad";556012-5790;Stiftelse;1780|Hammarö;youth|culture;;;
    """

    @Test("a good file with Swedish headers is imported completely")
    func importsGoodFile() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let res = try await t.api(.POST, "/api/v1/organisations/import", token: admin.token, rawBody: Self.good, contentType: "text/csv")
            #expect(res.status == .ok)
            let report = try res.decode(ImportReport.self)
            #expect(report.imported == 2)
            #expect(report.committed)
            let orgs = try await t.api(.GET, "/api/v1/organisations?q=ungdomens").decode(Paged<OrganisationDTO>.self).items
            #expect(orgs.first?.municipalities == ["1761", "1780"])
            #expect(orgs.first?.areas == ["culture", "youth"])
            let members = try await t.api(.GET, "/api/v1/organisations?q=kils").decode(Paged<OrganisationDTO>.self).items
            #expect(try await t.api(.GET, "/api/v1/organisations/\(members[0].id)/members").decode([MemberCountDTO].self).first?.total == 240)
        }
    }

    @Test("one bad row rejects the whole file: every bad row is reported and nothing is stored")
    func allOrNothing() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            try await t.organisation("Finns redan", orgnr: "556091-2148")
            let csv = """
            name,orgnr,legalForm,municipality,areas,members,email,website
            Bra förening,802000-0009,ideellForening,1780,youth,10,,
            Fel nummer,556091-2149,ideellForening,1780,,,,
            Okänd kommun,,ideellForening,Atlantis,,,,
            Dubblett,8020000009,ideellForening,1780,,,,
            Finns,556091-2148,ideellForening,1780,,,,
            <b>Skript</b>,,ideellForening,1780,,,,
            Negativ,,ideellForening,1780,,-5,,
            """
            let before = try await t.count("organisations")
            let res = try await t.api(.POST, "/api/v1/organisations/import", token: admin.token, rawBody: csv, contentType: "text/csv")
            #expect(res.status == .unprocessableEntity)
            #expect(res.problemFields == ["rows[3].orgnr", "rows[4].municipalities", "rows[5].orgnr", "rows[6].orgnr", "rows[7].name", "rows[8].members"])
            #expect(try await t.count("organisations") == before)
            #expect(try await t.count("organisation_municipalities") == 0)
        }
    }

    /// Asks the import's page until it no longer runs; the page as it then stands.
    static func finished(_ browser: Browser, _ page: String) async throws -> TestingHTTPResponse {
        for _ in 0..<200 {
            let progress = try await browser.get(page + "/progress")
            #expect(progress.status == .ok)
            if progress.text.contains("\"finished\":true") { return try await browser.get(page) }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("the import did not finish")
        return try await browser.get(page)
    }

    @Test("an import uploaded in the browser runs in the background: its page shows progress, survives a reload, and shows the result; only its owner sees it")
    func browserImportInBackground() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let browser = Browser(t)
            #expect(try await browser.signIn(admin.email).status == .seeOther)
            let rows = (0..<1500).map { "Bakgrundsförening \($0);ideell förening;Kil" }.joined(separator: "\n")
            let up = try await browser.upload("/organisations/import", [], file: ("file", "föreningar.csv", "text/csv", Data(("namn;juridisk form;kommun\n" + rows).utf8)))
            #expect(up.status == .seeOther)
            let page = try #require(up.headers.first(name: .location))
            #expect(page.hasPrefix("/organisations/import/"))
            let first = try await browser.get(page)
            #expect(first.status == .ok)
            #expect(first.text.contains("föreningar.csv"))
            let done = try await Self.finished(browser, page)
            #expect(done.status == .ok)
            #expect(done.text.contains("1\u{00A0}500 organisationer är importerade") || done.text.contains("1500 organisationer är importerade"), "\(done.text.prefix(2000))")
            #expect(!done.text.contains("data-progress-url"), "a finished import is not polled")
            #expect(try await t.count("organisations") >= 1500)
            let task = try #require(try await LongTask.query(on: t.db).first())
            #expect(task.status == "done" && task.done == 1500 && task.total == 1500)
            // A reload shows the same; someone else (even another admin) is told there is no such page.
            #expect(try await browser.get(page).text.contains("organisationer är importerade"))
            let other = Browser(t)
            #expect(try await other.signIn(try await t.user(.admin).email).status == .seeOther)
            #expect(try await other.get(page).status == .notFound)
            #expect(try await other.get(page + "/progress").status == .notFound)
        }
    }

    @Test("a file with bad rows uploaded in the browser ends with every rejected row on its page, and nothing stored")
    func browserImportRejected() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let browser = Browser(t)
            #expect(try await browser.signIn(admin.email).status == .seeOther)
            let before = try await t.count("organisations")
            let csv = "name,orgnr,legalForm,municipality\nBra förening,802000-0009,ideellForening,1780\nFel nummer,556091-2149,ideellForening,1780\nOkänd kommun,,ideellForening,Atlantis\n"
            let up = try await browser.upload("/organisations/import", [], file: ("file", "fel.csv", "text/csv", Data(csv.utf8)))
            let page = try #require(up.headers.first(name: .location))
            let done = try await Self.finished(browser, page)
            #expect(done.status == .unprocessableEntity)
            #expect(done.text.contains("Rader med fel"))
            #expect(done.text.contains("<td>3</td>") && done.text.contains("<td>4</td>"), "both bad rows, by line")
            #expect(!done.text.contains("<td>2</td>"))
            #expect(try await t.count("organisations") == before)
            #expect(try await LongTask.query(on: t.db).first()?.status == "rejected")
        }
    }

    @Test("an import whose node stopped shows as interrupted, with nothing saved")
    func interruptedImport() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let task = LongTask()
            task.kind = OrganisationPages.importKind
            task.title = "stor.csv"
            task.ownerID = admin.id
            task.status = "running"
            task.total = 300_000
            task.done = 1000
            task.result = ""
            task.startedAt = Date().addingTimeInterval(-600)
            task.heartbeatAt = Date().addingTimeInterval(-600)
            try await task.create(on: t.db)
            let browser = Browser(t)
            #expect(try await browser.signIn(admin.email).status == .seeOther)
            let page = try await browser.get("/organisations/import/\(task.id!)")
            #expect(page.text.contains("Importen avbröts"))
            #expect(!page.text.contains("data-progress-url"))
            #expect(try await browser.get("/organisations/import/\(task.id!)/progress").text.contains("\"phase\":\"interrupted\""))
        }
    }

    @Test("the import command runs the same importer on a file")
    func importer() async throws {
        try await TestApp.run { t in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).csv").path
            try ("name;legalForm;municipality\n" + (0..<1200).map { "Förening \($0);ideell förening;Kil" }.joined(separator: "\n")).write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let localizer = t.app.localizer
            let report = try await t.db.write(as: .system("import")) { ctx in
                try await OrganisationImporter.run(try ByteSource.file(path), in: ctx, localizer: localizer)
            }
            #expect(report.imported == 1200)
            #expect(try await t.count("organisations") == 1200)
            #expect(try await t.api(.GET, "/api/v1/organisations?q=förening").decode(Paged<OrganisationDTO>.self).metadata.total == 1200)
        }
    }

    @Test("a file without required columns is refused")
    func missingColumns() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let res = try await t.api(.POST, "/api/v1/organisations/import", token: admin.token, rawBody: "foo;bar\n1;2\n", contentType: "text/csv")
            #expect(res.status == .unprocessableEntity)
            #expect(res.problemFields == ["rows[1].name,legalForm"])
        }
    }

    @Test("CSV export follows the list's filters and round-trips through import")
    func export() async throws {
        try await TestApp.run { t in
            try await t.organisation("Kultur i Kil", orgnr: "802000-0009", areas: ["culture"], municipalities: ["1715"])
            try await t.organisation("Idrott i Luleå", areas: ["sports"], municipalities: ["2580"])
            let res = try await t.api(.GET, "/api/v1/organisations/export.csv?county=17")
            #expect(res.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            let lines = res.text.split(separator: "\r\n")
            #expect(lines.count == 2)
            #expect(lines[1].hasPrefix("Kultur i Kil;802000-0009;ideellForening;local;1715;culture"))
            // The exported file can be imported elsewhere.
            var reader = try CSVReader(string: res.text)
            #expect(reader.header.first == "name")
            #expect(try reader.next()?.first == "Kultur i Kil")
        }
    }

    @Test("the list's download is for people: Swedish headers, labels and names, codes on request, and the file imports back unchanged")
    func exportForPeople() async throws {
        var file = ""
        try await TestApp.run { t in
            try await t.organisation("Kultur i Kil", orgnr: "802000-0009", level: "regional", areas: ["culture", "youth"], municipalities: ["1715", "1780"])
            let res = try await t.send(.GET, "/organisations/export.csv?county=17")
            #expect(res.status == .ok)
            file = res.text
            let lines = res.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasSuffix("namn;organisationsnummer;juridisk form;nivå;kommun;verksamhetsområden;medlemmar;e-post;webbplats;id") == true)
            #expect(lines.dropFirst().first?.hasPrefix("Kultur i Kil;802000-0009;Ideell förening;Regional/distrikt;Kil|Karlstad;") == true)
            let codes = try await t.send(.GET, "/organisations/export.csv?county=17&format=codes")
            #expect(codes.text.split(separator: "\r\n").dropFirst().first?.hasPrefix("Kultur i Kil;802000-0009;ideellForening;regional;1715|1780;culture|youth") == true)
        }
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let res = try await t.api(.POST, "/api/v1/organisations/import", token: admin.token, rawBody: file, contentType: "text/csv")
            #expect(res.status == .ok, "\(res.text)")
            let org = try #require(try await t.api(.GET, "/api/v1/organisations?q=kultur").decode(Paged<OrganisationDTO>.self).items.first)
            #expect(org.legalForm == "ideellForening" && org.level == "regional")
            #expect(org.municipalities == ["1715", "1780"] && org.areas == ["culture", "youth"])
        }
    }
}
