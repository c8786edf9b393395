import Fluent
import SQLKit
import SamverkaRules

/// Change counters kept by the database itself: a trigger on each watched table adds one to a named
/// counter whenever a statement writes the table, inside the writing transaction. Every node reads the
/// same counter, so a node can keep something it computed from those tables (see `ResponseCache`) and
/// know, with one small query, whether it is still current: no write path can forget to report itself,
/// and nothing another node needs lives in process memory.
enum ChangeCounters {
    /// The organisation register: organisations and their areas and municipalities.
    static let directory = "directory"

    /// Reference data: areas of activity and municipalities (`DirectoryVocabularyService`).
    static let reference = "reference"

    /// The counter's value now. Read it *before* reading the data it guards: what is read afterwards is
    /// then at least as new as the value, so keeping it under that value is never stale.
    static func value(_ name: String, on db: any Database) async throws -> Int {
        try await db.sql.raw("SELECT value FROM change_counters WHERE name = \(bind: name)").first()?.decode(column: "value", as: Int.self) ?? 0
    }

    /// Creates the counters table (once) and the counter `name`, and makes every write to `tables` count.
    /// A counter whose value keys a cache shared by every database a process opens (the tests open many)
    /// starts at a random value, so that two databases never show the same value for different data.
    static func install(_ name: String, tables: [String], randomStart: Bool = false, on db: any Database) async throws {
        // Names and tables come from code and become part of trigger names and bodies.
        precondition(([name] + tables).allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") } })
        let sql = db.sql
        try await sql.raw("CREATE TABLE IF NOT EXISTS change_counters (name VARCHAR(60) PRIMARY KEY, value BIGINT NOT NULL)").run()
        let start = randomStart ? Int.random(in: 1...(1 << 40)) : 0
        try await sql.raw("INSERT INTO change_counters (name, value) VALUES (\(bind: name), \(bind: start))").run()
        let isPostgres = sql.dialect.name == "postgresql"
        if isPostgres {
            // One update per statement: an import of thousands of rows in batches counts a few hundred times.
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION samverka_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE change_counters SET value = value + 1 WHERE name = TG_ARGV[0];
                    RETURN NULL;
                END $$
                """).run()
        }
        for table in tables {
            if isPostgres {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_count_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(ident: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION samverka_count_change(\(unsafeRaw: "'" + name + "'"))
                    """).run()
            } else {
                // SQLite has row triggers only.
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_count_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(ident: table)
                        BEGIN UPDATE change_counters SET value = value + 1 WHERE name = \(unsafeRaw: "'" + name + "'"); END
                        """).run()
                }
            }
        }
    }

    static func uninstall(_ name: String, tables: [String], on db: any Database) async throws {
        let sql = db.sql
        for table in tables {
            if sql.dialect.name == "postgresql" {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_count_change ON \(ident: table)").run()
            } else {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_count_\(unsafeRaw: event)").run()
                }
            }
        }
        try await sql.raw("DELETE FROM change_counters WHERE name = \(bind: name)").run()
    }
}
