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

/// `gpus run FILE [args…]`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a .gpus program ('gpus FILE' is short for 'gpus run FILE').",
        discussion: """
            Options go before FILE; everything after it is the program's 'args'.

            Examples:
              gpus run recipe.gpus us-east-1           ('args' is ["us-east-1"])
              gpus run --cleanup --json fleet.gpus     (then delete what it made; JSON)
            """)

    /// The options only `gpus run` takes (not -e or the REPL), for the message that says whose they are.
    static let optionNames = ["--cleanup", "--cleanup-timeout", "--parallelism", "--plan-first", "--yes"]

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

    func validate() throws {
        guard parallelism >= 1 else { throw ValidationError("--parallelism takes 1 or more (got \(parallelism))") }
        guard cleanupTimeout.isFinite, cleanupTimeout >= 0 else {
            throw ValidationError("--cleanup-timeout takes seconds, 0 or more (got \(cleanupTimeout))")
        }
    }

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
            named: source.name, { _ in .text(source) }, arguments: arguments, target: target, ledger: store,
            output: output,
            cleanup: cleanup, cleanupTimeout: cleanupTimeout, parallelism: parallelism, printsResult: printsResult,
            limits: limits)
    }

    /// The same, for a program made from the library (`gpus pods list` is built from its
    /// declarations); `name` is the recipe's name in the run ledger.
    static func run(
        named name: String, _ makeScript: (Library) throws -> ScriptRunner.Script, arguments: [String], target: Target,
        ledger store: any LedgerStore, output: OutputOptions, cleanup: Bool = false,
        cleanupTimeout: Duration = .seconds(120), parallelism: Int = 8, printsResult: Bool = false,
        showsSource: Bool = true, limits: RunLimits = RunLimits(), emptyNote: String? = nil,
        render: (@Sendable (Value) -> String)? = nil
    ) async throws -> Int32 {
        let stack = try Stack.running(target, recipe: name, arguments: arguments, ledger: store, output: output)
        let (library, session) = (stack.library, stack.session)
        let script = try makeScript(library)
        let hook = CloudWaitHook(session: session, progress: output.waitProgress)
        var runner = ScriptRunner(library: library, colour: output.colour, waitHook: hook)
        runner.parallelism = parallelism
        runner.json = output.json
        runner.printsResult = printsResult
        runner.showsSource = showsSource
        runner.emptyNote = emptyNote
        runner.render = render
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
        let limitReached = Atomic<Bool>(false)
        let watchdog = await stack.watch(limits) { why in
            limitReached.store(true, ordering: .relaxed)
            output.note("\(why): stopping it (its defers run, then what it created is deleted)", always: true)
            token.cancel()
        }
        var status = await runner.run(script, arguments: arguments, token: token)
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
