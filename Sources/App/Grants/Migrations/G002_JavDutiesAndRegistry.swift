import Fluent
import Foundation
import SQLKit
import SamverkaRules

/// Jäv withdrawal reasons and the decider's declaration; who planned, attested and paid a payment; the per-body
/// setting that relaxes separation of duties; registration of applications with a diarienummer from a per-body,
/// per-year sequence (seeded from the numbers already handed out, so no number is given twice).
struct GrantsJavDutiesAndRegistry: AsyncMigration {
    var name: String { "G002_JavDutiesAndRegistry" }

    func prepare(on db: any Database) async throws {
        try await db.schema("grant_reviews").field("jav_withdrawal_reason", .string, .required, .sql(.default(""))).update()
        try await db.schema("grant_decisions").field("decider_jav", .bool).update()
        try await db.schema("grant_payments").field("planned_by", .uuid).update()
        try await db.schema("grant_payments").field("paid_by", .uuid).update()
        try await db.schema("grant_applications").field("diarienummer", .string).update()
        try await db.schema("grant_applications").field("registered_on", .string).update()
        try await db.schema("grant_body_settings").id()
            .field("body_id", .uuid, .required, .references("public_bodies", "id"))
            .field("relax_separation", .bool, .required).field("reason", .string, .required)
            .field("version", .int, .required).field("updated_at", .datetime)
            .unique(on: "body_id").create()
        try await db.schema(DiarieSequence.table)
            .field("body_id", .uuid, .required).field("year", .int, .required).field("last", .int, .required)
            .unique(on: "body_id", "year").create()
        try await db.sql.raw("CREATE INDEX grant_applications_diarienummer ON grant_applications (diarienummer)").run()

        // Seed each body's sequences from the automatic numbers already on decisions.
        var highest: [String: (body: UUID, year: Int, n: Int)] = [:]
        // Only the columns this migration knows: later migrations add columns the model reads (e.g. G004's override).
        for d in try await GrantDecision.query(on: db).field(\.$id).field(\.$diarienummer).field(\.$programmeID).all() {
            guard let (year, n) = DiarieRules.parse(d.diarienummer), let p = try await GrantProgramme.find(d.programmeID, on: db) else { continue }
            let key = "\(p.bodyID)-\(year)"
            if (highest[key]?.n ?? 0) < n { highest[key] = (p.bodyID, year, n) }
        }
        for h in highest.values {
            try await db.sql.raw("INSERT INTO diarie_sequences (body_id, year, last) VALUES (\(bind: h.body), \(bind: h.year), \(bind: h.n))").run()
        }
        // Applications received before registration existed take their decision's number, or the next one.
        let received = try await GrantApplication.query(on: db).filter(\.$submittedAt != nil).sort(\.$submittedAt).all()
        for a in received {
            if let d = try await GrantDecision.query(on: db).field(\.$id).field(\.$diarienummer).filter(\.$applicationID == a.id!).sort(\.$createdAt).first() {
                a.diarienummer = d.diarienummer
            } else if let call = try await GrantCall.find(a.callID, on: db), let p = try await GrantProgramme.find(call.programmeID, on: db) {
                let year = LocalDate(a.submittedAt ?? Date()).year
                a.diarienummer = try await DiarieSequence.next(bodyID: p.bodyID, year: year, on: db.sql)
            }
            a.registeredOn = LocalDate(a.submittedAt ?? Date()).description
            try await a.save(on: db)
        }
    }

    /// Drops the new tables; the added columns go with their tables when G001 is reverted (SQLite cannot drop
    /// columns that take part in an index portably, and nothing reads them once this is reverted).
    func revert(on db: any Database) async throws {
        try await db.schema(DiarieSequence.table).delete()
        try await db.schema("grant_body_settings").delete()
        try await db.sql.raw("DROP INDEX grant_applications_diarienummer").run()
    }
}

/// The per-body, per-year diarienummer sequence. Taken inside the registering transaction: a rolled-back
/// registration gives its number back (no gaps), and the row lock makes two nodes take turns (no duplicates).
enum DiarieSequence {
    static let table = "diarie_sequences"

    static func next(bodyID: UUID, year: Int, on sql: any SQLDatabase) async throws -> String {
        try await sql.raw("INSERT INTO diarie_sequences (body_id, year, last) VALUES (\(bind: bodyID), \(bind: year), 0) ON CONFLICT (body_id, year) DO NOTHING").run()
        let row = try await sql.raw("UPDATE diarie_sequences SET last = last + 1 WHERE body_id = \(bind: bodyID) AND year = \(bind: year) RETURNING last").first()
        guard let n = try row?.decode(column: "last", as: Int.self) else { throw AppError(.internalServerError, "Diarienumret kunde inte tas.") }
        return DiarieRules.format(year: year, number: n)
    }
}
