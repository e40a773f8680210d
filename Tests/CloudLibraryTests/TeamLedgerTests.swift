import Foundation
import Runs
import TestSupport
import Testing

/// The team ledger on a real PostgreSQL server: `GPUS_TEST_POSTGRES_URL` (`.ci/run` starts a private
/// cluster and sets it). Without it the suite is skipped on a developer's machine, and fails in CI.
@Suite(.serialized, .enabled(if: TeamDatabase.serverURL != nil || TeamDatabase.inCI, "needs GPUS_TEST_POSTGRES_URL"))
struct TeamLedgerTests {
    /// How long a connection may take here: the 5 s default is for a server that does not answer;
    /// a loaded test machine (the whole suite on two cores) can be slower than that.
    static let deadline = Duration.seconds(60)

    @Test func theServerIsConfigured() throws {
        // In CI (CI=true) a missing server fails here instead of skipping the suite.
        #expect(TeamDatabase.serverURL != nil, "GPUS_TEST_POSTGRES_URL is not set (scripts/test-postgres start)")
    }

    @Test func migrationsFromAnEmptyDatabaseAndFromThePreviousVersion() async throws {
        let empty = try TeamDatabase()
        let ledger = try await PostgresLedger.connect(try empty.address(), deadline: Self.deadline)
        #expect(try await ledger.version() == PostgresLedger.schemaVersion)
        // Version 1, with a run in it, then the current gpus.
        let old = try TeamDatabase()
        let v1 = try await PostgresLedger.connect(try old.address(), deadline: Self.deadline, migrateTo: 1)
        #expect(try await v1.version() == 1)
        try old.psql(
            """
            INSERT INTO gpus_runs (id, recipe, arguments, "user", host, pid, target, started_at, heartbeat_at)
            VALUES ('old-run', 'a.gpus', '[]', 'u', 'h', 1, 't', 1000, 1000)
            """)
        let upgraded = try await PostgresLedger.connect(try old.address(), deadline: Self.deadline)
        #expect(try await upgraded.version() == PostgresLedger.schemaVersion)
        let runs = try await upgraded.runs()
        #expect(runs.map(\.id) == ["old-run"])
        #expect(runs.first?.processStart == 0)
        #expect(runs.first?.heartbeatSeconds == 5)
    }

    @Test func processesStartingAtOnceMigrateOnce() async throws {
        let database = try TeamDatabase()
        let address = try database.address()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask { try await PostgresLedger.connect(address, deadline: Self.deadline).version() }
            }
            for try await version in group { #expect(version == PostgresLedger.schemaVersion) }
        }
        #expect(try database.psql("SELECT count(*) FROM gpus_schema") == "\(PostgresLedger.schemaVersion)")
    }

    @Test func eightProcessesOnTwoMachinesEnsuringOneNameCreateOne() async throws {
        let database = try TeamDatabase()
        let server = try SandboxServer()
        let machines = try ["laptop", "runner"].map { try Machine(host: $0, cloud: .served(url: server.url)) }
        let script = """
            let p = pods.ensure(name: "shared-trainer", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            print(p.id)
            """
        var running: [Machine.Running] = []
        for index in 0..<8 {
            let machine = machines[index % 2]
            let path = try machine.write("ensure-\(index).gpus", script)
            running.append(try machine.start(["run", "--ledger", database.url, path]))
        }
        var ids = Set<String>()
        for process in running {
            #expect(try await process.finish() == 0, "\(process.stderr)")
            ids.insert(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(ids.count == 1)
        #expect(try await machines[0].billing().count == 1)
        // Both machines see the one run that created it.
        #expect(try database.psql("SELECT count(*) FROM gpus_entries") == "1")
    }

    @Test func aRunKilledOnOneMachineIsCleanedFromAnother() async throws {
        let database = try TeamDatabase()
        let server = try SandboxServer()
        let laptop = try Machine(host: "laptop", cloud: .served(url: server.url))
        let runner = try Machine(host: "runner", cloud: .served(url: server.url))
        let script = try laptop.write(
            "crash.gpus",
            """
            let p = pods.create(name: "far-orphan", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            print("created")
            sleep(1h)
            """)
        let running = try laptop.start(
            ["run", "--ledger", database.url, script], environment: ["GPUS_HEARTBEAT_SECONDS": "0.2"])
        try await running.waitFor("created")
        // Alive: the other machine sees it running, by its heartbeat.
        var listed = try await runner.gpus(["runs", "list", "--json", "--ledger", database.url], targeted: false)
        #expect(listed.stdout.contains("\"state\":\"running\""), "\(listed.stdout)")
        kill(running.pid, SIGKILL)
        _ = try await running.finish()
        try await Task.sleep(for: .milliseconds(1000))  // more than three missed heartbeats
        listed = try await runner.gpus(["runs", "list", "--json", "--ledger", database.url], targeted: false)
        #expect(listed.stdout.contains("\"state\":\"crashed\""), "\(listed.stdout)")
        #expect(listed.stdout.contains("\"host\":\"laptop\""), "\(listed.stdout)")
        let clean = try await runner.gpus(["runs", "clean", "--orphans", "--ledger", database.url])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("deleted Pod far-orphan"), "\(clean.stdout)")
        #expect(try await runner.billing() == [])
    }

    /// Two keepers on one ledger: each orphan is deleted once, and when the one that was working is
    /// killed with -9, the other goes on alone.
    @Test func twoKeepersDeleteEachOrphanOnceAndOneGoesOnWhenTheOtherIsKilled() async throws {
        let database = try TeamDatabase()
        let server = try SandboxServer()
        let laptop = try Machine(host: "laptop", cloud: .served(url: server.url))
        let ops = try Machine(host: "ops", cloud: .served(url: server.url))
        func crash(_ prefix: String, _ count: Int) async throws {
            let script = try laptop.write(
                "\(prefix).gpus",
                """
                parallel for i in 1..\(count) {
                  pods.create(name: "\(prefix)-${i}", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
                }
                print("created")
                sleep(1h)
                """)
            let running = try laptop.start(
                ["run", "--ledger", database.url, script], environment: ["GPUS_HEARTBEAT_SECONDS": "0.2"])
            try await running.waitFor("created", timeout: 60)
            kill(running.pid, SIGKILL)
            _ = try await running.finish()
        }
        let keeper = ["keeper", "--interval", "1", "--grace", "1", "--ledger", database.url]
        let first = try ops.start(keeper)
        let second = try ops.start(keeper)
        try await crash("round1", 6)
        let deadline = Date().addingTimeInterval(90)
        while try await ops.billing().count > 0, Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try await ops.billing() == [])
        try await Task.sleep(for: .seconds(2))  // a pass after the last delete finds nothing
        kill(first.pid, SIGKILL)
        _ = try await first.finish()
        try await crash("round2", 4)
        let again = Date().addingTimeInterval(90)
        while try await ops.billing().count > 0, Date() < again { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try await ops.billing() == [])
        kill(second.pid, SIGTERM)
        _ = try await second.finish(timeout: 30)
        let log = first.stderr + second.stderr
        for name in (1...6).map({ "round1-\($0)" }) + (1...4).map({ "round2-\($0)" }) {
            #expect(log.components(separatedBy: "deleted Pod \(name) (").count == 2, "\(name): \(log)")
        }
        #expect(!log.contains("already gone"), "\(log)")
        #expect(second.stderr.contains("round2-1"), "the survivor went on: \(second.stderr)")
    }

    @Test func aLedgerLostMidRunSendsNoCreateItCannotRecordAndStillCleansUp() async throws {
        let cluster = try PrivateCluster()
        let machine = try Machine()
        let script = try machine.write(
            "lost.gpus",
            """
            let first = vms.create(name: "first", vmTypeId: 101, region: "us-east-1")
            defer first.terminate()
            print("first created")
            sleep(3s)
            vms.create(name: "second", vmTypeId: 101, region: "us-east-1")
            """)
        let running = try machine.start(["run", "--ledger", cluster.url, script])
        try await running.waitFor("first created")
        cluster.stop()
        let status = try await running.finish()
        #expect(status == 2, "\(running.stderr)")
        #expect(running.stderr.contains("vms.create 'second' not sent"), "\(running.stderr)")
        #expect(running.stderr.contains(cluster.host), "\(running.stderr)")
        // The defer still reached the cloud; nothing else was created.
        let vms = try await machine.gpus([
            "-q", "--ledger", "\(machine.folder.path)/local.sqlite", "-e",
            "vms.list(all: true).map(v -> [v.name, v.status])",
        ])
        #expect(vms.stdout == "[[\"first\", \"terminated\"]]\n", "\(vms.stdout) \(vms.stderr)")
    }

    @Test func anUnreachableLedgerStopsTheRunBeforeAnythingAndNeverShowsThePassword() async throws {
        let machine = try Machine()
        let password = "Sup3r-Secret-pw"
        let url = "postgres://gpus:\(password)@127.0.0.1:1/team"
        let script = try machine.write(
            "never.gpus", "vms.create(name: \"never\", vmTypeId: 101, region: \"us-east-1\")\n")
        for arguments in [
            ["run", "--ledger", url, script], ["-v", "--trace", "--ledger", url, "-e", "1"],
            ["runs", "--ledger", url],
        ] {
            let result = try await machine.gpus(arguments, targeted: false)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("127.0.0.1:1"), "\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains(password))
        }
        #expect(try await machine.billing() == [])
    }

    @Test func thePasswordNeverShowsWhenTheLedgerWorks() async throws {
        let database = try TeamDatabase(password: "Another-Secret-77")
        let machine = try Machine()
        let run = try await machine.gpus(
            [
                "-v", "--trace", "--ledger", database.urlWithPassword, "-e",
                "vms.create(name: \"v\", vmTypeId: 101, region: \"us-east-1\").name",
            ],
            targeted: false)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("ledger: postgres://gpus_tester:••••@"), "\(run.stderr)")
        let listing = try await machine.gpus(["runs", "--ledger", database.urlWithPassword], targeted: false)
        for text in [run.stdout, run.stderr, listing.stdout, listing.stderr] {
            #expect(!text.contains("Another-Secret-77"))
        }
    }

    @Test func remoteHostsNeedTLSUnlessTheURLSaysOtherwise() throws {
        #expect(try PostgresAddress(url: "postgres://u@db.example.com/team").usesTLS)
        #expect(try !PostgresAddress(url: "postgres://u@db.example.com/team?sslmode=disable").usesTLS)
        #expect(try !PostgresAddress(url: "postgres://u@127.0.0.1:5433/team").usesTLS)
        #expect(try PostgresAddress(url: "postgres://u@127.0.0.1/team?sslmode=require").usesTLS)
        #expect(throws: LedgerError.self) { try PostgresAddress(url: "postgres://u:pw@db.example.com/") }
        do {
            _ = try PostgresAddress(url: "postgres://u:hunter2@db.example.com/team?sslmode=bogus")
        } catch let error as LedgerError {
            #expect(!error.message.contains("hunter2"))
        }
        #expect(try PostgresAddress(url: "postgres://u:hunter2@h/db").masked == "postgres://u:••••@h:5432/db")
    }

    @Test func aFrozenServerFailsEnsuresWaitingOnItsLockAndCtrlCStopsThem() async throws {
        let database = try TeamDatabase()
        // Every call to the cloud takes 2 s: the holder keeps the lock for seconds.
        let server = try SandboxServer(faults: "latency=2000ms")
        let components = try #require(URLComponents(string: database.url))
        let relay = try GatewayProxy.freezing("\(components.host ?? "127.0.0.1"):\(components.port ?? 5432)")
        var through = components
        through.port = relay.port
        let ledger = try #require(through.string)
        let machine = try Machine(cloud: .served(url: server.url))
        // A holds the lock while its lookup and create are slow; B waits for the lock.
        let script = try machine.write(
            "ensure.gpus",
            """
            print("start")
            let p = pods.ensure(name: "trainer", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            """)
        let holder = try machine.start(["run", "--ledger", ledger, script])
        try await holder.waitFor("start")
        try await Task.sleep(for: .seconds(1))
        let waiting = try machine.start(["run", "--ledger", ledger, script])
        try await waiting.waitFor("start")
        try await Task.sleep(for: .milliseconds(500))
        relay.freeze()
        // Ctrl-C ends the waiting run at once, whatever the server does.
        let interrupted = Date()
        kill(waiting.pid, SIGINT)
        #expect(try await waiting.finish(timeout: 20) == 130, "\(waiting.stderr)")
        #expect(Date().timeIntervalSince(interrupted) < 10)
        // Left alone, the holder ends (its ledger calls fail by their deadline) instead of hanging.
        _ = try await holder.finish(timeout: 40)
        _ = server
    }

    @Test func sslModesAreLibpqs() throws {
        for mode in ["require", "verify-ca", "verify-full"] {
            let address = try PostgresAddress(
                url: "postgres://u@db.example.com/team?sslmode=\(mode)&sslrootcert=/ca.pem")
            #expect(address.sslMode == mode)
            #expect(address.sslRootCert == "/ca.pem")
            #expect(address.masked.hasSuffix("sslmode=\(mode)&sslrootcert=/ca.pem"))
        }
        for mode in ["prefer", "allow"] {
            #expect {
                _ = try PostgresAddress(url: "postgres://u@db.example.com/team?sslmode=\(mode)")
            } throws: { ($0 as? LedgerError)?.message.contains("plain text") == true }
        }
        #expect(throws: LedgerError.self) {
            _ = try PostgresAddress(url: "postgres://u@db.example.com/team?sslmode=disable&sslrootcert=/ca.pem")
        }
    }

    @Test func driverErrorsAreOneReadableLine() {
        struct Dump: Error, CustomStringConvertible {
            let description: String
        }
        let tls = PostgresLedger.plain(
            Dump(
                description:
                    "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /build/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/handshake.cc:320]))"
            ))
        #expect(tls.hasPrefix("TLS: the server's certificate is not trusted"), "\(tls)")
        #expect(!tls.contains("/build") && !tls.contains("BoringSSL"))
        let refused = PostgresLedger.plain(
            Dump(
                description:
                    "Connection errors: SingleConnectionFailure(target: [IPv4]127.0.0.1/127.0.0.1:1, error: connection reset (error set): Connection refused) (errno: 111))"
            ))
        #expect(refused == "connection refused")
        let host = PostgresLedger.plain(
            Dump(description: "failedToValidateHostname: Couldn't find db.internal in certificate from peer"))
        #expect(host.hasPrefix("TLS: the server's certificate is not issued for this host name"), "\(host)")
    }
}

/// A fresh database on the test server, for one test.
struct TeamDatabase {
    static var serverURL: String? {
        ProcessInfo.processInfo.environment["GPUS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    let name: String
    let url: String
    let urlWithPassword: String

    /// A new database; with `password`, owned by a role that needs it.
    init(password: String? = nil) throws {
        guard let server = Self.serverURL, var components = URLComponents(string: server) else {
            throw LedgerError("GPUS_TEST_POSTGRES_URL is not set")
        }
        name = "gpus_\(UUID().uuidString.prefix(8).lowercased())"
        try Self.psql(server, "CREATE DATABASE \(name)")
        components.path = "/" + name
        url = components.string ?? server
        if let password {
            try Self.psql(
                server,
                "DO $$ BEGIN CREATE ROLE gpus_tester LOGIN PASSWORD '\(password)'; EXCEPTION WHEN duplicate_object THEN ALTER ROLE gpus_tester PASSWORD '\(password)'; END $$"
            )
            try Self.psql(server, "ALTER DATABASE \(name) OWNER TO gpus_tester")
            components.user = "gpus_tester"
            components.password = password
        }
        urlWithPassword = components.string ?? url
    }

    func address() throws -> PostgresAddress { try PostgresAddress(url: url) }

    /// Runs SQL in this database; returns the output (tuples only).
    @discardableResult
    func psql(_ sql: String) throws -> String { try Self.psql(url, sql) }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try ChildProcess.runBlocking(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-t", "-A", "-c", sql], timeout: 60)
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0 else { throw LedgerError("psql: \(text) \(result.stderr)") }
        return text
    }
}

/// A PostgreSQL cluster of a test's own (it is stopped mid-test), started by scripts/test-postgres.
final class PrivateCluster: @unchecked Sendable {
    let folder: String
    let url: String
    let host = "127.0.0.1"

    init() throws {
        folder = "/tmp/gpus-pg-\(UUID().uuidString.prefix(8))"
        let port = Int.random(in: 40_000...49_000)
        let started = try ChildProcess.runBlocking(
            [Built.script("test-postgres"), "start", folder, String(port)], timeout: 120)
        guard started.status == 0 else { throw LedgerError("cannot start a private cluster: \(started.stderr)") }
        url = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() {
        _ = try? ChildProcess.runBlocking([Built.script("test-postgres"), "stop", folder], timeout: 120)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
