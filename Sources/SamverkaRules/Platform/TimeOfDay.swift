import Foundation

/// "HH:MM" on a 24-hour clock.
public struct TimeOfDay: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        hour = h
        minute = m
    }
    /// A known-good time of day (hour 0–23, minute 0–59 are brought into range).
    public init(hour: Int, minute: Int) {
        self.hour = Swift.min(23, Swift.max(0, hour))
        self.minute = Swift.min(59, Swift.max(0, minute))
    }
    public var description: String { String(format: "%02d:%02d", hour, minute) }
    public var minutes: Int { hour * 60 + minute }
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
}
