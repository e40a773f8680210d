import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Settings
import Terminal

/// `--sandbox`, `--api-url URL`, `--profile NAME`: which cloud to talk to.
package struct TargetOptions: ParsableArguments {
    package init() {}

    @Flag(help: "Use the embedded sandbox, whatever the environment and the config file say.")
    var sandbox = false

    @Option(
        name: .customLong("api-url"),
        help: ArgumentHelp(
            "Talk to the API at URL (its key from --profile or YOTTA_API_KEY).", valueName: "URL"))
    var apiURL: String?

    @Option(help: ArgumentHelp("Use profile NAME of the config file (default: $GPUS_PROFILE).", valueName: "NAME"))
    var profile: String?

    /// The target, or a usage error naming what is wrong.
    package func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Target {
        do {
            return try Target.resolve(
                Target.Request(sandbox: sandbox, apiURL: apiURL, profile: profile), environment: environment
            ) { () throws(ConfigFile.Failure) in
                try ConfigFile.load(path: ConfigFile.defaultPath(environment: environment))
            }
        } catch {
            StandardStream.error.write("gpus: \(error.message)\n")
            throw ExitCode(ScriptRunner.Status.usage.rawValue)
        }
    }
}

/// `--json`, `--quiet`, `--trace`, `--verbose`: what is shown and how.
package struct OutputOptions: ParsableArguments {
    package init() {}

    @Flag(help: "Print each printed value and the final result as JSON, one per line; errors as JSON on stderr.")
    var json = false

    @Flag(name: [.short, .long], help: "No banner, no progress line, no notes: only the program's output and errors.")
    var quiet = false

    @Flag(help: "Show each HTTP request and response, with timing, on stderr (the key masked).")
    var trace = false

    @Flag(name: [.short, .long], help: "Say which target is live and why, on stderr, before running.")
    var verbose = false

    /// Colour on stderr and in results: only on a terminal, never with NO_COLOR or --json.
    var colour: Bool { Self.colour(json: json) }

    static func colour(json: Bool) -> Bool {
        !json && isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// How waits show progress: a status line on a terminal, a line every 15 s off one (CI logs);
    /// nothing with --quiet or --json.
    var waitProgress: CloudWaitHook.Progress { CloudWaitHook.progress(quiet: quiet || json, terminal: isatty(2) == 1) }

    /// A note on stderr (`gpus: …`, or with --json `{"note": "…"}`); unless `always`, not with --quiet.
    func note(_ text: String, always: Bool = false) {
        guard !quiet || always else { return }
        guard !json else { return structured(["note": .string(text)], always: always) }
        TerminalOutput.write("gpus: \(text)\n", to: .error)
    }

    /// With --json: one JSON document on stderr (notes a program's reader can parse).
    func structured(_ document: [String: Value], always: Bool = false) {
        guard !quiet || always else { return }
        let line = JSONBridge.line(.map(MapBox(document.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        TerminalOutput.write(line + "\n", to: .error)
    }

    func announce(_ target: Target) {
        if verbose { note("target: \(target.summary)") }
    }

    func announce(ledger: any LedgerStore) {
        if verbose { note("ledger: \(ledger.location)") }
    }
}

/// `--max-duration DURATION`: a run's limit (docs/runs.md, "Limits and the keeper").
package struct LimitOptions: ParsableArguments {
    package init() {}

    @Option(
        name: .customLong("max-duration"),
        help: ArgumentHelp(
            "End the run when it has run this long (30m, 8h, 1h30m): its defers run, then --cleanup; exit code 5. "
                + "Recorded in the ledger: past it, gpus keeper deletes what the run left.",
            valueName: "DURATION"))
    var maxDuration: String?

    @Option(
        name: .customLong("max-cost"),
        help: ArgumentHelp(
            "End the run when what it created has cost this many dollars (price × time live), as --max-duration "
                + "does; a create that would pass it is refused before it is sent.",
            valueName: "USD"))
    var maxCost: Double?

    package func validate() throws {
        if let maxDuration, DurationText.seconds(maxDuration).map({ $0 > 0 }) != true {
            throw ValidationError("--max-duration takes a duration above 0: 30m, 8h, 1h30m (got '\(maxDuration)')")
        }
        if let maxCost, !(maxCost > 0 && maxCost < 1e9) {
            throw ValidationError("--max-cost takes dollars above 0, e.g. 40 or 2.5 (got \(maxCost))")
        }
    }

    var isEmpty: Bool { maxDuration == nil && maxCost == nil }

    /// The limits, the profile's `max_duration` where --max-duration is not given.
    package func limits(for target: Target) -> RunLimits {
        let duration = maxDuration ?? target.profile?.maxDuration
        return RunLimits(
            duration: duration.flatMap(DurationText.seconds).map { .milliseconds(Int64($0 * 1000)) }, cost: maxCost,
            durationLabel: maxDuration == nil ? target.profile.map { "max_duration of profile \($0.name)" } : nil)
    }
}

/// What bounds a run (its command-line flags; a recipe's `limits()` may add to them).
package struct RunLimits: Sendable {
    var duration: Duration?
    var cost: Double?
    /// Where the duration came from, when not --max-duration.
    var durationLabel: String?
}
