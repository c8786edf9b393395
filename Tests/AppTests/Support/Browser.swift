import Foundation
import Testing
import VaporTesting
@testable import App

/// A person with a browser: keeps cookies, sends the CSRF token with forms, follows nothing automatically.
final class Browser: @unchecked Sendable {
    let t: TestApp
    var cookies: [String: String] = [:]

    init(_ t: TestApp) { self.t = t }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    private func store(_ res: TestingHTTPResponse) {
        for header in res.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if header.lowercased().contains("expires=thu, 01 jan 1970") || header.lowercased().contains("max-age=0") {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
    }

    @discardableResult
    func get(_ path: String, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var h = extra
        if !cookies.isEmpty { h.replaceOrAdd(name: .cookie, value: cookieHeader) }
        h.replaceOrAdd(name: .accept, value: "text/html")
        let res = try await t.send(.GET, path, headers: h)
        store(res)
        return res
    }

    /// Posts a form; `csrf: nil` sends the cookie's token, `csrf: "x"` sends a given one, `csrf: ""` none.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestingHTTPResponse {
        var all = fields
        if csrf == nil {
            if cookies[CSRF.cookieName] == nil { try await get("/sign-in") }
            all.append(("_csrf", cookies[CSRF.cookieName] ?? ""))
        } else if let csrf, !csrf.isEmpty {
            all.append(("_csrf", csrf))
        }
        var h = HTTPHeaders()
        h.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        h.replaceOrAdd(name: .accept, value: "text/html")
        if !cookies.isEmpty { h.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let body = all.map { "\(URLQuery.escape($0.0))=\(URLQuery.escape($0.1))" }.joined(separator: "&")
        let res = try await t.send(.POST, path, headers: h, body: ByteBuffer(string: body))
        store(res)
        return res
    }

    /// Posts a multipart form with one file, as a browser's upload form does.
    @discardableResult
    func upload(_ path: String, _ fields: [(String, String)], file: (field: String, filename: String, contentType: String, data: Data)) async throws -> TestingHTTPResponse {
        if cookies[CSRF.cookieName] == nil { try await get("/sign-in") }
        let boundary = "----samverka-test-\(UUID().uuidString)"
        var body = Data()
        for (k, v) in fields + [("_csrf", cookies[CSRF.cookieName] ?? "")] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var h = HTTPHeaders()
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        h.replaceOrAdd(name: .accept, value: "text/html")
        if !cookies.isEmpty { h.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let res = try await t.send(.POST, path, headers: h, body: ByteBuffer(data: body))
        store(res)
        return res
    }

    @discardableResult
    func signIn(_ email: String, _ password: String = TestApp.password) async throws -> TestingHTTPResponse {
        try await get("/sign-in")
        return try await post("/sign-in", [("email", email), ("password", password), ("next", "/account")])
    }
}

extension Browser {
    /// The fields a browser would send for the first form on a page posting to `action`, unchanged: text inputs and
    /// hidden fields with their values, checked checkboxes, the selected option of each select, textareas' text.
    static func formFields(_ html: String, action: String) -> [(String, String)] {
        guard let start = html.range(of: "action=\"\(action)\""), let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex) else { return [] }
        let form = String(html[start.upperBound..<end.lowerBound])
        func unescape(_ s: String) -> String {
            s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        }
        func attr(_ tag: String, _ name: String) -> String? {
            guard let r = tag.range(of: " \(name)=\"") else { return nil }
            let rest = tag[r.upperBound...]
            return rest.firstIndex(of: "\"").map { unescape(String(rest[..<$0])) }
        }
        var out: [(String, String)] = []
        var scan = form[...]
        while let open = scan.firstIndex(of: "<") {
            let tail = scan[open...]
            guard let close = tail.firstIndex(of: ">") else { break }
            let tag = String(tail[...close])
            scan = tail[tail.index(after: close)...]
            if tag.hasPrefix("<input") {
                guard let name = attr(tag, "name"), name != "_csrf" else { continue }
                let type = attr(tag, "type") ?? "text"
                if type == "checkbox" { if tag.contains(" checked") { out.append((name, attr(tag, "value") ?? "on")) } } else { out.append((name, attr(tag, "value") ?? "")) }
            } else if tag.hasPrefix("<textarea"), let name = attr(tag, "name"), let endTag = scan.range(of: "</textarea>") {
                out.append((name, unescape(String(scan[..<endTag.lowerBound]))))
            } else if tag.hasPrefix("<select"), let name = attr(tag, "name"), let endTag = scan.range(of: "</select>") {
                let options = String(scan[..<endTag.lowerBound]).components(separatedBy: "<option").dropFirst()
                if let chosen = options.first(where: { $0.contains(" selected") }) ?? options.first, let v = attr("<option" + chosen, "value") { out.append((name, v)) }
            }
        }
        return out
    }
}
