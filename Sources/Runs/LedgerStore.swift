import Foundation
import YottaAPI

/// Where runs and what they create are recorded, durably, before and after each create: the local
/// SQLite file by default; the shared PostgreSQL ledger of a team behind the same interface.
///
/// Every method may be called from several tasks and several processes at once.
public protocol LedgerStore: Sendable {
    /// Where the ledger lives, for messages (a path, or a URL with its password masked).
    var location: String { get }
    /// Records a run that starts.
    func begin(_ run: RunInfo) async throws
    /// Records that the run is alive now.
    func heartbeat(run: String, at time: Date) async throws
    /// Records how the run ended.
    func end(run: String, exitCode: Int32, at time: Date) async throws
    /// Records the intent to create a resource, before the request is sent; returns the entry's number.
    func intend(_ intent: Intent) async throws -> Int64
    /// Records the id of the resource an intent created.
    func created(entry: Int64, resourceID: String, pricePerHour: Double?) async throws
    /// Records that an intent created nothing: the request was never sent, the API refused it, or
    /// its outcome stayed unknown past the time the provider could still apply it. `note` says which.
    func abandon(entry: Int64, note: String?) async throws
    /// Records why an intent's outcome is unknown (a gateway's 504, a lost answer): it stays open,
    /// and is resolved by a later clean or `ensure`.
    func unresolved(entry: Int64, note: String) async throws
    /// Records that a resource no longer bills (deleted, terminated, or gone): when, who deleted it
    /// (`user@host (command)`) and why (nil: the run that made it, as its program or cleanup said).
    func deleted(
        target: String, kind: ResourceKind, resourceID: String, at time: Date, by: String?, why: String?
    ) async throws
    /// Records a run's limits (`limits()` in a recipe sets them after the run began).
    func limit(run: String, deadline: Date?, maxCost: Double?) async throws
    /// Runs, newest first (see `RunQuery`).
    func runs(_ query: RunQuery) async throws -> [RunInfo]
    /// Entries, oldest first (see `EntryQuery`).
    func entries(_ query: EntryQuery) async throws -> [LedgerEntry]
    /// Forgets runs that ended before `time` and left nothing live, with their entries.
    func prune(endedBefore time: Date) async throws -> PruneResult
    /// Holds a lock on (target, kind, name) across processes while `body` runs.
    func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T
}

/// Which runs to read: each is answered from an index, so a ledger with a long history answers as
/// fast as a new one.
public enum RunQuery: Sendable, Equatable {
    /// The newest runs (all when nil).
    case newest(limit: Int?)
    /// These runs.
    case ids([String])
    /// At most `limit` of the runs whose id starts with a (non-empty) prefix.
    case prefix(String, limit: Int)
    /// The runs that have at least one live entry (created, or maybe created, and not deleted).
    case withLive
}

/// Which entries to read.
public enum EntryQuery: Sendable, Equatable {
    /// Every entry of these runs (all runs when nil).
    case runs([String]?)
    /// The live entries of these runs (all runs when nil).
    case live([String]?)
    /// Open intents (no id, not abandoned) on one name of one kind on one cloud, of any run.
    case open(LockKey)
    /// The entries that name one of these resources.
    case resources(target: String, kind: ResourceKind, ids: [String])
}

/// What `prune` forgot.
public struct PruneResult: Sendable, Equatable {
    public var runs: Int
    public var entries: Int
    public init(runs: Int, entries: Int) {
        self.runs = runs
        self.entries = entries
    }
}

extension LedgerStore {
    /// Every run, newest first.
    public func runs() async throws -> [RunInfo] { try await runs(.newest(limit: nil)) }
    /// The entries of some runs (all runs when nil), oldest first.
    public func entries(runs: [String]?) async throws -> [LedgerEntry] { try await entries(.runs(runs)) }
    public func abandon(entry: Int64) async throws { try await abandon(entry: entry, note: nil) }
    /// A deletion by the run that made the resource.
    public func deleted(target: String, kind: ResourceKind, resourceID: String, at time: Date) async throws {
        try await deleted(target: target, kind: kind, resourceID: resourceID, at: time, by: nil, why: nil)
    }
}

/// One process's program, `-e` or REPL session, as the ledger records it.
public struct RunInfo: Codable, Equatable, Sendable {
    public var id: String
    /// The recipe's path, `-e` or `<repl>`.
    public var recipe: String
    public var arguments: [String]
    public var user: String
    public var host: String
    public var pid: Int32
    /// When the process started, as the kernel counts it (guards against a reused pid); 0 if unknown.
    public var processStart: Int64
    /// Which cloud the run talks to (`RunTarget.key`).
    public var target: String
    public var startedAt: Date
    public var heartbeatAt: Date
    /// How often the run writes its heartbeat, in seconds.
    public var heartbeatSeconds: Double = 5
    public var endedAt: Date?
    public var exitCode: Int32?
    /// When the run must have ended (`--max-duration`, `limits(duration:)`): past it, the run cancels
    /// itself and the keeper deletes what it left.
    public var deadline: Date?
    /// The most the run may spend, in dollars (`--max-cost`, `limits(cost:)`).
    public var maxCost: Double?

    public init(
        id: String, recipe: String, arguments: [String], user: String, host: String, pid: Int32,
        processStart: Int64, target: String, startedAt: Date
    ) {
        self.id = id
        self.recipe = recipe
        self.arguments = arguments
        self.user = user
        self.host = host
        self.pid = pid
        self.processStart = processStart
        self.target = target
        self.startedAt = startedAt
        self.heartbeatAt = startedAt
    }
}

/// How a run stands.
public enum RunState: String, Codable, Sendable {
    /// Its process is alive.
    case running
    /// It ended with exit code 0.
    case finished
    /// It ended with another exit code (an error, an interrupt).
    case failed
    /// Its process is gone without having recorded an end (`kill -9`, a crash, a lost machine).
    case crashed
}

/// A create the run intended, and what became of it.
public struct LedgerEntry: Codable, Equatable, Sendable {
    public var seq: Int64
    public var run: String
    public var kind: ResourceKind
    public var name: String
    /// The create's arguments, as JSON (secrets masked).
    public var spec: String
    public var target: String
    public var resourceID: String?
    public var intendedAt: Date
    public var createdAt: Date?
    public var deletedAt: Date?
    /// The create was refused, or no resource of its name was found: nothing bills.
    public var abandoned: Bool
    /// The price the API gave when it was created, in dollars per hour.
    public var pricePerHour: Double?
    /// Until when the provider could still apply the create (request timeout + margin): an intent
    /// with no id is not declared "never created" before then.
    public var settleBy: Date?
    /// Why the outcome is what it is: "never sent: …", "refused: …", "unknown: HTTP 504".
    public var note: String?
    /// When the resource's time to live ends (`ttl:`): past it, its run or the keeper deletes it.
    public var expiresAt: Date?
    /// Left live on purpose (`keep: true`): `--cleanup` does not delete it (its `ttl` still applies).
    public var keep: Bool = false
    /// Who deleted it, when not its own run: `keeper on host`, `gpus runs clean on host`.
    public var deletedBy: String?
    /// Why it was deleted, when not by its run's program: `ttl 2h passed`, `run passed --max-duration`.
    public var deletedWhy: String?

    /// Whether the resource may still bill: created (or maybe created) and not deleted.
    public var isLive: Bool { deletedAt == nil && !abandoned }

    /// An intent whose outcome is not known yet: no id, not abandoned, not deleted.
    public var isOpen: Bool { isLive && resourceID == nil }

    /// What it has cost so far: its price per hour × the time from its create to its deletion (or
    /// `now`); 0 without a price.
    public func cost(at now: Date = Date()) -> Double {
        guard let price = pricePerHour, let created = createdAt else { return 0 }
        return price * max(0, (deletedAt ?? now).timeIntervalSince(created)) / 3600
    }

    public init(
        seq: Int64, run: String, kind: ResourceKind, name: String, spec: String, target: String,
        resourceID: String? = nil, intendedAt: Date, createdAt: Date? = nil, deletedAt: Date? = nil,
        abandoned: Bool = false, pricePerHour: Double? = nil, settleBy: Date? = nil, note: String? = nil
    ) {
        self.seq = seq
        self.run = run
        self.kind = kind
        self.name = name
        self.spec = spec
        self.target = target
        self.resourceID = resourceID
        self.intendedAt = intendedAt
        self.createdAt = createdAt
        self.deletedAt = deletedAt
        self.abandoned = abandoned
        self.pricePerHour = pricePerHour
        self.settleBy = settleBy
        self.note = note
    }
}

/// What a run is about to create.
public struct Intent: Sendable {
    public var run: String
    public var kind: ResourceKind
    public var name: String
    public var spec: String
    public var target: String
    public var at: Date
    /// Until when the provider could still apply the create.
    public var settleBy: Date?
    /// When its time to live ends (counted from the intent, so never later than asked).
    public var expiresAt: Date?
    /// Left live on purpose by `--cleanup`.
    public var keep: Bool

    public init(
        run: String, kind: ResourceKind, name: String, spec: String, target: String, at: Date = Date(),
        settleBy: Date? = nil, expiresAt: Date? = nil, keep: Bool = false
    ) {
        self.expiresAt = expiresAt
        self.keep = keep
        self.run = run
        self.kind = kind
        self.name = name
        self.spec = spec
        self.target = target
        self.at = at
        self.settleBy = settleBy
    }
}

/// What `ensure` locks: one name of one kind on one cloud.
public struct LockKey: Hashable, Sendable, CustomStringConvertible {
    public var target: String
    public var kind: ResourceKind
    public var name: String

    public init(target: String, kind: ResourceKind, name: String) {
        self.target = target
        self.kind = kind
        self.name = name
    }

    public var description: String { "\(kind.rawValue) '\(name)' on \(target)" }
}

/// A ledger that cannot be read or written: the message says where and why, the kind what code
/// may do about it.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The ledger did not answer or could not be connected to: a later call may work (the team
        /// ledger holds off calls for a moment instead of waiting out every deadline).
        case unreachable
        /// It answered and refused, or what it holds is not what was expected.
        case failed
    }

    public let kind: Kind
    public let message: String
    public init(_ message: String, kind: Kind = .failed) {
        self.message = message
        self.kind = kind
    }
    public var description: String { message }
}
