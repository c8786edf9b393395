import Vapor
import SamverkaRules

/// Request counters and latency histograms for `/metrics` (Prometheus text format). Each node keeps
/// its own figures; Prometheus scrapes every node, so nothing here is shared state between nodes.
public final class MetricsRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [String: Int] = [:]
    private var buckets: [String: [Int]] = [:]
    private var sums: [String: Double] = [:]
    private var counts: [String: Int] = [:]
    private var counters: [String: Int] = [:]
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    let started = Date()

    func observe(method: String, route: String, status: Int, seconds: Double) {
        let key = "method=\"\(method)\",route=\"\(route)\",status=\"\(status)\""
        let hkey = "method=\"\(method)\",route=\"\(route)\""
        lock.withLock {
            requests[key, default: 0] += 1
            var b = buckets[hkey] ?? Array(repeating: 0, count: Self.bounds.count)
            for (i, bound) in Self.bounds.enumerated() where seconds <= bound { b[i] += 1 }
            buckets[hkey] = b
            sums[hkey, default: 0] += seconds
            counts[hkey, default: 0] += 1
        }
    }

    /// A named counter, e.g. `samverka_audit_events_total`.
    public func increment(_ name: String, by n: Int = 1) {
        lock.withLock { counters[name, default: 0] += n }
    }

    func render() -> String {
        lock.withLock {
            var out = "# HELP samverka_http_requests_total HTTP requests by route and status.\n# TYPE samverka_http_requests_total counter\n"
            for (k, v) in requests.sorted(by: { $0.key < $1.key }) { out += "samverka_http_requests_total{\(k)} \(v)\n" }
            out += "# HELP samverka_http_request_duration_seconds Request latency.\n# TYPE samverka_http_request_duration_seconds histogram\n"
            for (k, b) in buckets.sorted(by: { $0.key < $1.key }) {
                for (i, bound) in Self.bounds.enumerated() {
                    out += "samverka_http_request_duration_seconds_bucket{\(k),le=\"\(bound)\"} \(b[i])\n"
                }
                out += "samverka_http_request_duration_seconds_bucket{\(k),le=\"+Inf\"} \(counts[k] ?? 0)\n"
                out += "samverka_http_request_duration_seconds_sum{\(k)} \(sums[k] ?? 0)\n"
                out += "samverka_http_request_duration_seconds_count{\(k)} \(counts[k] ?? 0)\n"
            }
            for (k, v) in counters.sorted(by: { $0.key < $1.key }) {
                out += "# TYPE \(k) counter\n\(k) \(v)\n"
            }
            out += "# TYPE samverka_uptime_seconds gauge\nsamverka_uptime_seconds \(Int(Date().timeIntervalSince(started)))\n"
            return out
        }
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = MetricsRegistry }
    public var metrics: MetricsRegistry {
        if let m = storage[MetricsKey.self] { return m }
        let m = MetricsRegistry()
        storage[MetricsKey.self] = m
        return m
    }
}

extension Request {
    private struct RequestIDKey: StorageKey { typealias Value = String }
    /// The request id: the caller's `X-Request-ID` when it is sane, otherwise Vapor's own.
    public var requestID: String {
        get { storage[RequestIDKey.self] ?? id }
        set { storage[RequestIDKey.self] = newValue }
    }
}

/// Assigns the request id, logs one structured line per request and records metrics.
struct RequestObservationMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let incoming = req.headers.first(name: "X-Request-ID"), incoming.count <= 64,
           incoming.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            req.requestID = incoming
            req.logger[metadataKey: "request-id"] = .string(incoming)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            // ProblemMiddleware sits inside this one, so errors arrive here only if it failed itself.
            throw error
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let route = req.route.map { RouteRegistry.pathString($0.path) } ?? "unmatched"
        req.application.metrics.observe(method: req.method.rawValue, route: route, status: Int(response.status.code), seconds: seconds)
        response.headers.replaceOrAdd(name: "X-Request-ID", value: req.requestID)
        req.logger.info("request", metadata: [
            "method": .string(req.method.rawValue), "path": .string(req.loggablePath), "route": .string(route),
            "status": .stringConvertible(response.status.code), "ms": .stringConvertible((seconds * 1000).rounded()),
        ])
        return response
    }
}

/// One JSON object per log line (`LOG_FORMAT=json`), for log shippers.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        var pairs: [(String, JSONValue)] = [
            ("ts", .string(ISO8601DateFormatter().string(from: Date()))),
            ("level", .string(level.rawValue)),
            ("logger", .string(label)),
            ("msg", .string(message.description)),
        ]
        let merged = metadata.merging(explicit ?? [:]) { $1 }
        for (k, v) in merged.sorted(by: { $0.key < $1.key }) { pairs.append((k, .string(v.description))) }
        let line = JSONValue.object(pairs).serialized() + "\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

/// What a log line may show of a request path: the values of secret path parameters (password-reset and
/// invitation tokens, the personal calendar feed) are replaced by `[redacted]`.
public enum LogRedaction {
    public static let secretParameters: Set<String> = ["token", "file", "secret"]

    /// `path` as requested, `pattern` the matched route's components (nil when no route matched: then only the
    /// first segment is kept, so a mistyped secret link leaks nothing either).
    public static func path(_ path: String, pattern: [PathComponent]?) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let pattern else {
            return segments.count > 2 ? segments.prefix(2).joined(separator: "/") + "/[…]" : path
        }
        var out: [Substring] = []
        for (i, segment) in segments.enumerated() {
            let component = i > 0 && i - 1 < pattern.count ? pattern[i - 1] : nil
            if case .parameter(let name)? = component, secretParameters.contains(name) { out.append("[redacted]") } else { out.append(segment) }
        }
        return out.joined(separator: "/")
    }
}

extension Request {
    /// The path as logs may show it (see `LogRedaction`).
    public var loggablePath: String { LogRedaction.path(url.path, pattern: route?.path) }
}
