import Vapor
import SamverkaRules

/// Security headers on every response: a CSP without inline scripts, no framing, no MIME sniffing,
/// a strict referrer policy, and HSTS when served over HTTPS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ].joined(separator: "; ")

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let h = response.headers
        func set(_ name: String, _ value: String) {
            if !h.contains(name: name) { response.headers.replaceOrAdd(name: name, value: value) }
        }
        set("Content-Security-Policy", Self.contentSecurityPolicy)
        set("X-Content-Type-Options", "nosniff")
        set("X-Frame-Options", "DENY")
        set("Referrer-Policy", "strict-origin-when-cross-origin")
        set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        set("Cross-Origin-Opener-Policy", "same-origin")
        if req.application.config.secureCookies {
            set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        }
        if req.principal.isSignedIn && !h.contains(name: .cacheControl) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        }
        return response
    }
}
