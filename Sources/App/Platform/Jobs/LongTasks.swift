import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import SamverkaRules

/// Long work started from a page (an import of many rows). It runs in the background on the node that took
/// the request; what it has done and its result are kept in `long_tasks`, so the page that shows them survives
/// a reload and any node can show it. The result is the kind's own JSON (an import's report).
final class LongTask: Model, @unchecked Sendable {
    static let schema = "long_tasks"
    var properties: [any AnyProperty] { [$id, $kind, $title, $ownerID, $status, $total, $done, $result, $startedAt, $heartbeatAt, $finishedAt] }
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "status") var status: String
    @OptionalField(key: "total") var total: Int?
    @Field(key: "done") var done: Int
    @Field(key: "result") var result: String
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "heartbeat_at") var heartbeatAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    init() {}
}

struct CreateLongTasks: AsyncMigration {
    var name: String { "P004_CreateLongTasks" }
    func prepare(on db: any Database) async throws {
        try await db.schema(LongTask.schema).id()
            .field("kind", .string, .required).field("title", .string, .required).field("owner_id", .uuid, .required)
            .field("status", .string, .required).field("total", .int).field("done", .int, .required).field("result", .string, .required)
            .field("started_at", .datetime, .required).field("heartbeat_at", .datetime, .required).field("finished_at", .datetime)
            .create()
        try await db.sql.raw("CREATE INDEX long_tasks_owner ON long_tasks (owner_id)").run()
    }
    func revert(on db: any Database) async throws { try await db.schema(LongTask.schema).delete() }
}

/// How a long task stands when someone looks.
struct LongTaskState: Sendable, Equatable {
    enum Phase: String, Sendable, Codable { case running, done, rejected, failed, interrupted }
    var phase: Phase
    var done: Int
    var total: Int?
    var elapsed: Double
    var result: String

    var progress: ImportProgress { ImportProgress(done: done, total: total, elapsed: elapsed) }
    var finished: Bool { phase != .running }
}

enum LongTasks {
    /// A running task's node writes that it is alive this often (PostgreSQL); a task not heard from for
    /// `staleAfter` seconds was on a node that stopped: its transaction was rolled back, nothing was written.
    static let heartbeatSeconds: UInt64 = 10
    static let staleAfter: Double = 60
    /// Finished tasks (and their reports) are kept this long.
    static let retentionDays = 30

    /// Records the task and starts `work` in the background; returns the task's id at once. `work` gets a
    /// function to report rows done and returns the finished phase and the result JSON.
    static func start(_ app: Application, kind: String, title: String, owner: UUID, total: Int?,
                      work: @escaping @Sendable (_ progress: @escaping @Sendable (Int) -> Void) async throws -> (LongTaskState.Phase, String)) async throws -> UUID {
        let task = LongTask()
        task.kind = kind
        task.title = String(title.prefix(200))
        task.ownerID = owner
        task.status = LongTaskState.Phase.running.rawValue
        task.total = total
        task.done = 0
        task.result = ""
        task.startedAt = Date()
        task.heartbeatAt = Date()
        try await task.create(on: app.db)
        let id = try task.requireID()
        let board = app.longTaskBoard
        board.update(id, done: 0)
        // On PostgreSQL progress goes to the task's row on a connection of its own, so every node shows it. On
        // SQLite the work's transaction holds the only write lock until it ends, and the database has one node:
        // progress is this node's board, and the row is written when the work ends.
        let shared = app.db.sql.dialect.name == "postgresql"
        Task.detached {
            let heartbeat: Task<Void, Never>? = shared ? Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: heartbeatSeconds * 1_000_000_000)
                    let done = board.done(id) ?? 0
                    try? await LongTask.query(on: app.db).filter(\.$id == id).filter(\.$status == LongTaskState.Phase.running.rawValue)
                        .set(\.$done, to: done).set(\.$heartbeatAt, to: Date()).update()
                }
            } : nil
            let outcome: (LongTaskState.Phase, String)
            do {
                outcome = try await work { done in board.update(id, done: done) }
            } catch {
                app.logger.report(error: error)
                outcome = (.failed, "")
            }
            heartbeat?.cancel()
            let done = board.done(id) ?? 0
            do {
                try await LongTask.query(on: app.db).filter(\.$id == id)
                    .set(\.$status, to: outcome.0.rawValue).set(\.$result, to: outcome.1).set(\.$done, to: done)
                    .set(\.$heartbeatAt, to: Date()).set(\.$finishedAt, to: Date()).update()
            } catch {
                app.logger.error("Long task \(id) ended (\(outcome.0.rawValue)) but could not be recorded: \(String(reflecting: error))")
            }
            board.remove(id)
        }
        return id
    }

    /// The task `id` as its owner sees it; nil when there is none or it is someone else's.
    static func state(_ id: UUID, kind: String, owner: UUID?, app: Application, on db: any Database) async throws -> (LongTask, LongTaskState)? {
        guard let owner, let task = try await LongTask.find(id, on: db), task.ownerID == owner, task.kind == kind else { return nil }
        let elapsed = (task.finishedAt ?? Date()).timeIntervalSince(task.startedAt)
        var phase = LongTaskState.Phase(rawValue: task.status) ?? .failed
        var done = task.done
        if phase == .running {
            if let mine = app.longTaskBoard.done(id) {
                done = max(done, mine)
            } else if db.sql.dialect.name != "postgresql" || Date().timeIntervalSince(task.heartbeatAt) > staleAfter {
                phase = .interrupted
            }
        }
        return (task, LongTaskState(phase: phase, done: done, total: task.total, elapsed: elapsed, result: task.result))
    }

    static func register(_ app: Application) {
        _ = app.longTaskBoard  // made before any request can race to make it
        app.jobs.add(BackgroundJob("long task retention", every: 3600) { app in
            try await LongTask.query(on: app.db).filter(\.$finishedAt < Date().addingTimeInterval(-Double(retentionDays) * 86_400)).delete()
        })
    }
}

/// What the tasks running on this node have done so far.
final class LongTaskBoard: Sendable {
    private let rows = NIOLockedValueBox<[UUID: Int]>([:])
    func update(_ id: UUID, done: Int) { rows.withLockedValue { $0[id] = done } }
    func done(_ id: UUID) -> Int? { rows.withLockedValue { $0[id] } }
    func remove(_ id: UUID) { _ = rows.withLockedValue { $0.removeValue(forKey: id) } }
}

extension Application {
    private struct LongTaskBoardKey: StorageKey { typealias Value = LongTaskBoard }
    var longTaskBoard: LongTaskBoard {
        if let b = storage[LongTaskBoardKey.self] { return b }
        let b = LongTaskBoard()
        storage[LongTaskBoardKey.self] = b
        return b
    }
}
