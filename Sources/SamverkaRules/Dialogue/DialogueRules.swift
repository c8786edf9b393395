import Foundation

/// A forum's meeting plan, e.g. "4 meetings a year + 1 autumn meeting on the regional plan and budget"
/// (Region Kalmar län's councils, seed 000).
public struct Cadence: Codable, Sendable, Equatable {
    public struct Extra: Codable, Sendable, Equatable {
        public var month: Int
        public var title: String
        public init(month: Int, title: String) {
            self.month = month
            self.title = title
        }
    }

    /// Regular meetings per year (0–12).
    public var meetingsPerYear: Int
    /// The months of the regular meetings; spread over the year when nil.
    public var months: [Int]?
    /// ISO weekday of meetings: 1 = Monday … 7 = Sunday.
    public var weekday: Int
    /// Which of the month's `weekday`s regular meetings fall on (1–4).
    public var week: Int
    /// "HH:MM", Swedish time.
    public var startTime: String
    public var durationMinutes: Int
    /// Extra meetings; each falls on the last `weekday` of its month.
    public var extra: [Extra]

    public init(meetingsPerYear: Int, months: [Int]? = nil, weekday: Int = 2, week: Int = 2, startTime: String = "13:00",
                durationMinutes: Int = 120, extra: [Extra] = []) {
        self.meetingsPerYear = meetingsPerYear
        self.months = months
        self.weekday = weekday
        self.week = week
        self.startTime = startTime
        self.durationMinutes = durationMinutes
        self.extra = extra
    }
}

public struct PlannedMeeting: Sendable, Equatable {
    public var date: LocalDate
    public var title: String
    public var isExtra: Bool
}

public enum CadenceRules {
    /// The regular months when none are given: evenly spread, starting in February (January and July are
    /// holiday months in Sweden). 4 → Feb, May, Aug, Nov.
    public static func defaultMonths(_ n: Int) -> [Int] {
        guard n > 0 else { return [] }
        return (0..<min(n, 12)).map { 1 + (12 * $0 + 6) / min(n, 12) }
    }

    /// The `n`th `weekday` (ISO, 1 = Monday) of a month; `n` = 0 means the last one.
    public static func weekday(_ weekday: Int, n: Int, month: Int, year: Int) -> LocalDate {
        if n == 0 {
            let last = LocalDate.clamped(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))
            let back = (last.isoWeekday - weekday + 7) % 7
            return last.adding(days: -back)
        }
        let first = LocalDate.clamped(year: year, month: month, day: 1)
        let forward = (weekday - first.isoWeekday + 7) % 7
        return first.adding(days: forward + 7 * (n - 1))
    }

    /// The year's meetings, in date order. Kalmar's 4 + 1 gives five.
    public static func plan(_ c: Cadence, year: Int, forumName: String) -> [PlannedMeeting] {
        let months = c.months ?? defaultMonths(c.meetingsPerYear)
        var out = months.prefix(max(0, c.meetingsPerYear)).map {
            PlannedMeeting(date: weekday(c.weekday, n: c.week, month: $0, year: year), title: "\(forumName) – sammanträde", isExtra: false)
        }
        out += c.extra.map { PlannedMeeting(date: weekday(c.weekday, n: 0, month: $0.month, year: year), title: $0.title, isExtra: true) }
        return out.sorted { $0.date < $1.date }
    }

    public static func validate(_ c: Cadence) -> FieldErrors {
        var e = FieldErrors()
        if !(0...12).contains(c.meetingsPerYear) { e.add("cadence.meetingsPerYear", code: "range", "0", "12") }
        if let m = c.months {
            if m.contains(where: { !(1...12).contains($0) }) { e.add("cadence.months", code: "range", "1", "12") }
            if m.count != c.meetingsPerYear { e.add("cadence.months", code: "monthsCount", String(c.meetingsPerYear)) }
            if Set(m).count != m.count { e.add("cadence.months", code: "duplicate") }
        }
        if !(1...7).contains(c.weekday) { e.add("cadence.weekday", code: "range", "1", "7") }
        if !(1...4).contains(c.week) { e.add("cadence.week", code: "range", "1", "4") }
        if TimeOfDay(c.startTime) == nil { e.add("cadence.startTime", code: "time") }
        if !(15...600).contains(c.durationMinutes) { e.add("cadence.durationMinutes", code: "range", "15", "600") }
        for (i, x) in c.extra.enumerated() {
            if !(1...12).contains(x.month) { e.add("cadence.extra[\(i)].month", code: "range", "1", "12") }
            if x.title.trimmingCharacters(in: .whitespaces).isEmpty { e.add("cadence.extra[\(i)].title", code: "required") }
        }
        if c.extra.count > 12 { e.add("cadence.extra", code: "tooMany", "12") }
        return e
    }
}


/// Composition rules of a forum, e.g. RÖS-gruppen: 5 politicians + 5 organisation representatives (seed 002).
public struct CompositionRule: Codable, Sendable, Equatable {
    public var category: String
    public var min: Int?
    public var max: Int?
    public init(category: String, min: Int? = nil, max: Int? = nil) {
        self.category = category
        self.min = min
        self.max = max
    }
}

public enum CompositionRules {
    public struct Warning: Sendable, Equatable {
        public var category: String
        public var count: Int
        public var min: Int?
        public var max: Int?
    }

    /// Compares the ordinary seats held today per category with the rules; a warning per rule broken.
    public static func check(_ rules: [CompositionRule], ordinarySeatsByCategory counts: [String: Int]) -> [Warning] {
        rules.compactMap { r in
            let n = counts[r.category] ?? 0
            if let lo = r.min, n < lo { return Warning(category: r.category, count: n, min: r.min, max: r.max) }
            if let hi = r.max, n > hi { return Warning(category: r.category, count: n, min: r.min, max: r.max) }
            return nil
        }
    }

    public static func validate(_ rules: [CompositionRule]) -> FieldErrors {
        var e = FieldErrors()
        var seen = Set<String>()
        for (i, r) in rules.enumerated() {
            if SeatCategory(rawValue: r.category) == nil { e.add("composition[\(i)].category", code: "oneOf", SeatCategory.rawValues.joined(separator: ", ")) }
            if !seen.insert(r.category).inserted { e.add("composition[\(i)].category", code: "duplicate") }
            if r.min == nil && r.max == nil { e.add("composition[\(i)]", code: "minOrMax") }
            if let lo = r.min, !(0...500).contains(lo) { e.add("composition[\(i)].min", code: "range", "0", "500") }
            if let hi = r.max, !(0...500).contains(hi) { e.add("composition[\(i)].max", code: "range", "0", "500") }
            if let lo = r.min, let hi = r.max, lo > hi { e.add("composition[\(i)].max", code: "minAboveMax") }
        }
        return e
    }
}

/// Meetings: quorum and the path from held to published minutes.
public enum MeetingRules {
    /// Quorum: more than half of the ordinary seats are present (a substitute stands in for the seat they replace).
    public static func hasQuorum(ordinarySeats: Int, present: Int) -> Bool {
        ordinarySeats > 0 && present * 2 > ordinarySeats
    }

    /// Minutes may be published when both the chair and the adjuster (justerare) have approved them.
    public static func mayPublish(status: MeetingStatus, chairApproved: Bool, adjusterApproved: Bool) -> Bool {
        status == .held && chairApproved && adjusterApproved
    }

    /// Approved minutes that are changed must be approved again: any change to the text of the minutes (an item's
    /// minutes or decision, the introduction) voids the approvals given so far.
    public static func changeVoidsApprovals(before: [String], after: [String]) -> Bool { before != after }

    /// A meeting can be marked held on or after its day, not before.
    public static func mayMarkHeld(meetingDay: LocalDate, today: LocalDate) -> Bool { meetingDay <= today }

    /// The chair and the adjuster approve minutes of a meeting they took part in: when attendance was taken they
    /// must be recorded present; when it was not, they must not have declined.
    public static func mayApproveMinutes(present: Bool?, rsvp: RSVP?) -> Bool {
        if let present { return present }
        return rsvp != .declined
    }

    /// Allowed status changes by the secretary.
    public static func mayChange(from: MeetingStatus, to: MeetingStatus) -> Bool {
        switch (from, to) {
        case (.planned, .confirmed), (.planned, .cancelled), (.confirmed, .cancelled), (.confirmed, .held), (.confirmed, .planned): return true
        case (.held, .published): return false // only through approval
        default: return false
        }
    }
}

/// Feedback (återkoppling) on questions and proposals raised in dialogue: deadlines and the feedback rate.
public enum FeedbackRules {
    public static let defaultDays = 30

    /// The deadline for an answer: `days` after the question, or — when the forum answers "by the next meeting"
    /// — the next meeting's date, but never sooner than a week away (falls back to `days` without a meeting).
    public static func deadline(raisedOn: LocalDate, days: Int, byNextMeeting: Bool, nextMeeting: LocalDate?) -> LocalDate {
        let byDays = raisedOn.adding(days: max(1, days))
        guard byNextMeeting, let next = nextMeeting, next > raisedOn else { return byDays }
        return max(next, raisedOn.adding(days: 7))
    }

    public struct Facts: Sendable, Equatable {
        public var raisedOn: LocalDate
        public var deadline: LocalDate
        /// The day the answer (or the forwarding note) was given.
        public var answeredOn: LocalDate?
        public init(raisedOn: LocalDate, deadline: LocalDate, answeredOn: LocalDate?) {
            self.raisedOn = raisedOn
            self.deadline = deadline
            self.answeredOn = answeredOn
        }
    }

    public struct Rate: Sendable, Equatable {
        /// Questions that can be judged: answered, or open past their deadline.
        public var judged: Int
        public var answeredInTime: Int
        public var answeredLate: Int
        /// Open and past the deadline today.
        public var overdue: Int
        /// Open, deadline not yet passed.
        public var pending: Int
        /// answeredInTime ÷ judged; nil when nothing can be judged yet.
        public var share: Double?
        /// Median days from question to answer over answered questions.
        public var medianDays: Double?
    }

    /// The feedback rate: the share of questions answered within their deadline (open questions count once
    /// their deadline has passed) and the median number of days to an answer.
    public static func rate(_ qs: [Facts], today: LocalDate) -> Rate {
        var inTime = 0, late = 0, overdue = 0, pending = 0
        var days: [Int] = []
        for q in qs {
            if let a = q.answeredOn {
                if a <= q.deadline { inTime += 1 } else { late += 1 }
                days.append(q.raisedOn.days(until: a))
            } else if today > q.deadline {
                overdue += 1
            } else {
                pending += 1
            }
        }
        let judged = inTime + late + overdue
        days.sort()
        let median: Double? = days.isEmpty ? nil
            : days.count % 2 == 1 ? Double(days[days.count / 2]) : Double(days[days.count / 2 - 1] + days[days.count / 2]) / 2
        return Rate(judged: judged, answeredInTime: inTime, answeredLate: late, overdue: overdue, pending: pending,
                    share: judged == 0 ? nil : Double(inTime) / Double(judged), medianDays: median)
    }

    /// Allowed status changes. Answering, forwarding and closing need a written answer (checked by the service).
    public static func mayChange(from: QuestionStatus, to: QuestionStatus) -> Bool {
        switch (from, to) {
        case (.received, .inProgress), (.received, .answered), (.received, .forwarded), (.inProgress, .answered),
             (.inProgress, .forwarded), (.answered, .closed), (.forwarded, .closed), (.answered, .inProgress):
            return true
        default:
            return false
        }
    }

    /// Reminders go to the owner this many days before the deadline.
    public static let reminderDays = 3
    public static func needsReminder(status: QuestionStatus, deadline: LocalDate, today: LocalDate, alreadyReminded: Bool) -> Bool {
        status.isOpen && !alreadyReminded && today >= deadline.adding(days: -reminderDays)
    }
}

/// Consultations (remiss): who may respond when, and when responses become public.
public enum ConsultationRules {
    /// Responses are accepted until the end of the deadline day.
    public static func acceptsResponses(status: ConsultationStatus, deadline: LocalDate, today: LocalDate) -> Bool {
        status == .open && today <= deadline
    }

    /// Responses are public documents once the deadline has passed.
    public static func responsesPublic(deadline: LocalDate, today: LocalDate) -> Bool { today > deadline }

    /// The compilation (remissammanställning) is complete when every comment has an outcome.
    public static func compilationComplete(outcomes: [String?]) -> Bool { !outcomes.isEmpty && outcomes.allSatisfy { $0 != nil } }
}

/// Event registration with capacity and waiting list.
public enum RegistrationRules {
    public static func statusForNew(capacity: Int?, registered: Int) -> RegistrationStatus {
        guard let capacity else { return .registered }
        return registered < capacity ? .registered : .waitlisted
    }

    /// How many from the waiting list move up when places free: the free places, at most the waiting count.
    public static func promotions(capacity: Int?, registered: Int, waiting: Int) -> Int {
        guard let capacity else { return waiting }
        return max(0, min(waiting, capacity - registered))
    }

    public static func isOpen(closesOn: LocalDate?, startsOn: LocalDate, today: LocalDate) -> Bool {
        today <= (closesOn ?? startsOn) && today <= startsOn
    }
}

/// Where a seat's term stands on a day, and how it ends or changes hands.
public enum SeatRules {
    public enum Phase: String, Sendable, Codable, Equatable {
        /// The term has not started: listed with the members as coming, can get a substitute, be ended or change holder.
        case upcoming
        case current
        /// The term is over (or ended before it began): history.
        case ended
    }

    public static func phase(termFrom: LocalDate, termTo: LocalDate?, on day: LocalDate) -> Phase {
        if let termTo, termTo < termFrom || termTo < day { return .ended }
        return termFrom > day ? .upcoming : .current
    }

    /// The last day of a seat ended on `day`: that day for a seat that has begun; for one that has not, the day
    /// before it would have begun (it never starts, and stays in the history).
    public static func endDay(termFrom: LocalDate, ending day: LocalDate) -> LocalDate {
        day < termFrom ? termFrom.adding(days: -1) : day
    }

    /// When a new holder takes a seat over from `newFrom`: the old holding's last day, or nil when the change is not
    /// possible (a holding that has begun can only be handed over after its first day).
    public static func handoverEnd(oldFrom: LocalDate, newFrom: LocalDate, today: LocalDate) -> LocalDate? {
        if newFrom > oldFrom { return newFrom.adding(days: -1) }
        if oldFrom > today && newFrom >= today { return oldFrom.adding(days: -1) }
        return nil
    }
}
