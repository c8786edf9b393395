import Fluent
import Vapor
import SamverkaRules

/// Grants: programmes with eligibility rules and formulas, calls, applications, review with jäv, decisions,
/// payments (including the Kalmar model), reports, reclaims, the public register and 360Giving open data.
enum GrantsModule {
    static func register(site: Router, api: Router, app: Application) {
        GrantsAPIController.register(api)
        StateAidController.register(site: site, api: api)
        GrantPages.register(site)
        AccountHooks.personalData.register("grants", GrantsPersonalData.contributor)
        GrantNotifications.registerKinds()
        TaskService.providers.register("grants", GrantTasks.tasks)
        app.jobs.add(BackgroundJob("grant reminders", every: 3600) { app in try await GrantNotifications.remind(app) })
        app.navigation.add(ModuleNav(
            key: "grants", href: "/grants", labelKey: "nav.grants", prefixes: ["/grants"],
            items: [("/grants", "nav.grants.overview", false), ("/grants/applications", "nav.grants.applications", true),
                    ("/grants/reviews", "nav.grants.reviews", true), ("/grants/payments", "nav.grants.payments", true),
                    ("/grants/reports", "nav.grants.reports", true), ("/grants/register", "nav.grants.register", false)]))
    }
}
