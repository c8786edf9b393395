import Foundation

/// Money is integer öre everywhere (1 krona = 100 öre). These helpers parse what people type and format
/// amounts the Swedish way.
public enum Money {
    /// The largest amount the system accepts: 10 000 000 000 kr.
    public static let maxOre = 1_000_000_000_000

    /// Parses "12 345", "12 345,50", "12345.5", "12 345 kr" into öre; nil for anything else (negative included).
    public static func parseKronor(_ text: String) -> Int? {
        var s = text.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in ["kronor", "kr", ":-", "sek"] where s.hasSuffix(suffix) { s = String(s.dropLast(suffix.count)) }
        s = s.filter { !$0.isWhitespace && $0 != "\u{00A0}" }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }) else { return nil }
        let parts = s.replacingOccurrences(of: ",", with: ".").split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0].isEmpty ? "0" : String(parts[0])), whole <= maxOre / 100 else { return nil }
        var ore = whole * 100
        if parts.count == 2 {
            let frac = String(parts[1])
            guard frac.count >= 1, frac.count <= 2, let f = Int(frac) else { return nil }
            ore += frac.count == 1 ? f * 10 : f
        }
        return ore <= maxOre ? ore : nil
    }

    /// "12 345 kr" or "12 345,50 kr" (no-break spaces; English: "SEK 12,345.50").
    public static func format(_ ore: Int, _ lang: String = "sv") -> String {
        let negative = ore < 0
        let a = abs(ore)
        let kr = a / 100, o = a % 100
        let digits = String(kr)
        var grouped = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped += lang == "en" ? "," : "\u{00A0}" }
            grouped.append(ch)
        }
        let sign = negative ? "−" : ""
        if lang == "en" { return "SEK \(sign)\(grouped)" + (o == 0 ? "" : String(format: ".%02d", o)) }
        return "\(sign)\(grouped)" + (o == 0 ? "" : String(format: ",%02d", o)) + "\u{00A0}kr"
    }

    /// Decimal kronor for machine-readable files: 12345.5 → "12345.50".
    public static func decimal(_ ore: Int) -> String {
        String(format: "%@%d.%02d", ore < 0 ? "-" : "", abs(ore) / 100, abs(ore) % 100)
    }
}
