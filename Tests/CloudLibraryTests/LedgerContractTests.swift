import Foundation
import Runs
import Synchronization
import TestSupport
import Testing
import YottaAPI

/// The `LedgerStore` contract, the same tests on every store: SQLite (the local ledger) and
/// PostgreSQL (the team ledger). PostgreSQL needs a test server: `GPUS_TEST_POSTGRES_URL`, which
/// `.ci/run` sets (in CI the PostgreSQL cases always run; elsewhere they run when a server is set —
/// `scripts/test-postgres start DIR PORT` prints the URL).
@Suite struct LedgerContractTests {
    enum Store: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    static var stores: [Store] {
        TeamDatabase.serverURL != nil || TeamDatabase.inCI ? [.sqlite, .postgres] : [.sqlite]
    }

    /// Two handles on one fresh ledger of the kind: what two processes (or machines) see.
    static func open(_ store: Store) async throws -> (any LedgerStore, any LedgerStore) {
        switch store {
        case .sqlite:
            let folder = try TemporaryFolder.forTheRun("gpus-contract")
            let path = folder.appendingPathComponent("ledger.sqlite").path
            return (try SQLiteLedger(path: path), try SQLiteLedger(path: path))
        case .postgres:
            let database = try TeamDatabase()
            return (
                try await PostgresLedger.connect(try database.address(), deadline: .seconds(60)),
                try await PostgresLedger.connect(try database.address(), deadline: .seconds(60))
            )
        }
    }

    static func run(_ id: String, startedAt: Double, endedAt: Double? = nil) -> RunInfo {
        LedgerStoreTests.run(id, startedAt: startedAt, endedAt: endedAt)
    }

    /// Every write reads back, field by field, from the other handle.
    @Test(arguments: stores) func everyWriteReadsBackFromAnotherHandle(_ store: Store) async throws {
        let (writer, reader) = try await Self.open(store)
        var info = Self.run("r1", startedAt: 1_000)
        info.arguments = ["a b", "é"]
        try await writer.begin(info)
        // A heartbeat says the run is alive now (PostgreSQL takes the server's clock, so machines
        // with skewed clocks agree on a heartbeat's age).
        try await writer.heartbeat(run: "r1", at: Date())
        let beat = try #require(try await reader.runs(.ids(["r1"])).first).heartbeatAt
        #expect(abs(beat.timeIntervalSinceNow) < 30, "\(beat)")
        try await writer.limit(run: "r1", deadline: Date(timeIntervalSince1970: 4_600), maxCost: 12.5)
        let settle = Date(timeIntervalSince1970: 1_060)
        let expiry = Date(timeIntervalSince1970: 8_200)
        let made = try await writer.intend(
            Intent(
                run: "r1", kind: .pod, name: "trainer", spec: #"{"gpuCount":2,"password":"••••"}"#, target: "t",
                at: Date(timeIntervalSince1970: 1_010), settleBy: settle, expiresAt: expiry, keep: true))
        try await writer.created(entry: made, resourceID: "917", pricePerHour: 0.78)
        try await writer.deleted(
            target: "t", kind: .pod, resourceID: "917", at: Date(timeIntervalSince1970: 1_500), by: "keeper@h",
            why: "past its ttl")
        let refused = try await writer.intend(Intent(run: "r1", kind: .vm, name: "v", spec: "{}", target: "t"))
        try await writer.abandon(entry: refused, note: "refused: quota (code 13001)")
        let lost = try await writer.intend(Intent(run: "r1", kind: .volume, name: "d", spec: "{}", target: "t"))
        try await writer.unresolved(entry: lost, note: "unknown: HTTP 504")
        try await writer.end(run: "r1", exitCode: 4, at: Date(timeIntervalSince1970: 2_000))

        let runs = try await reader.runs(.ids(["r1"]))
        let run = try #require(runs.first)
        #expect(run.arguments == ["a b", "é"] && run.recipe == "r.gpus" && run.target == "t")
        #expect(run.endedAt == Date(timeIntervalSince1970: 2_000) && run.exitCode == 4)
        #expect(run.deadline == Date(timeIntervalSince1970: 4_600) && run.maxCost == 12.5)
        let entries = try await reader.entries(.runs(["r1"]))
        #expect(entries.map(\.seq) == [made, refused, lost])
        let pod = try #require(entries.first)
        #expect(pod.kind == .pod && pod.name == "trainer" && pod.spec == #"{"gpuCount":2,"password":"••••"}"#)
        #expect(pod.resourceID == "917" && pod.pricePerHour == 0.78 && pod.createdAt != nil)
        #expect(pod.settleBy == settle && pod.expiresAt == expiry && pod.keep)
        #expect(pod.deletedAt == Date(timeIntervalSince1970: 1_500) && pod.deletedBy == "keeper@h")
        #expect(pod.deletedWhy == "past its ttl" && !pod.isLive)
        #expect(entries[1].abandoned && entries[1].note == "refused: quota (code 13001)" && !entries[1].isLive)
        #expect(entries[2].isOpen && entries[2].note == "unknown: HTTP 504")
    }

    @Test(arguments: stores) func queriesReadOnlyWhatTheyAskFor(_ store: Store) async throws {
        let (store, _) = try await Self.open(store)
        for index in 0..<30 {
            try await store.begin(Self.run(String(format: "2026-%02d", index), startedAt: Double(1000 + index)))
        }
        let live = try await store.intend(Intent(run: "2026-03", kind: .pod, name: "p", spec: "{}", target: "t"))
        try await store.created(entry: live, resourceID: "7", pricePerHour: 1)
        let gone = try await store.intend(Intent(run: "2026-04", kind: .pod, name: "q", spec: "{}", target: "t"))
        try await store.abandon(entry: gone, note: "refused: no (code 10001)")
        let open = try await store.intend(Intent(run: "2026-05", kind: .pod, name: "p", spec: "{}", target: "t"))
        try await store.unresolved(entry: open, note: "unknown: HTTP 504")
        #expect(try await store.runs(.newest(limit: 3)).map(\.id) == ["2026-29", "2026-28", "2026-27"])
        #expect(try await store.runs(.ids(["2026-07", "nope"])).map(\.id) == ["2026-07"])
        #expect(try await store.runs(.prefix("2026-1", limit: 11)).count == 10)
        #expect(try await store.runs(.prefix("2026-", limit: 11)).count == 11)
        #expect(try await store.runs(.prefix("", limit: 11)).isEmpty)
        #expect(try await store.runs(.prefix("2026-%", limit: 11)).isEmpty)
        #expect(try await store.runs(.withLive).map(\.id) == ["2026-05", "2026-03"])
        #expect(try await store.entries(.live(nil)).map(\.seq) == [live, open])
        #expect(try await store.entries(.live(["2026-04"])).isEmpty)
        let openOnes = try await store.entries(.open(LockKey(target: "t", kind: .pod, name: "p")))
        #expect(openOnes.map(\.seq) == [open])
        #expect(openOnes.first?.note == "unknown: HTTP 504")
        #expect(try await store.entries(.resources(target: "t", kind: .pod, ids: ["7", "8"])).map(\.seq) == [live])
        #expect(try await store.entries(.runs(["2026-04"])).first?.note == "refused: no (code 10001)")
    }

    @Test(arguments: stores) func pruneForgetsOnlyOldRunsThatLeftNothing(_ store: Store) async throws {
        let (store, _) = try await Self.open(store)
        try await store.begin(Self.run("old-clean", startedAt: 100, endedAt: 200))
        try await store.end(run: "old-clean", exitCode: 0, at: Date(timeIntervalSince1970: 200))
        let made = try await store.intend(Intent(run: "old-clean", kind: .vm, name: "v", spec: "{}", target: "t"))
        try await store.created(entry: made, resourceID: "1", pricePerHour: nil)
        try await store.deleted(target: "t", kind: .vm, resourceID: "1", at: Date(timeIntervalSince1970: 150))
        try await store.begin(Self.run("old-live", startedAt: 100))
        try await store.end(run: "old-live", exitCode: 2, at: Date(timeIntervalSince1970: 200))
        _ = try await store.intend(Intent(run: "old-live", kind: .pod, name: "p", spec: "{}", target: "t"))
        try await store.begin(Self.run("new", startedAt: Date().timeIntervalSince1970))
        let result = try await store.prune(endedBefore: Date(timeIntervalSince1970: 1000))
        #expect(result == PruneResult(runs: 1, entries: 1))
        #expect(Set(try await store.runs().map(\.id)) == ["old-live", "new"])
    }

    /// A lock on (target, kind, name) is held by one holder at a time across handles (processes,
    /// machines); other names are not held up.
    @Test(arguments: stores) func theLockExcludesAcrossHandles(_ store: Store) async throws {
        let (first, second) = try await Self.open(store)
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
        let other = LockKey(target: "t", kind: .pod, name: "other")
        try await first.withLock(key) { try await second.withLock(other) {} }
        // A body that throws releases the lock.
        struct Thrown: Error {}
        await #expect(throws: Thrown.self) { try await first.withLock(key) { throw Thrown() } }
        try await second.withLock(key) {}
    }
}
