import Foundation

/// Password rules: at least 12 characters, at most 72 bytes (bcrypt's limit), not one of the most
/// common passwords (`Resources/Security/common-passwords.txt`), not the e-mail address.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    public static let maximumBytes = 72
    public let common: Set<String>

    public init(common: Set<String>) { self.common = common }

    public static func load(from path: String) -> PasswordPolicy {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let words = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return PasswordPolicy(common: Set(words))
    }

    /// nil when acceptable, otherwise the failure code (`invalid.<code>`).
    public func check(_ password: String, email: String?) -> String? {
        if password.count < Self.minimumLength { return "passwordTooShort" }
        if password.utf8.count > Self.maximumBytes { return "passwordTooLong" }
        let lower = password.lowercased()
        if common.contains(lower) { return "passwordCommon" }
        // A common password with a trailing number or symbol is still a common password.
        let stripped = String(lower.reversed().drop { $0.isNumber || $0.isPunctuation || $0.isSymbol }.reversed())
        if stripped.count >= 4, common.contains(stripped) { return "passwordCommon" }
        if Set(lower).count <= 2 { return "passwordCommon" }
        if let email, !email.isEmpty {
            let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
            if lower == email.lowercased() || (local.count >= 4 && lower.contains(local)) { return "passwordLikeEmail" }
        }
        return nil
    }

    public var size: Int { common.count }
}

/// Only same-site paths may be the target of `?next=` after signing in (no open redirects).
public enum SafeRedirect {
    public static func path(_ next: String?, fallback: String = "/") -> String {
        guard let next = next?.trimmingCharacters(in: .whitespaces), !next.isEmpty else { return fallback }
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
              !next.contains("\\"), !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              !next.lowercased().hasPrefix("/sign-in"), !next.lowercased().hasPrefix("/sign-out"),
              next.count <= 500 else { return fallback }
        // `/%2F%2Fevil.example` decodes to `//evil.example` in some clients.
        if let decoded = next.removingPercentEncoding, decoded.hasPrefix("//") || decoded.hasPrefix("/\\") { return fallback }
        return next
    }
}

/// A limit: at most `limit` hits per `window` seconds in a bucket.
public struct RateLimit: Sendable, Equatable {
    public var limit: Int
    public var window: TimeInterval

    public static let signInPerAccount = RateLimit(limit: 5, window: 15 * 60)
    public static let signInPerAddress = RateLimit(limit: 20, window: 15 * 60)
    public static let resetPerAccount = RateLimit(limit: 3, window: 60 * 60)
    public static let resetPerAddress = RateLimit(limit: 10, window: 60 * 60)

    /// Seconds until the bucket allows another attempt (0 when allowed), given the hit times in the window.
    public func retryAfter(hits: [Date], now: Date) -> Int {
        let recent = hits.filter { now.timeIntervalSince($0) < window }.sorted()
        guard recent.count >= limit else { return 0 }
        let unlock = recent[recent.count - limit].addingTimeInterval(window)
        return max(1, Int(unlock.timeIntervalSince(now).rounded(.up)))
    }
}

/// Who may invite whom: admins anyone; an official (not narrowed to units) officials, politicians and
/// reviewers of their own body, and representatives of any organisation.
public enum InvitationRules {
    public static func allowed(_ inviter: Principal, role: Role, bodyID: UUID?, organisationID: UUID?) -> Bool {
        if inviter.isAdmin { return true }
        switch role {
        case .admin, .analyst:
            return false
        case .representative:
            return organisationID != nil && inviter.grants.contains { $0.role == .official }
        case .official, .politician, .reviewer:
            guard let bodyID else { return false }
            return inviter.grants.contains { $0.role == .official && $0.bodyID == bodyID && $0.unitIDs.isEmpty }
        }
    }

    /// The scope a role needs: body roles need a body, representatives an organisation, admins and analysts nothing.
    public static func scopeError(role: Role, bodyID: UUID?, organisationID: UUID?) -> (field: String, code: String)? {
        switch role {
        case .official, .politician:
            return bodyID == nil ? ("bodyId", "required") : nil
        case .representative:
            return organisationID == nil ? ("organisationId", "required") : nil
        case .reviewer:
            return bodyID == nil && organisationID == nil ? ("bodyId", "required") : nil
        case .admin, .analyst:
            return nil
        }
    }
}
