import Dispatch
import Foundation
import Synchronization

/// Signals that unwind evaluation: errors a program can catch, and exits it cannot.
public struct RuntimeError: Error, @unchecked Sendable {
    public var id: MessageID
    public var message: String
    public var range: SourceRange
    /// The error as the program sees it in `catch e`.
    public var value: ErrorValue
    /// User functions active when the error happened, innermost first: (name, call site).
    public var stack: [(String, SourceRange)] = []
    /// Errors of deferred statements that ran while this error unwound, in the order they ran:
    /// reported after it, each at its own line.
    public var deferred: [RuntimeError] = []

    public init(
        _ id: MessageID, _ message: String, at range: SourceRange, kind: ErrorKind = .runtime, code: Value = .null,
        value: Value = .null, details: [String: Value] = [:]
    ) {
        self.id = id
        self.message = message
        self.range = range
        self.value = ErrorValue(message: message, kind: kind, code: code, value: value, details: details, origin: id)
    }
}

/// `exit N`: unwinds the whole program, running defers.
public struct ExitSignal: Error, Sendable {
    public var code: Int32
}

/// The program was interrupted (Ctrl-C): unwinds, running defers.
public struct Interrupted: Error, Sendable {
    public init() {}
}
