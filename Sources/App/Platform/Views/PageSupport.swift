import Fluent
import SamverkaRules
import Vapor

/// A link with a label (and an optional note) in a page's view model.
public struct Link: Encodable, Sendable {
    public var href: String
    public var label: String
    public var note: String?
    public init(href: String, label: String, note: String? = nil) {
        self.href = href
        self.label = label
        self.note = note
    }
}

/// Page helpers every module's pages use.
extension Request {
    /// Options for a vocabulary select, with an empty first option when `includeEmpty`.
    public func options<V: Vocabulary>(_ type: V.Type, selected: String?, emptyLabel: String? = nil) -> [FormField.Option] {
        var out: [FormField.Option] = []
        if let emptyLabel { out.append(.init(value: "", label: emptyLabel, selected: (selected ?? "").isEmpty)) }
        for c in V.allCases { out.append(.init(value: c.rawValue, label: t(c.labelKey), selected: V.parse(selected ?? "") == c)) }
        return out
    }

    public func label<V: Vocabulary>(_ value: V) -> String { t(value.labelKey) }

    public func label<V: Vocabulary>(_ type: V.Type, _ raw: String) -> String { Self.label(type, raw, translator) }

    /// `label` through a translator read once (`req.translator`), for a page that shows many labels.
    public static func label<V: Vocabulary>(_ type: V.Type, _ raw: String, _ t: (String, [String]) -> String) -> String {
        V(rawValue: raw).map { t($0.labelKey, []) } ?? raw
    }

    /// Renders a create/edit form page.
    public func formPage(heading: String, intro: String? = nil, form: FormContext, back: Link? = nil, status: HTTPStatus = .ok) async throws -> Response {
        struct FormPage: Encodable, Sendable {
            var heading: String
            var intro: String?
            var form: FormContext
            var backHref: String?
            var backLabel: String?
        }
        return try await page("form-page", title: heading, FormPage(heading: heading, intro: intro, form: form, backHref: back?.href, backLabel: back?.label), status: status)
    }

    /// Decodes a form, turning type errors into a 400 page instead of a crash.
    public func decodeForm<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try content.decode(T.self) } catch let e as DecodingError {
            throw AppError(.badRequest, "Formuläret kunde inte läsas.", fields: ProblemMiddleware.fieldErrors(e))
        }
    }
}

/// Renders a validation failure as the same form again (status 422/409) with messages next to fields.
public func rerender(_ req: Request, error: any Error, _ build: ([FieldError]) async throws -> Response) async throws -> Response {
    guard let fields = req.formErrors(error) else { throw error }
    let res = try await build(fields)
    res.status = (error as? AppError)?.status ?? .unprocessableEntity
    return res
}

extension Request {
    /// A moment as people read it here: `2026-03-05 14:30`, Swedish time.
    public func dateTime(_ d: Date?) -> String {
        guard let d else { return "–" }
        let f = DateFormatter()
        f.locale = Locale(identifier: language == .en ? "en_GB" : "sv_SE")
        f.timeZone = .stockholm
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }
}
