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
