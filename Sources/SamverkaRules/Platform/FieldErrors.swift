import Foundation

/// One failing field: `field` is the JSON key (or form field name), `message` is shown to the user.
public struct FieldError: Codable, Sendable, Equatable {
    public var field: String
    public var message: String
    /// Machine-readable reason (`required`, `tooLong`, `orgnr.checkDigit` …); the message is its
    /// translation (`invalid.<code>` in the localisation files) in the request's language.
    public var code: String?
    public var args: [String]?

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public init(field: String, code: String, args: [String] = []) {
        self.field = field
        self.code = code
        self.args = args.isEmpty ? nil : args
        self.message = code
    }
}

/// Collects field errors while validating; the application throws them as one 422 at the end (`throwIfAny`).
public struct FieldErrors: Error, Sendable {
    public private(set) var all: [FieldError] = []
    public init() {}
    public var isEmpty: Bool { all.isEmpty }
    public mutating func add(_ field: String, _ message: String) {
        all.append(FieldError(field: field, message: message))
    }
    /// Adds an error by code (see `FieldError.code`).
    public mutating func add(_ field: String, code: String, _ args: String...) {
        all.append(FieldError(field: field, code: code, args: args))
    }
    public mutating func add(_ error: FieldError) { all.append(error) }
    public mutating func append(_ other: FieldErrors) { all += other.all }
    public func hasError(_ field: String) -> Bool { all.contains { $0.field == field } }
}
