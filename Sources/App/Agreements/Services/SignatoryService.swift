import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension AgreementSignatory: Auditable {
    static var auditEntityType: String { "agreementSignatory" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["organisationId": .string(organisationID.uuidString), "contactRoleId": .string(contactRoleID?.uuidString ?? ""),
                       "signedOn": .string(signedOn), "onPaper": .bool(onPaper), "withdrawnOn": .string(withdrawnOn ?? ""), "withdrawalReason": .string(withdrawalReason)])
    }
}

/// Signatures: a representative signs (and withdraws) for their own organisation; an official of an owning body records
/// a signature given on paper. The list, the count on any date and the timeline come from `SignatoryRules`.
enum SignatoryService {
    static func all(_ agreementID: UUID, on db: any Database) async throws -> [AgreementSignatory] {
        try await AgreementSignatory.query(on: db).filter(\.$agreementID == agreementID).sort(\.$signedOn).all()
    }

    /// The organisations whose signature is in effect on a day. Read as three columns, not whole signatories: the
    /// forum and agreement pages ask this on every view, and building each signatory through Fluent to learn who
    /// signed was 4 % of a forum page.
    static func active(_ agreementID: UUID, on day: LocalDate, db: any Database) async throws -> Set<UUID> {
        SignatoryRules.active(try await signatures(agreementID, on: db), on: day)
    }

    /// Every signature's organisation and days, in no particular order.
    static func signatures(_ agreementID: UUID, on db: any Database) async throws -> [SignatoryRules.Signature] {
        try await RowReader.rows(on: db, """
            SELECT CAST(organisation_id AS TEXT) AS organisation_id, signed_on, withdrawn_on
            FROM agreement_signatories WHERE agreement_id = \(bind: agreementID)
            """) { r in try signature(r, organisationID: try r.uuid("organisation_id")) }
    }

    /// A signature from a row holding `signed_on` and `withdrawn_on`.
    static func signature(_ r: any ColumnValues, organisationID: UUID) throws -> SignatoryRules.Signature {
        SignatoryRules.Signature(organisationID: organisationID, signedOn: LocalDate(stored: try r.required("signed_on")),
                                 withdrawnOn: LocalDate.stored(r.string("withdrawn_on")))
    }

    /// May sign for `organisationID`: its representative, or (on paper) an official of an owning body.
    static func maySign(_ agreementID: UUID, organisationID: UUID, _ p: Principal, on db: any Database) async throws -> (allowed: Bool, onPaper: Bool) {
        if Policy.allows(p, .agreementsSign, .organisation(organisationID)) && !p.isAdmin { return (true, false) }
        if try await AgreementService.mayManage(agreementID, p, on: db) { return (true, true) }
        return (false, false)
    }

    static func sign(_ agreementID: UUID, _ b: SignBody, isDemo: Bool = false, today: LocalDate = .today(), in ctx: WriteContext) async throws -> AgreementSignatory {
        let a = try await AgreementService.find(agreementID, on: ctx.db)
        let manages = try await AgreementService.mayManage(agreementID, ctx.actor, on: ctx.db)
        guard ctx.actor.holds(.representative) || ctx.actor.isAdmin || manages else { throw AppError.forbidden() }
        var errors = FieldErrors()
        var orgID: UUID?
        if let raw = b.organisationId, let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { orgID = u }
        else { errors.add("organisationId", code: b.organisationId == nil ? "required" : "notFound") }
        var roleID: UUID?
        if let raw = b.contactRoleId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), let r = try await DirectoryQueries.role(u, on: ctx.db), r.organisationID == orgID { roleID = u }
            else { errors.add("contactRoleId", code: "notFound") }
        }
        try errors.throwIfAny()
        guard let orgID else { throw AppError.invalid(field: "organisationId", code: "required") }
        let (allowed, onPaper) = try await maySign(agreementID, organisationID: orgID, ctx.actor, on: ctx.db)
        guard allowed else { throw AppError.forbidden(code: "signOwnOrganisation") }
        let existing = try await all(agreementID, on: ctx.db)
        let versions = try await AgreementService.versions(try a.requireID(), on: ctx.db).map(\.facts)
        let day = SignatoryRules.sign(organisationID: orgID, on: b.signedOn ?? today.description, firstAdopted: AgreementRules.firstInForce(versions),
                                      existing: existing.map(\.signature), today: today, errors: &errors)
        try errors.throwIfAny()
        guard let day else { throw AppError.invalid(field: "signedOn", code: "required") }
        let s = AgreementSignatory()
        s.id = UUID()
        s.agreementID = agreementID
        s.organisationID = orgID
        s.contactRoleID = roleID
        s.signedOn = day.description
        s.onPaper = onPaper
        s.withdrawalReason = ""
        s.isDemo = isDemo
        s.version = 1
        try await s.create(on: ctx.db)
        ctx.audit("sign", s, id: s.id, before: nil)
        return s
    }

    static func withdraw(_ id: UUID, _ b: WithdrawBody, today: LocalDate = .today(), in ctx: WriteContext) async throws -> AgreementSignatory {
        let s = try await AgreementSignatory.require(id, on: ctx.db)
        let (allowed, _) = try await maySign(s.agreementID, organisationID: s.organisationID, ctx.actor, on: ctx.db)
        guard allowed else { throw AppError.forbidden() }
        if let v = b.version, v != s.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let reason = TextRules.paragraph(b.reason, field: "reason", max: 2000, errors: &errors)
        let day = SignatoryRules.withdraw(s.signature, on: b.withdrawnOn ?? today.description, today: today, errors: &errors)
        try errors.throwIfAny()
        guard let day else { throw AppError.invalid(field: "withdrawnOn", code: "required") }
        let before = s.auditSnapshot
        s.withdrawnOn = day.description
        s.withdrawalReason = reason
        s.version += 1
        try await s.save(on: ctx.db)
        ctx.audit("withdraw", s, id: s.id, before: before)
        return s
    }

    static func dtos(_ list: [AgreementSignatory], on db: any Database) async throws -> [SignatoryDTO] {
        let names = try await DirectoryQueries.organisationNames(list.map(\.organisationID), on: db)
        let roles = try await DirectoryQueries.roleTitles(list.compactMap(\.contactRoleID), on: db)
        return list.compactMap { s in
            guard let id = s.id else { return nil }
            return SignatoryDTO(id: id, organisationId: s.organisationID, organisationName: names[s.organisationID] ?? "", contactRoleId: s.contactRoleID,
                                contactRoleTitle: s.contactRoleID.flatMap { roles[$0] }, signedOn: s.signedOn, onPaper: s.onPaper, withdrawnOn: s.withdrawnOn,
                                withdrawalReason: s.withdrawalReason, isDemo: s.isDemo, version: s.version)
        }.sorted { $0.organisationName.localizedCompare($1.organisationName) == .orderedAscending }
    }

    /// Who had signed and not withdrawn on `day`.
    static func list(_ agreementID: UUID, on day: LocalDate, db: any Database) async throws -> [SignatoryDTO] {
        let all = try await all(agreementID, on: db)
        return try await dtos(all.filter { $0.signature.isActive(on: day) }, on: db)
    }

    static func timeline(_ agreementID: UUID, until: LocalDate, on db: any Database) async throws -> [SignatoryPointDTO] {
        SignatoryRules.timeline(try await all(agreementID, on: db).map(\.signature), until: until)
            .map { SignatoryPointDTO(month: String($0.month.description.prefix(7)), count: $0.count) }
    }

    static func signatoryScope(_ req: Request) async throws -> ResourceScope {
        let s = try await AgreementSignatory.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return .organisation(s.organisationID)
    }
}
