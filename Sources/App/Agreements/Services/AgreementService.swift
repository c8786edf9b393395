import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension Agreement: Auditable {
    static var auditEntityType: String { "agreement" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "kind": .string(kind.rawValue), "purpose": .string(purpose), "scope": .string(scope),
                       "partyOrganisationId": .string(partyOrganisationID?.uuidString ?? ""), "partyName": .string(partyName), "isPublic": .bool(isPublic)])
    }
}

extension AgreementVersion: Auditable {
    static var auditEntityType: String { "agreementVersion" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["number": .int(number), "status": .string(status.rawValue), "sections": .string(sections), "principles": .string(principles),
                       "consultationId": .string(consultationID?.uuidString ?? ""), "adoptedOn": .string(adoptedOn ?? ""), "validFrom": .string(validFrom ?? ""),
                       "decidingOrgan": .string(adoptingOrgan), "paragraph": .string(paragraph), "diarienummer": .string(diarienummer),
                       "endedOn": .string(endedOn ?? ""), "endReason": .string(endReason)])
    }
}

/// Agreements and their versions: creating one, drafting, sending a draft out for consultation (a Dialogue remiss),
/// adopting, revising, ending; governance forums. Who may: officials of an owning body (see `mayManage`).
enum AgreementService {
    // MARK: Finding and permission

    static func find(_ id: UUID, on db: any Database) async throws -> Agreement { try await Agreement.require(id, on: db) }

    static func owners(_ id: UUID, on db: any Database) async throws -> [UUID] {
        try await AgreementOwner.query(on: db).filter(\.$agreementID == id).all().map(\.bodyID)
    }

    static func mayManage(owners: [UUID], _ p: Principal) -> Bool {
        p.isAdmin || owners.contains { Policy.allows(p, .agreementsManage, .body($0, unitPath: [])) }
    }

    static func mayManage(_ id: UUID, _ p: Principal, on db: any Database) async throws -> Bool {
        mayManage(owners: try await owners(id, on: db), p)
    }

    /// Public agreements are read by anyone; a non-public one only by its managers (and the national analysts).
    static func mayRead(_ a: Agreement, _ p: Principal, on db: any Database) async throws -> Bool {
        if a.isPublic || Policy.allows(p, .crossBodyRead) { return true }
        return try await mayManage(try a.requireID(), p, on: db)
    }

    static func readable(_ id: UUID, _ p: Principal, on db: any Database) async throws -> Agreement {
        let a = try await find(id, on: db)
        guard try await mayRead(a, p, on: db) else { throw AppError.notFound() }
        return a
    }

    /// The scope a route checks: the first owning body the principal is an official of (or the first owner).
    static func scope(agreementID: UUID, _ p: Principal, on db: any Database) async throws -> ResourceScope {
        let owners = try await owners(agreementID, on: db)
        guard !owners.isEmpty else { throw AppError.notFound() }
        let body = owners.first { Policy.allows(p, .agreementsManage, .body($0, unitPath: [])) } ?? owners[0]
        return .body(body, unitPath: [])
    }

    static func agreementScope(_ req: Request) async throws -> ResourceScope {
        try await scope(agreementID: try find(try req.parameters.require("id", as: UUID.self), on: req.db).requireID(), req.principal, on: req.db)
    }

    static func versionScope(_ req: Request) async throws -> ResourceScope {
        let v = try await AgreementVersion.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await scope(agreementID: v.agreementID, req.principal, on: req.db)
    }

    static func requireManage(_ agreementID: UUID, _ ctx: WriteContext) async throws {
        guard try await mayManage(agreementID, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
    }

    // MARK: Agreements

    static func save(_ id: UUID?, _ b: AgreementBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> Agreement {
        let existing: Agreement? = try await id.asyncFlatMap { try await find($0, on: ctx.db) }
        let currentOwners = try await existing.asyncFlatMap { try await owners(try $0.requireID(), on: ctx.db) } ?? []
        if let existing {
            guard mayManage(owners: currentOwners, ctx.actor) else { throw AppError.forbidden() }
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        var kind = existing?.kind ?? .regional
        if let raw = b.kind { if let k = AgreementKind.parse(raw) { kind = k } else { errors.add("kind", code: "oneOf", AgreementKind.rawValues.joined(separator: ", ")) } }
        let purpose = TextRules.paragraph(b.purpose ?? existing?.purpose, field: "purpose", max: 4000, errors: &errors)
        let scopeText = TextRules.paragraph(b.scope ?? existing?.scope, field: "scope", max: 4000, errors: &errors)
        var ownerIDs = currentOwners
        if let raw = b.ownerBodyIds {
            ownerIDs = []
            for (i, s) in raw.prefix(10).enumerated() {
                if let u = UUID(uuidString: s), try await DirectoryQueries.bodyExists(u, on: ctx.db) {
                    if !ownerIDs.contains(u) { ownerIDs.append(u) }
                } else { errors.add("ownerBodyIds[\(i)]", code: "notFound") }
            }
            if raw.count > 10 { errors.add("ownerBodyIds", code: "tooMany", "10") }
        }
        if ownerIDs.isEmpty && !errors.hasError("ownerBodyIds") { errors.add("ownerBodyIds", code: "required") }
        var party = existing?.partyOrganisationID
        if let raw = b.partyOrganisationId {
            if raw.isEmpty { party = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { party = u }
            else { errors.add("partyOrganisationId", code: "notFound") }
        }
        let partyName = TextRules.line(b.partyName ?? existing?.partyName, field: "partyName", max: 200, errors: &errors)
        try errors.throwIfAny()
        // Before and after: the official must manage the agreement as it is and as it becomes (an owner they are in).
        guard mayManage(owners: ownerIDs, ctx.actor) else {
            throw AppError.invalid(field: "ownerBodyIds", code: "notYourBody")
        }
        let a = existing ?? Agreement()
        let before = existing?.auditSnapshot
        if existing == nil {
            a.id = UUID()
            a.isDemo = isDemo
            a.version = 1
        } else { a.version += 1 }
        a.title = title
        a.kind = kind
        a.purpose = purpose
        a.scope = scopeText
        a.partyOrganisationID = party
        a.partyName = partyName
        a.isPublic = b.isPublic ?? existing?.isPublic ?? true
        try await a.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", a, id: a.id, before: before)
        let aid = try a.requireID()
        if Set(ownerIDs) != Set(currentOwners) {
            try await AgreementOwner.query(on: ctx.db).filter(\.$agreementID == aid).delete()
            for body in ownerIDs {
                let o = AgreementOwner()
                o.agreementID = aid
                o.bodyID = body
                try await o.create(on: ctx.db)
            }
            ctx.auditSummary("owners", Agreement.auditEntityType, aid.uuidString, [("ownerBodyIds", .string(ownerIDs.map(\.uuidString).joined(separator: ",")))])
        }
        if existing == nil {
            // The first draft starts with the six national principles.
            _ = try await createDraft(aid, in: ctx)
        }
        return a
    }

    static func versions(_ agreementID: UUID, on db: any Database) async throws -> [AgreementVersion] {
        try await AgreementVersion.query(on: db).filter(\.$agreementID == agreementID).sort(\.$number).all()
    }

    /// The versions a principal may read: adopted ones and those out for consultation for everyone; drafts for managers.
    static func visibleVersions(_ agreementID: UUID, _ p: Principal, on db: any Database) async throws -> [AgreementVersion] {
        let all = try await versions(agreementID, on: db)
        if try await mayManage(agreementID, p, on: db) { return all }
        return all.filter { $0.status != .draft }
    }

    static func readableVersion(_ id: UUID, _ p: Principal, on db: any Database) async throws -> AgreementVersion {
        let v = try await AgreementVersion.require(id, on: db)
        _ = try await readable(v.agreementID, p, on: db)
        if v.status == .draft, !(try await mayManage(v.agreementID, p, on: db)) { throw AppError.notFound() }
        return v
    }

    // MARK: Versions

    /// A new draft: a copy of the latest version's text and principles (the national principles for the first one).
    static func createDraft(_ agreementID: UUID, today: LocalDate = .today(), in ctx: WriteContext) async throws -> AgreementVersion {
        try await requireManage(agreementID, ctx)
        let all = try await versions(agreementID, on: ctx.db)
        guard AgreementRules.mayStartDraft(all.map(\.facts)) else {
            throw AppError(.conflict, "Det finns redan ett utkast eller en remiss.", fields: [FieldError(field: "status", code: "draftUnderWay")])
        }
        let latest = all.last
        let v = AgreementVersion()
        v.id = UUID()
        v.agreementID = agreementID
        v.number = (latest?.number ?? 0) + 1
        v.status = .draft
        v.sections = latest?.sections ?? "[]"
        v.principles = latest?.principles ?? JSONText.encode(PrincipleRules.national)
        v.draftedOn = today.description
        v.adoptingOrgan = ""
        v.paragraph = ""
        v.diarienummer = ""
        v.endReason = ""
        v.version = 1
        try await v.create(on: ctx.db)
        ctx.audit("create", v, id: v.id, before: nil)
        return v
    }

    static func updateDraft(_ id: UUID, _ b: VersionBody, in ctx: WriteContext) async throws -> AgreementVersion {
        let v = try await AgreementVersion.require(id, on: ctx.db)
        try await requireManage(v.agreementID, ctx)
        guard v.status == .draft else {
            throw AppError(.conflict, "Bara ett utkast kan ändras.", fields: [FieldError(field: "status", code: "versionNotDraft", args: [v.status.rawValue])])
        }
        if let ver = b.version, ver != v.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let sections = b.sections.map { list in
            // A section without a key gets one from its title, so a new section never takes an old one's key in the diff.
            SectionRules.validate(list.map { AgreementSection(key: $0.key ?? AgreementTextFormat.slug($0.title ?? "", fallback: ""), title: $0.title ?? "", text: $0.text ?? "") },
                                  errors: &errors)
        }
        let principles = b.principles.map { PrincipleRules.validate($0, errors: &errors) }
        try errors.throwIfAny()
        let before = v.auditSnapshot
        if let sections { v.sections = JSONText.encode(sections) }
        if let principles { v.principles = JSONText.encode(principles) }
        v.version += 1
        try await v.save(on: ctx.db)
        ctx.audit("update", v, id: v.id, before: before)
        return v
    }

    /// Sends a draft out for consultation: a Dialogue remiss open to all, one section per section of the draft,
    /// the signatories invited.
    static func sendToConsultation(_ id: UUID, _ b: ConsultationRequestBody, baseURL: String, today: LocalDate = .today(), in ctx: WriteContext) async throws -> AgreementVersion {
        let v = try await AgreementVersion.require(id, on: ctx.db)
        try await requireManage(v.agreementID, ctx)
        guard v.status == .draft else {
            throw AppError(.conflict, "Bara ett utkast kan skickas på remiss.", fields: [FieldError(field: "status", code: "versionNotDraft", args: [v.status.rawValue])])
        }
        if let ver = b.version, ver != v.version { throw AppError.staleVersion() }
        var errors = FieldErrors()
        let deadline = TextRules.date(b.deadline, field: "deadline", required: true, errors: &errors)
        if let deadline, deadline <= today { errors.add("deadline", code: "inPast") }
        if v.sectionList.isEmpty { errors.add("sections", code: "required") }
        try errors.throwIfAny()
        guard let deadline else { throw AppError.invalid(field: "deadline", code: "required") }
        let a = try await find(v.agreementID, on: ctx.db)
        let owners = try await owners(v.agreementID, on: ctx.db)
        let body = owners.first { Policy.allows(ctx.actor, .agreementsManage, .body($0, unitPath: [])) } ?? owners.first
        guard let body else { throw AppError.notFound() }
        let signatories = try await SignatoryService.active(v.agreementID, on: today, db: ctx.db)
        let consultation = try await DialogueFacts.openConsultation(
            bodyID: body, title: "\(a.title) – version \(v.number) på remiss",
            description: "Förslag till \(a.title), version \(v.number). Lämna synpunkter avsnitt för avsnitt.",
            sections: v.sectionList.map { ($0.key, $0.title) }, deadline: deadline, invitedOrganisations: Array(signatories), baseURL: baseURL, in: ctx)
        let before = v.auditSnapshot
        v.status = .consultation
        v.consultationID = consultation
        v.consultationDeadline = deadline.description
        v.version += 1
        try await v.save(on: ctx.db)
        ctx.audit("consultation", v, id: v.id, before: before)
        return v
    }

    /// Records the adoption (deciding body and organ, date, §, diarienummer); the version in force before it is
    /// replaced from the new version's first day.
    static func adopt(_ id: UUID, _ b: AdoptionBody, in ctx: WriteContext) async throws -> AgreementVersion {
        let v = try await AgreementVersion.require(id, on: ctx.db)
        try await requireManage(v.agreementID, ctx)
        if let ver = b.version, ver != v.version { throw AppError.staleVersion() }
        let all = try await versions(v.agreementID, on: ctx.db)
        var errors = FieldErrors()
        let owners = try await owners(v.agreementID, on: ctx.db)
        var decidingBody = owners.first
        if let raw = b.decidingBodyId, !raw.isEmpty {
            if let u = UUID(uuidString: raw), owners.contains(u) { decidingBody = u } else { errors.add("decidingBodyId", code: "notOwner") }
        }
        let adoption = AgreementRules.adoption(of: v.facts, among: all.map(\.facts), adoptedOn: b.adoptedOn, validFrom: b.validFrom, paragraph: b.paragraph,
                                               diarienummer: b.diarienummer, organ: b.decidingOrgan, errors: &errors)
        if v.principleList.isEmpty { errors.add("principles", code: "required") }
        try errors.throwIfAny()
        guard let adoption, let vid = v.id else { throw AppError.invalid(field: "adoptedOn", code: "required") }
        for replacedID in AgreementRules.replacedBy(adoption, among: all.map(\.facts), except: vid) {
            guard let old = all.first(where: { $0.id == replacedID }) else { continue }
            let before = old.auditSnapshot
            old.status = .replaced
            old.endedOn = adoption.validFrom.description
            old.endReason = "Ersatt av version \(v.number)"
            old.version += 1
            try await old.save(on: ctx.db)
            ctx.audit("replace", old, id: old.id, before: before)
        }
        let before = v.auditSnapshot
        v.status = .adopted
        v.adoptedOn = adoption.adoptedOn.description
        v.validFrom = adoption.validFrom.description
        v.adoptedByBodyID = decidingBody
        v.adoptingOrgan = adoption.organ
        v.paragraph = adoption.paragraph
        v.diarienummer = adoption.diarienummer
        v.version += 1
        try await v.save(on: ctx.db)
        ctx.audit("adopt", v, id: v.id, before: before)
        return v
    }

    /// Ends the agreement: the version in force stops on the given day.
    static func end(_ agreementID: UUID, _ b: EndBody, today: LocalDate = .today(), in ctx: WriteContext) async throws -> AgreementVersion {
        try await requireManage(agreementID, ctx)
        let all = try await versions(agreementID, on: ctx.db)
        var errors = FieldErrors()
        // The version that is (or will be) in force: the latest adopted one.
        let current = all.last(where: { $0.status == .adopted }).map(\.facts)
        let result = AgreementRules.end(current, endedOn: b.endedOn, reason: b.endReason, errors: &errors)
        try errors.throwIfAny()
        guard let (day, reason) = result, let v = all.first(where: { $0.id == current?.id }) else { throw AppError.invalid(field: "endedOn", code: "nothingInForce") }
        let before = v.auditSnapshot
        v.status = .ended
        v.endedOn = day.description
        v.endReason = reason
        v.version += 1
        try await v.save(on: ctx.db)
        ctx.audit("end", v, id: v.id, before: before)
        return v
    }

    static func diff(_ v: AgreementVersion, against other: AgreementVersion?) -> VersionDiffDTO {
        let old = other?.sectionList ?? []
        let oldPrinciples = Set(other?.principleList.map(\.name) ?? [])
        let newPrinciples = Set(v.principleList.map(\.name))
        return VersionDiffDTO(from: other?.number ?? 0, to: v.number, sections: SectionDiff.compare(old, v.sectionList),
                              principlesAdded: newPrinciples.subtracting(oldPrinciples).sorted(), principlesRemoved: oldPrinciples.subtracting(newPrinciples).sorted())
    }

    // MARK: Governance

    static func addForum(_ agreementID: UUID, _ b: GovernanceBody, in ctx: WriteContext) async throws -> AgreementForum {
        try await requireManage(agreementID, ctx)
        var errors = FieldErrors()
        let owners = try await owners(agreementID, on: ctx.db)
        var forumID: UUID?
        if let raw = b.forumId, let u = UUID(uuidString: raw), let f = try await DialogueFacts.forum(u, on: ctx.db) {
            if owners.contains(f.bodyID) { forumID = u } else { errors.add("forumId", code: "notOwner") }
        } else { errors.add("forumId", code: b.forumId == nil ? "required" : "notFound") }
        var role = GovernanceRole.steeringGroup
        if let raw = b.role { if let r = GovernanceRole(rawValue: raw) { role = r } else { errors.add("role", code: "oneOf", GovernanceRole.rawValues.joined(separator: ", ")) } }
        if let forumID, try await AgreementForum.query(on: ctx.db).filter(\.$agreementID == agreementID).filter(\.$forumID == forumID).count() > 0 {
            errors.add("forumId", code: "duplicate")
        }
        try errors.throwIfAny()
        guard let forumID else { throw AppError.invalid(field: "forumId", code: "required") }
        let link = AgreementForum()
        link.id = UUID()
        link.agreementID = agreementID
        link.forumID = forumID
        link.role = role
        link.seatsForSignatories = b.seatsForSignatories ?? (role == .steeringGroup)
        try await link.create(on: ctx.db)
        ctx.auditSummary("addForum", Agreement.auditEntityType, agreementID.uuidString, [("forumId", .string(forumID.uuidString)), ("role", .string(role.rawValue))])
        return link
    }

    static func removeForum(_ linkID: UUID, in ctx: WriteContext) async throws {
        let link = try await AgreementForum.require(linkID, on: ctx.db)
        try await requireManage(link.agreementID, ctx)
        try await link.delete(on: ctx.db)
        ctx.auditSummary("removeForum", Agreement.auditEntityType, link.agreementID.uuidString, [("forumId", .string(link.forumID.uuidString))])
    }

    static func forumLinkScope(_ req: Request) async throws -> ResourceScope {
        let link = try await AgreementForum.require(try req.parameters.require("id", as: UUID.self), on: req.db)
        return try await scope(agreementID: link.agreementID, req.principal, on: req.db)
    }

    static func governance(_ agreementID: UUID, today: LocalDate = .today(), on db: any Database) async throws -> [GovernanceDTO] {
        let links = try await AgreementForum.query(on: db).filter(\.$agreementID == agreementID).all()
        let signed = try await SignatoryService.active(agreementID, on: today, db: db)
        var out: [GovernanceDTO] = []
        for l in links {
            guard let id = l.id, let f = try await DialogueFacts.forum(l.forumID, on: db) else { continue }
            var missing: [NamedRef] = []
            if l.seatsForSignatories {
                let seated = try await DialogueFacts.seatOrganisations(forumIDs: [l.forumID], from: today, to: today, on: db)
                let names = try await DirectoryQueries.organisationNames(Array(seated.subtracting(signed)), on: db)
                missing = names.map { NamedRef(id: $0.key, name: $0.value) }.sorted { $0.name < $1.name }
            }
            out.append(GovernanceDTO(id: id, forumId: f.id, forumName: f.name, role: l.role.rawValue, seatsForSignatories: l.seatsForSignatories, seatsNotSignatories: missing))
        }
        return out.sorted { ($0.role, $0.forumName) < ($1.role, $1.forumName) }
    }

    /// Messages for a forum's composition check: organisations holding a seat in a forum that must be held by
    /// signatories of an agreement, that had not signed it (or had withdrawn) on the day.
    /// `seatOrganisations`: the organisations in the forum's ordinary seats, with their names. One read: the
    /// agreements the forum governs with seats for signatories, and their signatures (the forum page runs this on
    /// every view).
    static func unsignedSeatWarnings(forumID: UUID, seatOrganisations: [UUID: String], on day: LocalDate, db: any Database) async throws -> [String] {
        guard !seatOrganisations.isEmpty else { return [] }
        enum Row: Sendable { case agreement(UUID, String), signature(UUID, SignatoryRules.Signature) }
        let governed: SQLQueryString = "SELECT agreement_id FROM agreement_forums WHERE forum_id = \(bind: forumID) AND seats_for_signatories = \(true)"
        let rows = try await RowReader.rows(on: db, [
            "SELECT CAST(id AS TEXT) AS id, title FROM agreements WHERE id IN (" + governed + ") ORDER BY title",
            "SELECT CAST(agreement_id AS TEXT) AS agreement_id, CAST(organisation_id AS TEXT) AS organisation_id, signed_on, withdrawn_on "
                + "FROM agreement_signatories WHERE agreement_id IN (" + governed + ")",
        ], prepared: true) { index, r -> Row in
            if index == 0 { return .agreement(try r.uuid("id"), try r.required("title")) }
            return .signature(try r.uuid("agreement_id"), try SignatoryService.signature(r, organisationID: try r.uuid("organisation_id")))
        }
        var agreements: [(id: UUID, title: String)] = [], signatures: [UUID: [SignatoryRules.Signature]] = [:]
        for row in rows {
            switch row {
            case .agreement(let id, let title): agreements.append((id, title))
            case .signature(let agreementID, let s): signatures[agreementID, default: []].append(s)
            }
        }
        var out: [String] = []
        for a in agreements {
            let signed = SignatoryRules.active(signatures[a.id] ?? [], on: day)
            for name in seatOrganisations.filter({ !signed.contains($0.key) && !$0.value.isEmpty }).values.sorted() {
                out.append("\(name) har en plats men har inte skrivit under \(a.title).")
            }
        }
        return out
    }

    // MARK: DTOs

    static func dto(_ a: Agreement, today: LocalDate = .today(), on db: any Database) async throws -> AgreementDTO {
        let id = try a.requireID()
        let owners = try await owners(id, on: db)
        let names = try await DirectoryQueries.bodyNames(owners, on: db)
        let facts = try await versions(id, on: db).map(\.facts)
        let inForce = AgreementRules.inForce(facts, on: today)
        let first = AgreementRules.firstInForce(facts)
        let state: String
        if inForce != nil { state = "inForce" }
        else if facts.contains(where: { $0.status == .adopted && ($0.validFrom.map { $0 > today } ?? false) }) { state = "notYetInForce" }
        else if facts.contains(where: \.wasAdopted) { state = "ended" }
        else { state = "draft" }
        let signatories = try await SignatoryService.active(id, on: today, db: db).count
        return AgreementDTO(id: id, title: a.title, kind: a.kind.rawValue, purpose: a.purpose, scope: a.scope,
                            owners: owners.map { NamedRef(id: $0, name: names[$0] ?? "") }, partyOrganisationId: a.partyOrganisationID, partyName: a.partyName,
                            isPublic: a.isPublic, state: state, versionInForce: inForce?.number, firstInForceOn: first?.description,
                            signatories: signatories, isDemo: a.isDemo, version: a.version)
    }

    static func versionDTO(_ v: AgreementVersion) throws -> AgreementVersionDTO {
        AgreementVersionDTO(id: try v.requireID(), agreementId: v.agreementID, number: v.number, status: v.status.rawValue, sections: v.sectionList,
                            principles: v.principleList, draftedOn: v.draftedOn, consultationId: v.consultationID, consultationDeadline: v.consultationDeadline,
                            adoptedOn: v.adoptedOn, validFrom: v.validFrom, decidingBodyId: v.adoptedByBodyID, decidingOrgan: v.adoptingOrgan,
                            paragraph: v.paragraph, diarienummer: v.diarienummer, endedOn: v.endedOn, endReason: v.endReason, version: v.version)
    }
}
