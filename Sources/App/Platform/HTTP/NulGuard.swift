import Vapor
import SamverkaRules

/// Refuses text that holds a NUL character anywhere it can arrive — a JSON body (`\u0000`), a form field or a query
/// parameter (`%00`) — before any handler sees it. No field of Samverka holds NUL; PostgreSQL cannot store it in text
/// (the write would fail with a server error), and C libraries read it as the end of a string. Uploaded files are
/// bytes, not text, and are not touched.
/// It runs on every route (see `Router.on`) and collects a JSON, form or multipart body first (up to the route's
/// limit), so the checks after it — this one, `UnknownFieldRejection` and the CSRF check, which reads the token
/// from an upload form too — see the whole body however it arrived. (Vapor collects a route's body only after
/// the route's middleware: an upload larger than one network read used to fail the CSRF check.)
struct NulGuard: AsyncMiddleware {
    /// The route's body limit in bytes (nil: the application's default).
    let maxBody: Int?

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let query = req.url.query, let field = Self.formFieldWithNul(query) {
            throw Self.refusal(field)
        }
        if req.body.data == nil, let t = req.headers.contentType, Self.isText(t) || t.type == "multipart", req.method != .GET {
            _ = try await req.body.collect(max: maxBody ?? req.application.routes.defaultMaxBodySize.value).get()
        }
        if let data = req.body.data, data.readableBytes > 0 {
            let bytes = data.readableBytesView
            switch req.headers.contentType {
            case .some(let t) where t.type == "application" && (t.subType == "json" || t.subType.hasSuffix("+json")):
                if Self.jsonHasNul(bytes) {
                    let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
                    throw Self.refusal(value.flatMap { Self.pathToNul($0) } ?? "body")
                }
            case .some(let t) where t == .urlEncodedForm:
                if let field = Self.formFieldWithNul(String(decoding: bytes, as: UTF8.self)) { throw Self.refusal(field) }
            default:
                break
            }
        }
        return try await next.respond(to: req)
    }

    static func isText(_ t: HTTPMediaType) -> Bool {
        (t.type == "application" && (t.subType == "json" || t.subType.hasSuffix("+json"))) || t == .urlEncodedForm
    }

    static func refusal(_ field: String) -> AppError {
        AppError.invalid([FieldError(field: field, code: "controlCharacters")], reason: "Texten innehåller ett otillåtet tecken (NUL).")
    }

    /// A raw NUL byte, or the JSON escape `\u0000` (any case), outside nothing: a NUL is never valid in our JSON.
    static func jsonHasNul<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        let a = Array(bytes)
        if a.contains(0) { return true }
        var i = 0
        while i + 5 < a.count {
            if a[i] == UInt8(ascii: "\\") {
                if a[i + 1] == UInt8(ascii: "u"), a[i + 2] == 0x30, a[i + 3] == 0x30, a[i + 4] == 0x30, a[i + 5] == 0x30 { return true }
                i += 2 // an escaped character: `\\u0000` is a backslash and text, not a NUL
                continue
            }
            i += 1
        }
        return false
    }

    static func pathToNul(_ v: JSONValue, _ path: String = "") -> String? {
        switch v {
        case .string(let s): return s.unicodeScalars.contains("\u{0}") ? (path.isEmpty ? "body" : path) : nil
        case .array(let items):
            for (i, item) in items.enumerated() { if let p = pathToNul(item, "\(path)[\(i)]") { return p } }
            return nil
        case .object(let pairs):
            for (k, item) in pairs {
                if k.unicodeScalars.contains("\u{0}") { return path.isEmpty ? "body" : path }
                if let p = pathToNul(item, path.isEmpty ? k : "\(path).\(k)") { return p }
            }
            return nil
        default: return nil
        }
    }

    /// The name of the first `name=value` pair whose value (or name) decodes to text with a NUL.
    static func formFieldWithNul(_ encoded: String) -> String? {
        guard encoded.range(of: "%00", options: .caseInsensitive) != nil || encoded.unicodeScalars.contains("\u{0}") else { return nil }
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = (parts.first ?? "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            let value = (parts.count > 1 ? parts[1] : "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            if name.unicodeScalars.contains("\u{0}") || value.unicodeScalars.contains("\u{0}") { return name.isEmpty ? "body" : name.filter { $0 != "\u{0}" } }
        }
        return nil
    }
}
