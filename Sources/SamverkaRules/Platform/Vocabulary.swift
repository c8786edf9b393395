import Foundation

/// A closed vocabulary (legal forms, levels, forum kinds …). Raw values are the API's values; labels come from the
/// localisation files (`legalForm.<raw>` etc.); `aliases` lets CSV files use Swedish words.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    static var labelPrefix: String { get }
    var aliases: [String] { get }
}

extension Vocabulary {
    public var labelKey: String { "\(Self.labelPrefix).\(rawValue)" }

    /// Accepts the raw value or any alias, case- and space-insensitively (the first case that has it, in order).
    public static func parse(_ text: String) -> Self? {
        let norm = normalizeWord(text)
        guard !norm.isEmpty else { return nil }
        return VocabularyIndex.shared.lookup(Self.self)[norm]
    }

    public static var rawValues: [String] { allCases.map(\.rawValue) }
}

/// Lower-cased letters and digits only. ASCII text (most codes and keys) takes a byte path with the same result.
public func normalizeWord(_ s: String) -> String {
    let utf8 = s.utf8
    if utf8.allSatisfy({ $0 < 0x80 }) {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        for b in utf8 {
            switch b {
            case 0x41...0x5A: out.append(b + 0x20)
            case 0x61...0x7A, 0x30...0x39: out.append(b)
            default: break
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
    return s.lowercased().filter { $0.isLetter || $0.isNumber }
}

/// Each vocabulary's normalised raw values and aliases, made once per process (they are code, not data):
/// parsing a CSV of 300,000 rows normalised every alias of every case for every cell.
final class VocabularyIndex: @unchecked Sendable {
    static let shared = VocabularyIndex()
    private let lock = NSLock()
    private var maps: [ObjectIdentifier: Any] = [:]

    func lookup<V: Vocabulary>(_ type: V.Type) -> [String: V] {
        lock.lock()
        defer { lock.unlock() }
        if let map = maps[ObjectIdentifier(type)] as? [String: V] { return map }
        var map: [String: V] = [:]
        for c in V.allCases {
            for word in [c.rawValue] + c.aliases {
                let key = normalizeWord(word)
                if !key.isEmpty && map[key] == nil { map[key] = c }
            }
        }
        maps[ObjectIdentifier(type)] = map
        return map
    }
}

