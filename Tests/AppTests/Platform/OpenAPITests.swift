import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("OpenAPI document", .serialized)
struct OpenAPITests {
    @Test("every /api/v1 route is in the document and every documented operation is a route")
    func matchesRoutes() async throws {
        try await TestApp.run { t in
            let res = try await t.api(.GET, "/api/v1/openapi.json")
            #expect(res.status == .ok)
            let doc = try res.json()
            #expect(doc["openapi"] == "3.1.0")
            var documented = Set<String>()
            if case .object(let paths)? = doc["paths"] {
                for (path, ops) in paths {
                    if case .object(let methods) = ops { for (m, _) in methods { documented.insert("\(m.uppercased()) \(path)") } }
                }
            }
            let registered = Set(t.app.routes.all.map { r in "\(r.method.rawValue) \(OpenAPIDocument.openAPIPath(RouteRegistry.pathString(r.path)).0)" }
                .filter { $0.contains(" /api/v1/") })
            #expect(registered.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(registered).sorted() == [], "documented operations without a route")
            #expect(registered.count > 30)
        }
    }

    @Test("every $ref points at a defined schema and every operation has problem responses")
    func references() async throws {
        try await TestApp.run { t in
            let doc = try await t.api(.GET, "/api/v1/openapi.json").json()
            let text = doc.serialized()
            var defined = Set<String>()
            if case .object(let schemas)? = doc["components"]?["schemas"] { defined = Set(schemas.map(\.0)) }
            let refs = text.components(separatedBy: "\"$ref\":\"#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(!refs.isEmpty)
            for r in Set(refs) { #expect(defined.contains(r), "undefined schema \(r)") }
            #expect(text.contains("application/problem+json"))
        }
    }
}
