import Dispatch
import Foundation
import Language

/// Runs a program non-interactively: diagnostics to stderr in the one format, the exit code that
/// says how it ended, Ctrl-C interrupting it (deferred statements still run).
public struct ScriptRunner: Sendable {
    /// The process exit codes (see docs/language.md).
    public enum Status: Int32, Sendable {
        case success = 0
        case runtimeError = 1
        case apiError = 2
        case waitTimeout = 3
        case usage = 64
        case syntax = 65
        case interrupted = 130
    }

    public let library: Library
    public var colour: Bool
    public var clock: any LanguageClock
    public var waitHook: (any WaitHook)?
    /// How many `parallel for` iterations run at once.
    public var parallelism = 8

    public init(
        library: Library, colour: Bool = false, clock: any LanguageClock = SystemLanguageClock(),
        waitHook: (any WaitHook)? = nil
    ) {
        self.library = library
        self.colour = colour
        self.clock = clock
        self.waitHook = waitHook
    }

    /// Runs `source`; returns the exit code.
    public func run(_ source: SourceFile, arguments: [String] = []) async -> Int32 {
        library.define("args", .list(ListBox(arguments.map { .string($0) })))
        let renderer = DiagnosticRenderer(colour: colour)
        let interpreter = Interpreter(
            library: library,
            options: Interpreter.Options(
                clock: clock, parallelism: parallelism,
                output: { line in
                    StatusLine.clear()
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                },
                report: { error in
                    Self.printError(renderer.render(Self.diagnostic(error), in: source))
                }, waitHook: waitHook))
        let token = CancellationToken()
        let interrupts = Self.onInterrupt { token.cancel() }
        defer { interrupts.cancel() }
        switch await interpreter.run(source, token: token) {
        case .finished: return Status.success.rawValue
        case .invalid(let diagnostics):
            Self.printError(renderer.render(diagnostics, in: source))
            return Status.syntax.rawValue
        case .failed(let error):
            Self.printError(renderer.render(Self.diagnostic(error), in: source))
            switch error.id {
            case .waitTimeout: return Status.waitTimeout.rawValue
            case .apiError: return Status.apiError.rawValue
            default: return Status.runtimeError.rawValue
            }
        case .exited(let code): return code
        case .interrupted:
            Self.printError("interrupted")
            return Status.interrupted.rawValue
        }
    }

    /// A runtime error as a diagnostic, with the stack of user functions as notes.
    public static func diagnostic(_ error: RuntimeError) -> Diagnostic {
        var notes = error.stack.filter { $0.0 != "<main>" }.map { "in \($0.0)" }
        if case .int(let code) = error.value.code { notes.insert("code \(code)", at: 0) }
        return Diagnostic(error.id, error.message, at: error.range, notes: notes)
    }

    static func printError(_ text: String) {
        StatusLine.clear()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Calls `handler` on each SIGINT until the returned source is cancelled.
    static func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        return source
    }
}

/// The live status line a wait draws on stderr: cleared before anything else is printed.
public enum StatusLine {
    static let isTerminal = isatty(2) == 1

    public static func clear() {
        if isTerminal { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
    }
}
