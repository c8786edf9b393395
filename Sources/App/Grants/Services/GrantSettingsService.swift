import Fluent
import Vapor
import SamverkaRules

extension GrantBodySettings: Auditable {
    static var auditEntityType: String { "grantBodySettings" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["bodyId": .string(bodyID.uuidString), "relaxSeparation": .bool(relaxSeparation), "reason": .string(reason)])
    }
}

struct GrantSettingsDTO: Content, Sendable {
    var bodyId: UUID
    var relaxSeparation: Bool
    var reason: String
    var version: Int
}

struct GrantSettingsBody: Content, Sendable {
    var relaxSeparation: Bool?
    var reason: String?
    var version: Int?
}

/// A body's grant settings. Only an admin may relax the separation of duties (for a very small body where one
/// person must decide, attest and pay); the change and its reason are in the audit log.
enum GrantSettingsService {
    static func relaxesSeparation(bodyID: UUID, on db: any Database) async throws -> Bool {
        try await GrantBodySettings.query(on: db).filter(\.$bodyID == bodyID).first()?.relaxSeparation ?? false
    }

    static func dto(bodyID: UUID, on db: any Database) async throws -> GrantSettingsDTO {
        let s = try await GrantBodySettings.query(on: db).filter(\.$bodyID == bodyID).first()
        return GrantSettingsDTO(bodyId: bodyID, relaxSeparation: s?.relaxSeparation ?? false, reason: s?.reason ?? "", version: s?.version ?? 0)
    }

    static func save(bodyID: UUID, _ b: GrantSettingsBody, in ctx: WriteContext) async throws -> GrantBodySettings {
        guard ctx.actor.isAdmin else { throw AppError.forbidden(code: "adminOnly") }
        guard try await StructureService.bodyKinds([bodyID], on: ctx.db)[bodyID] != nil else { throw AppError.notFound() }
        let existing = try await GrantBodySettings.query(on: ctx.db).filter(\.$bodyID == bodyID).first()
        if let v = b.version, v < 1 { throw AppError.invalid(field: "version", code: "range", "1", String(Int.max)) }
        if let existing, let v = b.version, v != existing.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        guard let relax = b.relaxSeparation else { throw AppError.invalid(field: "relaxSeparation", code: "required") }
        let reason = TextRules.paragraph(b.reason ?? existing?.reason, field: "reason", max: 2000, required: relax, errors: &errors)
        try errors.throwIfAny()
        let s = existing ?? GrantBodySettings()
        let before = existing?.auditSnapshot
        if existing == nil { s.id = UUID(); s.bodyID = bodyID; s.version = 1 } else { s.version += 1 }
        s.relaxSeparation = relax
        s.reason = reason
        try await s.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", s, id: s.id, before: before)
        return s
    }
}
