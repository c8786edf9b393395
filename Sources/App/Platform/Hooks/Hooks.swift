import Foundation
import SamverkaRules

/// Where a lower module lets higher ones contribute: the lower module owns a `Hooks` of a function type it
/// defines (Accounts' personal-data export and erasure, Grants' council facts, Directory's role handover), and
/// higher modules register with it when they are registered. Dependencies keep pointing one way.
/// Registering under a key that is already there replaces that hook, so registering twice is harmless.
public final class Hooks<Hook: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var hooks: [(key: String, hook: Hook)] = []

    public init() {}

    public func register(_ key: String, _ hook: Hook) {
        lock.withLock {
            if let i = hooks.firstIndex(where: { $0.key == key }) { hooks[i].hook = hook } else { hooks.append((key, hook)) }
        }
    }

    /// The hooks in the order they were first registered.
    public var all: [Hook] { lock.withLock { hooks.map(\.hook) } }
}
