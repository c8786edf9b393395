import Fluent
import Vapor
import SamverkaRules

/// Administration: users and their memberships, the audit log, and the personal-data register.
enum AdminPages {
    static func register(_ site: Router) {
        let admin = site.grouped("admin")
        admin.get("users", access: .permission(.userManage), use: users)
        admin.get("users", ":id", access: .permission(.userManage), use: user)
        admin.post("users", ":id", "memberships", access: .permission(.userManage), use: addMembership)
        admin.post("users", ":id", "memberships", ":mid", "delete", access: .permission(.userManage), use: removeMembership)
        admin.post("users", ":id", "status", access: .permission(.userManage), use: setStatus)
        admin.post("users", ":id", "erase", access: .permission(.userManage), use: erase)
        admin.get("audit", access: .permission(.auditRead), use: audit)
        site.get("privacy", access: .anyone, use: privacy)
    }

    struct UserRow: Encodable, Sendable { var href: String; var name: String; var email: String; var status: String; var roles: String }
    struct UsersPage: Encodable, Sendable { var rows: [UserRow]; var q: String; var pager: PagerContext }

    @Sendable static func users(_ req: Request) async throws -> Response {
        let q = (req.queryValue("q") ?? "").trimmingCharacters(in: .whitespaces)
        let page = try PageRequest.from(req, defaultPer: 50)
        let (total, users) = try await AccountService.search(q, page: page, on: req.db)
        var rows: [UserRow] = []
        for u in users {
            let roles = try await AccountService.memberships(of: u.id!, on: req.db).map { req.t("role.\($0.role.rawValue)") }
            rows.append(UserRow(href: "/admin/users/\(u.id!)", name: u.displayName, email: u.email, status: req.t("userStatus.\(u.status.rawValue)"),
                                roles: Array(Set(roles)).sorted().joined(separator: ", ")))
        }
        return try await req.page("accounts/users", title: req.t("admin.users"), UsersPage(rows: rows, q: q,
                                  pager: PagerContext(PageMetadata(page: page.page, per: page.per, total: total), path: "/admin/users", baseQuery: [("q", q)])))
    }

    struct MembershipRow: Encodable, Sendable { var id: UUID; var role: String; var scope: String; var via: String? }
    struct UserPage: Encodable, Sendable {
        var id: UUID
        var name: String
        var email: String
        var status: String
        var isActive: Bool
        var isErased: Bool
        var memberships: [MembershipRow]
        var form: FormContext
        var csrf: String
        var historyHref: String
    }

    static func userPage(_ req: Request, id: UUID, errors: [FieldError] = []) async throws -> Response {
        let u = try await AccountService.requireUser(id, on: req.db)
        var rows: [MembershipRow] = []
        for m in try await AccountService.memberships(of: id, on: req.db) {
            rows.append(MembershipRow(id: m.id!, role: req.t("role.\(m.role.rawValue)"), scope: try await AccountPages.scopeText(m, req),
                                      via: try await m.viaRoleID.asyncFlatMap { try await DirectoryQueries.role($0, on: req.db)?.title }))
        }
        let bodies = try await DirectoryQueries.allBodies(on: req.db)
        let form = req.form(action: "/admin/users/\(id)/memberships", submitLabel: req.t("admin.addMembership"), fields: [
            FormField("role", label: req.t("account.role"), kind: .select, required: true,
                      options: [.init(value: "", label: req.t("form.choose"))] + Role.allCases.map { .init(value: $0.rawValue, label: req.t("role.\($0.rawValue)")) }),
            FormField("bodyId", label: req.t("account.body"), kind: .select,
                      options: [.init(value: "", label: req.t("form.none"))] + bodies.map { .init(value: $0.id.uuidString, label: $0.name) }),
            FormField("organisation", label: req.t("account.organisation"), hint: req.t("account.organisationHint"), maxLength: 40),
        ], errors: errors)
        let data = UserPage(id: id, name: u.displayName, email: u.email, status: req.t("userStatus.\(u.status.rawValue)"), isActive: u.status == .active,
                            isErased: u.status == .erased, memberships: rows, form: form, csrf: req.csrfToken,
                            historyHref: "/admin/audit?entityType=user&entityId=\(id)")
        return try await req.page("accounts/user", title: u.displayName, data, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable static func user(_ req: Request) async throws -> Response { try await userPage(req, id: try req.parameters.require("id", as: UUID.self)) }

    struct MembershipBody: Content { var role: String?; var bodyId: String?; var organisation: String? }

    @Sendable static func addMembership(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.decodeForm(MembershipBody.self)
        do {
            guard let role = Role(rawValue: b.role ?? "") else { throw AppError.invalid(field: "role", code: "required") }
            var orgID: UUID?
            if let raw = b.organisation?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                if let u = UUID(uuidString: raw) { orgID = u }
                else if case .success(let n) = OrganisationNumber.parse(raw), let org = try await DirectoryQueries.organisation(orgnr: n.normalized, on: req.db) { orgID = org.id }
                else { throw AppError.invalid(field: "organisation", code: "parentNotFound") }
            }
            let bodyID = b.bodyId.flatMap { UUID(uuidString: $0) }
            let organisationID = orgID
            _ = try await req.write { ctx in
                _ = try await AccountService.requireUser(id, on: ctx.db)
                return try await AccountService.addMembership(userID: id, role: role, bodyID: bodyID, organisationID: organisationID, in: ctx)
            }
            return req.redirect(to: "/admin/users/\(id)", flash: req.t("saved"))
        } catch {
            return try await rerender(req, error: error) { errs in
                try await userPage(req, id: id, errors: errs.map { e in var e = e; if e.field == "organisationId" { e.field = "organisation" }; return e })
            }
        }
    }

    @Sendable static func removeMembership(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let mid = try req.parameters.require("mid", as: UUID.self)
        try await req.write { ctx in try await AccountService.removeMembership(mid, ofUser: id, in: ctx) }
        return req.redirect(to: "/admin/users/\(id)", flash: req.t("saved"))
    }

    struct StatusBody: Content { var status: String? }

    @Sendable static func setStatus(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        let b = try req.decodeForm(StatusBody.self)
        guard let status = User.Status(rawValue: b.status ?? ""), status == .active || status == .disabled else {
            throw AppError.badRequest(code: "unknownStatus", field: "status")
        }
        guard id != req.principal.userID else { throw AppError(.conflict, "Du kan inte stänga av ditt eget konto.") }
        try await req.write { ctx in try await AccountService.setStatus(userID: id, to: status, in: ctx) }
        return req.redirect(to: "/admin/users/\(id)", flash: req.t("saved"))
    }

    @Sendable static func erase(_ req: Request) async throws -> Response {
        let id = try req.parameters.require("id", as: UUID.self)
        guard id != req.principal.userID else { throw AppError(.conflict, "Radera ditt eget konto från kontosidan.") }
        try await req.write { ctx in try await GDPRService.erase(userID: id, in: ctx) }
        return req.redirect(to: "/admin/users/\(id)", flash: req.t("account.erase.doneAdmin"))
    }

    // MARK: Audit log

    struct ChangeRow: Encodable, Sendable { var field: String; var before: String; var after: String }
    struct EventRow: Encodable, Sendable {
        var seq: Int
        var at: String
        var actor: String
        var action: String
        var entity: String
        var entityHref: String?
        var changes: [ChangeRow]
        var hasChanges: Bool
        var requestID: String
    }
    struct AuditPage: Encodable, Sendable { var filters: [FormField]; var rows: [EventRow]; var hasRows: Bool; var pager: PagerContext; var verify: String?; var verifyHref: String }

    static func auditFilter(_ req: Request) -> AuditLogService.Filter {
        func q(_ k: String) -> String { String((req.queryValue(k) ?? "").trimmingCharacters(in: .whitespaces).prefix(100)) }
        return AuditLogService.Filter(entityType: q("entityType"), entityID: q("entityId"), action: q("action"), actor: q("actor"), from: q("from"), to: q("to"))
    }

    static func changeRows(_ json: String) -> [ChangeRow] {
        guard let v = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), case .object(let pairs) = v else { return [] }
        func text(_ j: JSONValue?) -> String {
            switch j {
            case .string(let s)?: return s
            case .int(let i)?: return String(i)
            case .double(let d)?: return String(d)
            case .bool(let b)?: return b ? "ja" : "nej"
            case .null?, nil: return "–"
            case let other?: return other.serialized()
            }
        }
        return pairs.map { (k, v) in
            if case .object = v { return ChangeRow(field: k, before: text(v["before"]), after: text(v["after"])) }
            return ChangeRow(field: k, before: "", after: text(v))
        }
    }

    @Sendable static func audit(_ req: Request) async throws -> Response {
        let f = auditFilter(req)
        let page = try PageRequest.from(req, defaultPer: 50)
        let found = try await AuditLogService.search(f, page: page, on: req.db)
        let (total, names) = (found.total, found.names)
        let rows = found.events.map { e in
            EventRow(seq: e.seq, at: e.occurredAt.replacingOccurrences(of: "T", with: " ").prefix(19).description,
                     actor: e.actorUserID.flatMap { names[$0] } ?? (e.actorLabel.isEmpty ? e.actorKind : "\(e.actorKind): \(e.actorLabel)"),
                     action: e.action, entity: "\(e.entityType) \(e.entityID.prefix(8))",
                     entityHref: e.entityID.isEmpty ? nil : "/admin/audit?entityType=\(e.entityType)&entityId=\(e.entityID)",
                     changes: changeRows(e.changes), hasChanges: e.changes != "{}", requestID: e.requestID)
        }
        let filters = [
            FormField("entityType", label: req.t("audit.entityType"), value: f.entityType, maxLength: 100),
            FormField("entityId", label: req.t("audit.entityId"), value: f.entityID, maxLength: 100),
            FormField("action", label: req.t("audit.action"), value: f.action, maxLength: 100),
            FormField("actor", label: req.t("audit.actor"), value: f.actor, hint: req.t("audit.actorHint"), maxLength: 100),
            FormField("from", label: req.t("audit.from"), kind: .date, value: f.from),
            FormField("to", label: req.t("audit.to"), kind: .date, value: f.to),
        ]
        // Verifying walks the whole chain, so it runs only when asked for.
        var verify: String?
        if req.queryValue("verify") == "1" {
            let v = try await AuditChain.verify(on: req.db)
            verify = v.ok ? req.t("audit.chainOk", String(v.checked)) : req.t("audit.chainBroken", String(v.brokenAt ?? 0), v.problem ?? "")
        }
        return try await req.page("accounts/audit", title: req.t("audit.title"), AuditPage(
            filters: filters, rows: rows, hasRows: !rows.isEmpty,
            pager: PagerContext(PageMetadata(page: page.page, per: page.per, total: total), path: "/admin/audit", baseQuery: f.pairs), verify: verify,
            verifyHref: "/admin/audit?" + URLQuery.encode(f.pairs + [("verify", "1")])))
    }

    struct PrivacyPage: Encodable, Sendable { var entries: [PersonalDataRegister.Entry] }

    @Sendable static func privacy(_ req: Request) async throws -> Response {
        try await req.page("accounts/privacy", title: req.t("privacy.title"), PrivacyPage(entries: PersonalDataRegister.all(for: req)))
    }
}
