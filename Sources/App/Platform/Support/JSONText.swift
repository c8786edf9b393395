import Foundation

/// Values stored as JSON text in a column (lists, answers, questions): encoded with sorted keys so equal values
/// are equal strings, and never a crash on the way in or out.
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T, empty: String = "[]") -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? empty
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
