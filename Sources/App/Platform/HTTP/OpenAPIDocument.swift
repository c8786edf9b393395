import Vapor
import SamverkaRules

/// Builds the OpenAPI 3.1 document from the route registry: every `/api/v1` route registered with
/// documentation appears, with the standard problem responses added.
enum OpenAPIDocument {
    static let problemStatuses: [Int] = [400, 401, 403, 404, 405, 409, 413, 415, 422, 429]

    static func build(_ registry: RouteRegistry, serverURL: String) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        var index: [String: Int] = [:]
        for entry in registry.all where entry.path.hasPrefix("/api/v1") {
            guard let op = entry.api else { continue }
            let (path, params) = openAPIPath(entry.path)
            var operation: [(String, JSONValue)] = [
                ("operationId", .string(operationID(entry))),
                ("summary", .string(op.summary)),
                ("tags", [.string(op.tag)]),
            ]
            var parameters: [JSONValue] = params.map { name in
                JSONValue.object([("name", .string(name)), ("in", "path"), ("required", true), ("schema", (op.pathParams[name] ?? .uuid).json)])
            }
            parameters += op.query.map { p in
                // An optional query parameter given empty (`?county=`, as HTML filter forms send) means "not given".
                let schema: JSONValue = p.required ? p.schema.json : ["anyOf": [p.schema.json, ["type": "string", "maxLength": 0]]]
                return JSONValue.object([("name", .string(p.name)), ("in", "query"), ("required", .bool(p.required)), ("description", .string(p.description)), ("schema", schema)])
            }
            if !parameters.isEmpty { operation.append(("parameters", .array(parameters))) }
            if let body = op.body {
                operation.append(("requestBody", ["required": true, "content": .object([(op.bodyContentType, JSONValue.object([("schema", body.json)]))])]))
            }
            var responses: [(String, JSONValue)] = []
            var success: [(String, JSONValue)] = [("description", .string(op.summary))]
            if let schema = op.response { success.append(("content", .object([(op.responseContentType, JSONValue.object([("schema", schema.json)]))]))) }
            if !op.responseHeaders.isEmpty {
                success.append(("headers", .object(op.responseHeaders.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.object([("description", .string($0.value)), ("schema", .object([("type", "string")]))])) })))
            }
            responses.append((String(op.status), .object(success)))
            for status in problemStatuses {
                responses.append((String(status), JSONValue.object([
                    ("description", .string(HTTPResponseStatus(statusCode: status).reasonPhrase)),
                    ("content", .object([("application/problem+json", .object([("schema", .object([("$ref", "#/components/schemas/Problem")]))]))])),
                ])))
            }
            operation.append(("responses", .object(responses)))
            if case .anyone = entry.access {} else { operation.append(("security", .array([.object([("bearerAuth", .array([]))]), .object([("cookieAuth", .array([]))])]))) }
            let method = entry.method.rawValue.lowercased()
            if let i = index[path] {
                paths[i].1.append((method, .object(operation)))
            } else {
                index[path] = paths.count
                paths.append((path, [(method, .object(operation))]))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Samverka API", "version": .string(SamverkaVersion.current),
                     "description": "API för Samverka: katalog, konton, dialog, bidrag. Fel som RFC 9457 problem+json."],
            "servers": [["url": .string(serverURL)]],
            "paths": .object(paths.map { ($0.0, .object($0.1)) }),
            "components": [
                "schemas": .object(registry.schemas.all.map { ($0.0, $0.1.json) }),
                "securitySchemes": [
                    "bearerAuth": ["type": "http", "scheme": "bearer"],
                    "cookieAuth": ["type": "apiKey", "in": "cookie", "name": "samverka_session"],
                ],
            ],
        ]
    }

    /// `/api/v1/organisations/:id` → `/api/v1/organisations/{id}` and the parameter names.
    static func openAPIPath(_ path: String) -> (String, [String]) {
        var params: [String] = []
        let parts = path.split(separator: "/").map { part -> String in
            if part.hasPrefix(":") { params.append(String(part.dropFirst())); return "{\(part.dropFirst())}" }
            return String(part)
        }
        return ("/" + parts.joined(separator: "/"), params)
    }

    static func operationID(_ entry: RouteEntry) -> String {
        let words = entry.path.replacingOccurrences(of: "/api/v1/", with: "").split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
            .map { $0.hasPrefix(":") ? "By" + $0.dropFirst().capitalized : $0.capitalized }
        return entry.method.rawValue.lowercased() + words.joined()
    }
}
