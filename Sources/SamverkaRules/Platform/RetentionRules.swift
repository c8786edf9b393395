import Foundation

/// How long personal data is kept where a feature does not need it any more; the retention jobs apply these and
/// the privacy page states them.
public enum RetentionRules {
    /// Event registrations (names, e-mail, needs) are removed this many days after the event.
    public static let eventRegistrationDays = 30
    /// Mail that could not be delivered is given up (and removed) after this many days; delivered mail is removed at once.
    public static let undeliveredMailDays = 7

    /// True when an event's registrations are due for removal on `today`.
    public static func eventRegistrationsExpired(eventDay: LocalDate, today: LocalDate) -> Bool {
        today > eventDay.adding(days: eventRegistrationDays)
    }
}
