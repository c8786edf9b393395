import Foundation

/// Rules for the unit tree and role tenures.
public enum StructureRules {
    /// A unit may not become its own ancestor. `ancestorsOfNewParent` lists the new parent and its ancestors.
    public static func parentCreatesCycle(unitID: UUID?, ancestorsOfNewParent: [UUID]) -> Bool {
        guard let unitID else { return false }
        return ancestorsOfNewParent.contains(unitID)
    }

    /// Walks parent links upwards from `start` (included) using `parents`; stops at cycles.
    public static func ancestors(of start: UUID, parents: [UUID: UUID]) -> [UUID] {
        var out: [UUID] = [start]
        var current = start
        while let p = parents[current], !out.contains(p) {
            out.append(p)
            current = p
        }
        return out
    }

    /// A handover: the outgoing tenure ends the day before the new one starts; the new start may not be
    /// before the outgoing holder's start.
    public static func handover(currentStart: LocalDate?, newStart: LocalDate) -> (endCurrentOn: LocalDate?, error: String?) {
        guard let currentStart else { return (nil, nil) }
        if newStart <= currentStart { return (nil, "handoverBeforeStart") }
        return (newStart.adding(days: -1), nil)
    }

    /// Periods: the end, when given, may not be before the start.
    public static func checkPeriod(start: LocalDate?, end: LocalDate?, endField: String, errors: inout FieldErrors) {
        if let start, let end, end < start { errors.add(endField, code: "endBeforeStart") }
    }
}
