import Vapor
import SamverkaRules

/// One registered route as the policy and the API documentation see it.
public struct RouteEntry: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var access: Access
    public var api: APIOperation?
    /// The largest request body the route collects (nil: the application's default).
    public var maxBodyBytes: Int? = nil

    public var key: String { RouteEntry.key(method, path) }
    static func key(_ method: HTTPMethod, _ path: String) -> String { "\(method.rawValue) \(path)" }
}

/// Every route Samverka registers, with its declared access and (for the API) its documentation.
public final class RouteRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: RouteEntry] = [:]
    private var order: [String] = []
    public let schemas = SchemaRegistry()

    func add(_ entry: RouteEntry) {
        lock.withLock {
            if entries[entry.key] == nil { order.append(entry.key) }
            entries[entry.key] = entry
        }
    }

    public var all: [RouteEntry] { lock.withLock { order.compactMap { entries[$0] } } }

    public func entry(for route: Route) -> RouteEntry? {
        lock.withLock { entries[RouteEntry.key(route.method, Self.pathString(route.path))] }
    }

    /// The route registered for a method and a concrete path without parameters (e.g. `GET /grants/reviews`).
    public func entry(_ method: HTTPMethod, _ path: String) -> RouteEntry? {
        lock.withLock { entries[RouteEntry.key(method, path)] }
    }

    static func pathString(_ path: [PathComponent]) -> String {
        "/" + path.map(\.description).joined(separator: "/")
    }
}

extension Application {
    private struct RegistryKey: StorageKey { typealias Value = RouteRegistry }
    public var routeRegistry: RouteRegistry {
        if let r = storage[RegistryKey.self] { return r }
        let r = RouteRegistry()
        storage[RegistryKey.self] = r
        return r
    }
}

/// Registers routes together with who may use them. Modules get one of these instead of a bare
/// `RoutesBuilder`, so no route can be added without an `Access`.
public struct Router {
    let builder: any RoutesBuilder
    public let registry: RouteRegistry

    init(builder: any RoutesBuilder, registry: RouteRegistry) {
        self.builder = builder
        self.registry = registry
    }

    public func grouped(_ path: PathComponent...) -> Router {
        Router(builder: builder.grouped(path), registry: registry)
    }

    public func grouped(_ middleware: any Middleware...) -> Router {
        Router(builder: builder.grouped(middleware), registry: registry)
    }

    @discardableResult
    public func on<R: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: [PathComponent], access: Access, api: APIOperation? = nil,
        body: HTTPBodyStreamStrategy = .collect,
        use handler: @escaping @Sendable (Request) async throws -> R
    ) -> Route {
        var maxBody: Int?
        if case .collect(let size?) = body { maxBody = size.value }
        var group = builder.grouped(NulGuard(maxBody: maxBody), AccessGuard(access: access))
        if let api, !api.query.isEmpty { group = group.grouped(QueryValidation(parameters: api.query)) }
        if let api, let schema = api.body, api.bodyContentType == "application/json" { group = group.grouped(UnknownFieldRejection(schema: schema)) }
        let route = group.on(method, path, body: body, use: handler)
        registry.add(RouteEntry(method: method, path: RouteRegistry.pathString(route.path), access: access, api: api, maxBodyBytes: maxBody))
        return route
    }

    @discardableResult
    public func get<R: AsyncResponseEncodable>(_ path: PathComponent..., access: Access, api: APIOperation? = nil,
                                              use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        on(.GET, path, access: access, api: api, use: handler)
    }

    @discardableResult
    public func post<R: AsyncResponseEncodable>(_ path: PathComponent..., access: Access, api: APIOperation? = nil,
                                               body: HTTPBodyStreamStrategy = .collect,
                                               use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        on(.POST, path, access: access, api: api, body: body, use: handler)
    }

    @discardableResult
    public func put<R: AsyncResponseEncodable>(_ path: PathComponent..., access: Access, api: APIOperation? = nil,
                                              use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        on(.PUT, path, access: access, api: api, use: handler)
    }

    @discardableResult
    public func patch<R: AsyncResponseEncodable>(_ path: PathComponent..., access: Access, api: APIOperation? = nil,
                                                use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        on(.PATCH, path, access: access, api: api, use: handler)
    }

    @discardableResult
    public func delete<R: AsyncResponseEncodable>(_ path: PathComponent..., access: Access, api: APIOperation? = nil,
                                                 use handler: @escaping @Sendable (Request) async throws -> R) -> Route {
        on(.DELETE, path, access: access, api: api, use: handler)
    }
}

/// Checks an API route's query parameters against what its documentation says (length, pattern,
/// allowed values, ranges, given once), so the OpenAPI document and the behaviour cannot drift apart.
/// An empty value counts as not given.
struct QueryValidation: AsyncMiddleware {
    let parameters: [APIParameter]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let items = URLComponents(string: req.url.string)?.queryItems ?? []
        var errors = FieldErrors()
        for p in parameters {
            let given = items.filter { $0.name == p.name }
            if given.count > 1 { errors.add(p.name, code: "paramRepeated"); continue }
            guard let value = given.first?.value, !value.isEmpty else {
                if p.required { errors.add(p.name, code: "required") }
                continue
            }
            if let problem = p.schema.violation(value) { errors.add(p.name, "Ogiltigt värde: ska vara \(problem).") }
        }
        if !errors.isEmpty { throw AppError(.badRequest, "Ogiltiga parametrar.", fields: errors.all, reasonKey: "error.reason.badParameters") }
        return try await next.respond(to: req)
    }
}

/// Refuses JSON bodies with fields the API does not know (a typo would otherwise be silently ignored), bodies that
/// name a field twice, and a `version` below 1.
struct UnknownFieldRejection: AsyncMiddleware {
    let schema: Schema

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Vapor refuses over-large bodies while collecting them; this holds when a body arrives already collected.
        if let data = req.body.data, data.readableBytes > req.application.routes.defaultMaxBodySize.value {
            throw Abort(.payloadTooLarge)
        }
        if let data = req.body.data, req.headers.contentType == .json,
           let duplicate = JSONKeyScanner.firstDuplicate(in: Array(data.readableBytesView)) {
            throw AppError(.badRequest, "Fältet \(duplicate) förekommer flera gånger.", fields: [FieldError(field: duplicate, code: "duplicateKey")])
        }
        if let data = req.body.data, req.headers.contentType == .json,
           let value = try? JSONDecoder().decode(JSONValue.self, from: Data(data.readableBytesView)) {
            let registry = req.application.routeRegistry.schemas
            let unknown = schema.unknownKeys(in: value, registry: registry)
            if !unknown.isEmpty {
                throw AppError(.unprocessableEntity, "Okända fält: \(unknown.joined(separator: ", ")).",
                               fields: unknown.map { FieldError(field: $0, code: "unknownField") })
            }
            // Every body's `version` is documented as at least 1; no record has a lower one, and a create that
            // ignores the version must not accept an impossible one either.
            if case .int(let v)? = value["version"], v < 1 {
                throw AppError.invalid([FieldError(field: "version", code: "range", args: ["1", String(Int.max)])])
            }
        }
        return try await next.respond(to: req)
    }
}
