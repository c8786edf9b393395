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

    /// When the report (redovisning) is due: the last day of the month `months` after the end of the grant year
    /// (31 December itself for 0).
    public static func reportDue(year: Int, months: Int) -> LocalDate {
        let end = LocalDate.clamped(year: year, month: 12, day: 31)
        let m = addMonths(LocalDate.clamped(year: year + 1, month: 1, day: 1), max(0, months - 1))
        return months == 0 ? end : LocalDate.clamped(year: m.year, month: m.month, day: LocalDate.daysIn(month: m.month, year: m.year))
    }

    public static func addMonths(_ d: LocalDate, _ months: Int) -> LocalDate {
        let total = d.year * 12 + (d.month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return LocalDate.clamped(year: y, month: m, day: d.day)
    }
}
