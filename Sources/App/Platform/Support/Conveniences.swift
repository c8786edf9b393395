import Foundation

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
