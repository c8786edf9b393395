import Fluent
import Vapor
import SamverkaRules

/// One de minimis aid in an organisation's register, from wherever it came.
struct StateAidEntry: Sendable, Equatable {
    var aid: StateAidRules.Aid
    /// Who granted it (a body's name, or the authority the organisation declared).
    var authority: String
    var description: String
    /// Where to read it on the platform (a decision, a partnership), if anywhere.
    var href: String?
}

/// Higher modules add their own de minimis aid to an organisation's register (Partnerships: IOP contributions
/// assessed as de minimis).
enum StateAidHooks {
    typealias Source = @Sendable (_ organisationID: UUID, _ db: any Database) async throws -> [StateAidEntry]
    static let sources = Hooks<Source>()
}

struct StateAidBody: Content, Sendable {
    var authority: String?
    var grantedOn: String?
    var amount: String?
    var currency: String?
    var description: String?
}

struct ExchangeRateBody: Content, Sendable {
    var currency: String?
    var day: String?
    var perEuro: Double?
}

struct StateAidLineDTO: Content, Sendable {
    var id: UUID
    var source: String
    var authority: String
    var description: String
    var grantedOn: String
    var amountMinor: Int
    var currency: String
    var euroCents: Int
    var counted: Bool
    var href: String?
}

struct DeMinimisDTO: Content, Sendable {
    var organisationId: UUID
    var on: String
    var windowFrom: String
    var windowTo: String
    var ceilingEuro: Int
    var totalEuroCents: Int
    var exceeded: Bool
    var aids: [StateAidLineDTO]
}

struct ExchangeRateDTO: Content, Sendable {
    var currency: String
    var day: String
    var perEuro: Double
}

/// The de minimis register per undertaking: every state-aid grant decided on the platform by any body, aid from
/// other modules (hooks) and aid the organisation declares from elsewhere, converted to euro at the rate of its
/// grant day and summed over the three years ending on the day asked (`StateAidRules`).
enum StateAidRegister {
    static let currencies = ["SEK", "EUR", "NOK", "DKK", "USD", "GBP"]

    static func rates(on db: any Database) async throws -> [StateAidRules.Rate] {
        try await ExchangeRate.query(on: db).all().compactMap { r in LocalDate(r.day).map { StateAidRules.Rate(currency: r.currency, day: $0, perEuro: r.perEuro) } }
    }

    static func entries(_ organisationID: UUID, on db: any Database) async throws -> [StateAidEntry] {
        var out: [StateAidEntry] = []
        let decisions = try await GrantDecision.query(on: db).filter(\.$organisationID == organisationID).filter(\.$isStateAid == true).all()
        let live = DecisionRules.inForce(decisions.map(\.entry))
        let programmes = try await GrantProgramme.query(on: db).filter(\.$id ~~ Set(decisions.map(\.programmeID)).map { $0 }).all()
        let bodyNames = try await DirectoryQueries.bodyNames(programmes.map(\.bodyID), on: db)
        for d in decisions where d.amountOre > 0 && d.outcome != .rejected {
            guard let id = d.id, live.contains(id), let day = LocalDate(d.decidedOn) else { continue }
            let body = programmes.first { $0.id == d.programmeID }.flatMap { bodyNames[$0.bodyID] } ?? ""
            out.append(StateAidEntry(aid: .init(id: id, source: "grant", grantedOn: day, amount: d.amountOre, currency: "SEK"),
                                     authority: body, description: d.purpose, href: "/grants/decisions/\(id)"))
        }
        for s in try await StateAidDeclaration.query(on: db).filter(\.$organisationID == organisationID).all() {
            guard let id = s.id, let day = LocalDate(s.grantedOn) else { continue }
            out.append(StateAidEntry(aid: .init(id: id, source: "declared", grantedOn: day, amount: s.amountMinor, currency: s.currency),
                                     authority: s.authority, description: s.description, href: nil))
        }
        for source in StateAidHooks.sources.all { out += try await source(organisationID, db) }
        return out.sorted { $0.aid.grantedOn < $1.aid.grantedOn }
    }

    static func total(_ organisationID: UUID, on day: LocalDate, adding new: StateAidRules.Aid? = nil, excluding: UUID? = nil, defaultPerEuro: Double,
                      db: any Database) async throws -> StateAidRules.Total {
        let aids = try await entries(organisationID, on: db).map(\.aid).filter { $0.id != excluding } + (new.map { [$0] } ?? [])
        return StateAidRules.total(aids, on: day, rates: try await rates(on: db), defaultPerEuro: defaultPerEuro)
    }

    /// Refuses a new de minimis aid that would pass the ceiling unless an override reason is given (the page and
    /// the API ask the same question, so they warn alike).
    static func checkCeiling(organisationID: UUID, adding new: StateAidRules.Aid, override: String?, defaultPerEuro: Double,
                             excluding: UUID? = nil, field: String, db: any Database) async throws -> StateAidRules.Total {
        let t = try await total(organisationID, on: new.grantedOn, adding: new, excluding: excluding, defaultPerEuro: defaultPerEuro, db: db)
        if t.exceeded && (override ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AppError.invalid([FieldError(field: field, code: "deMinimisExceeded", args: [euro(t.euroCents), String(t.ceilingEuro)])])
        }
        return t
    }

    static func euro(_ cents: Int) -> String { String(cents / 100) }

    static func dto(_ organisationID: UUID, on day: LocalDate, defaultPerEuro: Double, db: any Database) async throws -> DeMinimisDTO {
        let entries = try await entries(organisationID, on: db)
        let rates = try await rates(on: db)
        let t = StateAidRules.total(entries.map(\.aid), on: day, rates: rates, defaultPerEuro: defaultPerEuro)
        let counted = Set(t.counted)
        return DeMinimisDTO(organisationId: organisationID, on: day.description, windowFrom: t.windowFrom.description, windowTo: t.windowTo.description,
                            ceilingEuro: t.ceilingEuro, totalEuroCents: t.euroCents, exceeded: t.exceeded, aids: entries.map { e in
            StateAidLineDTO(id: e.aid.id, source: e.aid.source, authority: e.authority, description: e.description, grantedOn: e.aid.grantedOn.description,
                            amountMinor: e.aid.amount, currency: e.aid.currency,
                            euroCents: StateAidRules.euroCents(e.aid, rates: rates, defaultPerEuro: defaultPerEuro), counted: counted.contains(e.aid.id), href: e.href)
        })
    }

    /// Who may read an organisation's register: officials, analysts, admins, and the organisation's representatives.
    static func mayRead(_ organisationID: UUID, _ p: Principal) -> Bool {
        p.isAdmin || p.holds(.official) || p.holds(.analyst) || p.organisationIDs.contains(organisationID)
    }

    static func mayDeclare(_ organisationID: UUID, _ p: Principal) -> Bool {
        p.isAdmin || p.holds(.official) || p.organisationIDs.contains(organisationID)
    }

    static func declare(_ organisationID: UUID, _ b: StateAidBody, in ctx: WriteContext) async throws -> StateAidDeclaration {
        guard try await DirectoryQueries.organisationExists(organisationID, on: ctx.db) else { throw AppError.notFound() }
        guard mayDeclare(organisationID, ctx.actor) else { throw AppError.forbidden() }
        var errors = FieldErrors()
        let authority = TextRules.line(b.authority, field: "authority", max: 200, required: true, min: 2, errors: &errors)
        let day = TextRules.date(b.grantedOn, field: "grantedOn", required: true, errors: &errors)
        if let day, day > .today() { errors.add("grantedOn", code: "inFuture") }
        let currency = (b.currency ?? "SEK").uppercased()
        if !currencies.contains(currency) { errors.add("currency", code: "oneOf", currencies.joined(separator: ", ")) }
        let amount = b.amount.flatMap(Money.parseKronor)
        if amount == nil || (amount ?? 0) <= 0 || (amount ?? 0) > Money.maxOre { errors.add("amount", code: "amount") }
        let description = TextRules.line(b.description, field: "description", max: 300, errors: &errors)
        try errors.throwIfAny()
        let s = StateAidDeclaration()
        s.id = UUID()
        s.organisationID = organisationID
        s.authority = authority
        s.grantedOn = day?.description ?? ""
        s.amountMinor = amount ?? 0
        s.currency = currency
        s.description = description
        try await s.create(on: ctx.db)
        ctx.auditSummary("declareStateAid", "stateAid", s.id?.uuidString ?? "", [("organisationId", .string(organisationID.uuidString)),
                                                                                  ("amountMinor", .int(s.amountMinor)), ("currency", .string(currency))])
        return s
    }

    static func remove(_ id: UUID, in ctx: WriteContext) async throws {
        let s = try await StateAidDeclaration.require(id, on: ctx.db)
        guard mayDeclare(s.organisationID, ctx.actor) else { throw AppError.forbidden() }
        try await s.delete(on: ctx.db)
        ctx.auditSummary("removeStateAid", "stateAid", id.uuidString, [("organisationId", .string(s.organisationID.uuidString))])
    }

    static func setRate(_ b: ExchangeRateBody, in ctx: WriteContext) async throws -> ExchangeRate {
        guard Policy.allows(ctx.actor, .referenceDataManage) else { throw AppError.forbidden() }
        var errors = FieldErrors()
        let currency = (b.currency ?? "").uppercased()
        if !currencies.contains(currency) || currency == "EUR" { errors.add("currency", code: "oneOf", currencies.filter { $0 != "EUR" }.joined(separator: ", ")) }
        let day = TextRules.date(b.day, field: "day", required: true, errors: &errors)
        guard let rate = b.perEuro, rate > 0, rate < 100_000 else { errors.add("perEuro", code: "range", "0", "100000"); try errors.throwIfAny(); throw AppError.invalid(field: "perEuro", code: "required") }
        try errors.throwIfAny()
        let r = try await ExchangeRate.query(on: ctx.db).filter(\.$currency == currency).filter(\.$day == (day?.description ?? "")).first() ?? ExchangeRate()
        if r.id == nil { r.id = UUID() }
        r.currency = currency
        r.day = day?.description ?? ""
        r.perEuro = rate
        try await r.save(on: ctx.db)
        ctx.auditSummary("setRate", "exchangeRate", "\(currency) \(r.day)", [("perEuro", .string(String(rate)))])
        return r
    }
}
