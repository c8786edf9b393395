import Foundation

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
