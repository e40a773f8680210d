/// When and how long to wait before repeating a request that failed transiently.
///
/// Exponential backoff with jitter: attempt n waits a random time in `[d/2, d]` with
/// `d = min(maximumDelay, initialDelay × 2^(n-1))`; a `Retry-After` from the server wins when longer.
public struct RetryPolicy: Sendable {
    /// Total tries, the first included. 1 disables retries.
    public var maximumAttempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the error is returned instead.
    public var maximumRetryAfter: Duration
    /// Sleeps between attempts; tests inject a recorder.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A uniform random number in 0..<1, for jitter; tests inject a fixed one.
    public var random: @Sendable () -> Double

    public init(
        maximumAttempts: Int = 4, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8),
        maximumRetryAfter: Duration = .seconds(60),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maximumAttempts = maximumAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
        self.sleep = sleep
        self.random = random
    }

    /// No retries at all.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The backoff before attempt `attempt + 1`, after `attempt` failures (1-based).
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maximumDelay, initialDelay * (1 << exponent))
        return ceiling * (0.5 + 0.5 * random())
    }
}
