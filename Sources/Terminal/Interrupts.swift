import CLibEdit
import Dispatch
import Foundation
import Synchronization

/// Ctrl-C, SIGTERM and SIGHUP in the REPL, one mechanism: C handlers set flags (a read at the prompt
/// ends at once) and write a byte to a pipe; one dispatch source on that pipe calls the handler of
/// the statement running, so a running statement is cancelled when the signal arrives, without
/// polling.
public enum Interrupts {
    private static let handler = Mutex<(@Sendable () -> Void)?>(nil)
    private static let source = Mutex<(any DispatchSourceRead)?>(nil)

    /// Installs the handlers (once) and starts watching the pipe.
    public static func install() {
        gpus_sigint_install()
        gpus_terminate_install()
        source.withLock { source in
            guard source == nil else { return }
            let descriptor = gpus_signal_notify_fd()
            guard descriptor >= 0 else { return }
            let reader = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: .global())
            reader.setEventHandler {
                var bytes = [UInt8](repeating: 0, count: 64)
                while read(descriptor, &bytes, bytes.count) > 0 {}
                handler.withLock { $0 }?()
            }
            reader.resume()
            source = reader
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
