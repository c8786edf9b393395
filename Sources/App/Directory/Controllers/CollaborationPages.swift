import Fluent
import Vapor
import SamverkaRules

/// Recording collaboration and the collaboration map (a matrix of a body's units × organisations).
enum CollaborationPages {
    static func register(_ site: Router) {
        site.get("collaborations", "new", access: .permission(.collaborationEdit), use: newForm)
        site.post("collaborations", access: .permission(.collaborationEdit), use: create)
        site.post("collaborations", ":id", "delete", access: .permission(.collaborationEdit), use: delete)
    }

    struct FormBody: Content {
        var organisationId: String?
        var unitId: String?
        var form: String?
        var startsOn: String?
        var endsOn: String?
        var description: String?
        var body: CollaborationBody { CollaborationBody(organisationId: organisationId, unitId: unitId, form: form, startsOn: startsOn, endsOn: endsOn, description: description) }
    }

    static func page(_ req: Request, _ f: FormBody, errors: [FieldError]) async throws -> Response {
        var fields: [FormField] = []
        var intro: String?
        if let o = f.organisationId.flatMap(UUID.init(uuidString:)), let org = try await OrganisationService.find(o, on: req.db) {
            fields.append(FormField("organisationId", kind: .hidden, value: o.uuidString))
            intro = req.t("collab.introOrg", org.name)
            // The other side: units of the bodies the principal works in (or all, for admins).
            let bodyIDs = req.principal.isAdmin ? nil : req.principal.grants.compactMap(\.bodyID)
            let units = try await StructureService.unitDTOs(ofBodies: bodyIDs, limit: 1000, on: req.db)
            fields.append(FormField("unitId", label: req.t("collab.unit"), kind: .select, required: true,
                                    options: [.init(value: "", label: req.t("form.choose"))] + units.map { .init(value: $0.id.uuidString, label: "\($0.name) (\($0.bodyName ?? ""))", selected: f.unitId == $0.id.uuidString) }))
        } else if let u = f.unitId.flatMap(UUID.init(uuidString:)), let unit = try await DirectoryQueries.unit(u, on: req.db) {
            fields.append(FormField("unitId", kind: .hidden, value: u.uuidString))
            intro = req.t("collab.introUnit", unit.name)
            fields.append(FormField("organisationId", label: req.t("collab.organisation"), value: f.organisationId, hint: req.t("collab.organisationHint"), required: true, maxLength: 40))
        } else {
            throw AppError.badRequest(code: "unitOrOrganisation", field: "organisation")
        }
        fields += [
            FormField("form", label: req.t("collab.form"), kind: .select, required: true, options: req.options(CollaborationForm.self, selected: f.form, emptyLabel: req.t("form.choose"))),
            FormField("startsOn", label: req.t("collab.startsOn"), kind: .date, value: f.startsOn ?? LocalDate.today().description, required: true),
            FormField("endsOn", label: req.t("collab.endsOn"), kind: .date, value: f.endsOn, hint: req.t("collab.endsOnHint")),
            FormField("description", label: req.t("org.field.description"), kind: .textarea, value: f.description, maxLength: 2000),
        ]
        let back = f.organisationId.flatMap(UUID.init(uuidString:)).map { "/organisations/\($0)" } ?? f.unitId.map { "/units/\($0)" } ?? "/"
        let form = req.form(action: "/collaborations", submitLabel: req.t("form.save"), fields: fields, errors: errors, cancelHref: back)
        return try await req.formPage(heading: req.t("collab.new"), intro: intro, form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        try await page(req, FormBody(organisationId: req.queryValue("organisation"), unitId: req.queryValue("unit")), errors: [])
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        var f = try req.decodeForm(FormBody.self)
        // The organisation may be given by organisationsnummer on the unit's form.
        if let raw = f.organisationId, UUID(uuidString: raw) == nil, let org = try await OrganisationService.resolve(idOrOrgnr: raw, on: req.db) {
            f.organisationId = org.uuidString
        }
        let form = f
        do {
            let link = try await req.write { ctx in try await CollaborationService.save(nil, form.body, in: ctx) }
            return req.redirect(to: "/organisations/\(link.organisationID)", flash: req.t("saved"))
        } catch { return try await rerender(req, error: error) { try await page(req, form, errors: $0) } }
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let orgID = try await req.write { ctx in try await CollaborationService.delete(id, in: ctx) }
        return req.redirect(to: "/organisations/\(orgID)", flash: req.t("deleted"))
    }

    struct MatrixCell: Encodable, Sendable { var text: String; var filled: Bool }
    struct MatrixRow: Encodable, Sendable { var href: String; var name: String; var cells: [MatrixCell] }
    struct MatrixPage: Encodable, Sendable {
        var bodyName: String
        var bodyHref: String
        var columns: [Link]
        var rows: [MatrixRow]
        var hasRows: Bool
        var date: String
    }

    @Sendable static func matrix(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try await StructureService.requireBody(id, on: req.db)
        let today = LocalDate.today()
        let m = try await CollaborationService.matrix(bodyID: id, on: today, db: req.db)
        let rows = m.organisations.map { org in
            MatrixRow(href: "/organisations/\(org.id)", name: org.name, cells: m.units.map { unit in
                let forms = m.cells[unit.id]?[org.id] ?? []
                return MatrixCell(text: forms.map { req.label($0) }.joined(separator: ", "), filled: !forms.isEmpty)
            })
        }
        let data = MatrixPage(bodyName: body.name, bodyHref: "/bodies/\(id)", columns: m.units.map { Link(href: "/units/\($0.id)", label: $0.name) },
                              rows: rows, hasRows: !rows.isEmpty, date: today.formatted(req.language.rawValue))
        return try await req.page("directory/collaboration", title: req.t("collab.matrixTitle", body.name), data)
    }
}
