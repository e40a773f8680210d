import Dispatch
import Foundation
import Synchronization

/// Where time comes from for `wait until` and `sleep`; tests inject a virtual clock.
public protocol LanguageClock: Sendable {
    /// Time since an arbitrary fixed origin (monotonic: `monotonic()`, waits, timeouts).
    func now() -> Duration
    func sleep(for duration: Duration) async throws
    /// The wall clock: milliseconds since 1970-01-01T00:00:00Z (`now()`).
    func wallMillis() -> Int64
}

extension LanguageClock {
    public func wallMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// The real clock.
public struct SystemLanguageClock: LanguageClock {
    let origin = ContinuousClock.now
    public init() {}
    public func now() -> Duration { ContinuousClock.now - origin }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// A clock whose sleeps return at once, moving time forward: deterministic tests of waits.
public final class VirtualClock: LanguageClock {
    private let time = Mutex<Duration>(.zero)
    public init() {}
    public func now() -> Duration { time.withLock { $0 } }
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        advance(by: duration)
    }
    /// Moves time forward; it stops at about 2^63 seconds (a program sleeping the longest duration in
    /// a loop would otherwise overflow `Duration`).
    public func advance(by duration: Duration) {
        time.withLock { $0 = $0 < Self.end - duration ? $0 + duration : Self.end }
    }
    static let end = Duration.seconds(Int64.max)

    /// The wall clock of a virtual run: 2026-01-01T00:00:00Z plus the time slept (saturating).
    public func wallMillis() -> Int64 {
        let elapsed = Checked.int((now() / .milliseconds(1)).rounded(.down)) ?? Int64.max
        let (sum, overflow) = Self.origin.addingReportingOverflow(elapsed)
        return overflow ? Int64.max : sum
    }
    static let origin: Int64 = 1_767_225_600_000
}
