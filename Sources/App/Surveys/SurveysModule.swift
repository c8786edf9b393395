import Fluent
import Vapor
import SamverkaRules

/// Surveys and the national overview: mapping surveys built in the browser (or from the ready template), sent with
/// personal links, answered or imported, counted "N of M" per respondent group; and the table of all 21 regions per
/// year, from the records of Agreements, Partnerships, Dialogue and Grants or from what regions reported.
enum SurveysModule {
    static func register(site: Router, api: Router, app: Application) {
        SurveyAPIController.register(api)
        OverviewAPIController.register(api)
        SurveyPages.register(site)
        OverviewPages.register(site)
        app.navigation.add(ModuleNav(
            key: "surveys", href: "/overview", labelKey: "nav.overview", prefixes: ["/overview", "/surveys"],
            items: [("/overview", "nav.overview.table", false), ("/surveys", "nav.surveys", false)]))
    }
}
