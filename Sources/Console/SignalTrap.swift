import CLibEdit
import Foundation
import Synchronization

/// SIGINT, SIGTERM and SIGHUP, handled alike: the first cancels the program (its defers and
/// cleanup still run); another one while that happens calls `again` (which should say what is left
/// and exit). Closing the terminal or CI cancelling a job thus cleans up like Ctrl-C.
///
/// The signals reach C handlers that queue their numbers, and one thread hands each to every trap
/// set: never a signal source of libdispatch, whose signalfd on Linux loses a signal that another
/// thread (one where it is unblocked and ignored) takes first.
public final class SignalTrap: Sendable {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let first = Atomic<Int32>(0)
    private let onFirst: @Sendable (Int32) -> Void
    private let again: @Sendable (Int32) -> Void
    private let key: Int

    public init(first onFirst: @escaping @Sendable (Int32) -> Void, again: @escaping @Sendable (Int32) -> Void) {
        self.onFirst = onFirst
        self.again = again
        key = Self.dispatcher.add()
        Self.dispatcher.set(key, self)
    }

    /// The first signal caught, if any.
    public var caught: Int32? {
        let number = first.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// The exit status for a run ended by the signal: 128 + its number.
    public var exitStatus: Int32? { caught.map { 128 + $0 } }

    /// Stops handing this trap signals (they are ignored while no trap is set).
    public func cancel() { Self.dispatcher.remove(key) }

    fileprivate func receive(_ number: Int32) {
        if first.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
            onFirst(number)
        } else {
            again(number)
        }
    }

    private static let dispatcher = Dispatcher()

    /// The traps set, and the one thread that reads the queued signals (started with the first trap).
    private final class Dispatcher: Sendable {
        private let traps = Mutex<(next: Int, set: [Int: SignalTrap], started: Bool)>((0, [:], false))

        func add() -> Int {
            let (key, start) = traps.withLock { state -> (Int, Bool) in
                state.next += 1
                defer { state.started = true }
                return (state.next, !state.started)
            }
            if start, gpus_trap_install() >= 0 {
                let thread = Thread { [self] in
                    while true {
                        let number = gpus_trap_next()
                        guard number > 0 else { return }
                        let current = traps.withLock { Array($0.set.values) }
                        for trap in current { trap.receive(Int32(number)) }
                    }
                }
                thread.name = "gpus signals"
                thread.start()
            }
            return key
        }

        func set(_ key: Int, _ trap: SignalTrap) { traps.withLock { $0.set[key] = trap } }
        func remove(_ key: Int) { _ = traps.withLock { $0.set.removeValue(forKey: key) } }
    }
}
