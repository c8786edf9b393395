import Fluent
import FluentPostgresDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting
@testable import App

/// Which database the suite runs against: SQLite unless `SAMVERKA_TEST_DATABASE_URL` names a PostgreSQL
/// server (scripts/test runs the suite once each way). Read at run time, so one build serves both.
enum TestDatabase {
    static var postgresURL: String? {
        let v = ProcessInfo.processInfo.environment["SAMVERKA_TEST_DATABASE_URL"]
        return (v?.isEmpty ?? true) ? nil : v
    }
    static var isPostgres: Bool { postgresURL != nil }
}

/// Limits how many test applications run at once (each holds database connections).
actor TestGate {
    static let shared = TestGate(limit: 6)
    let limit: Int
    var running = 0
    var waiting: [CheckedContinuation<Void, Never>] = []
    init(limit: Int) { self.limit = limit }
    func enter() async {
        if running < limit { running += 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }
    func leave() {
        if let next = waiting.first { waiting.removeFirst(); next.resume() } else { running -= 1 }
    }
}

/// PostgreSQL: migrate one template database per test process, then give every test its own copy.
actor PostgresTemplates {
    static let shared = PostgresTemplates()
    private var template: Task<String, any Error>?

    /// Created once; callers arriving while it is being built wait for the same task (actors are re-entrant).
    func templateName(baseURL: String) async throws -> String {
        if let template { return try await template.value }
        let task = Task { try await Self.makeTemplate(baseURL: baseURL) }
        template = task
        return try await task.value
    }

    private static func makeTemplate(baseURL: String) async throws -> String {
        let name = "samverka_tpl_\(ProcessInfo.processInfo.processIdentifier)_\(Int(Date().timeIntervalSince1970))"
        try await Self.admin(baseURL) { sql in
            try await sql.raw("CREATE DATABASE \(ident: name)").run()
        }
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: TestApp.config(database: .postgres(url: Self.url(baseURL, database: name))))
            try await app.autoMigrate()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return name
    }

    /// Runs `body` on the server's maintenance database.
    static func admin(_ baseURL: String, _ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url(baseURL, database: "postgres")), maxConnectionsPerEventLoop: 1), as: .psql)
            try await body(app.db as! any SQLDatabase)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func url(_ base: String, database: String) -> String {
        var c = URLComponents(string: base)!
        c.path = "/" + database
        return c.string!
    }

    func create(baseURL: String) async throws -> String {
        let tpl = try await templateName(baseURL: baseURL)
        let name = "samverka_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await Self.admin(baseURL) { sql in try await sql.raw("CREATE DATABASE \(ident: String(name)) TEMPLATE \(ident: tpl)").run() }
        return String(name)
    }

    func drop(baseURL: String, name: String) async {
        try? await Self.admin(baseURL) { sql in try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
    }
}

/// A configured application on its own fresh database.
struct TestApp {
    let app: Application

    static let loggingOnce: Void = {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = ProcessInfo.processInfo.environment["SAMVERKA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
            return h
        }
    }()

    static func config(database: AppConfig.DatabaseChoice) -> AppConfig {
        var c = AppConfig.fromEnvironment([:])
        c.database = database
        c.bcryptCost = 4
        c.loadDemoOnFirstStart = false
        c.auditKey = TestApp.auditKey
        c.mailDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("samverka-test-mail").path
        return c
    }

    /// Runs `body` with a migrated application on a database of its own, then tears everything down.
    static func run<T>(configure adjust: (inout AppConfig) -> Void = { _ in }, _ body: (TestApp) async throws -> T) async throws -> T {
        _ = loggingOnce
        await TestGate.shared.enter()
        let app = try await Application.make(.testing)
        var cleanup: () async -> Void = {}
        let result: T
        do {
            var config: AppConfig
            if let pg = TestDatabase.postgresURL {
                let name = try await PostgresTemplates.shared.create(baseURL: pg)
                config = Self.config(database: .postgres(url: PostgresTemplates.url(pg, database: name)))
                cleanup = { await PostgresTemplates.shared.drop(baseURL: pg, name: name) }
                adjust(&config)
                try await App.configure(app, config: config)
            } else {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("samverka-test-\(UUID().uuidString).sqlite").path
                config = Self.config(database: .sqlite(path: path))
                cleanup = { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
                adjust(&config)
                try await App.configure(app, config: config)
                try await DatabaseSetup.prepare(app)
                try await app.autoMigrate()
            }
            result = try await body(TestApp(app: app))
        } catch {
            try? await app.asyncShutdown()
            await cleanup()
            await TestGate.shared.leave()
            // PostgreSQL errors hide their details from `description`.
            throw DescribedError(description: String(reflecting: error))
        }
        try await app.asyncShutdown()
        await cleanup()
        await TestGate.shared.leave()
        return result
    }

    var db: any Database { app.db }
    var sql: any SQLDatabase { app.db as! any SQLDatabase }

    // MARK: Requests

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// A JSON request, optionally with a bearer token.
    func api(_ method: HTTPMethod, _ path: String, token: String? = nil, json: (any Encodable)? = nil, rawBody: String? = nil,
             contentType: String = "application/json") async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .accept, value: "application/json")
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(data: try JSONEncoder.api.encode(AnyEncodable(json)))
            headers.replaceOrAdd(name: .contentType, value: contentType)
        } else if let rawBody {
            buffer = ByteBuffer(string: rawBody)
            headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        return try await send(method, path, headers: headers, body: buffer)
    }

    // MARK: Fixtures

    /// A region for a county, e.g. `region("17")` = Region Värmland.
    @discardableResult
    func region(_ county: String = "17", name: String? = nil) async throws -> UUID {
        try await db.write(as: .system("test")) { ctx in
            try await StructureService.saveBody(nil, PublicBodyBody(name: name ?? "Region \(county)", kind: "region", countyCode: county), in: ctx).id!
        }
    }

    @discardableResult
    func unit(body: UUID, name: String = "Kulturenheten", parent: UUID? = nil, areas: [String] = [], responsibilities: String = "") async throws -> UUID {
        try await db.write(as: .system("test")) { ctx in
            try await StructureService.saveUnit(nil, UnitBody(bodyId: body.uuidString, parentId: parent?.uuidString, name: name, kind: "enhet",
                                                              responsibilities: responsibilities, areas: areas), in: ctx).id!
        }
    }

    @discardableResult
    func organisation(_ name: String = "Testföreningen", orgnr: String? = nil, legalForm: String = "ideellForening", level: String = "local",
                      parent: UUID? = nil, areas: [String] = [], municipalities: [String] = [], description: String = "") async throws -> UUID {
        try await db.write(as: .system("test")) { ctx in
            try await OrganisationService.create(OrganisationInput(
                name: name, orgnr: orgnr, legalForm: legalForm, level: level, parentID: parent?.uuidString, areas: areas,
                municipalities: municipalities, description: description), in: ctx).id!
        }
    }

    struct TestUser: Sendable {
        var id: UUID
        var email: String
        var password: String
        var token: String
    }

    static let password = "ett-långt-testlösenord-42"
    static let auditKey = "samverka-test-audit-key-0123456789abcdef"

    /// An active user with one membership and an API token.
    func user(_ role: Role, body: UUID? = nil, organisation: UUID? = nil, units: [UUID] = [], email: String? = nil) async throws -> TestUser {
        let email = email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(6).lowercased())@test.example"
        let hash = try app.password.hash(Self.password)
        return try await db.write(as: .system("test")) { ctx in
            let u = try await AccountService.createUser(email: email, name: "Test \(role.rawValue)", passwordHash: hash, in: ctx)
            _ = try await AccountService.addMembership(userID: u.id!, role: role, bodyID: body, organisationID: organisation, unitIDs: units, in: ctx)
            let (token, _) = try await TokenService.create(userID: u.id!, name: "test", kind: "api", lifetime: 3600, in: ctx.db)
            return TestUser(id: u.id!, email: email, password: Self.password, token: token)
        }
    }

    /// Number of rows in a table.
    func count(_ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }
}

struct DescribedError: Error, CustomStringConvertible {
    let description: String
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension TestingHTTPResponse {
    var text: String { body.string }
    func json() throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder.api.decode(T.self, from: Data(body.readableBytesView)) }
    /// `errors[].field` of a problem+json response.
    var problemFields: [String] {
        guard let j = try? json(), case .array(let errs)? = j["errors"] else { return [] }
        return errs.compactMap { $0["field"]?.stringValue }
    }
}
