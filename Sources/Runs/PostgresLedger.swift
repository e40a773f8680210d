import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization
import YottaAPI

/// The team ledger on PostgreSQL: the same runs and entries as the local file, shared by every
/// machine, with `ensure`'s locks as PostgreSQL advisory locks. Every call has a deadline: a server
/// that goes away makes calls fail (and creates not be sent), never hang.
public final class PostgresLedger: LedgerStore {
    public let address: PostgresAddress
    let client: PostgresClient
    let running: Task<Void, Never>
    /// How long one call may take before the ledger counts as unreachable.
    let deadline: Duration
    /// The last failure to reach the server: later calls fail at once for a while (a run that lost
    /// its ledger cleans up without waiting out a deadline per call).
    private let outage = Mutex<(since: ContinuousClock.Instant, message: String)?>(nil)
    static let outageHold = Duration.seconds(30)

    public var location: String { address.masked }

    /// The newest schema version this gpus knows (see `migrations`).
    public static var schemaVersion: Int { migrations.count }

    private init(address: PostgresAddress, deadline: Duration) {
        self.address = address
        self.deadline = deadline
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database,
            tls: address.usesTLS ? .require(Self.tls(address)) : .disable)
        configuration.options.connectTimeout = deadline
        if !Self.checksHostName(address) { configuration.options.tlsServerName = nil }
        var logger = Logger(label: "gpus.ledger")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Connects (checking the server answers) and brings the schema up to date (up to `version`).
    public static func connect(
        _ address: PostgresAddress, deadline: Duration = .seconds(5), migrateTo version: Int = schemaVersion
    ) async throws -> PostgresLedger {
        // One direct connection first: an unreachable server or a refused login fails at once (the
        // pool would keep retrying), and the schema is brought up to date on it.
        let settings = try connectionConfiguration(address)
        let connection = try await call("connecting", at: address, deadline: deadline) {
            try await PostgresConnection.connect(configuration: settings, id: 1, logger: quietLogger)
        }
        do {
            try await call("migrating the schema", at: address, deadline: deadline) {
                try await migrate(connection, to: version)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
        return PostgresLedger(address: address, deadline: deadline)
    }

    // MARK: - TLS as libpq

    /// `require`: encrypted, the certificate not verified; `verify-ca`: signed by a trusted CA
    /// (`sslrootcert`, else the system's); `verify-full` (the default for a remote host): and issued
    /// for the host.
    static func tls(_ address: PostgresAddress) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch address.sslMode {
        case "require": tls.certificateVerification = .none
        case "verify-ca": tls.certificateVerification = .noHostnameVerification
        default: tls.certificateVerification = .fullVerification
        }
        if let root = address.sslRootCert { tls.trustRoots = .file(root) }
        return tls
    }

    static func checksHostName(_ address: PostgresAddress) -> Bool {
        address.sslMode == nil || address.sslMode == "verify-full"
    }

    /// A single connection's settings (the schema check, and the connection that holds a lock).
    static func connectionConfiguration(_ address: PostgresAddress) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: .disable)
        if address.usesTLS {
            if let root = address.sslRootCert, !FileManager.default.isReadableFile(atPath: root) {
                throw LedgerError("the team ledger at \(address.masked): sslrootcert \(root) cannot be read")
            }
            do {
                configuration.tls = .require(try NIOSSLContext(configuration: tls(address)))
            } catch {
                throw LedgerError("cannot set up TLS for \(address.masked): \(plain(error))")
            }
            if !checksHostName(address) { configuration.options.tlsServerName = nil }
        }
        return configuration
    }

    // MARK: - Calls with a deadline and errors that name the server, never the password

    func call<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T
    ) async throws
        -> T
    {
        if let down = outage.withLock({ $0 }), ContinuousClock.now - down.since < Self.outageHold {
            throw LedgerError(down.message, kind: .unreachable)
        }
        let client = client
        do {
            return try await Self.call(what, at: address, deadline: deadline) { try await body(client) }
        } catch let error as LedgerError {
            if error.kind == .unreachable { outage.withLock { $0 = (ContinuousClock.now, error.message) } }
            throw error
        }
    }

    static func call<T: Sendable>(
        _ what: String, at address: PostgresAddress, deadline: Duration,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        do {
            guard let value = try await withDeadline(deadline, body) else {
                throw LedgerError(
                    "the team ledger at \(address.masked) did not answer within \(deadline) (\(what))",
                    kind: .unreachable)
            }
            return value
        } catch let error as LedgerError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LedgerError(
                "the team ledger at \(address.masked) failed (\(what)): \(Self.reason(error))",
                kind: isConnectionLost(error) ? .unreachable : .failed)
        }
    }

    /// Whether a driver error means the server could not be reached or went away (not a refusal).
    static func isConnectionLost(_ error: any Error) -> Bool {
        if let error = error as? PostgresTransactionError,
            let inner = error.closureError ?? error.beginError ?? error.commitError
        {
            return isConnectionLost(inner)
        }
        if let error = error as? LedgerError { return error.kind == .unreachable }
        // Not the driver's: the network layer's (a refused or reset connection, a name that does
        // not resolve).
        guard let error = error as? PSQLError else { return true }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed].contains(error.code)
    }

    /// Why a call failed, in words that hold no secret.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError,
            let inner = error.closureError ?? error.beginError ?? error.commitError
        {
            return reason(inner)
        }
        if let error = error as? LedgerError { return error.message }
        guard let error = error as? PSQLError else { return plain(error) }
        if let message = error.serverInfo?[.message] { return message }
        if error.code == .authMechanismRequiresPassword {
            return "the server asks for a password and none was given (PGPASSWORD, or a profile's ledger_password_env)"
        }
        if let underlying = error.underlying { return plain(underlying) }
        return "\(error.code)"
    }

    /// A driver's or TLS library's error in one line, without build paths or library dumps.
    public static func plain(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "TLS: the server's certificate is not trusted (give its CA with sslrootcert=PATH, or "
                + "sslmode=require to encrypt without verifying it)"
        }
        if text.contains("failedToValidateHostname") || text.contains("in certificate from peer") {
            return "TLS: the server's certificate is not issued for this host name (sslmode=verify-ca checks "
                + "the CA only)"
        }
        if text.contains("handshakeFailed") || text.contains("BoringSSL") || text.contains("NIOSSL") {
            if let range = text.range(of: #"error:[0-9A-Fa-f]+:[^:]*:[^:]*:([A-Z_]+)"#, options: .regularExpression) {
                let code = text[range].split(separator: ":").last.map(String.init) ?? ""
                return "TLS handshake failed: \(code.lowercased().replacingOccurrences(of: "_", with: " "))"
            }
            return "TLS handshake failed"
        }
        if text.contains("Connection refused") { return "connection refused" }
        if text.contains("Connection reset") || text.contains("connection reset") { return "connection reset" }
        if text.contains("sslUnsupported") {
            return "the server does not offer TLS (sslmode=disable to connect in plain)"
        }
        // One line, at most 200 characters, no file paths.
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        let cleaned = line.replacingOccurrences(of: #"/[^\s:]+\.swift(:\d+)?"#, with: "…", options: .regularExpression)
        return cleaned.count > 200 ? String(cleaned.prefix(200)) + "…" : cleaned
    }

    // MARK: - Schema

    /// Versioned migrations, applied in order, each once. Several processes starting at once are
    /// safe: the version check and the migrations run in one transaction under an advisory lock.
    static let migrations: [[String]] = [
        // 1: runs and entries.
        [
            """
            CREATE TABLE gpus_runs (
                id TEXT PRIMARY KEY, recipe TEXT NOT NULL, arguments TEXT NOT NULL, "user" TEXT NOT NULL,
                host TEXT NOT NULL, pid INTEGER NOT NULL, target TEXT NOT NULL,
                started_at DOUBLE PRECISION NOT NULL, heartbeat_at DOUBLE PRECISION NOT NULL,
                ended_at DOUBLE PRECISION, exit_code INTEGER)
            """,
            """
            CREATE TABLE gpus_entries (
                seq BIGSERIAL PRIMARY KEY, run TEXT NOT NULL REFERENCES gpus_runs(id), kind TEXT NOT NULL,
                name TEXT NOT NULL, spec TEXT NOT NULL, target TEXT NOT NULL, resource_id TEXT,
                intended_at DOUBLE PRECISION NOT NULL, created_at DOUBLE PRECISION, deleted_at DOUBLE PRECISION,
                abandoned BOOLEAN NOT NULL DEFAULT FALSE, price_per_hour DOUBLE PRECISION)
            """,
            "CREATE INDEX gpus_entries_by_run ON gpus_entries(run, seq)",
        ],
        // 2: the process's start time (a reused pid is not the run's process), the heartbeat interval
        // (liveness is judged by the run's own), and entries found by resource without a scan.
        [
            "ALTER TABLE gpus_runs ADD COLUMN process_start BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE gpus_runs ADD COLUMN heartbeat_seconds DOUBLE PRECISION NOT NULL DEFAULT 5",
            "CREATE INDEX gpus_entries_by_resource ON gpus_entries(target, kind, resource_id)",
        ],
        // 3: when an unknown outcome may be declared "never created", why an outcome is what it is,
        // and indexes that keep listing and cleaning proportional to what is live, not to history.
        [
            "ALTER TABLE gpus_entries ADD COLUMN settle_by DOUBLE PRECISION",
            "ALTER TABLE gpus_entries ADD COLUMN note TEXT",
            """
            CREATE INDEX gpus_entries_live ON gpus_entries(run, seq)
                WHERE deleted_at IS NULL AND abandoned = FALSE
            """,
            """
            CREATE INDEX gpus_entries_open ON gpus_entries(target, kind, name)
                WHERE resource_id IS NULL AND deleted_at IS NULL AND abandoned = FALSE
            """,
            "CREATE INDEX gpus_runs_newest ON gpus_runs(started_at DESC, id DESC)",
        ],
        // 4: limits of a run (deadline, most it may spend), a resource's time to live and whether it
        // is kept, and who deleted it and why (the keeper, a clean from another run).
        [
            "ALTER TABLE gpus_runs ADD COLUMN deadline DOUBLE PRECISION",
            "ALTER TABLE gpus_runs ADD COLUMN max_cost DOUBLE PRECISION",
            "ALTER TABLE gpus_entries ADD COLUMN expires_at DOUBLE PRECISION",
            "ALTER TABLE gpus_entries ADD COLUMN keep BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE gpus_entries ADD COLUMN deleted_by TEXT",
            "ALTER TABLE gpus_entries ADD COLUMN deleted_why TEXT",
        ],
    ]

    /// The schema version the database has (0 for none).
    public func version() async throws -> Int {
        try await call("reading the schema version") { client in
            let exists =
                try await client.query("SELECT to_regclass('gpus_schema') IS NOT NULL")
                .collect().first?.decode(Bool.self) ?? false
            guard exists else { return 0 }
            return try await client.query("SELECT COALESCE(MAX(version), 0) FROM gpus_schema")
                .collect().first?.decode(Int.self) ?? 0
        }
    }

    static func migrate(_ connection: PostgresConnection, to target: Int) async throws {
        let logger = quietLogger
        do {
            try await connection.withTransaction(logger: logger) { connection in
                // One constant key: whoever migrates, migrates alone.
                try await connection.query("SELECT pg_advisory_xact_lock(74010001)", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS gpus_schema (version INTEGER NOT NULL)", logger: logger)
                let current =
                    try await connection.query("SELECT COALESCE(MAX(version), 0) FROM gpus_schema", logger: logger)
                    .collect().first?.decode(Int.self) ?? 0
                guard current <= Self.migrations.count else {
                    throw LedgerError(
                        "the team ledger's schema is version \(current), newer than this gpus knows "
                            + "(\(Self.migrations.count)): upgrade gpus")
                }
                guard current < target else { return }
                for version in (current + 1)...target {
                    for statement in Self.migrations[version - 1] {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO gpus_schema (version) VALUES (\(version))", logger: logger)
                }
            }
        } catch let error as PostgresTransactionError {
            throw LedgerError(reason(error))
        }
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "gpus.ledger")
        logger.logLevel = .critical
        return logger
    }

    // MARK: - LedgerStore

    public func begin(_ run: RunInfo) async throws {
        let arguments = String(decoding: try JSONEncoder().encode(run.arguments), as: UTF8.self)
        try await call("recording the run") { client in
            try await client.query(
                """
                INSERT INTO gpus_runs (id, recipe, arguments, "user", host, pid, process_start, target, started_at,
                    heartbeat_at, heartbeat_seconds, deadline, max_cost)
                VALUES (\(run.id), \(run.recipe), \(arguments), \(run.user), \(run.host), \(Int(run.pid)),
                    \(run.processStart), \(run.target), \(run.startedAt.timeIntervalSince1970),
                    EXTRACT(EPOCH FROM clock_timestamp()), \(run.heartbeatSeconds),
                    \(run.deadline?.timeIntervalSince1970), \(run.maxCost))
                """)
        }
    }

    /// The heartbeat is the server's time: liveness across machines does not depend on their clocks.
    public func heartbeat(run: String, at time: Date) async throws {
        try await call("writing the heartbeat") { client in
            try await client.query(
                "UPDATE gpus_runs SET heartbeat_at = EXTRACT(EPOCH FROM clock_timestamp()) WHERE id = \(run)")
        }
    }

    public func end(run: String, exitCode: Int32, at time: Date) async throws {
        try await call("recording the run's end") { client in
            try await client.query(
                """
                UPDATE gpus_runs SET ended_at = \(time.timeIntervalSince1970),
                    heartbeat_at = EXTRACT(EPOCH FROM clock_timestamp()), exit_code = \(Int(exitCode))
                WHERE id = \(run)
                """)
        }
    }

    public func intend(_ intent: Intent) async throws -> Int64 {
        try await call("recording an intent") { client in
            let rows = try await client.query(
                """
                INSERT INTO gpus_entries (run, kind, name, spec, target, intended_at, settle_by, expires_at, keep)
                VALUES (\(intent.run), \(intent.kind.rawValue), \(intent.name), \(intent.spec), \(intent.target),
                    \(intent.at.timeIntervalSince1970), \(intent.settleBy?.timeIntervalSince1970),
                    \(intent.expiresAt?.timeIntervalSince1970), \(intent.keep))
                RETURNING seq
                """
            ).collect()
            guard let seq = try rows.first?.decode(Int64.self) else { throw LedgerError("no entry number returned") }
            return seq
        }
    }

    public func created(entry: Int64, resourceID: String, pricePerHour: Double?) async throws {
        let now = Date().timeIntervalSince1970
        try await call("recording a created resource") { client in
            try await client.query(
                """
                UPDATE gpus_entries SET resource_id = \(resourceID), created_at = \(now),
                    price_per_hour = \(pricePerHour)
                WHERE seq = \(entry)
                """)
        }
    }

    public func abandon(entry: Int64, note: String?) async throws {
        try await call("recording an abandoned intent") { client in
            try await client.query("UPDATE gpus_entries SET abandoned = TRUE, note = \(note) WHERE seq = \(entry)")
        }
    }

    public func unresolved(entry: Int64, note: String) async throws {
        try await call("recording an unknown outcome") { client in
            try await client.query("UPDATE gpus_entries SET note = \(note) WHERE seq = \(entry)")
        }
    }

    public func deleted(
        target: String, kind: ResourceKind, resourceID: String, at time: Date, by: String?, why: String?
    ) async throws {
        try await call("recording a deletion") { client in
            try await client.query(
                """
                UPDATE gpus_entries SET deleted_at = \(time.timeIntervalSince1970), deleted_by = \(by),
                    deleted_why = \(why)
                WHERE target = \(target) AND kind = \(kind.rawValue) AND resource_id = \(resourceID)
                    AND deleted_at IS NULL
                """)
        }
    }

    public func limit(run: String, deadline: Date?, maxCost: Double?) async throws {
        try await call("recording the run's limits") { client in
            try await client.query(
                """
                UPDATE gpus_runs SET deadline = \(deadline?.timeIntervalSince1970), max_cost = \(maxCost)
                WHERE id = \(run)
                """)
        }
    }

    public func runs(_ query: RunQuery) async throws -> [RunInfo] {
        try await call("listing runs") { client in
            let columns = """
                SELECT id, recipe, arguments, "user", host, pid, process_start, target, started_at,
                    EXTRACT(EPOCH FROM clock_timestamp()) - heartbeat_at, heartbeat_seconds, ended_at, exit_code,
                    deadline, max_cost
                FROM gpus_runs
                """
            let order = "ORDER BY started_at DESC, id DESC"
            let rows: PostgresRowSequence
            switch query {
            case .newest(let limit?):
                rows = try await client.query("\(unescaped: columns) \(unescaped: order) LIMIT \(max(limit, 0))")
            case .newest(nil):
                rows = try await client.query("\(unescaped: columns) \(unescaped: order)")
            case .ids(let ids):
                rows = try await client.query("\(unescaped: columns) WHERE id = ANY(\(ids)) \(unescaped: order)")
            case .prefix(let prefix, let limit):
                guard !prefix.isEmpty else { return [] }
                rows = try await client.query(
                    """
                    \(unescaped: columns) WHERE left(id, \(Int32(prefix.count))) = \(prefix) \(unescaped: order)
                    LIMIT \(max(limit, 0))
                    """)
            case .withLive:
                rows = try await client.query(
                    """
                    \(unescaped: columns) WHERE id IN (
                        SELECT DISTINCT run FROM gpus_entries WHERE deleted_at IS NULL AND abandoned = FALSE)
                    \(unescaped: order)
                    """)
            }
            var runs: [RunInfo] = []
            let now = Date()
            for try await row in rows {
                let (id, recipe, arguments, user, host, pid, start, target, started, age, beat, ended, exit) =
                    try row.decode(
                        (
                            String, String, String, String, String, Int, Int64, String, Double, Double, Double,
                            Double?, Int?
                        ).self)
                let limits = row.makeRandomAccess()
                var run = RunInfo(
                    id: id, recipe: recipe,
                    arguments: (try? JSONDecoder().decode([String].self, from: Data(arguments.utf8))) ?? [],
                    user: user, host: host, pid: Int32(clamping: pid), processStart: start, target: target,
                    startedAt: Date(timeIntervalSince1970: started))
                // The heartbeat's age by the server's clock, as a time on this machine's.
                run.heartbeatAt = now.addingTimeInterval(-age)
                run.heartbeatSeconds = beat
                run.endedAt = ended.map(Date.init(timeIntervalSince1970:))
                run.exitCode = exit.map { Int32(clamping: $0) }
                run.deadline = try limits["deadline"].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
                run.maxCost = try limits["max_cost"].decode(Double?.self)
                runs.append(run)
            }
            return runs
        }
    }

    public func entries(_ query: EntryQuery) async throws -> [LedgerEntry] {
        try await call("listing entries") { client in
            let rows: PostgresRowSequence
            let columns = """
                SELECT seq, run, kind, name, spec, target, resource_id, intended_at, created_at, deleted_at,
                    abandoned, price_per_hour, settle_by, note, expires_at, keep, deleted_by, deleted_why
                FROM gpus_entries
                """
            let live = "deleted_at IS NULL AND abandoned = FALSE"
            switch query {
            case .runs(let runs?):
                rows = try await client.query("\(unescaped: columns) WHERE run = ANY(\(runs)) ORDER BY seq")
            case .runs(nil):
                rows = try await client.query("\(unescaped: columns) ORDER BY seq")
            case .live(let runs?):
                rows = try await client.query(
                    "\(unescaped: columns) WHERE run = ANY(\(runs)) AND \(unescaped: live) ORDER BY seq")
            case .live(nil):
                rows = try await client.query("\(unescaped: columns) WHERE \(unescaped: live) ORDER BY seq")
            case .open(let key):
                rows = try await client.query(
                    """
                    \(unescaped: columns) WHERE target = \(key.target) AND kind = \(key.kind.rawValue)
                        AND name = \(key.name) AND resource_id IS NULL AND \(unescaped: live) ORDER BY seq
                    """)
            case .resources(let target, let kind, let ids):
                rows = try await client.query(
                    """
                    \(unescaped: columns) WHERE target = \(target) AND kind = \(kind.rawValue)
                        AND resource_id = ANY(\(ids)) ORDER BY seq
                    """)
            }
            var entries: [LedgerEntry] = []
            for try await row in rows {
                let (
                    seq, run, kind, name, spec, target, id, intended, created, deleted, abandoned, price, settle, note
                ) =
                    try row.decode(
                        (
                            Int64, String, String, String, String, String, String?, Double, Double?, Double?, Bool,
                            Double?, Double?, String?
                        ).self)
                guard let kind = ResourceKind(rawValue: kind) else { continue }
                let more = row.makeRandomAccess()
                var entry =
                    LedgerEntry(
                        seq: seq, run: run, kind: kind, name: name, spec: spec, target: target, resourceID: id,
                        intendedAt: Date(timeIntervalSince1970: intended),
                        createdAt: created.map(Date.init(timeIntervalSince1970:)),
                        deletedAt: deleted.map(Date.init(timeIntervalSince1970:)), abandoned: abandoned,
                        pricePerHour: price, settleBy: settle.map(Date.init(timeIntervalSince1970:)), note: note)
                entry.expiresAt = try more["expires_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
                entry.keep = try more["keep"].decode(Bool.self)
                entry.deletedBy = try more["deleted_by"].decode(String?.self)
                entry.deletedWhy = try more["deleted_why"].decode(String?.self)
                entries.append(entry)
            }
            return entries
        }
    }

    public func prune(endedBefore time: Date) async throws -> PruneResult {
        try await call("pruning old runs") { client in
            let cutoff = time.timeIntervalSince1970
            let rows = try await client.query(
                """
                WITH old AS (
                    SELECT id FROM gpus_runs WHERE COALESCE(ended_at, heartbeat_at) < \(cutoff)
                        AND id NOT IN (
                            SELECT DISTINCT run FROM gpus_entries WHERE deleted_at IS NULL AND abandoned = FALSE)),
                gone AS (DELETE FROM gpus_entries WHERE run IN (SELECT id FROM old) RETURNING 1),
                runs AS (DELETE FROM gpus_runs WHERE id IN (SELECT id FROM old) RETURNING 1)
                SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM gone)
                """
            ).collect()
            let (runs, entries) = try rows.first?.decode((Int, Int).self) ?? (0, 0)
            return PruneResult(runs: runs, entries: entries)
        }
    }

    /// How long `ensure` waits for another run's lock before it gives up (a holder that is alive
    /// and creating; one that died releases it at once).
    static let lockWait = Duration.seconds(600)

    /// A session-level advisory lock on a connection of its own, held for `body`: released when
    /// `body` ends, or by the server when the connection closes (the run's process died). Connecting
    /// and every poll of `pg_try_advisory_lock` have the call deadline, the wait as a whole
    /// `lockWait`, and Ctrl-C/SIGTERM end the wait at once: a server that goes away fails the wait,
    /// never hangs it.
    public func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T {
        let text = "\(key.target)|\(key.kind.rawValue)|\(key.name)"
        if let down = outage.withLock({ $0 }), ContinuousClock.now - down.since < Self.outageHold {
            throw LedgerError(down.message)
        }
        let (address, deadline) = (address, deadline)
        let settings = try Self.connectionConfiguration(address)
        let connection = try await Self.call("connecting to lock \(key)", at: address, deadline: deadline) {
            try await PostgresConnection.connect(configuration: settings, id: 2, logger: Self.quietLogger)
        }
        defer { Task { try? await connection.close() } }
        let started = ContinuousClock.now
        var pause = Duration.milliseconds(2)
        while true {
            let held = try await Self.call("locking \(key)", at: address, deadline: deadline) {
                try await connection.query(
                    "SELECT pg_try_advisory_lock(hashtextextended(\(text), 0))", logger: Self.quietLogger
                ).collect().first?.decode(Bool.self) ?? false
            }
            if held { break }
            guard ContinuousClock.now - started < Self.lockWait else {
                throw LedgerError(
                    "another run has held the lock on \(key) for more than \(Self.lockWait) (gpus runs shows the runs)")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        _ = try? await Self.call("unlocking \(key)", at: address, deadline: deadline) {
            try await connection.query(
                "SELECT pg_advisory_unlock(hashtextextended(\(text), 0))", logger: Self.quietLogger)
        }
        return try result.get()
    }
}
