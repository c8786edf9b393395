import Foundation

/// The call form's plain-text editors: application form fields and review criteria, one per line
/// (`key | label | kind | required | options` and `key | label | weight`).
public enum CallFormText {
    /// Form fields and criteria are typed one per line: `key | label | kind | required | options` and `key | label | weight`.
    public static func parseFields(_ text: String?, errors: inout FieldErrors) -> [FormFieldSpec] {
        var out: [FormFieldSpec] = []
        for (i, line) in (text ?? "").split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 3, let kind = FormFieldSpec.Kind(rawValue: parts[2]) else { errors.add("fields", code: "fieldLine", String(i + 1)); continue }
            let required = parts.count > 3 && ["ja", "yes", "true", "obligatorisk", "required"].contains(parts[3].lowercased())
            let listed = parts.count > 4 ? parts[4].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            let options = listed.isEmpty ? nil : listed
            out.append(FormFieldSpec(key: parts[0], label: parts[1], kind: kind, required: required, options: options, maxMB: kind == .file ? 10 : nil, accept: nil))
        }
        return out
    }

    public static func parseCriteria(_ text: String?, errors: inout FieldErrors) -> [ReviewRules.Criterion] {
        var out: [ReviewRules.Criterion] = []
        for (i, line) in (text ?? "").split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let w = Int(parts[2]) else { errors.add("criteria", code: "criteriaLine", String(i + 1)); continue }
            out.append(ReviewRules.Criterion(key: parts[0], label: parts[1], weight: w))
        }
        return out
    }

    public static func fieldsText(_ specs: [FormFieldSpec]) -> String {
        specs.map { s in [s.key, s.label, s.kind.rawValue, s.required ? "ja" : "nej", (s.options ?? []).joined(separator: "; ")].joined(separator: " | ") }.joined(separator: "\n")
    }
}
