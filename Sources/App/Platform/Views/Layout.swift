import Vapor
import SamverkaRules

/// A link in the main navigation or a module's sub-navigation.
public struct NavItem: Encodable, Sendable {
    public var href: String
    public var label: String
    public var current: Bool
}

/// What every page's base layout needs: title, language, navigation, the signed-in user, CSRF token.
public struct Layout: Encodable, Sendable {
    public var title: String
    public var lang: String
    public var csrf: String
    public var userName: String?
    public var userRoles: String?
    public var nav: [NavItem]
    public var subnav: [NavItem]
    public var otherLangHref: String
    public var otherLangLabel: String
    public var otherLang: String
    public var flash: String?
    public var path: String
    public var canAdmin: Bool
    public var hasSubnav: Bool
    public var year: Int
}

public struct Page<Data: Encodable & Sendable>: Encodable, Sendable {
    public var layout: Layout
    public var data: Data
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
    public func mayOpen(_ href: String) -> Bool {
        let path = String(href.split(separator: "?", maxSplits: 1).first ?? Substring(href))
        guard let entry = application.routeRegistry.entry(.GET, path) else { return true }
        switch entry.access {
        case .anyone: return true
        case .signedIn, .record: return principal.isSignedIn
        case .permission(let p), .scoped(let p, _): return principal.isSignedIn && Policy.allows(principal, p)
        }
    }

    func layout(title: String) -> Layout {
        let path = url.path
        let lang = language
        let modules = application.navigation.all
        let currentModule = modules.first { m in m.prefixes.contains { path == $0 || path.hasPrefix($0 + "/") } }
        let nav = modules.filter { mayOpen($0.href) }.map { NavItem(href: $0.href, label: t($0.labelKey), current: $0.key == currentModule?.key) }
        let subnav = (currentModule?.items ?? [])
            .filter { (!$0.signedIn || principal.isSignedIn) && mayOpen($0.href) }
            .map { NavItem(href: $0.href, label: t($0.labelKey), current: path == $0.href) }
        let other: Language = lang == .sv ? .en : .sv
        var query = (url.query ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") }.map(String.init)
        query.append("lang=\(other.rawValue)")
        let flash = (cookies[Flash.cookie]?.string).flatMap { $0.removingPercentEncoding }
        return Layout(
            title: title,
            lang: lang.rawValue,
            csrf: csrfToken,
            userName: principal.isSignedIn ? principal.displayName : nil,
            userRoles: principal.isSignedIn ? principal.roles.map { t("role.\($0.rawValue)") }.joined(separator: ", ") : nil,
            nav: nav,
            subnav: subnav,
            otherLangHref: path + "?" + query.joined(separator: "&"),
            otherLangLabel: other == .en ? "English" : "Svenska",
            otherLang: other.rawValue,
            flash: flash,
            path: path,
            canAdmin: principal.isAdmin,
            hasSubnav: !subnav.isEmpty,
            year: LocalDate.today().year)
    }

    /// Renders `template` inside the base layout.
    public func page<D: Encodable & Sendable>(_ template: String, title: String, _ data: D, status: HTTPStatus = .ok) async throws -> Response {
        let page = Page(layout: layout(title: title), data: data)
        let view = try await self.view.render(template, page)
        let response = try await view.encodeResponse(status: status, for: self)
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
