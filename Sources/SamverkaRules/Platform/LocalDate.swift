import Foundation

/// A calendar date without time zone, `YYYY-MM-DD`. Stored as text so it sorts and compares the same
/// on SQLite and PostgreSQL and never shifts with time zones.
extension TimeZone {
    /// Swedish time, for "today" and wall-clock times (falls back to UTC should the zone database be missing).
    public static let stockholm = TimeZone(identifier: "Europe/Stockholm") ?? TimeZone(secondsFromGMT: 0) ?? .current
    public static let utc = TimeZone(secondsFromGMT: 0) ?? .current
}

public struct LocalDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; impossible dates (2026-02-30) give nil.
    public init?(_ text: String) {
        // Read as ten bytes: pages parse every seat's and question's dates, and splitting the text into
        // Characters made this 3 % of a forum page.
        guard text.utf8.count == 10 else { return nil }
        var digits = (0, 0, 0)
        for (i, byte) in text.utf8.enumerated() {
            if i == 4 || i == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let v = Int(byte - UInt8(ascii: "0"))
            switch i {
            case 0..<4: digits.0 = digits.0 * 10 + v
            case 5..<7: digits.1 = digits.1 * 10 + v
            default: digits.2 = digits.2 * 10 + v
            }
        }
        self.init(year: digits.0, month: digits.1, day: digits.2)
    }

    /// The day a moment falls on in a time zone: the zone's offset at that moment (summer time included) added to
    /// the moment, counted in whole days. Every page asks for today, and building a `Calendar` for it cost more than
    /// the rest of the date handling together.
    public init(_ date: Date, timeZone: TimeZone = .stockholm) {
        let local = (date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))) / 86_400
        // Years 1–9999 at most; a moment outside them (or not a number) reads as 1970-01-01.
        guard local.isFinite, local > -719_162, local < 2_932_897 else { self = LocalDate(dayNumber: 0); return }
        self = LocalDate(dayNumber: Int(local.rounded(.down)))
    }

    /// A date read back from the database. Stored dates were validated when written; should one be damaged
    /// anyway (a hand edit, an old import), it reads as 1970-01-01 instead of stopping the node.
    public init(stored text: String) {
        self = LocalDate(text) ?? LocalDate(dayNumber: 0)
    }

    /// An optional stored date (`nil` stays `nil`).
    public static func stored(_ text: String?) -> LocalDate? {
        text.map { LocalDate(stored: $0) }
    }

    /// A computed date (the last day of a month, 31 January of a year): month and day are brought into range,
    /// and the year is not limited, so arithmetic on a valid year can never fail.
    public static func clamped(year: Int, month: Int, day: Int) -> LocalDate {
        let m = Swift.min(12, Swift.max(1, month))
        let d = Swift.min(daysIn(month: m, year: year), Swift.max(1, day))
        return LocalDate(unchecked: year, m, d)
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func today() -> LocalDate { LocalDate(Date()) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }
    /// ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var isoWeekday: Int { ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1 }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = LocalDate(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Ogiltigt datum: \(s)"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Swedish display: 23 november 2026.
    public func formatted(_ lang: String) -> String {
        let sv = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]
        let en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return lang == "en" ? "\(day) \(en[month - 1]) \(year)" : "\(day) \(sv[month - 1]) \(year)"
    }
}
