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
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            if path == ":memory:" {
                database = try DatabaseQueue(configuration: configuration)
                lockFolder = nil
            } else {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                database = try DatabasePool(path: path, configuration: configuration)
                lockFolder = directory.appendingPathComponent("locks").path
            }
            try Self.migrateAlone(database, path: path)
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

    /// Migrates holding an exclusive lock on a file beside the ledger: processes that open a new
    /// ledger at once would otherwise each apply the same migration.
    static func migrateAlone(_ database: any DatabaseWriter, path: String) throws {
        guard path != ":memory:" else { return try migrator.migrate(database) }
        let descriptor = open(path + ".migrate-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return try migrator.migrate(database) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        try migrator.migrate(database)
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
                        heartbeat_at, heartbeat_seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.recipe, arguments, run.user, run.host, run.pid, run.processStart, run.target,
                    run.startedAt.timeIntervalSince1970, run.heartbeatAt.timeIntervalSince1970, run.heartbeatSeconds,
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
                    INSERT INTO entries (run, kind, name, spec, target, intended_at) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    intent.run, intent.kind.rawValue, intent.name, intent.spec, intent.target,
                    intent.at.timeIntervalSince1970,
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

    public func abandon(entry: Int64) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE entries SET abandoned = 1 WHERE seq = ?", arguments: [entry])
        }
    }

    public func deleted(target: String, kind: ResourceKind, resourceID: String, at time: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE entries SET deleted_at = ?
                    WHERE target = ? AND kind = ? AND resource_id = ? AND deleted_at IS NULL
                    """,
                arguments: [time.timeIntervalSince1970, target, kind.rawValue, resourceID])
        }
    }

    public func runs() async throws -> [RunInfo] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, id DESC").map(Self.run)
        }
    }

    public func entries(runs: [String]?) async throws -> [LedgerEntry] {
        try await read { db in
            let rows: [Row]
            if let runs {
                let marks = runs.map { _ in "?" }.joined(separator: ", ")
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM entries WHERE run IN (\(marks)) ORDER BY seq",
                    arguments: StatementArguments(runs))
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM entries ORDER BY seq")
            }
            return rows.compactMap(Self.entry)
        }
    }

    static func run(_ row: Row) -> RunInfo {
        let arguments = (row["arguments"] as String?).flatMap {
            try? JSONDecoder().decode([String].self, from: Data($0.utf8))
        }
        var run = RunInfo(
            id: row["id"], recipe: row["recipe"], arguments: arguments ?? [], user: row["user"], host: row["host"],
            pid: row["pid"], processStart: row["process_start"], target: row["target"],
            startedAt: Date(timeIntervalSince1970: row["started_at"]))
        run.heartbeatAt = Date(timeIntervalSince1970: row["heartbeat_at"])
        run.heartbeatSeconds = row["heartbeat_seconds"]
        run.endedAt = (row["ended_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        run.exitCode = row["exit_code"]
        return run
    }

    /// An entry row; nil for a kind this version does not know (a newer gpus wrote it).
    static func entry(_ row: Row) -> LedgerEntry? {
        guard let kind = ResourceKind(rawValue: row["kind"]) else { return nil }
        return LedgerEntry(
            seq: row["seq"], run: row["run"], kind: kind, name: row["name"], spec: row["spec"],
            target: row["target"], resourceID: row["resource_id"],
            intendedAt: Date(timeIntervalSince1970: row["intended_at"]),
            createdAt: (row["created_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            deletedAt: (row["deleted_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            abandoned: row["abandoned"], pricePerHour: row["price_per_hour"])
    }

    public func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let lockFolder else { return try await processLocks.withLock(key, body) }
        let lock = try await FileLock.acquire(in: lockFolder, for: key)
        defer { lock.release() }
        return try await body()
    }
}
