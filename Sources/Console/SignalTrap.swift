import Dispatch
import Foundation
import Synchronization

/// SIGINT, SIGTERM and SIGHUP, handled alike: the first cancels the program (its defers and
/// cleanup still run); another one while that happens calls `again` (which should say what is left
/// and exit). Closing the terminal or CI cancelling a job thus cleans up like Ctrl-C.
public final class SignalTrap: @unchecked Sendable {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [any DispatchSourceSignal] = []
    private let state = State()

    final class State: Sendable {
        let first = Atomic<Int32>(0)
    }

    public init(first onFirst: @escaping @Sendable (Int32) -> Void, again: @escaping @Sendable (Int32) -> Void) {
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [state] in
                if state.first.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
                    onFirst(number)
                } else {
                    again(number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal caught, if any.
    public var caught: Int32? {
        let number = state.first.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// The exit status for a run ended by the signal: 128 + its number.
    public var exitStatus: Int32? { caught.map { 128 + $0 } }

    public func cancel() {
        for source in sources { source.cancel() }
    }
}
