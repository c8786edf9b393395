import Vapor
import SamverkaRules

/// One form control, described in Swift and drawn by `partials/fields.leaf`, so every form gets the
/// same labels, hints, error messages (`aria-describedby`, `aria-invalid`) and keyboard behaviour.
public struct FormField: Encodable, Sendable {
    public enum Kind: String, Encodable, Sendable {
        case text, email, url, tel, number, date, password, textarea, select, checkboxes, multiselect, hidden, file, checkbox
    }
    public struct Option: Encodable, Sendable {
        public var value: String
        public var label: String
        public var selected: Bool
        public var group: String?
        public init(value: String, label: String, selected: Bool = false, group: String? = nil) {
            self.value = value
            self.label = label
            self.selected = selected
            self.group = group
        }
    }
    public struct OptionGroup: Encodable, Sendable {
        public var label: String
        public var options: [Option]
    }

    public var name: String
    public var id: String
    public var label: String
    public var kind: Kind
    public var value: String
    public var hint: String?
    public var error: String?
    public var required: Bool
    public var options: [Option]
    public var groups: [OptionGroup]
    public var autocomplete: String?
    public var maxLength: Int?
    public var accept: String?
    public var checked: Bool
    /// `aria-describedby`: the hint and the error message, when present.
    public var describedBy: String?
    /// A text field that suggests values as you type (Public/js/combobox.js): the JSON list to ask, to which the
    /// typed text is appended, and the item field that fills in the value. Without JavaScript it is a text field.
    public var suggest: String?
    public var suggestValue: String?

    public init(_ name: String, label: String = "", kind: Kind = .text, value: String? = nil, hint: String? = nil,
                required: Bool = false, options: [Option] = [], autocomplete: String? = nil, maxLength: Int? = nil,
                accept: String? = nil, checked: Bool = false) {
        self.name = name
        // Ids usable in CSS selectors and URL fragments: answers[verksamhet] → f-answers-verksamhet.
        self.id = "f-" + String(name.replacingOccurrences(of: "[]", with: "").map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "-" })
            .replacingOccurrences(of: "--", with: "-").trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        self.label = label
        self.kind = kind
        self.value = value ?? ""
        self.hint = hint
        self.required = required
        self.options = options
        self.autocomplete = autocomplete
        self.maxLength = maxLength
        self.accept = accept
        self.checked = checked
        // Options with a group are drawn inside <optgroup>s, in the order the groups first appear.
        var order: [String] = []
        var byGroup: [String: [Option]] = [:]
        for o in options {
            guard let g = o.group else { continue }
            if byGroup[g] == nil { order.append(g) }
            byGroup[g, default: []].append(o)
        }
        self.groups = order.map { OptionGroup(label: $0, options: byGroup[$0]!) }
    }
}

/// A whole form: its fields, where it posts, the error summary.
public struct FormContext: Encodable, Sendable {
    public struct ErrorLink: Encodable, Sendable {
        public var href: String
        public var message: String
    }
    public var action: String
    public var method: String
    public var submitLabel: String
    public var fields: [FormField]
    public var errors: [ErrorLink]
    public var multipart: Bool
    public var version: Int?
    public var cancelHref: String?
    public var csrf: String
    public var hasErrors: Bool

    public init(action: String, submitLabel: String, fields: [FormField], errors: [FieldError] = [], multipart: Bool = false,
                version: Int? = nil, cancelHref: String? = nil, csrf: String) {
        self.csrf = csrf
        self.action = action
        self.method = "post"
        self.submitLabel = submitLabel
        self.multipart = multipart
        self.version = version
        self.cancelHref = cancelHref
        var fields = fields
        var links: [ErrorLink] = []
        for e in errors {
            // Errors on nested fields (memberCounts[0].year) attach to the field with the longest matching prefix.
            let root = e.field.split(separator: ".").first.map(String.init) ?? e.field
            if let i = fields.firstIndex(where: { $0.name == e.field || $0.name == e.field + "[]" || $0.name == root || $0.name == root + "[]" }) {
                if fields[i].error == nil { fields[i].error = e.message }
                links.append(ErrorLink(href: "#" + fields[i].id, message: fields[i].label + ": " + e.message))
            } else {
                links.append(ErrorLink(href: "#main", message: e.message))
            }
        }
        for i in fields.indices {
            let ids = [fields[i].hint == nil ? nil : fields[i].id + "-hint", fields[i].error == nil ? nil : fields[i].id + "-error"].compactMap { $0 }
            fields[i].describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
        }
        self.fields = fields
        self.errors = links
        self.hasErrors = !links.isEmpty
    }
}

extension Request {
    /// A form posting to `action` with this request's CSRF token.
    public func form(action: String, submitLabel: String, fields: [FormField], errors: [FieldError] = [], multipart: Bool = false,
                     version: Int? = nil, cancelHref: String? = nil) -> FormContext {
        FormContext(action: action, submitLabel: submitLabel, fields: fields, errors: errors, multipart: multipart,
                    version: version, cancelHref: cancelHref, csrf: csrfToken)
    }

    /// Field errors of `error` in the request's language, or nil when it is not a validation error.
    public func formErrors(_ error: any Error) -> [FieldError]? {
        guard let e = error as? AppError, [.unprocessableEntity, .conflict, .badRequest, .forbidden].contains(e.status),
              !e.fieldErrors.isEmpty else { return nil }
        return e.fieldErrors.map { $0.localized(application.localizer, language) }
    }
}
