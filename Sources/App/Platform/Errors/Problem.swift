import Vapor
import SamverkaRules

/// RFC 9457 problem details, with Samverka's `errors` extension listing failing fields.
public struct Problem: Content, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    public var errors: [FieldError]?

    public init(status: HTTPResponseStatus, title: String? = nil, detail: String? = nil, errors: [FieldError]? = nil, instance: String? = nil) {
        self.type = Problem.typeURI(for: status)
        self.title = title ?? status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors
        self.instance = instance
    }

    static func typeURI(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: return "/problems/bad-request"
        case 401: return "/problems/unauthenticated"
        case 403: return "/problems/forbidden"
        case 404: return "/problems/not-found"
        case 409: return "/problems/conflict"
        case 413: return "/problems/too-large"
        case 422: return "/problems/invalid"
        case 429: return "/problems/rate-limited"
        case 503: return "/problems/unavailable"
        default: return "about:blank"
        }
    }
}

/// Errors that user input can cause. Services throw these; the error middleware renders them
/// as problem+json for the API and as a page (or the form again) for the browser.
public struct AppError: AbortError, DebuggableError, Sendable {
    public var status: HTTPResponseStatus
    public var reason: String
    public var fieldErrors: [FieldError]
    public var headers: HTTPHeaders
    public var identifier: String { "app.\(status.code)" }

    /// The reason as a text key with its arguments, so that it is shown in the reader's language; `reason` is the
    /// Swedish text (or the key) for logs and for errors without a key.
    public var reasonKey: String?
    public var reasonArgs: [String] = []

    public init(_ status: HTTPResponseStatus, _ reason: String, fields: [FieldError] = [], headers: HTTPHeaders = [:],
                reasonKey: String? = nil, reasonArgs: [String] = []) {
        self.status = status
        self.reason = reason
        self.fieldErrors = fields
        self.headers = headers
        self.reasonKey = reasonKey
        self.reasonArgs = reasonArgs
    }

    /// The reason in `lang`.
    public func localizedReason(_ localizer: Localizer, _ lang: Language) -> String {
        reasonKey.map { localizer.text($0, lang, reasonArgs) } ?? reason
    }

    /// The reason in the request's language.
    public func reason(for req: Request) -> String { localizedReason(req.application.localizer, req.language) }

    /// 400 for a query parameter or field: the message is `invalid.<code>`.
    public static func badRequest(code: String, field: String, _ args: String...) -> AppError {
        AppError(.badRequest, code, fields: [FieldError(field: field, code: code, args: args)], reasonKey: "invalid." + code, reasonArgs: args)
    }
    /// 403 with the reason `error.reason.<code>`.
    public static func forbidden(code: String, _ args: String...) -> AppError {
        AppError(.forbidden, code, reasonKey: "error.reason." + code, reasonArgs: args)
    }
    /// 404 with the reason `error.reason.<code>`.
    public static func notFound(code: String) -> AppError {
        AppError(.notFound, code, reasonKey: "error.reason." + code)
    }
    /// 409 on a field: the message is `invalid.<code>`.
    public static func conflict(field: String, code: String, _ args: String...) -> AppError {
        AppError(.conflict, code, fields: [FieldError(field: field, code: code, args: args)], reasonKey: "invalid." + code, reasonArgs: args)
    }

    /// 422 with the failing fields.
    public static func invalid(_ fields: [FieldError]) -> AppError {
        AppError(.unprocessableEntity, "Uppgifterna behöver rättas.", fields: fields, reasonKey: "error.reason.invalid")
    }
    public static func invalid(_ fields: [FieldError], reason: String) -> AppError {
        AppError(.unprocessableEntity, reason, fields: fields)
    }
    public static func invalid(field: String, _ message: String) -> AppError {
        .invalid([FieldError(field: field, message: message)])
    }
    public static func invalid(field: String, code: String, _ args: String...) -> AppError {
        .invalid([FieldError(field: field, code: code, args: args)])
    }
    public static func notFound() -> AppError {
        AppError(.notFound, "Sidan eller posten finns inte.", reasonKey: "error.reason.notFound")
    }
    public static func notFound(_ what: String) -> AppError {
        AppError(.notFound, what)
    }
    /// 409: somebody else saved first (optimistic locking).
    public static func staleVersion() -> AppError {
        AppError(.conflict, "Posten har ändrats av någon annan sedan du öppnade den. Ladda om och gör ändringen igen.",
                 fields: [FieldError(field: "version", code: "staleVersion")], reasonKey: "error.reason.stale")
    }
    public static func conflict(field: String, _ message: String) -> AppError {
        AppError(.conflict, message, fields: [FieldError(field: field, message: message)])
    }
    public static func badRequest(_ reason: String, field: String? = nil) -> AppError {
        AppError(.badRequest, reason, fields: field.map { [FieldError(field: $0, message: reason)] } ?? [])
    }
    public static func forbidden() -> AppError {
        AppError(.forbidden, "Du har inte behörighet till detta.", reasonKey: "error.reason.forbidden")
    }
    public static func forbidden(_ reason: String) -> AppError {
        AppError(.forbidden, reason)
    }
    public static func unauthenticated() -> AppError {
        AppError(.unauthorized, "Logga in för att fortsätta.", reasonKey: "error.reason.unauthenticated")
    }
    public static func unauthenticated(_ reason: String) -> AppError {
        AppError(.unauthorized, reason)
    }
}

extension FieldError {
    /// The message in `lang` when the error has a code.
    public func localized(_ localizer: Localizer, _ lang: Language) -> FieldError {
        guard let code else { return self }
        var copy = self
        copy.message = localizer.text("invalid." + code, lang, args ?? [])
        return copy
    }
}

extension FieldErrors {
    public func throwIfAny() throws {
        if !all.isEmpty { throw AppError.invalid(all) }
    }
}
