import Fluent
import Vapor
import SamverkaRules

/// HTML pages for organisations: list and search, detail, create/edit, members, import.
enum OrganisationPages {
    static func register(_ site: Router) {
        let orgs = site.grouped("organisations")
        orgs.get(access: .anyone, use: list)
        orgs.get("export.csv", access: .anyone, use: { req in try await OrganisationExport.response(try OrganisationFilter.from(req), req, forPeople: true) })
        orgs.get("new", access: .permission(.organisationCreate), use: newForm)
        orgs.post(access: .permission(.organisationCreate), use: create)
        orgs.get("import", access: .permission(.organisationImport), use: importForm)
        orgs.post("import", access: .permission(.organisationImport), body: .collect(maxSize: "50mb"), use: importUpload)
        orgs.get("import", ":task", access: .permission(.organisationImport), use: importTaskPage)
        orgs.get("import", ":task", "progress", access: .permission(.organisationImport), use: importTaskProgress)
        orgs.get(":id", access: .anyone, use: show)
        orgs.get(":id", "edit", access: .scoped(.organisationEdit, OrganisationAPIController.scope), use: editForm)
        orgs.post(":id", "edit", access: .scoped(.organisationEdit, OrganisationAPIController.scope), use: update)
        orgs.get(":id", "members", access: .scoped(.organisationEdit, OrganisationAPIController.scope), use: membersForm)
        orgs.post(":id", "members", access: .scoped(.organisationEdit, OrganisationAPIController.scope), use: saveMembers)
        orgs.get(":id", "delete", access: .permission(.organisationDelete), use: deleteConfirm)
        orgs.post(":id", "delete", access: .permission(.organisationDelete), use: delete)
    }

    // MARK: List

    struct Row: Encodable, Sendable {
        var href: String
        var name: String
        var orgnr: String?
        var legalForm: String
        var level: String
        var place: String
    }

    struct ListPage: Encodable, Sendable {
        var filters: [FormField]
        var rows: [Row]
        var hasRows: Bool
        var pager: PagerContext
        var exportHref: String
        var canCreate: Bool
        var canImport: Bool
        var query: String
        var searched: Bool
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let filter = try OrganisationFilter.from(req)
        let page = try PageRequest.from(req, defaultPer: 25)
        let (dtos, total) = try await OrganisationQueries.searchDTOs(filter, page: page, on: req.db)
        let vocab = try await DirectoryVocabularyService.load(on: req.db)
        let rows = dtos.map { d in
            Row(href: "/organisations/\(d.id)", name: d.name, orgnr: d.orgnr, legalForm: req.label(LegalForm.self, d.legalForm),
                level: req.label(OrganisationLevel.self, d.level),
                place: d.municipalities.prefix(3).compactMap { vocab.municipalityNameByCode[$0] }.joined(separator: ", ") + (d.municipalities.count > 3 ? " …" : ""))
        }
        let filters: [FormField] = [
            FormField("q", label: req.t("org.filter.q"), kind: .text, value: filter.q, hint: req.t("org.filter.qHint"), maxLength: 200),
            FormField("area", label: req.t("org.field.areas"), kind: .select, value: filter.area,
                      options: [.init(value: "", label: req.t("filter.all"), selected: filter.area.isEmpty)] + req.areaOptions(vocab, selected: [filter.area])),
            FormField("county", label: req.t("filter.county"), kind: .select, options: try await req.countyOptions(on: req.db, selected: filter.county, emptyLabel: req.t("filter.all"))),
            FormField("municipality", label: req.t("filter.municipality"), kind: .select,
                      options: try await req.municipalityOptions(on: req.db, selected: filter.municipality.isEmpty ? [] : [filter.municipality], single: true, emptyLabel: req.t("filter.all"))),
            FormField("legalForm", label: req.t("org.field.legalForm"), kind: .select, options: req.options(LegalForm.self, selected: filter.legalForm, emptyLabel: req.t("filter.all"))),
            FormField("level", label: req.t("org.field.level"), kind: .select, options: req.options(OrganisationLevel.self, selected: filter.level, emptyLabel: req.t("filter.all"))),
        ]
        let meta = PageMetadata(page: page.page, per: page.per, total: total)
        let data = ListPage(
            filters: filters, rows: rows, hasRows: !rows.isEmpty,
            pager: PagerContext(meta, path: "/organisations", baseQuery: filter.queryPairs),
            exportHref: "/organisations/export.csv" + (filter.isEmpty ? "" : "?" + URLQuery.encode(filter.queryPairs)),
            canCreate: Policy.allows(req.principal, .organisationCreate), canImport: Policy.allows(req.principal, .organisationImport),
            query: filter.q, searched: !filter.isEmpty)
        return try await req.page("directory/organisations", title: req.t("org.list.title"), data)
    }

    // MARK: Detail

    struct DetailPage: Encodable, Sendable {
        var org: OrganisationDTO
        var legalForm: String
        var level: String
        var parent: Link?
        var children: [Link]
        var hasChildren: Bool
        var areas: [String]
        var hasAreas: Bool
        var municipalities: [String]
        var hasMunicipalities: Bool
        var members: [MemberRow]
        var hasMembers: Bool
        var roles: [RoleRow]
        var hasRoles: Bool
        var collaborations: [CollaborationRow]
        var hasCollaborations: Bool
        var canEdit: Bool
        var canDelete: Bool
        var canAddRole: Bool
        var canAddCollaboration: Bool
        var addressLine: String?
        var councils: String?
        var historyHref: String?
        var email: String?
        var phone: String?
        var website: String?
        var description: String?
    }

    struct MemberRow: Encodable, Sendable { var year: Int; var total: String; var young: String; var municipality: String }
    struct RoleRow: Encodable, Sendable { var href: String; var title: String; var holder: String?; var isOpen: Bool }
    struct CollaborationRow: Encodable, Sendable { var otherHref: String; var other: String; var context: String?; var form: String; var period: String; var description: String? }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard let facts = try await OrganisationQueries.pageFacts(id, childLimit: 200, on: req.db) else { throw AppError.notFound() }
        let dto = facts.organisation
        let vocab = try await DirectoryVocabularyService.load(on: req.db, counter: facts.referenceCounter)
        let children = facts.children.map { Link(href: "/organisations/\($0.id)", label: $0.name, note: req.label(OrganisationLevel.self, $0.level)) }
        let roles = facts.openRoles
        let links = facts.collaborations
        let address = [dto.address.street, [dto.address.postalCode, dto.address.city].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        let data = DetailPage(
            org: dto, legalForm: req.label(LegalForm.self, dto.legalForm), level: req.label(OrganisationLevel.self, dto.level),
            parent: dto.parentId.map { Link(href: "/organisations/\($0)", label: dto.parentName ?? "") },
            children: children, hasChildren: !children.isEmpty,
            areas: dto.areas.map { req.areaName($0, vocab) }, hasAreas: !dto.areas.isEmpty,
            municipalities: dto.municipalities.compactMap { vocab.municipalityNameByCode[$0] }, hasMunicipalities: !dto.municipalities.isEmpty,
            members: (dto.memberCounts ?? []).map { MemberRow(year: $0.year, total: NumberFormat.integer($0.total, req.language), young: $0.young.map { NumberFormat.integer($0, req.language) } ?? "–", municipality: $0.municipality.flatMap { vocab.municipalityNameByCode[$0] } ?? req.t("org.members.whole")) },
            hasMembers: !(dto.memberCounts ?? []).isEmpty,
            roles: roles.map { RoleRow(href: "/roles/\($0.id)", title: $0.title, holder: $0.holder, isOpen: $0.holder == nil) },
            hasRoles: !roles.isEmpty,
            collaborations: links.map { l in CollaborationRow(otherHref: "/units/\(l.unitId)", other: l.unitName ?? "", context: l.bodyName, form: req.label(CollaborationForm.self, l.form), period: period(l.startsOn, l.endsOn, req), description: l.description.isEmpty ? nil : l.description) },
            hasCollaborations: !links.isEmpty,
            canEdit: Policy.allows(req.principal, .organisationEdit, .organisation(id)),
            canDelete: Policy.allows(req.principal, .organisationDelete),
            canAddRole: Policy.allows(req.principal, .roleEdit, .organisation(id)),
            canAddCollaboration: Policy.allows(req.principal, .collaborationEdit),
            addressLine: address.isEmpty ? nil : address,
            councils: dto.councilMemberships.isEmpty ? nil : dto.councilMemberships.joined(separator: ", "),
            historyHref: Policy.allows(req.principal, .auditRead) ? "/admin/audit?entityType=organisation&entityId=\(id)" : nil,
            email: dto.email.nilIfEmpty, phone: dto.phone.nilIfEmpty, website: dto.website.nilIfEmpty, description: dto.description.nilIfEmpty)
        return req.page(title: dto.name) { OrganisationView.write(data, t: { req.t($0) }, into: &$0) }
    }

    static func period(_ start: String, _ end: String?, _ req: Request) -> String {
        let s = LocalDate(start)?.formatted(req.language.rawValue) ?? start
        guard let end else { return req.t("period.from", s) }
        return "\(s) – \(LocalDate(end)?.formatted(req.language.rawValue) ?? end)"
    }

    // MARK: Create / edit

    /// The form's field set. Parent is given by organisationsnummer (or id), which scales to a national register.
    struct FormBody: Content {
        var name: String?
        var orgnr: String?
        var legalForm: String?
        var level: String?
        var parent: String?
        var areas: [String]?
        var municipalities: [String]?
        var description: String?
        var street: String?
        var postalCode: String?
        var city: String?
        var email: String?
        var phone: String?
        var website: String?
        var foundedYear: String?
        var councilMemberships: String?
        var version: Int?
    }

    static func fields(_ input: OrganisationInput, parentText: String, _ req: Request) async throws -> [FormField] {
        let vocab = try await DirectoryVocabularyService.load(on: req.db)
        return [
            FormField("name", label: req.t("org.field.name"), value: input.name, required: true, autocomplete: "organization", maxLength: 200),
            FormField("orgnr", label: req.t("org.field.orgnr"), value: input.orgnr, hint: req.t("org.field.orgnrHint"), maxLength: 20),
            FormField("legalForm", label: req.t("org.field.legalForm"), kind: .select, required: true,
                      options: req.options(LegalForm.self, selected: input.legalForm, emptyLabel: req.t("form.choose"))),
            FormField("level", label: req.t("org.field.level"), kind: .select, required: true,
                      options: req.options(OrganisationLevel.self, selected: input.level, emptyLabel: req.t("form.choose"))),
            {
                // Typed as an organisation number; with JavaScript, names are suggested as you type.
                var f = FormField("parent", label: req.t("org.field.parent"), value: parentText, hint: req.t("org.field.parentHint"), maxLength: 40)
                f.suggest = "/api/v1/organisations?per=8&q="
                f.suggestValue = "orgnr"
                return f
            }(),
            FormField("areas[]", label: req.t("org.field.areas"), kind: .checkboxes, options: req.areaOptions(vocab, selected: input.areas)),
            FormField("municipalities[]", label: req.t("org.field.municipalities"), kind: .multiselect, hint: req.t("form.multiselectHint"),
                      options: try await req.municipalityOptions(on: req.db, selected: input.municipalities)),
            FormField("description", label: req.t("org.field.description"), kind: .textarea, value: input.description, maxLength: 5000),
            FormField("street", label: req.t("org.field.street"), value: input.street, autocomplete: "street-address", maxLength: 200),
            FormField("postalCode", label: req.t("org.field.postalCode"), value: input.postalCode, autocomplete: "postal-code", maxLength: 10),
            FormField("city", label: req.t("org.field.city"), value: input.city, autocomplete: "address-level2", maxLength: 100),
            FormField("email", label: req.t("org.field.email"), kind: .email, value: input.email, autocomplete: "email", maxLength: 254),
            FormField("phone", label: req.t("org.field.phone"), kind: .tel, value: input.phone, autocomplete: "tel", maxLength: 40),
            FormField("website", label: req.t("org.field.website"), kind: .url, value: input.website, autocomplete: "url", maxLength: 300),
            FormField("foundedYear", label: req.t("org.field.foundedYear"), kind: .number, value: input.foundedYear, maxLength: 4),
            FormField("councilMemberships", label: req.t("org.field.councils"), value: input.councilMemberships.joined(separator: ", "),
                      hint: req.t("org.field.councilsHint"), maxLength: 500),
        ]
    }

    /// Turns the form into service input; the parent text is an organisationsnummer or an id.
    static func input(from f: FormBody, _ req: Request) async throws -> (OrganisationInput, [FieldError]) {
        var parentID: String?
        var errors: [FieldError] = []
        if let p = f.parent?.trimmingCharacters(in: .whitespaces), !p.isEmpty {
            if let id = try await OrganisationService.resolve(idOrOrgnr: p, on: req.db) {
                parentID = id.uuidString
            } else {
                errors.append(FieldError(field: "parent", code: "parentNotFound").localized(req.application.localizer, req.language))
            }
        }
        let councils = (f.councilMemberships ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return (OrganisationInput(
            name: f.name, orgnr: f.orgnr, legalForm: f.legalForm, level: f.level, parentID: parentID, areas: f.areas ?? [],
            municipalities: f.municipalities ?? [], description: f.description, street: f.street, postalCode: f.postalCode,
            city: f.city, email: f.email, phone: f.phone, website: f.website, foundedYear: f.foundedYear,
            councilMemberships: councils, version: f.version), errors)
    }

    static func renderForm(_ req: Request, input: OrganisationInput, parentText: String, errors: [FieldError], id: UUID?) async throws -> Response {
        let mapped = errors.map { e -> FieldError in var e = e; if e.field == "parentId" { e.field = "parent" }; return e }
        let form = req.form(action: id.map { "/organisations/\($0)/edit" } ?? "/organisations", submitLabel: req.t("form.save"),
                            fields: try await fields(input, parentText: parentText, req), errors: mapped, version: input.version,
                            cancelHref: id.map { "/organisations/\($0)" } ?? "/organisations")
        return try await req.formPage(heading: id == nil ? req.t("org.new.title") : req.t("org.edit.title", input.name ?? ""),
                                      form: form, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func newForm(_ req: Request) async throws -> Response {
        try await renderForm(req, input: OrganisationInput(level: "local"), parentText: "", errors: [], id: nil)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let f = try req.decodeForm(FormBody.self)
        let (input, parentErrors) = try await input(from: f, req)
        do {
            if !parentErrors.isEmpty { throw AppError.invalid(parentErrors) }
            let org = try await req.write { ctx in try await OrganisationService.create(input, in: ctx) }
            return req.redirect(to: "/organisations/\(org.id!)", flash: req.t("org.created", org.name))
        } catch {
            return try await rerender(req, error: error) { errs in
                try await renderForm(req, input: input, parentText: f.parent ?? "", errors: errs, id: nil)
            }
        }
    }

    @Sendable static func editForm(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let org = try await OrganisationService.require(id, on: req.db)
        let input = try await OrganisationService.input(from: org, on: req.db)
        var parentText = ""
        if let pid = org.parentID, let p = try await OrganisationService.find(pid, on: req.db) { parentText = p.orgnr ?? pid.uuidString }
        return try await renderForm(req, input: input, parentText: parentText, errors: [], id: id)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let f = try req.decodeForm(FormBody.self)
        let (input, parentErrors) = try await input(from: f, req)
        do {
            if !parentErrors.isEmpty { throw AppError.invalid(parentErrors) }
            let org = try await req.write { ctx in try await OrganisationService.update(id, input, in: ctx) }
            return req.redirect(to: "/organisations/\(id)", flash: req.t("org.saved", org.name))
        } catch {
            return try await rerender(req, error: error) { errs in
                try await renderForm(req, input: input, parentText: f.parent ?? "", errors: errs, id: id)
            }
        }
    }

    // MARK: Members

    struct MembersBody: Content { var year: String?; var total: String?; var young: String?; var municipality: String? }

    static func membersFormPage(_ req: Request, id: UUID, body: MembersBody, errors: [FieldError]) async throws -> Response {
        let org = try await OrganisationService.require(id, on: req.db)
        let fields = [
            FormField("year", label: req.t("org.members.year"), kind: .number, value: body.year ?? String(LocalDate.today().year - 1), required: true, maxLength: 4),
            FormField("total", label: req.t("org.members.total"), kind: .number, value: body.total, required: true, maxLength: 9),
            FormField("young", label: req.t("org.members.young"), kind: .number, value: body.young, hint: req.t("org.members.youngHint"), maxLength: 9),
            FormField("municipality", label: req.t("org.members.municipality"), kind: .select, hint: req.t("org.members.municipalityHint"),
                      options: try await req.municipalityOptions(on: req.db, selected: (body.municipality ?? "").isEmpty ? [] : [body.municipality!], single: true, emptyLabel: req.t("org.members.whole"))),
        ]
        let form = req.form(action: "/organisations/\(id)/members", submitLabel: req.t("form.save"), fields: fields, errors: errors, cancelHref: "/organisations/\(id)")
        return try await req.formPage(heading: req.t("org.members.title", org.name), intro: req.t("org.members.intro"), form: form,
                                      back: Link(href: "/organisations/\(id)", label: org.name), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func membersForm(_ req: Request) async throws -> Response {
        try await membersFormPage(req, id: try req.parameters.require("id", as: UUID.self), body: MembersBody(), errors: [])
    }

    @Sendable static func saveMembers(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.decodeForm(MembersBody.self)
        do {
            // One year (and municipality) at a time from the form; other years stay as they are.
            let row = MemberCountInput(year: body.year, total: body.total, young: body.young, municipality: body.municipality)
            _ = try await req.write { ctx in try await OrganisationService.setMemberCountRow(id, row, in: ctx) }
            return req.redirect(to: "/organisations/\(id)", flash: req.t("org.members.saved"))
        } catch {
            return try await rerender(req, error: error) { errs in
                let mapped = errs.map { e -> FieldError in var e = e; e.field = e.field.replacingOccurrences(of: "memberCounts[0].", with: ""); return e }
                return try await membersFormPage(req, id: id, body: body, errors: mapped)
            }
        }
    }

    // MARK: Delete

    @Sendable static func deleteConfirm(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let org = try await OrganisationService.require(id, on: req.db)
        let form = req.form(action: "/organisations/\(id)/delete", submitLabel: req.t("org.delete.confirm"), fields: [], version: org.version, cancelHref: "/organisations/\(id)")
        return try await req.formPage(heading: req.t("org.delete.title", org.name), intro: req.t("org.delete.intro"), form: form)
    }

    struct DeleteBody: Content { var version: Int? }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let body = try req.decodeForm(DeleteBody.self)
        try await req.write { ctx in try await OrganisationService.delete(id, version: body.version, in: ctx) }
        return req.redirect(to: "/organisations", flash: req.t("org.deleted"))
    }

    // MARK: Import

    struct ImportPage: Encodable, Sendable {
        var form: FormContext?
        var report: ImportReport?
        var hasRejected: Bool
        var task: ImportTaskView?
    }

    /// An import running (or run) in the background, as its page shows it.
    struct ImportTaskView: Encodable, Sendable {
        var fileName: String
        var running: Bool
        var interrupted: Bool
        var failed: Bool
        var line: String
        var done: Int
        var max: Int
        var progressHref: String
        var pageHref: String
    }

    static let importKind = "organisation-import"

    static func importFormContext(_ req: Request, errors: [FieldError] = []) -> FormContext {
        req.form(action: "/organisations/import", submitLabel: req.t("import.submit"), fields: [
            FormField("file", label: req.t("import.file"), kind: .file, hint: req.t("import.fileHint"), required: true, accept: ".csv,text/csv"),
        ], errors: errors, multipart: true)
    }

    @Sendable static func importForm(_ req: Request) async throws -> Response {
        try await req.page("directory/import", title: req.t("import.title"), ImportPage(form: importFormContext(req), report: nil, hasRejected: false))
    }

    struct UploadBody: Content { var file: File? }

    /// Takes the file and starts the import in the background; the answer is the import's own page, which shows
    /// its progress and, when it ends, what was imported or every row that stopped it.
    @Sendable static func importUpload(_ req: Request) async throws -> Response {
        let body = try req.decodeForm(UploadBody.self)
        guard let file = body.file, file.data.readableBytes > 0 else {
            let form = importFormContext(req, errors: [FieldError(field: "file", code: "fileRequired").localized(req.application.localizer, req.language)])
            return try await req.page("directory/import", title: req.t("import.title"), ImportPage(form: form, report: nil, hasRejected: false), status: .unprocessableEntity)
        }
        guard let owner = req.principal.userID else { throw AppError.forbidden() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("samverka-import-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(buffer: file.data)) else {
            throw AppError(.internalServerError, "Filen kunde inte tas emot. Försök igen.")
        }
        let app = req.application, principal = req.principal, requestID = req.requestID, fileName = file.filename
        let id: UUID
        do {
            id = try await LongTasks.start(app, kind: importKind, title: fileName, owner: owner, total: CSVFile.dataLines(in: path)) { progress in
                defer { try? FileManager.default.removeItem(atPath: path) }
                do {
                    let report = try await app.db.write(as: principal, requestID: requestID) { ctx in
                        try await OrganisationImporter.run(try ByteSource.file(path), in: ctx, fileName: fileName, localizer: app.localizer, progress: progress)
                    }
                    return (.done, try reportJSON(report))
                } catch let r as ImportRejected {
                    return (.rejected, try reportJSON(r.report))
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return req.redirect(to: "/organisations/import/\(id)")
    }

    static func reportJSON(_ report: ImportReport) throws -> String {
        String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
    }

    /// The import named in the path, if it is the signed-in person's; anyone else is told there is none.
    static func importTask(_ req: Request) async throws -> (id: UUID, task: LongTask, state: LongTaskState) {
        let id = try req.parameters.require("task", as: UUID.self)
        guard let (task, state) = try await LongTasks.state(id, kind: importKind, owner: req.principal.userID, app: req.application, on: req.db) else {
            throw AppError.notFound()
        }
        return (id, task, state)
    }

    @Sendable static func importTaskPage(_ req: Request) async throws -> Response {
        let (id, task, state) = try await importTask(req)
        let report = state.finished ? try? JSONDecoder().decode(ImportReport.self, from: Data(state.result.utf8)) : nil
        let view = ImportTaskView(
            fileName: task.title, running: !state.finished, interrupted: state.phase == .interrupted, failed: state.phase == .failed,
            line: state.progress.line(lang: req.language.rawValue), done: state.done, max: Swift.max(1, state.total ?? state.done),
            progressHref: "/organisations/import/\(id)/progress", pageHref: "/organisations/import/\(id)")
        let status: HTTPStatus = state.phase == .rejected ? .unprocessableEntity : .ok
        return try await req.page("directory/import", title: req.t("import.title"),
                                  ImportPage(form: state.finished ? importFormContext(req) : nil, report: report,
                                             hasRejected: !(report?.rejected.isEmpty ?? true), task: view), status: status)
    }

    /// What the page's script asks every second while the import runs.
    struct ImportTaskProgress: Content {
        var phase: String
        var done: Int
        var total: Int?
        var line: String
        var finished: Bool
    }

    @Sendable static func importTaskProgress(_ req: Request) async throws -> ImportTaskProgress {
        let state = try await importTask(req).state
        return ImportTaskProgress(phase: state.phase.rawValue, done: state.done, total: state.total,
                                  line: state.progress.line(lang: req.language.rawValue), finished: state.finished)
    }
}

enum NumberFormat {
    /// 12 345 (Swedish, with a no-break space) or 12,345.
    static func integer(_ n: Int, _ lang: Language) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += lang == .en ? "," : "\u{00A0}" }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }
}
