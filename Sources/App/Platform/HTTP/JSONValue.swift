import Foundation
import SamverkaRules

/// A JSON document built in code (OpenAPI document, 360Giving records, audit diffs).
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else {
            let keyed = try decoder.container(keyedBy: AnyKey.self)
            var pairs: [(String, JSONValue)] = []
            for key in keyed.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                pairs.append((key.stringValue, try keyed.decode(JSONValue.self, forKey: key)))
            }
            self = .object(pairs)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer(); try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer(); try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer(); try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(v) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in pairs { try c.encode(v, forKey: AnyKey(stringValue: k)) }
        }
    }

    /// Compact JSON text with keys in insertion order.
    public func serialized() -> String {
        var out = JSONBytes()
        write(to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    func write(to out: inout JSONBytes) {
        switch self {
        case .null: out.raw("null")
        case .bool(let b): out.raw(b ? "true" : "false")
        case .int(let i): out.int(i)
        case .double(let d): out.raw(d.isFinite ? String(d) : "null")
        case .string(let s): out.string(s)
        case .array(let a):
            out.raw("[")
            for (i, v) in a.enumerated() { if i > 0 { out.raw(",") }; v.write(to: &out) }
            out.raw("]")
        case .object(let pairs):
            out.raw("{")
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.raw(",") }
                out.string(k)
                out.raw(":")
                v.write(to: &out)
            }
            out.raw("}")
        }
    }
}

/// JSON text written straight into UTF-8 bytes, for documents built in code and for exports of a million
/// records (no intermediate values). The one place where strings are escaped: quotes, backslashes and control
/// characters, and also `<`, `>`, `&`, U+2028 and U+2029 so the text is safe inside HTML and JavaScript.
struct JSONBytes: Sendable {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }
    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func int(_ i: Int) { raw(String(i)) }

    /// A quoted, escaped string.
    mutating func string(_ s: String) {
        bytes.append(0x22)
        escaped(s)
        bytes.append(0x22)
    }

    /// The escaped content of a string without its quotes; `lowercase` lowers ASCII letters (identifiers).
    mutating func escaped(_ s: String, lowercase: Bool = false) {
        var s = s
        s.withUTF8 { buf in
            let n = buf.count
            var copied = 0, i = 0
            func flush(to end: Int) {
                if end > copied { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[copied..<end])) }
            }
            while i < n {
                let b = buf[i]
                var width = 1
                var escape: StaticString?
                switch b {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x3C: escape = "\\u003c"
                case 0x3E: escape = "\\u003e"
                case 0x26: escape = "\\u0026"
                case 0xE2 where i + 2 < n && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9):
                    escape = buf[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case 0..<0x20:
                    flush(to: i)
                    raw("\\u00")
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0xF)])
                    i += 1
                    copied = i
                    continue
                case 0x41...0x5A where lowercase:
                    flush(to: i)
                    bytes.append(b + 0x20)
                    i += 1
                    copied = i
                    continue
                default: break
                }
                if let escape {
                    flush(to: i)
                    raw(escape)
                    copied = i + width
                }
                i += width
            }
            flush(to: n)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}
