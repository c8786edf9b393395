import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// A kind of notification a feature module sends, registered when the module is registered. Its texts are
/// `notify.<key>.subject` and `notify.<key>.body` (with `{0}` … for the arguments) and `notify.<key>.label` on the
/// account page.
struct NotificationKind: Sendable {
    var key: String
    /// The module's heading on the account page (a localisation key).
    var groupKey: String
    var defaultMode: DeliveryMode
}

/// Notifications: one row per person and event, listed in the app (`/notifications`, read/unread) and mailed through
/// the outbox at once, in a daily digest, or not at all, as the person chose per kind. Texts are written in the
/// recipient's language when the mail is made (not when the event happens), so a person who switches to English gets
/// English mail from then on.
enum NotificationService {
    static let kinds = Hooks<NotificationKind>()

    static func kind(_ key: String) -> NotificationKind? { kinds.all.first { $0.key == key } }

    /// Notifies each of `userIDs` (duplicates ignored) in the caller's transaction. With a `dedupe` key a person is
    /// notified at most once for it (reminders).
    static func notify(_ userIDs: [UUID], kind: String, params: [String], link: String, dedupe: String? = nil, in ctx: WriteContext) async throws {
        let users = Array(Set(userIDs))
        guard !users.isEmpty else { return }
        let defaultMode = Self.kind(kind)?.defaultMode ?? .now
        let prefs = try await NotificationPreference.query(on: ctx.db).filter(\.$userID ~~ users).filter(\.$kind == kind).all()
        let chosen = prefs.keyed { ($0.userID, $0.mode) }
        var already: Set<UUID> = []
        if let dedupe {
            already = Set(try await UserNotification.query(on: ctx.db).filter(\.$userID ~~ users).filter(\.$dedupeKey == dedupe).all().map(\.userID))
        }
        let now = Date()
        for uid in users where !already.contains(uid) {
            let n = UserNotification()
            n.id = UUID()
            n.userID = uid
            n.kind = kind
            n.params = JSONText.encode(params)
            n.link = link
            n.dedupeKey = dedupe
            n.delivery = NotificationRules.mode(kind: kind, chosen: chosen[uid].map { [kind: $0] } ?? [:], defaultMode: defaultMode).rawValue
            n.createdAt = now
            try await n.create(on: ctx.db)
        }
    }

    /// Which of these dedupe keys some notification already carries.
    static func sentKeys(_ keys: [String], on db: any Database) async throws -> [String] {
        var out: [String] = []
        for chunk in keys.chunked(by: 500) {
            out += try await UserNotification.query(on: db).filter(\.$dedupeKey ~~ Array(chunk)).all().compactMap(\.dedupeKey)
        }
        return out
    }

    /// The users who act for an organisation (its representatives).
    static func representatives(of organisationID: UUID, on db: any Database) async throws -> [UUID] {
        try await Membership.query(on: db).filter(\.$organisationID == organisationID).filter(\.$role == .representative).all().map(\.userID)
    }

    /// Users who chose something other than "none" for a kind (the opt-in audience).
    static func subscribers(of kind: String, on db: any Database) async throws -> [UUID] {
        try await NotificationPreference.query(on: db).filter(\.$kind == kind).filter(\.$mode != .none).all().map(\.userID)
    }

    // MARK: Reading

    static func list(userID: UUID, unreadOnly: Bool, page: PageRequest, on db: any Database) async throws -> (items: [UserNotification], total: Int) {
        var q = UserNotification.query(on: db).filter(\.$userID == userID)
        if unreadOnly { q = q.filter(\.$readAt == nil) }
        let total = try await q.count()
        return (try await q.sort(\.$createdAt, .descending).sort(\.$id).range(page.offset..<(page.offset + page.per)).all(), total)
    }

    static func unreadCount(userID: UUID, on db: any Database) async throws -> Int {
        try await UserNotification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).count()
    }

    /// Marks one of the user's notifications read (404 for anyone else's); nil marks all of them.
    static func markRead(_ id: UUID?, userID: UUID, on db: any Database) async throws {
        if let id {
            guard let n = try await UserNotification.find(id, on: db), n.userID == userID else { throw AppError.notFound() }
            if n.readAt == nil { n.readAt = Date(); try await n.save(on: db) }
        } else {
            try await UserNotification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).set(\.$readAt, to: Date()).update()
        }
    }

    static func preferences(userID: UUID, on db: any Database) async throws -> [String: DeliveryMode] {
        try await NotificationPreference.query(on: db).filter(\.$userID == userID).all().keyed { ($0.kind, $0.mode) }
    }

    /// Saves the user's choices; unknown kinds are a field error.
    static func setPreferences(_ choices: [String: DeliveryMode], in ctx: WriteContext) async throws {
        guard let uid = ctx.actor.userID else { throw AppError.forbidden() }
        var errors = FieldErrors()
        for k in choices.keys.sorted() where kind(k) == nil { errors.add(k, code: "unknownKind") }
        try errors.throwIfAny()
        let existing = try await NotificationPreference.query(on: ctx.db).filter(\.$userID == uid).all()
        for (k, mode) in choices {
            if let p = existing.first(where: { $0.kind == k }) {
                p.mode = mode
                try await p.save(on: ctx.db)
            } else {
                let p = NotificationPreference()
                p.userID = uid
                p.kind = k
                p.mode = mode
                try await p.create(on: ctx.db)
            }
        }
        ctx.auditSummary("notificationPreferences", User.auditEntityType, uid.uuidString,
                         choices.keys.sorted().map { ($0, JSONValue.string(choices[$0]?.rawValue ?? "")) })
    }

    // MARK: Texts

    static func subject(_ n: UserNotification, _ lang: Language, _ l: Localizer) -> String { l.text("notify.\(n.kind).subject", lang, n.arguments) }
    static func body(_ n: UserNotification, _ lang: Language, _ l: Localizer) -> String { l.text("notify.\(n.kind).body", lang, n.arguments) }

    // MARK: Mail

    /// Mails notifications due now, and the daily digests that are due. Rows are claimed and mailed in one transaction,
    /// so on many nodes each goes out once and none is lost.
    @discardableResult
    static func dispatch(_ app: Application, now: Date = Date()) async throws -> Int {
        var mailed = 0
        for delivery in [DeliveryMode.now, .digest] {
            // Most ticks have nothing to mail: look first, without a transaction or the writers' lock.
            var waiting = UserNotification.query(on: app.db).filter(\.$mailedAt == nil).filter(\.$delivery == delivery.rawValue)
            if delivery == .digest {
                guard let cutoff = NotificationRules.lastDigest(now: now) else { continue }
                waiting = waiting.filter(\.$createdAt < cutoff)
            }
            guard try await waiting.first() != nil else { continue }
            mailed += try await app.db.write(as: .system("notifications")) { ctx -> Int in
                let lock: SQLQueryString = ctx.db.sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
                var candidates: SQLQueryString = "SELECT id, created_at FROM notifications WHERE mailed_at IS NULL AND delivery = \(bind: delivery.rawValue) ORDER BY created_at LIMIT 500"
                candidates += lock
                let rows = try await ctx.db.sql.raw(candidates).all()
                var ids: [UUID] = []
                for r in rows {
                    guard let id = try? r.decode(column: "id", as: UUID.self), let at = try? r.decode(column: "created_at", as: Date.self) else { continue }
                    if delivery == .now || NotificationRules.digestDue(createdAt: at, now: now) { ids.append(id) }
                }
                guard !ids.isEmpty else { return 0 }
                let list = try await UserNotification.query(on: ctx.db).filter(\.$id ~~ ids).sort(\.$createdAt).all()
                try await UserNotification.query(on: ctx.db).filter(\.$id ~~ ids).set(\.$mailedAt, to: now).update()
                let users = try await User.query(on: ctx.db).filter(\.$id ~~ Array(Set(list.map(\.userID)))).all()
                let byID = users.byID
                let base = app.config.publicBaseURL
                let l = app.localizer
                var sent = 0
                for (uid, items) in Dictionary(grouping: list, by: \.userID) {
                    guard let u = byID[uid], u.status == .active || u.status == .invited else { continue }
                    let lang = Language(rawValue: u.language) ?? .sv
                    let message: MailMessage
                    if delivery == .now {
                        for n in items {
                            let m = MailMessage(to: u.email, subject: subject(n, lang, l), body: body(n, lang, l) + "\n\n" + base + n.link
                                                + "\n\n" + l.text("notify.footer", lang, [base + "/account#h-notify"]))
                            try await Outbox.enqueue(m, in: ctx)
                            sent += 1
                        }
                        continue
                    }
                    let lines = items.map { "• " + subject($0, lang, l) + "\n  " + base + $0.link }.joined(separator: "\n")
                    let plural = items.count == 1 ? "one" : "other"
                    message = MailMessage(to: u.email, subject: l.text("notify.digest.subject.\(plural)", lang, [String(items.count)]),
                                          body: l.text("notify.digest.body", lang, [String(items.count)]) + "\n\n" + lines
                                          + "\n\n" + l.text("notify.footer", lang, [base + "/account#h-notify"]))
                    try await Outbox.enqueue(message, in: ctx)
                    sent += 1
                }
                return sent
            }
        }
        return mailed
    }
}

extension NotificationService {
    /// Notifications and delivery choices in the personal-data register, export and erasure.
    static let personalData = PersonalDataContributor(
        entries: [
            .init(table: "notifications", field: "user_id, params", key: "notifications.user_id"),
            .init(table: "notification_preferences", field: "user_id, kind, mode", key: "notification_preferences.user_id"),
        ],
        export: { userID, _, db in
            let list = try await UserNotification.query(on: db).filter(\.$userID == userID).sort(\.$createdAt).all()
            let prefs = try await NotificationPreference.query(on: db).filter(\.$userID == userID).all()
            return [
                ("notifications", .array(list.map { n in
                    ["kind": .string(n.kind), "params": .array(n.arguments.map { .string($0) }), "link": .string(n.link),
                     "createdAt": .string(AuditChain.timestamp(n.createdAt)), "read": .bool(n.readAt != nil)]
                })),
                ("notificationPreferences", .array(prefs.map { ["kind": .string($0.kind), "mode": .string($0.mode.rawValue)] })),
            ]
        },
        erase: { userID, _, ctx in
            try await UserNotification.query(on: ctx.db).filter(\.$userID == userID).delete()
            try await NotificationPreference.query(on: ctx.db).filter(\.$userID == userID).delete()
        })
}
