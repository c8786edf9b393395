import Fluent
import SQLKit
import SamverkaRules

/// Keys the audit chain: checks the chain as it was (plain SHA-256) and, only if it is intact, recomputes every
/// hash as an HMAC with the installation's key, in one transaction. From then on the key's fingerprint is kept
/// in the settings, and a node with another key refuses to write.
struct KeyAuditChain: AsyncMigration {
    var name: String { "P002_KeyAuditChain" }

    func prepare(on database: any Database) async throws {
        try await rehash(on: database, verify: AuditChain.unkeyedHash, write: { AuditChain.hash($0) })
        try await Settings.set("audit.keyFingerprint", AuditChain.fingerprint(AuditChain.key), on: database)
    }

    func revert(on database: any Database) async throws {
        try await rehash(on: database, verify: { AuditChain.hash($0) }, write: AuditChain.unkeyedHash)
        try await database.sql.raw("DELETE FROM samverka_settings WHERE key = 'audit.keyFingerprint'").run()
    }

    /// Walks the chain in order, checks each event with `verify`, and rewrites its hash (and the next event's link) with `write`.
    private func rehash(on database: any Database, verify: @escaping @Sendable (String) -> String, write: @escaping @Sendable (String) -> String) async throws {
        try await database.transaction { tx in
            var oldPrev = AuditChain.genesis
            var newPrev = AuditChain.genesis
            var last = 0
            while true {
                let batch = try await AuditEvent.query(on: tx).filter(\.$seq > last).sort(\.$seq).limit(1000).all()
                if batch.isEmpty { break }
                for e in batch {
                    guard e.prevHash == oldPrev, verify(e.hashInput) == e.hash else {
                        throw AppError(.internalServerError, "Granskningsloggen är bruten vid händelse \(e.seq); den nycklas inte. Kör `samverka audit verify`.")
                    }
                    oldPrev = e.hash
                    e.prevHash = newPrev
                    e.hash = write(e.hashInput)
                    newPrev = e.hash
                    try await e.save(on: tx)
                    last = e.seq
                }
            }
            try await tx.sql.raw("UPDATE audit_chain_head SET last_hash = \(bind: newPrev) WHERE id = 1").run()
        }
    }
}
