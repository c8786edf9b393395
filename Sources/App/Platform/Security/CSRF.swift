import Vapor
import Crypto
import SamverkaRules

/// Double-submit CSRF protection: a random token in an HttpOnly, SameSite=Lax cookie must come back
/// in the form field `_csrf` (or the `X-CSRF-Token` header) of every state-changing browser request.
/// API requests authenticated by a bearer token carry no ambient credentials and are exempt.
public enum CSRF {
    public static let cookieName = "samverka_csrf"
    public static let fieldName = "_csrf"
    public static let headerName = "X-CSRF-Token"

    static func newToken() -> String {
        Data([UInt8].random(count: 32)).base64URLEncodedString()
    }

    /// Checks the token for unsafe methods when the request could carry ambient (cookie) credentials.
    static func verify(_ req: Request) throws {
        guard ![.GET, .HEAD, .OPTIONS].contains(req.method) else { return }
        let method = req.principal.method
        if req.isAPI && method != .session { return }
        if method == .token || method == .legacyAdminToken || method == .system { return }
        guard let expected = req.cookies[cookieName]?.string, !expected.isEmpty else {
            throw AppError(.forbidden, "Formuläret saknar säkerhetstoken (CSRF). Ladda om sidan och försök igen.")
        }
        let sent = req.headers.first(name: headerName) ?? (try? req.content.get(String.self, at: fieldName))
        guard let sent, constantTimeEquals(sent, expected) else {
            throw AppError(.forbidden, "Formulärets säkerhetstoken (CSRF) stämmer inte. Ladda om sidan och försök igen.")
        }
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Request {
    private struct CSRFKey: StorageKey { typealias Value = String }
    /// The token to embed in forms; created (and set as a cookie by `CSRFCookieMiddleware`) on first use.
    public var csrfToken: String {
        if let existing = storage[CSRFKey.self] { return existing }
        let existing = cookies[CSRF.cookieName]?.string ?? ""
        let token = existing.isEmpty ? CSRF.newToken() : existing
        storage[CSRFKey.self] = token
        return token
    }
    /// Replaces the token (on sign-in and sign-out).
    public func rotateCSRFToken() {
        storage[CSRFKey.self] = CSRF.newToken()
    }
    var csrfTokenIfUsed: String? { storage[CSRFKey.self] }
}

/// Sets the CSRF cookie when a page used a token that the browser does not have yet.
struct CSRFCookieMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        if let token = req.csrfTokenIfUsed, token != req.cookies[CSRF.cookieName]?.string {
            response.cookies[CSRF.cookieName] = HTTPCookies.Value(
                string: token, maxAge: nil, path: "/", isSecure: req.application.config.secureCookies,
                isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}
