import Synchronization

/// Runs `body` for at most `limit`, and returns at once when the calling task is cancelled (Ctrl-C,
/// SIGTERM) — even when `body` itself ignores cancellation: a database driver waiting for a server
/// that went away is cancelled and left to finish on its own, never waited for. Returns nil when the
/// time ran out; throws `CancellationError` when cancelled.
func withDeadline<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T? {
    let race = Race<T?>()
    let work = Task {
        do {
            race.answer(.success(try await body()))
        } catch {
            race.answer(.failure(error))
        }
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        race.answer(.success(nil))
    }
    defer {
        work.cancel()
        timer.cancel()
    }
    return try await withTaskCancellationHandler {
        try await race.value()
    } onCancel: {
        race.answer(.failure(CancellationError()))
    }
}

/// The first of several answers, awaited by one task: an answer that comes before the task awaits
/// is kept until it does.
final class Race<T: Sendable>: Sendable {
    typealias Waiting = CheckedContinuation<T, any Error>
    private let state = Mutex<(waiting: Waiting?, answer: Result<T, any Error>?)>((nil, nil))

    func answer(_ result: Result<T, any Error>) {
        let waiting = state.withLock { state -> Waiting? in
            guard case .none = state.answer else { return nil }
            state.answer = result
            defer { state.waiting = nil }
            return state.waiting
        }
        waiting?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: Waiting) in
            let early = state.withLock { state -> Result<T, any Error>? in
                if let answer = state.answer { return answer }
                state.waiting = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }
    }
}
