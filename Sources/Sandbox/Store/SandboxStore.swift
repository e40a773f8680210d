import Foundation
import GRDB
import YottaAPI

/// The sandbox's state in SQLite: resources, their events, tasks. Shared safely by several processes
/// (WAL mode, every change in a transaction); committed changes survive a killed process.
public final class SandboxStore: Sendable {
    let database: any DatabaseWriter
    /// Decoded specs of this state's resources (never shared with another state).
    let specs = SpecCache()

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
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                PrivateFiles.restrict(
                    database: path,
                    stateFolder: URL(fileURLWithPath: Self.defaultPath()).deletingLastPathComponent().path)
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
        // v2: each row keeps its current status (and when it next changes), the attributes lists
        // filter on, counts per group kept by triggers, and what refers to what (volume mounts,
        // credentials), so a list or a delete costs the page or the references, not the account.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE resources ADD COLUMN status TEXT NOT NULL DEFAULT '';
                    ALTER TABLE resources ADD COLUMN next_change_at INTEGER;
                    ALTER TABLE resources ADD COLUMN region TEXT NOT NULL DEFAULT '';
                    ALTER TABLE resources ADD COLUMN subtype TEXT NOT NULL DEFAULT '';
                    CREATE INDEX resources_by_status ON resources(kind, status, id);
                    CREATE INDEX resources_by_subtype ON resources(kind, subtype, id) WHERE subtype != '';
                    CREATE INDEX resources_due ON resources(next_change_at) WHERE next_change_at IS NOT NULL;
                    CREATE TABLE refs (
                        target_id INTEGER NOT NULL,
                        source_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                        PRIMARY KEY(target_id, source_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX refs_by_source ON refs(source_id);
                    CREATE TABLE resource_counts (
                        kind TEXT NOT NULL, status TEXT NOT NULL, subtype TEXT NOT NULL, region TEXT NOT NULL,
                        n INTEGER NOT NULL,
                        PRIMARY KEY(kind, status, subtype, region)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER resources_counted AFTER INSERT ON resources BEGIN
                        INSERT INTO resource_counts(kind, status, subtype, region, n)
                        VALUES(NEW.kind, NEW.status, NEW.subtype, NEW.region, 1)
                        ON CONFLICT DO UPDATE SET n = n + 1;
                    END;
                    CREATE TRIGGER resources_recounted AFTER UPDATE OF status, subtype, region ON resources BEGIN
                        UPDATE resource_counts SET n = n - 1 WHERE kind = OLD.kind AND status = OLD.status
                            AND subtype = OLD.subtype AND region = OLD.region;
                        INSERT INTO resource_counts(kind, status, subtype, region, n)
                        VALUES(NEW.kind, NEW.status, NEW.subtype, NEW.region, 1)
                        ON CONFLICT DO UPDATE SET n = n + 1;
                    END;
                    CREATE TRIGGER resources_uncounted AFTER DELETE ON resources BEGIN
                        UPDATE resource_counts SET n = n - 1 WHERE kind = OLD.kind AND status = OLD.status
                            AND subtype = OLD.subtype AND region = OLD.region;
                    END;
                    """)
            // Rows of a v1 state: attributes, references and statuses derived once.
            let writer = StoreWriter(db: db, specs: SpecCache())
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM resources")
            for id in ids {
                guard let stored = try writer.reader.resource(id) else { continue }
                try writer.index(stored)
                try writer.refresh(stored, now: Int64(Date().timeIntervalSince1970 * 1000))
            }
        }
        return migrator
    }

    /// Runs `body` in a read transaction. Synchronous on purpose: a read takes microseconds, and
    /// hopping to GRDB's queues and back cost more than the query (measured with
    /// `scripts/bench-sandbox`).
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws -> T) async throws -> T {
        try readNow(body)
    }

    /// `read`, for synchronous callers, in a read transaction (one snapshot for every statement).
    public func readNow<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try database.read { db in try body(StoreReader(db: db, specs: specs)) }
    }

    /// One resource with its events, for a `GET` by id. It is one SQL statement, which SQLite runs
    /// as its own snapshot, so it skips BEGIN/COMMIT (`unsafeRead`): they cost as much as the read.
    public func resource(_ id: Int64, kind: ResourceKind) throws -> StoredResource? {
        try database.unsafeRead { db in try StoreReader(db: db, specs: specs).resource(id, kind: kind) }
    }

    /// Runs `body` in a write transaction (synchronous, as `read`).
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreWriter) throws -> T) async throws -> T {
        let specs = specs
        return try await database.write { db in try body(StoreWriter(db: db, specs: specs)) }
    }

    /// `write`, for synchronous callers.
    public func writeNow<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        try database.write { db in try body(StoreWriter(db: db, specs: specs)) }
    }

    /// Brings every row whose status was due to change by `now` up to date (cheap when none is:
    /// one indexed lookup), so that lists can filter and count on the stored status.
    public func refreshDue(now: Int64) throws {
        // One statement: no transaction needed (see `resource(_:kind:)`).
        let due = try database.unsafeRead { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM resources WHERE next_change_at <= ?)"),
                arguments: [now]) ?? false
        }
        guard due else { return }
        try writeNow { try $0.refreshDue(now: now) }
    }

    /// Deletes every resource and task.
    public func reset() async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM events; DELETE FROM tasks; DELETE FROM refs; DELETE FROM resources;
                    DELETE FROM resource_counts; DELETE FROM counters
                    """)
        }
    }
}

/// A `resources` row. Decoded by hand rather than through `Codable`, which costs several times the
/// query in a list of thousands.
struct ResourceRow: FetchableRecord {
    var id: Int64
    /// A kind this version does not know (a newer version's state) is an error, never taken for
    /// another kind.
    var kind: ResourceKind
    var name: String
    var createdAt: Int64
    var spec: Data
    var goneAt: Int64?

    init(row: Row) throws {
        let text: String = row["kind"]
        guard let kind = ResourceKind(stored: text) else {
            throw DatabaseError(message: "resource \(row["id"] as Int64? ?? 0) has an unknown kind '\(text)'")
        }
        self.kind = kind
        id = row["id"]
        name = row["name"]
        createdAt = row["created_at"]
        spec = row["spec"]
        goneAt = row["gone_at"]
    }
}

/// An `events` row.
struct EventRow: FetchableRecord {
    var resourceId: Int64
    var event: ResourceEvent

    init(row: Row) throws {
        let text: String = row["kind"]
        guard let kind = ResourceEvent.Kind(rawValue: text) else {
            throw DatabaseError(
                message: "an event of resource \(row["resource_id"] as Int64? ?? 0) has an unknown kind '\(text)'")
        }
        resourceId = row["resource_id"]
        event = ResourceEvent(kind, at: row["at"], duration: row["duration"], value: row["value"])
    }
}

/// What a list asks for: a kind, optional filters on the stored attributes, a page.
public struct ResourceQuery: Sendable {
    public var kind: ResourceKind
    /// Only these statuses; empty: any except `gone`.
    public var statuses: [String] = []
    public var subtype: String?
    public var regions: [String] = []
    /// Newest first, skipping `offset`, at most `limit`; nil: all.
    public var limit: Int?
    public var offset = 0

    public init(kind: ResourceKind) { self.kind = kind }

    /// The WHERE clause and its arguments.
    var filter: (sql: String, arguments: StatementArguments) {
        var clauses = ["kind = ?"]
        var arguments: StatementArguments = [kind.stored]
        if statuses.isEmpty {
            clauses.append("status != ?")
            _ = arguments.append(contentsOf: [CurrentStatus.gone])
        } else {
            clauses.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ",")))")
            _ = arguments.append(contentsOf: StatementArguments(statuses))
        }
        if let subtype {
            clauses.append("subtype = ? AND subtype != ''")  // the second term lets SQLite use the partial index
            _ = arguments.append(contentsOf: [subtype])
        }
        if !regions.isEmpty {
            clauses.append("region IN (\(regions.map { _ in "?" }.joined(separator: ",")))")
            _ = arguments.append(contentsOf: StatementArguments(regions))
        }
        return (clauses.joined(separator: " AND "), arguments)
    }
}

/// Typed reads inside one transaction.
public struct StoreReader {
    let db: Database
    let specs: SpecCache

    public func resource(_ id: Int64, kind: ResourceKind) throws -> StoredResource? {
        guard let found = try resource(id), found.kind == kind else { return nil }
        return found
    }

    /// A resource of any kind, with its events.
    /// One statement (a join), so it reads one snapshot even outside a transaction.
    func resource(_ id: Int64) throws -> StoredResource? {
        let cursor = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT resources.*, events.kind AS event, events.at, events.duration, events.value
                    FROM resources LEFT JOIN events ON events.resource_id = resources.id
                    WHERE resources.id = ? ORDER BY events.seq
                    """),
            arguments: [id])
        var found: ResourceRow?
        var events: [ResourceEvent] = []
        while let row = try cursor.next() {
            if found == nil { found = try ResourceRow(row: row) }
            guard let text: String = row["event"] else { continue }
            guard let kind = ResourceEvent.Kind(rawValue: text) else {
                throw DatabaseError(message: "an event of resource \(id) has an unknown kind '\(text)'")
            }
            events.append(ResourceEvent(kind, at: row["at"], duration: row["duration"], value: row["value"]))
        }
        guard let found else { return nil }
        return StoredResource(
            id: found.id, kind: found.kind, name: found.name, createdAt: found.createdAt, spec: found.spec,
            events: events, goneAt: found.goneAt, specs: specs)
    }

    /// Every resource of a kind, including finished ones (`goneAt` set), oldest first.
    public func resources(kind: ResourceKind) throws -> [StoredResource] {
        let rows = try ResourceRow.fetchAll(
            db, sql: "SELECT * FROM resources WHERE kind = ? ORDER BY id", arguments: [kind.stored])
        return try withEvents(rows, allOfKind: kind)
    }

    /// The resources a query selects, newest first, with their events, and how many it selects in
    /// all (from the per-group counts, not by counting rows).
    public func select(_ query: ResourceQuery) throws -> (items: [StoredResource], total: Int) {
        let (filter, arguments) = query.filter
        var sql = "SELECT * FROM resources WHERE \(filter) ORDER BY id DESC"
        var pageArguments = arguments
        if let limit = query.limit {
            sql += " LIMIT ? OFFSET ?"
            _ = pageArguments.append(contentsOf: [limit, query.offset])
        }
        let rows = try ResourceRow.fetchAll(db.cachedStatement(sql: sql), arguments: pageArguments)
        let total =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COALESCE(SUM(n), 0) FROM resource_counts WHERE \(filter)"),
                arguments: arguments) ?? 0
        return (try withEvents(rows), total)
    }

    /// The resources that refer to `target` (pods and VMs mounting a volume, pods and endpoints using
    /// a credential), with their events.
    func referrers(of target: Int64) throws -> [StoredResource] {
        let rows = try ResourceRow.fetchAll(
            db,
            sql:
                "SELECT resources.* FROM refs JOIN resources ON resources.id = refs.source_id WHERE refs.target_id = ?",
            arguments: [target])
        return try withEvents(rows)
    }

    /// The rows with their events: one query by id for a page, one by kind for a whole kind.
    func withEvents(_ rows: [ResourceRow], allOfKind kind: ResourceKind? = nil) throws -> [StoredResource] {
        guard !rows.isEmpty else { return [] }
        let events: [EventRow]
        if let kind, rows.count > 1 {
            events = try EventRow.fetchAll(
                db,
                sql: """
                    SELECT events.* FROM events JOIN resources ON resources.id = events.resource_id
                    WHERE resources.kind = ? ORDER BY events.seq
                    """,
                arguments: [kind.stored])
        } else {
            // In chunks: SQLite binds at most 32,766 values in one statement.
            var found: [EventRow] = []
            for start in stride(from: 0, to: rows.count, by: 500) {
                let ids = rows[start..<min(rows.count, start + 500)].map(\.id)
                found += try EventRow.fetchAll(
                    db.cachedStatement(
                        sql:
                            "SELECT * FROM events WHERE resource_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY seq"
                    ),
                    arguments: StatementArguments(ids))
            }
            events = found
        }
        var byID: [Int64: [ResourceEvent]] = [:]
        for row in events { byID[row.resourceId, default: []].append(row.event) }
        return rows.map { row in
            StoredResource(
                id: row.id, kind: row.kind, name: row.name, createdAt: row.createdAt, spec: row.spec,
                events: byID[row.id] ?? [], goneAt: row.goneAt, specs: specs)
        }
    }

    public func task(endpointID: Int64, taskID: String) throws -> StoredTask? {
        try StoredTask.fetchOne(
            db, sql: "SELECT * FROM tasks WHERE endpoint_id = ? AND task_id = ?", arguments: [endpointID, taskID])
    }

    /// When the next webhook delivery is due (nil: none is scheduled).
    public func nextDeliveryDue() throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(next_delivery_at) FROM tasks WHERE next_delivery_at IS NOT NULL")
    }

    public func tasks(endpointID: Int64) throws -> [StoredTask] {
        try StoredTask.fetchAll(
            db, sql: "SELECT * FROM tasks WHERE endpoint_id = ? ORDER BY seq", arguments: [endpointID])
    }
}

/// Typed changes inside one write transaction.
public struct StoreWriter {
    let db: Database
    let specs: SpecCache

    public var reader: StoreReader { StoreReader(db: db, specs: specs) }

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

    /// Inserts a resource with its first events; `region` and `subtype` are what lists filter on,
    /// `refersTo` the volumes and credentials it uses; `id` keeps another cloud's id (a plan's mirror).
    /// Inserts a resource with its spec as the kind's record: encoded once for the row, and kept
    /// decoded in the state's cache, so the create's answer does not decode what was just encoded.
    func insert<Spec: Encodable & Sendable>(
        kind: ResourceKind, name: String, record: Spec, events: [ResourceEvent], now: Int64, region: String = "",
        subtype: String = "", refersTo targets: [Int64] = []
    ) throws -> StoredResource {
        let data = try record.jsonData()
        let stored = try insert(
            kind: kind, name: name, spec: data, events: events, now: now, region: region, subtype: subtype,
            refersTo: targets)
        specs.remember(record, id: stored.id, data: data)
        return stored
    }

    public func insert(
        kind: ResourceKind, name: String, spec: Data, events: [ResourceEvent], now: Int64, region: String = "",
        subtype: String = "", refersTo targets: [Int64] = [], statusAt: Int64? = nil, id given: Int64? = nil
    ) throws -> StoredResource {
        let id = try given ?? nextID(now: now)
        let stored = StoredResource(
            id: id, kind: kind, name: name, createdAt: now, spec: spec, events: events, goneAt: nil, specs: specs)
        let current = CurrentStatus.of(stored, now: statusAt ?? now)
        // Statements rather than `ResourceRow.insert`: encoding a record costs more than the insert.
        try db.cachedStatement(
            sql: """
                INSERT INTO resources(id, kind, name, created_at, spec, status, next_change_at, region, subtype)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [id, kind.stored, name, now, spec, current.status, current.nextChange, region, subtype])
        for event in events { try record(event, for: id) }
        if !targets.isEmpty { try refer(id, to: targets) }
        return stored
    }

    /// Records an event and brings the row's status up to date.
    public func append(_ event: ResourceEvent, to id: Int64) throws {
        try record(event, for: id)
        try refresh(id, now: event.at)
    }

    private func record(_ event: ResourceEvent, for id: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO events(resource_id, kind, at, duration, value) VALUES(?, ?, ?, ?, ?)")
            .execute(arguments: [id, event.kind.rawValue, event.at, event.duration, event.value])
    }

    /// Replaces what `source` refers to.
    public func refer(_ source: Int64, to targets: [Int64]) throws {
        try db.execute(sql: "DELETE FROM refs WHERE source_id = ?", arguments: [source])
        for target in Set(targets) {
            try db.execute(sql: "INSERT INTO refs(target_id, source_id) VALUES(?, ?)", arguments: [target, source])
        }
    }

    public func update(_ id: Int64, name: String? = nil, spec: Data? = nil) throws {
        if let name { try db.execute(sql: "UPDATE resources SET name = ? WHERE id = ?", arguments: [name, id]) }
        if let spec { try db.execute(sql: "UPDATE resources SET spec = ? WHERE id = ?", arguments: [spec, id]) }
    }

    /// Sets when the resource leaves the lists (now, or when its delete completes).
    public func markGone(_ id: Int64, at time: Int64, now: Int64) throws {
        try db.execute(sql: "UPDATE resources SET gone_at = ? WHERE id = ?", arguments: [time, id])
        try refresh(id, now: now)
    }

    /// Stores the status derived for `now`.
    func refresh(_ stored: StoredResource, now: Int64) throws {
        let current = CurrentStatus.of(stored, now: now)
        try db.execute(
            sql: "UPDATE resources SET status = ?, next_change_at = ? WHERE id = ?",
            arguments: [current.status, current.nextChange, stored.id])
    }

    /// Stores the status of resource `id` derived for `now`.
    func refresh(_ id: Int64, now: Int64) throws {
        if let stored = try reader.resource(id) { try refresh(stored, now: now) }
    }

    /// Refreshes every row whose status was due to change by `now`.
    func refreshDue(now: Int64) throws {
        while true {
            let rows = try ResourceRow.fetchAll(
                db, sql: "SELECT * FROM resources WHERE next_change_at <= ? LIMIT 500", arguments: [now])
            if rows.isEmpty { return }
            for stored in try reader.withEvents(rows) { try refresh(stored, now: now) }
        }
    }

    /// The filter attributes and references of a row written by v1 (migration).
    func index(_ stored: StoredResource) throws {
        var region = ""
        var subtype = ""
        var targets: [Int64] = []
        switch stored.kind {
        case .vm:
            let spec = try? stored.decode(VMSpec.self)
            region = spec?.region ?? ""
            targets = spec?.volumeMountPaths?.keys.compactMap { Int64($0) } ?? []
        case .pod:
            let spec = try? stored.decode(PodSpec.self)
            region = spec?.region ?? ""
            targets = PodController.references(spec?.request)
        case .endpoint:
            targets =
                (try? stored.decode(EndpointSpec.self))?.request.containerRegistryAuthId?.int64Value.map { [$0] } ?? []
        case .volume:
            let spec = try? stored.decode(VolumeSpec.self)
            region = spec?.region ?? ""
            subtype = spec?.storageType ?? ""
        case .credential: break
        }
        try db.execute(
            sql: "UPDATE resources SET region = ?, subtype = ? WHERE id = ?", arguments: [region, subtype, stored.id])
        try refer(stored.id, to: targets)
    }

    /// Inserts a task, or returns the existing one with the same `taskId` on that endpoint.
    public func insertTask(
        endpointID: Int64, taskID: String, spec: Data, now: Int64, hasWebhook: Bool
    )
        throws
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
        let tasks = try StoredTask.fetchAll(
            db,
            sql: """
                SELECT * FROM tasks WHERE next_delivery_at IS NOT NULL AND next_delivery_at <= ?
                AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_delivery_at LIMIT ?
                """,
            arguments: [now, now, limit])
        for task in tasks {
            try db.execute(sql: "UPDATE tasks SET claimed_until = ? WHERE seq = ?", arguments: [now + lease, task.seq])
        }
        return tasks
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
public struct StoredTask: Sendable, FetchableRecord {
    public var seq: Int64
    public var endpointID: Int64
    public var taskID: String
    public var submittedAt: Int64
    public var spec: Data
    public var deliveryStatus: String
    public var deliveryAttempts: Int
    public var deliveredAt: Int64?
    public var nextDeliveryAt: Int64?

    public init(row: Row) {
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
