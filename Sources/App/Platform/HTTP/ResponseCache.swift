import Foundation
import NIOConcurrencyHelpers
import Vapor
import SamverkaRules

/// Public JSON responses that are expensive to compute (e.g. a full-text search over 300,000 organisations),
/// kept by this node for as long as the database's change counter for their data (`ChangeCounters`) is
/// unchanged. Each request still asks the database for the counter, so every node answers exactly as if
/// nothing were cached: a write on any node makes every node's copies stale at once. Only for responses
/// that are the same for every caller. A request with `Cache-Control: no-cache` is computed afresh (and the
/// fresh answer kept); with `no-store` it is computed afresh and not kept. Responses say what happened in a `Cache-Status` header (RFC 9211).
final class ResponseCache: @unchecked Sendable {
    let capacity: Int
    let maxBodyBytes: Int
    let maxTotalBytes: Int
    private let lock = NIOLock()
    private var entries: [String: Entry] = [:]
    private var totalBytes = 0
    private var tick: UInt64 = 0

    private struct Entry {
        var counter: Int
        var body: ByteBuffer
        var used: UInt64
    }

    init(capacity: Int = 512, maxBodyBytes: Int = 512 * 1024, maxTotalBytes: Int = 32 * 1024 * 1024) {
        self.capacity = capacity
        self.maxBodyBytes = maxBodyBytes
        self.maxTotalBytes = maxTotalBytes
    }

    /// The body kept under `key` when it was computed at counter value `counter`.
    func body(_ key: String, counter: Int) -> ByteBuffer? {
        lock.withLock {
            guard var e = entries[key], e.counter == counter else { return nil }
            tick += 1
            e.used = tick
            entries[key] = e
            return e.body
        }
    }

    func store(_ key: String, counter: Int, body: ByteBuffer) {
        guard body.readableBytes <= maxBodyBytes else { return }
        lock.withLock {
            tick += 1
            totalBytes -= entries[key]?.body.readableBytes ?? 0
            entries[key] = Entry(counter: counter, body: body, used: tick)
            totalBytes += body.readableBytes
            guard entries.count > capacity || totalBytes > maxTotalBytes else { return }
            // Entries of an older counter value are dead; then the least recently used go until a quarter is free.
            entries = entries.filter { $0.value.counter >= counter }
            totalBytes = entries.values.reduce(0) { $0 + $1.body.readableBytes }
            guard entries.count > capacity || totalBytes > maxTotalBytes else { return }
            var kept: [String: Entry] = [:]
            var bytes = 0
            for (k, e) in entries.sorted(by: { $0.value.used > $1.value.used }) {
                guard kept.count < capacity * 3 / 4, bytes + e.body.readableBytes <= maxTotalBytes * 3 / 4 else { break }
                kept[k] = e
                bytes += e.body.readableBytes
            }
            entries = kept
            totalBytes = bytes
        }
    }

    var count: Int { lock.withLock { entries.count } }
}

extension Application {
    private struct ResponseCacheKey: StorageKey { typealias Value = ResponseCache }

    /// Set up by `configure`.
    var responseCache: ResponseCache {
        get {
            guard let c = storage[ResponseCacheKey.self] else { fatalError("configure(_:) sets up the response cache") }
            return c
        }
        set { storage[ResponseCacheKey.self] = newValue }
    }
}

extension Request {
    /// `make`'s value as JSON, from this node's `ResponseCache` when the data behind change counter
    /// `counter` has not changed since it was kept under `key`. `key` must name everything the answer
    /// depends on (path, filters, page); the answer must not depend on who asks.
    func cachedJSON<T: Encodable & Sendable>(counter: String, key: String, _ make: () async throws -> T) async throws -> Response {
        let directives = headers[.cacheControl].joined(separator: ",").lowercased()
        let noStore = directives.contains("no-store")
        let bypass = noStore || directives.contains("no-cache")
        let value = try await ChangeCounters.value(counter, on: db)
        let cache = application.responseCache
        if !bypass, let body = cache.body(key, counter: value) {
            application.metrics.increment("samverka_response_cache_hits_total")
            return Self.json(body, status: "hit")
        }
        let data = try JSONEncoder.api.encode(try await make())
        let body = ByteBuffer(bytes: data)
        let keep = !noStore && key.utf8.count <= Self.maxKeyBytes
        if keep { cache.store(key, counter: value, body: body) }
        application.metrics.increment("samverka_response_cache_misses_total")
        return Self.json(body, status: (bypass ? "fwd=request" : "fwd=miss") + (keep ? "; stored" : ""))
    }

    /// Longer keys (query strings) are answered but not kept.
    static let maxKeyBytes = 2048

    private static func json(_ body: ByteBuffer, status: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "Cache-Status", value: "samverka; " + status)
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }
}
