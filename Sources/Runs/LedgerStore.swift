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
    /// Records that an intent created nothing (the API refused it, or no resource of its name exists).
    func abandon(entry: Int64) async throws
    /// Records that a resource no longer bills (deleted, terminated, or gone).
    func deleted(target: String, kind: ResourceKind, resourceID: String, at time: Date) async throws
    /// Every run, newest first.
    func runs() async throws -> [RunInfo]
    /// The entries of some runs (all runs when nil), oldest first.
    func entries(runs: [String]?) async throws -> [LedgerEntry]
    /// Holds a lock on (target, kind, name) across processes while `body` runs.
    func withLock<T: Sendable>(_ key: LockKey, _ body: @Sendable () async throws -> T) async throws -> T
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

    /// Whether the resource may still bill: created (or maybe created) and not deleted.
    public var isLive: Bool { deletedAt == nil && !abandoned }

    public init(
        seq: Int64, run: String, kind: ResourceKind, name: String, spec: String, target: String,
        resourceID: String? = nil, intendedAt: Date, createdAt: Date? = nil, deletedAt: Date? = nil,
        abandoned: Bool = false, pricePerHour: Double? = nil
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

    public init(run: String, kind: ResourceKind, name: String, spec: String, target: String, at: Date = Date()) {
        self.run = run
        self.kind = kind
        self.name = name
        self.spec = spec
        self.target = target
        self.at = at
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

/// A ledger that cannot be read or written: the message says where and why.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
