import Fluent
import Vapor
import SamverkaRules

/// "Att göra" (the first page after sign-in), the notification list and the delivery choices, as pages and API.
enum TaskPages {
    static func register(site: Router, api: Router) {
        site.get("tasks", access: .signedIn, use: tasksPage)
        site.get("notifications", access: .signedIn, use: notificationsPage)
        site.post("notifications", ":id", "read", access: .signedIn, use: markRead)
        site.post("notifications", "read-all", access: .signedIn, use: markAllRead)
        site.post("account", "notifications", access: .permission(.accountSelf), use: savePreferences)

        let s = api.registry.schemas
        let tag = AccountsAPIController.tag
        s.register("Task", .object([("kind", .string()), ("title", .string()), ("href", .string()), ("context", .nullable(.string())),
                                    ("due", .nullable(.date)), ("overdue", .boolean), ("count", .nullable(.integer(minimum: 1)))], required: ["kind", "title", "href", "overdue"]))
        s.register("TaskList", .object([("items", .array(.ref("Task"))), ("counts", .object([], additional: true)), ("total", .integer(minimum: 0))],
                                       required: ["items", "counts", "total"]))
        s.register("Notification", .object([("id", .uuid), ("kind", .string()), ("subject", .string()), ("body", .string()), ("link", .string()),
                                            ("createdAt", .dateTime), ("read", .boolean)], required: ["id", "kind", "subject", "body", "link", "createdAt", "read"]))
        s.register("NotificationPreference", .object([("kind", .string()), ("mode", .oneOf(DeliveryMode.allCases.map(\.rawValue))),
                                                      ("default", .oneOf(DeliveryMode.allCases.map(\.rawValue)))], required: ["kind", "mode"]))
        api.get("me", "tasks", access: .signedIn, api: APIOperation("What waits for the signed-in user across modules, with counts per kind", tag: tag,
                response: .ref("TaskList")), use: tasksJSON)
        api.get("me", "notifications", access: .signedIn, api: APIOperation("The signed-in user's notifications, newest first", tag: tag,
                query: [APIParameter("unread", .boolean, "Bara olästa.")] + PagingParameters.all, response: .page(of: .ref("Notification"))), use: notificationsJSON)
        api.post("me", "notifications", ":id", "read", access: .signedIn, api: APIOperation("Mark a notification read", tag: tag, status: 204), use: { req async throws -> HTTPStatus in
            guard let uid = req.principal.userID else { throw AppError.forbidden() }
            try await NotificationService.markRead(try req.parameters.require("id", as: UUID.self), userID: uid, on: req.db)
            return .noContent
        })
        api.get("me", "notification-preferences", access: .permission(.accountSelf), api: APIOperation("How each kind of notification is delivered to the user", tag: tag,
                response: .array(.ref("NotificationPreference"))), use: preferencesJSON)
        api.put("me", "notification-preferences", access: .permission(.accountSelf), api: APIOperation("Choose delivery per kind: now, digest or none", tag: tag,
                body: .array(.ref("NotificationPreference")), response: .array(.ref("NotificationPreference"))), use: putPreferences)
    }

    // MARK: Tasks

    struct TaskList: Content { var items: [TaskItem]; var counts: [String: Int]; var total: Int }

    @Sendable static func tasksJSON(_ req: Request) async throws -> TaskList {
        let items = try await TaskService.tasks(for: req.principal, on: req.db)
        return TaskList(items: items, counts: Dictionary(grouping: items, by: \.kind).mapValues(\.count), total: items.count)
    }

    struct TaskRow: Encodable, Sendable { var title: String; var href: String; var context: String?; var due: String?; var overdue: Bool }
    struct TaskGroup: Encodable, Sendable { var kind: String; var heading: String; var count: Int; var items: [TaskRow] }
    struct TasksPage: Encodable, Sendable {
        var groups: [TaskGroup]
        var hasGroups: Bool
        var total: Int
        var unread: Int
        var hasUnread: Bool
    }

    @Sendable static func tasksPage(_ req: Request) async throws -> Response {
        let items = try await TaskService.tasks(for: req.principal, on: req.db)
        var groups: [TaskGroup] = []
        for item in items {
            let counted = item.count.map { req.t("tasks.count.\(item.kind).\($0 == 1 ? "one" : "other")", String($0)) }
            let row = TaskRow(title: item.title, href: item.href, context: [item.context, counted].compactMap { $0 }.joined(separator: ", ").nilIfEmpty,
                              due: item.due.map { $0.formatted(req.language.rawValue) }, overdue: item.overdue)
            if let last = groups.indices.last, groups[last].kind == item.kind {
                groups[last].items.append(row)
                groups[last].count += 1
            } else {
                groups.append(TaskGroup(kind: item.kind, heading: req.t("tasks.kind.\(item.kind)"), count: 1, items: [row]))
            }
        }
        let unread = try await req.principal.userID.asyncMap { try await NotificationService.unreadCount(userID: $0, on: req.db) } ?? 0
        return try await req.page("accounts/tasks", title: req.t("tasks.title"),
                                  TasksPage(groups: groups, hasGroups: !groups.isEmpty, total: items.count, unread: unread, hasUnread: unread > 0))
    }

    // MARK: Notifications

    struct NotificationJSON: Content { var id: UUID; var kind: String; var subject: String; var body: String; var link: String; var createdAt: Date; var read: Bool }

    static func json(_ n: UserNotification, _ req: Request) -> NotificationJSON {
        let l = req.application.localizer
        return NotificationJSON(id: n.id ?? UUID(), kind: n.kind, subject: NotificationService.subject(n, req.language, l),
                                body: NotificationService.body(n, req.language, l), link: n.link, createdAt: n.createdAt, read: n.readAt != nil)
    }

    @Sendable static func notificationsJSON(_ req: Request) async throws -> Paged<NotificationJSON> {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        let page = try PageRequest.from(req)
        let unread = try req.flag("unread")
        let r = try await NotificationService.list(userID: uid, unreadOnly: unread, page: page, on: req.db)
        return Paged(items: r.items.map { json($0, req) }, metadata: PageMetadata(page: page.page, per: page.per, total: r.total))
    }

    struct NotificationRow: Encodable, Sendable { var id: UUID; var subject: String; var body: String; var link: String; var when: String; var read: Bool }
    struct NotificationsPage: Encodable, Sendable {
        var items: [NotificationRow]
        var hasItems: Bool
        var unread: Int
        var hasUnread: Bool
        var unreadOnly: Bool
        var pager: PagerContext
        var csrf: String
    }

    @Sendable static func notificationsPage(_ req: Request) async throws -> Response {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        let page = try PageRequest.from(req)
        let unreadOnly = req.queryValue("unread") == "1"
        let r = try await NotificationService.list(userID: uid, unreadOnly: unreadOnly, page: page, on: req.db)
        let unread = try await NotificationService.unreadCount(userID: uid, on: req.db)
        let rows = r.items.map { n in
            let j = json(n, req)
            return NotificationRow(id: j.id, subject: j.subject, body: j.body, link: j.link, when: req.dateTime(n.createdAt), read: j.read)
        }
        let meta = PageMetadata(page: page.page, per: page.per, total: r.total)
        return try await req.page("accounts/notifications", title: req.t("notifications.title"), NotificationsPage(
            items: rows, hasItems: !rows.isEmpty, unread: unread, hasUnread: unread > 0, unreadOnly: unreadOnly,
            pager: PagerContext(meta, path: "/notifications", baseQuery: unreadOnly ? [("unread", "1")] : []), csrf: req.csrfToken))
    }

    /// Marks it read and, with `open=1`, goes on to the linked page.
    @Sendable static func markRead(_ req: Request) async throws -> Response {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        let id = try req.parameters.require("id", as: UUID.self)
        try await NotificationService.markRead(id, userID: uid, on: req.db)
        struct Body: Content { var open: String? }
        let open = (try? req.content.decode(Body.self))?.open == "1"
        if open, let n = try await UserNotification.find(id, on: req.db) { return req.redirect(to: SafeRedirect.path(n.link)) }
        return req.redirect(to: "/notifications", flash: nil)
    }

    @Sendable static func markAllRead(_ req: Request) async throws -> Response {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        try await NotificationService.markRead(nil, userID: uid, on: req.db)
        return req.redirect(to: "/notifications", flash: req.t("notifications.allRead"))
    }

    // MARK: Preferences

    struct PreferenceJSON: Content { var kind: String; var mode: DeliveryMode; var `default`: DeliveryMode? }

    static func preferenceList(userID: UUID, on db: any Database) async throws -> [PreferenceJSON] {
        let chosen = try await NotificationService.preferences(userID: userID, on: db)
        return NotificationService.kinds.all.map { k in PreferenceJSON(kind: k.key, mode: chosen[k.key] ?? k.defaultMode, default: k.defaultMode) }
    }

    @Sendable static func preferencesJSON(_ req: Request) async throws -> [PreferenceJSON] {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        return try await preferenceList(userID: uid, on: req.db)
    }

    @Sendable static func putPreferences(_ req: Request) async throws -> [PreferenceJSON] {
        guard let uid = req.principal.userID else { throw AppError.forbidden() }
        let body = try req.content.decode([PreferenceJSON].self)
        let choices = Dictionary(body.map { ($0.kind, $0.mode) }, uniquingKeysWith: { _, b in b })
        try await req.write { ctx in try await NotificationService.setPreferences(choices, in: ctx) }
        return try await preferenceList(userID: uid, on: req.db)
    }

    /// The account page's form: one select per kind, named `mode_<kind>`.
    @Sendable static func savePreferences(_ req: Request) async throws -> Response {
        var choices: [String: DeliveryMode] = [:]
        for (k, v) in FormPairs.parse(req) where k.hasPrefix("mode_") {
            guard let mode = DeliveryMode(rawValue: v) else { throw AppError.invalid(field: k, code: "oneOf") }
            choices[String(k.dropFirst(5))] = mode
        }
        let chosen = choices
        try await req.write { ctx in try await NotificationService.setPreferences(chosen, in: ctx) }
        return req.redirect(to: "/account#h-notify", flash: req.t("saved"))
    }

    /// Rows for the account page.
    struct PreferenceRow: Encodable, Sendable { var kind: String; var label: String; var options: [FormField.Option] }
    struct PreferenceGroup: Encodable, Sendable { var heading: String; var rows: [PreferenceRow] }

    static func preferenceGroups(_ req: Request, userID: UUID) async throws -> [PreferenceGroup] {
        let chosen = try await NotificationService.preferences(userID: userID, on: req.db)
        var groups: [PreferenceGroup] = []
        for k in NotificationService.kinds.all {
            let mode = chosen[k.key] ?? k.defaultMode
            let row = PreferenceRow(kind: k.key, label: req.t("notify.\(k.key).label"), options: DeliveryMode.allCases.map {
                FormField.Option(value: $0.rawValue, label: req.t("notify.mode.\($0.rawValue)"), selected: $0 == mode) })
            let heading = req.t(k.groupKey)
            if let i = groups.firstIndex(where: { $0.heading == heading }) { groups[i].rows.append(row) } else { groups.append(PreferenceGroup(heading: heading, rows: [row])) }
        }
        return groups
    }
}
