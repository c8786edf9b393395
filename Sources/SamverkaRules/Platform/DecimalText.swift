import Foundation

/// Decimal numbers as people read them: Swedish decimal comma (3,67), English point (3.67).
public enum DecimalText {
    public static func format(_ value: Double, digits: Int, lang: String) -> String {
        let s = String(format: "%.\(digits)f", value)
        return lang == "en" ? s : s.replacingOccurrences(of: ".", with: ",")
    }
}
