import Foundation

/// How a person wants to hear about one kind of event: an e-mail at once, one e-mail a day with everything, or only in
/// the app. Every notification is listed in the app whatever the choice.
public enum DeliveryMode: String, Codable, Sendable, CaseIterable {
    case now, digest, none
}

/// Rules for notifications: which delivery applies, when the daily digest is due, and when a grant report is due soon.
public enum NotificationRules {
    /// The person's choice for a kind, else the kind's default.
    public static func mode(kind: String, chosen: [String: DeliveryMode], defaultMode: DeliveryMode) -> DeliveryMode {
        chosen[kind] ?? defaultMode
    }

    /// The digest of notifications waiting for it goes out once a day at or after `hour` (local time): a notification is
    /// ready for the digest when the previous digest hour has passed since it was made.
    public static func digestDue(createdAt: Date, now: Date, hour: Int = 7, calendar: Calendar = .stockholm) -> Bool {
        guard let last = lastDigest(now: now, hour: hour, calendar: calendar) else { return false }
        return createdAt < last
    }

    /// The most recent digest hour at or before `now`.
    public static func lastDigest(now: Date, hour: Int = 7, calendar: Calendar = .stockholm) -> Date? {
        guard let todays = calendar.date(bySettingHour: hour, minute: 0, second: 0, of: now) else { return nil }
        return todays <= now ? todays : calendar.date(byAdding: .day, value: -1, to: todays)
    }

    /// Days before its due date that a report reminder goes out.
    public static let reportReminderDays = 14

    /// A report that is owed and due within the reminder window (today included), not yet overdue.
    public static func reportDueSoon(dueOn: LocalDate, today: LocalDate) -> Bool {
        dueOn >= today && dueOn <= today.adding(days: reportReminderDays)
    }

    /// A report owed after its due date.
    public static func reportOverdue(dueOn: LocalDate, today: LocalDate) -> Bool { dueOn < today }
}

extension Calendar {
    /// The Gregorian calendar in Swedish time, for anything that happens "at 07:00" or "each day".
    public static var stockholm: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = .stockholm
        return c
    }
}
