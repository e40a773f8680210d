import Foundation
import Language
import Terminal

/// What the REPL needs from the program around it: which cloud it talks to, and what the session
/// created that still bills.
public protocol REPLHost: Sendable {
    /// What the session talks to, one line (the REPL's banner and `:target`).
    var target: String { get }
    /// The short name in the prompt: `gpus(sandbox)>`, `gpus(prod)>`.
    var label: String { get }
    /// Resources the session created that still exist, one line each.
    func billing() async -> [String]
    /// Deletes them; one line per resource, and whether nothing is left.
    func cleanup() async -> (lines: [String], complete: Bool)
    /// The command that deletes what the session left (`gpus runs clean RUN`).
    var cleanCommand: String { get }
    /// Values to complete for an argument (`gpuType`, `region`, `status`, `id`, …) of a call on a
    /// kind of resource (`Pod` for `pods.get(`, nil when unknown); answers at once.
    func completionValues(for parameter: String, kind: String?) -> [CompletionValue]
}

/// A value TAB can insert, and what is shown beside it in the list (a pod id with its name and status).
public struct CompletionValue: Equatable, Sendable {
    public var value: String
    public var note: String?

    public init(_ value: String, note: String? = nil) {
        self.value = value
        self.note = note
    }
}

/// Where the REPL writes: results and messages, and errors (standard output and error by default).
public struct REPLOutput: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }

    /// The terminal: the status line of a wait is cleared first.
    public static let standard = REPLOutput(
        out: { TerminalOutput.write($0 + "\n", to: .output) }, err: { TerminalOutput.write($0, to: .error) })
}

/// The interactive prompt: multi-line input decided by the parser, history per statement, results
/// printed, errors shown with a caret under the `<repl>` input, Ctrl-C to clear or stop.
public final class REPL {
    let library: Library
    let session: Interpreter.Session
    let editor: any LineReader
    let host: any REPLHost
    let historyPath: String
    /// The statements that ran without error, for `:save`.
    var transcript: [String] = []
    let renderer: DiagnosticRenderer
    let output: REPLOutput
    /// Whether the REPL takes over SIGINT, SIGTERM and SIGHUP (not when a test gives the reader: the
    /// test process keeps its own handling).
    let handlesSignals: Bool
    /// `--json`: results as one JSON document per line.
    public var json = false
    /// `--quiet`: no banner.
    public var quiet = false

    /// `reader` is libedit (or plain reads of piped input) unless a test gives one.
    public init(
        library: Library, interpreter: Interpreter, host: any REPLHost, historyPath: String, colour: Bool,
        reader: (any LineReader)? = nil, output: REPLOutput = .standard
    ) {
        self.library = library
        self.session = Interpreter.Session(interpreter: interpreter)
        let session = session
        let completer = Completer(library: library, session: session) { host.completionValues(for: $0, kind: $1) }
        self.editor = reader ?? LineEditor(program: "gpus") { completer.complete($0) }
        self.host = host
        self.historyPath = historyPath
        self.renderer = DiagnosticRenderer(colour: colour)
        self.output = output
        self.handlesSignals = reader == nil
    }

    func write(_ text: String) { output.out(text) }

    public func run(version: String) async -> Int32 {
        let interactive = editor.isInteractive
        if interactive {
            if !quiet {
                // Broken at spaces to the terminal's width, never in the middle of a word.
                write(
                    TextWrap.wrap(
                        "gpus \(version) — target: \(host.target). :help for help, Ctrl-D to leave.",
                        width: TerminalOutput.columns(of: 1) ?? 0))
            }
            editor.loadHistory(from: historyPath)
        }
        if handlesSignals { Interrupts.install() }
        let prompt = interactive ? "gpus(\(host.label))> " : ""
        var pending: [String] = []
        // Piped input runs as a script: errors name its lines, and the first one ends the run.
        var linesRead = 0
        var entryStart = 1
        func located(_ entry: String) -> String {
            interactive ? entry : String(repeating: "\n", count: entryStart - 1) + entry
        }
        // Piped input reads like a file: an entry that ends with an `if`'s `}` is held until the
        // next line that is not blank says whether an `else` follows (at the prompt it runs at once)
        // — when that line has been written: a producer that waits for our output is not waited on.
        var holding = false
        while true {
            TerminalOutput.clearStatus()  // a wait's status line never runs into the prompt
            let input = await read(prompt: pending.isEmpty ? prompt : (interactive ? "...> " : ""))
            switch input {
            case .interrupted:
                pending = []
                holding = false
                continue
            case .terminated(let signal):
                return await terminate(signal)
            case .endOfInput:
                holding = false
                if !pending.isEmpty, !interactive {
                    switch await evaluate(located(pending.joined(separator: "\n")), complete: true) {
                    case .exited(let code): return await finish(code)
                    case .failed(let status):
                        // Failed because SIGTERM/SIGHUP cancelled it: the signal's code, 143/129.
                        if let signal = Interrupts.terminationSignal { return await terminate(signal) }
                        return await finish(status)
                    case .succeeded, .incomplete: break
                    }
                }
                if let code = await leave() { return code }
                continue
            case .line(let line):
                if holding {
                    let word = line.drop { $0 == " " || $0 == "\t" }
                    let between = word.isEmpty || word.hasPrefix("#")
                    if between {
                        linesRead += 1
                        pending.append(line)
                        if await lookahead(within: 100) { continue }
                    }
                    holding = false
                    if !Self.startsWithElse(word) {
                        // No `else` (or nothing more written yet): the held entry runs, then this
                        // line, unless it was a blank one already taken, starts the next one.
                        let result = await evaluate(located(pending.joined(separator: "\n")))
                        pending = []
                        if case .exited(let code) = result { return await finish(code) }
                        if let signal = Interrupts.terminationSignal { return await terminate(signal) }
                        if case .failed(let status) = result { return await finish(status) }
                        if between { continue }
                    }
                }
                linesRead += 1
                if pending.isEmpty { entryStart = linesRead }
                if pending.isEmpty, line.hasPrefix(":") {
                    if let code = await meta(line) { return code }
                    continue
                }
                pending.append(line)
                let entry = pending.joined(separator: "\n")
                if !interactive, Self.endsWithIf(located(entry), name: inputName),
                    await lookahead(within: 100)
                {
                    holding = true
                    continue
                }
                // Parsed once: an entry the parser finds incomplete waits for its next line.
                let result = await evaluate(located(entry))
                if case .incomplete = result { continue }
                editor.addHistory(Recipe.redacting(entry).text)  // history never keeps a secret
                if interactive { editor.saveHistory(to: historyPath) }
                pending = []
                if case .exited(let code) = result { return await finish(code) }
                // A signal that cancelled the entry wins over the entry's failure (130): 143/129.
                if let signal = Interrupts.terminationSignal { return await terminate(signal) }
                if case .failed(let status) = result, !interactive { return await finish(status) }
            }
        }
    }

    /// Whether more input is there within `milliseconds`, asked on a thread of its own (a poll).
    func lookahead(within milliseconds: Int32) async -> Bool {
        await withReader { $0.inputWaiting(within: milliseconds) }
    }

    /// Whether an entry is whole and its last statement an `if` that an `else` could still extend.
    static func endsWithIf(_ entry: String, name: String) -> Bool {
        guard entry.contains("if") else { return false }
        let parsed = Parser.parse(SourceFile(name: name, text: entry))
        guard parsed.diagnostics.isEmpty, case .ifElse(_, nil, _)? = parsed.program.statements.last else {
            return false
        }
        return true
    }

    /// Whether a line (without its indent) starts with the word `else`.
    static func startsWithElse(_ word: Substring) -> Bool {
        guard word.hasPrefix("else") else { return false }
        let next = word.dropFirst(4).first
        return next.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
    }

    /// Reads a line on a thread of its own: a read waits as long as the person does, and must not
    /// hold one of the cooperative pool's threads (two on a two-core machine), which the run's
    /// heartbeat, a wait's status line and the embedded sandbox need meanwhile.
    func read(prompt: String) async -> LineInput {
        await withReader { $0.readLine(prompt: prompt) }
    }

    /// `body` given the reader on a thread of its own ("gpus line reader"), awaited.
    func withReader<Result: Sendable>(_ body: @escaping @Sendable (any LineReader) -> Result) async -> Result {
        let reader = OneReader(reader: editor)
        return await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body(reader.reader)) }
            thread.name = "gpus line reader"
            thread.start()
        }
    }

    /// The reader, handed to the thread that reads one line. Unchecked: the REPL awaits that read
    /// before it touches the reader again, so one thread at a time uses it (libedit's completion
    /// callback, on the reading thread, reads the session while the REPL waits for the line).
    struct OneReader: @unchecked Sendable {
        let reader: any LineReader
    }

    /// How an entry ended; a failure carries the exit status a script would end with.
    enum EntryResult {
        case succeeded
        /// The parser needs more lines (an open block, bracket or string).
        case incomplete
        case failed(Int32)
        case exited(Int32)
    }

    /// What the input is called in diagnostics.
    var inputName: String { editor.isInteractive ? "<repl>" : "<stdin>" }

    /// Runs one entry; Ctrl-C while it runs stops it and returns to the prompt. With `complete`, an
    /// entry the input ended in the middle of is a syntax error (piped input), not more to read.
    @discardableResult
    func evaluate(_ entry: String, complete: Bool = false) async -> EntryResult {
        let token = CancellationToken()
        let outcome = await Interrupts.whileRunning(onSignal: { token.cancel() }) {
            await session.evaluate(entry, name: inputName, token: token)
        }
        switch outcome {
        case .incomplete:
            guard complete else { return .incomplete }
            let source = SourceFile(name: inputName, text: entry)
            showErrors(Parser.parse(source).diagnostics, in: source)
            return .failed(ScriptRunner.Status.syntax.rawValue)
        case .invalid(var diagnostics, let source):
            if editor.isInteractive, !diagnostics.isEmpty, Self.startsWithElse(entry.drop { $0 == " " || $0 == "\t" }) {
                diagnostics[0].notes.append(
                    "at the prompt an 'if' runs when its '}' is typed: write '} else {' on that line (↑ recalls it)")
            }
            showErrors(diagnostics, in: source)
            return .failed(ScriptRunner.Status.syntax.rawValue)
        case .value(let value):
            if let value { write(json ? JSONBridge.line(value) : present(value)) }
            transcript.append(entry)
            return .succeeded
        case .failed(let error, let source):
            showErrors([ScriptRunner.diagnostic(error)] + error.deferred.map(ScriptRunner.diagnostic), in: source)
            return .failed(ScriptRunner.status(of: error).rawValue)
        case .exited(let code):
            return .exited(code)
        case .interrupted:
            write("interrupted")
            return .failed(ScriptRunner.Status.interrupted.rawValue)
        }
    }

    /// Errors on stderr: rendered with a caret, or one JSON document each with `--json`.
    func showErrors(_ diagnostics: [Diagnostic], in source: SourceFile) {
        let text =
            json
            ? diagnostics.map { ScriptRunner.json($0, in: source) }.joined(separator: "\n")
            : renderer.fitted(to: TerminalOutput.columns(of: 2) ?? 0).render(diagnostics, in: source)
        output.err(text + "\n")
    }

    /// A result as text; on a terminal, the header of a table or record in bold and strings in green.
    func present(_ value: Value) -> String {
        TerminalWidth.update()
        var text = Printer.display(value)
        if let age = Self.age(of: value) { text += "\n" + (renderer.colour ? "\u{1B}[2m\(age)\u{1B}[0m" : age) }
        guard renderer.colour else { return text }
        switch value {
        case .record,
            .list where text.contains("\n"):
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[0] = "\u{1B}[1m\(lines[0])\u{1B}[0m"
            return lines.joined(separator: "\n")
        case .string: return "\u{1B}[32m\(text)\u{1B}[0m"
        default: return text
        }
    }

    /// Records older than this show their age when printed.
    static let staleAfter: TimeInterval = 5

    /// "(as read 46s ago; .refresh() reads it again)": for a record, or a list of them, that the host
    /// read more than `staleAfter` ago — what it shows may no longer be true.
    static func age(of value: Value, now: Date = Date()) -> String? {
        let records: [Record] =
            switch value {
            case .record(let record): [record]
            case .list(let list): list.items.compactMap { if case .record(let record) = $0 { record } else { nil } }
            default: []
            }
        guard let oldest = records.compactMap(\.fetched).min() else { return nil }
        let seconds = now.timeIntervalSince(oldest)
        guard seconds > staleAfter else { return nil }
        let age = Printer.duration(.seconds(Int64(seconds.rounded(.down))))
        return "(as read \(age) ago; .refresh() reads \(records.count == 1 ? "it" : "a record") again)"
    }

    /// Ctrl-D or :quit: shows the deferred statements that will run and the resources the session
    /// created that still bill, and asks first; returns false to stay. Leaving runs the deferred
    /// statements, then deletes what is still live if asked to.
    /// Returns the exit code (4 when the cleanup asked for left something), or nil to stay.
    func leave() async -> Int32? {
        let defers = session.deferredStatements
        if !editor.isInteractive {
            // Nobody to ask: the deferred statements run, then what is still live is named (not
            // what their deletes were about to remove).
            if !defers.isEmpty {
                write("Deferred statements that run when the session ends (last entered first):")
                for line in defers { write("  " + line) }
            }
            _ = await runDeferred()
            let left = await host.billing()
            if !left.isEmpty {
                write("These resources created in this session are still billing:")
                for line in left { write("  " + line) }
            }
            return 0
        }
        let billing = await host.billing()
        guard !defers.isEmpty || !billing.isEmpty else { return 0 }
        if !defers.isEmpty {
            write("Deferred statements that run when the session ends (last entered first):")
            for line in defers { write("  " + line) }
        }
        if !billing.isEmpty {
            write("These resources created in this session are still billing:")
            for line in billing { write("  " + line) }
        }
        var deleteLive = false
        if editor.isInteractive {
            let question =
                billing.isEmpty
                ? "Run them and leave? [Y/c(ancel)] "
                : defers.isEmpty
                    ? "Delete them before leaving? [y/N/c(ancel)] "
                    : "Run the deferred statements, then delete what is still live? [y/N/c(ancel)] "
            switch await read(prompt: question) {
            case .line(let answer) where answer.lowercased().hasPrefix("c"): return nil
            case .interrupted: return nil
            case .line(let answer) where answer.lowercased().hasPrefix("y"): deleteLive = !billing.isEmpty
            default: break
            }
        }
        _ = await runDeferred()
        guard deleteLive else { return 0 }
        let (lines, complete) = await host.cleanup()
        for line in lines { write(line) }
        return complete ? 0 : ScriptRunner.Status.cleanupIncomplete.rawValue
    }

    /// `exit N` at the prompt: the deferred statements run, then the session ends with N (an `exit`
    /// inside a deferred statement wins). Live resources are listed; on a terminal, offered for deletion.
    func finish(_ code: Int32) async -> Int32 {
        let exitCode = await runDeferred() ?? code
        let billing = await host.billing()
        if !billing.isEmpty {
            write("These resources created in this session are still billing:")
            for line in billing { write("  " + line) }
            if editor.isInteractive,
                case .line(let answer) = await read(prompt: "Delete them before leaving? [y/N] "),
                answer.lowercased().hasPrefix("y")
            {
                let (lines, complete) = await host.cleanup()
                for line in lines { write(line) }
                if !complete, exitCode == 0 { return ScriptRunner.Status.cleanupIncomplete.rawValue }
            }
        }
        return exitCode
    }

    /// SIGTERM or SIGHUP (a closed terminal, a stopped job): the entry running was cancelled; the
    /// deferred statements run, what is still live is named with the command that deletes it, and
    /// the session ends with 128 + the signal. Nothing is asked: nobody may be there to answer.
    func terminate(_ signal: Int32) async -> Int32 {
        _ = await runDeferred()
        if signal == Interrupts.limitReached {
            // A limit of the run (--max-duration, --max-cost): nothing it made may go on billing.
            let (lines, complete) = await host.cleanup()
            for line in lines { output.err("gpus: \(line)\n") }
            return complete ? ScriptRunner.Status.limitReached.rawValue : ScriptRunner.Status.cleanupIncomplete.rawValue
        }
        let billing = await host.billing()
        if !billing.isEmpty {
            output.err(
                "gpus: still live from this session: \(billing.joined(separator: ", ")); delete with: \(host.cleanCommand)\n"
            )
        }
        return 128 + signal
    }

    /// Runs the session's deferred statements; shows their errors. Returns an `exit` code one ran.
    func runDeferred() async -> Int32? {
        let (errors, exit) = await session.runDeferred()
        for (error, source) in errors { showErrors([ScriptRunner.diagnostic(error)], in: source) }
        return exit
    }
}
