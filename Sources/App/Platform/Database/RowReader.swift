import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit
import NIOConcurrencyHelpers
import SQLiteKit
import SamverkaRules

/// The columns of one result row, read by name without going through Codable.
protocol ColumnValues {
    func string(_ column: String) -> String?
    func int(_ column: String) -> Int?
    func bool(_ column: String) -> Bool?
    /// Dates as Fluent stores them: seconds since 1970 in SQLite, `timestamptz` in PostgreSQL.
    func date(_ column: String) -> Date?
}

/// Reads the rows of a large query quickly. Through SQLKit, SQLiteNIO's pooled connections hand every row to
/// the event loop as a task of its own and decode every value through Codable, which costs several times the
/// query itself on exports of a million rows. On SQLite this reads the rows on the database thread from the
/// connection; on other databases it goes through SQLKit. Use it for bulk reads; ordinary queries stay with
/// Fluent and SQLKit.
enum RowReader {
    /// Page cache per SQLite connection, in KiB.
    static let sqliteCacheKiB = 32 * 1024
    /// How much of an SQLite file a connection reads through a memory map (the rest through its page cache):
    /// `AppConfig.sqliteMapBytes`, set for the process by `configure` (a setting of this process's connections,
    /// not state shared with other nodes).
    static var sqliteMapBytes: Int { mapBytes.withLockedValue { $0 } }
    static func useMap(bytes: Int) { mapBytes.withLockedValue { $0 = max(0, bytes) } }
    private static let mapBytes = NIOLockedValueBox(AppConfig.serverMapBytes)

    /// Gives an SQLite connection this reader's settings, once per connection (they last as long as it does).
    /// SQLite's default page cache is 2 MB per connection: a search over 300,000 organisations touches more than
    /// that, and re-reading pages from the file was 40 % of its time. Pages read through a memory map are the
    /// OS's own cached pages, shared by every connection, where each read() copied one into the connection's
    /// cache: in a mix of searches on 300,000 organisations the kernel's read path was a sixth of the CPU. Each
    /// PRAGMA is a round trip to the database thread, so they are not sent again before every read.
    static func setUp(_ conn: SQLiteConnection) async throws {
        if isSetUp(conn) { return }
        _ = try await conn.query("PRAGMA cache_size = -\(Self.sqliteCacheKiB)")
        _ = try await conn.query("PRAGMA mmap_size = \(Self.sqliteMapBytes)")
        setUpConnections.withLockedValue { known in
            known = known.filter { $0.value.connection != nil }
            known[ObjectIdentifier(conn)] = WeakConnection(conn)
        }
    }

    /// Whether `conn` has been set up by `setUp` (by identity: a closed connection's address may be reused).
    static func isSetUp(_ conn: SQLiteConnection) -> Bool {
        setUpConnections.withLockedValue { $0[ObjectIdentifier(conn)]?.connection === conn }
    }

    private static let setUpConnections = NIOLockedValueBox<[ObjectIdentifier: WeakConnection]>([:])

    private final class WeakConnection: @unchecked Sendable {
        weak var connection: SQLiteConnection?
        init(_ connection: SQLiteConnection) { self.connection = connection }
    }

    /// `prepared`: see `PostgresStatements` (PostgreSQL only; SQLite prepares every statement anyway).
    static func rows<T: Sendable>(on db: any Database, _ query: SQLQueryString, prepared: Bool = false, _ map: @escaping @Sendable (any ColumnValues) throws -> T) async throws -> [T] {
        try await rows(on: db, [query], prepared: prepared) { _, row in try map(row) }
    }

    /// The rows of several queries, run one after the other on one connection: on SQLite in one trip to the
    /// database thread (a page that needs two reads waits for one hand-over, not two), on PostgreSQL on one
    /// connection taken from the pool once. `map` is told which query (its index) a row comes from; the rows come
    /// in the queries' order.
    static func rows<T: Sendable>(on db: any Database, _ queries: [SQLQueryString], prepared: Bool = false, _ map: @escaping @Sendable (Int, any ColumnValues) throws -> T) async throws -> [T] {
        let sql = db.sql
        let collected = Collected<T>()
        if let sqlite = db as? any SQLiteDatabase {
            let statements = try queries.map { query in
                var serializer = SQLSerializer(database: sql)
                query.serialize(to: &serializer)
                return (text: serializer.sql, binds: try serializer.binds.map { try SQLiteDataEncoder().encode($0) })
            }
            try await sqlite.withConnection { conn in
                conn.eventLoop.makeFutureWithTask {
                    try await setUp(conn)
                    for (index, statement) in statements.enumerated() {
                        try await conn.query(statement.text, statement.binds) { row in collected.add { try map(index, row) } }
                    }
                }
            }.get()
        } else if let postgres = db as? any PostgresDatabase {
            try await postgres.withConnection { conn in
                conn.eventLoop.makeFutureWithTask {
                    for (index, query) in queries.enumerated() {
                        try await PostgresStatements.run(query, prepared: prepared, on: conn) { row in
                            collected.add { try map(index, SQLColumnValues(row: row)) }
                        }
                    }
                }
            }.get()
        } else {
            for (index, query) in queries.enumerated() {
                try await sql.raw(query).run { row in collected.add { try map(index, SQLColumnValues(row: row)) } }
            }
        }
        return try collected.result()
    }

    /// Rows gathered by a callback that the driver calls on one thread at a time, and the first error.
    private final class Collected<T: Sendable>: @unchecked Sendable {
        private let lock = NIOLock()
        private var items: [T] = []
        private var error: (any Error)?

        func add(_ make: () throws -> T) {
            lock.withLock {
                guard error == nil else { return }
                do { items.append(try make()) } catch { self.error = error }
            }
        }

        func result() throws -> [T] {
            try lock.withLock {
                if let error { throw error }
                return items
            }
        }
    }
}

extension SQLiteRow: ColumnValues {
    func string(_ column: String) -> String? { self.column(column)?.string }
    func int(_ column: String) -> Int? { self.column(column)?.integer.map { Int($0) } }
    func bool(_ column: String) -> Bool? { self.column(column)?.bool }
    /// As SQLiteNIO decodes a date for Fluent (rounded to the microsecond), so a row read here equals the model
    /// Fluent reads.
    func date(_ column: String) -> Date? { self.column(column).flatMap(Date.init(sqliteData:)) }
}

private struct SQLColumnValues: ColumnValues {
    let row: any SQLRow
    func string(_ column: String) -> String? { try? row.decode(column: column, as: String?.self) }
    func int(_ column: String) -> Int? { try? row.decode(column: column, as: Int?.self) }
    func bool(_ column: String) -> Bool? { try? row.decode(column: column, as: Bool?.self) }
    func date(_ column: String) -> Date? { try? row.decode(column: column, as: Date?.self) }
}

/// A required column was missing or NULL.
struct MissingColumn: Error, CustomStringConvertible {
    let column: String
    var description: String { "column \(column) is missing, NULL or not a value of its type" }
}

extension ColumnValues {
    func required(_ column: String) throws -> String {
        guard let v = string(column) else { throw MissingColumn(column: column) }
        return v
    }

    /// A UUID selected as text (`CAST(x AS TEXT)`: upper case in SQLite, lower case in PostgreSQL).
    func uuid(_ column: String) throws -> UUID {
        guard let v = string(column).flatMap(UUIDText.parse) else { throw MissingColumn(column: column) }
        return v
    }

    /// A column holding one of an enumeration's raw values.
    func required<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        guard let v = string(column).flatMap(T.init(rawValue:)) else { throw MissingColumn(column: column) }
        return v
    }

    func requiredInt(_ column: String) throws -> Int {
        guard let v = int(column) else { throw MissingColumn(column: column) }
        return v
    }

    func requiredBool(_ column: String) throws -> Bool {
        guard let v = bool(column) else { throw MissingColumn(column: column) }
        return v
    }

    /// A nullable UUID column selected as text; NULL (or text that is no UUID) reads as nil.
    func optionalUUID(_ column: String) -> UUID? {
        string(column).flatMap(UUIDText.parse)
    }
}

/// Reads the 36-character text form of a UUID (either case). Foundation's `UUID(uuidString:)` parses it with
/// `sscanf` on Linux, which was 6 % of the CPU of the organisation export's 300,000 rows; this reads the bytes.
enum UUIDText {
    static func parse(_ text: String) -> UUID? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &uuid) { bytes -> Bool in
            var n = 0
            var high: UInt8?
            for (i, c) in utf8.enumerated() {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard c == UInt8(ascii: "-") else { return false }
                    continue
                }
                let v: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
                default: return false
                }
                if let h = high {
                    bytes[n] = h << 4 | v
                    n += 1
                    high = nil
                } else {
                    high = v
                }
            }
            return true
        }
        return parsed ? UUID(uuid: uuid) : nil
    }
}
