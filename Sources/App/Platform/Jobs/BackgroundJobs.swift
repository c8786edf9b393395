import Fluent
import NIOCore
import SQLKit
import Vapor
import SamverkaRules

/// Work a node does in the background. Each module adds its own jobs when it registers (the outbox, clean-up,
/// reminders, retention). A job with an interval is claimed in the database (`job_runs`), so across all nodes it
/// runs once per interval; a job without one runs on every tick on every node and must claim its own rows.
public struct BackgroundJob: Sendable {
    public var name: String
    /// Seconds between runs across the installation; nil = every tick (the job claims its rows itself).
    public var every: Int?
    public var run: @Sendable (Application) async throws -> Void

    public init(_ name: String, every: Int? = nil, run: @escaping @Sendable (Application) async throws -> Void) {
        self.name = name
        self.every = every
        self.run = run
    }
}

public final class JobRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [BackgroundJob] = []
    public func add(_ job: BackgroundJob) { lock.withLock { jobs.append(job) } }
    public var all: [BackgroundJob] { lock.withLock { jobs } }
}

extension Application {
    private struct JobsKey: StorageKey { typealias Value = JobRegistry }
    public var jobs: JobRegistry {
        if let j = storage[JobsKey.self] { return j }
        let j = JobRegistry()
        storage[JobsKey.self] = j
        return j
    }
}

enum BackgroundJobs {
    final class Handle: LifecycleHandler, @unchecked Sendable {
        var task: RepeatedTask?
        func shutdown(_ application: Application) { task?.cancel() }
    }

    static func start(_ app: Application, every seconds: Int64 = 30) {
        let handle = Handle()
        let loop = app.eventLoopGroup.next()
        handle.task = loop.scheduleRepeatedAsyncTask(initialDelay: .seconds(2), delay: .seconds(seconds)) { _ in
            loop.makeFutureWithTask { await runOnce(app) }
        }
        app.lifecycle.use(handle)
    }

    /// One tick: every due job, each on its own (a failing job is logged and does not stop the others).
    static func runOnce(_ app: Application, now: Date = Date()) async {
        for job in app.jobs.all {
            do {
                if let every = job.every, !(try await JobClaims.claim(job.name, every: every, now: now, on: app.db)) { continue }
                try await job.run(app)
            } catch {
                app.logger.warning("background job failed", metadata: ["job": .string(job.name), "error": .string("\(error)")])
            }
        }
    }
}

/// Claims a periodic job for this node: true at most once per interval across every node sharing the database.
enum JobClaims {
    static func claim(_ name: String, every seconds: Int, now: Date = Date(), on db: any Database) async throws -> Bool {
        let sql = db.sql
        let stamp = AuditChain.timestamp(now)
        let due = AuditChain.timestamp(now.addingTimeInterval(-Double(seconds)))
        try await sql.raw("INSERT INTO job_runs (name, last_run_at) VALUES (\(bind: name), '1970-01-01T00:00:00.000Z') ON CONFLICT (name) DO NOTHING").run()
        let rows = try await sql.raw("UPDATE job_runs SET last_run_at = \(bind: stamp) WHERE name = \(bind: name) AND last_run_at <= \(bind: due) RETURNING name").all()
        return !rows.isEmpty
    }
}

