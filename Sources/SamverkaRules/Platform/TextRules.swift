import Foundation

/// Checks shared by every text field a user can type: length, control characters, markup.
/// Text that looks like HTML or script is refused rather than stored: output is escaped anyway,
/// but such input is never what a register of organisations should hold.
public enum TextRules {
    /// Trims and checks a one-line field. Returns the cleaned value ("" when empty and optional).
    /// A text's length as limits count it: in Unicode code points, as JSON Schema's `maxLength` does, so the
    /// API's documented limits and the checks agree (a letter with stacked combining marks is several).
    public static func length(_ s: String) -> Int { s.unicodeScalars.count }

    public static func line(_ raw: String?, field: String, max: Int, required: Bool = false, min: Int = 0,
                            errors: inout FieldErrors) -> String {
        let value = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty {
            if required { errors.add(field, code: "required") }
            return ""
        }
        if length(value) > max { errors.add(field, code: "tooLong", String(max)); return value }
        if length(value) < min { errors.add(field, code: "tooShort", String(min)); return value }
        if value.unicodeScalars.contains(where: isControl) {
            errors.add(field, code: "controlCharacters")
        } else if containsMarkup(value) {
            errors.add(field, code: "markup")
        }
        return value
    }

    /// Like `line` but allows line breaks and tabs.
    public static func paragraph(_ raw: String?, field: String, max: Int, required: Bool = false,
                                 errors: inout FieldErrors) -> String {
        let value = (raw ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty {
            if required { errors.add(field, code: "required") }
            return ""
        }
        if length(value) > max { errors.add(field, code: "tooLong", String(max)); return value }
        if value.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) {
            errors.add(field, code: "controlCharacters")
        } else if containsMarkup(value) {
            errors.add(field, code: "markup")
        }
        return value
    }

    /// `<` followed by a letter, `/`, `!` or `?` (a tag, comment or processing instruction), or a
    /// `javascript:`/`data:` URL.
    public static func containsMarkup(_ s: String) -> Bool {
        // Every pattern has a `<` or a `:`; most text has neither, and is answered without splitting it.
        let bytes = s.utf8
        let lt = bytes.contains(UInt8(ascii: "<")), colon = bytes.contains(UInt8(ascii: ":"))
        guard lt || colon else { return false }
        let chars = lt ? Array(s) : []
        for i in 0..<chars.count where chars[i] == "<" && i + 1 < chars.count {
            let n = chars[i + 1]
            if n.isLetter || n == "/" || n == "!" || n == "?" { return true }
        }
        guard colon else { return false }
        let lower = s.lowercased().filter { !$0.isWhitespace }
        return lower.contains("javascript:") || lower.contains("vbscript:") || lower.contains("data:text/html")
    }

    /// A control character (general category Cc); ASCII is answered without the Unicode tables.
    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x80 ? (u.value < 0x20 || u.value == 0x7F) : u.properties.generalCategory == .control
    }

    public static func email(_ raw: String?, field: String, required: Bool = false, errors: inout FieldErrors) -> String {
        let value = line(raw, field: field, max: 254, required: required, errors: &errors).lowercased()
        guard !value.isEmpty, !errors.hasError(field) else { return value }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        let ok = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !value.contains(" ") && !value.contains(",") && !value.contains(";")
        if !ok { errors.add(field, code: "email") }
        return value
    }

    /// An http(s) address; `www.example.se` gets `https://` in front.
    public static func website(_ raw: String?, field: String, errors: inout FieldErrors) -> String {
        var value = line(raw, field: field, max: 300, errors: &errors)
        guard !value.isEmpty, !errors.hasError(field) else { return value }
        if !value.lowercased().hasPrefix("http://") && !value.lowercased().hasPrefix("https://") {
            value = "https://" + value
        }
        guard let url = URL(string: value), let host = url.host, host.contains("."), !value.contains(" ") else {
            errors.add(field, code: "url")
            return value
        }
        return value
    }

    public static func phone(_ raw: String?, field: String, errors: inout FieldErrors) -> String {
        let value = line(raw, field: field, max: 40, errors: &errors)
        guard !value.isEmpty, !errors.hasError(field) else { return value }
        let allowed = Set("0123456789 +-()")
        if !value.allSatisfy({ allowed.contains($0) }) || value.filter(\.isNumber).count < 5 {
            errors.add(field, code: "phone")
        }
        return value
    }

    /// Swedish postnummer, stored `NNN NN`.
    public static func postalCode(_ raw: String?, field: String, errors: inout FieldErrors) -> String {
        let value = line(raw, field: field, max: 10, errors: &errors)
        guard !value.isEmpty, !errors.hasError(field) else { return value }
        let digits = value.filter { !$0.isWhitespace }
        guard digits.count == 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            errors.add(field, code: "postalCode")
            return value
        }
        return String(digits.prefix(3)) + " " + String(digits.suffix(2))
    }

    public static func date(_ raw: String?, field: String, required: Bool = false, errors: inout FieldErrors) -> LocalDate? {
        let value = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty {
            if required { errors.add(field, code: "required") }
            return nil
        }
        guard let d = LocalDate(value) else {
            errors.add(field, code: "date")
            return nil
        }
        return d
    }

    /// An integer typed into a form field (spaces as thousands separators allowed).
    public static func integer(_ raw: String?, field: String, range: ClosedRange<Int>, required: Bool = false,
                               errors: inout FieldErrors) -> Int? {
        let value = (raw ?? "").filter { !$0.isWhitespace && $0 != "\u{00A0}" }
        if value.isEmpty {
            if required { errors.add(field, code: "required") }
            return nil
        }
        guard let n = Int(value) else { errors.add(field, code: "integer"); return nil }
        guard range.contains(n) else {
            errors.add(field, code: "range", String(range.lowerBound), String(range.upperBound))
            return nil
        }
        return n
    }
}
