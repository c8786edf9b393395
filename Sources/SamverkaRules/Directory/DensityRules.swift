import Foundation
/// Organisations per 1,000 inhabitants (föreningstäthet): organisations active in the area ÷ population × 1,000.
public struct DensityRow: Sendable, Equatable {
    public var code: String
    public var name: String
    public var organisations: Int
    public var population: Int?
    /// nil when the population is unknown or zero.
    public var perThousand: Double? {
        guard let population, population > 0 else { return nil }
        return Double(organisations) / Double(population) * 1000
    }

    public init(code: String, name: String, organisations: Int, population: Int? = nil) {
        self.code = code
        self.name = name
        self.organisations = organisations
        self.population = population
    }
}

public enum DensitySort: String, Sendable, CaseIterable {
    case name, organisations, population, density
}

public enum DensityRules {
    /// Sorts rows; rows without a density sort last whatever the direction.
    public static func sorted(_ rows: [DensityRow], by key: DensitySort, descending: Bool) -> [DensityRow] {
        rows.sorted { a, b in
            switch key {
            case .name:
                let r = a.name.compare(b.name, locale: .init(identifier: "sv_SE"))
                return descending ? r == .orderedDescending : r == .orderedAscending
            case .organisations:
                return descending ? a.organisations > b.organisations : a.organisations < b.organisations
            case .population:
                return compareOptional(a.population.map(Double.init), b.population.map(Double.init), descending)
            case .density:
                return compareOptional(a.perThousand, b.perThousand, descending)
            }
        }
    }

    public static func compareOptional(_ a: Double?, _ b: Double?, _ descending: Bool) -> Bool {
        switch (a, b) {
        case let (x?, y?): return descending ? x > y : x < y
        case (.some, nil): return true
        default: return false
        }
    }

    /// One decimal, Swedish decimal comma: 29,7.
    public static func format(_ value: Double?, lang: String) -> String {
        guard let value else { return "–" }
        // One decimal for 1 and above; below that, enough decimals for two significant digits (0,042, never "0,0").
        guard value > 0 else { return "0" }
        let digits = value >= 1 ? 1 : min(4, 1 - Int(floor(log10(value))))
        return DecimalText.format(value, digits: digits, lang: lang)
    }
}

/// Bars for the density chart, scaled to the largest value.
public struct BarChart: Sendable, Encodable {
    public struct Bar: Sendable, Encodable {
        public var label: String
        public var valueText: String
        public var y: Int
        public var width: Int
        public var labelY: Int
        public var valueX: Int
    }
    public var bars: [Bar]
    public var height: Int
    public var width: Int
    public var plotX: Int
    public var plotWidth: Int
    public var labelX: Int

    public static func make(_ items: [(label: String, value: Double, text: String)], plotWidth: Int = 480, rowHeight: Int = 24, labelWidth: Int = 170) -> BarChart {
        let maxValue = items.map(\.value).max() ?? 0
        var bars: [Bar] = []
        for (i, item) in items.enumerated() {
            let w = maxValue > 0 ? Int((item.value / maxValue * Double(plotWidth)).rounded()) : 0
            let width = max(w, item.value > 0 ? 1 : 0)
            bars.append(Bar(label: item.label, valueText: item.text, y: i * rowHeight + 4, width: width, labelY: i * rowHeight + 18, valueX: labelWidth + width + 6))
        }
        return BarChart(bars: bars, height: max(items.count * rowHeight + 8, 30), width: labelWidth + plotWidth + 70, plotX: labelWidth, plotWidth: plotWidth, labelX: labelWidth - 8)
    }
}
