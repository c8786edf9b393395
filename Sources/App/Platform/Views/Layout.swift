import Vapor
import SamverkaRules

/// A link in the main navigation or a module's sub-navigation.
public struct NavItem: Encodable, Sendable {
    public var href: String
    public var label: String
    public var current: Bool
}

/// What every page's base layout needs: title, language, navigation, the signed-in user, CSRF token.
public struct Layout: Sendable {
    public var title: String
    public var lang: String
    public var csrf: String
    public var userName: String?
    public var nav: [NavItem]
    public var subnav: [NavItem]
    public var otherLangHref: String
    public var otherLangLabel: String
    public var otherLang: String
    public var flash: String?
    public var year: Int

    /// The page around a body: head, header with navigation and session links, sub-navigation, flash message,
    /// footer. Written in Swift, not a template: it is the same on every page, and through Leaf it cost as much as
    /// the rest of a request (a page without database work served half of `/health`'s rate).
    func render(body: ByteBuffer, t: (String) -> String) -> ByteBuffer {
        var w = HTMLWriter(capacity: body.readableBytes + 4096)
        w.raw("<!doctype html>\n<html lang=\"")
        w.text(lang)
        w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        w.text(title)
        w.raw(" – Samverka</title>\n<link rel=\"stylesheet\" href=\"/css/samverka.css\">\n")
        w.raw("<script src=\"/js/combobox.js\" defer></script>\n<script src=\"/js/progress.js\" defer></script>\n</head>\n<body>\n")
        w.raw("<a class=\"skip-link\" href=\"#main\">")
        w.text(t("layout.skip"))
        w.raw("</a>\n<header class=\"site-header\">\n<div class=\"wrap header-row\">\n<a class=\"brand\" href=\"/\">Samverka</a>\n")
        w.raw("<nav class=\"main-nav\" aria-label=\"")
        w.text(t("layout.mainNav"))
        w.raw("\">\n")
        Self.list(nav, into: &w)
        w.raw("\n</nav>\n<div class=\"session\">\n<a href=\"")
        w.text(otherLangHref)
        w.raw("\" lang=\"")
        w.text(otherLang)
        w.raw("\" hreflang=\"")
        w.text(otherLang)
        w.raw("\">")
        w.text(otherLangLabel)
        w.raw("</a>\n")
        if let userName {
            w.raw("\n<a href=\"/tasks\">")
            w.text(t("tasks.title"))
            w.raw("</a>\n<a href=\"/notifications\">")
            w.text(t("notifications.title"))
            w.raw("</a>\n<a href=\"/account\">")
            w.text(userName)
            w.raw("</a>\n<form method=\"post\" action=\"/sign-out\" class=\"inline-form\"><input type=\"hidden\" name=\"_csrf\" value=\"")
            w.text(csrf)
            w.raw("\"><button type=\"submit\" class=\"link-button\">")
            w.text(t("layout.signOut"))
            w.raw("</button></form>\n")
        } else {
            w.raw("\n<a href=\"/sign-in\">")
            w.text(t("layout.signIn"))
            w.raw("</a>\n")
        }
        w.raw("\n</div>\n</div>\n</header>\n")
        if !subnav.isEmpty {
            w.raw("\n<nav class=\"subnav\" aria-label=\"")
            w.text(t("layout.subNav"))
            w.raw("\">\n<div class=\"wrap\">")
            Self.list(subnav, into: &w)
            w.raw("</div>\n</nav>\n")
        }
        w.raw("\n<main id=\"main\" tabindex=\"-1\" class=\"wrap\">\n")
        if let flash {
            w.raw("<div class=\"flash\" role=\"status\">")
            w.text(flash)
            w.raw("</div>")
        }
        w.raw("\n\n")
        w.rendered(body)
        w.raw("\n</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n<ul class=\"footer-links\">\n<li><a href=\"/accessibility\">")
        w.text(t("layout.accessibility"))
        w.raw("</a></li>\n<li><a href=\"/privacy\">")
        w.text(t("layout.privacy"))
        w.raw("</a></li>\n<li><a href=\"/api/v1/openapi.json\">")
        w.text(t("layout.api"))
        w.raw("</a></li>\n</ul>\n<p>Samverka · ")
        w.text(year)
        w.raw("</p>\n</div>\n</footer>\n</body>\n</html>\n")
        return w.buffer
    }

    private static func list(_ items: [NavItem], into w: inout HTMLWriter) {
        w.raw("<ul>")
        for item in items {
            w.raw("<li><a href=\"")
            w.text(item.href)
            w.raw(item.current ? "\" aria-current=\"page\">" : "\">")
            w.text(item.label)
            w.raw("</a></li>")
        }
        w.raw("</ul>")
    }
}

/// What a page's template sees besides its data: the layout is rendered in Swift around it; templates name only the title.
struct BodyLayout: Encodable, Sendable {
    var title: String
}

struct Page<Data: Encodable & Sendable>: Encodable, Sendable {
    var layout: BodyLayout
    var data: Data
}

/// A module's place in the navigation: its main link and its sub-pages.
public struct ModuleNav: Sendable {
    public var key: String
    public var href: String
    public var labelKey: String
    /// Path prefixes that belong to the module (for highlighting).
    public var prefixes: [String]
    public var items: [(href: String, labelKey: String, signedIn: Bool)]

    public init(key: String, href: String, labelKey: String, prefixes: [String], items: [(href: String, labelKey: String, signedIn: Bool)]) {
        self.key = key
        self.href = href
        self.labelKey = labelKey
        self.prefixes = prefixes
        self.items = items
    }
}

public final class NavigationRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var modules: [ModuleNav] = []
    func add(_ m: ModuleNav) { lock.withLock { modules.append(m) } }
    var all: [ModuleNav] { lock.withLock { modules } }
}

extension Application {
    private struct NavKey: StorageKey { typealias Value = NavigationRegistry }
    public var navigation: NavigationRegistry {
        if let n = storage[NavKey.self] { return n }
        let n = NavigationRegistry()
        storage[NavKey.self] = n
        return n
    }
}

/// A one-time message shown on the next page (kept in a short-lived cookie so any node can show it).
public enum Flash {
    static let cookie = "samverka_flash"
}

extension Request {
    /// Whether the principal may open a page, judged by the access its GET route declares: menus come from the same
    /// declaration that guards the routes, so nobody is shown a link that answers 403.
    public func mayOpen(_ href: String) -> Bool { Self.mayOpen(href, registry: application.routeRegistry, principal: principal) }

    private static func mayOpen(_ href: String, registry: RouteRegistry, principal: Principal) -> Bool {
        let path = href.split(separator: "?", maxSplits: 1).first.map(String.init) ?? href
        guard let entry = registry.entry(.GET, path) else { return true }
        switch entry.access {
        case .anyone: return true
        case .signedIn, .record: return principal.isSignedIn
        case .permission(let p), .scoped(let p, _): return principal.isSignedIn && Policy.allows(principal, p)
        }
    }

    func layout(title: String) -> Layout {
        // Storage is read once for the whole menu (each `principal`, `routeRegistry` and `t` is a storage lookup).
        let path = url.path
        let lang = language
        let principal = self.principal, registry = application.routeRegistry, t = translator
        let modules = application.navigation.all
        let currentModule = modules.first { m in m.prefixes.contains { path == $0 || path.hasPrefix($0 + "/") } }
        let nav = modules.filter { Self.mayOpen($0.href, registry: registry, principal: principal) }
            .map { NavItem(href: $0.href, label: t($0.labelKey, []), current: $0.key == currentModule?.key) }
        let subnav = (currentModule?.items ?? [])
            .filter { (!$0.signedIn || principal.isSignedIn) && Self.mayOpen($0.href, registry: registry, principal: principal) }
            .map { NavItem(href: $0.href, label: t($0.labelKey, []), current: path == $0.href) }
        let other: Language = lang == .sv ? .en : .sv
        var query = (url.query ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") }.map(String.init)
        query.append("lang=\(other.rawValue)")
        let flash = (cookies[Flash.cookie]?.string).flatMap { $0.removingPercentEncoding }
        return Layout(
            title: title,
            lang: lang.rawValue,
            // Only the signed-in header has a form (sign out): a visitor's page makes no token and sets no cookie
            // (making one was 4 % of an organisation page's CPU); pages with forms ask for theirs.
            csrf: principal.isSignedIn ? csrfToken : "",
            userName: principal.isSignedIn ? principal.displayName : nil,
            nav: nav,
            subnav: subnav,
            otherLangHref: path + "?" + query.joined(separator: "&"),
            otherLangLabel: other == .en ? "English" : "Svenska",
            otherLang: other.rawValue,
            flash: flash,
            year: LocalDate.today().year)
    }

    /// Renders `template` inside the base layout.
    public func page<D: Encodable & Sendable>(_ template: String, title: String, _ data: D, status: HTTPStatus = .ok) async throws -> Response {
        let body = try await view.render(template, Page(layout: BodyLayout(title: title), data: data)).data
        return page(title: title, body: body, status: status)
    }

    /// Writes a page's body in Swift (`write`) inside the base layout: for pages on hot paths.
    func page(title: String, status: HTTPStatus = .ok, _ write: (inout HTMLWriter) -> Void) -> Response {
        var w = HTMLWriter()
        write(&w)
        return page(title: title, body: w.buffer, status: status)
    }

    private func page(title: String, body: ByteBuffer, status: HTTPStatus) -> Response {
        let html = layout(title: title).render(body: body) { t($0) }
        var headers = HTTPHeaders()
        headers.contentType = .html
        let response = Response(status: status, headers: headers, body: .init(buffer: html))
        if cookies[Flash.cookie] != nil { response.cookies[Flash.cookie] = .expired }
        return response
    }

    /// A redirect after a successful form post, with a message for the next page.
    public func redirect(to location: String, flash: String?) -> Response {
        let response = redirect(to: location, redirectType: .normal)
        if let flash {
            response.cookies[Flash.cookie] = HTTPCookies.Value(
                string: flash.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
                maxAge: 60, path: "/", isSecure: application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}
