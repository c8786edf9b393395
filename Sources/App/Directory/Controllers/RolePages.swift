import Fluent
import Vapor
import SamverkaRules

/// HTML pages for contact roles: list (open roles), detail with history, create/edit, handover.
enum RolePages {
    static func register(_ site: Router) {
        let roles = site.grouped("roles")
        roles.get(access: .anyone, use: list)
        roles.get("new", access: .permission(.roleEdit), use: newForm)
        roles.post(access: .permission(.roleEdit), use: create)
        roles.get(":id", access: .anyone, use: show)
        roles.get(":id", "edit", access: .scoped(.roleEdit, RoleService.roleScope), use: editForm)
        roles.post(":id", "edit", access: .scoped(.roleEdit, RoleService.roleScope), use: update)
        roles.get(":id", "handover", access: .scoped(.roleEdit, RoleService.roleScope), use: handoverForm)
        roles.post(":id", "handover", access: .scoped(.roleEdit, RoleService.roleScope), use: handover)
    }

    struct Row: Encodable, Sendable { var href: String; var title: String; var owner: String; var ownerHref: String?; var holder: String?; var isOpen: Bool; var contact: String? }
    struct ListPage: Encodable, Sendable { var rows: [Row]; var hasRows: Bool; var openOnly: Bool; var pager: PagerContext; var allHref: String; var openHref: String }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let openOnly = (try? req.flag("open")) ?? false
        let bodyID = try req.uuidParameter("body")
        let page = try PageRequest.from(req, defaultPer: 50)
        let (items, total) = try await RoleService.list(openOnly: openOnly, bodyID: bodyID, unitID: nil, organisationID: nil, page: page, on: req.db)
        let dtos = try await RoleService.dtos(items, withHistory: false, on: req.db)
        let rows = dtos.map { d in
            Row(href: "/roles/\(d.id)", title: d.title, owner: d.ownerName ?? "",
                ownerHref: d.unitId.map { "/units/\($0)" } ?? d.organisationId.map { "/organisations/\($0)" },
                holder: d.currentHolder?.holderName, isOpen: d.isOpen, contact: [d.email, d.phone].filter { !$0.isEmpty }.joined(separator: ", ").nilIfEmpty)
        }
        var base: [(String, String)] = [("open", openOnly ? "true" : "")]
        if let bodyID { base.append(("body", bodyID.uuidString)) }
        let data = ListPage(rows: rows, hasRows: !rows.isEmpty, openOnly: openOnly,
                            pager: PagerContext(PageMetadata(page: page.page, per: page.per, total: total), path: "/roles", baseQuery: base),
                            allHref: "/roles" + (bodyID.map { "?body=\($0)" } ?? ""), openHref: "/roles?open=true" + (bodyID.map { "&body=\($0)" } ?? ""))
        return try await req.page("directory/roles", title: openOnly ? req.t("roles.openTitle") : req.t("roles.title"), data)
    }

    struct TenureRow: Encodable, Sendable { var name: String; var period: String; var note: String?; var current: Bool }
    struct DetailPage: Encodable, Sendable {
        var role: ContactRoleDTO
        var ownerHref: String?
        var history: [TenureRow]
        var hasHistory: Bool
        var canEdit: Bool
        var description: String?
        var email: String?
        var phone: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let role = try await RoleService.require(id, on: req.db)
        let dto = try await RoleService.dtos([role], withHistory: true, on: req.db)[0]
        let canEdit = Policy.allows(req.principal, .roleEdit, try await RoleService.roleScope(req))
        let history = (dto.history ?? []).map { t in
            TenureRow(name: t.holderName, period: OrganisationPages.period(t.startsOn, t.endsOn, req),
                      note: canEdit ? t.handoverNote.nilIfEmpty : nil, current: t.endsOn == nil)
        }
        let data = DetailPage(role: dto, ownerHref: dto.unitId.map { "/units/\($0)" } ?? dto.organisationId.map { "/organisations/\($0)" },
                              history: history, hasHistory: !history.isEmpty, canEdit: canEdit,
                              description: dto.description.nilIfEmpty, email: dto.email.nilIfEmpty, phone: dto.phone.nilIfEmpty)
        return try await req.page("directory/role", title: dto.title, data)
    }

    struct RoleForm: Content {
        var title: String?
        var description: String?
        var unitId: String?
        var organisationId: String?
        var email: String?
        var phone: String?
        var closedOn: String?
        var grantsRole: String?
        var version: Int?
        var body: ContactRoleBody {
            ContactRoleBody(title: title, description: description, unitId: unitId, organisationId: organisationId, email: email, phone: phone,
                            closedOn: closedOn, grantsRole: grantsRole ?? "", version: version)
        }
    }

    static func form(_ req: Request, _ f: RoleForm, id: UUID?, errors: [FieldError]) async throws -> Response {
        var fields = [
            FormField("title", label: req.t("roles.field.title"), value: f.title, hint: req.t("roles.field.titleHint"), required: true, maxLength: 200),
            FormField("description", label: req.t("org.field.description"), kind: .textarea, value: f.description, maxLength: 2000),
            FormField("email", label: req.t("roles.field.email"), kind: .email, value: f.email, hint: req.t("roles.field.emailHint"), maxLength: 254),
            FormField("phone", label: req.t("org.field.phone"), kind: .tel, value: f.phone, maxLength: 40),
            FormField("grantsRole", label: req.t("roles.field.grantsRole"), kind: .select, hint: req.t("roles.field.grantsRoleHint"),
                      options: [FormField.Option(value: "", label: req.t("form.none"), selected: (f.grantsRole ?? "").isEmpty)]
                        + (f.organisationId.map { _ in [Role.representative] } ?? [Role.official, .politician, .reviewer])
                            .map { FormField.Option(value: $0.rawValue, label: req.t("role.\($0.rawValue)"), selected: f.grantsRole == $0.rawValue) }),
        ]
        if id == nil {
            fields.append(FormField("unitId", kind: .hidden, value: f.unitId))
            fields.append(FormField("organisationId", kind: .hidden, value: f.organisationId))
        } else {
            fields.append(FormField("closedOn", label: req.t("roles.field.closedOn"), kind: .date, value: f.closedOn, hint: req.t("roles.field.closedOnHint")))
        }
        var owner = ""
        if let u = f.unitId.flatMap(UUID.init(uuidString:)), let unit = try await DirectoryQueries.unit(u, on: req.db) { owner = unit.name }
        if let o = f.organisationId.flatMap(UUID.init(uuidString:)), let org = try await DirectoryQueries.organisation(o, on: req.db) { owner = org.name }
        let formCtx = req.form(action: id.map { "/roles/\($0)/edit" } ?? "/roles", submitLabel: req.t("form.save"), fields: fields, errors: errors,
                               version: f.version, cancelHref: id.map { "/roles/\($0)" } ?? "/roles")
        return try await req.formPage(heading: id == nil ? req.t("roles.new") : req.t("roles.edit"), intro: owner.isEmpty ? nil : req.t("roles.ownerIntro", owner),
                                      form: formCtx, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        let unit = req.queryValue("unit"), org = req.queryValue("organisation")
        guard unit != nil || org != nil else { throw AppError.badRequest(code: "unitOrOrganisation", field: "unit") }
        return try await form(req, RoleForm(unitId: unit, organisationId: org), id: nil, errors: [])
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(RoleForm.self)
        do {
            let role = try await req.write { ctx in try await RoleService.saveRole(nil, f.body, in: ctx) }
            return req.redirect(to: "/roles/\(role.id!)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await form(req, f, id: nil, errors: $0) } }
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let r = try await RoleService.require(id, on: req.db)
        return try await form(req, RoleForm(title: r.title, description: r.description, unitId: r.unitID?.uuidString, organisationId: r.organisationID?.uuidString,
                                            email: r.email, phone: r.phone, closedOn: r.closedOn, grantsRole: r.grantsRole, version: r.version), id: id, errors: [])
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(RoleForm.self)
        do {
            _ = try await req.write { ctx in try await RoleService.saveRole(id, f.body, in: ctx) }
            return req.redirect(to: "/roles/\(id)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await form(req, f, id: id, errors: $0) } }
    }

    struct HandoverForm: Content {
        var holderName: String?
        var holderEmail: String?
        var startsOn: String?
        var handoverNote: String?
        var vacate: String?
        var body: HandoverBody {
            HandoverBody(holderName: holderName, holderEmail: holderEmail, startsOn: startsOn, handoverNote: handoverNote, userId: nil, vacate: vacate == "true")
        }
    }

    static func handoverPage(_ req: Request, id: UUID, _ f: HandoverForm, errors: [FieldError]) async throws -> Response {
        let role = try await RoleService.require(id, on: req.db)
        let current = try await RoleService.currentTenure(id, on: req.db)
        var fields = [
            FormField("holderName", label: req.t("roles.handover.name"), value: f.holderName, autocomplete: "name", maxLength: 200),
            FormField("holderEmail", label: req.t("roles.handover.email"), kind: .email, value: f.holderEmail, hint: req.t("roles.handover.emailHint"), maxLength: 254),
            FormField("startsOn", label: req.t("roles.handover.startsOn"), kind: .date, value: f.startsOn ?? LocalDate.today().description, required: true),
        ]
        if current != nil {
            fields.append(FormField("handoverNote", label: req.t("roles.handover.note"), kind: .textarea, value: f.handoverNote, hint: req.t("roles.handover.noteHint"), maxLength: 4000))
            fields.append(FormField("vacate", label: req.t("roles.handover.vacate"), kind: .checkbox, hint: req.t("roles.handover.vacateHint"), checked: f.vacate == "true"))
        }
        let intro = current.map { req.t("roles.handover.current", $0.holderName) } ?? req.t("roles.handover.none")
        let formCtx = req.form(action: "/roles/\(id)/handover", submitLabel: req.t("roles.handover.submit"), fields: fields, errors: errors, cancelHref: "/roles/\(id)")
        return try await req.formPage(heading: req.t("roles.handover.title", role.title), intro: intro, form: formCtx,
                                      back: Link(href: "/roles/\(id)", label: role.title), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func handoverForm(_ req: Request) async throws -> Response {
        try await handoverPage(req, id: try req.parameters.require("id", as: UUID.self), HandoverForm(), errors: [])
    }

    @Sendable static func handover(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(HandoverForm.self)
        do {
            _ = try await req.write { ctx in try await RoleService.handover(id, f.body, in: ctx) }
            return req.redirect(to: "/roles/\(id)", flash: req.t("roles.handover.done"))
        } catch { return try await rerender(req, error: error) { try await handoverPage(req, id: id, f, errors: $0) } }
    }
}
