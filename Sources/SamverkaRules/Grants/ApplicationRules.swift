import Foundation

/// A field in a call's application form.
public struct FormFieldSpec: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case text, number, amount, date, choice, file }
    public var key: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    public var options: [String]?
    /// For files: largest size in MB and accepted content types.
    public var maxMB: Int?
    public var accept: [String]?
    /// Guidance shown with the question on the application form.
    public var help: String?

    public init(key: String, label: String, kind: Kind, required: Bool, options: [String]? = nil, maxMB: Int? = nil, accept: [String]? = nil, help: String? = nil) {
        self.help = help
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.options = options
        self.maxMB = maxMB
        self.accept = accept
    }
}

/// When an application is complete enough to be sent in.
public enum ApplicationRules {
    /// What is missing: required answers and files of the call's form, the call's required attachments, the budget
    /// table when the call asks for one, and the requested amount unless the programme computes it with a formula.
    public static func missing(fields: [FormFieldSpec], answers: [String: String], attachmentKinds: [String], uploaded: [String],
                               budgetTable: Bool, hasBudget: Bool, requestedOre: Int?, hasFormula: Bool) -> FieldErrors {
        var errors = FieldErrors()
        let files = Set(uploaded)
        for spec in fields where spec.required {
            if spec.kind == .file { if !files.contains(spec.key) { errors.add("answers.\(spec.key)", code: "required") } }
            else if (answers[spec.key] ?? "").isEmpty { errors.add("answers.\(spec.key)", code: "required") }
        }
        for kind in attachmentKinds where !files.contains(kind) {
            errors.add("attachments.\(kind)", code: "attachmentMissing", kind)
        }
        if budgetTable && !hasBudget { errors.add("budget", code: "required") }
        if requestedOre == nil && !hasFormula { errors.add("requestedOre", code: "required") }
        return errors
    }
}
