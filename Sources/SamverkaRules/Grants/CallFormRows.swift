import Foundation

/// The call form builder: each question of the application form (and each review criterion) is a row of ordinary
/// form fields named `q.<n>.<part>` (`c.<n>.<part>` for criteria), so the builder works without JavaScript. Rows are
/// ordered by their `position`, empty rows are ignored, rows marked `remove` dropped; a missing code is made from the
/// question's text.
public enum CallFormRows {
    public struct Row: Sendable, Equatable {
        public var index: Int
        public var parts: [String: String]
        public init(index: Int, parts: [String: String]) {
            self.index = index
            self.parts = parts
        }
        public func value(_ part: String) -> String { (parts[part] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The rows with prefix `q` or `c`, by index.
    public static func rows(_ pairs: [(String, String)], prefix: String) -> [Row] {
        var byIndex: [Int: [String: String]] = [:]
        for (name, value) in pairs {
            let bits = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard bits.count == 3, bits[0] == prefix, let i = Int(bits[1]), (0..<200).contains(i) else { continue }
            byIndex[i, default: [:]][String(bits[2])] = value
        }
        return byIndex.keys.sorted().map { Row(index: $0, parts: byIndex[$0] ?? [:]) }
    }

    /// Questions from the builder's fields.
    public static func questions(_ pairs: [(String, String)], errors: inout FieldErrors) -> [FormFieldSpec] {
        var kept: [(position: Int, index: Int, spec: FormFieldSpec)] = []
        var keys: Set<String> = []
        for r in rows(pairs, prefix: "q") {
            let label = r.value("label"), key = r.value("key")
            if r.value("remove") == "true" || (label.isEmpty && key.isEmpty) { continue }
            let f = "q.\(r.index)."
            if label.isEmpty { errors.add(f + "label", code: "required") }
            if label.count > 300 { errors.add(f + "label", code: "tooLong", "300") }
            guard let kind = FormFieldSpec.Kind(rawValue: r.value("kind")) else { errors.add(f + "kind", code: "oneOf", FormFieldSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")); continue }
            let code = key.isEmpty ? slug(label) : key
            if !code.isEmpty && !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) || code.count > 40 {
                errors.add(f + "key", code: "keyFormat")
            } else if code.isEmpty || !keys.insert(code).inserted {
                errors.add(f + "key", code: "duplicate")
            }
            let options = r.value("options").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if kind == .choice && options.count < 2 { errors.add(f + "options", code: "twoOptions") }
            let help = r.value("help")
            if help.count > 1000 { errors.add(f + "help", code: "tooLong", "1000") }
            kept.append((Int(r.value("position")) ?? (r.index + 1), r.index,
                         FormFieldSpec(key: code, label: label, kind: kind, required: r.value("required") == "true", options: kind == .choice ? options : nil,
                                       maxMB: kind == .file ? 10 : nil, accept: nil, help: help.isEmpty ? nil : help)))
        }
        return kept.sorted { ($0.position, $0.index) < ($1.position, $1.index) }.map(\.spec)
    }

    /// Review criteria from the builder's fields.
    public static func criteria(_ pairs: [(String, String)], errors: inout FieldErrors) -> [ReviewRules.Criterion] {
        var out: [ReviewRules.Criterion] = []
        var keys: Set<String> = []
        for r in rows(pairs, prefix: "c") {
            let label = r.value("label"), key = r.value("key")
            if r.value("remove") == "true" || (label.isEmpty && key.isEmpty) { continue }
            let f = "c.\(r.index)."
            if label.isEmpty { errors.add(f + "label", code: "required") }
            let code = key.isEmpty ? slug(label) : key
            if !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) || code.count > 40 { errors.add(f + "key", code: "keyFormat") }
            else if code.isEmpty || !keys.insert(code).inserted { errors.add(f + "key", code: "duplicate") }
            guard let weight = Int(r.value("weight")), (1...10).contains(weight) else { errors.add(f + "weight", code: "range", "1", "10"); continue }
            out.append(ReviewRules.Criterion(key: code, label: label, weight: weight))
        }
        return out
    }

    /// The builder's fields for saved questions, as a browser would send them back unchanged.
    public static func pairs(_ specs: [FormFieldSpec], _ criteria: [ReviewRules.Criterion]) -> [(String, String)] {
        var out: [(String, String)] = []
        for (i, s) in specs.enumerated() {
            out += [("q.\(i).key", s.key), ("q.\(i).label", s.label), ("q.\(i).kind", s.kind.rawValue), ("q.\(i).help", s.help ?? ""),
                    ("q.\(i).options", (s.options ?? []).joined(separator: "\n")), ("q.\(i).position", String(i + 1))]
            if s.required { out.append(("q.\(i).required", "true")) }
        }
        for (i, c) in criteria.enumerated() {
            out += [("c.\(i).key", c.key), ("c.\(i).label", c.label), ("c.\(i).weight", String(c.weight))]
        }
        return out
    }

    /// A code from a text: ASCII letters and digits in camel case (å, ä → a, ö → o), at most 40 characters:
    /// "Målgrupp för året" → "malgruppForAret".
    public static func slug(_ text: String) -> String {
        let folded = text.lowercased().replacingOccurrences(of: "å", with: "a").replacingOccurrences(of: "ä", with: "a").replacingOccurrences(of: "ö", with: "o")
            .folding(options: .diacriticInsensitive, locale: nil)
        var out = ""
        var upperNext = false
        for ch in folded {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                out += upperNext && !out.isEmpty ? ch.uppercased() : String(ch)
                upperNext = false
            } else {
                upperNext = true
            }
        }
        return String(out.prefix(40))
    }
}
