import Foundation
import Synchronization
import YottaAPI

/// A store opened on first use: a command that never creates or cleans anything opens no file.
public final class LazyLedgerStore: LedgerStore {
    public let location: String
    private let opener: @Sendable () throws -> any LedgerStore
    private let opened = Mutex<Result<any LedgerStore, LedgerError>?>(nil)

    public init(location: String, open: @escaping @Sendable () throws -> any LedgerStore) {
        self.location = location
        self.opener = open
    }

    /// The store, opened now if it was not yet.
    public func store() throws -> any LedgerStore {
        try opened.withLock { opened in
            if let opened { return opened }
            let result: Result<any LedgerStore, LedgerError>
            do {
                result = .success(try opener())
            } catch {
                result = .failure(error as? LedgerError ?? LedgerError("\(error)"))
            }
            opened = result
            return result
        }.get()
    }

    public func begin(_ run: RunInfo) async throws { try await store().begin(run) }
    public func heartbeat(run: String, at time: Date) async throws { try await store().heartbeat(run: run, at: time) }
    public func end(run: String, exitCode: Int32, at time: Date) async throws {
        try await store().end(run: run, exitCode: exitCode, at: time)
    }
    public func intend(_ intent: Intent) async throws -> Int64 { try await store().intend(intent) }
    public func created(entry: Int64, resourceID: String, pricePerHour: Double?) async throws {
        try await store().created(entry: entry, resourceID: resourceID, pricePerHour: pricePerHour)
    }
    public func abandon(entry: Int64, note: String?) async throws {
        try await store().abandon(entry: entry, note: note)
    }
    public func unresolved(entry: Int64, note: String) async throws {
        try await store().unresolved(entry: entry, note: note)
    }
    public func deleted(
        target: String, kind: ResourceKind, resourceID: String, at time: Date, by: String?, why: String?
    ) async throws {
        try await store().deleted(target: target, kind: kind, resourceID: resourceID, at: time, by: by, why: why)
    }
    public func limit(run: String, deadline: Date?, maxCost: Double?) async throws {
        try await store().limit(run: run, deadline: deadline, maxCost: maxCost)
    }
    public func runs(_ query: RunQuery) async throws -> [RunInfo] { try await store().runs(query) }
    public func entries(_ query: EntryQuery) async throws -> [LedgerEntry] { try await store().entries(query) }
    public func prune(endedBefore time: Date) async throws -> PruneResult {
        try await store().prune(endedBefore: time)
    }
    public func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T {
        try await store().withLock(key, body)
    }
}
