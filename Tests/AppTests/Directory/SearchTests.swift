import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

@Suite("Full-text search (SQLite FTS5 or PostgreSQL tsvector)", .serialized)
struct SearchTests {
    @Test("finds inflected Swedish forms, ignores case, ranks name matches first")
    func swedishSearch() async throws {
        try await TestApp.run { t in
            try await t.organisation("Pensionärsföreningen i Kil", municipalities: ["1715"], description: "Träffar för äldre")
            try await t.organisation("Kils Idrottsförening", areas: ["sports"], municipalities: ["1715"], description: "Vi samarbetar med pensionärerna i kommunen")
            try await t.organisation("Schackklubben", description: "Schack")
            let res = try await t.api(.GET, "/api/v1/organisations?q=PENSIONÄRER")
            let names = try res.decode(Paged<OrganisationDTO>.self).items.map(\.name)
            #expect(names.count == 2)
            #expect(names.first == "Pensionärsföreningen i Kil")
            let orgnrHit = try await t.api(.GET, "/api/v1/organisations?q=idrottsföreningar")
            #expect(try orgnrHit.decode(Paged<OrganisationDTO>.self).items.map(\.name) == ["Kils Idrottsförening"])
        }
    }

    @Test("filters combine with search: area, municipality, county, legal form, level")
    func filters() async throws {
        try await TestApp.run { t in
            try await t.organisation("Ungdom Karlstad", legalForm: "ideellForening", level: "local", areas: ["youth"], municipalities: ["1780"])
            try await t.organisation("Ungdom Luleå", legalForm: "stiftelse", level: "regional", areas: ["youth"], municipalities: ["2580"])
            try await t.organisation("Kultur Karlstad", areas: ["culture"], municipalities: ["1780"])
            func names(_ q: String) async throws -> [String] {
                try await t.api(.GET, "/api/v1/organisations?\(q)").decode(Paged<OrganisationDTO>.self).items.map(\.name).sorted()
            }
            #expect(try await names("q=ungdom&county=17") == ["Ungdom Karlstad"])
            #expect(try await names("area=youth") == ["Ungdom Karlstad", "Ungdom Luleå"])
            #expect(try await names("municipality=1780") == ["Kultur Karlstad", "Ungdom Karlstad"])
            #expect(try await names("legalForm=stiftelse") == ["Ungdom Luleå"])
            #expect(try await names("level=regional&area=youth") == ["Ungdom Luleå"])
            #expect(try await t.api(.GET, "/api/v1/organisations?legalForm=bolag").status == .badRequest)
        }
    }

    /// The filtered fixtures' municipalities (counties 17, 25 and 01), areas, legal forms and levels.
    static let munis = ["1780", "1715", "2580", "0180"], areas = ["youth", "sports", "culture"]
    static let forms = ["ideellForening", "stiftelse"], levels = ["local", "regional"]

    /// Filter combinations (municipality, county, area, legal form, level): each alone, pairs, a municipality
    /// outside its county, and three at once.
    static let filters: [(String, String, String, String, String)] = [
        ("1780", "", "", "", ""), ("", "17", "", "", ""), ("", "", "youth", "", ""), ("", "", "", "stiftelse", ""), ("", "", "", "", "regional"),
        ("1715", "", "sports", "", ""), ("1780", "17", "", "ideellForening", "local"), ("", "25", "culture", "", "regional"), ("2580", "17", "", "", ""),
        ("", "01", "", "stiftelse", ""),
    ]

    @Test("a search with filters finds exactly the search's matches that pass the filters, in the search's order, with their total, and exports them in that order")
    func filteredSearchIsTheSearchNarrowed() async throws {
        try await TestApp.run { t in
            let (munis, areas, forms, levels) = (Self.munis, Self.areas, Self.forms, Self.levels)
            var ids: [UUID] = []
            for i in 0..<36 {
                let name = i % 3 == 0 ? "Idrottsföreningen \(i)" : (i % 3 == 1 ? "Idrott och kultur \(i)" : "Kulturhuset \(i)")
                ids.append(try await t.organisation(name, legalForm: forms[i % 2], level: levels[(i / 2) % 2], areas: [areas[i % 3], areas[(i / 3) % 3]],
                                                    municipalities: [munis[i % 4]] + (i % 5 == 0 ? [munis[(i + 1) % 4]] : []),
                                                    description: i % 4 == 0 ? "Idrott för alla" : ""))
            }
            let deleted = ids[6]
            try await t.db.write(as: .system("test")) { ctx in try await OrganisationService.delete(deleted, version: nil, in: ctx) }
            let all = App.PageRequest(page: 1, per: 200)
            for q in ["idrott", "kultur", "idr"] {
                var text = OrganisationFilter()
                text.q = q
                let ranked = try await OrganisationQueries.searchIDs(text, page: all, on: t.db).ids
                #expect(!ranked.contains(deleted))
                #expect(try await Self.exported(text, on: t.db) == ranked)
                for (m, c, a, f, l) in Self.filters {
                    var only = OrganisationFilter(area: a, municipality: m, county: c, legalForm: f, level: l)
                    let passing = Set(try await OrganisationQueries.searchIDs(only, page: all, on: t.db).ids)
                    only.q = q
                    let expected = ranked.filter(passing.contains)
                    let got = try await OrganisationQueries.searchIDs(only, page: all, on: t.db)
                    #expect(got.ids == expected, "\(q) \(m) \(c) \(a) \(f) \(l)")
                    #expect(got.total == expected.count)
                    let second = try await OrganisationQueries.searchIDs(only, page: App.PageRequest(page: 2, per: 3), on: t.db)
                    #expect(second.ids == Array(expected.dropFirst(3).prefix(3)) && second.total == expected.count)
                    #expect(try await Self.exported(only, on: t.db) == expected, "export \(q) \(m) \(c) \(a) \(f) \(l)")
                }
            }
        }
    }

    /// The ids the CSV export writes for `filter`, read in pages of 4 so that page boundaries fall everywhere.
    static func exported(_ filter: OrganisationFilter, on db: any Database) async throws -> [UUID] {
        var ids: [UUID] = []
        try await OrganisationQueries.forEachPage(filter, per: 4, on: db) { page in
            #expect(page.count <= 4 && !page.isEmpty)
            ids += page.map(\.id)
        }
        return ids
    }

    @Test("a list without a search text: each filter's organisations in alphabetical order, the total on every page and past the last, and the same order exported")
    func filteredListPages() async throws {
        try await TestApp.run { t in
            let (munis, areas, forms, levels) = (Self.munis, Self.areas, Self.forms, Self.levels)
            struct Org { var id: UUID; var name: String; var form: String; var level: String; var areas: Set<String>; var munis: Set<String> }
            var orgs: [Org] = []
            for i in 0..<30 {
                let name = ["Östra", "Ängens", "Alby", "Åsa", "Berga", "Edsby"][i % 6] + " förening \(i)"
                let o = Org(id: UUID(), name: name, form: forms[i % 2], level: levels[(i / 2) % 2], areas: [areas[i % 3], areas[(i / 3) % 3]],
                            munis: Set([munis[i % 4]] + (i % 5 == 0 ? [munis[(i + 1) % 4]] : [])))
                let id = try await t.organisation(name, legalForm: o.form, level: o.level, areas: Array(o.areas).sorted(), municipalities: Array(o.munis).sorted())
                orgs.append(Org(id: id, name: o.name, form: o.form, level: o.level, areas: o.areas, munis: o.munis))
            }
            let deleted = orgs.remove(at: 7)
            try await t.db.write(as: .system("test")) { ctx in try await OrganisationService.delete(deleted.id, version: nil, in: ctx) }
            orgs.sort { SwedishCollation.key($0.name) < SwedishCollation.key($1.name) }
            for (m, c, a, f, l) in [("", "", "", "", "")] + Self.filters {
                let filter = OrganisationFilter(area: a, municipality: m, county: c, legalForm: f, level: l)
                let expected = orgs.filter { o in
                    (m.isEmpty || o.munis.contains(m)) && (c.isEmpty || o.munis.contains { $0.hasPrefix(c) }) && (a.isEmpty || o.areas.contains(a))
                        && (f.isEmpty || o.form == f) && (l.isEmpty || o.level == l)
                }.map(\.id)
                let label = "\(m) \(c) \(a) \(f) \(l)"
                let all = try await OrganisationQueries.searchIDs(filter, page: App.PageRequest(page: 1, per: 100), on: t.db)
                #expect(all.ids == expected && all.total == expected.count, "\(label)")
                for page in 1...(expected.count / 4 + 2) {
                    let got = try await OrganisationQueries.searchIDs(filter, page: App.PageRequest(page: page, per: 4), on: t.db)
                    #expect(got.ids == Array(expected.dropFirst((page - 1) * 4).prefix(4)), "\(label) page \(page)")
                    #expect(got.total == expected.count, "\(label) page \(page): total \(got.total)")
                }
                #expect(try await Self.exported(filter, on: t.db) == expected, "export \(label)")
            }
        }
    }

    @Test("search punctuation and SQL metacharacters are just words")
    func hostileQueries() async throws {
        try await TestApp.run { t in
            try await t.organisation("O'Learys Vänner")
            for q in ["' OR 1=1 --", "\"unbalanced", "NEAR(a b)", "a AND OR NOT", "*", "föreningen); DROP TABLE organisations; --", "%_%"] {
                let res = try await t.api(.GET, "/api/v1/organisations?q=\(URLQuery.escape(q))")
                #expect(res.status == .ok, "query \(q)")
            }
            #expect(try await t.count("organisations") == 1)
        }
    }

    @Test("units and roles are found by their responsibilities and holders")
    func unitsAndRoles() async throws {
        try await TestApp.run { t in
            let body = try await t.region("17", name: "Region Värmland")
            let unit = try await t.unit(body: body, name: "Bidragsenheten", areas: ["disability"], responsibilities: "Handlägger bidrag till funktionsrättsorganisationer")
            try await t.db.write(as: .system("test")) { ctx in
                let role = try await RoleService.saveRole(nil, ContactRoleBody(title: "Handläggare ungdomsbidrag", unitId: unit.uuidString), in: ctx)
                _ = try await RoleService.handover(role.id!, HandoverBody(holderName: "Karin Exempel", startsOn: "2025-01-01"), in: ctx)
            }
            let res = try await t.api(.GET, "/api/v1/search?q=bidrag")
            let j = try res.json()
            if case .array(let units)? = j["units"] { #expect(units.count == 1) } else { Issue.record("no units") }
            if case .array(let roles)? = j["roles"] { #expect(roles.count == 1) } else { Issue.record("no roles") }
            let byHolder = try await t.api(.GET, "/api/v1/search?q=karin").json()
            if case .array(let roles)? = byHolder["roles"] { #expect(roles.count == 1) }
            #expect(try await t.api(.GET, "/api/v1/search?q=").status == .badRequest)
        }
    }

    /// The document ids that the index's matches of `text` of `kind` resolve to.
    static func matchedIDs(_ kind: SearchKind, _ text: String, on db: any Database) async throws -> [UUID] {
        guard let match = SearchIndexes.forDatabase(db.sql).matches(kind: kind, text: text) else { return [] }
        var query: SQLQueryString = "SELECT "
        query += match.docID("m.key")
        query += " AS doc_id FROM ("
        query += match.query
        query += ") m ORDER BY m.rank"
        return try await db.sql.raw(query).all().map { try $0.decode(column: "doc_id", as: UUID.self) }
    }

    @Test("each kind of document is searched apart; a document indexed again under another kind moves; the earlier single-table index is brought up to date with what it held")
    func kindsAndLayout() async throws {
        try await TestApp.run { t in
            let org = try await t.organisation("Blåbärsföreningen Norra", description: "Plockar blåbär")
            let index = SearchIndexes.forDatabase(t.db.sql)
            let doc = UUID()
            try await index.upsert([SearchDocument(kind: .unit, id: doc, title: "Blåbärsenheten", body: "")], on: t.db.sql)
            #expect(try await Self.matchedIDs(.organisation, "blåbär", on: t.db) == [org])
            #expect(try await Self.matchedIDs(.unit, "blåbär", on: t.db) == [doc])
            try await index.upsert([SearchDocument(kind: .body, id: doc, title: "Blåbärsnämnden", body: "")], on: t.db.sql)
            #expect(try await Self.matchedIDs(.unit, "blåbär", on: t.db).isEmpty)
            #expect(try await Self.matchedIDs(.body, "blåbärsnämnd", on: t.db) == [doc])
            try await index.remove(ids: [doc], on: t.db.sql)
            #expect(try await Self.matchedIDs(.body, "blåbär", on: t.db).isEmpty)

            guard t.db.sql.dialect.name == "sqlite" else { return }
            // The layout before D007: one FTS5 table for every kind, keyed by search_keys.rowid.
            let sql = t.db.sql
            try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')").run()
            for kind in SearchKind.allCases {
                try await sql.raw("INSERT INTO search_fts (rowid, title, body) SELECT rowid, title, body FROM \(unsafeRaw: SQLiteFTSSearchIndex.table(kind))").run()
                try await sql.raw("DROP TABLE \(unsafeRaw: SQLiteFTSSearchIndex.table(kind))").run()
            }
            try await index.createSchema(on: sql)
            #expect(try await Self.matchedIDs(.organisation, "blåbär", on: t.db) == [org])
            #expect(try await Self.matchedIDs(.unit, "blåbär", on: t.db).isEmpty)
            #expect(try await sql.raw("SELECT name FROM sqlite_master WHERE name = 'search_fts'").all().isEmpty)
            let found = try await t.api(.GET, "/api/v1/organisations?q=bl%C3%A5b%C3%A4rsf%C3%B6rening").decode(Paged<OrganisationDTO>.self)
            #expect(found.items.map(\.id) == [org] && found.metadata.total == 1)
        }
    }

    /// Compound names (seed organisations and typical association names) and the later parts people type.
    static let compounds: [(name: String, parts: [String])] = [
        ("Afasiföreningen i Värmland", ["förening", "föreningen"]), ("Idrottsförbundet Uppland", ["förbund", "idrott"]),
        ("Hembygdsförbundet Kalmar", ["förbund"]), ("Pensionärsföreningen Gläntan", ["förening", "pensionär"]),
        ("Scoutkåren Ugglan", ["kår"]), ("Schackklubben Löparen", ["klubb"]), ("Bygdegårdsföreningen Norra", ["förening", "bygdegård"]),
        ("Riksidrottsförbundet Test", ["idrott", "förbund"]), ("Funktionsrättsrådet", ["råd", "funktionsrätt"]),
        ("Ungdomsteatern Spira", ["teater"]), ("Kvinnojouren Frida", ["jour", "kvinnojour"]), ("Hörselskadades riksförbund", ["förbund"]),
    ]

    @Test("Swedish compounds are found by their parts: recall 100 % on the compound test set, no match from a part of another word")
    func compounds() async throws {
        try await TestApp.run { t in
            for c in Self.compounds { try await t.organisation(c.name) }
            try await t.organisation("Anslagstavlan")
            var expected = 0, found = 0
            for c in Self.compounds {
                for part in c.parts {
                    expected += 1
                    let names = try await t.api(.GET, "/api/v1/organisations?per=100&q=" + (part.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? part))
                        .decode(Paged<OrganisationDTO>.self).items.map(\.name)
                    if names.contains(c.name) { found += 1 } else { Issue.record("\(part) does not find \(c.name): \(names)") }
                }
            }
            #expect(found == expected, "recall \(found)/\(expected)")
            // A part finds the compounds that have it and not the others.
            let forening = try await t.api(.GET, "/api/v1/organisations?per=100&q=f%C3%B6rening").decode(Paged<OrganisationDTO>.self).items.map(\.name)
            #expect(Set(forening) == ["Afasiföreningen i Värmland", "Pensionärsföreningen Gläntan", "Bygdegårdsföreningen Norra"])
            // Short heads only at the end of a word: "lag" does not find "Anslagstavlan".
            #expect(try await t.api(.GET, "/api/v1/organisations?q=lag").decode(Paged<OrganisationDTO>.self).items.isEmpty)
        }
    }

    @Test("public bodies are found by their description")
    func bodies() async throws {
        try await TestApp.run { t in
            let body = try await t.db.write(as: .system("test")) { ctx in
                try await StructureService.saveBody(nil, PublicBodyBody(name: "Region Testlän", kind: "region", countyCode: "17",
                                                                        description: "Ansvarar för kollektivtrafiken och folkhälsoarbetet i länet."), in: ctx).id!
            }
            let j = try await t.api(.GET, "/api/v1/search?q=kollektivtrafik").json()
            #expect(j["bodies"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [body.uuidString])
            let page = try await Browser(t).get("/search?q=folkh%C3%A4lsa")
            #expect(page.text.contains("Region Testlän") && page.text.contains("Myndigheter"))
        }
    }
}
