import Fluent
import Vapor
import SamverkaRules

/// The Directory: organisations, public bodies, units, contact roles, reference data, search, density,
/// collaboration. Registers its migrations, routes, schemas and navigation.
enum DirectoryModule {
    static func register(site: Router, api: Router, app: Application) {
        DirectorySchemas.register(api.registry.schemas)
        OrganisationAPIController.register(api)
        StructureAPIController.register(api)
        SitePages.register(site)
        OrganisationPages.register(site)
        StructurePages.register(site)
        RolePages.register(site)
        CollaborationPages.register(site)
        DensityPages.register(site)
        // Retention: a former holder's e-mail address is removed once the handover is done (the name stays in the history).
        app.jobs.add(BackgroundJob("former role holders' e-mail", every: 3600) { app in
            let today = LocalDate.today().description
            try await RoleTenure.query(on: app.db).filter(\.$endsOn < today).filter(\.$holderEmail != "").set(\.$holderEmail, to: "").update()
        })
        app.navigation.add(ModuleNav(
            key: "directory", href: "/organisations", labelKey: "nav.directory",
            prefixes: ["/organisations", "/bodies", "/units", "/roles", "/density", "/collaborations", "/search", "/population"],
            items: [("/organisations", "nav.organisations", false), ("/bodies", "nav.bodies", false), ("/roles", "nav.roles", false),
                    ("/density", "nav.density", false), ("/search", "nav.search", false)]))
    }
}
