import Fluent
import SQLKit

/// How many decisions the public register holds, per programme and year, kept by the database in the writing
/// transaction. A decision is in the register when it is public, grants money and nothing replaces it
/// (`OpenDataService`); the register's pager read that total with a `COUNT(*)` over every such decision on each
/// page, which grows with the register (over a second at 1,000,000 decisions). The triggers change a count
/// by one for the row written and for the decision it replaces, so they cost the same at any size.
struct GrantsRegisterCounts: AsyncMigration {
    var name: String { "G007_RegisterCounts" }

    /// Whether the decision `d` (a row alias, or NEW/OLD) is in the register, given who replaces it.
    private static func inRegister(_ d: String, replacedUnless other: String? = nil) -> String {
        "\(d).is_public AND \(d).amount_ore > 0 AND NOT EXISTS (SELECT 1 FROM grant_decisions r WHERE r.replaces_id = \(d).id"
            + (other.map { " AND r.id <> \($0)" } ?? "") + ")"
    }

    private static let add = "ON CONFLICT (programme_id, year) DO UPDATE SET n = grant_register_counts.n + 1"

    /// The decision `d` counts again (it was replaced by the row that is gone or changed).
    private static func countAgain(_ replaced: String, when: String) -> String {
        "INSERT INTO grant_register_counts (programme_id, year, n) SELECT d.programme_id, d.year, 1 FROM grant_decisions d "
            + "WHERE \(when) AND d.id = \(replaced) AND \(inRegister("d")) \(add)"
    }

    /// The decision `replaced` stops counting: the row `by` now replaces it, and nothing else did.
    private static func countNoMore(_ replaced: String, by: String, when: String) -> String {
        "UPDATE grant_register_counts SET n = n - 1 WHERE \(when) AND (programme_id, year) IN "
            + "(SELECT d.programme_id, d.year FROM grant_decisions d WHERE d.id = \(replaced) AND \(inRegister("d", replacedUnless: by)))"
    }

    private static func addRow(_ row: String) -> String {
        "INSERT INTO grant_register_counts (programme_id, year, n) SELECT \(row).programme_id, \(row).year, 1 "
            + "WHERE \(inRegister(row)) \(add)"
    }

    private static func removeRow(_ row: String) -> String {
        "UPDATE grant_register_counts SET n = n - 1 WHERE programme_id = \(row).programme_id AND year = \(row).year AND \(inRegister(row))"
    }

    /// The statements for a written row, in order: the old row leaves (update, delete), the new one enters (insert, update).
    private static func statements(insert: Bool, delete: Bool) -> [String] {
        let replacesChanged = insert && delete ? "OLD.replaces_id IS DISTINCT FROM NEW.replaces_id" : "1 = 1"
        var out: [String] = []
        if delete {
            out.append(removeRow("OLD"))
            out.append(countAgain("OLD.replaces_id", when: replacesChanged))
        }
        if insert {
            out.append(countNoMore("NEW.replaces_id", by: "NEW.id", when: replacesChanged))
            out.append(addRow("NEW"))
        }
        return out
    }

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        let postgres = sql.dialect.name == "postgresql"
        try await sql.raw("""
            CREATE TABLE grant_register_counts (
                programme_id \(unsafeRaw: postgres ? "uuid" : "UUID") NOT NULL REFERENCES grant_programmes (id),
                year INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (programme_id, year))
            """).run()
        try await sql.raw("""
            INSERT INTO grant_register_counts (programme_id, year, n)
            SELECT d.programme_id, d.year, COUNT(*) FROM grant_decisions d WHERE \(unsafeRaw: Self.inRegister("d")) GROUP BY d.programme_id, d.year
            """).run()
        let events = [("insert", "INSERT", true, false), ("delete", "DELETE", false, true),
                      ("update", "UPDATE OF is_public, amount_ore, replaces_id, programme_id, year", true, true)]
        if postgres {
            for (name, event, insert, delete) in events {
                let body = Self.statements(insert: insert, delete: delete).map { $0 + ";" }.joined(separator: "\n")
                try await sql.raw("""
                    CREATE FUNCTION grant_register_count_\(unsafeRaw: name)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                    \(unsafeRaw: body)
                    RETURN NULL;
                    END $$
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER grant_register_count_\(unsafeRaw: name) AFTER \(unsafeRaw: event) ON grant_decisions
                    FOR EACH ROW EXECUTE FUNCTION grant_register_count_\(unsafeRaw: name)()
                    """).run()
            }
        } else {
            for (name, event, insert, delete) in events {
                // SQLite spells "is distinct from" as IS NOT.
                let body = Self.statements(insert: insert, delete: delete)
                    .map { $0.replacingOccurrences(of: "IS DISTINCT FROM", with: "IS NOT") + ";" }.joined(separator: "\n")
                try await sql.raw("""
                    CREATE TRIGGER grant_register_count_\(unsafeRaw: name) AFTER \(unsafeRaw: event) ON grant_decisions
                    BEGIN
                    \(unsafeRaw: body)
                    END
                    """).run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db.sql
        for name in ["insert", "delete", "update"] {
            try await sql.raw("DROP TRIGGER IF EXISTS grant_register_count_\(unsafeRaw: name)\(unsafeRaw: sql.dialect.name == "postgresql" ? " ON grant_decisions" : "")").run()
            if sql.dialect.name == "postgresql" {
                try await sql.raw("DROP FUNCTION IF EXISTS grant_register_count_\(unsafeRaw: name)()").run()
            }
        }
        try await sql.raw("DROP TABLE grant_register_counts").run()
    }
}
