import Foundation

/// Decisions are never changed: a correction is a new decision that replaces the old one.
public enum DecisionRules {
    /// One decision as the rule sees it.
    public struct Entry: Sendable, Equatable {
        public var id: UUID
        public var replaces: UUID?
        public var createdAt: Date?
        public init(id: UUID, replaces: UUID?, createdAt: Date?) {
            self.id = id
            self.replaces = replaces
            self.createdAt = createdAt
        }
    }

    /// The decisions in force: those no other decision replaces.
    public static func inForce(_ decisions: [Entry]) -> Set<UUID> {
        let replaced = Set(decisions.compactMap(\.replaces))
        return Set(decisions.map(\.id).filter { !replaced.contains($0) })
    }

    /// The decision in force for one application: the latest that no other replaces.
    public static func current(_ decisions: [Entry]) -> UUID? {
        let live = inForce(decisions)
        return decisions.filter { live.contains($0.id) }.max { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }?.id
    }
}
