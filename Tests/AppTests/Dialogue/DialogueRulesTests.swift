import Foundation
import Testing
@testable import App

@Suite("iCalendar")
struct ICalendarTests {
    func d(_ s: String) -> LocalDate { LocalDate(s)! }

    @Test("iCalendar: CRLF, UTC times, escaping, and folding at 75 octets without splitting a character")
    func icalendar() {
        let start = ICalendar.instant(d("2026-02-10"), TimeOfDay("13:00")!)
        let end = ICalendar.instant(d("2026-02-10"), TimeOfDay("15:00")!)
        let summary = "Pensionärsrådet; möte, med \\ och\nny rad " + String(repeating: "å", count: 60)
        let doc = ICalendar.document(name: "Råd", events: [.init(uid: "x@samverka", start: start, end: end, summary: summary, location: "Karlstad, Regionens hus")])
        #expect(doc.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(doc.hasSuffix("END:VCALENDAR\r\n"))
        #expect(doc.contains("DTSTART:20260210T120000Z\r\n"))   // 13:00 in Stockholm in winter is 12:00 UTC
        #expect(doc.contains("LOCATION:Karlstad\\, Regionens hus"))
        #expect(doc.contains("Pensionärsrådet\\; möte\\, med \\\\ och\\nny rad"))
        for line in doc.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "line too long: \(line)")
            #expect(!line.contains("\n"))
        }
        // Unfolding gives the original content line back.
        let unfolded = doc.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + ICalendar.escape(summary)))
        let summer = ICalendar.instant(d("2026-06-10"), TimeOfDay("13:00")!)
        #expect(ICalendar.document(name: "x", events: [.init(uid: "y", start: summer, end: summer, summary: "s")]).contains("DTSTART:20260610T110000Z"))
    }
}
