import Foundation
import Fluent

extension String {
    /// nil for "", so templates can test presence (Leaf treats "" as true).
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension Array {
    /// The element at `i`, or nil when `i` is out of range (form arrays arrive with any length).
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }

    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension Sequence {
    /// A dictionary of the pairs `pair` returns (nil skips the element); where two share a key, the first wins.
    func keyed<Key: Hashable, Value>(_ pair: (Element) throws -> (Key, Value)?) rethrows -> [Key: Value] {
        var out: [Key: Value] = [:]
        for element in self {
            if let (key, value) = try pair(element), out[key] == nil { out[key] = value }
        }
        return out
    }
}

extension Sequence where Element: Model, Element.IDValue == UUID {
    /// The models by id (models not yet saved are left out).
    var byID: [UUID: Element] { keyed { m in m.id.map { ($0, m) } } }
}
