import Foundation
import GRDB
import YottaAPI

/// The local ledger: a SQLite file (WAL; every write committed before the call returns, so a
/// `kill -9` loses nothing acknowledged) shared by every gpus process of the user, with `ensure`'s
/// locks as lock files beside it (released by the kernel when a process dies).
public final class SQLiteLedger: LedgerStore {
    let database: any DatabaseWriter
    /// Where lock files go; nil for an in-memory ledger (locks then hold within the process).
    let lockFolder: String?
    let processLocks = ProcessLocks()
    public let location: String

    /// Opens (creating and migrating as needed) the ledger at `path`; `:memory:` for a private one.
    public init(path: String) throws {
        location = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // FULL: each commit reaches the disk before the call returns, so a power cut loses no
            // create the ledger acknowledged (a run writes a few rows; NORMAL only survived a
            // killed process).
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            if path == ":memory:" {
                database = try DatabaseQueue(configuration: configuration)
                lockFolder = nil
            } else {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                PrivateFiles.restrict(
                    database: path,
                    stateFolder: URL(fileURLWithPath: Self.defaultPath()).deletingLastPathComponent().path)
                // Opening sets WAL mode, which processes opening a new ledger at once race for
                // ("database is locked" while executing `PRAGMA journal_mode = WAL`): opened, like
                // migrated, one process at a time.
                database = try Self.alone(path) {
                    let pool = try DatabasePool(path: path, configuration: configuration)
                    try Self.migrator.migrate(pool)
                    return pool
                }
                lockFolder = directory.appendingPathComponent("locks").path
                return
            }
            try Self.migrator.migrate(database)
        } catch {
            throw LedgerError("cannot open the run ledger \(path): \(error)")
        }
    }

    /// `$XDG_STATE_HOME/gpus/ledger.sqlite`, else `~/.local/state/gpus/ledger.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/gpus/ledger.sqlite"
    }

    /// Runs `body` holding an exclusive lock on a file beside the ledger: processes that open a new
    /// ledger at once would otherwise race to set its journal mode and each apply the same migration.
    static func alone<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(path + ".migrate-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY,
                        recipe TEXT NOT NULL,
                        arguments TEXT NOT NULL,
                        user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        process_start INTEGER NOT NULL,
                        target TEXT NOT NULL,
                        started_at REAL NOT NULL,
                        heartbeat_at REAL NOT NULL,
                        ended_at REAL,
                        exit_code INTEGER
                    );
                    CREATE TABLE entries (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        run TEXT NOT NULL REFERENCES runs(id),
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        spec TEXT NOT NULL,
                        target TEXT NOT NULL,
                        resource_id TEXT,
                        intended_at REAL NOT NULL,
                        created_at REAL,
                        deleted_at REAL,
                        abandoned INTEGER NOT NULL DEFAULT 0,
                        price_per_hour REAL
                    );
                    CREATE INDEX entries_by_run ON entries(run, seq);
                    CREATE INDEX entries_by_resource ON entries(target, kind, resource_id);
                    """)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN heartbeat_seconds REAL NOT NULL DEFAULT 5")
        }
        // v3: when an unknown outcome may be declared "never created", why an outcome is what it is,
        // and indexes that keep listing and cleaning proportional to what is live, not to history.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    ALTER TABLE entries ADD COLUMN settle_by REAL;
                    ALTER TABLE entries ADD COLUMN note TEXT;
                    CREATE INDEX entries_live ON entries(run, seq) WHERE deleted_at IS NULL AND abandoned = 0;
                    CREATE INDEX entries_open ON entries(target, kind, name)
                        WHERE resource_id IS NULL AND deleted_at IS NULL AND abandoned = 0;
                    CREATE INDEX runs_newest ON runs(started_at DESC, id DESC);
                    CREATE INDEX runs_ended ON runs(ended_at) WHERE ended_at IS NOT NULL;
                    """)
        }
        // v4: limits of a run (deadline, most it may spend), a resource's time to live and whether it
        // is kept, and who deleted it and why (the keeper, a clean from another run).
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    ALTER TABLE runs ADD COLUMN deadline REAL;
                    ALTER TABLE runs ADD COLUMN max_cost REAL;
                    ALTER TABLE entries ADD COLUMN expires_at REAL;
                    ALTER TABLE entries ADD COLUMN keep INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE entries ADD COLUMN deleted_by TEXT;
                    ALTER TABLE entries ADD COLUMN deleted_why TEXT;
                    """)
        }
        return migrator
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch {
            throw LedgerError("cannot write the run ledger \(location): \(error)")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch {
            throw LedgerError("cannot read the run ledger \(location): \(error)")
        }
    }

    public func begin(_ run: RunInfo) async throws {
        let arguments = String(decoding: try JSONEncoder().encode(run.arguments), as: UTF8.self)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, recipe, arguments, user, host, pid, process_start, target, started_at,
                        heartbeat_at, heartbeat_seconds, deadline, max_cost)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.recipe, arguments, run.user, run.host, run.pid, run.processStart, run.target,
                    run.startedAt.timeIntervalSince1970, run.heartbeatAt.timeIntervalSince1970, run.heartbeatSeconds,
                    run.deadline?.timeIntervalSince1970, run.maxCost,
                ])
        }
    }

    public func heartbeat(run: String, at time: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ?", arguments: [time.timeIntervalSince1970, run])
        }
    }

    public func end(run: String, exitCode: Int32, at time: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET ended_at = ?, heartbeat_at = ?, exit_code = ? WHERE id = ?",
                arguments: [time.timeIntervalSince1970, time.timeIntervalSince1970, exitCode, run])
        }
    }

    public func intend(_ intent: Intent) async throws -> Int64 {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO entries (run, kind, name, spec, target, intended_at, settle_by, expires_at, keep)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    intent.run, intent.kind.rawValue, intent.name, intent.spec, intent.target,
                    intent.at.timeIntervalSince1970, intent.settleBy?.timeIntervalSince1970,
                    intent.expiresAt?.timeIntervalSince1970, intent.keep,
                ])
            return db.lastInsertedRowID
        }
    }

    public func created(entry: Int64, resourceID: String, pricePerHour: Double?) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE entries SET resource_id = ?, created_at = ?, price_per_hour = ? WHERE seq = ?",
                arguments: [resourceID, Date().timeIntervalSince1970, pricePerHour, entry])
        }
    }

    public func abandon(entry: Int64, note: String?) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE entries SET abandoned = 1, note = ? WHERE seq = ?", arguments: [note, entry])
        }
    }

    public func unresolved(entry: Int64, note: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE entries SET note = ? WHERE seq = ?", arguments: [note, entry])
        }
    }

    public func deleted(
        target: String, kind: ResourceKind, resourceID: String, at time: Date, by: String?, why: String?
    ) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE entries SET deleted_at = ?, deleted_by = ?, deleted_why = ?
                    WHERE target = ? AND kind = ? AND resource_id = ? AND deleted_at IS NULL
                    """,
                arguments: [time.timeIntervalSince1970, by, why, target, kind.rawValue, resourceID])
        }
    }

    public func limit(run: String, deadline: Date?, maxCost: Double?) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET deadline = ?, max_cost = ? WHERE id = ?",
                arguments: [deadline?.timeIntervalSince1970, maxCost, run])
        }
    }

    public func runs(_ query: RunQuery) async throws -> [RunInfo] {
        try await read { db in
            let order = "ORDER BY started_at DESC, id DESC"
            let rows: [Row]
            switch query {
            case .newest(let limit):
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM runs \(order) LIMIT ?", arguments: [limit.map { max($0, 0) } ?? -1])
            case .ids(let ids):
                rows = try ids.chunked(500).flatMap { chunk in
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM runs WHERE id IN (\(Self.marks(chunk.count)))",
                        arguments: StatementArguments(chunk))
                }
            case .prefix(let prefix, let limit):
                guard !prefix.isEmpty else { return [] }
                // substr, not LIKE: a prefix holding % or _ means itself.
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM runs WHERE id >= ? AND substr(id, 1, ?) = ? \(order) LIMIT ?",
                    arguments: [prefix, prefix.count, prefix, max(limit, 0)])
            case .withLive:
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM runs WHERE id IN (
                            SELECT DISTINCT run FROM entries WHERE deleted_at IS NULL AND abandoned = 0) \(order)
                        """)
            }
            return try rows.map(Self.run).sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
        }
    }

    public func entries(_ query: EntryQuery) async throws -> [LedgerEntry] {
        try await read { db in
            let rows: [Row]
            switch query {
            case .runs(let runs?), .live(let runs?):
                let live = query == .live(runs) ? "AND deleted_at IS NULL AND abandoned = 0" : ""
                rows = try runs.chunked(500).flatMap { chunk in
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM entries WHERE run IN (\(Self.marks(chunk.count))) \(live)",
                        arguments: StatementArguments(chunk))
                }
            case .runs(nil):
                rows = try Row.fetchAll(db, sql: "SELECT * FROM entries")
            case .live(nil):
                rows = try Row.fetchAll(db, sql: "SELECT * FROM entries WHERE deleted_at IS NULL AND abandoned = 0")
            case .open(let key):
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM entries WHERE target = ? AND kind = ? AND name = ?
                            AND resource_id IS NULL AND deleted_at IS NULL AND abandoned = 0
                        """, arguments: [key.target, key.kind.rawValue, key.name])
            case .resources(let target, let kind, let ids):
                rows = try ids.chunked(500).flatMap { chunk in
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT * FROM entries WHERE target = ? AND kind = ?
                                AND resource_id IN (\(Self.marks(chunk.count)))
                            """, arguments: StatementArguments([target, kind.rawValue] + chunk))
                }
            }
            return try rows.compactMap(Self.entry).sorted { $0.seq < $1.seq }
        }
    }

    public func prune(endedBefore time: Date) async throws -> PruneResult {
        try await write { db in
            let old = """
                SELECT id FROM runs WHERE COALESCE(ended_at, heartbeat_at) < ?1
                    AND id NOT IN (SELECT DISTINCT run FROM entries WHERE deleted_at IS NULL AND abandoned = 0)
                """
            let cutoff = time.timeIntervalSince1970
            try db.execute(sql: "DELETE FROM entries WHERE run IN (\(old))", arguments: [cutoff])
            let entries = db.changesCount
            try db.execute(sql: "DELETE FROM runs WHERE id IN (\(old))", arguments: [cutoff])
            return PruneResult(runs: db.changesCount, entries: entries)
        }
    }

    static func marks(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    static func run(_ row: Row) throws -> RunInfo {
        let arguments = (try row.decode(String?.self, forColumn: "arguments")).flatMap {
            try? JSONDecoder().decode([String].self, from: Data($0.utf8))
        }
        var run = RunInfo(
            id: try row.decode(forColumn: "id"), recipe: try row.decode(forColumn: "recipe"),
            arguments: arguments ?? [], user: try row.decode(forColumn: "user"),
            host: try row.decode(forColumn: "host"),
            pid: try row.decode(forColumn: "pid"), processStart: try row.decode(forColumn: "process_start"),
            target: try row.decode(forColumn: "target"),
            startedAt: Date(timeIntervalSince1970: try row.decode(forColumn: "started_at")))
        run.heartbeatAt = Date(timeIntervalSince1970: try row.decode(forColumn: "heartbeat_at"))
        run.heartbeatSeconds = try row.decode(forColumn: "heartbeat_seconds")
        run.endedAt = (try row.decode(Double?.self, forColumn: "ended_at")).map(Date.init(timeIntervalSince1970:))
        run.exitCode = try row.decode(forColumn: "exit_code")
        run.deadline = (try row.decode(Double?.self, forColumn: "deadline")).map(Date.init(timeIntervalSince1970:))
        run.maxCost = try row.decode(forColumn: "max_cost")
        return run
    }

    /// An entry row; nil for a kind this version does not know (a newer gpus wrote it). A value of
    /// the wrong type (a ledger edited by hand, or damaged) is an error, not a crash.
    static func entry(_ row: Row) throws -> LedgerEntry? {
        guard let kind = ResourceKind(rawValue: try row.decode(forColumn: "kind")) else { return nil }
        var entry = LedgerEntry(
            seq: try row.decode(forColumn: "seq"), run: try row.decode(forColumn: "run"), kind: kind,
            name: try row.decode(forColumn: "name"), spec: try row.decode(forColumn: "spec"),
            target: try row.decode(forColumn: "target"), resourceID: try row.decode(forColumn: "resource_id"),
            intendedAt: Date(timeIntervalSince1970: try row.decode(forColumn: "intended_at")),
            createdAt: (try row.decode(Double?.self, forColumn: "created_at")).map(Date.init(timeIntervalSince1970:)),
            deletedAt: (try row.decode(Double?.self, forColumn: "deleted_at")).map(Date.init(timeIntervalSince1970:)),
            abandoned: try row.decode(forColumn: "abandoned"),
            pricePerHour: try row.decode(forColumn: "price_per_hour"),
            settleBy: (try row.decode(Double?.self, forColumn: "settle_by")).map(Date.init(timeIntervalSince1970:)),
            note: try row.decode(forColumn: "note"))
        entry.expiresAt = (try row.decode(Double?.self, forColumn: "expires_at")).map(Date.init(timeIntervalSince1970:))
        entry.keep = (try row.decode(Bool?.self, forColumn: "keep")) ?? false
        entry.deletedBy = try row.decode(forColumn: "deleted_by")
        entry.deletedWhy = try row.decode(forColumn: "deleted_why")
        return entry
    }

    public func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let lockFolder else { return try await processLocks.withLock(key, body) }
        let lock = try await FileLock.acquire(in: lockFolder, for: key)
        defer { lock.release() }
        return try await body()
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements (SQL statements bound the number of
    /// parameters).
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
