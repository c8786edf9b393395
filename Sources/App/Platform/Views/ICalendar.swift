import Foundation
import SamverkaRules

/// iCalendar (RFC 5545) feeds: one VEVENT per meeting or event. Times are written in UTC ("Z"), so no
/// VTIMEZONE is needed; lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
public enum ICalendar {
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String
        public var location: String
        public var url: String?
        public var cancelled: Bool
        /// Not yet confirmed (a planned meeting whose date is a proposal): STATUS:TENTATIVE.
        public var tentative: Bool
        public var lastModified: Date?
        public init(uid: String, start: Date, end: Date, summary: String, description: String = "", location: String = "", url: String? = nil,
                    cancelled: Bool = false, tentative: Bool = false, lastModified: Date? = nil) {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.description = description
            self.location = location
            self.url = url
            self.cancelled = cancelled
            self.tentative = tentative
            self.lastModified = lastModified
        }
    }

    public static func document(name: String, events: [Event], now: Date = Date()) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Samverka//Samverka//SV", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(name)]
        for e in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + escape(e.uid))
            lines.append("DTSTAMP:" + utc(now))
            lines.append("DTSTART:" + utc(e.start))
            lines.append("DTEND:" + utc(e.end))
            lines.append("SUMMARY:" + escape(e.summary))
            if !e.description.isEmpty { lines.append("DESCRIPTION:" + escape(e.description)) }
            if !e.location.isEmpty { lines.append("LOCATION:" + escape(e.location)) }
            if let url = e.url { lines.append("URL:" + url) }
            if let m = e.lastModified { lines.append("LAST-MODIFIED:" + utc(m)) }
            lines.append("STATUS:" + (e.cancelled ? "CANCELLED" : e.tentative ? "TENTATIVE" : "CONFIRMED"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r\n", "\n", "\r": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line: at most 75 octets per physical line, continuation lines start with a space.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = "", current = 0, limit = 75
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if current + size > limit {
                out += "\r\n "
                current = 1
                limit = 75
            }
            out.unicodeScalars.append(scalar)
            current += size
        }
        return out
    }

    static func utc(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .utc
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A Swedish wall-clock time on a day as an instant.
    public static func instant(_ day: LocalDate, _ time: TimeOfDay, timeZone: TimeZone = .stockholm) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute)
        return cal.date(from: components) ?? Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + time.minutes * 60))
    }
}
