import Foundation

/// How a programme pays out a decided grant.
public enum PaymentModel: String, Codable, Sendable, CaseIterable {
    /// The whole amount soon after the decision.
    case single
    /// Equal instalments (2–12), the rounding remainder in the last one.
    case instalments
    /// Region Kalmar län's model (seed 000): 50 % in advance in January of the grant year, computed from last
    /// year's granted amount; the final amount in June = decided − advance; a negative final is a reclaim.
    case kalmar
}

public struct PlannedPayment: Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case single, instalment, advance, final }
    public var kind: Kind
    public var dueOn: LocalDate
    public var amountOre: Int
}

/// Payment schedules. Rounding rule: all amounts are integer öre; the Kalmar advance is half of last year's
/// granted amount rounded down to whole kronor; instalments are whole kronor with the remainder in the last;
/// the final payment takes whatever is left, so payments always add up to exactly the decided amount.
public enum PaymentRules {
    /// Days after the decision that a single payment or the first instalment falls due.
    public static let paymentLagDays = 14

    /// The Kalmar advance for `year`: half of last year's granted amount, paid in January. nil without a previous grant.
    public static func kalmarAdvance(lastYearGrantedOre: Int?, year: Int) -> PlannedPayment? {
        guard let last = lastYearGrantedOre, last > 0 else { return nil }
        return PlannedPayment(kind: .advance, dueOn: LocalDate.clamped(year: year, month: 1, day: 31), amountOre: last / 2 / 100 * 100)
    }

    /// Payments that follow a decision, and the amount to reclaim (Kalmar: when the advance exceeds the decided amount).
    public static func schedule(model: PaymentModel, decidedOre: Int, decidedOn: LocalDate, year: Int, instalments: Int = 4,
                                advancePaidOre: Int = 0) -> (payments: [PlannedPayment], reclaimOre: Int) {
        let first = decidedOn.adding(days: paymentLagDays)
        switch model {
        case .single:
            return decidedOre > 0 ? ([PlannedPayment(kind: .single, dueOn: first, amountOre: decidedOre)], 0) : ([], 0)
        case .instalments:
            let n = max(2, min(12, instalments))
            guard decidedOre > 0 else { return ([], 0) }
            let part = decidedOre / n / 100 * 100
            let stepMonths = 12 / n
            var out: [PlannedPayment] = []
            for i in 0..<n {
                let amount = i == n - 1 ? decidedOre - part * (n - 1) : part
                out.append(PlannedPayment(kind: .instalment, dueOn: addMonths(first, i * stepMonths), amountOre: amount))
            }
            return (out, 0)
        case .kalmar:
            let june = LocalDate.clamped(year: year, month: 6, day: 30)
            let due = decidedOn > june ? first : june
            let final = decidedOre - advancePaidOre
            if final > 0 { return ([PlannedPayment(kind: .final, dueOn: due, amountOre: final)], 0) }
            return ([], -final)
        }
    }

    static func addMonths(_ d: LocalDate, _ months: Int) -> LocalDate {
        let total = d.year * 12 + (d.month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return LocalDate.clamped(year: y, month: m, day: d.day)
    }
}

/// The EU de minimis ceiling: at most EUR 300,000 of such state aid to one undertaking over three years.
public enum DeMinimisRules {
    public static let ceilingEUR = 300_000

    public struct Check: Sendable, Equatable {
        public var previousOre: Int
        public var newOre: Int
        public var ceilingOre: Int
        public var exceeds: Bool
        public var totalOre: Int { previousOre + newOre }
    }

    /// Sums state aid decided in the three years up to `on` (a rolling period) plus the new amount.
    public static func check(previous: [(decidedOn: LocalDate, ore: Int)], newOre: Int, on: LocalDate, eurToSek: Double) -> Check {
        let from = on.adding(days: -(3 * 365 + 1))
        let sum = previous.filter { $0.decidedOn > from && $0.decidedOn <= on }.reduce(0) { $0 + $1.ore }
        let ceiling = Int((Double(ceilingEUR) * eurToSek * 100).rounded())
        return Check(previousOre: sum, newOre: newOre, ceilingOre: ceiling, exceeds: sum + newOre > ceiling)
    }
}

/// Review: jäv first (see `JavRules`), then scores 1–5 per criterion; the summary shows mean and spread.
public enum ReviewRules {
    public struct Criterion: Codable, Sendable, Equatable {
        public var key: String
        public var label: String
        public var weight: Int
        public init(key: String, label: String, weight: Int) {
            self.key = key
            self.label = label
            self.weight = weight
        }
    }

    public struct CriterionSummary: Sendable, Equatable {
        public var key: String
        public var mean: Double?
        public var min: Int?
        public var max: Int?
        public var count: Int
        public var spread: Int? { min.flatMap { lo in max.map { $0 - lo } } }
    }

    /// Per criterion: mean, lowest and highest score; and the weighted mean over criteria that have scores.
    public static func summary(criteria: [Criterion], scores: [[String: Int]]) -> (criteria: [CriterionSummary], weighted: Double?) {
        var out: [CriterionSummary] = []
        var weightedSum = 0.0, weightTotal = 0
        for c in criteria {
            let values = scores.compactMap { $0[c.key] }
            let mean = values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
            out.append(CriterionSummary(key: c.key, mean: mean, min: values.min(), max: values.max(), count: values.count))
            if let mean { weightedSum += mean * Double(c.weight); weightTotal += c.weight }
        }
        return (out, weightTotal > 0 ? weightedSum / Double(weightTotal) : nil)
    }

    public static func validScore(_ s: Int) -> Bool { (1...5).contains(s) }
}

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
