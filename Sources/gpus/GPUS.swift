import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Logging

/// The `gpus` command: runs programs (`gpus FILE`, `gpus -e CODE`, `gpus run FILE`) and the
/// sandbox (`gpus sandbox serve|reset`).
@main
struct GPUS: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Rent and script GPUs on the Yotta Labs cloud.",
        discussion: """
            gpus is a client for the Yotta v2 API, a small scripting language, and a local simulation \
            of the Yotta cloud.

            Examples:
              gpus recipe.gpus arg1 arg2        run a program (its 'args' are arg1, arg2)
              gpus -e 'print(1 + 2)'            run code given on the command line
              gpus sandbox serve                serve the simulated cloud on http://127.0.0.1:8787
            """,
        version: version,
        subcommands: [RunCommand.self, CheckCommand.self, SandboxCommand.self]
    )

    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        var arguments = Array(CommandLine.arguments.dropFirst())
        // `gpus FILE args…` is `gpus run FILE args…`.
        if let first = arguments.first, !first.hasPrefix("-"), !subcommandNames.contains(first) {
            arguments.insert("run", at: 0)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }

    @Option(name: .customShort("e"), help: "Run CODE instead of a file.")
    var code: String?

    func run() async throws {
        guard let code else {
            let status = try await Self.repl()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status = try await RunCommand.run(SourceFile(name: "-e", text: code), arguments: [], cleanup: false)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `gpus run FILE [args…]`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a .gpus program.",
        discussion: "Example: gpus run recipe.gpus us-east-1   ('args' is [\"us-east-1\"])")

    @Flag(help: "Afterwards, delete every resource the program created, whatever the outcome.")
    var cleanup = false

    @Option(help: "How many 'parallel for' iterations (and so API requests) run at once.")
    var parallelism = 8

    @Argument(help: "The program to run.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the program (its 'args').")
    var arguments: [String] = []

    static var colour: Bool { isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    func run() async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            FileHandle.standardError.write(Data("gpus: cannot read '\(file)'\n".utf8))
            throw ExitCode(ScriptRunner.Status.usage.rawValue)
        }
        let status = try await Self.run(
            SourceFile(name: file, text: text), arguments: arguments, cleanup: cleanup, parallelism: max(1, parallelism)
        )
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs a program with the core and cloud libraries against the configured target.
    static func run(
        _ source: SourceFile, arguments: [String], cleanup: Bool, parallelism: Int = 8
    ) async throws -> Int32 {
        let library = Library.core()
        let session = try CloudTarget.session()
        session.register(into: library)
        let hook = CloudWaitHook(session: session, statusLine: isatty(2) == 1)
        var runner = ScriptRunner(library: library, colour: colour, waitHook: hook)
        runner.parallelism = parallelism
        let status = await runner.run(source, arguments: arguments)
        if cleanup {
            for line in await session.cleanup() { FileHandle.standardError.write(Data("gpus: \(line)\n".utf8)) }
        }
        return status
    }
}

extension GPUS {
    /// `gpus` alone: the REPL against the configured target.
    static func repl() async throws -> Int32 {
        let library = Library.core()
        let session = try CloudTarget.session()
        session.register(into: library)
        let interpreter = Interpreter(
            library: library,
            options: Interpreter.Options(
                output: {
                    StatusLine.clear()
                    FileHandle.standardOutput.write(Data(($0 + "\n").utf8))
                },
                waitHook: CloudWaitHook(session: session, statusLine: isatty(2) == 1)))
        let environment = ProcessInfo.processInfo.environment
        let stateHome =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/state"
        let repl = REPL(
            library: library, interpreter: interpreter, host: CloudREPLHost(session: session),
            historyPath: stateHome + "/gpus/history", colour: RunCommand.colour)
        return await repl.run(version: version)
    }
}

/// The REPL's view of the cloud session: its target, its ledger, and values to complete.
struct CloudREPLHost: REPLHost {
    let session: CloudSession
    let values: CompletionValues

    init(session: CloudSession) {
        self.session = session
        self.values = CompletionValues(client: session.client)
    }

    func completionValues(for parameter: String) -> [String] { values.values(for: parameter) }

    var target: String { session.target }

    func billing() async -> [String] {
        session.ledger.all.map { "\($0.kind) \($0.name) (\($0.id))" }
    }

    func cleanup() async -> [String] { await session.cleanup() }
}

/// `gpus check FILE…`: parses and resolves programs without running them or touching the network.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check programs without running them.",
        discussion: "Example: gpus check examples/*.gpus   (exit code 65 when anything is found)")

    @Argument(help: "The programs to check.")
    var files: [String]

    func run() async throws {
        let library = Library.core()
        try CloudTarget.session().register(into: library)
        let interpreter = Interpreter(library: library)
        let renderer = DiagnosticRenderer(colour: RunCommand.colour)
        var problems = 0
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                FileHandle.standardError.write(Data("gpus: cannot read '\(file)'\n".utf8))
                throw ExitCode(ScriptRunner.Status.usage.rawValue)
            }
            let source = SourceFile(name: file, text: text)
            let diagnostics = interpreter.check(source)
            problems += diagnostics.count
            if !diagnostics.isEmpty {
                FileHandle.standardError.write(Data((renderer.render(diagnostics, in: source) + "\n").utf8))
            }
        }
        if problems > 0 {
            FileHandle.standardError.write(Data("gpus check: \(problems) problem(s) in \(files.count) file(s)\n".utf8))
            throw ExitCode(ScriptRunner.Status.syntax.rawValue)
        }
        print("gpus check: \(files.count) file(s), no problems")
    }
}
