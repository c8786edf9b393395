import Fluent
import SQLKit
import Crypto
import Vapor
import SamverkaRules

/// What every installation has whatever modules it runs: `/health`, `/metrics`, `/api/v1/openapi.json`, and the
/// platform's background jobs (mail delivery and retention, audit checkpoints).
enum PlatformModule {
    static func register(site: Router, api: Router, app: Application) {
        PlatformRoutes.register(site: site, api: api)
        app.jobs.add(BackgroundJob("outbox") { app in await Outbox.deliverPending(app) })
        LongTasks.register(app)
        // Retention: delivered mail is removed, and mail that could not be delivered for a week is given up.
        app.jobs.add(BackgroundJob("mail retention", every: 3600) { app in
            try await OutboxMail.query(on: app.db).filter(\.$sentAt != nil).delete()
            try await OutboxMail.query(on: app.db).filter(\.$createdAt < Date().addingTimeInterval(-Double(RetentionRules.undeliveredMailDays) * 86_400)).delete()
        })
        // A signed checkpoint of the audit chain's head goes to the log every hour (once across all nodes): kept by
        // the log shipper outside the database, it shows later what the chain held then (`samverka audit verify --checkpoints`).
        app.jobs.add(BackgroundJob("audit checkpoint", every: 3600) { app in
            let checkpoint = try await AuditChain.checkpoint(on: app.db)
            app.logger.notice("\(checkpoint.line)")
        })
    }
}

/// `/health`, `/metrics` and `/api/v1/openapi.json`.
enum PlatformRoutes {
    /// No version number: an anonymous caller learns only whether the node and its database answer.
    struct Health: Content {
        var status: String
        var database: String
    }

    static func register(site: Router, api: Router) {
        api.registry.schemas.register("Health", .object([("status", .string()), ("database", .string())], required: ["status", "database"]))
        site.get("health", access: .anyone) { req async throws -> Response in
            do {
                _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
                return try await Health(status: "ok", database: req.db.sql.dialect.name).encodeResponse(for: req)
            } catch {
                req.logger.error("health check failed", metadata: ["error": "\(error)"])
                let response = try await Health(status: "unavailable", database: "error").encodeResponse(status: .serviceUnavailable, for: req)
                response.headers.replaceOrAdd(name: .retryAfter, value: String(DatabaseUnavailable.retryAfterSeconds))
                return response
            }
        }
        // Prometheus metrics, only to the scraper that presents `SAMVERKA_METRICS_TOKEN` as a bearer token; without a
        // configured token they are off. Anyone else gets 404, so the route does not even reveal itself.
        site.get("metrics", access: .anyone) { req async throws -> Response in
            guard let expected = req.application.config.metricsToken, let given = req.headers.bearerAuthorization?.token,
                  Data(SHA256.hash(data: Data(given.utf8))) == Data(SHA256.hash(data: Data(expected.utf8))) else { throw AppError.notFound() }
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(string: req.application.metrics.render()))
        }
        api.get("openapi.json", access: .anyone, api: APIOperation("This OpenAPI 3.1 document", tag: "Platform", response: .object([], additional: true))) { req async throws -> Response in
            let doc = OpenAPIDocument.build(req.application.routeRegistry, serverURL: "/")
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(string: doc.serialized()))
        }
    }
}

public enum SamverkaVersion {
    public static let current = "0.1.0"
}
