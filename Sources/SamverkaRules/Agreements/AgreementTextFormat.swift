import Foundation

/// The plain-text form officials write an agreement's text and principles in (one textarea each, keyboard-friendly,
/// pasted from a word processor): a line starting with `## ` begins a section; a principle is one line
/// `Name: description`, a leading `*` marks the portal principle (Värmland's dialog). The same format shows the text back.
public enum AgreementTextFormat {
    /// Sections from text. Keys of sections whose title matches one in `previous` are kept, so a revision's diff
    /// matches them; text before the first heading becomes an "Inledning" section.
    public static func sections(from text: String, previous: [AgreementSection] = []) -> [AgreementSection] {
        var out: [AgreementSection] = []
        var title: String?
        var lines: [String] = []
        func flush() {
            let body = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if let t = title { out.append(AgreementSection(key: "", title: t, text: body)) }
            else if !body.isEmpty { out.append(AgreementSection(key: "", title: "Inledning", text: body)) }
            lines = []
        }
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("## ") {
                flush()
                title = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            } else {
                lines.append(line)
            }
        }
        flush()
        let byTitle = Dictionary(previous.map { ($0.title.lowercased(), $0.key) }, uniquingKeysWith: { a, _ in a })
        var used = Set<String>()
        return out.enumerated().map { i, s in
            var key = byTitle[s.title.lowercased()] ?? slug(s.title, fallback: "s\(i + 1)")
            while used.contains(key) { key += "-\(i + 1)" }
            used.insert(key)
            return AgreementSection(key: key, title: s.title, text: s.text)
        }
    }

    public static func text(of sections: [AgreementSection]) -> String {
        sections.map { "## \($0.title)\n\n\($0.text)" }.joined(separator: "\n\n")
    }

    /// A section key from its title: lower-case a–z, digits and hyphens (å ä → a, ö → o), at most 40 characters.
    public static func slug(_ title: String, fallback: String) -> String {
        var out = ""
        for s in title.lowercased().unicodeScalars {
            switch s {
            case "å", "ä", "á", "à": out += "a"
            case "ö", "ó", "ø": out += "o"
            case "é", "è": out += "e"
            case _ where ("a"..."z").contains(s) || ("0"..."9").contains(s): out.unicodeScalars.append(s)
            default: if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        let key = String(out.prefix(40))
        return key.isEmpty ? fallback : key
    }

    /// Principles from lines `Name: description`; `*` before the name marks the portal principle. A name matching a
    /// national principle (or one of its usual names) is tied to it.
    public static func principles(from text: String) -> [PrincipleInput] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").compactMap { raw in
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return nil }
            var portal = false
            if line.hasPrefix("*") { portal = true; line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let name = parts.first ?? ""
            let description = parts.count > 1 ? parts[1] : ""
            return PrincipleInput(name: name, description: description, nationalKey: NationalPrinciple.parse(name)?.rawValue, isPortal: portal)
        }
    }

    public static func text(of principles: [Principle]) -> String {
        principles.map { "\($0.isPortal ? "* " : "")\($0.name): \($0.description)" }.joined(separator: "\n")
    }
}
