import Fluent
import Vapor

/// Dialogue: councils and forums with seats and cadence, meetings with agenda, attendance and minutes, questions
/// and the feedback owed on them, consultations (remiss) and events (stormöte), with iCalendar feeds.
enum DialogueModule {
    static func migrations() -> [any Migration] { [CreateDialogue()] }

    static func register(site: Router, api: Router, app: Application) {
        DialogueAPIController.register(api)
        DialoguePages.register(site)
        app.navigation.add(ModuleNav(
            key: "dialogue", href: "/forums", labelKey: "nav.dialogue", prefixes: ["/forums", "/meetings", "/questions", "/consultations", "/events", "/calendar"],
            items: [("/forums", "nav.dialogue.forums", false), ("/calendar", "nav.dialogue.calendar", true),
                    ("/questions", "nav.dialogue.questions", false), ("/consultations", "nav.dialogue.consultations", false),
                    ("/events", "nav.dialogue.events", false)]))
    }
}
