import Foundation
import Synchronization

/// The sandbox's notion of now, in epoch milliseconds. Every status is derived from recorded events
/// and this clock, so tests drive lifecycles by moving a `ManualClock`.
public protocol SandboxClock: Sendable {
    func nowMillis() -> Int64
}

/// Wall-clock time.
public struct SystemClock: SandboxClock {
    public init() {}
    public func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// A clock that moves only when told to.
public final class ManualClock: SandboxClock {
    private let now: Mutex<Int64>

    public init(startMillis: Int64 = 1_767_225_600_000) { now = Mutex(startMillis) }

    public func nowMillis() -> Int64 { now.withLock { $0 } }

    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        now.withLock { $0 += seconds * 1000 + attoseconds / 1_000_000_000_000_000 }
    }
}
