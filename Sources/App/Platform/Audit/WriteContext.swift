import Fluent
import Vapor
import SQLKit
import Foundation
import Crypto
import SamverkaRules

/// The change of one field for the audit log.
public struct FieldChange: Sendable, Equatable {
    public var before: JSONValue
    public var after: JSONValue
}

/// A record's auditable fields. `personal` names the fields that hold personal data: their values
/// never reach the audit log (only the fact that they changed), so erasure never has to touch it.
public struct AuditSnapshot: Sendable, Equatable {
    public var fields: [String: JSONValue]
    public var personal: Set<String>

    public init(_ fields: [String: JSONValue], personal: Set<String> = []) {
        self.fields = fields
        self.personal = personal
    }

    /// Changed fields between two snapshots (nil = record did not exist).
    public static func diff(_ before: AuditSnapshot?, _ after: AuditSnapshot?) -> [(String, FieldChange)] {
        let keys = Set(before?.fields.keys ?? [:].keys).union(after?.fields.keys ?? [:].keys).sorted()
        let personal = (before?.personal ?? []).union(after?.personal ?? [])
        var out: [(String, FieldChange)] = []
        for k in keys {
            let b = before?.fields[k] ?? .null
            let a = after?.fields[k] ?? .null
            guard a != b else { continue }
            if personal.contains(k) {
                out.append((k, FieldChange(before: b == .null ? .null : "[personuppgift]", after: a == .null ? .null : "[personuppgift]")))
            } else {
                out.append((k, FieldChange(before: b, after: a)))
            }
        }
        return out
    }
}

public protocol Auditable {
    static var auditEntityType: String { get }
    var auditSnapshot: AuditSnapshot { get }
}

/// A database transaction on behalf of a principal. Every write goes through one: it serialises
/// writers (the audit chain head is locked first, which on SQLite also takes the write lock at the
/// start and so avoids deadlocks between deferred transactions) and appends audit events, hash-chained,
/// before it commits. Nothing is written unless everything is.
public final class WriteContext: @unchecked Sendable {
    public let db: any Database
    public let actor: Principal
    public let requestID: String
    private var pending: [(action: String, type: String, id: String, changes: String)] = []
    private let lock = NSLock()

    init(db: any Database, actor: Principal, requestID: String) {
        self.db = db
        self.actor = actor
        self.requestID = requestID
    }

    public var sql: any SQLDatabase { db.sql }

    /// Records a change. `before`/`after` nil means created/deleted.
    public func audit(_ action: String, _ type: String, _ id: String, before: AuditSnapshot?, after: AuditSnapshot?) {
        let changes = AuditSnapshot.diff(before, after)
        let json = JSONValue.object(changes.map { ($0.0, JSONValue.object([("before", $0.1.before), ("after", $0.1.after)])) })
        lock.withLock { pending.append((action, type, id, json.serialized())) }
    }

    /// Records a change to an `Auditable` record.
    public func audit<T: Auditable>(_ action: String, _ record: T, id: UUID?, before: AuditSnapshot?) {
        audit(action, T.auditEntityType, id?.uuidString ?? "", before: before, after: action == "delete" ? nil : record.auditSnapshot)
    }

    /// Records an event without field changes but with a summary (e.g. an import of a file).
    public func auditSummary(_ action: String, _ type: String, _ id: String, _ summary: [(String, JSONValue)]) {
        lock.withLock { pending.append((action, type, id, JSONValue.object(summary).serialized())) }
    }

    fileprivate func flush(head: AuditChain.Head) async throws {
        let events = lock.withLock { pending }
        guard !events.isEmpty else { return }
        var prev = head.lastHash
        var seq = head.seq
        let now = AuditChain.timestamp(Date())
        var models: [AuditEvent] = []
        for e in events {
            seq += 1
            let m = AuditEvent()
            m.id = UUID()
            m.seq = seq
            m.occurredAt = now
            m.actorUserID = actor.userID
            m.actorKind = actor.method.rawValue
            m.actorLabel = actor.userID == nil ? actor.displayName : ""
            m.action = e.action
            m.entityType = e.type
            m.entityID = e.id
            m.changes = e.changes
            m.requestID = requestID
            m.prevHash = prev
            m.hash = AuditChain.hash(m.hashInput)
            prev = m.hash
            models.append(m)
        }
        for chunk in models.chunked(by: 100) { try await Array(chunk).create(on: db) }
        try await sql.raw("UPDATE audit_chain_head SET seq = \(bind: seq), last_hash = \(bind: prev) WHERE id = 1").run()
    }
}

/// The audit log's hash chain. Each event's hash is an HMAC-SHA256, keyed with a secret the server gets from
/// outside the database (`SAMVERKA_AUDIT_KEY`, or the key file): whoever can write the database can change a row,
/// but cannot compute the hashes that would hide it. Signed checkpoints of the chain head, kept outside the
/// database (the log, an auditor's mailbox), catch even a rewrite by someone who has the key as well.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    struct Head { var seq: Int; var lastHash: String }

    /// The process's key, set once at start-up (`configure`) from `AppConfig`.
    private static let keyLock = NSLock()
    nonisolated(unsafe) private static var currentKey = SymmetricKey(data: Data("samverka-unconfigured-audit-key".utf8))
    public static var key: SymmetricKey {
        get { keyLock.withLock { currentKey } }
        set { keyLock.withLock { currentKey = newValue } }
    }

    /// A short, non-secret identification of a key (the first 8 bytes of its SHA-256), stored in the database
    /// so a node started with a different key refuses to write instead of breaking the chain.
    public static func fingerprint(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    static func hash(_ input: String, key: SymmetricKey = AuditChain.key) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// The chain as it was before keying (plain SHA-256), read once by the migration that keys it.
    static func unkeyedHash(_ input: String) -> String {
        SHA256.hash(data: Data(input.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = .utc
        return f.string(from: date)
    }

    /// Locks the chain head for this transaction and reads it.
    static func lockHead(_ sql: any SQLDatabase) async throws -> Head {
        if sql.dialect.name == "postgresql" {
            let row = try await sql.raw("SELECT seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE").first()
            return Head(seq: try row?.decode(column: "seq", as: Int.self) ?? 0, lastHash: try row?.decode(column: "last_hash", as: String.self) ?? genesis)
        }
        // SQLite: a write as the first statement takes the database write lock now, not on first write.
        try await sql.raw("UPDATE audit_chain_head SET writes = writes + 1 WHERE id = 1").run()
        let row = try await sql.raw("SELECT seq, last_hash FROM audit_chain_head WHERE id = 1").first()
        return Head(seq: try row?.decode(column: "seq", as: Int.self) ?? 0, lastHash: try row?.decode(column: "last_hash", as: String.self) ?? genesis)
    }

    /// Result of `verify`: how many events were checked and the first broken link, if any.
    public struct Verification: Sendable {
        public var checked: Int
        public var brokenAt: Int?
        public var problem: String?
        public var ok: Bool { brokenAt == nil }
    }

    /// Walks the chain in order and recomputes every hash with `key`; with `checkpoints`, also checks that each
    /// checkpoint's event still has the hash the checkpoint recorded.
    public static func verify(on db: any Database, key: SymmetricKey = AuditChain.key, checkpoints: [Checkpoint] = []) async throws -> Verification {
        var prev = genesis
        var expectedSeq = 1
        var checked = 0
        var lastSeq = 0
        let expected = Dictionary(checkpoints.map { ($0.seq, $0.hash) }, uniquingKeysWith: { a, _ in a })
        while true {
            let batch = try await AuditEvent.query(on: db).filter(\.$seq >= lastSeq + 1).sort(\.$seq).limit(1000).all()
            if batch.isEmpty { break }
            for e in batch {
                if e.seq != expectedSeq {
                    return Verification(checked: checked, brokenAt: expectedSeq, problem: "händelse \(expectedSeq) saknas")
                }
                if e.prevHash != prev {
                    return Verification(checked: checked, brokenAt: e.seq, problem: "länken till föregående händelse stämmer inte")
                }
                if hash(e.hashInput, key: key) != e.hash {
                    return Verification(checked: checked, brokenAt: e.seq, problem: "händelsens innehåll har ändrats (eller nyckeln är fel)")
                }
                if let want = expected[e.seq], want != e.hash {
                    return Verification(checked: checked, brokenAt: e.seq, problem: "händelsen stämmer inte med kontrollpunkten: kedjan har skrivits om")
                }
                prev = e.hash
                expectedSeq += 1
                checked += 1
                lastSeq = e.seq
            }
        }
        if let missing = checkpoints.first(where: { $0.seq > lastSeq }) {
            return Verification(checked: checked, brokenAt: missing.seq, problem: "kontrollpunkten \(missing.seq) finns inte längre i kedjan: händelser har tagits bort")
        }
        let head = try await db.sql.raw("SELECT seq, last_hash FROM audit_chain_head WHERE id = 1").first()
        let headSeq = try head?.decode(column: "seq", as: Int.self) ?? 0
        let headHash = try head?.decode(column: "last_hash", as: String.self) ?? genesis
        if headSeq != lastSeq || headHash != prev {
            return Verification(checked: checked, brokenAt: lastSeq + 1, problem: "kedjans slut stämmer inte (händelser har tagits bort)")
        }
        return Verification(checked: checked, brokenAt: nil, problem: nil)
    }

    /// The chain head at a moment, signed with the key: `samverka-audit-checkpoint seq=… hash=… at=… mac=…`.
    /// Kept outside the database, it proves what the chain held then.
    public struct Checkpoint: Sendable, Equatable {
        public var seq: Int
        public var hash: String
        public var at: String
        public var mac: String

        public var line: String { "samverka-audit-checkpoint seq=\(seq) hash=\(hash) at=\(at) mac=\(mac)" }

        static func mac(seq: Int, hash: String, at: String, key: SymmetricKey) -> String {
            AuditChain.hash("checkpoint\u{1F}\(seq)\u{1F}\(hash)\u{1F}\(at)", key: key)
        }

        /// Parses a line written by `line`; nil when it is not one or its signature does not match `key`.
        public static func parse(_ text: String, key: SymmetricKey = AuditChain.key) -> Checkpoint? {
            var fields: [String: String] = [:]
            for part in text.split(separator: " ") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
            }
            guard text.hasPrefix("samverka-audit-checkpoint "), let raw = fields["seq"], let seq = Int(raw), let hash = fields["hash"],
                  let at = fields["at"], let mac = fields["mac"], mac == Self.mac(seq: seq, hash: hash, at: at, key: key) else { return nil }
            return Checkpoint(seq: seq, hash: hash, at: at, mac: mac)
        }
    }

    /// A signed checkpoint of the chain's current head.
    public static func checkpoint(on db: any Database, key: SymmetricKey = AuditChain.key, now: Date = Date()) async throws -> Checkpoint {
        let head = try await db.sql.raw("SELECT seq, last_hash FROM audit_chain_head WHERE id = 1").first()
        let seq = try head?.decode(column: "seq", as: Int.self) ?? 0
        let hash = try head?.decode(column: "last_hash", as: String.self) ?? genesis
        let at = timestamp(now)
        return Checkpoint(seq: seq, hash: hash, at: at, mac: Checkpoint.mac(seq: seq, hash: hash, at: at, key: key))
    }

    /// Refuses to go on when the database's chain was written with another key (`fingerprint` kept in settings).
    public static func checkKey(on db: any Database) async throws {
        let stored = try await Settings.get("audit.keyFingerprint", on: db)
        let mine = fingerprint(key)
        if let stored, stored != mine {
            throw AppError(.internalServerError, "Granskningsloggens nyckel (SAMVERKA_AUDIT_KEY) är inte den som loggen skrevs med (fingeravtryck \(stored), konfigurerad \(mine)). Starta med rätt nyckel.")
        }
    }
}

extension Database {
    /// Runs `body` in one transaction on behalf of `actor`, with its audit events committed with it.
    public func write<T: Sendable>(as actor: Principal, requestID: String = "", _ body: @escaping @Sendable (WriteContext) async throws -> T) async throws -> T {
        try await transaction { tx in
            let sql = tx.sql
            let head = try await AuditChain.lockHead(sql)
            let ctx = WriteContext(db: tx, actor: actor, requestID: requestID)
            let result = try await body(ctx)
            try await ctx.flush(head: head)
            return result
        }
    }
}

extension Database {
    public var sql: any SQLDatabase { self as! any SQLDatabase }
}

extension Request {
    /// A write on behalf of the signed-in principal, tagged with the request id.
    public func write<T: Sendable>(_ body: @escaping @Sendable (WriteContext) async throws -> T) async throws -> T {
        try await db.write(as: principal, requestID: requestID, body)
    }
}
