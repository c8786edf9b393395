import Foundation
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
}
