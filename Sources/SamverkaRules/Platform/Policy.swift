import Foundation

/// The roles a user can hold, each inside a public body or an organisation (see `Grant`).
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Runs the installation: every permission everywhere.
    case admin
    /// Tjänsteperson in a public body, optionally narrowed to some units.
    case official
    /// Förtroendevald in a public body.
    case politician
    /// Acts for an organisation.
    case representative
    /// Assesses grant applications.
    case reviewer
    /// Reads across all public bodies (national overview).
    case analyst
}

/// One role held by a user, with where it applies.
public struct Grant: Codable, Sendable, Equatable {
    public var role: Role
    public var bodyID: UUID?
    /// When non-empty, an official's rights in the body are narrowed to these units and their sub-units.
    public var unitIDs: [UUID]
    public var organisationID: UUID?

    public init(role: Role, bodyID: UUID? = nil, unitIDs: [UUID] = [], organisationID: UUID? = nil) {
        self.role = role
        self.bodyID = bodyID
        self.unitIDs = unitIDs
        self.organisationID = organisationID
    }
}

/// Who is making a request.
public struct Principal: Sendable {
    public enum Method: String, Sendable { case anonymous, session, token, legacyAdminToken, system }

    public var userID: UUID?
    public var displayName: String
    public var grants: [Grant]
    public var method: Method
    public var sessionID: UUID?
    public var tokenID: UUID?

    public init(userID: UUID?, displayName: String, grants: [Grant], method: Method, sessionID: UUID? = nil, tokenID: UUID? = nil) {
        self.userID = userID
        self.displayName = displayName
        self.grants = grants
        self.method = method
        self.sessionID = sessionID
        self.tokenID = tokenID
    }

    public static let anonymous = Principal(userID: nil, displayName: "", grants: [], method: .anonymous)
    /// Command-line tools, demo loading and background jobs.
    public static func system(_ name: String = "system") -> Principal {
        Principal(userID: nil, displayName: name, grants: [Grant(role: .admin)], method: .system)
    }

    public var isSignedIn: Bool { method != .anonymous }
    public var isAdmin: Bool { grants.contains { $0.role == .admin } }
    public func holds(_ role: Role) -> Bool { grants.contains { $0.role == role } }
    public var organisationIDs: [UUID] { grants.filter { $0.role == .representative }.compactMap(\.organisationID) }
    /// The public bodies the principal is an official of.
    public var officialBodyIDs: [UUID] { grants.filter { $0.role == .official }.compactMap(\.bodyID) }
    public var roles: [Role] { Array(Set(grants.map(\.role))).sorted { $0.rawValue < $1.rawValue } }
}

/// Everything a route or a service can ask permission for.
public enum Permission: String, CaseIterable, Sendable {
    // Directory
    case organisationCreate, organisationEdit, organisationDelete, organisationImport
    case bodyManage, bodyEdit, unitEdit, roleEdit, collaborationEdit
    case referenceDataManage
    // Accounts
    case accountSelf, userManage, userInvite, auditRead
    // Grants
    /// Run a body's programmes: calls, reviewers, decisions, payments, reports, reclaims.
    case grantsManage
    /// Apply for grants for an organisation, report on them.
    case grantsApply
    /// Assess applications one has been assigned.
    case grantsReview
    // Dialogue
    /// Run a body's forums, meetings, consultations and events; answer questions owed by the body.
    case dialogueManage
    /// Take part for an organisation: raise questions, answer consultations (representatives; politicians raise questions too).
    case dialogueParticipate
    // Agreements
    /// Run an agreement of one's own body: versions, adoption, governance, action plan, follow-up; record paper signatures.
    case agreementsManage
    /// Sign an agreement, or withdraw the signature, for one's own organisation.
    case agreementsSign
    // Partnerships
    /// Run a body's IOPs (analysis, legal assessment, decision, agreement, follow-up) and reserved procurements.
    case partnershipsManage
    /// Propose an IOP for one's own organisation and follow it.
    case partnershipsPropose
    // Surveys and the national overview
    /// Build, send and publish a body's surveys (officials); analysts hold it for national surveys.
    case surveysManage
    /// Run national surveys and import what regions reported for the national overview (analysts).
    case overviewManage
    // Across bodies
    case crossBodyRead
}

/// What a permission is asked about: nothing in particular (may the principal do this anywhere?),
/// or a concrete resource.
public enum ResourceScope: Sendable, Equatable {
    case anywhere
    /// A public body; `unitPath` is the unit and its ancestors (empty for the body itself).
    case body(UUID, unitPath: [UUID])
    case organisation(UUID)
    /// A record with two sides, e.g. a collaboration link between a unit and an organisation.
    case bodyAndOrganisation(UUID, unitPath: [UUID], organisation: UUID)
}

/// The single permission policy. Routes declare a permission; services ask about concrete resources.
/// Plain Swift with no Vapor, so every rule is unit-tested.
public enum Policy {
    public static func allows(_ principal: Principal, _ permission: Permission, _ scope: ResourceScope = .anywhere) -> Bool {
        principal.grants.contains { grant in allows(grant, permission, scope) }
    }

    /// A change to a record with an owner: allowed only when the principal may touch the record as it is
    /// (`from`, nil for a new record) *and* as it would become (`to`), so nobody moves a record they may not
    /// touch to themselves, nor one of theirs to where they could not have created it.
    public static func allowsChange(_ principal: Principal, _ permission: Permission, from: ResourceScope?, to: ResourceScope) -> Bool {
        (from.map { allows(principal, permission, $0) } ?? true) && allows(principal, permission, to)
    }

    public static func allows(_ grant: Grant, _ permission: Permission, _ scope: ResourceScope) -> Bool {
        if grant.role == .admin { return true }
        switch permission {
        case .accountSelf:
            return true
        case .organisationCreate, .organisationImport, .organisationDelete:
            return grant.role == .official
        case .organisationEdit:
            switch scope {
            case .organisation(let org):
                return grant.role == .official || (grant.role == .representative && grant.organisationID == org)
            default:
                return grant.role == .official || grant.role == .representative
            }
        case .bodyEdit:
            guard grant.role == .official, grant.unitIDs.isEmpty else { return false }
            if case .body(let body, _) = scope { return grant.bodyID == body }
            return scope == .anywhere
        case .unitEdit:
            guard grant.role == .official else { return false }
            if case .body(let body, let path) = scope { return coversUnit(grant, body: body, unitPath: path) }
            return scope == .anywhere
        case .roleEdit:
            switch scope {
            case .anywhere: return grant.role == .official || grant.role == .representative
            case .body(let body, let path): return grant.role == .official && coversUnit(grant, body: body, unitPath: path)
            case .organisation(let org): return grant.role == .official || (grant.role == .representative && grant.organisationID == org)
            case .bodyAndOrganisation: return false
            }
        case .collaborationEdit:
            switch scope {
            case .anywhere: return grant.role == .official || grant.role == .representative
            case .bodyAndOrganisation(let body, let path, let org):
                return (grant.role == .official && coversUnit(grant, body: body, unitPath: path))
                    || (grant.role == .representative && grant.organisationID == org)
            case .body(let body, let path): return grant.role == .official && coversUnit(grant, body: body, unitPath: path)
            case .organisation(let org): return grant.role == .representative && grant.organisationID == org
            }
        case .userInvite:
            return grant.role == .official
        case .grantsManage:
            guard grant.role == .official else { return false }
            if case .body(let body, let path) = scope { return coversUnit(grant, body: body, unitPath: path) }
            return scope == .anywhere
        case .grantsApply:
            guard grant.role == .representative else { return false }
            if case .organisation(let org) = scope { return grant.organisationID == org }
            return scope == .anywhere
        case .grantsReview:
            guard grant.role == .reviewer || grant.role == .official else { return false }
            if case .body(let body, _) = scope { return grant.bodyID == body }
            return scope == .anywhere
        case .dialogueManage:
            guard grant.role == .official else { return false }
            if case .body(let body, let path) = scope { return coversUnit(grant, body: body, unitPath: path) }
            return scope == .anywhere
        case .dialogueParticipate:
            switch scope {
            case .anywhere: return grant.role == .representative || grant.role == .politician
            case .organisation(let org): return grant.role == .representative && grant.organisationID == org
            default: return false
            }
        case .agreementsManage:
            guard grant.role == .official, grant.unitIDs.isEmpty else { return false }
            if case .body(let body, _) = scope { return grant.bodyID == body }
            return scope == .anywhere
        case .agreementsSign:
            guard grant.role == .representative else { return false }
            if case .organisation(let org) = scope { return grant.organisationID == org }
            return scope == .anywhere
        case .partnershipsManage:
            guard grant.role == .official else { return false }
            if case .body(let body, let path) = scope { return coversUnit(grant, body: body, unitPath: path) }
            return scope == .anywhere
        case .partnershipsPropose:
            switch scope {
            case .anywhere: return grant.role == .representative || grant.role == .official
            case .organisation(let org): return grant.role == .representative && grant.organisationID == org
            case .body(let body, let path): return grant.role == .official && coversUnit(grant, body: body, unitPath: path)
            case .bodyAndOrganisation(let body, let path, let org):
                return (grant.role == .official && coversUnit(grant, body: body, unitPath: path)) || (grant.role == .representative && grant.organisationID == org)
            }
        case .surveysManage:
            switch scope {
            case .anywhere: return grant.role == .official || grant.role == .analyst
            case .body(let body, let path): return grant.role == .official && coversUnit(grant, body: body, unitPath: path)
            default: return false
            }
        case .overviewManage:
            return grant.role == .analyst
        case .crossBodyRead:
            return grant.role == .analyst
        case .bodyManage, .referenceDataManage, .userManage, .auditRead:
            return false
        }
    }

    /// An official covers a unit when the grant is for the unit's body and either is not narrowed,
    /// or one of its units is the unit itself or an ancestor of it.
    public static func coversUnit(_ grant: Grant, body: UUID, unitPath: [UUID]) -> Bool {
        guard grant.bodyID == body else { return false }
        if grant.unitIDs.isEmpty { return true }
        return unitPath.contains { grant.unitIDs.contains($0) }
    }
}
