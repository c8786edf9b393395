import Foundation
import Testing
@testable import SamverkaRules

@Suite("Permission policy")
struct PolicyTests {
    let body = UUID(), otherBody = UUID(), unit = UUID(), child = UUID(), org = UUID(), otherOrg = UUID()

    func principal(_ grants: [Grant]) -> Principal { Principal(userID: UUID(), displayName: "x", grants: grants, method: .session) }

    @Test("an official edits units of their own body only")
    func officialScope() {
        let p = principal([Grant(role: .official, bodyID: body)])
        #expect(Policy.allows(p, .unitEdit, .body(body, unitPath: [unit])))
        #expect(!Policy.allows(p, .unitEdit, .body(otherBody, unitPath: [unit])))
        #expect(Policy.allows(p, .bodyEdit, .body(body, unitPath: [])))
        #expect(!Policy.allows(p, .bodyManage))
        #expect(!Policy.allows(p, .auditRead))
    }

    @Test("an official narrowed to a unit covers it and its sub-units, not the body")
    func narrowedOfficial() {
        let p = principal([Grant(role: .official, bodyID: body, unitIDs: [unit])])
        #expect(Policy.allows(p, .unitEdit, .body(body, unitPath: [child, unit])))
        #expect(!Policy.allows(p, .unitEdit, .body(body, unitPath: [UUID()])))
        #expect(!Policy.allows(p, .bodyEdit, .body(body, unitPath: [])))
    }

    @Test("a representative edits only their own organisation and its roles")
    func representative() {
        let p = principal([Grant(role: .representative, organisationID: org)])
        #expect(Policy.allows(p, .organisationEdit, .organisation(org)))
        #expect(!Policy.allows(p, .organisationEdit, .organisation(otherOrg)))
        #expect(Policy.allows(p, .roleEdit, .organisation(org)))
        #expect(!Policy.allows(p, .organisationCreate))
        #expect(Policy.allows(p, .collaborationEdit, .bodyAndOrganisation(body, unitPath: [unit], organisation: org)))
        #expect(!Policy.allows(p, .collaborationEdit, .bodyAndOrganisation(body, unitPath: [unit], organisation: otherOrg)))
    }

    @Test("analysts read across bodies and change nothing of a body's; they run national surveys and the overview; anonymous may nothing")
    func analystAndAnonymous() {
        let a = principal([Grant(role: .analyst)])
        #expect(Policy.allows(a, .crossBodyRead))
        #expect(Policy.allows(a, .overviewManage) && Policy.allows(a, .surveysManage) && !Policy.allows(a, .surveysManage, .body(UUID(), unitPath: [])))
        for perm in Permission.allCases where ![.crossBodyRead, .accountSelf, .overviewManage, .surveysManage].contains(perm) {
            #expect(!Policy.allows(a, perm), "analyst should not have \(perm)")
        }
        for perm in Permission.allCases { #expect(!Policy.allows(.anonymous, perm)) }
    }

    @Test("admins may everything")
    func admin() {
        let p = principal([Grant(role: .admin)])
        for perm in Permission.allCases { #expect(Policy.allows(p, perm, .organisation(otherOrg))) }
    }

    @Test("who may invite whom")
    func invitations() {
        let official = principal([Grant(role: .official, bodyID: body)])
        #expect(InvitationRules.allowed(official, role: .representative, bodyID: nil, organisationID: org))
        #expect(InvitationRules.allowed(official, role: .politician, bodyID: body, organisationID: nil))
        #expect(!InvitationRules.allowed(official, role: .official, bodyID: otherBody, organisationID: nil))
        #expect(!InvitationRules.allowed(official, role: .admin, bodyID: nil, organisationID: nil))
        let rep = principal([Grant(role: .representative, organisationID: org)])
        #expect(!InvitationRules.allowed(rep, role: .representative, bodyID: nil, organisationID: org))
    }
}

@Suite("Password policy and rate limits")
struct PasswordAndRateTests {
    let policy = PasswordPolicy.load(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Resources/Security/common-passwords.txt").standardized.path)

    @Test("refuses short, common, e-mail-like and over-long passwords")
    func passwords() {
        #expect(policy.size > 100)
        #expect(policy.check("kort", email: nil) == "passwordTooShort")
        #expect(policy.check("passwordpassword", email: nil) == "passwordCommon")
        #expect(policy.check("Lösenord123!!", email: nil) == "passwordCommon")
        #expect(policy.check("aaaaaaaaaaaaaaa", email: nil) == "passwordCommon")
        #expect(policy.check("anna.svensson-2026", email: "anna.svensson@example.se") == "passwordLikeEmail")
        #expect(policy.check(String(repeating: "å", count: 40), email: nil) == "passwordTooLong")
        #expect(policy.check("tre gröna äpplen i Kil", email: "anna@example.se") == nil)
    }

    @Test("a limit allows N hits per window and says when to retry")
    func rateLimit() {
        let now = Date()
        let limit = RateLimit(limit: 3, window: 600)
        #expect(limit.retryAfter(hits: [now, now], now: now) == 0)
        let hits = [now.addingTimeInterval(-500), now.addingTimeInterval(-100), now.addingTimeInterval(-50)]
        #expect(limit.retryAfter(hits: hits, now: now) == 100)
        #expect(limit.retryAfter(hits: hits + [now.addingTimeInterval(-700)], now: now) == 100)
    }
}
