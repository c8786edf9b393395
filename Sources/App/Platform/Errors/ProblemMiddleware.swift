import Vapor
import SamverkaRules

/// Turns every error into either RFC 9457 problem+json (API) or an HTML page in the site layout,
/// so browsers never see JSON and API clients never see HTML. 5xx details are logged, not shown.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return await response(for: error, req)
        }
    }

    func response(for error: any Error, _ req: Request) async -> Response {
        let (status, reason, rawFields, headers) = describe(error, req)
        let fields = rawFields.map { $0.localized(req.application.localizer, req.language) }
        if status.code >= 500 {
            req.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(req.loggablePath)"])
        } else {
            req.logger.debug("request refused", metadata: ["status": "\(status.code)", "reason": "\(reason)"])
        }
        if req.isAPI || prefersJSON(req) {
            return problemResponse(status: status, reason: reason, fields: fields, headers: headers, req)
        }
        if status == .unauthorized && req.method == .GET {
            let next = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
            return req.redirect(to: "/sign-in?next=" + URLQuery.escape(next), redirectType: .normal)
        }
        do {
            struct ErrorPage: Encodable, Sendable { var status: Int; var reason: String; var fields: [FieldError]; var hasFields: Bool }
            let title = req.t("error.title.\(status.code)")
            let reason = status == .serviceUnavailable ? req.t("error.unavailable") : reason
            let response = try await req.page("error", title: title, ErrorPage(status: Int(status.code), reason: reason, fields: fields, hasFields: !fields.isEmpty), status: status)
            for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        } catch {
            // Last resort when the error page itself cannot be rendered.
            let body = "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Fel \(status.code)</title></head><body><main><h1>Fel \(status.code)</h1><p>\(reason.htmlEscaped())</p></main></body></html>"
            var h = headers
            h.contentType = .html
            return Response(status: status, headers: h, body: .init(string: body))
        }
    }

    /// Status, reason (in the reader's language where it has a text key), fields and headers.
    func describe(_ error: any Error, _ req: Request) -> (HTTPResponseStatus, String, [FieldError], HTTPHeaders) {
        switch error {
        case let e as AppError:
            return (e.status, e.reason(for: req), e.fieldErrors, e.headers)
        case let e as DecodingError:
            return (.badRequest, "Begäran kunde inte tolkas: " + Self.describe(e), Self.fieldErrors(e), [:])
        case let e as any AbortError:
            var reason = e.reason
            var fields: [FieldError] = []
            if e.status == .payloadTooLarge {
                // The limit of the route that refused it (an upload route takes more than the 2 MB default).
                let limit = req.route.flatMap { req.application.routeRegistry.entry(for: $0)?.maxBodyBytes }
                    ?? req.application.routes.defaultMaxBodySize.value
                let mb = String(max(1, limit / (1024 * 1024)))
                reason = req.t("invalid.bodyTooLarge", mb)
                fields = [FieldError(field: "body", code: "bodyTooLarge", args: [mb])]
            }
            if e.status == .unsupportedMediaType { fields = [FieldError(field: "Content-Type", code: "contentType")] }
            if e.status == .notFound { reason = req.t("error.reason.notFound") }
            return (e.status, reason, fields, e.headers)
        case _ where DatabaseUnavailable.matches(error):
            return (.serviceUnavailable, req.t("error.reason.unavailable"), [], ["Retry-After": String(DatabaseUnavailable.retryAfterSeconds)])
        default:
            return (.internalServerError, req.t("error.reason.unexpected"), [], [:])
        }
    }

    func prefersJSON(_ req: Request) -> Bool {
        let accept = req.headers.first(name: .accept) ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    func problemResponse(status: HTTPResponseStatus, reason: String, fields: [FieldError], headers: HTTPHeaders, _ req: Request) -> Response {
        let problem = Problem(status: status, title: status.reasonPhrase, detail: reason, errors: fields.isEmpty ? nil : fields, instance: req.loggablePath)
        var h = headers
        h.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
        let body = (try? JSONEncoder.api.encode(problem)) ?? Data()
        return Response(status: status, headers: h, body: .init(data: body))
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "ogiltig JSON." : "fältet \(path) har fel typ eller värde."
        case .keyNotFound(let key, _):
            return "fältet \(key.stringValue) saknas."
        @unknown default:
            return "ogiltig begäran."
        }
    }

    static func fieldErrors(_ error: DecodingError) -> [FieldError] {
        switch error {
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            let path = ctx.codingPath.map(\.stringValue).filter { Int($0) == nil }.joined(separator: ".")
            return [FieldError(field: path.isEmpty ? "body" : path, code: path.isEmpty ? "malformedBody" : "wrongType")]
        case .keyNotFound(let key, let ctx):
            let path = (ctx.codingPath.map(\.stringValue) + [key.stringValue]).filter { Int($0) == nil }.joined(separator: ".")
            return [FieldError(field: path, code: "required")]
        @unknown default:
            return []
        }
    }
}

extension String {
    /// The text with `& < > " '` as entities, as every page escapes it (`HTMLWriter.escape`).
    public func htmlEscaped() -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: utf8.count)
        HTMLWriter.escape(self, into: &buffer)
        return String(buffer: buffer)
    }
}

extension JSONEncoder {
    /// The API's JSON: ISO-8601 timestamps with offset.
    public static var api: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }
}

extension JSONDecoder {
    public static var api: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
