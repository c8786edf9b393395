import Fluent
import Vapor
import SamverkaRules

/// Dialogue: councils and forums with seats and cadence, meetings with agenda, attendance and minutes, questions
/// and the feedback owed on them, consultations (remiss) and events (stormöte), with iCalendar feeds.
enum DialogueModule {
    static func register(site: Router, api: Router, app: Application) {
        DialogueAPIController.register(api)
        DialoguePages.register(site)
        // Grants' eligibility rule "represented in a council" reads the seats kept here.
        CouncilFacts.register("dialogue.seats") { org, day, db in try await ForumService.councilNames(organisationID: org, on: day, db: db) }
        AccountHooks.personalData.register("dialogue", DialoguePersonalData.contributor)
        TaskService.providers.register("dialogue", DialogueTasks.tasks)
        // A seat given to an e-mail address before its holder had an account is linked when the account is made.
        AccountHooks.accountCreated.register("dialogue.seats") { user, ctx in
            for seat in try await ForumSeat.query(on: ctx.db).filter(\.$holderEmail == user.email).filter(\.$userID == nil).filter(\.$contactRoleID == nil).all() {
                seat.userID = user.id
                try await seat.save(on: ctx.db)
                ctx.auditSummary("linkAccount", ForumSeat.auditEntityType, seat.id?.uuidString ?? "", [("userId", .string(user.id?.uuidString ?? ""))])
            }
        }
        // Retention: event registrations (names, e-mail, needs) are removed some time after the event.
        app.jobs.add(BackgroundJob("event registrations retention", every: 3600) { app in try await EventService.removeExpiredRegistrations(on: app.db) })
        // Feedback reminders to the owners of questions due within three days (each question once, claimed in the database).
        app.jobs.add(BackgroundJob("feedback reminders") { app in _ = try await QuestionService.sendReminders(app) })
        app.navigation.add(ModuleNav(
            key: "dialogue", href: "/forums", labelKey: "nav.dialogue", prefixes: ["/forums", "/meetings", "/questions", "/consultations", "/events", "/calendar"],
            items: [("/forums", "nav.dialogue.forums", false), ("/calendar", "nav.dialogue.calendar", true),
                    ("/questions", "nav.dialogue.questions", false), ("/consultations", "nav.dialogue.consultations", false),
                    ("/events", "nav.dialogue.events", false)]))
    }
}
