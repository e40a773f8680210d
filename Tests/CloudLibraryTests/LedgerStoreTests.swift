import CloudLibrary
import Foundation
import Language
import Runs
import Synchronization
import TestSupport
import Testing
import YottaAPI

/// The run ledger's store, run states, locks, and the cloud library's use of them.
@Suite struct LedgerStoreTests {
    static func temporaryLedger() throws -> (SQLiteLedger, String) {
        let folder = try TemporaryFolder.forTheRun("gpus-ledger")
        let path = folder.appendingPathComponent("ledger.sqlite").path
        return (try SQLiteLedger(path: path), path)
    }

    @Test func aRunAndItsEntriesSurviveReopening() async throws {
        let (store, path) = try Self.temporaryLedger()
        let run = RunInfo(
            id: "r1", recipe: "a.gpus", arguments: ["x"], user: "u", host: "h", pid: 1, processStart: 0, target: "t",
            startedAt: Date(timeIntervalSince1970: 1000))
        try await store.begin(run)
        let first = try await store.intend(Intent(run: "r1", kind: .pod, name: "p", spec: "{}", target: "t"))
        let second = try await store.intend(Intent(run: "r1", kind: .credential, name: "c", spec: "{}", target: "t"))
        let third = try await store.intend(Intent(run: "r1", kind: .vm, name: "v", spec: "{}", target: "t"))
        try await store.created(entry: first, resourceID: "11", pricePerHour: 0.5)
        try await store.created(entry: second, resourceID: "22", pricePerHour: nil)
        try await store.deleted(target: "t", kind: .credential, resourceID: "22", at: Date())
        try await store.end(run: "r1", exitCode: 2, at: Date(timeIntervalSince1970: 2000))
        _ = third
        let reopened = try SQLiteLedger(path: path)
        let runs = try await reopened.runs()
        #expect(runs.map(\.id) == ["r1"])
        #expect(runs[0].arguments == ["x"])
        #expect(runs[0].exitCode == 2)
        #expect(runs[0].state() == .failed)
        let entries = try await reopened.entries(runs: ["r1"])
        #expect(entries.map(\.name) == ["p", "c", "v"])
        #expect(entries.filter(\.isLive).map(\.name) == ["p", "v"])
        #expect(entries[0].pricePerHour == 0.5)
        #expect(entries[2].resourceID == nil)
    }

    @Test func runStates() {
        var run = RunInfo(
            id: "r", recipe: "-e", arguments: [], user: "u", host: "here", pid: 1, processStart: 0, target: "t",
            startedAt: Date(timeIntervalSince1970: 0))
        run.heartbeatSeconds = 5
        #expect(run.state(host: "here", isAlive: { _ in true }) == .running)
        #expect(run.state(host: "here", isAlive: { _ in false }) == .crashed)
        // On another host only the heartbeat tells.
        let now = Date(timeIntervalSince1970: 100)
        run.heartbeatAt = Date(timeIntervalSince1970: 90)
        #expect(run.state(now: now, host: "elsewhere") == .running)
        run.heartbeatAt = Date(timeIntervalSince1970: 80)
        #expect(run.state(now: now, host: "elsewhere") == .crashed)
        run.endedAt = now
        run.exitCode = 0
        #expect(run.state(host: "here", isAlive: { _ in false }) == .finished)
    }

    @Test func thisProcessIsAliveAndAFinishedOneIsNot() throws {
        let me = RunInfo(
            id: "r", recipe: "-e", arguments: [], user: "u", host: "h", pid: getpid(),
            processStart: RunProcess.startTime(of: getpid()), target: "t", startedAt: Date())
        #expect(RunProcess.isAlive(me))
        var reused = me
        reused.processStart += 1  // the same pid, started at another time: another process
        #expect(!RunProcess.isAlive(reused))
        let child = try ChildProcess(["/bin/true"])
        try child.finishBlocking()
        var gone = me
        gone.pid = child.pid
        gone.processStart = 0
        #expect(!RunProcess.isAlive(gone))
    }

    /// A store that refuses intents: the ledger cannot record what a run is about to create.
    final class RefusingStore: LedgerStore, @unchecked Sendable {
        let inner: SQLiteLedger
        init() throws { inner = try SQLiteLedger(path: ":memory:") }
        var location: String { "refusing" }
        func begin(_ run: RunInfo) async throws { try await inner.begin(run) }
        func heartbeat(run: String, at time: Date) async throws {}
        func end(run: String, exitCode: Int32, at time: Date) async throws {}
        func intend(_ intent: Intent) async throws -> Int64 { throw LedgerError("disk full") }
        func created(entry: Int64, resourceID: String, pricePerHour: Double?) async throws {}
        func abandon(entry: Int64, note: String?) async throws {}
        func unresolved(entry: Int64, note: String) async throws {}
        func deleted(
            target: String, kind: ResourceKind, resourceID: String, at time: Date, by: String?, why: String?
        ) async throws {}
        func limit(run: String, deadline: Date?, maxCost: Double?) async throws {}
        func runs(_ query: RunQuery) async throws -> [RunInfo] { try await inner.runs(query) }
        func entries(_ query: EntryQuery) async throws -> [LedgerEntry] { [] }
        func prune(endedBefore time: Date) async throws -> PruneResult { PruneResult(runs: 0, entries: 0) }
        func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T {
            try await body()
        }
    }

    @Test func noCreateIsSentWhenItsIntentCannotBeRecorded() async throws {
        let harness = try CloudHarness(ledgerStore: RefusingStore())
        let outcome = await harness.run("vms.create(name: \"unrecorded\", vmTypeId: 101, region: \"us-east-1\")")
        let error = try #require(failure(outcome))
        #expect(error.message.contains("vms.create 'unrecorded' not sent: disk full"), "\(error.message)")
        #expect(harness.service.requestCounts()[.createVM] == nil)
    }

    @Test func deletingWhatNoLongerBillsSucceeds() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let bad = pods.create(name: "bad", image: "acme/does-not-exist:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            wait until bad.status == failed timeout 5m
            bad.delete()
            let p = pods.create(name: "twice", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            p.delete()
            p.delete()
            let vm = vms.create(name: "twice", vmTypeId: 101, region: "us-east-1")
            vm.terminate()
            vm.terminate()
            let c = credentials.create(name: "twice", username: "u", password: "p")
            c.delete()
            c.delete()
            let v = volumes.create(name: "twice", storageType: "S3")
            v.delete()
            v.delete()
            print("all deleted")
            """)
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(harness.output.all == ["all deleted"])
        #expect(harness.session.ledger.live.isEmpty)
    }

    @Test func deletingWhatARunningResourceStillUsesFails() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let cred = credentials.create(name: "reg", username: "u", password: "p")
            let pod = pods.create(name: "private", image: "acme/secret:1", gpuType: "NVIDIA_RTX_4090_24G",
                                  gpuCount: 1, containerRegistryAuthId: cred.id, imagePublicType: "PRIVATE")
            wait until pod.status == running
            cred.delete()
            """)
        let error = try #require(failure(outcome))
        #expect(Printer.repr(error.value.code) == "25002")
        #expect(error.value.kind == .dependency)
        #expect(error.message.contains("Pod private (RUNNING)"), "\(error.message)")
    }

    @Test func cleanupResolvesAnOpenIntentByNameButNotWhatAnotherEntryOwns() async throws {
        let harness = try CloudHarness()
        // Another run's VM, recorded with its id.
        _ = await harness.run("vms.create(name: \"shared\", vmTypeId: 101, region: \"us-east-1\")")
        let owned = try #require(harness.session.ledger.live.first)
        // An intent with no id (the process died before the answer), for the same name, past the time
        // the provider could have applied it.
        let settled = Date()
        let seq = try await harness.ledger.intend(
            Intent(
                run: harness.session.ledger.run.id, kind: .vm, name: "shared", spec: "{}", target: "test",
                settleBy: settled))
        let open = LedgerEntry(
            seq: seq, run: harness.session.ledger.run.id, kind: .vm, name: "shared", spec: "{}", target: "test",
            intendedAt: Date(), settleBy: settled)
        let report = await harness.session.cleanup([open])
        #expect(report.lines == ["never created: VM shared"])
        #expect(await harness.statuses("/v2/vms") == ["initializing"])
        // The real one is cleaned by its own entry.
        let again = await harness.session.cleanup([owned])
        #expect(again.lines.first?.hasPrefix("deleted VM shared") == true)
    }

    static func run(_ id: String, startedAt: Double, endedAt: Double? = nil) -> RunInfo {
        var run = RunInfo(
            id: id, recipe: "r.gpus", arguments: [], user: "u", host: "h", pid: 1, processStart: 0, target: "t",
            startedAt: Date(timeIntervalSince1970: startedAt))
        run.endedAt = endedAt.map(Date.init(timeIntervalSince1970:))
        return run
    }

    @Test func theLedgerAndItsFolderAreTheUsersAlone() throws {
        let state = try TemporaryFolder.forTheRun("gpus-modes")
        let folder = state.appendingPathComponent("gpus")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o777)
        let path = SQLiteLedger.defaultPath(environment: ["XDG_STATE_HOME": state.path])
        FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        setenv("XDG_STATE_HOME", state.path, 1)
        defer { unsetenv("XDG_STATE_HOME") }
        _ = try SQLiteLedger(path: path)
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        #expect(try mode(folder.path) == 0o700)
        #expect(try mode(path) == 0o600)
        for companion in [path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: companion) {
            #expect(try mode(companion) == 0o600)
        }
        // A file placed elsewhere keeps its folder's mode.
        let elsewhere = try TemporaryFolder.forTheRun("gpus-else")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        chmod(elsewhere.path, 0o755)
        _ = try SQLiteLedger(path: elsewhere.appendingPathComponent("l.sqlite").path)
        #expect(try mode(elsewhere.path) == 0o755)
        #expect(try mode(elsewhere.appendingPathComponent("l.sqlite").path) == 0o600)
    }

    @Test func aZombieIsNotRunning() throws {
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30"), nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sleep", nil, nil, arguments, environ) == 0)
        let run = RunInfo(
            id: "z", recipe: "-e", arguments: [], user: "u", host: "h", pid: pid,
            processStart: RunProcess.startTime(of: pid), target: "t", startedAt: Date())
        #expect(RunProcess.isAlive(run))
        kill(pid, SIGKILL)
        // Killed and not reaped: a zombie until waitpid.
        for _ in 0..<200 where RunProcess.state(of: pid) != "Z" { usleep(10_000) }
        #expect(RunProcess.state(of: pid) == "Z")
        #expect(!RunProcess.isAlive(run))
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
