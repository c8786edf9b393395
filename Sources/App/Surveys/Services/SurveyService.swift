import Fluent
import Vapor
import SamverkaRules

extension Survey: Auditable {
    static var auditEntityType: String { "survey" }
    var auditSnapshot: AuditSnapshot {
        AuditSnapshot(["title": .string(title), "purpose": .string(purpose), "bodyId": .string(bodyID?.uuidString ?? ""), "opensOn": .string(opensOn),
                       "closesOn": .string(closesOn), "anonymous": .bool(anonymous), "questions": .string(questions), "sentOn": .string(sentOn ?? ""),
                       "publishedOn": .string(publishedOn ?? "")])
    }
}

struct SurveyBody: Content, Sendable {
    var title: String? = nil
    var purpose: String? = nil
    /// The owning public body; empty or absent for a national survey (analysts).
    var bodyId: String? = nil
    var opensOn: String? = nil
    var closesOn: String? = nil
    var anonymous: Bool? = nil
    var questions: [SurveyQuestion]? = nil
    var version: Int? = nil
}

struct SurveyRecipientsBody: Content, Sendable {
    /// organisation, unit or region.
    var kind: String?
    /// Chosen organisations, units or region bodies.
    var ids: [String]?
    /// For organisations: everyone in this area and/or municipality (at most 500).
    var area: String?
    var municipality: String?
    /// For units: every unit of this body.
    var bodyId: String?
    /// The respondent group their answers are counted in ("civilsamhälle", "Region Norrbotten, enheter" …).
    var group: String?
}

struct SurveyAnswerBody: Content, Sendable {
    var answers: [String: [String]]
}

struct SurveyRecipientDTO: Content, Sendable {
    var id: UUID; var kind: String; var name: String; var email: String; var respondentGroup: String
    var invited: Bool; var reminded: Bool; var answered: Bool
}

struct SurveyGroupRate: Content, Sendable { var respondentGroup: String; var invited: Int; var answered: Int; var responseRate: Int? }

struct SurveyDTO: Content, Sendable {
    var id: UUID
    var bodyId: UUID?
    var ownerName: String
    var title: String
    var purpose: String
    var opensOn: String
    var closesOn: String
    var anonymous: Bool
    var phase: String
    var sentOn: String?
    var publishedOn: String?
    var questions: [SurveyQuestion]
    var invited: Int
    var answered: Int
    var responseRate: Int?
    var respondents: Int
    var groups: [SurveyGroupRate]
    var isDemo: Bool
    var version: Int
}

/// Surveys: building one (or copying the template), choosing who gets it, sending personal links through the outbox,
/// reminders, taking answers through a link, publishing. Counting and importing answers: `SurveyResultsService`.
enum SurveyService {
    static let recipientKinds = ["organisation", "unit", "region"]

    // MARK: Permissions

    /// A body's survey is run by its officials; a national one by analysts.
    static func mayManage(_ s: Survey, _ who: Principal) -> Bool {
        if let b = s.bodyID { return Policy.allows(who, .surveysManage, .body(b, unitPath: [])) }
        return Policy.allows(who, .overviewManage)
    }

    /// Published results are public; before that, the survey is its owner's (and analysts read across bodies).
    static func mayRead(_ s: Survey, _ who: Principal) -> Bool {
        s.publishedOn != nil || mayManage(s, who) || Policy.allows(who, .crossBodyRead)
    }

    static func find(_ id: UUID, on db: any Database) async throws -> Survey {
        guard let s = try await Survey.find(id, on: db) else { throw AppError.notFound() }
        return s
    }

    static func readable(_ id: UUID, _ who: Principal, on db: any Database) async throws -> Survey {
        let s = try await find(id, on: db)
        guard mayRead(s, who) else { throw AppError.notFound() }
        return s
    }

    static func managed(_ id: UUID, _ who: Principal, on db: any Database) async throws -> Survey {
        let s = try await find(id, on: db)
        guard mayManage(s, who) else { throw mayRead(s, who) ? AppError.forbidden() : AppError.notFound() }
        return s
    }

    static func list(visibleTo who: Principal, on db: any Database) async throws -> [Survey] {
        try await Survey.query(on: db).sort(\.$opensOn, .descending).sort(\.$title).all().filter { mayRead($0, who) }
    }

    static func phase(_ s: Survey, today: LocalDate = .today()) -> SurveyRules.Phase {
        SurveyRules.phase(sentOn: LocalDate.stored(s.sentOn), opensOn: LocalDate(stored: s.opensOn), closesOn: LocalDate(stored: s.closesOn), today: today)
    }

    // MARK: Building

    static func save(_ id: UUID?, _ b: SurveyBody, isDemo: Bool = false, in ctx: WriteContext) async throws -> Survey {
        var existing: Survey?
        if let id { existing = try await find(id, on: ctx.db) }
        if let existing {
            guard mayManage(existing, ctx.actor) else { throw AppError.forbidden() }
            if let v = b.version, v != existing.version { throw AppError.staleVersion() }
        }
        var errors = FieldErrors()
        let title = TextRules.line(b.title ?? existing?.title, field: "title", max: 200, required: true, min: 3, errors: &errors)
        let purpose = TextRules.paragraph(b.purpose ?? existing?.purpose, field: "purpose", max: 4000, errors: &errors)
        var bodyID = existing?.bodyID
        if let raw = b.bodyId?.trimmingCharacters(in: .whitespaces) {
            if raw.isEmpty { bodyID = nil }
            else if let u = UUID(uuidString: raw), try await DirectoryQueries.bodyExists(u, on: ctx.db) { bodyID = u }
            else { errors.add("bodyId", code: "notFound") }
        }
        let today = LocalDate.today()
        let opens = TextRules.date(b.opensOn ?? existing?.opensOn ?? today.description, field: "opensOn", required: true, errors: &errors)
        let closes = TextRules.date(b.closesOn ?? existing?.closesOn ?? today.adding(days: 30).description, field: "closesOn", required: true, errors: &errors)
        if let opens, let closes { errors.append(SurveyRules.checkDates(opensOn: opens, closesOn: closes)) }
        let questions = b.questions ?? existing?.questionList ?? []
        errors.append(SurveyRules.validate(questions))
        if let existing, b.questions != nil, try await hasAnswers(try existing.requireID(), on: ctx.db),
           !sameStructure(existing.questionList, questions) {
            errors.add("questions", code: "surveyLocked")
        }
        try errors.throwIfAny()
        // The owner as the survey is and as it would become: a body's officials, or analysts for the national level.
        let actor = ctx.actor
        func owns(_ body: UUID?) -> Bool {
            body.map { Policy.allows(actor, .surveysManage, .body($0, unitPath: [])) } ?? Policy.allows(actor, .overviewManage)
        }
        guard (existing.map { owns($0.bodyID) } ?? true) && owns(bodyID) else {
            throw AppError.forbidden(code: "surveyOwnBody")
        }
        let s = existing ?? Survey()
        let before = existing?.auditSnapshot
        if existing == nil {
            s.id = UUID()
            s.isDemo = isDemo
            s.version = 1
        } else {
            s.version += 1
        }
        s.bodyID = bodyID
        s.title = title
        s.purpose = purpose
        s.opensOn = (opens ?? today).description
        s.closesOn = (closes ?? today).description
        s.anonymous = b.anonymous ?? existing?.anonymous ?? true
        s.questions = JSONText.encode(questions)
        try await s.save(on: ctx.db)
        ctx.audit(existing == nil ? "create" : "update", s, id: s.id, before: before)
        return s
    }

    /// Codes, kinds and option codes unchanged: texts and labels may still be corrected once answers exist.
    static func sameStructure(_ a: [SurveyQuestion], _ b: [SurveyQuestion]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.code == $1.code && $0.kind == $1.kind && $0.options.map(\.code) == $1.options.map(\.code) && $0.showIf == $1.showIf }
    }

    static func hasAnswers(_ id: UUID, on db: any Database) async throws -> Bool {
        try await SurveyRespondent.query(on: db).filter(\.$surveyID == id).count() > 0
    }

    /// A copy of the ready template as a new survey of the body (or national), to adapt.
    static func fromTemplate(bodyID: UUID?, title: String?, in ctx: WriteContext) async throws -> Survey {
        let t = SurveyTemplate.europeanCode
        return try await save(nil, SurveyBody(title: title ?? t.title, purpose: t.purpose, bodyId: bodyID?.uuidString ?? "", anonymous: false, questions: t.questions), in: ctx)
    }

    // MARK: Audience

    /// Adds recipients (organisations chosen or filtered by area and municipality, units of a body, or regions),
    /// each with an address and the group their answers are counted in. Those already on the list are skipped.
    static func addRecipients(_ id: UUID, _ b: SurveyRecipientsBody, in ctx: WriteContext) async throws -> Int {
        let s = try await managed(id, ctx.actor, on: ctx.db)
        var errors = FieldErrors()
        let kind = b.kind ?? ""
        if !recipientKinds.contains(kind) { errors.add("kind", code: "oneOf", recipientKinds.joined(separator: ", ")) }
        let group = TextRules.line(b.group, field: "group", max: 200, errors: &errors)
        let ids = (b.ids ?? []).prefix(1000).compactMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        if (b.ids ?? []).count > 1000 { errors.add("ids", code: "tooMany", "1000") }
        if (b.ids ?? []).count != ids.count { errors.add("ids", code: "notFound") }
        try errors.throwIfAny()
        var candidates: [(ref: UUID, name: String, email: String, defaultGroup: String)] = []
        switch kind {
        case "organisation":
            var chosen = ids
            let area = (b.area ?? "").trimmingCharacters(in: .whitespaces), municipality = (b.municipality ?? "").trimmingCharacters(in: .whitespaces)
            if !area.isEmpty || !municipality.isEmpty {
                var f = OrganisationFilter()
                f.area = String(area.prefix(60))
                f.municipality = String(municipality.prefix(4))
                chosen += try await OrganisationQueries.searchIDs(f, page: PageRequest(page: 1, per: 500), on: ctx.db).ids
            }
            if chosen.isEmpty { throw AppError.invalid(field: "ids", code: "required") }
            let orgs = try await DirectoryQueries.organisations(chosen, on: ctx.db).filter { !$0.isDeleted }
            if orgs.count < Set(ids).count { throw AppError.invalid(field: "ids", code: "notFound") }
            // The organisation's address, or else its first contact role's (roles outlive the people who hold them).
            var addresses: [UUID: String] = [:]
            for o in orgs where o.email.isEmpty {
                addresses[o.id] = try await DirectoryQueries.roles(ofOrganisation: o.id, on: ctx.db).first { !$0.isClosed && !$0.email.isEmpty }?.email
            }
            candidates = orgs.map { ($0.id, $0.name, $0.email.isEmpty ? addresses[$0.id] ?? "" : $0.email, "civilsamhälle") }
        case "unit":
            var units = try await DirectoryQueries.units(ofBodies: nil, on: ctx.db).filter { ids.contains($0.id) }
            if units.count < Set(ids).count { throw AppError.invalid(field: "ids", code: "notFound") }
            if let raw = b.bodyId, !raw.isEmpty {
                guard let body = UUID(uuidString: raw), try await DirectoryQueries.bodyExists(body, on: ctx.db) else { throw AppError.invalid(field: "bodyId", code: "notFound") }
                units += try await DirectoryQueries.units(ofBodies: [body], on: ctx.db)
            }
            if units.isEmpty { throw AppError.invalid(field: "ids", code: "required") }
            let bodyNames = try await DirectoryQueries.bodyNames(units.map(\.bodyID), on: ctx.db)
            let emails = try await DirectoryQueries.unitEmails(units.map(\.id), on: ctx.db)
            candidates = units.map { u in (u.id, u.name, emails[u.id] ?? "", "\(bodyNames[u.bodyID] ?? ""), enheter") }
        default:
            let regions = try await DirectoryQueries.allBodies(on: ctx.db).filter { $0.kind == .region && (ids.isEmpty || ids.contains($0.id)) }
            if regions.count < Set(ids).count { throw AppError.invalid(field: "ids", code: "notFound") }
            let emails = try await DirectoryQueries.bodyEmails(regions.map(\.id), on: ctx.db)
            candidates = regions.map { ($0.id, $0.name, emails[$0.id] ?? "", "regioner") }
        }
        let sid = try s.requireID()
        let present = Set(try await SurveyRecipient.query(on: ctx.db).filter(\.$surveyID == sid).filter(\.$kind == kind).all().map(\.refID))
        var added = 0
        var seen = present
        for c in candidates where !seen.contains(c.ref) {
            seen.insert(c.ref)
            let r = SurveyRecipient()
            r.surveyID = sid
            r.kind = kind
            r.refID = c.ref
            r.name = c.name
            r.email = c.email
            r.respondentGroup = group.isEmpty ? c.defaultGroup : group
            try await r.create(on: ctx.db)
            added += 1
        }
        ctx.auditSummary("addRecipients", Survey.auditEntityType, sid.uuidString, [("kind", .string(kind)), ("added", .int(added))])
        return added
    }

    static func removeRecipient(_ id: UUID, recipient: UUID, in ctx: WriteContext) async throws {
        _ = try await managed(id, ctx.actor, on: ctx.db)
        guard let r = try await SurveyRecipient.find(recipient, on: ctx.db), r.surveyID == id else { throw AppError.notFound() }
        guard r.answeredAt == nil else { throw AppError(.conflict, "Mottagaren har redan svarat.", fields: [FieldError(field: "recipient", code: "surveyAnswered")]) }
        try await r.delete(on: ctx.db)
        ctx.auditSummary("removeRecipient", Survey.auditEntityType, id.uuidString, [("recipient", .string(r.name))])
    }

    static func recipients(_ id: UUID, on db: any Database) async throws -> [SurveyRecipient] {
        try await SurveyRecipient.query(on: db).filter(\.$surveyID == id).sort(\.$respondentGroup).sort(\.$name).all()
    }

    // MARK: Sending

    /// Sends a personal link to every recipient with an address who has not had one (`remind`: to every recipient
    /// who has had one and not answered, with a new link). Returns how many messages were queued.
    static func send(_ id: UUID, remind: Bool, baseURL: String, in ctx: WriteContext) async throws -> Int {
        let s = try await managed(id, ctx.actor, on: ctx.db)
        let today = LocalDate.today()
        let closes = LocalDate(stored: s.closesOn)
        guard closes >= today else { throw AppError(.conflict, "Enkäten har stängt.", fields: [FieldError(field: "closesOn", code: "surveyClosed")]) }
        let expiry = SurveyRules.linkExpiry(closesOn: closes, today: today)
        var queued = 0
        for r in try await recipients(try s.requireID(), on: ctx.db) where !r.email.isEmpty && r.answeredAt == nil && (remind ? r.invitedAt != nil : r.invitedAt == nil) {
            let token = TokenCodec.generate(prefix: "svy_")
            r.tokenHash = TokenCodec.hash(token)
            r.tokenExpiresOn = expiry.description
            if remind { r.remindedAt = Date() } else { r.invitedAt = Date() }
            try await r.save(on: ctx.db)
            let link = "\(baseURL)/s/\(token)"
            let subject = (remind ? "Påminnelse: " : "Enkät: ") + "\(s.title) – svara senast \(closes.formatted("sv"))"
            try await Outbox.enqueue(MailMessage(to: r.email, subject: subject, body: """
                Hej \(r.name),

                \(remind ? "Vi har ännu inte fått ert svar på enkäten" : "Ni är inbjudna att svara på enkäten") "\(s.title)".
                \(s.purpose.isEmpty ? "" : "\n\(s.purpose)\n")
                \(s.anonymous ? "Svaren är anonyma: de visas bara sammanräknade per grupp." : "Svaren lämnas med namn (\(r.name)).")
                Svara senast \(closes.formatted("sv")) via er personliga länk:
                \(link)

                Länken gäller till och med \(expiry.formatted("sv")). Dela den inte vidare.
                (English: you are invited to answer a survey; the link above is personal.)
                """), in: ctx)
            queued += 1
        }
        if !remind && s.sentOn == nil {
            s.sentOn = today.description
            s.version += 1
            try await s.save(on: ctx.db)
        }
        ctx.auditSummary(remind ? "remind" : "send", Survey.auditEntityType, try s.requireID().uuidString, [("messages", .int(queued))])
        return queued
    }

    static func publish(_ id: UUID, _ published: Bool, in ctx: WriteContext) async throws -> Survey {
        let s = try await managed(id, ctx.actor, on: ctx.db)
        let before = s.auditSnapshot
        s.publishedOn = published ? LocalDate.today().description : nil
        s.version += 1
        try await s.save(on: ctx.db)
        ctx.audit(published ? "publish" : "unpublish", s, id: s.id, before: before)
        return s
    }

    // MARK: Answering through a link

    /// The recipient and survey a personal link belongs to, while it is valid.
    static func byToken(_ token: String, on db: any Database) async throws -> (SurveyRecipient, Survey) {
        guard token.count <= 100, let r = try await SurveyRecipient.query(on: db).filter(\.$tokenHash == TokenCodec.hash(token)).first(),
              let s = try await Survey.find(r.surveyID, on: db) else { throw AppError.notFound(code: "linkReplaced") }
        if let exp = LocalDate.stored(r.tokenExpiresOn), LocalDate.today() > exp { throw AppError(.gone, "Länken har gått ut.") }
        return (r, s)
    }

    static func answer(token: String, _ b: SurveyAnswerBody, in ctx: WriteContext) async throws -> SurveyRespondent {
        let (r, s) = try await byToken(token, on: ctx.db)
        guard r.answeredAt == nil else { throw AppError(.conflict, "Enkäten är redan besvarad via den här länken.", fields: [FieldError(field: "answers", code: "surveyAnswered")]) }
        guard phase(s) == .open else { throw AppError(.conflict, "Enkäten tar inte emot svar nu.", fields: [FieldError(field: "answers", code: "surveyNotOpen")]) }
        let raw = b.answers.filter { !$0.key.isEmpty }
        if raw.count > 200 || raw.values.contains(where: { $0.count > 50 }) { throw AppError.invalid(field: "answers", code: "tooMany", "200") }
        let (answers, errors) = SurveyRules.checkSubmission(raw, questions: s.questionList)
        try errors.throwIfAny()
        let respondent = SurveyRespondent()
        respondent.id = UUID()
        respondent.surveyID = r.surveyID
        respondent.respondentGroup = r.respondentGroup
        respondent.label = s.anonymous ? "" : r.name
        respondent.recipientID = s.anonymous ? nil : r.id
        respondent.source = "link"
        try await respondent.create(on: ctx.db)
        try await SurveyResultsService.store(answers, respondent: try respondent.requireID(), survey: r.surveyID, on: ctx.db)
        r.answeredAt = Date()
        try await r.save(on: ctx.db)
        ctx.auditSummary("answer", Survey.auditEntityType, r.surveyID.uuidString, [("group", .string(r.respondentGroup))])
        return respondent
    }

    // MARK: Views

    static func dto(_ s: Survey, on db: any Database) async throws -> SurveyDTO {
        let id = try s.requireID()
        let recipients = try await recipients(id, on: db)
        let invited = recipients.filter { $0.invitedAt != nil }
        let respondents = try await SurveyRespondent.query(on: db).filter(\.$surveyID == id).count()
        var groups: [SurveyGroupRate] = []
        for g in Array(Set(recipients.map(\.respondentGroup))).sorted(by: { SwedishCollation.key($0) < SwedishCollation.key($1) }) {
            let inv = invited.filter { $0.respondentGroup == g }
            let ans = inv.filter { $0.answeredAt != nil }.count
            groups.append(SurveyGroupRate(respondentGroup: g, invited: inv.count, answered: ans, responseRate: SurveyRules.responseRate(invited: inv.count, answered: ans)))
        }
        let answered = invited.filter { $0.answeredAt != nil }.count
        var owner = "Nationell nivå"
        if let b = s.bodyID { owner = try await DirectoryQueries.body(b, on: db)?.name ?? "" }
        return SurveyDTO(id: id, bodyId: s.bodyID, ownerName: owner, title: s.title, purpose: s.purpose, opensOn: s.opensOn, closesOn: s.closesOn,
                         anonymous: s.anonymous, phase: phase(s).rawValue, sentOn: s.sentOn, publishedOn: s.publishedOn, questions: s.questionList,
                         invited: invited.count, answered: answered, responseRate: SurveyRules.responseRate(invited: invited.count, answered: answered),
                         respondents: respondents, groups: groups, isDemo: s.isDemo, version: s.version)
    }

    static func recipientDTO(_ r: SurveyRecipient) -> SurveyRecipientDTO? {
        r.id.map { SurveyRecipientDTO(id: $0, kind: r.kind, name: r.name, email: r.email, respondentGroup: r.respondentGroup, invited: r.invitedAt != nil,
                                      reminded: r.remindedAt != nil, answered: r.answeredAt != nil) }
    }
}

extension SurveyService {
    /// Adds, replaces (`code` given), moves or removes one question, then saves the whole list through `save`, so the
    /// same checks apply as for the API.
    enum QuestionEdit: Sendable { case put(original: String?, SurveyQuestion), move(String, by: Int), remove(String) }

    static func editQuestion(_ id: UUID, _ edit: QuestionEdit, version: Int?, in ctx: WriteContext) async throws -> Survey {
        let s = try await managed(id, ctx.actor, on: ctx.db)
        var list = s.questionList
        switch edit {
        case .put(let original, let q):
            if let original {
                guard let i = list.firstIndex(where: { $0.code == original }) else { throw AppError.notFound() }
                list[i] = q
            } else {
                list.append(q)
            }
        case .move(let code, let by):
            guard let i = list.firstIndex(where: { $0.code == code }) else { throw AppError.notFound() }
            let j = max(0, min(list.count - 1, i + by))
            let q = list.remove(at: i)
            list.insert(q, at: j)
        case .remove(let code):
            guard list.contains(where: { $0.code == code }) else { throw AppError.notFound() }
            list.removeAll { $0.code == code }
        }
        return try await save(id, SurveyBody(questions: list, version: version), in: ctx)
    }
}
