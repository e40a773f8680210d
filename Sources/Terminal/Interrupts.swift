import CLibEdit
import Foundation
import Synchronization

/// Ctrl-C, SIGTERM and SIGHUP in the REPL, through `Signals`: the C handler records them (a read
/// at the prompt ends at once), and a listener calls the handler of the statement running, so a
/// running statement is cancelled when the signal arrives, without polling.
public enum Interrupts {
    private static let handler = Mutex<(@Sendable () -> Void)?>(nil)
    private static let listening = Mutex(false)

    /// Starts listening (once).
    public static func install() {
        listening.withLock { listening in
            guard !listening else { return }
            listening = true
            _ = Signals.listen { _ in handler.withLock { $0 }?() }
        }
    }

    /// Calls `body` with `onSignal` as what a signal does until it returns (the REPL cancels the
    /// statement running). A Ctrl-C that came just before is not lost.
    public static func whileRunning<T>(
        onSignal: @escaping @Sendable () -> Void, _ body: () async -> T
    ) async -> T {
        handler.withLock { $0 = onSignal }
        if takeInterrupt() || terminationSignal != nil { onSignal() }
        defer { handler.withLock { $0 = nil } }
        return await body()
    }

    /// What `endSession(limitReached)` records in place of a signal: the session ends as on
    /// SIGTERM, with the limit's exit status.
    public static let limitReached: Int32 = 255

    /// Ends the session as a SIGTERM would — the entry running is cancelled, a read in progress
    /// returns — with `code` as the signal (`limitReached`).
    public static func endSession(_ code: Int32) {
        gpus_terminate_request(code)
    }

    /// The SIGTERM or SIGHUP received, if any (it stays set: the session is ending).
    public static var terminationSignal: Int32? {
        let signal = gpus_terminate_signal()
        return signal == 0 ? nil : signal
    }

    /// Whether Ctrl-C was pressed since the last call.
    public static func takeInterrupt() -> Bool { gpus_sigint_take() != 0 }
}
