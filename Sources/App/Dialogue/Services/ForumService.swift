import Fluent
import SQLKit
import Vapor
import SamverkaRules

extension Forum: Auditable {
    static var auditEntityType: String { "forum" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["name": .string(name), "kind": .string(kind.rawValue), "purpose": .string(purpose), "mandate": .string(mandate),
                       "themes": .string(themes), "participationLevel": .string(participationLevel.rawValue), "isPublic": .bool(isPublic),
                       "composition": .string(composition), "cadence": cadence.map { .string($0) } ?? .null, "feedbackDays": .int(feedbackDays),
                       "feedbackByNextMeeting": .bool(feedbackByNextMeeting), "location": .string(location)])
    }
}

extension ForumSeat: Auditable {
    static var auditEntityType: String { "forumSeat" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["category": .string(category.rawValue), "position": .string(position.rawValue),
                       "organisationId": organisationID.map { .string($0.uuidString) } ?? .null,
                       "contactRoleId": contactRoleID.map { .string($0.uuidString) } ?? .null, "holderName": .string(holderName),
                       "holderEmail": .string(holderEmail),
                       "isSubstitute": .bool(isSubstitute), "note": .string(note), "termFrom": .string(termFrom), "termTo": termTo.map { .string($0) } ?? .null],
                      personal: ["holderName", "holderEmail"])
    }
}

/// Who sits in a seat today.
struct SeatHolder: Sendable, Equatable {
    var name: String
    var email: String
    var userID: UUID?
}

/// Forums, their seats and their meeting plan.
enum ForumService {
    static func scope(_ f: Forum, on db: any Database) async throws -> ResourceScope {
        .body(f.bodyID, unitPath: try await f.unitID.asyncFlatMap { try await StructureService.unitPath($0, on: db) } ?? [])
    }

    static func mayManage(_ f: Forum, _ p: Principal, on db: any Database) async throws -> Bool {
        // A visitor manages nothing: no need to read the forum's unit path to find that out.
        guard p.isSignedIn else { return false }
        return Policy.allows(p, .dialogueManage, try await scope(f, on: db))
    }

    /// The forums the principal runs, by name (every forum for an admin).
    static func managed(by p: Principal, on db: any Database) async throws -> [Forum] {
        var out: [Forum] = []
        for f in try await Forum.query(on: db).sort(\.$name).all() where try await mayManage(f, p, on: db) { out.append(f) }
        return out
    }

    static func authorizeManage(_ f: Forum, _ ctx: WriteContext) async throws {
        guard try await mayManage(f, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
    }

    static func forumScope(_ req: Request) async throws -> ResourceScope {
        guard let f = try await Forum.find(try req.parameters.require("id", as: UUID.self), on: req.db) else { throw AppError.notFound() }
        return try await scope(f, on: req.db)
    }

    static func find(_ id: UUID, on db: any Database) async throws -> Forum {
        guard let f = try await Forum.find(id, on: db) else { throw AppError.notFound() }
        return f
    }

    /// Members' view (meetings, minutes, seats' contact details): public forums to all; closed forums to their
    /// seat holders, the body's officials and analysts.
    static func mayReadInside(_ f: Forum, _ p: Principal, on db: any Database) async throws -> Bool {
        if f.isPublic { return true }
        guard p.isSignedIn else { return false }
        if try await mayManage(f, p, on: db) || Policy.allows(p, .crossBodyRead) { return true }
        guard let uid = p.userID else { return false }
        return try await isSeatHolder(userID: uid, forumID: f.id!, on: db)
    }

    // MARK: Forums

    static func save(_ id: UUID?, _ b: ForumBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> Forum {
        let existing: Forum? = id == nil ? nil : try await Forum.find(id!, on: ctx.db)
        if id != nil && existing == nil { throw AppError.notFound() }
        if let existing {
            try await authorizeManage(existing, ctx)
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        let name = TextRules.line(b.name ?? existing?.name, field: "name", max: 200, required: true, min: 3, errors: &errors)
        let kind = OrganisationRules.vocabulary(ForumKind.self, b.kind ?? existing?.kind.rawValue, field: "kind", errors: &errors)
        let purpose = TextRules.paragraph(b.purpose ?? existing?.purpose, field: "purpose", max: 4000, required: true, errors: &errors)
        let mandate = TextRules.paragraph(b.mandate ?? existing?.mandate, field: "mandate", max: 10_000, errors: &errors)
        var themes: [String] = []
        for t in b.themes ?? existing?.themeList ?? [] {
            if let th = ForumTheme.parse(t) { if !themes.contains(th.rawValue) { themes.append(th.rawValue) } }
            else { errors.add("themes", code: "oneOf", ForumTheme.rawValues.joined(separator: ", ")) }
        }
        let level = OrganisationRules.vocabulary(ParticipationLevel.self, b.participationLevel ?? existing?.participationLevel.rawValue ?? "dialog",
                                                 field: "participationLevel", errors: &errors)
        let composition = b.composition ?? existing?.compositionRules ?? []
        errors.append(CompositionRules.validate(composition))
        var cadence = b.clearCadence == true ? nil : (b.cadence ?? existing?.cadencePlan)
        if let c = cadence { errors.append(CadenceRules.validate(c)) }
        if cadence?.meetingsPerYear == 0 && (cadence?.extra.isEmpty ?? true) { cadence = nil }
        let feedbackDays = b.feedbackDays ?? existing?.feedbackDays ?? FeedbackRules.defaultDays
        if !(1...365).contains(feedbackDays) { errors.add("feedbackDays", code: "range", "1", "365") }
        let location = TextRules.line(b.location ?? existing?.location, field: "location", max: 300, errors: &errors)
        let (bodyID, unitID) = try await DirectoryQueries.resolveOwner(bodyId: b.bodyId, unitId: b.unitId, existingBody: existing?.bodyID,
                                                                       existingUnit: existing?.unitID, errors: &errors, on: ctx.db)
        let secretary = try await DirectoryQueries.resolveRole(b.secretaryRoleId, existing: existing?.secretaryRoleID, field: "secretaryRoleId", errors: &errors, on: ctx.db)
        try errors.throwIfAny()
        let f = existing ?? Forum()
        let before = existing?.auditSnapshot
        if existing == nil {
            f.id = UUID()
            f.bodyID = bodyID!
            f.isDemo = isDemo
            f.version = 1
        } else {
            f.version += 1
        }
        f.unitID = unitID
        f.name = name
        f.kind = kind!
        f.purpose = purpose
        f.mandate = mandate
        f.themes = themes.joined(separator: "|")
        f.participationLevel = level!
        f.isPublic = b.isPublic ?? existing?.isPublic ?? true
        f.composition = String(decoding: try JSONEncoder().encode(composition), as: UTF8.self)
        f.cadence = try cadence.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        f.feedbackDays = feedbackDays
        f.feedbackByNextMeeting = b.feedbackByNextMeeting ?? existing?.feedbackByNextMeeting ?? false
        f.secretaryRoleID = secretary
        f.location = location
        // Checked against the forum as it will be (its body and unit), as well as it was (above).
        guard try await mayManage(f, ctx.actor, on: ctx.db) else { throw AppError.forbidden() }
        if existing == nil {
            try await f.create(on: ctx.db)
            ctx.audit("create", f, id: f.id, before: nil)
        } else {
            try await f.save(on: ctx.db)
            ctx.audit("update", f, id: f.id, before: before)
        }
        return f
    }

    /// The directory names a forum's page shows: its body, and its seats' organisations, roles and role holders.
    static func nameRequest(_ f: Forum, seats: [some SeatRecord]) -> NameRequest {
        let roles = Set(seats.compactMap(\.contactRoleID))
        return NameRequest(bodies: [f.bodyID], organisations: Set(seats.compactMap(\.organisationID)), roleTitles: roles, roleHolders: roles)
    }

    /// `seats`: the forum's seats when the caller has read them already (all of them; the current ones are
    /// picked here), nil to read them. `names`: the names of `nameRequest(f, seats:)` when the caller has read
    /// them (with more names of its own), nil to read them.
    static func dto(_ f: Forum, seats allSeats: [SeatFacts]? = nil, names known: DirectoryNames? = nil, on db: any Database,
                    today: LocalDate = .today()) async throws -> ForumDTO {
        let id = try f.requireID()
        let seats: [SeatFacts]
        if let allSeats { seats = allSeats.filter { $0.isCurrent(on: today) } } else { seats = try await currentSeats(forumID: id, on: db, today: today).map(\.facts) }
        var counts: [String: Int] = [:]
        for s in seats where !s.isSubstitute && s.position != .adjunct && s.position != .secretary { counts[s.category.rawValue, default: 0] += 1 }
        let rules = f.compositionRules
        let warnings = CompositionRules.check(rules, ordinarySeatsByCategory: counts).map { w in
            CompositionWarningDTO(category: w.category, count: w.count, min: w.min, max: w.max,
                                  message: "\(w.count) ordinarie ledamöter i kategorin \(w.category); regeln säger \(w.min.map(String.init) ?? "0")–\(w.max.map(String.init) ?? "∞").")
        }
        let seatOrgs = seats.filter { !$0.isSubstitute && $0.category == .organisation }.compactMap(\.organisationID)
        let names: DirectoryNames
        if let known { names = known } else { names = try await DirectoryQueries.names(NameRequest(bodies: [f.bodyID], organisations: Set(seatOrgs)), on: db) }
        let seatOrgNames = Dictionary(seatOrgs.map { ($0, names.organisations[$0] ?? "") }) { first, _ in first }
        var extra: [CompositionWarningDTO] = []
        for hook in ForumHooks.compositionChecks.all {
            for message in try await hook(id, seatOrgNames, today, db) {
                extra.append(CompositionWarningDTO(category: SeatCategory.organisation.rawValue, count: seatOrgs.count, min: nil, max: nil, message: message))
            }
        }
        return ForumDTO(id: id, bodyId: f.bodyID, bodyName: names.bodies[f.bodyID], unitId: f.unitID, name: f.name,
                        kind: f.kind.rawValue, purpose: f.purpose, mandate: f.mandate, themes: f.themeList, participationLevel: f.participationLevel.rawValue,
                        isPublic: f.isPublic, composition: rules, compositionWarnings: warnings + extra, cadence: f.cadencePlan,
                        feedbackDays: f.feedbackDays, feedbackByNextMeeting: f.feedbackByNextMeeting, secretaryRoleId: f.secretaryRoleID,
                        location: f.location, version: f.version)
    }

    // MARK: Seats

    static func currentSeats(forumID: UUID, on db: any Database, today: LocalDate = .today()) async throws -> [ForumSeat] {
        try await ForumSeat.query(on: db).filter(\.$forumID == forumID).all().filter { $0.isCurrent(on: today) }
    }

    /// Seats whose term has not ended: the current ones and those that begin later.
    static func activeSeats(forumID: UUID, on db: any Database, today: LocalDate = .today()) async throws -> [ForumSeat] {
        try await ForumSeat.query(on: db).filter(\.$forumID == forumID).all().filter { $0.phase(on: today) != .ended }
    }

    /// The forums in which an organisation holds a seat on `day` — its own seat or one held through one of its
    /// contact roles — by name and by kind ("Pensionärsrådet", "pensionärsråd"). What Grants' eligibility rule
    /// "represented in a council" reads through its `CouncilFacts` hook.
    static func councilNames(organisationID: UUID, on day: LocalDate, db: any Database) async throws -> [String] {
        let roleIDs = try await DirectoryQueries.roles(ofOrganisation: organisationID, on: db).map(\.id)
        var seats = try await ForumSeat.query(on: db).filter(\.$organisationID == organisationID).all()
        if !roleIDs.isEmpty { seats += try await ForumSeat.query(on: db).filter(\.$contactRoleID ~~ roleIDs).all() }
        let forumIDs = Array(Set(seats.filter { $0.isCurrent(on: day) }.map(\.forumID)))
        guard !forumIDs.isEmpty else { return [] }
        return try await Forum.query(on: db).filter(\.$id ~~ forumIDs).all().flatMap { [$0.name] + $0.kind.aliases.prefix(1) }
    }

    /// The person in a seat: the Directory role's current holder when the seat is held through a role.
    static func holder(_ s: some SeatRecord, on db: any Database) async throws -> SeatHolder {
        guard let rid = s.contactRoleID else { return holder(s, roleHolder: nil, roleTitle: nil) }
        if let h = try await DirectoryQueries.currentHolder(roleID: rid, on: db) { return holder(s, roleHolder: h, roleTitle: nil) }
        return holder(s, roleHolder: nil, roleTitle: try await DirectoryQueries.role(rid, on: db)?.title)
    }

    /// Who holds a seat: the person in its contact role (vacant while nobody holds the role), or the person named on it.
    static func holder(_ s: some SeatRecord, roleHolder: RoleHolder?, roleTitle: String?) -> SeatHolder {
        guard s.contactRoleID != nil else { return SeatHolder(name: s.holderName, email: s.holderEmail, userID: s.userID) }
        if let h = roleHolder { return SeatHolder(name: h.name, email: h.email, userID: h.userID) }
        return SeatHolder(name: "Vakant (\(roleTitle ?? ""))", email: "", userID: nil)
    }

    static func isSeatHolder(userID: UUID, forumID: UUID, on db: any Database) async throws -> Bool {
        try await seatsHeld(by: userID, on: db).contains { $0.forumID == forumID }
    }

    /// Current seats a user holds, directly or through a Directory role they hold.
    static func seatsHeld(by userID: UUID, on db: any Database, today: LocalDate = .today()) async throws -> [ForumSeat] {
        let roleIDs = try await DirectoryQueries.rolesHeld(byUser: userID, on: db)
        var q = ForumSeat.query(on: db)
        q = roleIDs.isEmpty ? q.filter(\.$userID == userID) : q.group(.or) { $0.filter(\.$userID == userID).filter(\.$contactRoleID ~~ roleIDs) }
        return try await q.all().filter { $0.isCurrent(on: today) }
    }

    static func saveSeat(forumID: UUID, seatID: UUID?, _ b: SeatBody, in ctx: WriteContext) async throws -> ForumSeat {
        let f = try await find(forumID, on: ctx.db)
        try await authorizeManage(f, ctx)
        let existing: ForumSeat? = seatID == nil ? nil : try await ForumSeat.find(seatID!, on: ctx.db)
        if seatID != nil && (existing == nil || existing?.forumID != forumID) { throw AppError.notFound() }
        if let existing {
            guard let v = b.version else { throw AppError.invalid(field: "version", code: "required") }
            guard v == existing.version else { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        let category = OrganisationRules.vocabulary(SeatCategory.self, b.category ?? existing?.category.rawValue, field: "category", errors: &errors)
        let position = OrganisationRules.vocabulary(SeatPosition.self, b.position ?? existing?.position.rawValue ?? "member", field: "position", errors: &errors)
        var orgID = existing?.organisationID
        if let raw = b.organisationId {
            if raw.isEmpty { orgID = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.organisationExists(u, on: ctx.db) { orgID = u }
            else { errors.add("organisationId", code: "notFound") }
        }
        if category == .organisation && orgID == nil { errors.add("organisationId", code: "required") }
        if category != nil && category != .organisation && orgID != nil { errors.add("organisationId", code: "onlyForOrganisationSeats") }
        var roleID = existing?.contactRoleID
        if let raw = b.contactRoleId {
            if raw.isEmpty { roleID = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.roleExists(u, on: ctx.db) { roleID = u }
            else { errors.add("contactRoleId", code: "notFound") }
        }
        let holderName = TextRules.line(b.holderName ?? existing?.holderName, field: "holderName", max: 200, errors: &errors)
        let holderEmail = TextRules.email(b.holderEmail ?? existing?.holderEmail, field: "holderEmail", errors: &errors)
        if roleID == nil && holderName.isEmpty { errors.add("holderName", code: "holderOrRole") }
        var userID = existing?.userID
        if let raw = b.userId {
            if raw.isEmpty { userID = nil }
            else if let u = UUID(uuidString: raw), try await AccountQueries.exists(u, on: ctx.db) { userID = u }
            else { errors.add("userId", code: "notFound") }
        }
        if userID == nil, roleID == nil, !holderEmail.isEmpty { userID = try await AccountService.findUser(email: holderEmail, on: ctx.db)?.id }
        let isSub = b.isSubstitute ?? existing?.isSubstitute ?? false
        var subFor = existing?.substituteForID
        if let raw = b.substituteForId {
            if raw.isEmpty { subFor = nil }
            else if let u = UUID(uuidString: raw), let s = try await ForumSeat.find(u, on: ctx.db), s.forumID == forumID, !s.isSubstitute { subFor = u }
            else { errors.add("substituteForId", code: "notFound") }
        }
        if !isSub { subFor = nil }
        let note = TextRules.line(b.note ?? existing?.note, field: "note", max: 200, errors: &errors)
        let from = TextRules.date(b.termFrom ?? existing?.termFrom ?? LocalDate.today().description, field: "termFrom", required: true, errors: &errors)
        var to: LocalDate? = existing?.termTo.flatMap(LocalDate.init)
        if let raw = b.termTo { to = raw.isEmpty ? nil : TextRules.date(raw, field: "termTo", errors: &errors) }
        if let from, let to, to < from { errors.add("termTo", code: "beforeStart") }
        try errors.throwIfAny()
        let s = existing ?? ForumSeat()
        let before = existing?.auditSnapshot
        if existing == nil {
            s.id = UUID()
            s.forumID = forumID
            s.version = 1
        } else { s.version += 1 }
        s.category = category!
        s.position = position!
        s.organisationID = orgID
        s.contactRoleID = roleID
        s.holderName = roleID == nil ? holderName : ""
        s.holderEmail = roleID == nil ? holderEmail : ""
        s.userID = roleID == nil ? userID : nil
        s.isSubstitute = isSub
        s.substituteForID = subFor
        s.note = note
        s.termFrom = from!.description
        s.termTo = to?.description
        try await s.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", s, id: s.id, before: before)
        return s
    }

    /// Ends a seat holding on `on` (it stays in the history).
    static func endSeat(_ seatID: UUID, on day: LocalDate, in ctx: WriteContext) async throws -> ForumSeat {
        guard let s = try await ForumSeat.find(seatID, on: ctx.db) else { throw AppError.notFound() }
        try await authorizeManage(try await find(s.forumID, on: ctx.db), ctx)
        guard s.phase(on: day) != .ended, s.termTo.map({ LocalDate(stored: $0) > day }) ?? true else {
            throw AppError.conflict(field: "termTo", code: "seatEnded")
        }
        let before = s.auditSnapshot
        s.termTo = SeatRules.endDay(termFrom: s.termFromDate, ending: day).description
        s.version += 1
        try await s.save(on: ctx.db)
        ctx.audit("end", s, id: s.id, before: before)
        return s
    }

    /// A new holder takes over the seat from `termFrom`: the old holding ends the day before.
    static func replaceHolder(_ seatID: UUID, _ b: SeatBody, in ctx: WriteContext) async throws -> ForumSeat {
        guard let old = try await ForumSeat.find(seatID, on: ctx.db) else { throw AppError.notFound() }
        var errors = FieldErrors()
        let from = TextRules.date(b.termFrom ?? LocalDate.today().description, field: "termFrom", required: true, errors: &errors)
        try errors.throwIfAny()
        guard let from, let oldEnd = SeatRules.handoverEnd(oldFrom: old.termFromDate, newFrom: from, today: .today()) else {
            throw AppError.invalid(field: "termFrom", code: "afterPreviousStart")
        }
        let previousEnd = old.termTo
        _ = try await endSeat(seatID, on: oldEnd, in: ctx)
        var nb = SeatBody(category: old.category.rawValue, position: old.position.rawValue, organisationId: old.organisationID?.uuidString ?? "",
                          contactRoleId: b.contactRoleId ?? "", holderName: b.holderName, holderEmail: b.holderEmail, userId: b.userId ?? "",
                          isSubstitute: old.isSubstitute, substituteForId: old.substituteForID?.uuidString ?? "", note: b.note ?? old.note,
                          termFrom: from.description, termTo: b.termTo ?? previousEnd ?? "")
        nb.version = nil
        let s = try await saveSeat(forumID: old.forumID, seatID: nil, nb, in: ctx)
        s.previousID = old.id
        try await s.save(on: ctx.db)
        // Substitutes who stood in for the old holding now stand in for the new one.
        for sub in try await ForumSeat.query(on: ctx.db).filter(\.$substituteForID == old.id!).all() where sub.termTo == nil {
            sub.substituteForID = s.id
            try await sub.save(on: ctx.db)
        }
        return s
    }

    /// `names`: the names of `nameRequest(_:seats:)` when the caller has read them, nil to read them.
    static func seatDTOs(_ seats: [some SeatRecord], showContact: Bool, names known: DirectoryNames? = nil, on db: any Database,
                         today: LocalDate = .today()) async throws -> [SeatDTO] {
        // One read for any number of seats: the organisations' names, the roles' titles and the roles' holders.
        let roleIDs = Set(seats.compactMap(\.contactRoleID))
        let names: DirectoryNames
        if let known { names = known } else {
            names = try await DirectoryQueries.names(NameRequest(organisations: Set(seats.compactMap(\.organisationID)), roleTitles: roleIDs, roleHolders: roleIDs), on: db)
        }
        let orgs = names.organisations, titles = names.roleTitles, holders = names.roleHolders
        var out: [SeatDTO] = []
        for s in seats {
            guard let id = s.id else { throw FluentError.idRequired }
            let title = s.contactRoleID.flatMap { titles[$0] }
            let h = holder(s, roleHolder: s.contactRoleID.flatMap { holders[$0] }, roleTitle: title)
            out.append(SeatDTO(id: id, forumId: s.forumID, category: s.category.rawValue, position: s.position.rawValue, organisationId: s.organisationID,
                               organisationName: s.organisationID.flatMap { orgs[$0] }, contactRoleId: s.contactRoleID, contactRoleTitle: title,
                               holderName: h.name, holderEmail: showContact && !h.email.isEmpty ? h.email : nil, userId: showContact ? h.userID : nil,
                               isSubstitute: s.isSubstitute, substituteForId: s.substituteForID, note: s.note, termFrom: s.termFrom, termTo: s.termTo,
                               isCurrent: s.isCurrent(on: today), phase: s.phase(on: today).rawValue, previousId: s.previousID, version: s.version))
        }
        return out
    }

    /// Seats in reading order: chair first, then by category, ordinary before substitutes.
    static func ordered<S: SeatRecord>(_ seats: [S]) -> [S] {
        let pos: [SeatPosition: Int] = [.chair: 0, .viceChair: 1, .member: 2, .adjunct: 3, .secretary: 4]
        let cat: [SeatCategory: Int] = [.politician: 0, .official: 1, .organisation: 2]
        return seats.sorted {
            ($0.isSubstitute ? 1 : 0, pos[$0.position]!, cat[$0.category]!, $0.termFrom) < ($1.isSubstitute ? 1 : 0, pos[$1.position]!, cat[$1.category]!, $1.termFrom)
        }
    }

    // MARK: Meeting plan

    /// Creates the year's planned meetings from the forum's cadence; dates that already have a meeting are skipped.
    static func plan(forumID: UUID, year: Int, in ctx: WriteContext) async throws -> [Meeting] {
        let f = try await find(forumID, on: ctx.db)
        try await authorizeManage(f, ctx)
        guard let cadence = f.cadencePlan else { throw AppError.invalid(field: "cadence", code: "noCadence") }
        guard (2000...2200).contains(year) else { throw AppError.invalid(field: "year", code: "range", "2000", "2200") }
        let existing = Set(try await Meeting.query(on: ctx.db).filter(\.$forumID == forumID).all().map(\.date))
        let start = TimeOfDay(cadence.startTime) ?? TimeOfDay(hour: 13, minute: 0)
        let endMinutes = min(23 * 60 + 59, start.minutes + cadence.durationMinutes)
        var created: [Meeting] = []
        for p in CadenceRules.plan(cadence, year: year, forumName: f.name) where !existing.contains(p.date.description) {
            let m = Meeting()
            m.id = UUID()
            m.forumID = forumID
            m.title = p.title
            m.date = p.date.description
            m.startTime = start.description
            m.endTime = String(format: "%02d:%02d", endMinutes / 60, endMinutes % 60)
            m.location = f.location
            m.status = .planned
            m.isExtra = p.isExtra
            m.minutesIntro = ""
            m.version = 1
            try await m.create(on: ctx.db)
            ctx.audit("plan", m, id: m.id, before: nil)
            created.append(m)
        }
        return created
    }
}

/// Where higher modules add to a forum's composition check: Agreements warns when an organisation seat in a forum
/// that governs an agreement is held by an organisation that has not signed it. A hook gets the forum, the
/// organisations holding ordinary seats (with their names, which the forum page has read already) and the day, and
/// returns messages.
enum ForumHooks {
    typealias CompositionCheck = @Sendable (_ forumID: UUID, _ seatOrganisations: [UUID: String], _ day: LocalDate, _ db: any Database) async throws -> [String]
    static let compositionChecks = Hooks<CompositionCheck>()
}
