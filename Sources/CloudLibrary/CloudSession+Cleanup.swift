import Foundation
import Language
import Runs
import YottaAPI

/// What cleanup did to each resource, and what it could not delete.
public struct CleanupReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case deleted
        /// It no longer billed: already deleted, terminated, failed, or not found.
        case alreadyGone
        /// An intent whose create never answered, and no resource of its name exists.
        case neverCreated
        /// Still there: the reason.
        case remains(String)
        /// An intent whose create never answered, not found yet while the provider could still
        /// apply it (or more than one resource could be it): it stays open for the next clean.
        case unresolved(String)
    }

    public struct Item: Sendable {
        public let entry: LedgerEntry
        public let outcome: Outcome

        /// As data: `{kind, name, id, outcome, reason?}` (outcome `deleted`, `alreadyGone`,
        /// `neverCreated` or `remains`).
        public var json: Value {
            var pairs: [(String, Value)] = [
                ("kind", .string(entry.kind.rawValue)), ("name", .string(entry.name)),
                ("id", entry.resourceID.map { .string($0) } ?? .null),
            ]
            switch outcome {
            case .deleted: pairs.append(("outcome", .string("deleted")))
            case .alreadyGone: pairs.append(("outcome", .string("alreadyGone")))
            case .neverCreated: pairs.append(("outcome", .string("neverCreated")))
            case .remains(let reason): pairs += [("outcome", .string("remains")), ("reason", .string(reason))]
            case .unresolved(let reason):
                pairs += [("outcome", .string("unresolved")), ("reason", .string(reason))]
            }
            return .map(MapBox(pairs))
        }

        /// One line: `deleted Pod worker-1 (7301…)`.
        public var line: String {
            let what = "\(entry.kind.rawValue) \(entry.name) (\(entry.resourceID ?? "id unknown"))"
            switch outcome {
            case .deleted: return "deleted \(what)"
            case .alreadyGone: return "already gone: \(what)"
            case .neverCreated: return "never created: \(entry.kind.rawValue) \(entry.name)"
            case .remains(let reason): return "could not delete \(what): \(reason)"
            case .unresolved(let reason): return "unresolved: \(entry.kind.rawValue) \(entry.name): \(reason)"
            }
        }
    }

    public var items: [Item] = []
    public var lines: [String] { items.map(\.line) }
    /// What still exists, or may: non-empty means the cleanup failed.
    public var remaining: [Item] {
        items.filter {
            switch $0.outcome {
            case .remains, .unresolved: true
            default: false
            }
        }
    }

    public init(items: [Item] = []) { self.items = items }
}

extension CloudSession {
    /// Deletes a resource; something that no longer bills (already deleted, terminated, failed, or
    /// not found) counts as deleted. Returns whether it was deleted now (false: it was gone). An
    /// endpoint is deleted as it is (the API refuses a running one); `stopTimeout` > 0 stops it first.
    @discardableResult
    func remove(
        _ kind: ResourceKind, _ id: ResourceID, stopTimeout: Duration = .zero, why: String? = nil
    ) async throws -> Bool {
        do {
            switch kind {
            case .vm: try await client.terminateVM(id: id)
            case .pod: try await client.deletePod(id: id)
            case .endpoint:
                if stopTimeout > .zero { try await stopEndpoint(id, timeout: stopTimeout) }
                try await client.deleteEndpoint(id: id)
            case .volume: try await client.deleteVolume(id: id)
            case .credential: try await client.deleteCredential(id: id)
            }
            await ledger.deleted(kind, id: id.rawValue, why: why)
            return true
        } catch {
            // Refused: fine when the resource no longer bills.
            let category = error.code?.category
            guard category == .notFound || category == .invalidState,
                let bills = try? await stillBills(kind, id), !bills
            else { throw error }
            await ledger.deleted(kind, id: id.rawValue, why: why)
            return false
        }
    }

    /// Whether a resource exists in a state that bills.
    func stillBills(_ kind: ResourceKind, _ id: ResourceID) async throws -> Bool {
        do {
            switch kind {
            case .vm: return try await client.getVM(id: id).bills
            case .pod: return try await client.getPod(id: id).bills
            case .endpoint: return try await client.getEndpoint(id: id).bills
            case .volume: return try await client.getVolume(id: id).bills
            case .credential: return try await client.getCredential(id: id).bills
            }
        } catch {
            if error.code?.category == .notFound { return false }
            throw error
        }
    }

    /// Deletes what the run created that still bills — or, given entries, what other runs left —
    /// trying every one whatever fails: endpoints stopped then deleted, pods and VMs (waiting until
    /// they are gone), volumes, credentials ("in use" retried until their users are gone, within
    /// `stopTimeout`). An intent with no id is first resolved by name.
    ///
    /// The run's own cleanup leaves what was created with `keep: true`; `reasons` (by entry) say why
    /// each was deleted, in the ledger, when another process deletes it (the keeper).
    public func cleanup(
        _ entries: [LedgerEntry]? = nil, stopTimeout: Duration = .seconds(120), reasons: [Int64: String] = [:]
    ) async -> CleanupReport {
        var report = CleanupReport()
        var pending: [LedgerEntry] = []
        let toClean = (entries ?? ledger.live.filter { !$0.keep }).filter(\.isLive)
        // Open intents first: each is resolved to the resource it made, if one can be told apart.
        let resolutions = await resolve(toClean.filter(\.isOpen))
        await record(resolutions)
        for entry in toClean {
            guard entry.isOpen else {
                pending.append(entry)
                continue
            }
            switch resolutions[entry.seq] {
            case .found(let candidate)?:
                var resolved = entry
                resolved.resourceID = candidate.id.rawValue
                pending.append(resolved)
            case .neverCreated?, nil:
                report.items.append(.init(entry: entry, outcome: .neverCreated))
            case .notYet(let settle)?:
                report.items.append(
                    .init(
                        entry: entry,
                        outcome: .unresolved(
                            "its create never answered and it is not there yet; the provider could still apply it "
                                + "until \(Self.clock(settle)): clean again after that")))
            case .ambiguous(let ids)?:
                report.items.append(
                    .init(
                        entry: entry,
                        outcome: .unresolved(
                            "its create never answered and \(ids.count) resources could be it (ids "
                                + ids.map(\.rawValue).joined(separator: ", ")
                                + "); none was taken: delete the one that is yours by id")))
            case .lookupFailed(let reason)?:
                report.items.append(
                    .init(entry: entry, outcome: .remains("cannot look it up by name: \(reason)")))
            }
        }
        pending.sort { $0.kind.cleanupRank < $1.kind.cleanupRank }
        var waitFor: [LedgerEntry] = []
        for entry in pending {
            let id = ResourceID(entry.resourceID ?? "")
            do {
                let deleted: Bool
                switch entry.kind {
                case .volume, .credential:
                    // Their users (pods, endpoints) were deleted first: wait until those are gone.
                    try await waitUntilGone(&waitFor, timeout: stopTimeout)
                    deleted = try await retryWhileInUse(timeout: stopTimeout) {
                        try await self.remove(entry.kind, id, why: reasons[entry.seq])
                    }
                default:
                    deleted = try await remove(entry.kind, id, stopTimeout: stopTimeout, why: reasons[entry.seq])
                    if entry.kind == .pod || entry.kind == .vm { waitFor.append(entry) }
                }
                report.items.append(.init(entry: entry, outcome: deleted ? .deleted : .alreadyGone))
            } catch {
                report.items.append(.init(entry: entry, outcome: .remains(Self.describe(error))))
            }
        }
        return report
    }

    /// A time of day, for messages.
    public static func clock(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? YottaError, case .api(let api) = error { return "\(api.message) (code \(api.code))" }
        return "\(error)"
    }

    /// Waits until the pods and VMs deleted so far no longer exist in a state that holds resources
    /// (a terminating pod still holds its credential and volumes).
    func waitUntilGone(_ entries: inout [LedgerEntry], timeout: Duration) async throws {
        var waited = Duration.zero
        while !entries.isEmpty, waited < timeout {
            var still: [LedgerEntry] = []
            for entry in entries {
                let id = ResourceID(entry.resourceID ?? "")
                do {
                    switch entry.kind {
                    case .pod:
                        let status = try await client.getPod(id: id).status.known
                        if status != .terminated && status != .failed { still.append(entry) }
                    case .vm:
                        if try await client.getVM(id: id).status != .terminated { still.append(entry) }
                    default: break
                    }
                } catch {
                    if error.code?.category != .notFound { still.append(entry) }
                }
            }
            entries = still
            if entries.isEmpty { return }
            try await sleep(.milliseconds(250))
            waited += .milliseconds(250)
        }
    }

    /// Runs a delete again while the API answers "in use" or "wrong state", within `timeout`.
    func retryWhileInUse(timeout: Duration, _ body: () async throws -> Bool) async throws -> Bool {
        var waited = Duration.zero
        while true {
            do {
                return try await body()
            } catch {
                let category = error.code?.category
                guard category == .inUse || category == .invalidState, waited < timeout else { throw error }
                try await sleep(.milliseconds(500))
                waited += .milliseconds(500)
            }
        }
    }

    /// Stops an endpoint and waits until it is stopped (or failed), within `timeout`.
    func stopEndpoint(_ id: ResourceID, timeout: Duration) async throws {
        var waited = Duration.zero
        while true {
            let status = try await client.getEndpoint(id: id).status
            if status == .stopped || status == .failed { return }
            if status == .running || status == .initializing { try await client.stopEndpoint(id: id) }
            guard waited < timeout else { return }
            try await sleep(.milliseconds(500))
            waited += .milliseconds(500)
        }
    }
}

extension Error {
    /// The business code of a client error, if it has one.
    var code: BusinessCode? { (self as? YottaError)?.code }
}
