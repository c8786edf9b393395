import Fluent
import SQLKit
import Vapor
import SamverkaRules

enum DatabaseSetup {
    /// SQLite: write-ahead logging so readers never wait for the writer. It is a property of the file,
    /// so setting it once is enough.
    static func prepare(_ app: Application) async throws {
        let sql = app.db.sql
        if sql.dialect.name == "sqlite" {
            _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
        }
    }

    /// Runs `body` with a 256 MB SQLite page cache on `sql`'s connection (a transaction's), then returns the
    /// connection to the usual size. A bulk write into tables with indexes on random keys (UUIDs, orgnr)
    /// otherwise spills and re-reads index pages through the 2 MB default cache: on 300,000 organisations
    /// that was a third of the import's time, in the kernel. PostgreSQL sizes its buffers itself.
    static func withBulkWriteCache<T>(on sql: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
        guard sql.dialect.name == "sqlite" else { return try await body() }
        let usual: SQLQueryString = "PRAGMA cache_size = -\(unsafeRaw: String(RowReader.sqliteCacheKiB))"
        try await sql.raw("PRAGMA cache_size = -262144").run()
        do {
            let result = try await body()
            try await sql.raw(usual).run()
            return result
        } catch {
            try? await sql.raw(usual).run()
            throw error
        }
    }

    /// Runs `body` holding a PostgreSQL advisory lock, so that nodes starting at once migrate one at a time.
    static func withMigrationLock(_ app: Application, _ body: @escaping @Sendable () async throws -> Void) async throws {
        guard app.db.sql.dialect.name == "postgresql" else { return try await body() }
        let key = 7_301_905_515 // "samverka migrations"
        try await app.db.withConnection { conn in
            _ = try await conn.sql.raw("SELECT pg_advisory_lock(\(literal: key))").all()
            do {
                try await body()
            } catch {
                _ = try? await conn.sql.raw("SELECT pg_advisory_unlock(\(literal: key))").all()
                throw error
            }
            _ = try await conn.sql.raw("SELECT pg_advisory_unlock(\(literal: key))").all()
        }
    }
}
