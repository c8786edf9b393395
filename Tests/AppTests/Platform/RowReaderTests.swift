import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import SQLiteNIO
import Testing
@testable import App

@Suite("Row reader")
struct RowReaderTests {
    @Test("an SQLite connection gets the reader's page cache and memory map once and keeps them; a new connection is set up anew")
    func setUpOncePerConnection() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rowreader-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<2 {
            let conn = try await SQLiteConnection.open(storage: .file(path: path))
            #expect(!RowReader.isSetUp(conn))
            try await RowReader.setUp(conn)
            #expect(RowReader.isSetUp(conn))
            _ = try await conn.query("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
            let cache = try await conn.query("PRAGMA cache_size").first?.column("cache_size")?.integer
            let map = try await conn.query("PRAGMA mmap_size").first?.column("mmap_size")?.integer
            #expect(cache == -RowReader.sqliteCacheKiB)
            #expect(map == RowReader.sqliteMapBytes)
            // A second set-up sends nothing: a value changed in between stays.
            _ = try await conn.query("PRAGMA cache_size = -100")
            try await RowReader.setUp(conn)
            #expect(try await conn.query("PRAGMA cache_size").first?.column("cache_size")?.integer == -100)
            try await conn.close()
        }
    }

    @Test("the server maps SQLite files, one-pass commands (export, import) do not, and SAMVERKA_SQLITE_MMAP_MB overrides both")
    func mapSizeByCommand() {
        #expect(AppConfig.fromEnvironment([:]).sqliteMapBytes == AppConfig.serverMapBytes)
        #expect(AppConfig.fromEnvironment([:], command: "serve").sqliteMapBytes == 1 << 30)
        #expect(AppConfig.fromEnvironment([:], command: "export").sqliteMapBytes == 0)
        #expect(AppConfig.fromEnvironment([:], command: "import").sqliteMapBytes == 0)
        #expect(AppConfig.fromEnvironment(["SAMVERKA_SQLITE_MMAP_MB": "64"], command: "export").sqliteMapBytes == 64 << 20)
        #expect(AppConfig.fromEnvironment(["SAMVERKA_SQLITE_MMAP_MB": "0"], command: "serve").sqliteMapBytes == 0)
        // Not a number of MiB: the command's default.
        #expect(AppConfig.fromEnvironment(["SAMVERKA_SQLITE_MMAP_MB": "lots"], command: "serve").sqliteMapBytes == 1 << 30)
        #expect(AppConfig.fromEnvironment(["SAMVERKA_SQLITE_MMAP_MB": "-1"], command: "export").sqliteMapBytes == 0)
    }

    @Test("a statement read as prepared gives the rows a plain one gives, on every run (PostgreSQL plans it generically after five); on PostgreSQL it is a named prepared statement of its connection")
    func preparedReadsEqualPlainOnes() async throws {
        try await TestApp.run { t in
            let parent = try await t.organisation("Förbundet", level: "regional")
            var children: [UUID] = []
            for name in ["Gamma", "Alfa", "Beta"] { children.append(try await t.organisation(name, parent: parent)) }
            let query: @Sendable (UUID) -> SQLQueryString = { id in
                "SELECT name FROM organisations WHERE parent_id = \(bind: id) AND deleted_at IS NULL ORDER BY sort_name"
            }
            for _ in 0..<7 {
                for id in [parent] + children {
                    let plain = try await RowReader.rows(on: t.db, query(id)) { try $0.required("name") }
                    let prepared = try await RowReader.rows(on: t.db, query(id), prepared: true) { try $0.required("name") }
                    #expect(prepared == plain)
                    #expect(prepared == (id == parent ? ["Alfa", "Beta", "Gamma"] : []))
                }
            }
            // Several statements, some prepared, in one trip keep their order and their own binds.
            let both = try await RowReader.rows(on: t.db, [query(parent), "SELECT name FROM organisations WHERE id = \(bind: children[0])"], prepared: true) { index, r in
                "\(index):\(try r.required("name"))"
            }
            #expect(both == ["0:Alfa", "0:Beta", "0:Gamma", "1:Gamma"])
            if TestDatabase.isPostgres {
                let names = try await t.db.withConnection { db in
                    _ = try await RowReader.rows(on: db, query(parent), prepared: true) { _ in 0 }
                    return try await RowReader.rows(on: db, "SELECT name FROM pg_prepared_statements") { try $0.required("name") }
                }
                #expect(names.contains { $0.hasPrefix("samverka_rows_") })
            }
        }
    }

    @Test("PostgreSQL binds what it encodes itself and leaves any other value to the plain statement; a text keeps its slot")
    func preparedStatementSlots() throws {
        struct Opaque: Encodable, Sendable { var x = 1 }
        #expect(PostgresStatements.bindings([UUID(), "text", 42, true]) != nil)
        #expect(PostgresStatements.bindings([UUID(), Opaque()]) == nil)
        let text = "SELECT 'slot test \(UUID().uuidString)'"
        let first = try #require(PostgresStatements.slot(for: text))
        let again = try #require(PostgresStatements.slot(for: text))
        #expect(first.number == again.number)
        #expect(PostgresStatements.text(ofSlot: first.number) == text)
        // Every slot is a type of its own with its own number (PostgresNIO names a prepared statement by its type).
        #expect(PostgresStatements.slots.map { $0.number } == Array(0..<16))
        #expect(Set(PostgresStatements.slots.map { ObjectIdentifier($0) }).count == 16)
    }
}
