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

/// The `gpus` command: the REPL, programs (`gpus FILE`, `gpus -e CODE`, `gpus run FILE`), checks,
/// configuration, completion scripts and the sandbox.
@main
struct GPUS: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Rent and script GPUs on the Yotta Labs cloud.",
        discussion: """
            gpus is a client for the Yotta v2 API, a small scripting language, and a local simulation \
            of the Yotta cloud. With no arguments it starts the REPL.

            Target (first match wins): --sandbox or --api-url URL; --profile NAME or GPUS_PROFILE; \
            YOTTA_API_KEY (with YOTTA_BASE_URL); else the embedded sandbox.

            Examples:
              gpus                              the REPL (against the sandbox when no key is set)
              gpus recipe.gpus arg1 arg2        run a program (its 'args' are arg1, arg2)
              gpus -e 'vms.list()'              run code given on the command line, print its result
              gpus -e 'print(args)' a b         code with arguments (its 'args' are a, b)
              gpus --json -e 'vms.types()'      the same, as JSON
              gpus --profile prod recipe.gpus   run against the cloud of profile 'prod'
              gpus pods list                    a built-in as a command ('gpus pods help')
              gpus vms terminate a              a method, on the VM named a (or with id a)
              gpus costs                        what is live and billing, per hour and in total
              gpus check examples/*.gpus        find mistakes without running anything
              gpus runs                         what each run left live; 'gpus runs clean --orphans'
              gpus config set prod.api_key -    store a key (read from stdin) in profile 'prod'
              gpus sandbox serve                serve the simulated cloud on http://127.0.0.1:8787

            Options of the REPL, -e and run (before FILE; also before a subcommand, as in \
            'gpus --json run f.gpus'):
              -e CODE           run CODE and print its final result
              --sandbox         the embedded sandbox, whatever the environment says
              --api-url URL     the API at URL (key from --profile or YOTTA_API_KEY)
              --profile NAME    a profile of the config file (see 'gpus config --help')
              --json            values and the final result as JSON lines; errors as JSON on stderr
              -q, --quiet       only the program's output and errors
              --trace           each HTTP request and response with timing on stderr, key masked
              -v, --verbose     say which target is live and why

            Exit codes: 0 success, 1 runtime error, 2 API error, 3 wait timeout, 4 cleanup left \
            something, 64 usage, 65 syntax or check errors, 128+N a signal (130 Ctrl-C, 143 SIGTERM, \
            129 SIGHUP); 'exit N' in a program wins.
            """,
        version: version,
        subcommands: [
            RunCommand.self, RunsCommand.self, CheckCommand.self, PlanCommand.self, ConfigCommand.self,
            CompletionCommand.self,
            SandboxCommand.self, CostsCommand.self, KeeperCommand.self,
            REPLCommand.self, CredentialsCommand.self, EndpointsCommand.self, GPUsCommand.self, PodsCommand.self,
            VMsCommand.self, VolumesCommand.self,
        ]
    )

    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        TerminalWidth.update()
        let arguments = rewrite(Array(CommandLine.arguments.dropFirst()))
        // `gpus FILE` and `gpus -e CODE`, the commands people time, parse only their own command:
        // parsing as the root builds every subcommand's arguments first, and each type the parser
        // inspects costs a scan of the binary's protocol conformances (a quarter of startup).
        // A mistake in them is parsed again as the root's, for messages that say `gpus run`.
        var fast: (any AsyncParsableCommand)?
        switch arguments.first {
        case "run": fast = try? RunCommand.parse(Array(arguments.dropFirst()))
        case "repl": fast = try? REPLCommand.parse(Array(arguments.dropFirst()))
        default: break
        }
        do {
            if var command = fast {
                try await command.run()
                return
            }
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

    /// `gpus [options] FILE args…` is `gpus run [options] FILE args…`; `gpus [options]` alone (or
    /// with `-e CODE`) is the hidden `gpus repl [options]`. The options are declared once, on those
    /// two commands.
    ///
    /// Options written before a subcommand are passed to it (`gpus --json run --cleanup f.gpus` is
    /// `gpus run --json --cleanup f.gpus`), and `gpus -e CODE args…` gives CODE its `args`.
    static func rewrite(_ arguments: [String]) -> [String] {
        var index = 0
        var hasCode = false
        while index < arguments.count {
            let argument = arguments[index]
            // `---completion` is the shell completion script asking for candidates.
            if ["--help", "-h", "--version", "--", "---completion"].contains(argument) { return arguments }
            if argument.hasPrefix("-") {
                if argument == "-e" { hasCode = true }
                index += optionsWithValues.contains(argument) ? 2 : 1
                continue
            }
            // After -e CODE, words are the code's args (`gpus -e 'print(args)' run` prints ["run"]).
            if !hasCode, subcommandNames.contains(argument) {
                return [argument] + arguments[..<index] + arguments[(index + 1)...]
            }
            return [hasCode ? "repl" : "run"] + arguments
        }
        return ["repl"] + arguments
    }

    static let optionsWithValues: Set<String> = [
        "-e", "-o", "--api-url", "--profile", "--parallelism", "--cleanup-timeout", "--ledger", "--max-duration",
        "--max-cost",
    ]

    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
    }
}

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

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE and print its final result.", valueName: "CODE"))
    var code: String?

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Ledger") var ledger: LedgerOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions

    @Argument(parsing: .captureForPassthrough, help: "With -e: the code's 'args'.")
    var arguments: [String] = []

    func validate() throws {
        guard code != nil || arguments.isEmpty else {
            throw ValidationError("'\(arguments[0])' needs -e CODE before it (or name a FILE to run)")
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

/// `gpus run FILE [args…]`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a .gpus program ('gpus FILE' is short for 'gpus run FILE').",
        discussion: """
            Options go before FILE; everything after it is the program's 'args'.

            Examples:
              gpus run recipe.gpus us-east-1           ('args' is ["us-east-1"])
              gpus run --cleanup --json fleet.gpus     (delete what it created afterwards; JSON output)
            """)

    @Flag(help: "Afterwards, delete every resource the program created, whatever the outcome.")
    var cleanup = false

    @Option(help: "How many 'parallel for' iterations (and so API requests) run at once.")
    var parallelism = 8

    @Option(
        name: .customLong("cleanup-timeout"),
        help: ArgumentHelp(
            "How long --cleanup waits for endpoints to stop and for resources in use to be freed.",
            valueName: "SECONDS"))
    var cleanupTimeout: Double = 120

    @Flag(
        name: .customLong("plan-first"),
        help: "Show the plan first (gpus plan) and ask y/N before running; a profile's plan_first = true does the same."
    )
    var planFirst = false

    @Flag(help: "With --plan-first: run after the plan without asking (needed off a terminal).")
    var yes = false

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Ledger") var ledger: LedgerOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions

    @Argument(help: "The program to run.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the program (its 'args').")
    var arguments: [String] = []

    func run() async throws {
        let source = try SourceFile.program(file)
        let target = try target.resolve()
        output.announce(target)
        if planFirst || target.profile?.planFirst == "true" {
            try await Self.planFirst(source, arguments: arguments, target: target, yes: yes)
        }
        let store = try await ledger.store(for: target)
        output.announce(ledger: store)
        let status = try await Self.run(
            source, arguments: arguments, target: target, ledger: store, output: output,
            cleanup: cleanup, cleanupTimeout: .milliseconds(Int64(max(0, min(cleanupTimeout, 86_400)) * 1000)),
            parallelism: max(1, parallelism), limits: limits.limits(for: target))
        if status != 0 { throw ExitCode(status) }
    }

    /// `--plan-first`: the plan on stderr, then the run only if the plan succeeds and the user says
    /// yes (on a terminal) or gave `--yes`. A plan that fails, or a "no", ends here: nothing is created.
    static func planFirst(_ source: SourceFile, arguments: [String], target: Target, yes: Bool) async throws {
        let plan = try await Planner.planOrExit(source, arguments: arguments, target: target)
        StandardStream.error.write(plan.text(colour: false))
        guard plan.status == 0 else {
            StandardStream.error.write("gpus: the plan fails, so the program is not run\n")
            throw ExitCode(Planner.fails)
        }
        if yes { return }
        guard isatty(0) == 1 else {
            StandardStream.error.write(
                "gpus: --plan-first asks before running, and there is no terminal to ask on: add --yes to run anyway\n")
            throw ExitCode(ScriptRunner.Status.usage.rawValue)
        }
        StandardStream.error.write("Run it? [y/N] ")
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            StandardStream.error.write("gpus: not run\n")
            throw ExitCode(ScriptRunner.Status.runtimeError.rawValue)
        }
    }

    /// Runs a program with the core and cloud libraries against `target`, as a run of the ledger.
    ///
    /// SIGINT, SIGTERM and SIGHUP cancel it: its defers and `--cleanup` run, and it exits 128 + the
    /// signal's number. A second signal meanwhile says what is left and how to finish, and exits.
    static func run(
        _ source: SourceFile, arguments: [String], target: Target, ledger store: any LedgerStore,
        output: OutputOptions, cleanup: Bool = false, cleanupTimeout: Duration = .seconds(120), parallelism: Int = 8,
        printsResult: Bool = false, limits: RunLimits = RunLimits()
    ) async throws -> Int32 {
        try await run(
            named: source.name, { _ in source }, arguments: arguments, target: target, ledger: store, output: output,
            cleanup: cleanup, cleanupTimeout: cleanupTimeout, parallelism: parallelism, printsResult: printsResult,
            limits: limits)
    }

    /// The same, for a program made from the library (`gpus pods list` is generated from its
    /// declarations); `name` is the recipe's name in the run ledger.
    static func run(
        named name: String, _ makeSource: (Library) throws -> SourceFile, arguments: [String], target: Target,
        ledger store: any LedgerStore, output: OutputOptions, cleanup: Bool = false,
        cleanupTimeout: Duration = .seconds(120), parallelism: Int = 8, printsResult: Bool = false,
        showsSource: Bool = true, limits: RunLimits = RunLimits()
    ) async throws -> Int32 {
        let library = Library.core()
        let session = try CloudTarget.session(
            target, trace: output.trace, recipe: name, arguments: arguments, ledger: store)
        session.register(into: library)
        let source = try makeSource(library)
        let hook = CloudWaitHook(session: session, progress: output.waitProgress)
        session.progress = output.waitProgress
        var runner = ScriptRunner(library: library, colour: output.colour, waitHook: hook)
        runner.parallelism = parallelism
        runner.json = output.json
        runner.printsResult = printsResult
        runner.showsSource = showsSource
        let token = CancellationToken()
        let trap = SignalTrap(first: { _ in token.cancel() }) { number in
            abandon(session, signal: number, output: output)
        }
        defer { trap.cancel() }
        // Standard output's reader went away (`gpus recipe | head -1`): stop, through the defers.
        let brokenPipe = Atomic<Bool>(false)
        StandardStream.onBrokenPipe {
            brokenPipe.store(true, ordering: .relaxed)
            token.cancel()
        }
        // Limits: recorded with the run (the keeper's, should this process die) before anything is
        // created, and watched while it runs.
        let limitReached = Atomic<Bool>(false)
        await session.limit(
            duration: limits.duration, cost: limits.cost, fromCommandLine: true, durationLabel: limits.durationLabel)
        let watchdog = Task {
            if let why = await session.watchLimits() {
                limitReached.store(true, ordering: .relaxed)
                output.note("\(why): stopping it (its defers run, then what it created is deleted)", always: true)
                token.cancel()
            }
        }
        var status = await runner.run(source, arguments: arguments, token: token)
        watchdog.cancel()
        if limitReached.load(ordering: .relaxed), trap.exitStatus == nil {
            status = ScriptRunner.Status.limitReached.rawValue
        } else if let signalled = trap.exitStatus {
            status = signalled
        } else if brokenPipe.load(ordering: .relaxed) {
            status = 128 + SIGPIPE
        }
        // Past its deadline nothing the run made may bill (but what it keeps): it cleans up as with --cleanup.
        if cleanup || limitReached.load(ordering: .relaxed) {
            let report = await session.cleanup(stopTimeout: cleanupTimeout)
            if output.json {
                for item in report.items { output.structured(["cleanup": item.json]) }
            } else {
                for line in report.lines { output.note(line) }
            }
            if !report.remaining.isEmpty, status == 0 { status = ScriptRunner.Status.cleanupIncomplete.rawValue }
            // A first signal during cleanup lets it finish, and is the run's end: 130/143/129, not 0.
            if let signalled = trap.exitStatus { status = signalled }
        }
        if status != 0 { remind(session, output: output) }
        await session.ledger.end(exitCode: status)
        return status
    }

    /// After a failed run: what it created that still bills, and the command that deletes it.
    static func remind(_ session: CloudSession, output: OutputOptions) {
        let live = session.ledger.live
        guard !live.isEmpty else { return }
        if output.json {
            let resources: [Value] = live.map { entry in
                .map(
                    MapBox([
                        ("kind", .string(entry.kind.rawValue)), ("name", .string(entry.name)),
                        ("id", entry.resourceID.map { .string($0) } ?? .null),
                    ]))
            }
            output.structured(
                ["live": .list(ListBox(resources)), "clean": .string("gpus runs clean \(session.ledger.run.id)")],
                always: true)
            return
        }
        output.note(
            "still live from this run: "
                + live.map { "\($0.kind.rawValue) \($0.name) (\($0.resourceID ?? "id unknown"))" }.joined(
                    separator: ", ")
                + "; delete with: gpus runs clean \(session.ledger.run.id)", always: true)
    }

    /// A second signal during cleanup: say what is left, record the run's end, and exit at once.
    static func abandon(_ session: CloudSession, signal number: Int32, output: OutputOptions) {
        output.note("cleanup stopped by a second signal", always: true)
        remind(session, output: output)
        let done = DispatchSemaphore(value: 0)
        Task {
            await session.ledger.end(exitCode: 128 + number)
            done.signal()
        }
        _ = done.wait(timeout: .now() + 1)
        Foundation.exit(128 + number)
    }
}

extension GPUS {
    /// `gpus` alone: the REPL against `target`.
    static func repl(
        target: Target, ledger store: any LedgerStore, output: OutputOptions, limits: RunLimits = RunLimits()
    ) async throws -> Int32 {
        let library = Library.core()
        let session = try CloudTarget.session(target, trace: output.trace, recipe: "<repl>", ledger: store)
        session.register(into: library)
        session.progress = output.waitProgress
        // A session's limits (--max-duration, --max-cost, a profile's max_duration, limits()): past
        // one, the session ends as on SIGTERM — the entry running is cancelled, the deferred
        // statements run — then what it created is deleted, and gpus exits 5.
        await session.limit(
            duration: limits.duration, cost: limits.cost, fromCommandLine: true, durationLabel: limits.durationLabel)
        let watchdog = Task {
            if let why = await session.watchLimits() {
                output.note(
                    "\(why): ending the session (its defers run, then what it created is deleted)", always: true)
                Interrupts.endSession(Interrupts.limitReached)
            }
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

/// `gpus completion bash|zsh|fish`: the shell completion script.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            Examples:
              source <(gpus completion bash)                               (in ~/.bashrc)
              gpus completion zsh > "${fpath[1]}/_gpus"
              gpus completion fish > ~/.config/fish/completions/gpus.fish
            """)

    @Argument(help: "bash, zsh or fish.") var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("unknown shell '\(shell)': bash, zsh or fish")
        }
        print(GPUS.completionScript(for: kind))
    }
}
