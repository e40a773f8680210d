import Dispatch
import Foundation
import Synchronization

/// The global interpreter lock: interpreter code runs on several threads (parallel for), one at a
/// time; a thread releases the lock while it waits for an async built-in.
final class InterpreterLock: @unchecked Sendable {
    private let mutex = NSLock()
    func lock() { mutex.lock() }
    func unlock() { mutex.unlock() }
}

/// State shared by every thread of one running program.
final class Runtime: @unchecked Sendable {
    let library: Library
    let lock = InterpreterLock()
    let clock: any LanguageClock
    var output: @Sendable (String) -> Void
    /// When set, `print` hands over its values instead of a line of text (`--json`).
    var valueOutput: (@Sendable ([Value]) -> Void)?
    /// Reports a problem that does not stop the program (an error inside a deferred statement).
    var report: @Sendable (RuntimeError) -> Void
    var parallelism: Int
    var waitHook: (any WaitHook)?
    let source: SourceFile
    /// How deep user functions may call (a constant: reading it costs no retain of the runtime).
    static let maximumDepth = 2000

    init(
        library: Library, source: SourceFile, clock: any LanguageClock, output: @escaping @Sendable (String) -> Void,
        report: @escaping @Sendable (RuntimeError) -> Void, parallelism: Int, waitHook: (any WaitHook)?
    ) {
        self.library = library
        self.source = source
        self.clock = clock
        self.output = output
        self.report = report
        self.parallelism = parallelism
        self.waitHook = waitHook
    }
}

/// The result of an async built-in, handed from its task to the waiting interpreter thread.
final class AsyncOutcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
