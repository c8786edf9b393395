import FluentPostgresDriver
import NIOConcurrencyHelpers
import SQLKit

/// Runs `RowReader`'s statements on one PostgreSQL connection. A statement asked for as *prepared* is a named
/// prepared statement on each connection: PostgreSQL parses it once per connection, and after a few executions
/// plans it once too (a generic plan), where an unnamed statement is parsed and planned on every request. Only
/// statements whose text never changes and whose plan does not depend on the values bound (a page read by its
/// id, not a search) should ask for it.
///
/// PostgresNIO names a prepared statement by a type, so a process has `slots.count` statement types; a text
/// takes the next free one the first time it is run and keeps it for the life of the process (a slot's text
/// never changes, so every connection prepares the same text under the same name). Texts beyond the slots, and
/// statements with a value PostgresNIO cannot bind directly, run unprepared.
enum PostgresStatements {
    /// One row: the same decoding as every other SQLKit row on PostgreSQL.
    typealias OnRow = @Sendable (any SQLRow) -> Void

    static func run(_ query: SQLQueryString, prepared: Bool, on conn: PostgresConnection, _ onRow: @escaping OnRow) async throws {
        let database = conn.sql()
        if prepared {
            var serializer = SQLSerializer(database: database)
            query.serialize(to: &serializer)
            if let bindings = bindings(serializer.binds), let slot = slot(for: serializer.sql) {
                try await runPrepared(slot, bindings, on: conn, onRow)
                return
            }
        }
        try await database.execute(sql: query, onRow)
    }

    private static func runPrepared<S: Slot>(_ slot: S.Type, _ bindings: PostgresBindings, on conn: PostgresConnection, _ onRow: @escaping OnRow) async throws {
        for try await row in try await conn.execute(Statement<S>(bindings: bindings), logger: conn.logger) {
            onRow(row.sql())
        }
    }

    /// The values as PostgresNIO binds them, or nil when one of them is not a type it encodes itself.
    static func bindings(_ values: [any Encodable & Sendable]) -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            guard let value = value as? any PostgresThrowingDynamicTypeEncodable else { return nil }
            do { try bindings.append(value) } catch { return nil }
        }
        return bindings
    }

    /// The slot that holds `text`, taking a free one if it has none; nil when every slot is taken.
    static func slot(for text: String) -> (any Slot.Type)? {
        let index = assigned.withLockedValue { state -> Int? in
            if let index = state.index[text] { return index }
            guard state.texts.count < slots.count else { return nil }
            state.texts.append(text)
            state.index[text] = state.texts.count - 1
            return state.texts.count - 1
        }
        return index.map { slots[$0] }
    }

    /// The text a slot holds ("" while it holds none: never run, since a slot is run only after it is taken).
    static func text(ofSlot index: Int) -> String {
        assigned.withLockedValue { $0.texts.indices.contains(index) ? $0.texts[index] : "" }
    }

    private static let assigned = NIOLockedValueBox<(texts: [String], index: [String: Int])>(([], [:]))

    /// A statement type's place in `slots`: `First`, `After<First>`, `After<After<First>>`, … (PostgresNIO names a
    /// prepared statement by its type, so each slot is a type of its own).
    protocol Slot { static var number: Int { get } }
    enum First: Slot { static var number: Int { 0 } }
    enum After<Previous: Slot>: Slot { static var number: Int { Previous.number + 1 } }
    /// Immutable once built (an array of types), read from any thread.
    nonisolated(unsafe) static let slots: [any Slot.Type] = {
        func after<P: Slot>(_ previous: P.Type) -> any Slot.Type { After<P>.self }
        var slots: [any Slot.Type] = [First.self]
        while let last = slots.last, slots.count < 16 { slots.append(after(last)) }
        return slots
    }()

    private struct Statement<S: Slot>: PostgresPreparedStatement {
        static var name: String { "samverka_rows_\(S.number)" }
        static var sql: String { PostgresStatements.text(ofSlot: S.number) }
        typealias Row = PostgresRow
        let bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
