import Fluent
import SQLKit
import Vapor

enum DatabaseSetup {
    /// SQLite: write-ahead logging so readers never wait for the writer. It is a property of the file,
    /// so setting it once is enough.
    static func prepare(_ app: Application) async throws {
        let sql = app.db.sql
        if sql.dialect.name == "sqlite" {
            _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
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
