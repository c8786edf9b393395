import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("Sign-in, sessions, CSRF and tokens", .serialized)
struct AuthTests {
    @Test("signing in issues a new session id (no fixation) with HttpOnly and SameSite cookies")
    func sessionFixation() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            let b = Browser(t)
            b.cookies[SessionService.cookieName] = "attacker-chosen-session-id"
            let res = try await b.signIn(u.email)
            #expect(res.status == .seeOther)
            let set = res.headers[.setCookie].first { $0.hasPrefix(SessionService.cookieName + "=") } ?? ""
            #expect(!set.contains("attacker-chosen-session-id"))
            #expect(set.contains("HttpOnly"))
            #expect(set.lowercased().contains("samesite=lax"))
            #expect(try await b.get("/account").status == .ok)
            let stored = try await UserSession.query(on: t.db).all()
            #expect(stored.count == 1)
            #expect(stored[0].tokenHash != TokenCodec.hash("attacker-chosen-session-id"))
            #expect(stored[0].tokenHash == TokenCodec.hash(b.cookies[SessionService.cookieName] ?? ""))
        }
    }

    @Test("forms without the CSRF token, or with a wrong one, are refused")
    func csrf() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.admin)
            let b = Browser(t)
            try await b.signIn(u.email)
            let fields = [("name", "CSRF-föreningen"), ("legalForm", "ideellForening"), ("level", "local")]
            #expect(try await b.post("/organisations", fields, csrf: "").status == .forbidden)
            #expect(try await b.post("/organisations", fields, csrf: "wrong-token").status == .forbidden)
            #expect(try await t.count("organisations") == 0)
            #expect(try await b.post("/organisations", fields).status == .seeOther)
            #expect(try await t.count("organisations") == 1)
        }
    }

    @Test("an expired session no longer signs anyone in")
    func expiredSession() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            let b = Browser(t)
            try await b.signIn(u.email)
            #expect(try await b.get("/account").status == .ok)
            let s = try await UserSession.query(on: t.db).first()!
            s.lastSeenAt = Date().addingTimeInterval(-3 * 3600)
            try await s.save(on: t.db)
            let res = try await b.get("/account")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location)?.hasPrefix("/sign-in?next=") == true)
            #expect(try await t.count("sessions") == 0)
        }
    }

    @Test("signing out ends the session on the server")
    func signOut() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            let b = Browser(t)
            try await b.signIn(u.email)
            let cookie = b.cookies[SessionService.cookieName]!
            try await b.post("/sign-out", [])
            #expect(try await t.count("sessions") == 0)
            b.cookies[SessionService.cookieName] = cookie
            #expect(try await b.get("/account").status == .seeOther)
        }
    }

    @Test("?next= never redirects off-site")
    func openRedirect() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            let b = Browser(t)
            try await b.get("/sign-in")
            let res = try await b.post("/sign-in", [("email", u.email), ("password", TestApp.password), ("next", "//evil.example/phish")])
            #expect(res.headers.first(name: .location) == "/tasks")
            let page = try await b.get("/sign-in?next=https://evil.example")
            #expect(!page.text.contains("evil.example"))
        }
    }

    @Test("repeated wrong passwords lock the account with 429 and Retry-After, even with the right password")
    func bruteForce() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            for _ in 0..<5 {
                let res = try await t.api(.POST, "/api/v1/session", json: ["email": u.email, "password": "wrong-password-guess"])
                #expect(res.status == .unprocessableEntity)
            }
            let locked = try await t.api(.POST, "/api/v1/session", json: ["email": u.email, "password": TestApp.password])
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            let html = Browser(t)
            try await html.get("/sign-in")
            #expect(try await html.post("/sign-in", [("email", u.email), ("password", TestApp.password)]).status == .tooManyRequests)
        }
    }

    @Test("API sign-in gives a short-lived bearer token that works until revoked")
    func apiSession() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            let res = try await t.api(.POST, "/api/v1/session", json: ["email": u.email, "password": TestApp.password])
            #expect(res.status == .created)
            let j = try res.json()
            let token = j["token"]!.stringValue!
            #expect(j["tokenType"] == "Bearer")
            let me = try await t.api(.GET, "/api/v1/me", token: token)
            #expect(try me.json()["email"] == .string(u.email))
            #expect(try await t.api(.DELETE, "/api/v1/session", token: token).status == .noContent)
            #expect(try await t.api(.GET, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("revoked and expired API tokens are refused")
    func revokedTokens() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.admin)
            let created = try await t.api(.POST, "/api/v1/me/tokens", token: u.token, json: ["name": AnyEncodable("Ekonomisystemet"), "expiresInDays": AnyEncodable(30)])
            #expect(created.status == .created)
            let dto = try created.json()
            let token = dto["token"]!.stringValue!
            #expect(token.hasPrefix("svk_"))
            #expect(try await t.api(.GET, "/api/v1/me", token: token).status == .ok)
            // Only the hash is stored.
            #expect(try await APIToken.query(on: t.db).filter(\.$tokenHash == token).count() == 0)
            #expect(try await t.api(.DELETE, "/api/v1/me/tokens/\(dto["id"]!.stringValue!)", token: u.token).status == .noContent)
            #expect(try await t.api(.GET, "/api/v1/me", token: token).status == .unauthorized)
            let old = try await APIToken.query(on: t.db).filter(\.$tokenHash == TokenCodec.hash(u.token)).first()!
            old.expiresAt = Date().addingTimeInterval(-1)
            try await old.save(on: t.db)
            #expect(try await t.api(.GET, "/api/v1/me", token: u.token).status == .unauthorized)
        }
    }

    @Test("responses carry security headers; a CSP without inline scripts")
    func securityHeaders() async throws {
        try await TestApp.run { t in
            let res = try await Browser(t).get("/")
            let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(csp.contains("script-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(res.headers.first(name: "Referrer-Policy") != nil)
            #expect(!res.text.contains("<script>"))
        }
    }
}

@Suite("Password reset and invitations", .serialized)
struct OneTimeLinkTests {
    func linkFromOutbox(_ t: TestApp, to email: String, prefix: String) async throws -> String {
        let mail = try await OutboxMail.query(on: t.db).filter(\.$recipient == email).sort(\.$createdAt, .descending).first()
        let body = try #require(mail?.body)
        let line = try #require(body.split(separator: "\n").first { $0.contains(prefix) })
        return String(line[line.range(of: prefix)!.lowerBound...]).trimmingCharacters(in: .whitespaces)
    }

    @Test("reset by one-time link: mail through the outbox, new password works, link is single-use")
    func reset() async throws {
        try await TestApp.run { t in
            let u = try await t.user(.official, body: try await t.region())
            let b = Browser(t)
            try await b.get("/password/forgot")
            #expect(try await b.post("/password/forgot", [("email", u.email)]).status == .ok)
            // No account: same answer, no mail.
            #expect(try await b.post("/password/forgot", [("email", "nobody@test.example")]).status == .ok)
            #expect(try await OutboxMail.query(on: t.db).count() == 1)
            let link = try await linkFromOutbox(t, to: u.email, prefix: "/password/reset/")
            #expect(try await b.get(link).status == .ok)
            let weak = try await b.post(link, [("password", "passwordpassword"), ("confirm", "passwordpassword")])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.text.contains("för vanligt"))
            let ok = try await b.post(link, [("password", "tre gröna äpplen i Kil"), ("confirm", "tre gröna äpplen i Kil")])
            #expect(ok.status == .seeOther)
            #expect(try await b.get(link).status == .notFound)
            #expect(try await t.api(.POST, "/api/v1/session", json: ["email": u.email, "password": "tre gröna äpplen i Kil"]).status == .created)
        }
    }

    @Test("an official invites an organisation's representative, who sets a password and gets the role")
    func invitation() async throws {
        try await TestApp.run { t in
            let body = try await t.region()
            let official = try await t.user(.official, body: body)
            let org = try await t.organisation("Funktionsrätt Värmland")
            let res = try await t.api(.POST, "/api/v1/invitations", token: official.token,
                                      json: ["email": AnyEncodable("ny@frv.example"), "name": AnyEncodable("Ny Företrädare"),
                                             "role": AnyEncodable("representative"), "organisationId": AnyEncodable(org)])
            #expect(res.status == .created)
            let cannot = try await t.api(.POST, "/api/v1/invitations", token: official.token,
                                         json: ["email": AnyEncodable("x@y.example"), "name": AnyEncodable("X"), "role": AnyEncodable("admin")])
            #expect(cannot.status == .forbidden)
            let link = try await linkFromOutbox(t, to: "ny@frv.example", prefix: "/invitations/")
            let b = Browser(t)
            #expect(try await b.get(link).status == .ok)
            let accepted = try await b.post(link, [("name", "Ny Företrädare"), ("password", "tre gröna äpplen i Kil"), ("confirm", "tre gröna äpplen i Kil")])
            #expect(accepted.status == .seeOther)
            let account = try await b.get("/account")
            #expect(account.text.contains("Funktionsrätt Värmland"))
            let me = try await AccountService.findUser(email: "ny@frv.example", on: t.db)
            let grants = try await AccountService.grants(for: me!.id!, on: t.db)
            #expect(grants == [Grant(role: .representative, organisationID: org)])
        }
    }
}
