import Foundation

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
