import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

@Suite("Organisation search: ranked paging and the response cache", .serialized)
struct SearchCacheTests {
    @Test("a text search pages through equally ranked matches alphabetically, exactly as a filtered search does")
    func rankedPaging() async throws {
        try await TestApp.run { t in
            for letter in ["Q", "B", "M", "A", "K", "D", "P", "C", "L", "E", "N", "F"] {
                try await t.organisation("Torsbygruppen \(letter)")
            }
            try await t.organisation("Schackklubben", description: "Spelar mot Torsbygruppen varje år")
            try await t.organisation("Hembygdsföreningen")
            func pages(_ query: String) async throws -> (names: [String], totals: Set<Int>) {
                var names: [String] = []
                var totals: Set<Int> = []
                for page in 1...4 {
                    let p = try await t.api(.GET, "/api/v1/organisations?\(query)&per=5&page=\(page)").decode(Paged<OrganisationDTO>.self)
                    names += p.items.map(\.name)
                    totals.insert(p.metadata.total)
                }
                return (names, totals)
            }
            let textOnly = try await pages("q=torsbygruppen")
            let filtered = try await pages("q=torsbygruppen&legalForm=ideellForening")
            #expect(textOnly.names == filtered.names)
            #expect(textOnly.totals == [13])
            #expect(filtered.totals == [13])
            // Name matches outrank a description match; equal ranks are in alphabetical order.
            #expect(textOnly.names.last == "Schackklubben")
            #expect(Array(textOnly.names.dropLast()) == ["A", "B", "C", "D", "E", "F", "K", "L", "M", "N", "P", "Q"].map { "Torsbygruppen \($0)" })
        }
    }

    @Test("every write to organisations, their areas or municipalities counts, whichever way it is made")
    func changeCounter() async throws {
        try await TestApp.run { t in
            let id = try await t.organisation("Kils Schackklubb", areas: ["culture"], municipalities: ["1715"])
            func value() async throws -> Int { try await ChangeCounters.value(ChangeCounters.directory, on: t.db) }
            for statement: SQLQueryString in [
                "UPDATE organisations SET description = 'ny' WHERE id = \(bind: id)",
                "DELETE FROM organisation_areas WHERE organisation_id = \(bind: id)",
                "INSERT INTO organisation_areas (id, organisation_id, area_key) VALUES (\(bind: UUID()), \(bind: id), 'sports')",
                "UPDATE organisation_municipalities SET municipality_code = '1780' WHERE organisation_id = \(bind: id)",
            ] {
                let before = try await value()
                try await t.sql.raw(statement).run()
                #expect(try await value() > before, "\(statement)")
            }
            let before = try await value()
            _ = try await t.sql.raw("SELECT COUNT(*) AS n FROM organisations").first()
            #expect(try await value() == before)
        }
    }

    @Test("a repeated search is answered from the cache until the register changes; no-cache asks the database")
    func cachedSearch() async throws {
        try await TestApp.run { t in
            try await t.organisation("Kils Schackklubb", municipalities: ["1715"])
            func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> (status: String?, names: [String], body: ByteBuffer) {
                var h = headers
                h.replaceOrAdd(name: .accept, value: "application/json")
                let res = try await t.send(.GET, path, headers: h)
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .json)
                return (res.headers.first(name: "Cache-Status"), try res.decode(Paged<OrganisationDTO>.self).items.map(\.name), res.body)
            }
            let first = try await get("/api/v1/organisations?q=kils")
            #expect(first.status == "samverka; fwd=miss; stored")
            let second = try await get("/api/v1/organisations?q=kils")
            #expect(second.status == "samverka; hit")
            #expect(second.body == first.body)
            #expect(try await get("/api/v1/organisations?q=kils&per=10").status == "samverka; fwd=miss; stored")
            // Bad parameters are refused every time, never kept.
            for _ in 1...2 { #expect(try await t.api(.GET, "/api/v1/organisations?q=kils&per=0").status == .badRequest) }

            try await t.organisation("Kils Hembygdsförening")
            let afterCreate = try await get("/api/v1/organisations?q=kils")
            #expect(afterCreate.status == "samverka; fwd=miss; stored")
            #expect(afterCreate.names.sorted() == ["Kils Hembygdsförening", "Kils Schackklubb"])

            // Written past every service, as another node or a database script would.
            try await t.sql.raw("UPDATE organisations SET name = 'Kils Schackförening' WHERE name = 'Kils Schackklubb'").run()
            let afterSQL = try await get("/api/v1/organisations?q=kils")
            #expect(afterSQL.status == "samverka; fwd=miss; stored")
            #expect(afterSQL.names.contains("Kils Schackförening"))

            let fresh = try await get("/api/v1/organisations?q=kils", headers: ["Cache-Control": "no-cache"])
            #expect(fresh.status == "samverka; fwd=request; stored")
            #expect(fresh.names == afterSQL.names)
            #expect(try await get("/api/v1/organisations?q=hembygd", headers: ["Cache-Control": "no-store"]).status == "samverka; fwd=request")
            #expect(try await get("/api/v1/organisations?q=hembygd").status == "samverka; fwd=miss; stored", "no-store kept nothing")
        }
    }

    @Test("the cache keeps at most its capacity, drops the least recently used, never answers for another counter value")
    func eviction() {
        let cache = ResponseCache(capacity: 4, maxBodyBytes: 8)
        for k in ["a", "b", "c", "d"] { cache.store(k, counter: 1, body: ByteBuffer(string: k)) }
        #expect(cache.body("a", counter: 1) == ByteBuffer(string: "a"))
        #expect(cache.body("a", counter: 2) == nil)
        cache.store("e", counter: 1, body: ByteBuffer(string: "e"))
        #expect(cache.count == 3)
        #expect(cache.body("a", counter: 1) != nil, "read recently, so kept")
        #expect(cache.body("e", counter: 1) != nil)
        #expect(cache.body("b", counter: 1) == nil)
        cache.store("big", counter: 1, body: ByteBuffer(string: "more than eight bytes"))
        #expect(cache.body("big", counter: 1) == nil)
        for k in ["f", "g"] { cache.store(k, counter: 2, body: ByteBuffer(string: k)) }
        #expect(cache.count <= 4)
        #expect(cache.body("a", counter: 1) == nil, "entries of an older counter value go first")
        #expect(cache.body("g", counter: 2) != nil)

        // A bound on the bytes kept as well as on the number of answers.
        let small = ResponseCache(capacity: 100, maxBodyBytes: 10, maxTotalBytes: 40)
        for i in 0..<5 { small.store("k\(i)", counter: 1, body: ByteBuffer(string: String(repeating: "x", count: 10))) }
        #expect(small.count == 3)
        #expect(small.body("k4", counter: 1) != nil)
        #expect(small.body("k0", counter: 1) == nil)
    }

    @Test("the vocabulary a node keeps follows the reference data at once; a change rolled back leaves no trace")
    func vocabularyFollowsReferenceData() async throws {
        try await TestApp.run { t in
            #expect(try await DirectoryVocabularyService.load(on: t.db).areaKeys.contains("youth"))
            struct RolledBack: Error {}
            await #expect(throws: RolledBack.self) {
                try await t.db.write(as: .system("test")) { ctx in
                    _ = try await ReferenceDataService.addArea(key: "ghost", nameSv: "Spöke", nameEn: "Ghost", in: ctx)
                    #expect(try await DirectoryVocabularyService.load(on: ctx.db).areaKeys.contains("ghost"), "the writing transaction sees its own change")
                    throw RolledBack()
                }
            }
            #expect(!(try await DirectoryVocabularyService.load(on: t.db).areaKeys.contains("ghost")))
            _ = try await t.db.write(as: .system("test")) { ctx in try await ReferenceDataService.addArea(key: "chess", nameSv: "Schack", nameEn: "Chess", in: ctx) }
            let after = try await DirectoryVocabularyService.load(on: t.db)
            #expect(after.areaKeys.contains("chess") && !after.areaKeys.contains("ghost"))
            #expect(after.areaLabels["chess"]?.sv == "Schack")
        }
    }
}
