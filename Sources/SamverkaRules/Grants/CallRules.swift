import Foundation

/// When a call accepts applications: from the opening day until the end of the closing day, Swedish time.
public enum CallRules {
    public static func isOpen(opensOn: LocalDate, closesOn: LocalDate, now: Date) -> Bool {
        let today = LocalDate(now)
        return today >= opensOn && today <= closesOn
    }

    /// A report is overdue the day after its due date while it has not been approved or submitted.
    public static func reportOverdue(dueOn: LocalDate, status: String, today: LocalDate) -> Bool {
        (status == "pending" || status == "completionRequested") && today > dueOn
    }
}
