import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// One odd character must never take a node down. Every text field of every JSON body the API takes (create and
/// update alike) is sent, in turn, text with combining marks, a NUL, a lone surrogate escaped in JSON and 100,000
/// characters, against real records of the demo data. Nothing may answer 5xx (or crash the test process, which is
/// what a force-unwrap would do); a NUL and 100,000 characters are refused with 4xx; and the node keeps serving.
@Suite("Crash probe", .serialized)
struct CrashProbeTests {
    enum Probe: String, CaseIterable, Sendable {
        case combiningMarks, nul, loneSurrogate, hundredThousand

        /// The JSON text of the value (a lone surrogate cannot be a Swift string, so it is written escaped).
        var json: String {
            switch self {
            case .combiningMarks: return "\"556091\\u0301-2148 Fo\\u0308reningen\\u0301\\u0302\\u0303 ⁵٣\""
            case .nul: return "\"Före\\u0000ningen\""
            case .loneSurrogate: return "\"Före\\ud800ningen\""
            case .hundredThousand: return "\"" + String(repeating: "å", count: 100_000) + "\""
            }
        }

        /// Values no field accepts.
        var mustBeRefused: Bool { self == .nul || self == .hundredThousand }
    }

    /// Operations not probed: ending the probing admin's own account or session would stop the probe itself.
    static func skipped(_ e: RouteEntry) -> Bool {
        e.path.contains("erase") || e.path.hasPrefix("/api/v1/session") || e.path.hasPrefix("/api/v1/me/tokens")
    }

    @Test("every text field of every create/update body: no 5xx, NUL and 100 000 characters refused, the node keeps serving")
    func probe() async throws {
        try await TestApp.run { t in
            _ = try await DemoData.load(t.app)
            let f = try await DemoFixtures.load(t)
            let admin = try await t.user(.admin)
            let registry = t.app.routeRegistry
            var sent = 0, operations = 0
            for entry in registry.all where !Self.skipped(entry) {
                guard let op = entry.api, let bodySchema = op.body, op.bodyContentType == "application/json",
                      entry.method != .GET, entry.method != .DELETE else { continue }
                let schema = Self.resolve(bodySchema, registry.schemas)
                let fields = Self.textFields(schema, registry.schemas)
                guard !fields.isEmpty else { continue }
                operations += 1
                let path = DemoFixtures.path(entry.path, f)
                let base = Self.sample(schema, registry.schemas, f)
                for field in fields {
                    for probe in Probe.allCases {
                        let marker = "\u{1F}PROBE\u{1F}"
                        let body = Self.setting(field, to: .string(marker), in: base).serialized()
                            .replacingOccurrences(of: JSONValue.string(marker).serialized(), with: field.isArray ? "[\(probe.json)]" : probe.json)
                        let res = try await t.api(entry.method, path, token: admin.token, rawBody: body)
                        let code = Int(res.status.code)
                        let label = "\(entry.method) \(entry.path) \(field.path) ← \(probe.rawValue): \(code) \(res.text.prefix(200))"
                        #expect(code < 500, "server error: \(label)")
                        if probe.mustBeRefused { #expect((400..<500).contains(code), "accepted: \(label)") }
                        sent += 1
                    }
                }
            }
            #expect(operations > 40, "probed \(operations) operations")
            #expect(sent > 500)
            let health = try await t.api(.GET, "/health")
            #expect(health.status == .ok, "the node must keep serving after the probe")
        }
    }

    // MARK: Building bodies from the API's own schemas

    struct Field: Sendable {
        var path: [String]
        var isArray: Bool
    }

    static func resolve(_ s: App.Schema, _ r: App.SchemaRegistry) -> App.Schema {
        switch s {
        case .ref(let name): return r.schema(named: name).map { resolve($0, r) } ?? s
        case .nullable(let inner): return resolve(inner, r)
        default: return s
        }
    }

    /// Text fields of an object schema: its own string properties, arrays of strings, and those of nested objects.
    static func textFields(_ s: App.Schema, _ r: App.SchemaRegistry, prefix: [String] = []) -> [Field] {
        guard case .object(let props, _, _) = resolve(s, r) else { return [] }
        var out: [Field] = []
        for (name, raw) in props {
            switch resolve(raw, r) {
            case .string: out.append(Field(path: prefix + [name], isArray: false))
            case .array(let items, _, _):
                if case .string = resolve(items, r) { out.append(Field(path: prefix + [name], isArray: true)) }
            case .object where prefix.isEmpty: out += textFields(raw, r, prefix: [name])
            default: break
            }
        }
        return out
    }

    /// A body with plausible values for every property, so a probe in one field gets past the others.
    static func sample(_ s: App.Schema, _ r: App.SchemaRegistry, _ f: DemoFixtures.Fixtures, name: String = "") -> JSONValue {
        switch resolve(s, r) {
        case .object(let props, _, _):
            return .object(props.filter { $0.0 != "version" || true }.map { ($0.0, sample($0.1, r, f, name: $0.0)) })
        case let .string(format, _, _, _, values):
            if let values, let first = values.first(where: { !$0.isEmpty }) { return .string(first) }
            if format == "date" || name.hasSuffix("On") || name.hasPrefix("term") || name == "date" || name == "deadline" { return .string(LocalDate.today().description) }
            if format == "uuid" || name.hasSuffix("Id") { return .string(id(for: name, f).uuidString) }
            if name == "orgnr" { return "802000-0009" }
            if name.lowercased().contains("email") { return "probe@example.se" }
            if name.hasSuffix("Time") { return "10:00" }
            return "Provtext"
        case let .integer(minimum, _):
            return .int(name == "version" ? 1 : max(minimum ?? 1, name == "year" ? LocalDate.today().year : 1))
        case .number: return .double(1)
        case .boolean: return false
        case .array: return .array([])
        case .map: return .object([])
        default: return .null
        }
    }

    static func id(for name: String, _ f: DemoFixtures.Fixtures) -> UUID {
        switch name {
        case "organisationId", "parentId": return f.org
        case "bodyId": return f.body
        case "unitId": return f.unit
        case "contactRoleId", "ownerRoleId", "secretaryRoleId", "roleId": return f.role
        case "forumId": return f.forum
        case "programmeId": return f.programme
        case "callId": return f.call
        case "applicationId": return f.application
        case "meetingId": return f.meeting
        case "questionId": return f.question
        case "consultationId": return f.consultation
        case "seatId", "adjusterSeatId", "substituteForId": return f.seat
        default: return UUID()
        }
    }

    static func setting(_ field: Field, to value: JSONValue, in body: JSONValue) -> JSONValue {
        guard case .object(var pairs) = body, let key = field.path.first else { return body }
        let rest = Field(path: Array(field.path.dropFirst()), isArray: field.isArray)
        let new: JSONValue = rest.path.isEmpty ? value : setting(rest, to: value, in: pairs.first { $0.0 == key }?.1 ?? .object([]))
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = new } else { pairs.append((key, new)) }
        return .object(pairs)
    }
}
