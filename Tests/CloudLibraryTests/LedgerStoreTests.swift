import CloudLibrary
import Foundation
import Language
import Runs
import Synchronization
import Testing
import YottaAPI

/// The run ledger's store, run states, locks, and the cloud library's use of them.
@Suite struct LedgerStoreTests {
    static func temporaryLedger() throws -> (SQLiteLedger, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-ledger-\(UUID().uuidString)")
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
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        var gone = me
        gone.pid = child.processIdentifier
        gone.processStart = 0
        #expect(!RunProcess.isAlive(gone))
    }

    @Test func theLockExcludesAcrossOpensOfTheLedger() async throws {
        let (first, path) = try Self.temporaryLedger()
        let second = try SQLiteLedger(path: path)
        let key = LockKey(target: "t", kind: .pod, name: "trainer")
        final class Counts: Sendable {
            let state = Mutex((inside: 0, overlaps: 0, entered: 0))
        }
        let counts = Counts()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    try await store.withLock(key) {
                        counts.state.withLock {
                            $0.inside += 1
                            $0.entered += 1
                            if $0.inside > 1 { $0.overlaps += 1 }
                        }
                        try await Task.sleep(for: .milliseconds(20))
                        counts.state.withLock { $0.inside -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counts.state.withLock { $0.overlaps } == 0)
        #expect(counts.state.withLock { $0.entered } == 8)
        // Other names are not held up.
        let other = LockKey(target: "t", kind: .pod, name: "other")
        try await first.withLock(key) { try await second.withLock(other) {} }
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
        func abandon(entry: Int64) async throws {}
        func deleted(target: String, kind: ResourceKind, resourceID: String, at time: Date) async throws {}
        func runs() async throws -> [RunInfo] { try await inner.runs() }
        func entries(runs: [String]?) async throws -> [LedgerEntry] { [] }
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

    @Test func deletingWhatStillBillsButIsRefusedStillFails() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let ep = endpoints.create(name: "running", image: "i", serviceMode: "QUEUE",
                                      resources: [{region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1}],
                                      workers: 1, containerVolumeInGb: 20)
            ep.delete()
            """)
        #expect(Printer.repr(failure(outcome)?.value.code ?? .null) == "24002")
    }

    @Test func cleanupResolvesAnOpenIntentByNameButNotWhatAnotherEntryOwns() async throws {
        let harness = try CloudHarness()
        // Another run's VM, recorded with its id.
        _ = await harness.run("vms.create(name: \"shared\", vmTypeId: 101, region: \"us-east-1\")")
        let owned = try #require(harness.session.ledger.live.first)
        // An intent with no id (the process died before the answer), for the same name.
        let seq = try await harness.ledger.intend(
            Intent(run: harness.session.ledger.run.id, kind: .vm, name: "shared", spec: "{}", target: "test"))
        let open = LedgerEntry(
            seq: seq, run: harness.session.ledger.run.id, kind: .vm, name: "shared", spec: "{}", target: "test",
            intendedAt: Date())
        let report = await harness.session.cleanup([open])
        #expect(report.lines == ["never created: VM shared"])
        #expect(await harness.statuses("/v2/vms") == ["initializing"])
        // The real one is cleaned by its own entry.
        let again = await harness.session.cleanup([owned])
        #expect(again.lines.first?.hasPrefix("deleted VM shared") == true)
    }
}
