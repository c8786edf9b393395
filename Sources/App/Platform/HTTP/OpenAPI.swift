import Foundation
import SamverkaRules

/// A JSON Schema (OpenAPI 3.1 dialect) written in Swift.
public indirect enum Schema: Sendable {
    case ref(String)
    case string(format: String? = nil, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, values: [String]? = nil)
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    case number(minimum: Double? = nil)
    case boolean
    case array(Schema, maxItems: Int? = nil, unique: Bool = false)
    case object([(String, Schema)], required: [String] = [], additional: Bool = false)
    case nullable(Schema)
    case map(Schema)

    public static let uuid = Schema.string(format: "uuid")
    public static let date = Schema.string(format: "date", pattern: #"^\d{4}-\d{2}-\d{2}$"#)
    public static let dateTime = Schema.string(format: "date-time")
    /// Free text as `TextRules` takes it, as far as a JSON Schema pattern can say it without refusing anything the
    /// rules accept: no control characters but whitespace, and no `<` that opens a tag, comment or instruction.
    public static let textPattern = #"^(?:[^<\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]|<[^A-Za-z/!?\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f])*<?$"#
    public static func text(max: Int, min: Int? = nil) -> Schema { .string(minLength: min, maxLength: max, pattern: textPattern) }
    public static func oneOf(_ values: [String]) -> Schema { .string(values: values) }
    /// An input object: fields not required may also be null, which means "not given" (as leaving them out does).
    public static func input(_ props: [(String, Schema)], required: [String] = []) -> Schema {
        .object(props.map { name, schema in
            if required.contains(name) { return (name, schema) }
            if case .nullable = schema { return (name, schema) }
            return (name, .nullable(schema))
        }, required: required)
    }

    public var json: JSONValue {
        switch self {
        case .ref(let name):
            return ["$ref": .string("#/components/schemas/\(name)")]
        case let .string(format, minLength, maxLength, pattern, values):
            var o: [(String, JSONValue)] = [("type", "string")]
            if let format { o.append(("format", .string(format))) }
            if let minLength { o.append(("minLength", .int(minLength))) }
            if let maxLength { o.append(("maxLength", .int(maxLength))) }
            if let pattern { o.append(("pattern", .string(pattern))) }
            if let values { o.append(("enum", .array(values.map { .string($0) }))) }
            return .object(o)
        case let .integer(minimum, maximum):
            var o: [(String, JSONValue)] = [("type", "integer")]
            if let minimum { o.append(("minimum", .int(minimum))) }
            if let maximum { o.append(("maximum", .int(maximum))) }
            return .object(o)
        case .number(let minimum):
            var o: [(String, JSONValue)] = [("type", "number")]
            if let minimum { o.append(("minimum", .double(minimum))) }
            return .object(o)
        case .boolean:
            return ["type": "boolean"]
        case let .array(items, maxItems, unique):
            var o: [(String, JSONValue)] = [("type", "array"), ("items", items.json)]
            if let maxItems { o.append(("maxItems", .int(maxItems))) }
            if unique { o.append(("uniqueItems", true)) }
            return .object(o)
        case let .object(props, required, additional):
            // A property that is not required may also be null: the API reads null as "not given".
            let documented = props.map { name, schema -> (String, JSONValue) in
                if required.contains(name) { return (name, schema.json) }
                if case .nullable = schema { return (name, schema.json) }
                return (name, Schema.nullable(schema).json)
            }
            var o: [(String, JSONValue)] = [("type", "object"), ("properties", .object(documented))]
            if !required.isEmpty { o.append(("required", .array(required.map { .string($0) }))) }
            o.append(("additionalProperties", .bool(additional)))
            return .object(o)
        case .nullable(let inner):
            return ["anyOf": [inner.json, ["type": "null"]]]
        case .map(let value):
            return ["type": "object", "additionalProperties": value.json]
        }
    }
}

public struct APIParameter: Sendable {
    public var name: String
    public var schema: Schema
    public var description: String
    public var required: Bool
    public init(_ name: String, _ schema: Schema, _ description: String, required: Bool = false) {
        self.name = name
        self.schema = schema
        self.description = description
        self.required = required
    }
}

/// What the OpenAPI document says about one API route.
public struct APIOperation: Sendable {
    public var summary: String
    public var tag: String
    public var query: [APIParameter]
    public var pathParams: [String: Schema]
    public var body: Schema?
    public var bodyContentType: String
    public var status: Int
    public var response: Schema?
    public var responseContentType: String
    public var responseHeaders: [String: String]

    public init(_ summary: String, tag: String, query: [APIParameter] = [], pathParams: [String: Schema] = [:],
                body: Schema? = nil, bodyContentType: String = "application/json",
                status: Int = 200, response: Schema? = nil, responseContentType: String = "application/json",
                responseHeaders: [String: String] = [:]) {
        self.summary = summary
        self.tag = tag
        self.query = query
        self.pathParams = pathParams
        self.body = body
        self.bodyContentType = bodyContentType
        self.status = status
        self.response = response
        self.responseContentType = responseContentType
        self.responseHeaders = responseHeaders
    }
}

/// Reusable schemas that operations refer to with `.ref(name)`; modules add theirs at start-up.
public final class SchemaRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var schemas: [String: Schema] = [:]

    public init() {
        register("Problem", .object([
            ("type", .string()), ("title", .string()), ("status", .integer()), ("detail", .string()),
            ("instance", .string()),
            ("errors", .array(.object([("field", .string()), ("message", .string()), ("code", .string()), ("args", .array(.string()))],
                                      required: ["field", "message"]))),
        ], required: ["type", "title", "status"], additional: true))
        register("PageMetadata", .object([
            ("page", .integer(minimum: 1)), ("per", .integer(minimum: 1)), ("total", .integer(minimum: 0)),
        ], required: ["page", "per", "total"]))
    }

    public func register(_ name: String, _ schema: Schema) {
        lock.withLock { schemas[name] = schema }
    }

    public func schema(named name: String) -> Schema? {
        lock.withLock { schemas[name] }
    }

    var all: [(String, Schema)] { lock.withLock { schemas.sorted { $0.key < $1.key } } }
}

extension Schema {
    /// `{ items: [T], metadata: {page, per, total} }`
    public static func page(of item: Schema) -> Schema {
        .object([("items", .array(item)), ("metadata", .ref("PageMetadata"))], required: ["items", "metadata"])
    }
}

public enum PagingParameters {
    public static let all: [APIParameter] = [
        APIParameter("page", .integer(minimum: 1, maximum: 100_000), "Sida, från 1."),
        APIParameter("per", .integer(minimum: 1, maximum: 500), "Poster per sida (högst 500)."),
    ]
}

extension Schema {
    /// Checks a query-string value against this schema (the subset the API uses for parameters).
    /// Returns a message when the value does not fit.
    func violation(_ value: String) -> String? {
        switch self {
        case let .string(format, minLength, maxLength, pattern, values):
            if let maxLength, TextRules.length(value) > maxLength { return "högst \(maxLength) tecken" }
            if let minLength, TextRules.length(value) < minLength { return "minst \(minLength) tecken" }
            if let values, !values.contains(value) { return "ett av: \(values.joined(separator: ", "))" }
            if let pattern, value.range(of: pattern, options: .regularExpression) == nil { return "fel format" }
            if format == "uuid", UUID(uuidString: value) == nil { return "ett id (UUID)" }
            if format == "date", LocalDate(value) == nil { return "ett datum ÅÅÅÅ-MM-DD" }
            return nil
        case let .integer(minimum, maximum):
            guard let n = Int(value) else { return "ett heltal" }
            if let minimum, n < minimum { return "minst \(minimum)" }
            if let maximum, n > maximum { return "högst \(maximum)" }
            return nil
        case .number:
            return Double(value) == nil ? "ett tal" : nil
        case .boolean:
            return ["true", "false", "1", "0"].contains(value.lowercased()) ? nil : "true eller false"
        case .nullable(let inner):
            return inner.violation(value)
        default:
            return nil
        }
    }
}

extension Schema {
    /// Paths of object keys in `value` that the schema does not declare (where it forbids extra keys).
    func unknownKeys(in value: JSONValue, registry: SchemaRegistry, path: String = "") -> [String] {
        switch (self, value) {
        case (.ref(let name), _):
            return registry.schema(named: name)?.unknownKeys(in: value, registry: registry, path: path) ?? []
        case (.nullable(let inner), _):
            return inner.unknownKeys(in: value, registry: registry, path: path)
        case let (.object(props, _, additional), .object(pairs)):
            var out: [String] = []
            for (key, v) in pairs {
                let p = path.isEmpty ? key : "\(path).\(key)"
                if let s = props.first(where: { $0.0 == key })?.1 {
                    out += s.unknownKeys(in: v, registry: registry, path: p)
                } else if !additional {
                    out.append(p)
                }
            }
            return out
        case let (.array(items, _, _), .array(values)):
            return values.enumerated().flatMap { items.unknownKeys(in: $1, registry: registry, path: "\(path)[\($0)]") }
        default:
            return []
        }
    }
}
