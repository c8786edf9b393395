import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// For every registered route and every role (anonymous included): allowed or refused, as this table says.
/// The table is written here, independently of `Policy`, so a change to either shows up as a failure.
/// A route without a declared permission fails the test.
@Suite("Role × route matrix", .serialized)
struct RoleRouteMatrixTests {
    enum Who: String, CaseIterable, Sendable { case anonymous, admin, official, politician, representative, reviewer, analyst }

    /// Who may use a route with this access, for the demo fixtures used below (resources in Region Värmland
    /// and, for organisations, the representative's own organisation Funktionsrätt Värmland).
    static let allowed: [String: Set<Who>] = [
        "anyone": Set(Who.allCases),
        "signedIn": [.admin, .official, .politician, .representative, .reviewer, .analyst],
        "accountSelf": [.admin, .official, .politician, .representative, .reviewer, .analyst],
        "organisationCreate": [.admin, .official],
        "organisationImport": [.admin, .official],
        "organisationDelete": [.admin, .official],
        "organisationEdit@scope": [.admin, .official, .representative],
        "bodyManage": [.admin],
        "bodyEdit@scope": [.admin, .official],
        "unitEdit": [.admin, .official],
        "unitEdit@scope": [.admin, .official],
        "roleEdit": [.admin, .official, .representative],
        "roleEdit@scope": [.admin, .official],
        "collaborationEdit": [.admin, .official, .representative],
        "referenceDataManage": [.admin],
        "userManage": [.admin],
        "userInvite": [.admin, .official],
        "auditRead": [.admin],
        "crossBodyRead": [.admin, .analyst],
        // Grants: Region Värmland's programme; the representative's organisation's application.
        "grantsManage": [.admin, .official],
        "grantsManage@scope": [.admin, .official],
        "grantsApply": [.admin, .representative],
        "grantsApply@scope": [.admin, .representative],
        "grantsReview": [.admin, .official, .reviewer],
        // Records whose per-record rule decides: Funktionsrätt Värmland's application and report; the demo reviewer's review.
        "grantCaseRead": [.admin, .official, .representative, .analyst],
        "assignedReviewer": [.reviewer],
        // Dialogue: Region Värmland's Pensionärsrådet, where the demo politician is chair.
        "dialogueManage": [.admin, .official],
        "dialogueManage@scope": [.admin, .official],
        "dialogueParticipate": [.admin, .politician, .representative],
        "dialogueParticipate@scope": [.admin, .representative],
        "seatHolder": [.politician],
        "minutesApprover": [.politician],
        "consultationRespond": [.admin, .representative],
        // Agreements: Överenskommelsen Värmland, which Funktionsrätt Värmland has signed.
        "agreementsManage": [.admin, .official],
        "agreementsManage@scope": [.admin, .official],
        "agreementSigner": [.admin, .official, .representative],
        // Partnerships: Region Värmland's IOP with EBL-skolan (not the representative's organisation).
        "partnershipsPropose": [.admin, .official, .representative],
        "partnershipsManage": [.admin, .official],
        "partnershipsManage@scope": [.admin, .official],
        "partnershipMover": [.admin, .official],
        // State aid of Funktionsrätt Värmland, the representative's own organisation.
        "deMinimisRead": [.admin, .official, .representative, .analyst],
        "stateAidDeclare": [.admin, .official, .representative],
        // Surveys: Region Värmland's published survey; national surveys and the overview's reported figures are the analysts'.
        "surveysManage": [.admin, .official, .analyst],
        "surveyManager": [.admin, .official],
        "overviewManage": [.admin, .analyst],
    ]

    /// Requests that end the session or the account run last.
    static func order(_ e: RouteEntry) -> Int {
        if e.method == .GET { return 0 }
        if e.path.contains("sign-out") || (e.path == "/api/v1/session" && e.method == .DELETE) { return 3 }
        if e.path.contains("erase") || e.path.contains("/status") { return 2 }
        return 1
    }

    static func email(_ who: Who) -> String? {
        DemoData.accounts.first { $0.role.rawValue == who.rawValue }?.email
    }

    @Test("every route declares who may use it, and each role gets exactly that", arguments: Who.allCases)
    func matrix(who: Who) async throws {
        try await TestApp.run { t in
            _ = try await DemoData.load(t.app)
            let f = try await DemoFixtures.load(t)
            let registry = t.app.routeRegistry
            // Every Vapor route is registered with an access declaration.
            for route in t.app.routes.all {
                #expect(registry.entry(for: route) != nil, "route without declared permission: \(route.method) \(RouteRegistry.pathString(route.path))")
            }
            var token: String?
            let browser = Browser(t)
            try await browser.get("/sign-in")
            if let email = Self.email(who) {
                let password = DemoData.accounts.first { $0.email == email }!.password
                #expect(try await browser.signIn(email, password).status == .seeOther)
                let user = try await AccountService.findUser(email: email, on: t.db)!
                token = try await t.db.write(as: .system("test")) { ctx in
                    try await TokenService.create(userID: user.id!, name: "matrix", kind: "api", lifetime: 3600, in: ctx.db).token
                }
            }
            var checked = 0
            for entry in registry.all.sorted(by: { Self.order($0) < Self.order($1) }) {
                guard let expected = Self.allowed[entry.access.name] else {
                    Issue.record("no expectation for access \(entry.access.name) on \(entry.method) \(entry.path)")
                    continue
                }
                let path = DemoFixtures.path(entry.path, f)
                let res: TestingHTTPResponse
                if entry.path.hasPrefix("/api/") {
                    res = try await t.api(entry.method, path, token: token, rawBody: entry.method == .GET || entry.method == .DELETE ? nil : "{}")
                } else if entry.method == .GET {
                    res = try await browser.get(path)
                } else {
                    res = try await browser.post(path, [])
                }
                let code = Int(res.status.code)
                let label = "\(who.rawValue) \(entry.method) \(entry.path) → \(code)"
                #expect(code < 500, "server error: \(label) \(res.text.prefix(300))")
                if expected.contains(who) {
                    let toSignIn = code == 303 && (res.headers.first(name: .location) ?? "").hasPrefix("/sign-in?")
                    #expect(code != 401 && code != 403 && !toSignIn, "should be allowed: \(label)")
                } else if who == .anonymous {
                    let toSignIn = code == 303 && (res.headers.first(name: .location) ?? "").hasPrefix("/sign-in?")
                    #expect(code == 401 || toSignIn, "anonymous should be asked to sign in: \(label)")
                } else {
                    #expect(code == 403, "should be forbidden: \(label)")
                }
                checked += 1
            }
            #expect(checked == registry.all.count)
            #expect(checked > 100)
        }
    }

    @Test("move a record you may not touch to yourself: refused for every role but the admin", arguments: Who.allCases)
    func moveToSelf(who: Who) async throws {
        try await TestApp.run { t in
            _ = try await DemoData.load(t.app)
            let f = try await DemoFixtures.load(t)
            // A link between a Norrbotten organisation and a unit of Region Norrbotten: nobody in Värmland may touch it.
            let norrbotten = try #require(try await PublicBody.query(on: t.db).filter(\.$name == "Region Norrbotten").first()?.id)
            let northUnits = try await OrgUnit.query(on: t.db).filter(\.$bodyID == norrbotten).all().compactMap(\.id)
            let link = try #require(try await CollaborationLink.query(on: t.db).filter(\.$unitID ~~ northUnits).first())
            var token: String?
            if let email = Self.email(who), let user = try await AccountService.findUser(email: email, on: t.db) {
                token = try await t.db.write(as: .system("test")) { ctx in
                    try await TokenService.create(userID: user.id!, name: "move", kind: "api", lifetime: 3600, in: ctx.db).token
                }
            }
            // To the representative's own organisation, and to a unit of the official's own body.
            let res = try await t.api(.PUT, "/api/v1/collaborations/\(link.id!)", token: token, json: CollaborationBody(
                organisationId: f.org.uuidString, unitId: f.unit.uuidString, form: "dialogue", startsOn: link.startsOn, version: link.version))
            let deleted = try await t.api(.DELETE, "/api/v1/collaborations/\(link.id!)", token: token)
            switch who {
            case .admin:
                #expect(res.status == .ok, "\(res.text)")
            case .anonymous:
                #expect(res.status == .unauthorized && deleted.status == .unauthorized)
            default:
                #expect(res.status == .forbidden, "\(who) moved a Norrbotten link: \(res.status)")
                #expect(deleted.status == .forbidden, "\(who) deleted a Norrbotten link: \(deleted.status)")
                let after = try #require(try await CollaborationLink.find(link.id!, on: t.db))
                #expect(after.unitID == link.unitID && after.organisationID == link.organisationID)
            }
        }
    }
}
