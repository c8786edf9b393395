import Foundation

/// A closed vocabulary (legal forms, levels, forum kinds …). Raw values are the API's values; labels come from the
/// localisation files (`legalForm.<raw>` etc.); `aliases` lets CSV files use Swedish words.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    static var labelPrefix: String { get }
    var aliases: [String] { get }
}

extension Vocabulary {
    public var labelKey: String { "\(Self.labelPrefix).\(rawValue)" }

    /// Accepts the raw value or any alias, case- and space-insensitively.
    public static func parse(_ text: String) -> Self? {
        let norm = normalizeWord(text)
        guard !norm.isEmpty else { return nil }
        return allCases.first { c in normalizeWord(c.rawValue) == norm || c.aliases.contains { normalizeWord($0) == norm } }
    }

    public static var rawValues: [String] { allCases.map(\.rawValue) }
}

public func normalizeWord(_ s: String) -> String {
    s.lowercased().filter { $0.isLetter || $0.isNumber }
}

