import Foundation
import Testing
import VaporTesting
@testable import App

/// Menus come from the same access declarations that guard the routes: for every role, every link in the main menu
/// and in each module's menu opens (no 401 or 403), and the links a role may not use are not shown.
@Suite("Navigation per role", .serialized)
struct NavigationTests {
    static func navLinks(_ html: String) -> [String] {
        var out: [String] = []
        for block in html.components(separatedBy: "<nav").dropFirst() {
            let nav = block.components(separatedBy: "</nav>").first ?? ""
            var rest = Substring(nav)
            while let r = rest.range(of: "href=\"") {
                let after = rest[r.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                out.append(String(after[..<end]))
                rest = after[end...]
            }
        }
        return out
    }

    @Test("every menu link a role is shown opens for that role; admin-only links are shown to admins only",
          arguments: [nil] + DemoData.accounts.map(\.email))
    func menus(email: String?) async throws {
        try await TestApp.run { t in
            _ = try await DemoData.load(t.app)
            let browser = Browser(t)
            if let email, let account = DemoData.accounts.first(where: { $0.email == email }) {
                #expect(try await browser.signIn(email, account.password).status == .seeOther)
            }
            let starts = ["/", "/grants", "/forums", "/agreements", "/partnerships", "/overview", "/account", "/organisations"]
            var shown = Set<String>()
            for start in starts {
                let page = try await browser.get(start)
                if page.status != .ok { continue }
                shown.formUnion(Self.navLinks(page.text).filter { $0.hasPrefix("/") && !$0.contains("lang=") })
            }
            #expect(!shown.isEmpty)
            for href in shown.sorted() {
                let res = try await browser.get(href)
                let toSignIn = res.status == .seeOther && (res.headers.first(name: .location) ?? "").hasPrefix("/sign-in")
                #expect(res.status != .forbidden && res.status != .unauthorized && !toSignIn, "\(email ?? "anonymous") is shown \(href) but gets \(res.status)")
            }
            let isAdmin = email.flatMap { e in DemoData.accounts.first { $0.email == e } }?.role == .admin
            #expect(shown.contains("/admin/users") == isAdmin && shown.contains("/admin/audit") == isAdmin, "\(email ?? "anonymous"): \(shown.sorted())")
        }
    }
}
