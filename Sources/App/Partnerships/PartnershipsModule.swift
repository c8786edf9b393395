import Fluent
import Vapor
import SamverkaRules

/// Partnerships: idéburna offentliga partnerskap (IOP) through a pipeline with the legal assessment on the record,
/// the guide "IOP, bidrag eller upphandling?", and the register of reserved procurements.
enum PartnershipsModule {
    static func register(site: Router, api: Router, app: Application) {
        PartnershipAPIController.register(api)
        PartnershipPages.register(site)
        // IOP contributions assessed as de minimis join the organisation's state aid register (kept by Grants).
        StateAidHooks.sources.register("partnerships") { org, db in try await PartnershipService.stateAid(organisationID: org, on: db) }
        TaskService.providers.register("partnerships", PartnershipTasks.tasks)
        app.navigation.add(ModuleNav(
            key: "partnerships", href: "/partnerships", labelKey: "nav.partnerships", prefixes: ["/partnerships", "/reserved-procurements"],
            items: [("/partnerships", "nav.partnerships.iop", false), ("/partnerships/guide", "nav.partnerships.guide", false),
                    ("/reserved-procurements", "nav.partnerships.procurements", false)]))
    }
}
