import Foundation
import Language
import LineEditor

/// What the REPL needs from the program around it: which cloud it talks to, and what the session
/// created that still bills.
public protocol REPLHost: Sendable {
    /// What the session talks to, one line (the REPL's banner and `:target`).
    var target: String { get }
    /// The short name in the prompt: `gpus(sandbox)>`, `gpus(prod)>`.
    var label: String { get }
    /// Resources the session created that still exist, one line each.
    func billing() async -> [String]
    /// Deletes them; one line per resource.
    func cleanup() async -> [String]
    /// Values to complete for an argument (`gpuType`, `region`, `status`, `id`, …); answers at once.
    func completionValues(for parameter: String) -> [String]
}

/// The interactive prompt: multi-line input decided by the parser, history per statement, results
/// printed, errors shown with a caret under the `<repl>` input, Ctrl-C to clear or stop.
public final class REPL {
    let library: Library
    let session: Interpreter.Session
    let editor: LineEditor
    let host: any REPLHost
    let historyPath: String
    /// The statements that ran without error, for `:save`.
    var transcript: [String] = []
    let renderer: DiagnosticRenderer
    let write: (String) -> Void
    /// `--json`: results as one JSON document per line.
    public var json = false
    /// `--quiet`: no banner.
    public var quiet = false

    public init(library: Library, interpreter: Interpreter, host: any REPLHost, historyPath: String, colour: Bool) {
        self.library = library
        self.session = Interpreter.Session(interpreter: interpreter)
        let session = session
        let completer = Completer(library: library, session: session) { host.completionValues(for: $0) }
        self.editor = LineEditor(program: "gpus") { completer.complete($0) }
        self.host = host
        self.historyPath = historyPath
        self.renderer = DiagnosticRenderer(colour: colour)
        self.write = { text in
            StatusLine.clear()
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }

    public func run(version: String) async -> Int32 {
        let interactive = editor.isInteractive
        if interactive {
            if !quiet { write("gpus \(version) — target: \(host.target). :help for help, Ctrl-D to leave.") }
            editor.loadHistory(from: historyPath)
        }
        LineEditor.installInterruptHandler()
        let prompt = interactive ? "gpus(\(host.label))> " : ""
        var pending: [String] = []
        while true {
            let input = editor.readLine(prompt: pending.isEmpty ? prompt : (interactive ? "...> " : ""))
            switch input {
            case .interrupted:
                pending = []
                continue
            case .endOfInput:
                if !pending.isEmpty, !interactive {
                    _ = await evaluate(pending.joined(separator: "\n"))
                }
                if await leave() { return 0 }
                continue
            case .line(let line):
                if pending.isEmpty, line.hasPrefix(":") {
                    if await meta(line) { return 0 }
                    continue
                }
                pending.append(line)
                let entry = pending.joined(separator: "\n")
                if case .incomplete = await evaluateIfComplete(entry) { continue }
                editor.addHistory(entry)
                if interactive { editor.saveHistory(to: historyPath) }
                pending = []
            }
        }
    }

    enum EntryState { case incomplete, done }

    func evaluateIfComplete(_ entry: String) async -> EntryState {
        if Parser.parse(SourceFile(name: "<repl>", text: entry)).isIncomplete { return .incomplete }
        _ = await evaluate(entry)
        return .done
    }

    /// Runs one entry; Ctrl-C while it runs stops it and returns to the prompt.
    @discardableResult
    func evaluate(_ entry: String) async -> Bool {
        let token = CancellationToken()
        let watcher = Task {
            while !Task.isCancelled {
                if LineEditor.takeInterrupt() { token.cancel() }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { watcher.cancel() }
        switch await session.evaluate(entry, token: token) {
        case .incomplete: return false
        case .invalid(let diagnostics, let source):
            showErrors(diagnostics, in: source)
            return false
        case .value(let value):
            if let value { write(json ? JSONBridge.line(value) : present(value)) }
            transcript.append(entry)
            return true
        case .failed(let error, let source):
            showErrors([ScriptRunner.diagnostic(error)], in: source)
            return false
        case .exited:
            transcript.append(entry)
            return true
        case .interrupted:
            write("interrupted")
            return false
        }
    }

    /// Errors on stderr: rendered with a caret, or one JSON document each with `--json`.
    func showErrors(_ diagnostics: [Diagnostic], in source: SourceFile) {
        StatusLine.clear()
        let text =
            json
            ? diagnostics.map { ScriptRunner.json($0, in: source) }.joined(separator: "\n")
            : renderer.render(diagnostics, in: source)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A result as text; on a terminal, the header of a table or record in bold and strings in green.
    func present(_ value: Value) -> String {
        let text = Printer.text(value)
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

    /// Ctrl-D or :quit: when resources the session created still bill, list them and ask first.
    func leave() async -> Bool {
        let billing = await host.billing()
        guard !billing.isEmpty else { return true }
        write("These resources created in this session are still billing:")
        for line in billing { write("  " + line) }
        guard editor.isInteractive else { return true }
        switch editor.readLine(prompt: "Delete them before leaving? [y/N/c(ancel)] ") {
        case .line(let answer) where answer.lowercased().hasPrefix("y"):
            for line in await host.cleanup() { write(line) }
            return true
        case .line(let answer) where answer.lowercased().hasPrefix("c"): return false
        case .interrupted: return false
        default: return true
        }
    }

    /// `:help [topic]`, `:save FILE`, `:load FILE`, `:history`, `:target`, `:quit`. Returns true to leave.
    func meta(_ line: String) async -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":quit", ":q", ":exit": return await leave()
        case ":help", ":h":
            let topic: Value? = argument.isEmpty ? nil : .string(argument)
            write(Help.describe(topic, library: library))
            if argument.isEmpty {
                write("meta-commands: :help [topic], :save FILE, :load FILE, :history, :target, :quit")
            }
        case ":target": write(host.target)
        case ":history": write(transcript.enumerated().map { "\($0 + 1)  \($1)" }.joined(separator: "\n"))
        case ":save":
            guard !argument.isEmpty else {
                write(":save needs a file name")
                break
            }
            do {
                try (transcript.joined(separator: "\n") + "\n").write(
                    toFile: argument, atomically: true, encoding: .utf8)
                write("saved \(transcript.count) statement(s) to \(argument)")
            } catch {
                write("cannot write \(argument): \(error.localizedDescription)")
            }
        case ":load":
            guard let text = try? String(contentsOfFile: argument, encoding: .utf8) else {
                write("cannot read '\(argument)'")
                break
            }
            await evaluate(text)
        default:
            write("unknown command \(parts[0]); :help lists them")
        }
        return false
    }
}
