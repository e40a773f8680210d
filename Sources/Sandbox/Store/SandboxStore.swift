import Foundation
import GRDB

/// The sandbox's state in SQLite: resources, their events, tasks. Shared safely by several processes
/// (WAL mode, every change in a transaction); committed changes survive a killed process.
public final class SandboxStore: Sendable {
    let database: any DatabaseWriter

    /// Opens (creating and migrating as needed) the state at `path`; `:memory:` for a private
    /// in-memory state.
    public init(path: String) throws(SandboxSetupError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            if path == ":memory:" {
                database = try DatabaseQueue(configuration: configuration)
            } else {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                database = try DatabasePool(path: path, configuration: configuration)
            }
            try Self.migrator.migrate(database)
        } catch let error as SandboxSetupError {
            throw error
        } catch {
            throw .badState("\(path): \(error)")
        }
    }

    /// The default state file: `$XDG_STATE_HOME/gpus/sandbox.sqlite`, else `~/.local/state/gpus/sandbox.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/gpus/sandbox.sqlite"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resources (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        spec BLOB NOT NULL,
                        gone_at INTEGER
                    );
                    CREATE INDEX resources_by_kind ON resources(kind, id);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        duration INTEGER NOT NULL DEFAULT 0,
                        value INTEGER
                    );
                    CREATE INDEX events_by_resource ON events(resource_id, seq);
                    CREATE TABLE tasks (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        endpoint_id INTEGER NOT NULL,
                        task_id TEXT NOT NULL,
                        submitted_at INTEGER NOT NULL,
                        spec BLOB NOT NULL,
                        delivery_status TEXT NOT NULL DEFAULT 'INIT',
                        delivery_attempts INTEGER NOT NULL DEFAULT 0,
                        delivered_at INTEGER,
                        next_delivery_at INTEGER,
                        claimed_until INTEGER,
                        UNIQUE(endpoint_id, task_id)
                    );
                    CREATE INDEX tasks_to_deliver ON tasks(next_delivery_at) WHERE next_delivery_at IS NOT NULL;
                    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    """)
        }
        return migrator
    }

    /// Runs `body` in a read transaction. Synchronous on purpose: a read takes microseconds, and
    /// hopping to GRDB's queues and back cost more than the query (measured with
    /// `scripts/bench-sandbox`).
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws -> T) async throws -> T {
        try readNow(body)
    }

    /// `read`, for synchronous callers. Without a transaction (`unsafeRead`): the controllers'
    /// reads are one or two statements, and BEGIN/COMMIT around them cost as much as the reads.
    public func readNow<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try database.unsafeRead { db in try body(StoreReader(db: db)) }
    }

    /// Runs `body` in a write transaction (synchronous, as `read`).
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreWriter) throws -> T) async throws -> T {
        try writeNow(body)
    }

    /// `write`, for synchronous callers.
    public func writeNow<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        try database.write { db in try body(StoreWriter(db: db)) }
    }

    /// Deletes every resource and task.
    public func reset() async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM events; DELETE FROM tasks; DELETE FROM resources; DELETE FROM counters")
        }
    }
}

/// Typed reads inside one transaction.
public struct StoreReader {
    let db: Database

    public func resource(_ id: Int64, kind: ResourceKind) throws -> StoredResource? {
        let statement = try db.cachedStatement(sql: "SELECT * FROM resources WHERE id = ? AND kind = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id, kind.rawValue]) else { return nil }
        return try attachEvents(to: [Self.resource(from: row)]).first
    }

    /// Every resource of a kind, including finished ones (`goneAt` set), oldest first.
    public func resources(kind: ResourceKind) throws -> [StoredResource] {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM resources WHERE kind = ? ORDER BY id"), arguments: [kind.rawValue])
        return try attachEvents(to: rows.map(Self.resource(from:)))
    }

    func attachEvents(to resources: [StoredResource]) throws -> [StoredResource] {
        guard !resources.isEmpty else { return [] }
        var byID: [Int64: [ResourceEvent]] = [:]
        let sql: String
        let arguments: StatementArguments
        if resources.count == 1 {
            sql = "SELECT * FROM events WHERE resource_id = ? ORDER BY seq"
            arguments = [resources[0].id]
        } else {
            sql = """
                SELECT events.* FROM events JOIN resources ON resources.id = events.resource_id
                WHERE resources.kind = ? ORDER BY events.seq
                """
            arguments = [resources[0].kind.rawValue]
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            guard let kind = ResourceEvent.Kind(rawValue: row["kind"]) else { continue }
            byID[row["resource_id"], default: []].append(
                ResourceEvent(kind, at: row["at"], duration: row["duration"], value: row["value"]))
        }
        return resources.map { resource in
            var copy = resource
            copy.events = byID[resource.id] ?? []
            return copy
        }
    }

    static func resource(from row: Row) -> StoredResource {
        StoredResource(
            id: row["id"], kind: ResourceKind(rawValue: row["kind"]) ?? .vm, name: row["name"],
            createdAt: row["created_at"], spec: row["spec"], events: [], goneAt: row["gone_at"])
    }

    public func task(endpointID: Int64, taskID: String) throws -> StoredTask? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM tasks WHERE endpoint_id = ? AND task_id = ?"),
            arguments: [endpointID, taskID]
        ).map(StoredTask.init(row:))
    }

    public func tasks(endpointID: Int64) throws -> [StoredTask] {
        try Row.fetchAll(db, sql: "SELECT * FROM tasks WHERE endpoint_id = ? ORDER BY seq", arguments: [endpointID])
            .map(StoredTask.init(row:))
    }
}

/// Typed changes inside one write transaction.
public struct StoreWriter {
    let db: Database

    public var reader: StoreReader { StoreReader(db: db) }

    /// A new snowflake-style id: milliseconds since 2020 in the high bits, a counter shared through the
    /// database in the low 22 bits, so ids are unique across processes and above 2^53.
    public func nextID(now: Int64) throws -> Int64 {
        let counter =
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        INSERT INTO counters(name, value) VALUES('id', 1)
                        ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value
                        """)) ?? 1
        return ((now - 1_577_836_800_000) << 22) | (counter & 0x3F_FFFF)
    }

    public func insert(
        kind: ResourceKind, name: String, spec: Data, events: [ResourceEvent], now: Int64
    ) throws
        -> Int64
    {
        let id = try nextID(now: now)
        try db.cachedStatement(sql: "INSERT INTO resources(id, kind, name, created_at, spec) VALUES(?, ?, ?, ?, ?)")
            .execute(arguments: [id, kind.rawValue, name, now, spec])
        for event in events { try append(event, to: id) }
        return id
    }

    public func append(_ event: ResourceEvent, to id: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO events(resource_id, kind, at, duration, value) VALUES(?, ?, ?, ?, ?)")
            .execute(arguments: [id, event.kind.rawValue, event.at, event.duration, event.value])
    }

    public func update(_ id: Int64, name: String? = nil, spec: Data? = nil) throws {
        if let name { try db.execute(sql: "UPDATE resources SET name = ? WHERE id = ?", arguments: [name, id]) }
        if let spec { try db.execute(sql: "UPDATE resources SET spec = ? WHERE id = ?", arguments: [spec, id]) }
    }

    public func markGone(_ id: Int64, at time: Int64) throws {
        try db.execute(sql: "UPDATE resources SET gone_at = ? WHERE id = ?", arguments: [time, id])
    }

    /// Inserts a task, or returns the existing one with the same `taskId` on that endpoint.
    public func insertTask(
        endpointID: Int64, taskID: String, spec: Data, now: Int64, hasWebhook: Bool
    ) throws
        -> StoredTask
    {
        if let existing = try reader.task(endpointID: endpointID, taskID: taskID) { return existing }
        try db.execute(
            sql: """
                INSERT INTO tasks(endpoint_id, task_id, submitted_at, spec, next_delivery_at)
                VALUES(?, ?, ?, ?, ?)
                """,
            arguments: [endpointID, taskID, now, spec, hasWebhook ? now : nil])
        guard let task = try reader.task(endpointID: endpointID, taskID: taskID) else {
            throw DatabaseError(message: "task vanished after insert")
        }
        return task
    }

    /// Claims up to `limit` tasks whose webhook delivery is due, for `lease` ms, so that two processes
    /// sharing the state never deliver the same attempt twice.
    public func claimDeliveries(now: Int64, lease: Int64, limit: Int) throws -> [StoredTask] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM tasks WHERE next_delivery_at IS NOT NULL AND next_delivery_at <= ?
                AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_delivery_at LIMIT ?
                """,
            arguments: [now, now, limit])
        for row in rows {
            try db.execute(
                sql: "UPDATE tasks SET claimed_until = ? WHERE seq = ?", arguments: [now + lease, row["seq"]])
        }
        return rows.map(StoredTask.init(row:))
    }

    /// Records a delivery attempt and when the next one is due (nil: no more).
    public func recordDelivery(
        seq: Int64, status: String, attempts: Int, deliveredAt: Int64?, nextAttemptAt: Int64?
    ) throws {
        try db.execute(
            sql: """
                UPDATE tasks SET delivery_status = ?, delivery_attempts = ?, delivered_at = COALESCE(?, delivered_at),
                next_delivery_at = ?, claimed_until = NULL WHERE seq = ?
                """,
            arguments: [status, attempts, deliveredAt, nextAttemptAt, seq])
    }

    /// Puts a claimed task back, to be looked at again at `time`.
    public func postponeDelivery(seq: Int64, until time: Int64) throws {
        try db.execute(
            sql: "UPDATE tasks SET next_delivery_at = ?, claimed_until = NULL WHERE seq = ?", arguments: [time, seq])
    }
}

/// A task row.
public struct StoredTask: Sendable {
    public var seq: Int64
    public var endpointID: Int64
    public var taskID: String
    public var submittedAt: Int64
    public var spec: Data
    public var deliveryStatus: String
    public var deliveryAttempts: Int
    public var deliveredAt: Int64?
    public var nextDeliveryAt: Int64?

    init(row: Row) {
        seq = row["seq"]
        endpointID = row["endpoint_id"]
        taskID = row["task_id"]
        submittedAt = row["submitted_at"]
        spec = row["spec"]
        deliveryStatus = row["delivery_status"]
        deliveryAttempts = row["delivery_attempts"]
        deliveredAt = row["delivered_at"]
        nextDeliveryAt = row["next_delivery_at"]
    }
}
