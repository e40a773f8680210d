import Foundation
import Language
import Synchronization
import Terminal
import Testing

@testable import Console

/// A `LineReader` that plays a list of inputs, as a person (or a pipe) would give them, and keeps
/// the history and the prompts it was asked with.
final class ScriptedReader: LineReader {
    var inputs: [LineInput]
    let isInteractive: Bool
    var history: [String] = []
    var prompts: [String] = []

    init(_ inputs: [LineInput], interactive: Bool = true) {
        self.inputs = inputs
        self.isInteractive = interactive
    }

    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }

    func addHistory(_ entry: String) { history.append(entry) }
    func loadHistory(from path: String) {}
    func saveHistory(to path: String) {}
}

/// What the REPL needs from around it, with nothing billing.
struct QuietHost: REPLHost {
    var target: String { "test target" }
    var label: String { "test" }
    func billing() async -> [String] { [] }
    func cleanup() async -> (lines: [String], complete: Bool) { ([], true) }
    var cleanCommand: String { "gpus runs clean R" }
    func completionValues(for parameter: String, kind: String?) -> [CompletionValue] { [] }
}

/// The REPL loop driven through the `LineReader` seam: no terminal needed.
@Suite struct REPLTests {
    /// Runs the REPL over `inputs`; returns its exit code, what it wrote, its errors and the reader.
    func run(
        _ inputs: [LineInput], interactive: Bool = true
    ) async -> (
        code: Int32, out: [String], err: String, reader: ScriptedReader
    ) {
        let out = Mutex<[String]>([])
        let err = Mutex("")
        let library = Library.core()
        library.register(
            Builtin(
                "vms.create", "Creates a VM.", parameters: [ParameterSpec("name", .string)],
                body: .sync { _ in .null }))
        let interpreter = Interpreter(
            library: library, options: Interpreter.Options(output: { line in out.withLock { $0.append(line) } }))
        let reader = ScriptedReader(inputs, interactive: interactive)
        let repl = REPL(
            library: library, interpreter: interpreter, host: QuietHost(), historyPath: "/nonexistent/history",
            colour: false, reader: reader,
            output: REPLOutput(
                out: { line in out.withLock { $0.append(line) } }, err: { text in err.withLock { $0 += text } }))
        repl.quiet = true
        let code = await repl.run(version: "test")
        return (code, out.withLock { $0 }, err.withLock { $0 }, reader)
    }

    @Test func anIncompleteEntryContinuesOnTheNextLine() async {
        let result = await run([.line("let x = [1,"), .line("  2]"), .line("x")])
        #expect(result.code == 0)
        #expect(result.out == ["[1, 2]"])
        #expect(
            result.reader.prompts
                == ["test> ", "...> ", "test> ", "test> "].map {
                    $0.replacingOccurrences(of: "test>", with: "gpus(test)>")
                })
        // One history entry per statement, however many lines.
        #expect(result.reader.history == ["let x = [1,\n  2]", "x"])
    }

    @Test func ctrlCDropsTheLinesTypedAndTheNextEntryRuns() async {
        let result = await run([.line("let y = [1,"), .interrupted, .line("print(\"after\")")])
        #expect(result.out == ["after"])
        #expect(result.err.isEmpty)
    }

    @Test func errorsAreShownAndTheSessionGoesOn() async {
        let result = await run([.line("1 / 0"), .line("print(2)")])
        #expect(result.code == 0)
        #expect(result.err.contains("<repl>:1:"))
        #expect(result.out == ["2"])
    }

    @Test func pipedInputStopsAtTheFirstErrorWithItsLine() async {
        let result = await run([.line("print(1)"), .line("boom()"), .line("print(3)")], interactive: false)
        #expect(result.code == 65)
        #expect(result.err.contains("<stdin>:2:"))
        #expect(result.out == ["1"])  // the lines before it ran; none after
    }

    /// Piped input reads like a file: `else` at the start of the line after an `if`'s `}` (blank
    /// lines and comments between) continues it; any other line lets the `if` run first.
    @Test func pipedInputTakesElseOnTheNextLine() async {
        let lines = [
            "if false {", "  print(1)", "}", "", "# why", "else if false {", "  print(2)", "}", "else { print(3) }",
            "if true { print(4) }", "print(5)", "if true { print(6) }",
        ]
        let result = await run(lines.map { .line($0) }, interactive: false)
        #expect(result.code == 0 && result.out == ["3", "4", "5", "6"], "\(result.err)")
        // A line that only starts like `else` is not one; errors keep their lines.
        let other = await run(
            [.line("if true { print(1) }"), .line("elsewhere = 2"), .line("print(3)")], interactive: false)
        #expect(other.out == ["1"] && other.err.contains("<stdin>:2:1: error: undeclared variable 'elsewhere'"))
        // At the prompt the `if` runs at its `}`: a stray `else` says how to write it.
        let typed = await run([.line("if false {"), .line("}"), .line("else { print(2) }")])
        #expect(typed.err.contains("'else' without an 'if'") && typed.err.contains("write '} else {'"), "\(typed.err)")
    }

    @Test func exitEndsTheSessionWithItsCode() async {
        let result = await run([.line("exit 7"), .line("print(1)")])
        #expect(result.code == 7)
        #expect(result.out.isEmpty)
    }

    @Test func metaCommandsComeFromTheTable() async {
        let result = await run([
            .line(":help vms.create"), .line(":target"), .line(":defers"), .line(":nope"), .line(":help"),
        ])
        let text = result.out.joined(separator: "\n")
        #expect(text.contains("vms.create(name: string)"))
        #expect(text.contains("test target"))
        #expect(text.contains("no deferred statements"))
        #expect(text.contains("unknown command :nope; :help lists them"))
        for command in MetaCommand.all { #expect(text.contains(command.usage), "\(command.usage) in :help") }
    }

    @Test func docsREPLHasTheMetaCommandTable() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/repl.md")
        var text = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(text.range(of: "<!-- meta-commands: generated -->\n"))
        let end = try #require(text.range(of: "\n<!-- end of meta-commands -->"))
        if ProcessInfo.processInfo.environment["GPUS_UPDATE_DOCS"] == "1" {
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: MetaCommand.markdown)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            String(text[start.upperBound..<end.lowerBound]) == MetaCommand.markdown,
            "docs/repl.md's meta-commands are stale: GPUS_UPDATE_DOCS=1 swift test --disable-xctest --filter REPLTests")
    }
}

/// `:save` and history through the seam: never over a file without a `y`, secrets never kept.
@Suite struct REPLSaveTests {
    @Test func saveAsksBeforeOverwritingAndKeepsNoSecret() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpus-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.gpus").path
        try "old".write(toFile: file, atomically: true, encoding: .utf8)
        let result = await REPLTests().run([
            .line("let c = {password: \"hunter2\"}"), .line("print(\"kept\")"),
            .line(":save \(file)"), .line("n"),
            .line(":save \(file)"), .line("y"),
        ])
        #expect(result.out.contains("not saved: \(file) exists (:save! \(file) overwrites it)"))
        #expect(result.out.contains("saved 2 statement(s) to \(file)"))
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        #expect(saved.contains("let c = {password: env(\"PASSWORD\")}") && !saved.contains("hunter2"))
        #expect(result.reader.history.first == "let c = {password: env(\"PASSWORD\")}")
        #expect(result.reader.prompts.contains("\(file) exists; overwrite it? [y/N] "))
    }
}
