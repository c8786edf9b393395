import Fluent
import Vapor
import SamverkaRules

/// Start page, search across the Directory, and the statutory pages.
enum SitePages {
    static func register(_ site: Router) {
        site.get(access: .anyone, use: home)
        site.get("search", access: .anyone, use: search)
        site.get("accessibility", access: .anyone, use: { req in try await req.page("accessibility", title: req.t("a11y.title"), Empty()) })
    }

    struct Empty: Encodable, Sendable {}

    struct HomePage: Encodable, Sendable {
        var organisations: Int
        var bodies: Int
        var units: Int
        var openRoles: Int
    }

    @Sendable static func home(_ req: Request) async throws -> Response {
        let counts = try await ReferenceDataService.registerCounts(on: req.db)
        let data = HomePage(organisations: counts.organisations, bodies: counts.bodies, units: counts.units,
                            openRoles: try await RoleService.vacantCount(on: req.db))
        return try await req.page("home", title: req.t("home.title"), data)
    }

    struct Hit: Encodable, Sendable { var href: String; var title: String; var detail: String?; var note: String? }
    struct SearchPage: Encodable, Sendable {
        var q: String
        var searched: Bool
        var organisations: [Hit]
        var hasOrganisations: Bool
        var orgTotal: Int
        var moreHref: String
        var bodies: [Hit]
        var hasBodies: Bool
        var units: [Hit]
        var hasUnits: Bool
        var roles: [Hit]
        var hasRoles: Bool
        var nothing: Bool
    }

    @Sendable static func search(_ req: Request) async throws -> Response {
        let q = String((req.queryValue("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        var data = SearchPage(q: q, searched: !q.isEmpty, organisations: [], hasOrganisations: false, orgTotal: 0,
                              moreHref: "/organisations?" + URLQuery.encode([("q", q)]), bodies: [], hasBodies: false, units: [], hasUnits: false, roles: [], hasRoles: false, nothing: false)
        if !q.isEmpty {
            let r = try await DirectorySearch.all(q, limit: 10, on: req.db)
            let vocab = try await DirectoryVocabularyService.load(on: req.db)
            data.organisations = r.organisations.map { o in
                Hit(href: "/organisations/\(o.id)", title: o.name,
                    detail: o.areas.map { req.areaName($0, vocab) }.joined(separator: ", ").nilIfEmpty,
                    note: o.municipalities.prefix(3).compactMap { vocab.municipalityNameByCode[$0] }.joined(separator: ", ").nilIfEmpty)
            }
            data.orgTotal = r.orgTotal
            data.bodies = r.bodies.compactMap { b in
                b.id.map { Hit(href: "/bodies/\($0)", title: b.name, detail: b.description.nilIfEmpty.map { String($0.prefix(200)) },
                               note: req.t("bodyKind.\(b.kind.rawValue)")) }
            }
            data.hasBodies = !data.bodies.isEmpty
            let units = try await StructureService.unitDTOs(r.units, on: req.db)
            data.units = units.map { u in Hit(href: "/units/\(u.id)", title: u.name, detail: u.responsibilities.nilIfEmpty.map { String($0.prefix(200)) }, note: u.bodyName) }
            let roles = try await RoleService.dtos(r.roles, withHistory: false, on: req.db)
            data.roles = roles.map { r in Hit(href: "/roles/\(r.id)", title: r.title, detail: r.ownerName, note: r.isOpen ? req.t("roles.open") : r.currentHolder?.holderName) }
            data.hasOrganisations = !data.organisations.isEmpty
            data.hasUnits = !data.units.isEmpty
            data.hasRoles = !data.roles.isEmpty
            data.nothing = !(data.hasOrganisations || data.hasBodies || data.hasUnits || data.hasRoles)
        }
        return try await req.page("directory/search", title: q.isEmpty ? req.t("search.title") : req.t("search.titleFor", q), data)
    }
}
