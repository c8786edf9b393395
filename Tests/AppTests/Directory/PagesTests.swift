import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("HTML pages", .serialized)
struct PagesTests {
    /// The main pages, as a signed-in admin, in both languages. Every page renders, escapes, and has no
    /// untranslated string keys.
    @Test("main pages render in Swedish and English with every string translated")
    func mainPages() async throws {
        try await TestApp.run { t in
            _ = try await DemoData.load(t.app)
            let f = try await DemoFixtures.load(t)
            let draft = try await GrantApplication.query(on: t.db).filter(\.$status == .draft).first()!.id!
            let submitted = try await GrantApplication.query(on: t.db).filter(\.$status == .underReview).first()!.id!
            let decision = try await GrantDecision.query(on: t.db).filter(\.$applicationID == f.application).first()!.id!
            let published = try await Meeting.query(on: t.db).filter(\.$forumID == f.forum).filter(\.$status == .published).first()!.id!
            let b = Browser(t)
            try await b.signIn("admin@samverka.example", "demo-Admin-Samverka-2026")
            let pages = ["/", "/search?q=pensionär", "/organisations", "/organisations?county=17&area=pensioners", "/organisations/\(f.org)",
                         "/organisations/\(f.org)/edit", "/organisations/new", "/organisations/import", "/bodies", "/bodies/\(f.body)",
                         "/bodies/\(f.body)/collaboration", "/units/\(f.unit)", "/roles", "/roles?open=true", "/roles/\(f.role)",
                         "/roles/\(f.role)/handover", "/density", "/density?level=county", "/population/import", "/accessibility",
                         "/privacy", "/account", "/admin/users", "/admin/audit", "/invitations/new",
                         "/grants", "/grants/programmes/\(f.programme)", "/grants/register", "/grants/register?year=2025",
                         "/grants/programmes/new", "/grants/programmes/\(f.programme)/edit", "/grants/programmes/\(f.programme)/dashboard",
                         "/grants/programmes/\(f.programme)/allocation", "/grants/programmes/\(f.programme)/batch", "/grants/calls/new",
                         "/grants/calls/\(f.call)", "/grants/calls/\(f.call)/edit", "/grants/applications", "/grants/applications/\(f.application)",
                         "/grants/applications/\(draft)", "/grants/applications/\(draft)/edit", "/grants/applications/\(submitted)/decide",
                         "/grants/decisions/\(decision)", "/grants/reviews", "/grants/payments", "/grants/reports", "/grants/reports?overdue=true",
                         "/grants/reports/\(f.report)", "/grants/reclaims",
                         "/forums", "/forums/\(f.forum)", "/forums/new", "/forums/\(f.forum)/edit", "/forums/\(f.forum)/seats/new", "/seats/\(f.seat)/replace",
                         "/meetings/\(f.meeting)", "/meetings/\(f.meeting)/edit", "/meetings/\(published)", "/meetings/new?forum=\(f.forum)",
                         "/questions", "/questions/new", "/questions/\(f.question)", "/consultations", "/consultations/new", "/consultations/\(f.consultation)",
                         "/events", "/events/new", "/events/\(f.event)", "/calendar"]
            let key = try Regex(#">\s*[a-z]+(\.[a-zA-Z]+)+\s*<"#)
            for lang in ["sv", "en"] {
                for p in pages {
                    let res = try await b.get(p + (p.contains("?") ? "&" : "?") + "lang=\(lang)")
                    #expect(res.status == .ok, "\(p) [\(lang)] → \(res.status)")
                    #expect(res.text.contains("<html lang=\"\(lang)\""), "\(p) language")
                    for m in res.text.matches(of: key) where !res.text[..<m.range.lowerBound].hasSuffix("<code") {
                        Issue.record("untranslated key on \(p) [\(lang)]: \(res.text[m.range])")
                    }
                    #expect(res.text.contains("href=\"#main\""), "skip link on \(p)")
                }
            }
        }
    }

    @Test("text from users is escaped in pages")
    func escaping() async throws {
        try await TestApp.run { t in
            let id = try await t.db.write(as: .system("test")) { ctx -> UUID in
                // Bypass validation to prove the template escapes even if something slipped through.
                let o = try await OrganisationService.create(OrganisationInput(name: "Förening", legalForm: "ideellForening", level: "local"), in: ctx)
                o.name = "<script>alert('x')</script>"
                try await o.save(on: ctx.db)
                return o.id!
            }
            let page = try await Browser(t).get("/organisations/\(id)")
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains("&lt;script&gt;"))
        }
    }

    @Test("an edit with a bad orgnr shows the error next to the field and keeps the input")
    func formErrors() async throws {
        try await TestApp.run { t in
            let admin = try await t.user(.admin)
            let id = try await t.organisation("Kils IF", orgnr: "802000-0009")
            let b = Browser(t)
            try await b.signIn(admin.email)
            let res = try await b.post("/organisations/\(id)/edit", [("name", "Kils IF"), ("orgnr", "802000-0000"), ("legalForm", "ideellForening"),
                                                                       ("level", "local"), ("version", "1")])
            #expect(res.status == .unprocessableEntity)
            #expect(res.text.contains("id=\"f-orgnr-error\""))
            #expect(res.text.contains("aria-invalid=\"true\""))
            #expect(res.text.contains("value=\"802000-0000\""))
            #expect(res.text.contains("Kontrollsiffran stämmer inte"))
            #expect(try await Organisation.find(id, on: t.db)?.orgnr == "802000-0009")
            let ok = try await b.post("/organisations/\(id)/edit", [("name", "Kils IF"), ("orgnr", "556091-2148"), ("legalForm", "ideellForening"),
                                                                      ("level", "local"), ("version", "1")])
            #expect(ok.status == .seeOther)
            #expect(try await Organisation.find(id, on: t.db)?.orgnr == "556091-2148")
        }
    }

    @Test("health tells nothing but the state; metrics only to the configured scraper token")
    func healthAndMetrics() async throws {
        let scraper = "metrics-scraper-token-0123456789"
        try await TestApp.run(configure: { $0.metricsToken = scraper }) { t in
            let h = try await t.api(.GET, "/health")
            #expect(h.status == .ok)
            #expect(try h.json()["status"] == "ok")
            #expect(try h.json()["version"] == nil, "the version is not told to anonymous callers")
            _ = try await Browser(t).get("/organisations")
            #expect(try await t.send(.GET, "/metrics").status == .notFound)
            #expect(try await t.send(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token-0123456789"]).status == .notFound)
            let m = try await t.send(.GET, "/metrics", headers: ["Authorization": "Bearer \(scraper)"])
            #expect(m.status == .ok)
            #expect(m.text.contains("samverka_http_requests_total{method=\"GET\",route=\"/organisations\",status=\"200\"}"))
            #expect(m.text.contains("samverka_http_request_duration_seconds_bucket"))
        }
    }

    @Test("404 pages are HTML for browsers and problem+json for the API")
    func notFound() async throws {
        try await TestApp.run { t in
            let html = try await Browser(t).get("/no/such/page")
            #expect(html.status == .notFound)
            #expect(html.headers.contentType == .html)
            let api = try await t.api(.GET, "/api/v1/no-such")
            #expect(api.status == .notFound)
            #expect(api.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
        }
    }
}
