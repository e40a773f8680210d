import Dispatch
import Foundation
import Language
import Synchronization
import Terminal

/// Runs a program non-interactively: diagnostics to stderr in the one format, the exit code that
/// says how it ended, Ctrl-C interrupting it (deferred statements still run).
public struct ScriptRunner: Sendable {
    /// The process exit codes (see docs/language.md).
    public enum Status: Int32, Sendable {
        case success = 0
        case runtimeError = 1
        case apiError = 2
        case waitTimeout = 3
        /// `--cleanup` could not delete everything the run created.
        case cleanupIncomplete = 4
        /// A limit of the run (`--max-duration`) ended it.
        case limitReached = 5
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
    /// `--json`: each printed value and the final result as one JSON document per line on stdout,
    /// errors as JSON on stderr.
    public var json = false
    /// Print the program's final result (the value of a last bare expression), as `gpus -e` does.
    public var printsResult = false
    /// Show the source line under each error: not for a generated program (`gpus pods list`), whose
    /// code the user never wrote — its errors are `gpus pods list: error: message`.
    public var showsSource = true
    /// Where the program's output goes (standard output when nil): a plan keeps it.
    public var output: (@Sendable (String) -> Void)?
    /// With `printsResult`, what an empty list result says instead, on stderr (`no pods`), as
    /// kubectl says "No resources found": stdout stays empty for scripts; `--json` still prints `[]`.
    public var emptyNote: String?
    /// With `printsResult`, how the final result is written instead of its display (`-o yaml`,
    /// `-o wide`, `--columns`); not with `--json`.
    public var render: (@Sendable (Value) -> String)?

    public init(
        library: Library, colour: Bool = false, clock: any LanguageClock = SystemLanguageClock(),
        waitHook: (any WaitHook)? = nil
    ) {
        self.library = library
        self.colour = colour
        self.clock = clock
        self.waitHook = waitHook
    }

    /// A program to run: text, or statements built from values (a one-line command's call, whose
    /// words are values and never parsed as code); the source names it in errors.
    public enum Script: Sendable {
        case text(SourceFile)
        case built([Stmt], SourceFile)

        public var source: SourceFile {
            switch self {
            case .text(let source), .built(_, let source): source
            }
        }
    }

    /// Runs `source`; returns the exit code. Without a `token`, SIGINT, SIGTERM and SIGHUP
    /// interrupt it; with one, the caller decides.
    public func run(
        _ source: SourceFile, arguments: [String] = [], token given: CancellationToken? = nil
    ) async -> Int32 {
        await run(.text(source), arguments: arguments, token: given)
    }

    /// Runs a program given as text or as statements; returns the exit code.
    public func run(
        _ script: Script, arguments: [String] = [], token given: CancellationToken? = nil
    ) async -> Int32 {
        let source = script.source
        let located = showsSource
        library.define("args", .list(ListBox(arguments.map { .string($0) })))
        var configured = DiagnosticRenderer(colour: colour).fitted(to: TerminalOutput.columns(of: 2) ?? 0)
        configured.showsSource = showsSource
        let renderer = configured
        let json = json
        let render = render
        let write: @Sendable (String) -> Void = output ?? { line in TerminalOutput.write(line + "\n", to: .output) }
        // Errors of deferred statements: a program whose cleanup failed does not exit 0.
        let deferFailure = Mutex<RuntimeError?>(nil)
        let show: @Sendable ([Diagnostic]) -> Void = { diagnostics in
            if json {
                for diagnostic in diagnostics {
                    Self.printError(Self.json(diagnostic, in: source, located: located))
                }
            } else {
                Self.printError(renderer.render(diagnostics, in: source))
            }
        }
        var options = Interpreter.Options(
            clock: clock, parallelism: parallelism, output: write,
            report: { error in
                deferFailure.withLock { if $0 == nil { $0 = error } }
                show([Self.diagnostic(error)])
            }, waitHook: waitHook)
        if json {
            options.valueOutput = { values in JSONBridge.line(printing: values).map(write) }
        }
        let interpreter = Interpreter(library: library, options: options)
        let token = given ?? CancellationToken()
        let trap = given == nil ? SignalTrap(first: { _ in token.cancel() }, again: { _ in token.cancel() }) : nil
        if given == nil { StandardStream.onBrokenPipe { token.cancel() } }
        defer { trap?.cancel() }
        let outcome =
            switch script {
            case .text(let source): await interpreter.run(source, token: token)
            case .built(let statements, let source): await interpreter.run(statements, source: source, token: token)
            }
        switch outcome {
        case .finished(let result):
            if !json, printsResult, let note = emptyNote, case .list(let list) = result, list.items.isEmpty {
                Self.printError(note)
            } else if !result.isNull, json || printsResult {
                write(json ? JSONBridge.line(result) : render?(result) ?? Printer.display(result))
            }
            if let failure = deferFailure.withLock({ $0 }) { return Self.status(of: failure).rawValue }
            return Status.success.rawValue
        case .invalid(let diagnostics):
            show(diagnostics)
            return Status.syntax.rawValue
        case .failed(let error):
            // The root error first, then the errors of the deferred statements it ran, each at its line.
            show([Self.diagnostic(error)] + error.deferred.map(Self.diagnostic))
            return Self.status(of: error).rawValue
        case .exited(let code): return code
        case .interrupted:
            Self.printError(json ? #"{"error":{"kind":"interrupted","message":"interrupted"}}"# : "interrupted")
            return Status.interrupted.rawValue
        }
    }

    /// The exit status an error ends a program with.
    static func status(of error: RuntimeError) -> Status {
        switch error.id {
        case .waitTimeout: .waitTimeout
        case .apiError: .apiError
        default: .runtimeError
        }
    }

    /// A diagnostic as one line of JSON: `{"error": {"kind", "id", "message", "file", "line", "column",
    /// "code", "notes"}}` (`"warning"` for a warning). `kind` is what `e.kind` says in a program for a
    /// runtime error (`api`, `timeout`, `user`, …) and `syntax` or `check` for a problem found before
    /// running; `id` is the diagnostic's name; `code` the business code when there is one.
    /// `located`: with its line and column — not for a generated program, whose code nobody wrote.
    public static func json(_ diagnostic: Diagnostic, in source: SourceFile, located: Bool = true) -> String {
        var fields: [String: Value] = [
            "kind": .string((diagnostic.kind ?? (diagnostic.severity == .warning ? .check : .syntax)).rawValue),
            "id": .string(diagnostic.id.rawValue), "message": .string(diagnostic.message),
            "file": .string(source.name),
        ]
        if let code = diagnostic.code { fields["code"] = .int(code) }
        if located, diagnostic.range.end > 0 || diagnostic.range.start > 0 {
            let (line, column) = source.location(of: diagnostic.range.start)
            fields["line"] = .int(Int64(line))
            fields["column"] = .int(Int64(column))
        }
        if !diagnostic.notes.isEmpty { fields["notes"] = .list(ListBox(diagnostic.notes.map { .string($0) })) }
        let key = diagnostic.severity == .warning ? "warning" : "error"
        let pairs = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return JSONBridge.line(.map(MapBox([(key, .map(MapBox(pairs)))])))
    }

    /// A runtime error as a diagnostic, with the stack of user functions as notes (see `stackNotes`).
    public static func diagnostic(_ error: RuntimeError) -> Diagnostic {
        let notes = stackNotes(error.stack.filter { $0.0 != "<main>" }.map { "in \($0.0)" })
        var code: Int64?
        if case .int(let value) = error.value.code { code = value }
        return Diagnostic(error.id, error.message, at: error.range, notes: notes, kind: error.value.kind, code: code)
    }

    /// How many stack lines an error shows at most: a screenful, whatever the depth.
    static let maximumStackLines = 20

    /// Stack lines as a person can read them: a run of identical frames is one line and
    /// "[previous frame repeated N more times]" (as Python does), and past `maximumStackLines` the
    /// innermost and outermost frames with the number left out between them.
    static func stackNotes(_ frames: [String]) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < frames.count {
            var end = index + 1
            while end < frames.count, frames[end] == frames[index] { end += 1 }
            lines.append(frames[index])
            let repeats = end - index - 1
            if repeats > 0 {
                lines.append("[previous frame repeated \(repeats.formatted()) more time\(repeats == 1 ? "" : "s")]")
            }
            index = end
        }
        guard lines.count > maximumStackLines else { return lines }
        let head = maximumStackLines * 2 / 3
        let tail = maximumStackLines - head - 1
        let hidden = lines.count - head - tail
        return Array(lines.prefix(head)) + ["[\(hidden.formatted()) more lines of the stack]"]
            + Array(lines.suffix(tail))
    }

    static func printError(_ text: String) {
        TerminalOutput.write(text + "\n", to: .error)
    }
}

/// Tables and records fit standard output's width when it is a terminal (read again at each call: a
/// window can be resized); piped output is never cut.
public enum TerminalWidth {
    public static func update() {
        Printer.fit(toWidth: TerminalOutput.columns(of: 1) ?? 0)
    }
}
