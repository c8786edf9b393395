import Fluent
import SQLKit
import Vapor
import SamverkaRules

/// Counts attempts per bucket in the database (shared by every node).
enum RateLimiter {
    /// Seconds to wait, or 0 when the attempt may go ahead.
    static func retryAfter(_ bucket: String, _ limit: RateLimit, on db: any Database) async throws -> Int {
        let since = Date().addingTimeInterval(-limit.window)
        let hits = try await RateLimitHit.query(on: db).filter(\.$bucket == bucket).filter(\.$at > since).all().map(\.at)
        return limit.retryAfter(hits: hits, now: Date())
    }

    static func record(_ bucket: String, on db: any Database) async throws {
        try await RateLimitHit(bucket: bucket, at: Date()).create(on: db)
        // Old hits are useless; trim now and then.
        if Int.random(in: 0..<50) == 0 {
            try await RateLimitHit.query(on: db).filter(\.$at < Date().addingTimeInterval(-86400)).delete()
        }
    }

    static func clear(_ bucket: String, on db: any Database) async throws {
        try await RateLimitHit.query(on: db).filter(\.$bucket == bucket).delete()
    }

    /// Throws 429 with Retry-After when any bucket is exhausted.
    static func check(_ buckets: [(String, RateLimit)], on db: any Database) async throws {
        var wait = 0
        for (b, l) in buckets { wait = max(wait, try await retryAfter(b, l, on: db)) }
        if wait > 0 {
            throw AppError(.tooManyRequests, "För många försök. Vänta \(max(1, wait / 60)) minut(er) och försök igen.",
                           headers: ["Retry-After": String(wait)])
        }
    }
}

extension Request {
    /// The client's address; the first `X-Forwarded-For` entry when running behind a trusted proxy.
    var clientAddress: String {
        if application.config.trustForwardedFor, let fwd = headers.first(name: .xForwardedFor)?.split(separator: ",").first {
            return fwd.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
