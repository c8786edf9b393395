import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// An e-mail waiting to be delivered. Written in the same transaction as the change that caused it,
/// delivered afterwards by any node.
final class OutboxMail: Model, @unchecked Sendable {
    static let schema = "mail_outbox"
    var properties: [any AnyProperty] { [$id, $recipient, $subject, $body, $attempts, $lockedUntil, $sentAt, $lastError, $createdAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "last_error") var lastError: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// The transactional outbox: mail is queued in the same transaction as the change that causes it and
/// delivered afterwards by whichever node claims it.
enum Outbox {
    static func enqueue(_ message: MailMessage, in ctx: WriteContext) async throws {
        let m = OutboxMail()
        m.id = UUID()
        m.recipient = message.to
        m.subject = message.subject
        m.body = message.body
        m.attempts = 0
        m.lastError = ""
        try await m.create(on: ctx.db)
    }

    /// Claims up to `limit` undelivered messages and sends them. Safe to run on many nodes at once.
    @discardableResult
    static func deliverPending(_ app: Application, limit: Int = 20) async -> Int {
        let db = app.db
        let now = Date()
        var sent = 0
        do {
            // Claim with one statement; on PostgreSQL rows locked by another node are skipped.
            let lock: SQLQueryString = db.sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            var claim: SQLQueryString = """
                UPDATE mail_outbox SET locked_until = \(bind: now.addingTimeInterval(120)), attempts = attempts + 1
                WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND attempts < 10
                  AND (locked_until IS NULL OR locked_until < \(bind: now)) ORDER BY created_at LIMIT \(literal: limit)
                """
            claim += lock
            claim += ") RETURNING id"
            let ids = try await db.sql.raw(claim).all().map { try $0.decode(column: "id", as: UUID.self) }
            let claimed = ids.isEmpty ? [] : try await OutboxMail.query(on: db).filter(\.$id ~~ ids).all()
            for m in claimed {
                do {
                    try await app.mailer.send(MailMessage(to: m.recipient, subject: m.subject, body: m.body), from: app.config.mailFrom)
                    m.sentAt = Date()
                    m.lastError = ""
                    sent += 1
                } catch {
                    m.lastError = String(describing: error).prefix(500).description
                    app.logger.warning("mail delivery failed", metadata: ["to": .string(m.recipient), "error": .string(m.lastError)])
                }
                try await m.save(on: db)
            }
        } catch {
            app.logger.warning("outbox delivery failed", metadata: ["error": .string("\(error)")])
        }
        return sent
    }
}

