import Foundation

/// The progress line of a long import: rows done (of about how many), rows per second and the time left,
/// estimated from the rate so far. Used by the CLI on a terminal and by the browser's import progress page.
public struct ImportProgress: Sendable, Equatable {
    public var done: Int
    /// Rows expected in all (the file's line count less the header); nil when not known.
    public var total: Int?
    public var elapsed: Double

    public init(done: Int, total: Int?, elapsed: Double) {
        self.done = done
        self.total = total
        self.elapsed = elapsed
    }

    public var rowsPerSecond: Double? { elapsed > 0.2 && done > 0 ? Double(done) / elapsed : nil }

    /// Seconds left at the rate so far; nil until there is a rate (or without a total).
    public var secondsLeft: Int? {
        guard let total, let rate = rowsPerSecond else { return nil }
        return max(0, Int((Double(max(0, total - done)) / rate).rounded(.up)))
    }

    /// Whole percent done, at most 100 (the total is an estimate).
    public var percent: Int? {
        guard let total, total > 0 else { return nil }
        return min(100, done * 100 / total)
    }

    /// "12 000 av 300 000 rader (4 %) · 8 500 rader/s · cirka 34 s kvar" (Swedish) or the English equivalent.
    public func line(lang: String) -> String {
        let en = lang == "en"
        var parts: [String] = []
        if let total, let percent {
            parts.append(en ? "\(Self.grouped(done, en)) of \(Self.grouped(total, en)) rows (\(percent) %)"
                            : "\(Self.grouped(done, en)) av \(Self.grouped(total, en)) rader (\(percent) %)")
        } else {
            parts.append(en ? "\(Self.grouped(done, en)) rows" : "\(Self.grouped(done, en)) rader")
        }
        if let rate = rowsPerSecond { parts.append(en ? "\(Self.grouped(Int(rate), en)) rows/s" : "\(Self.grouped(Int(rate), en)) rader/s") }
        if let left = secondsLeft { parts.append(en ? "about \(Self.duration(left)) left" : "cirka \(Self.duration(left)) kvar") }
        return parts.joined(separator: " · ")
    }

    /// 75 → "1 min 15 s", 40 → "40 s".
    public static func duration(_ seconds: Int) -> String {
        seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
    }

    /// 300000 → "300 000" (Swedish) or "300,000" (English).
    static func grouped(_ n: Int, _ en: Bool) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(en ? "," : "\u{00A0}") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }
}
