import Fluent
import Vapor
import SamverkaRules

/// Agreements: the överenskommelse between public bodies and civil society, with versions, principles, signatories,
/// governance forums, action plans, follow-up reports and the principle dashboard.
enum AgreementsModule {
    static func register(site: Router, api: Router, app: Application) {
        AgreementAPIController.register(api)
        AgreementPages.register(site)
        app.navigation.add(ModuleNav(
            key: "agreements", href: "/agreements", labelKey: "nav.agreements",
            prefixes: ["/agreements", "/agreement-versions", "/agreement-reports", "/agreement-signatories", "/action-plans", "/plan-activities"],
            items: []))
    }
}
