import Dispatch
import Foundation
import Synchronization

/// What `wait until` asks of the host before each check (the cloud library refreshes records).
public protocol WaitHook: Sendable {
    /// Fresh values for the variables the condition reads, and whether the condition can still
    /// become true.
    func refresh(_ check: WaitCheck) async throws -> WaitRefresh
    /// The wait `check.wait` ended (its condition held, it failed, timed out or was cancelled):
    /// whatever shows its progress stops. Called once per wait that was refreshed.
    func ended(wait: UInt64)
}

extension WaitHook {
    public func ended(wait: UInt64) {}
}

/// What a wait hook found: fresh values (nil keeps a value), and — when a record reached a failure
/// state the condition does not mention — why waiting longer is pointless. The wait still succeeds
/// if the condition is true with the fresh values.
public struct WaitRefresh: @unchecked Sendable {
    public var values: [Value?]
    public var blocked: String?

    public init(values: [Value?], blocked: String? = nil) {
        self.values = values
        self.blocked = blocked
    }
}

/// One check of a `wait until`: the condition's text, the status words it mentions, and copies
/// of the current values of the variables it reads (made while the interpreter lock is held: the
/// hook runs without it).
public struct WaitCheck: Sendable {
    /// Which wait this check belongs to (one number per `wait until` run; waits of `parallel for`
    /// iterations run at once).
    public var wait: UInt64
    public var condition: String
    public var mentionedWords: Set<String>
    public var names: [String]
    public var values: [SendableValue]
    public var elapsed: Duration

    public init(
        wait: UInt64, condition: String, mentionedWords: Set<String>, names: [String], values: [SendableValue],
        elapsed: Duration
    ) {
        self.wait = wait
        self.condition = condition
        self.mentionedWords = mentionedWords
        self.names = names
        self.values = values
        self.elapsed = elapsed
    }

    static let counter = Atomic<UInt64>(0)

    /// A number no other wait of this process has.
    static func nextWait() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
}
