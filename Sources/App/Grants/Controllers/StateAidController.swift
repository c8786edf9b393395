import Fluent
import Vapor
import SamverkaRules

/// The de minimis register per undertaking: `/api/v1/organisations/{id}/de-minimis`, declared aid, the euro rate
/// table; and the register's page for officials and the organisation.
enum StateAidController {
    static let tag = "State aid"

    static func register(site: Router, api: Router) {
        let line = Schema.object([("id", .uuid), ("source", .oneOf(["grant", "declared", "partnership"])), ("authority", .string()), ("description", .string()),
                                  ("grantedOn", .date), ("amountMinor", .integer()), ("currency", .string()), ("euroCents", .integer()), ("counted", .boolean),
                                  ("href", .nullable(.string()))],
                                 required: ["id", "source", "authority", "description", "grantedOn", "amountMinor", "currency", "euroCents", "counted"])
        api.registry.schemas.register("DeMinimis", .object([
            ("organisationId", .uuid), ("on", .date), ("windowFrom", .date), ("windowTo", .date), ("ceilingEuro", .integer()), ("totalEuroCents", .integer()),
            ("exceeded", .boolean), ("aids", .array(line)),
        ], required: ["organisationId", "on", "windowFrom", "windowTo", "ceilingEuro", "totalEuroCents", "exceeded", "aids"]))
        let rate = Schema.object([("currency", .string()), ("day", .date), ("perEuro", .number())], required: ["currency", "day", "perEuro"])
        api.get("organisations", ":id", "de-minimis", access: .record("deMinimisRead"), api: APIOperation(
                "The organisation's de minimis register: every aid, the three-year window ending on the day and the total in euro", tag: tag,
                query: [APIParameter("on", .date, "Dag (standard: i dag).")], response: .ref("DeMinimis")), use: show)
        api.post("organisations", ":id", "state-aid", access: .record("stateAidDeclare"), api: APIOperation(
                 "Declare de minimis aid received from another authority", tag: tag,
                 body: Schema.input([("authority", .text(max: 200, min: 2)), ("grantedOn", .date), ("amount", .string(maxLength: 20)),
                                     ("currency", .oneOf(StateAidRegister.currencies)), ("description", .text(max: 300))], required: ["authority", "grantedOn", "amount"]),
                 status: 201, response: .ref("DeMinimis")), use: declare)
        api.delete("state-aid", ":id", access: .record("stateAidDeclare"), api: APIOperation("Remove a declared aid", tag: tag, status: 204), use: remove)
        api.get("exchange-rates", access: .anyone, api: APIOperation("Euro rates used for de minimis", tag: tag, response: .array(rate)), use: rates)
        api.put("exchange-rates", access: .permission(.referenceDataManage), api: APIOperation("Set a euro rate for a currency and day", tag: tag,
                body: Schema.input([("currency", .oneOf(StateAidRegister.currencies.filter { $0 != "EUR" })), ("day", .date), ("perEuro", .number(minimum: 0))],
                                   required: ["currency", "day", "perEuro"]), response: rate), use: setRate)
        site.get("organisations", ":id", "de-minimis", access: .record("deMinimisRead"), use: page)
        site.post("organisations", ":id", "state-aid", access: .record("stateAidDeclare"), use: declareForm)
    }

    static func organisation(_ req: Request) async throws -> UUID {
        let id = try req.parameters.require("id", as: UUID.self)
        guard try await DirectoryQueries.organisationExists(id, on: req.db) else { throw AppError.notFound() }
        return id
    }

    @Sendable static func show(_ req: Request) async throws -> DeMinimisDTO {
        let org = try await organisation(req)
        guard StateAidRegister.mayRead(org, req.principal) else { throw AppError.forbidden() }
        return try await StateAidRegister.dto(org, on: try req.dateParameter("on") ?? .today(), defaultPerEuro: req.application.config.eurToSek, db: req.db)
    }

    @Sendable static func declare(_ req: Request) async throws -> Response {
        let org = try await organisation(req)
        let b = try req.content.decode(StateAidBody.self)
        _ = try await req.write { ctx in try await StateAidRegister.declare(org, b, in: ctx) }
        return try await StateAidRegister.dto(org, on: .today(), defaultPerEuro: req.application.config.eurToSek, db: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func remove(_ req: Request) async throws -> HTTPStatus {
        let id = try req.parameters.require("id", as: UUID.self)
        try await req.write { ctx in try await StateAidRegister.remove(id, in: ctx) }
        return .noContent
    }

    @Sendable static func rates(_ req: Request) async throws -> [ExchangeRateDTO] {
        try await ExchangeRate.query(on: req.db).sort(\.$currency).sort(\.$day).all().map { ExchangeRateDTO(currency: $0.currency, day: $0.day, perEuro: $0.perEuro) }
    }

    @Sendable static func setRate(_ req: Request) async throws -> ExchangeRateDTO {
        let b = try req.content.decode(ExchangeRateBody.self)
        let r = try await req.write { ctx in try await StateAidRegister.setRate(b, in: ctx) }
        return ExchangeRateDTO(currency: r.currency, day: r.day, perEuro: r.perEuro)
    }

    // MARK: Page

    struct DeclareForm: Content, Sendable { var authority: String?; var grantedOn: String?; var amount: String?; var currency: String?; var description: String? }

    static func renderPage(_ req: Request, org: UUID, form f: DeclareForm, errors: [FieldError]) async throws -> Response {
        struct Line: Encodable, Sendable { var day: String; var source: String; var authority: String; var description: String; var amount: String; var euro: String; var counted: Bool; var href: String? }
        struct Data: Encodable, Sendable {
            var orgHref: String; var orgName: String; var total: String; var ceiling: String; var window: String; var exceeded: Bool
            var lines: [Line]; var hasLines: Bool; var form: FormContext?
        }
        guard StateAidRegister.mayRead(org, req.principal) else { throw AppError.forbidden() }
        let lang = req.language.rawValue
        let d = try await StateAidRegister.dto(org, on: .today(), defaultPerEuro: req.application.config.eurToSek, db: req.db)
        let name = try await DirectoryQueries.organisationNames([org], on: req.db)[org] ?? ""
        func euro(_ cents: Int) -> String { DecimalText.format(Double(cents) / 100, digits: 0, lang: lang) + " €" }
        let lines = d.aids.map { a in
            Line(day: LocalDate(stored: a.grantedOn).formatted(lang), source: req.t("stateAid.source.\(a.source)"), authority: a.authority, description: a.description,
                 amount: DecimalText.format(Double(a.amountMinor) / 100, digits: 2, lang: lang) + " " + a.currency, euro: euro(a.euroCents), counted: a.counted, href: a.href)
        }
        var form: FormContext?
        if StateAidRegister.mayDeclare(org, req.principal) {
            form = req.form(action: "/organisations/\(org)/state-aid", submitLabel: req.t("stateAid.declare"), fields: [
                FormField("authority", label: req.t("stateAid.authority"), value: f.authority, required: true, maxLength: 200),
                FormField("grantedOn", label: req.t("stateAid.grantedOn"), kind: .date, value: f.grantedOn, required: true),
                FormField("amount", label: req.t("stateAid.amount"), value: f.amount, hint: req.t("grants.kronorHint"), required: true, maxLength: 20),
                FormField("currency", label: req.t("stateAid.currency"), kind: .select,
                          options: StateAidRegister.currencies.map { .init(value: $0, label: $0, selected: $0 == (f.currency ?? "SEK")) }),
                FormField("description", label: req.t("stateAid.description"), value: f.description, maxLength: 300),
            ], errors: errors)
        }
        return try await req.page("grants/de-minimis", title: req.t("stateAid.title", name), Data(
            orgHref: "/organisations/\(org)", orgName: name, total: euro(d.totalEuroCents), ceiling: euro(d.ceilingEuro * 100),
            window: "\(LocalDate(stored: d.windowFrom).formatted(lang))–\(LocalDate(stored: d.windowTo).formatted(lang))", exceeded: d.exceeded,
            lines: lines, hasLines: !lines.isEmpty, form: form), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func page(_ req: Request) async throws -> Response {
        try await renderPage(req, org: try await organisation(req), form: DeclareForm(currency: "SEK"), errors: [])
    }

    @Sendable static func declareForm(_ req: Request) async throws -> Response {
        let org = try await organisation(req)
        let f = try req.decodeForm(DeclareForm.self)
        do {
            _ = try await req.write { ctx in
                try await StateAidRegister.declare(org, StateAidBody(authority: f.authority, grantedOn: f.grantedOn, amount: f.amount, currency: f.currency, description: f.description), in: ctx)
            }
            return req.redirect(to: "/organisations/\(org)/de-minimis", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await renderPage(req, org: org, form: f, errors: $0) } }
    }
}
