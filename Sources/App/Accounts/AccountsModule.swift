import Fluent
import NIOCore
import Vapor
import SamverkaRules

/// Accounts: users, memberships, sessions, API tokens, invitations, password reset, audit browsing, GDPR.
enum AccountsModule {
    static func register(site: Router, api: Router, app: Application) {
        app.passwordPolicy = PasswordPolicy.load(from: app.directory.resourcesDirectory + "Security/common-passwords.txt")
        AccountService.registerHandoverHook()
        AccountService.registerAccountHooks()
        app.jobs.add(BackgroundJob("expired sessions and tokens") { app in
            try await UserSession.query(on: app.db).filter(\.$expiresAt < Date()).delete()
            try await APIToken.query(on: app.db).filter(\.$kind == "session").filter(\.$expiresAt < Date().addingTimeInterval(-86400)).delete()
            try await RateLimitHit.query(on: app.db).filter(\.$at < Date().addingTimeInterval(-86400)).delete()
        })
        // Notifications are mailed on every tick by whichever node claims them first.
        app.jobs.add(BackgroundJob("notifications") { app in try await NotificationService.dispatch(app) })
        AuthPages.register(site)
        TaskPages.register(site: site, api: api)
        AccountHooks.personalData.register("notifications", NotificationService.personalData)
        AccountPages.register(site)
        AdminPages.register(site)
        AccountsAPIController.register(api)
        app.navigation.add(ModuleNav(
            key: "accounts", href: "/account", labelKey: "nav.account", prefixes: ["/account", "/admin", "/invitations", "/privacy"],
            items: [("/account", "nav.account", true), ("/invitations/new", "nav.invite", true), ("/admin/users", "nav.users", true),
                    ("/admin/audit", "nav.audit", true), ("/privacy", "nav.privacy", false)]))
    }
}

