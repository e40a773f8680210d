import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Logging
import Runs
import Settings
import Synchronization
import Terminal

/// `gpus [options]` and `gpus [options] -e CODE`: the REPL, or one piece of code.
struct REPLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "The REPL, or with -e one piece of code (what 'gpus' alone runs).",
        discussion: """
            Examples:
              gpus                         the REPL
              gpus -e 'vms.list()'         run code, print its final result
              gpus --json -e 'vms.types()' the same as JSON
            """,
        shouldDisplay: false)

    @OptionGroup var session: SessionOptions
    var code: String? { session.code }
    var target: TargetOptions { session.target }
    var ledger: LedgerOptions { session.ledger }
    var output: OutputOptions { session.output }
    var limits: LimitOptions { session.limits }

    @Argument(parsing: .captureForPassthrough, help: "With -e: the code's 'args'.")
    var arguments: [String] = []

    func validate() throws {
        // `gpus repl --help`: the words after the options are captured whole, help included.
        if code == nil, let first = arguments.first, ["--help", "-h"].contains(first) {
            throw CleanExit.helpRequest(self)
        }
        guard code != nil || arguments.isEmpty else {
            // An option of `gpus run` given with -e or for the REPL: say whose it is.
            let word = arguments[0]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if let runs = RunCommand.optionNames.first(where: { $0 == name }) {
                throw ValidationError(
                    "'\(runs)' is an option of 'gpus run' (gpus run \(runs) … FILE), not of -e or the REPL")
            }
            throw ValidationError("'\(word)' needs -e CODE before it (or name a FILE to run)")
        }
    }

    func run() async throws {
        let target = try target.resolve()
        output.announce(target)
        let store = try await ledger.store(for: target)
        output.announce(ledger: store)
        let status: Int32
        if let code {
            status = try await RunCommand.run(
                SourceFile(name: "-e", text: code), arguments: arguments, target: target, ledger: store,
                output: output, printsResult: true, limits: limits.limits(for: target))
        } else {
            status = try await GPUS.repl(
                target: target, ledger: store, output: output, limits: limits.limits(for: target))
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// The options of `gpus [options]`: the REPL's and `-e`'s, which shell completion offers at the root.
struct SessionOptions: ParsableArguments {
    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE and print its final result.", valueName: "CODE"))
    var code: String?

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Ledger") var ledger: LedgerOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
}

extension GPUS {
    /// `gpus` alone: the REPL against `target`.
    static func repl(
        target: Target, ledger store: any LedgerStore, output: OutputOptions, limits: RunLimits = RunLimits()
    ) async throws -> Int32 {
        let stack = try Stack.running(target, recipe: "<repl>", ledger: store, output: output)
        let (library, session) = (stack.library, stack.session)
        // A session's limits (--max-duration, --max-cost, a profile's max_duration, limits()): past
        // one, the session ends as on SIGTERM — the entry running is cancelled, the deferred
        // statements run — then what it created is deleted, and gpus exits 5.
        let watchdog = await stack.watch(limits) { why in
            output.note("\(why): ending the session (its defers run, then what it created is deleted)", always: true)
            Interrupts.endSession(Interrupts.limitReached)
        }
        defer { watchdog.cancel() }
        var options = Interpreter.Options(
            output: { TerminalOutput.write($0 + "\n", to: .output) },
            waitHook: CloudWaitHook(session: session, progress: output.waitProgress))
        if output.json {
            options.valueOutput = { values in
                guard let line = JSONBridge.line(printing: values) else { return }
                StandardStream.output.write((line + "\n"))
            }
        }
        let interpreter = Interpreter(library: library, options: options)
        let environment = ProcessInfo.processInfo.environment
        let stateHome =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/state"
        let repl = REPL(
            library: library, interpreter: interpreter, host: CloudREPLHost(session: session),
            historyPath: stateHome + "/gpus/history", colour: output.colour)
        repl.json = output.json
        repl.quiet = output.quiet
        let status = await repl.run(version: version)
        await session.ledger.end(exitCode: status)
        return status
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

    func completionValues(for parameter: String, kind: String?) -> [CompletionValue] {
        values.candidates(for: parameter, kind: kind).map { CompletionValue($0.value, note: $0.note) }
    }

    var target: String { "\(session.target); ledger: \(session.ledger.store.location)" }
    var label: String { session.label }

    func billing() async -> [String] {
        session.ledger.live.map { "\($0.kind.rawValue) \($0.name) (\($0.resourceID ?? "id unknown"))" }
    }

    var cleanCommand: String { "gpus runs clean \(session.ledger.run.id)" }

    func cleanup() async -> (lines: [String], complete: Bool) {
        let report = await session.cleanup()
        let left = report.remaining.isEmpty ? [] : ["still live; delete with: \(cleanCommand)"]
        return (report.lines + left, report.remaining.isEmpty)
    }
}
