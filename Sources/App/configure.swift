import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOSSL
import Vapor
import SamverkaRules

/// Sets up the application: database, middleware, views, migrations, routes. Tests call it with their
/// own `AppConfig`; the server and commands call it with the environment's.
public func configure(_ app: Application, config: AppConfig? = nil) async throws {
    let config = config ?? AppConfig.fromEnvironment()
    app.config = config
    app.responseCache = ResponseCache()
    RowReader.useMap(bytes: config.sqliteMapBytes)

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        let pg = try SQLPostgresConfiguration(url: url)
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 8, connectionPoolTimeout: .seconds(30)), as: .psql)
    }

    ContentConfiguration.global.use(encoder: JSONEncoder.api, for: .json)
    ContentConfiguration.global.use(decoder: JSONDecoder.api, for: .json)
    app.routes.defaultMaxBodySize = "2mb"
    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    locateProjectDirectory(app)
    AuditChain.key = try AuditKeySetup.resolve(config, directory: app.directory.workingDirectory, logger: app.logger)

    // Outermost first: observe, secure, set cookies, pick language, turn errors into pages or problems,
    // serve static files, authenticate.
    app.middleware = Middlewares()
    app.middleware.use(RequestObservationMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(CSRFCookieMiddleware())
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(AuthenticationMiddleware())

    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    if !app.environment.isRelease { app.leaf.cache.isEnabled = app.environment != .development }
    app.localizer = try Localizer.load(from: app.directory.resourcesDirectory + "Localization")

    app.migrations.add(MigrationOrder.all(app))

    let site = Router(builder: app.routes, registry: app.routeRegistry)
    let api = site.grouped("api", "v1")
    PlatformModule.register(site: site, api: api, app: app)
    DirectoryModule.register(site: site, api: api, app: app)
    AccountsModule.register(site: site, api: api, app: app)
    GrantsModule.register(site: site, api: api, app: app)
    DialogueModule.register(site: site, api: api, app: app)
    AgreementsModule.register(site: site, api: api, app: app)
    PartnershipsModule.register(site: site, api: api, app: app)
    SurveysModule.register(site: site, api: api, app: app)
}

/// Prepares the database before serving: SQLite in WAL mode, pending migrations (under a lock on
/// PostgreSQL so several nodes can start together), and demo data on first start.
public func prepareForServing(_ app: Application) async throws {
    try await DatabaseSetup.prepare(app)
    if app.config.autoMigrate {
        try await DatabaseSetup.withMigrationLock(app) { try await app.autoMigrate() }
    }
    try await AuditChain.checkKey(on: app.db)
    if app.config.loadDemoOnFirstStart {
        try await DemoData.loadIfFirstStart(app)
    }
    BackgroundJobs.start(app, every: Int64(app.config.jobTickSeconds))
}

/// Templates, strings and reference data live in `Resources/` and `Public/` of the project. When the binary runs
/// from another directory (e.g. `.build/release/samverka` started elsewhere), look for them next to the binary's
/// build folder instead of failing on a missing file.
func locateProjectDirectory(_ app: Application) {
    let fm = FileManager.default
    guard !fm.fileExists(atPath: app.directory.resourcesDirectory + "Localization") else { return }
    var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
        if fm.fileExists(atPath: dir.appendingPathComponent("Resources/Localization").path) {
            app.directory = DirectoryConfiguration(workingDirectory: dir.path + "/")
            app.logger.notice("Using the project files in \(dir.path)")
            return
        }
        dir.deleteLastPathComponent()
    }
}
