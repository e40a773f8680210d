import Foundation
import Synchronization

/// Standard output and standard error, written with `write(2)`: a terminal that hung up (EIO) or a
/// reader that went away (EPIPE) loses the text but never stops the program — its cleanup must still
/// run. (Foundation's `FileHandle.write(_:)` traps on such errors, and SIGPIPE would kill the process.)
public enum StandardStream: Sendable {
    case output, error

    private static let brokenPipe = Mutex<(@Sendable () -> Void)?>(nil)

    /// What to do when standard output's reader goes away (EPIPE): a program run stops there, as a
    /// killed pipe would stop it, but through its defers. Installing it ignores SIGPIPE.
    public static func onBrokenPipe(_ handler: (@Sendable () -> Void)?) {
        signal(SIGPIPE, SIG_IGN)
        brokenPipe.withLock { $0 = handler }
    }

    var descriptor: Int32 { self == .output ? 1 : 2 }

    /// Writes all of `text`, retrying interrupted and partial writes; errors drop the rest.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard var pointer = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = Foundation.write(descriptor, pointer, remaining)
                if written > 0 {
                    pointer += written
                    remaining -= written
                } else if written < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    if errno == EPIPE, self == .output { Self.brokenPipe.withLock { $0 }?() }
                    return
                }
            }
        }
    }
}
