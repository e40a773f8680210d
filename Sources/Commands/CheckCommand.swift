import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Settings
import Terminal

/// `gpus check FILE…`: parses and checks programs without running them or touching the network.
package struct CheckCommand: AsyncParsableCommand {
    package init() {}

    package static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check programs without running them.",
        discussion: """
            Finds syntax errors, undeclared variables, unknown built-ins and named arguments, unknown \
            fields of records whose kind is known, and GPU types and statuses that do not exist — each \
            with its line, column, a caret and a suggestion. Exit code 65 when anything is found.

            Examples:
              gpus check recipe.gpus
              gpus check examples/*.gpus
              gpus check --json recipe.gpus     (each finding as JSON on stderr)
            """)

    @Argument(help: "The programs to check.")
    var files: [String]

    @Flag(help: "Each finding as one JSON document per line on stderr; the summary as JSON on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "No summary line when nothing is found.")
    var quiet = false

    package func run() async throws {
        // Only the declarations of the cloud library are needed: nothing is started, nothing is sent.
        let library = try Stack.declarations().library
        let interpreter = Interpreter(library: library)
        let renderer = DiagnosticRenderer(colour: OutputOptions.colour(json: json))
            .fitted(to: TerminalOutput.columns(of: 2) ?? 0)
        var problems = 0
        for file in files {
            let source = try SourceFile.program(file)
            let diagnostics = (interpreter.check(source) + Self.limitsNotFirst(source)).sorted {
                $0.range.start < $1.range.start
            }
            problems += diagnostics.filter { $0.severity == .error }.count
            guard !diagnostics.isEmpty else { continue }
            let report =
                json
                ? diagnostics.map { ScriptRunner.json($0, in: source) }.joined(separator: "\n")
                : renderer.render(diagnostics, in: source)
            StandardStream.error.write((report + "\n"))
        }
        if json {
            print(#"{"files":\#(files.count),"problems":\#(problems)}"#)
        } else if problems > 0 {
            StandardStream.error.write("gpus check: \(problems) problem(s) in \(files.count) file(s)\n")
        } else if !quiet {
            print("gpus check: \(files.count) file(s), no problems")
        }
        if problems > 0 { throw ExitCode(ScriptRunner.Status.syntax.rawValue) }
    }

    /// `limits(…)` bounds only what comes after it: anywhere but the first statement, what was
    /// created before it ran unbounded.
    package static func limitsNotFirst(_ source: SourceFile) -> [Diagnostic] {
        let parsed = Parser.parse(source)
        guard parsed.diagnostics.isEmpty else { return [] }
        return parsed.program.statements.enumerated().compactMap { index, statement in
            guard index > 0, case .expression(.call(.variable("limits", _), _, let range)) = statement else {
                return nil
            }
            return Diagnostic(
                .limitsNotFirst, "limits(…) must be the program's first statement: what runs before it is not bounded",
                at: range, notes: ["move it to the top (or use --max-duration / --max-cost)"])
        }
    }
}
