import CLibEdit
import Foundation
import Synchronization

/// SIGINT, SIGTERM and SIGHUP, one mechanism for every mode (the REPL, a script, the keeper, the MCP
/// server): one C handler (gpus_editline.c) records them for a line being read and queues their
/// numbers; one thread reads the queue and hands each number to whoever listens. `SignalTrap` (a
/// run) and `Interrupts` (the REPL) are the listeners. While nobody listens, a signal is recorded
/// and otherwise ignored; before the first listener, signals keep their default actions.
public enum Signals {
    /// Calls `receive` with each signal's number (or `Interrupts.limitReached`, a session ended by a
    /// limit), on the signals thread, until `stop(key)`.
    public static func listen(_ receive: @escaping @Sendable (Int32) -> Void) -> Int {
        dispatcher.add(receive)
    }

    public static func stop(_ key: Int) { dispatcher.remove(key) }

    private static let dispatcher = Dispatcher()

    /// The listeners, and the one thread that reads the queued signals (started with the first).
    private final class Dispatcher: Sendable {
        private let state = Mutex<(next: Int, listeners: [Int: @Sendable (Int32) -> Void], started: Bool)>(
            (0, [:], false))

        func add(_ receive: @escaping @Sendable (Int32) -> Void) -> Int {
            let (key, start) = state.withLock { state -> (Int, Bool) in
                state.next += 1
                state.listeners[state.next] = receive
                defer { state.started = true }
                return (state.next, !state.started)
            }
            if start, gpus_signals_install() >= 0 {
                let thread = Thread { [self] in
                    while true {
                        let number = gpus_signal_next()
                        guard number > 0 else { return }
                        let listeners = state.withLock { $0.listeners.sorted { $0.key < $1.key }.map(\.value) }
                        for receive in listeners { receive(Int32(number)) }
                    }
                }
                thread.name = "gpus signals"
                thread.start()
            }
            return key
        }

        func remove(_ key: Int) { _ = state.withLock { $0.listeners.removeValue(forKey: key) } }
    }
}

/// A run's signals: SIGINT, SIGTERM and SIGHUP handled alike — the first cancels the program (its
/// defers and cleanup still run); another one while that happens calls `again` (which should say
/// what is left and exit). Closing the terminal or CI cancelling a job thus cleans up like Ctrl-C.
public final class SignalTrap: Sendable {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let first = Atomic<Int32>(0)
    private let onFirst: @Sendable (Int32) -> Void
    private let again: @Sendable (Int32) -> Void
    private let key = Atomic<Int>(0)

    public init(first onFirst: @escaping @Sendable (Int32) -> Void, again: @escaping @Sendable (Int32) -> Void) {
        self.onFirst = onFirst
        self.again = again
        key.store(Signals.listen { [weak self] number in self?.receive(number) }, ordering: .relaxed)
    }

    /// The first signal caught, if any.
    public var caught: Int32? {
        let number = first.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// The exit status for a run ended by the signal: 128 + its number.
    public var exitStatus: Int32? { caught.map { 128 + $0 } }

    /// Stops handing this trap signals.
    public func cancel() { Signals.stop(key.load(ordering: .relaxed)) }

    private func receive(_ number: Int32) {
        guard Self.signals.contains(number) else { return }
        if first.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
            onFirst(number)
        } else {
            again(number)
        }
    }
}
