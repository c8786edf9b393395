import Fluent
import SQLKit
import Vapor

/// `/health`, `/metrics` and `/api/v1/openapi.json`.
enum PlatformRoutes {
    struct Health: Content {
        var status: String
        var database: String
        var version: String
    }

    static func register(site: Router, api: Router) {
        api.registry.schemas.register("Health", .object([("status", .string()), ("database", .string()), ("version", .string())], required: ["status", "database"]))
        site.get("health", access: .anyone) { req async throws -> Response in
            do {
                _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
                return try await Health(status: "ok", database: req.db.sql.dialect.name, version: SamverkaVersion.current).encodeResponse(for: req)
            } catch {
                req.logger.error("health check failed", metadata: ["error": "\(error)"])
                return try await Health(status: "unavailable", database: "error", version: SamverkaVersion.current).encodeResponse(status: .serviceUnavailable, for: req)
            }
        }
        site.get("metrics", access: .anyone) { req async throws -> Response in
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
