import Foundation
import Synchronization
import YottaAPI

/// One run's side of the ledger: the run is recorded before its first create (a run that creates
/// nothing opens no file and leaves no trace), kept alive by a heartbeat, and every create is
/// recorded as an intent before it is sent and with its id after. A copy of the run's own entries
/// is kept in memory for cleanup and the REPL.
public final class RunLedger: Sendable {
    public let store: any LedgerStore
    public let run: RunInfo
    /// How often the run writes its heartbeat.
    public let heartbeatInterval: Duration
    private let records: Bool
    private let started = Mutex<Task<Result<Void, LedgerError>, Never>?>(nil)
    private let beating = Mutex<Task<Void, Never>?>(nil)
    private let mirror = Mutex<[LedgerEntry]>([])
    private let ended = Atomic<Bool>(false)
    private let limits = Mutex<(deadline: Date?, maxCost: Double?)>((nil, nil))

    /// A run of `recipe` against `target` (the ledger's name for a cloud). `records: false` makes a
    /// ledger that only records deletions (cleaning other runs): no run is written and no create
    /// may be intended.
    public init(
        store: any LedgerStore, recipe: String, arguments: [String], target: String, records: Bool = true,
        heartbeatInterval: Duration = RunLedger.defaultHeartbeat
    ) {
        let pid = getpid()
        var run = RunInfo(
            id: RunProcess.newRunID(), recipe: recipe, arguments: arguments, user: RunProcess.user,
            host: RunProcess.host, pid: pid, processStart: RunProcess.startTime(of: pid), target: target,
            startedAt: Date())
        run.heartbeatSeconds = Double(heartbeatInterval / .milliseconds(1)) / 1000
        self.run = run
        self.store = store
        self.records = records
        self.heartbeatInterval = heartbeatInterval
    }

    /// Records the run (once), and starts its heartbeat.
    private func begin() -> Task<Result<Void, LedgerError>, Never> {
        started.withLock { started in
            if let started { return started }
            var recorded = self.run
            (recorded.deadline, recorded.maxCost) = limits.withLock { $0 }
            let (store, run, interval, records) = (store, recorded, heartbeatInterval, records)
            let task = Task { () -> Result<Void, LedgerError> in
                guard records else { return .failure(LedgerError("this command creates nothing")) }
                do {
                    try await store.begin(run)
                    return .success(())
                } catch {
                    return .failure(error as? LedgerError ?? LedgerError("\(error)"))
                }
            }
            started = task
            if records {
                beating.withLock {
                    $0 = Task.detached {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: interval)
                            if Task.isCancelled { return }
                            try? await store.heartbeat(run: run.id, at: Date())
                        }
                    }
                }
            }
            return task
        }
    }

    /// 5 seconds, or `GPUS_HEARTBEAT_SECONDS`.
    public static var defaultHeartbeat: Duration { .milliseconds(Int64(defaultHeartbeatSeconds * 1000)) }

    /// The heartbeat interval in seconds: 5, or `GPUS_HEARTBEAT_SECONDS`.
    public static var defaultHeartbeatSeconds: Double {
        let text = ProcessInfo.processInfo.environment["GPUS_HEARTBEAT_SECONDS"] ?? ""
        guard let seconds = Double(text), seconds > 0 else { return 5 }
        return seconds
    }

    /// The run is recorded (or why it could not be).
    public func ready() async throws {
        try await begin().value.get()
    }

    /// Records that a create is about to be sent. When this fails no create may be sent: the error
    /// says why (fail closed). `settleBy`: until when the provider could still apply it; `ttl`: how
    /// long the resource may live (counted from now); `keep`: `--cleanup` leaves it.
    public func intend(
        _ kind: ResourceKind, name: String, spec: String, settleBy: Date? = nil, ttl: Duration? = nil,
        keep: Bool = false
    ) async throws -> Int64 {
        try await ready()
        let now = Date()
        let expiresAt = ttl.map { now.addingTimeInterval(Double($0 / .milliseconds(1)) / 1000) }
        let intent = Intent(
            run: run.id, kind: kind, name: name, spec: spec, target: run.target, at: now, settleBy: settleBy,
            expiresAt: expiresAt, keep: keep)
        let seq = try await store.intend(intent)
        var entry = LedgerEntry(
            seq: seq, run: run.id, kind: kind, name: name, spec: spec, target: run.target, intendedAt: intent.at,
            settleBy: settleBy)
        entry.expiresAt = expiresAt
        entry.keep = keep
        mirror.withLock { $0.append(entry) }
        return seq
    }

    /// The run's deadline and the most it may spend, if any.
    public var deadline: Date? { limits.withLock { $0.deadline } }
    public var maxCost: Double? { limits.withLock { $0.maxCost } }

    /// Sets the run's limits: written with the run when it begins, or now if it has.
    public func limit(deadline: Date?, maxCost: Double?) async {
        limits.withLock { $0 = (deadline, maxCost) }
        guard records, started.withLock({ $0 != nil }), (try? await ready()) != nil else { return }
        let id = run.id
        await durably { try await $0.limit(run: id, deadline: deadline, maxCost: maxCost) }
    }

    /// Writes to the store whatever the calling task's state: an answer that arrives after a signal
    /// (the program's task cancelled) is still recorded. A ledger that fails now keeps the intent,
    /// which a later clean resolves.
    private func durably(_ write: @escaping @Sendable (any LedgerStore) async throws -> Void) async {
        let store = store
        await Task { try? await write(store) }.value
    }

    /// Records the id of what an intent created.
    public func created(_ seq: Int64, id: String, pricePerHour: Double?) async {
        update(seq) {
            $0.resourceID = id
            $0.createdAt = Date()
            $0.pricePerHour = pricePerHour
        }
        await durably { try await $0.created(entry: seq, resourceID: id, pricePerHour: pricePerHour) }
    }

    /// Records that an intent created nothing, and why.
    public func abandon(_ seq: Int64, note: String? = nil) async {
        update(seq) {
            $0.abandoned = true
            $0.note = note
        }
        await durably { try await $0.abandon(entry: seq, note: note) }
    }

    /// Records why an intent's outcome is unknown; it stays open.
    public func unresolved(_ seq: Int64, note: String) async {
        update(seq) { $0.note = note }
        await durably { try await $0.unresolved(entry: seq, note: note) }
    }

    /// Records that a resource no longer bills, and why when it is not its own run's program that
    /// deleted it. A ledger that records no run (`gpus runs clean`, the keeper) signs the deletion.
    public func deleted(_ kind: ResourceKind, id: String, why: String? = nil) async {
        let now = Date()
        let by = records ? nil : "\(run.recipe) (\(run.user)@\(run.host))"
        mirror.withLock { entries in
            for index in entries.indices
            where entries[index].kind == kind && entries[index].resourceID == id && entries[index].deletedAt == nil {
                entries[index].deletedAt = now
                entries[index].deletedBy = by
                entries[index].deletedWhy = why
            }
        }
        let target = run.target
        await durably { try await $0.deleted(target: target, kind: kind, resourceID: id, at: now, by: by, why: why) }
    }

    private func update(_ seq: Int64, _ change: (inout LedgerEntry) -> Void) {
        mirror.withLock { entries in
            if let index = entries.firstIndex(where: { $0.seq == seq }) { change(&entries[index]) }
        }
    }

    /// What this run created (or may have created) that still bills, oldest first.
    public var live: [LedgerEntry] { mirror.withLock { $0.filter(\.isLive) } }

    /// Every entry of this run, oldest first.
    public var entries: [LedgerEntry] { mirror.withLock { $0 } }

    /// Holds the lock on one name of one kind on this run's target while `body` runs.
    public func withLock<T: Sendable>(
        _ kind: ResourceKind, name: String, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await store.withLock(LockKey(target: run.target, kind: kind, name: name), body)
    }

    /// Records the end of the run (once, if it was recorded) and stops the heartbeat.
    public func end(exitCode: Int32) async {
        guard !ended.exchange(true, ordering: .relaxed) else { return }
        beating.withLock { $0?.cancel() }
        guard let started = started.withLock({ $0 }), (try? await started.value.get()) != nil else { return }
        let id = run.id
        await durably { try await $0.end(run: id, exitCode: exitCode, at: Date()) }
    }
}
