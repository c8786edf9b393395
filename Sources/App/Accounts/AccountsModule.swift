import Fluent
import NIOCore
import Vapor

/// Accounts: users, memberships, sessions, API tokens, invitations, password reset, audit browsing, GDPR.
enum AccountsModule {
    static func migrations() -> [any Migration] { [CreateAccounts()] }

    static func register(site: Router, api: Router, app: Application) {
        app.passwordPolicy = PasswordPolicy.load(from: app.directory.resourcesDirectory + "Security/common-passwords.txt")
        AccountService.registerHandoverHook()
        AuthPages.register(site)
        AccountPages.register(site)
        AdminPages.register(site)
        AccountsAPIController.register(api)
        app.navigation.add(ModuleNav(
            key: "accounts", href: "/account", labelKey: "nav.account", prefixes: ["/account", "/admin", "/invitations", "/privacy"],
            items: [("/account", "nav.account", true), ("/invitations/new", "nav.invite", true), ("/admin/users", "nav.users", true),
                    ("/admin/audit", "nav.audit", true), ("/privacy", "nav.privacy", false)]))
    }
}

/// Work every node does in the background: deliver queued mail, drop expired sessions and tokens, remind
/// owners of questions whose feedback is due.
/// Rows are claimed in the database, so several nodes can run this at once.
enum BackgroundJobs {
    final class Handle: LifecycleHandler, @unchecked Sendable {
        var task: RepeatedTask?
        func shutdown(_ application: Application) { task?.cancel() }
    }

    static func start(_ app: Application, every seconds: Int64 = 30) {
        let handle = Handle()
        let loop = app.eventLoopGroup.next()
        handle.task = loop.scheduleRepeatedAsyncTask(initialDelay: .seconds(2), delay: .seconds(seconds)) { _ in
            loop.makeFutureWithTask { await runOnce(app) }
        }
        app.lifecycle.use(handle)
    }

    static func runOnce(_ app: Application) async {
        await Outbox.deliverPending(app)
        do {
            try await UserSession.query(on: app.db).filter(\.$expiresAt < Date()).delete()
            try await APIToken.query(on: app.db).filter(\.$kind == "session").filter(\.$expiresAt < Date().addingTimeInterval(-86400)).delete()
            try await RateLimitHit.query(on: app.db).filter(\.$at < Date().addingTimeInterval(-86400)).delete()
        } catch {
            app.logger.warning("background cleanup failed", metadata: ["error": .string("\(error)")])
        }
        // Feedback reminders to the owners of questions due within three days (each question once, claimed in the database).
        do { _ = try await QuestionService.sendReminders(app) } catch {
            app.logger.warning("feedback reminders failed", metadata: ["error": .string("\(error)")])
        }
    }
}
