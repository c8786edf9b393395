import Fluent
import Vapor
import SamverkaRules

/// Agreements: the överenskommelse between public bodies and civil society, with versions, principles, signatories,
/// governance forums, action plans, follow-up reports and the principle dashboard.
enum AgreementsModule {
    static func register(site: Router, api: Router, app: Application) {
        AgreementAPIController.register(api)
        AgreementPages.register(site)
        // A steering group's organisation seats must be held by signatories (e.g. RÖS-gruppen: 5 + 5).
        ForumHooks.compositionChecks.register("agreements.signatories") { forumID, orgs, day, db in
            try await AgreementService.unsignedSeatWarnings(forumID: forumID, seatOrganisations: orgs, on: day, db: db)
        }
        TaskService.providers.register("agreements", AgreementTasks.tasks)
        app.navigation.add(ModuleNav(
            key: "agreements", href: "/agreements", labelKey: "nav.agreements",
            prefixes: ["/agreements", "/agreement-versions", "/agreement-reports", "/agreement-signatories", "/action-plans", "/plan-activities"],
            items: []))
    }
}
