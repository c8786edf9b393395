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
    ]

    struct Fixtures {
        var org: UUID, body: UUID, unit: UUID, role: UUID, collaboration: UUID, targetUser: UUID, targetMembership: UUID
        var programme: UUID, call: UUID, application: UUID, review: UUID, payment: UUID, report: UUID, attachment: UUID
        var forum: UUID, seat: UUID, meeting: UUID, agendaItem: UUID, action: UUID, question: UUID, consultation: UUID, event: UUID, response: UUID
    }

    static func fixtures(_ t: TestApp) async throws -> Fixtures {
        let org = try await Organisation.query(on: t.db).filter(\.$name == "Funktionsrätt Värmland").first()!.id!
        let body = try await PublicBody.query(on: t.db).filter(\.$name == "Region Värmland").first()!.id!
        let unit = try await OrgUnit.query(on: t.db).filter(\.$name == "Folkhögskolorna").first()!.id!
        let role = try await ContactRole.query(on: t.db).filter(\.$title == "Sekreterare i Pensionärsrådet").first()!.id!
        let rlk = try await OrgUnit.query(on: t.db).filter(\.$name == "Regionledningskontoret").first()!.id!
        let collaboration = try await CollaborationLink.query(on: t.db).filter(\.$unitID == rlk).filter(\.$organisationID == org).first()!.id!
        let analyst = try await AccountService.findUser(email: "analytiker@samverka.example", on: t.db)!.id!
        let membership = try await Membership.query(on: t.db).filter(\.$userID == analyst).first()!.id!
        let programme = try await GrantProgramme.query(on: t.db).filter(\.$bodyID == body).first()!
        let call = try await GrantCall.query(on: t.db).filter(\.$programmeID == programme.id!).first()!.id!
        let application = try await GrantApplication.query(on: t.db).filter(\.$organisationID == org).first()!
        let review = try await GrantReview.query(on: t.db).first()!.id!
        let decision = try await GrantDecision.query(on: t.db).filter(\.$applicationID == application.id!).first()!.id!
        let payment = try await GrantPayment.query(on: t.db).filter(\.$decisionID == decision).first()!.id!
        let report = try await GrantReport.query(on: t.db).filter(\.$decisionID == decision).first()!.id!
        let attachment = GrantAttachment()
        attachment.applicationID = application.id!
        attachment.kind = "verksamhetsberattelse"
        attachment.filename = "verksamhetsberattelse-2025.txt"
        attachment.contentType = "text/plain"
        attachment.data = Data("Verksamhetsberättelse".utf8)
        attachment.size = attachment.data.count
        try await attachment.save(on: t.db)
        let forum = try await Forum.query(on: t.db).filter(\.$name == "Pensionärsrådet").first()!.id!
        let seat = try await ForumService.currentSeats(forumID: forum, on: t.db).first!.id!
        let meeting = try await Meeting.query(on: t.db).filter(\.$forumID == forum).filter(\.$status == .confirmed).first()!.id!
        let agendaItem = try await AgendaItem.query(on: t.db).filter(\.$meetingID == meeting).first()!.id!
        let meetings = try await Meeting.query(on: t.db).filter(\.$forumID == forum).all().map { $0.id! }
        let action = try await MeetingAction.query(on: t.db).filter(\.$meetingID ~~ meetings).first()!.id!
        let question = try await DialogueQuestion.query(on: t.db).filter(\.$forumID == forum).first()!.id!
        let consultation = try await Consultation.query(on: t.db).first()!.id!
        let event = try await DialogueEvent.query(on: t.db).first()!.id!
        let response = ConsultationResponse()
        response.id = UUID()
        response.consultationID = consultation
        response.organisationID = org
        response.generalComment = "Remissvar från Funktionsrätt Värmland."
        response.version = 1
        try await response.create(on: t.db)
        return Fixtures(org: org, body: body, unit: unit, role: role, collaboration: collaboration, targetUser: analyst, targetMembership: membership,
                        programme: programme.id!, call: call, application: application.id!, review: review, payment: payment, report: report,
                        attachment: attachment.id!, forum: forum, seat: seat, meeting: meeting, agendaItem: agendaItem, action: action,
                        question: question, consultation: consultation, event: event, response: response.id!)
    }

    /// A concrete path for a route pattern.
    static func path(_ pattern: String, _ f: Fixtures) -> String {
        var parts: [String] = []
        let segments = pattern.split(separator: "/").map(String.init)
        for (i, s) in segments.enumerated() {
            guard s.hasPrefix(":") else { parts.append(s); continue }
            let prev = i > 0 ? segments[i - 1] : ""
            switch (s, prev) {
            case (":id", "organisations"): parts.append(f.org.uuidString)
            case (":id", "bodies"): parts.append(f.body.uuidString)
            case (":id", "units"): parts.append(f.unit.uuidString)
            case (":id", "roles"): parts.append(f.role.uuidString)
            case (":id", "collaborations"): parts.append(f.collaboration.uuidString)
            case (":id", "users"): parts.append(f.targetUser.uuidString)
            case (":mid", _): parts.append(f.targetMembership.uuidString)
            case (":id", "programmes"): parts.append(f.programme.uuidString)
            case (":id", "calls"): parts.append(f.call.uuidString)
            case (":id", "applications"): parts.append(f.application.uuidString)
            case (":id", "reviews"): parts.append(f.review.uuidString)
            case (":id", "payments"): parts.append(f.payment.uuidString)
            case (":id", "reports"): parts.append(f.report.uuidString)
            case (":id", "attachments"): parts.append(f.attachment.uuidString)
            case (":id", "forums"): parts.append(f.forum.uuidString)
            case (":id", "seats"): parts.append(f.seat.uuidString)
            case (":id", "meetings"): parts.append(f.meeting.uuidString)
            case (":id", "agenda-items"): parts.append(f.agendaItem.uuidString)
            case (":id", "actions"): parts.append(f.action.uuidString)
            case (":id", "questions"): parts.append(f.question.uuidString)
            case (":id", "consultations"): parts.append(f.consultation.uuidString)
            case (":id", "events"): parts.append(f.event.uuidString)
            case (":id", "consultation-responses"): parts.append(f.response.uuidString)
            case (":code", _): parts.append("1780")
            case (":token", _): parts.append("not-a-real-token")
            default: parts.append(UUID().uuidString)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

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
            let f = try await Self.fixtures(t)
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
                let path = Self.path(entry.path, f)
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
}
