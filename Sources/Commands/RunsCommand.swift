import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Settings
import Terminal
import YottaAPI

/// `gpus runs`, `gpus runs show RUN`, `gpus runs clean RUN…|--orphans`: the run ledger.
package struct RunsCommand: AsyncParsableCommand {
    package init() {}

    package static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs and what they left; delete what crashed or failed runs left.",
        discussion: """
            Every program, -e and REPL session is a run, recorded in the ledger \
            ($XDG_STATE_HOME/gpus/ledger.sqlite, or GPUS_LEDGER) before it creates anything. A run is \
            running, finished (exit 0), failed (another exit code) or crashed (its process is gone \
            without having ended: kill -9, a crash, a lost machine). What a crashed or failed run left \
            live is an orphan. See docs/runs.md.

            Examples:
              gpus runs                         every run, newest first
              gpus runs show 20261201-150312-a7f3c2d1
              gpus runs clean 20261201-150312   delete what it left (a unique prefix)
              gpus runs clean --orphans         delete what crashed or failed runs left
              gpus runs --live                  every run that left something live
              gpus runs prune --older-than 90d  forget old runs that left nothing
            """,
        subcommands: [List.self, Show.self, Clean.self, Prune.self], defaultSubcommand: List.self)

    /// The ledger the options name (a profile's team ledger when `--profile` names one).
    static func store(_ ledger: LedgerOptions, _ target: TargetOptions) async throws -> any LedgerStore {
        try await ledger.store(for: try target.resolve())
    }

    static func fail(_ message: String) -> ExitCode {
        StandardStream.error.write("gpus runs: \(message)\n")
        return ExitCode(ScriptRunner.Status.usage.rawValue)
    }

    /// A mistake in the runs named (no such run, an ambiguous prefix): `gpus runs` says it and exits
    /// 64; `gpus mcp` returns it as the tool's error.
    package struct Failure: Error {
        package let message: String
    }

    /// `find`, for a command: a failure is said on stderr and exits 64.
    static func found(_ ids: [String], in store: any LedgerStore) async throws -> [Summary] {
        do {
            return try await find(ids, in: store)
        } catch let failure as Failure {
            throw fail(failure.message)
        }
    }

    /// A run with what it left: its state and its live entries.
    package struct Summary: Encodable {
        let run: RunInfo
        let state: RunState
        let live: [LedgerEntry]
        var pricePerHour: Double? {
            let prices = live.compactMap(\.pricePerHour)
            return prices.isEmpty ? nil : prices.reduce(0, +)
        }

        enum CodingKeys: String, CodingKey {
            case id, recipe, arguments, user, host, pid, target, startedAt, heartbeatAt, endedAt, exitCode, state
            case live, pricePerHour, deadline, maxCost
        }

        package func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(run.id, forKey: .id)
            try container.encode(run.recipe, forKey: .recipe)
            try container.encode(run.arguments, forKey: .arguments)
            try container.encode(run.user, forKey: .user)
            try container.encode(run.host, forKey: .host)
            try container.encode(run.pid, forKey: .pid)
            try container.encode(run.target, forKey: .target)
            try container.encode(run.startedAt, forKey: .startedAt)
            try container.encode(run.heartbeatAt, forKey: .heartbeatAt)
            try container.encodeIfPresent(run.endedAt, forKey: .endedAt)
            try container.encodeIfPresent(run.exitCode, forKey: .exitCode)
            try container.encode(state, forKey: .state)
            try container.encode(live.map(EntryJSON.init), forKey: .live)
            try container.encodeIfPresent(pricePerHour, forKey: .pricePerHour)
            try container.encodeIfPresent(run.deadline, forKey: .deadline)
            try container.encodeIfPresent(run.maxCost, forKey: .maxCost)
        }
    }

    /// An entry as JSON: what it is, and whether it still bills.
    struct EntryJSON: Encodable {
        let kind: String
        let name: String
        let id: String?
        let state: String
        let pricePerHour: Double?
        let spec: String
        let intendedAt: Date
        let expiresAt: Date?
        let keep: Bool
        let deletedBy: String?
        let deletedWhy: String?

        init(_ entry: LedgerEntry) {
            expiresAt = entry.expiresAt
            keep = entry.keep
            deletedBy = entry.deletedBy
            deletedWhy = entry.deletedWhy
            kind = entry.kind.rawValue
            name = entry.name
            id = entry.resourceID
            state = RunsCommand.state(of: entry)
            pricePerHour = entry.pricePerHour
            spec = entry.spec
            intendedAt = entry.intendedAt
        }
    }

    static func state(of entry: LedgerEntry) -> String {
        if entry.abandoned {
            guard let note = entry.note else { return "never created" }
            return note.hasPrefix("never") ? note : "never created (\(note))"
        }
        if entry.deletedAt != nil {
            return "deleted" + (entry.deletedBy.map { " by \($0)" } ?? "") + (entry.deletedWhy.map { ": \($0)" } ?? "")
        }
        guard entry.resourceID == nil else {
            var notes: [String] = []
            if entry.keep { notes.append("kept") }
            if let expiry = entry.expiresAt { notes.append("ttl until \(RunsCommand.time(expiry))") }
            return notes.isEmpty ? "live" : "live (\(notes.joined(separator: ", ")))"
        }
        return entry.note.map { "unresolved (\($0))" } ?? "unknown (create sent, no answer)"
    }

    /// Runs with their state and live entries, newest first: reading only the runs asked for and
    /// their live entries (indexed), so a long history does not slow it.
    package static func summaries(
        _ store: any LedgerStore, _ query: RunQuery = .newest(limit: nil)
    ) async throws -> [Summary] {
        let runs = try await store.runs(query)
        guard !runs.isEmpty else { return [] }
        let entries = Dictionary(grouping: try await store.entries(.live(runs.map(\.id))), by: \.run)
        return runs.map { run in
            Summary(run: run, state: run.state(), live: (entries[run.id] ?? []).filter(\.isLive))
        }
    }

    /// The runs named by ids or unique prefixes of ids.
    static func find(_ ids: [String], in store: any LedgerStore) async throws -> [Summary] {
        var found: [Summary] = []
        for id in ids {
            guard !id.isEmpty else { throw Failure(message: "an empty run id names no run (gpus runs lists them)") }
            if let exact = try await summaries(store, .ids([id])).first {
                found.append(exact)
                continue
            }
            let matches = try await store.runs(.prefix(id, limit: 11))
            guard matches.count == 1 else {
                throw Failure(
                    message: matches.isEmpty
                        ? "no run '\(id)' (gpus runs lists them)"
                        : "'\(id)' names \(matches.count > 10 ? "more than 10" : String(matches.count)) runs: "
                            + matches.prefix(10).map(\.id).joined(separator: ", ") + (matches.count > 10 ? ", …" : ""))
            }
            found += try await summaries(store, .ids([matches[0].id]))
        }
        return found
    }

    static func printJSON<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// "until 17:02 · $3.20 of $40.00": a run's deadline (its date too when not today) and spend.
    static func limits(_ run: RunInfo, spent: Double) -> String {
        var parts: [String] = []
        if let deadline = run.deadline {
            let text = time(deadline)
            let today = time(Date()).prefix(10)
            parts.append(
                "until " + (text.hasPrefix(today) ? String(text.dropFirst(11).prefix(5)) : String(text.prefix(16))))
        }
        if let cost = run.maxCost { parts.append(String(format: "$%.2f of $%.2f", spent, cost)) }
        return parts.joined(separator: " · ")
    }

    static func price(_ value: Double?) -> String {
        value.map { String(format: "$%.2f/h", $0) } ?? ""
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every run, newest first: state, what it left live and its $/h.")

        @Flag(help: "One JSON array of runs on stdout.") var json = false
        @Flag(help: "Only runs that left something live (every one of them, however old).") var live = false
        @Option(help: "How many of the newest runs to show (default 50).") var limit: Int = 50
        @Flag(help: "Every run, however many.") var all = false
        @OptionGroup(title: "Ledger") var ledger: LedgerOptions
        @OptionGroup(title: "Target (--profile picks its ledger)") var target: TargetOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1 (got \(limit))") }
        }

        func run() async throws {
            let store = try await RunsCommand.store(ledger, target)
            let query: RunQuery = live ? .withLive : .newest(limit: all ? nil : limit + 1)
            var summaries = try await RunsCommand.summaries(store, query)
            var more = false
            if !live, !all, summaries.count > limit {
                summaries.removeLast(summaries.count - limit)
                more = true
            }
            if json {
                RunsCommand.printJSON(summaries)
                return
            }
            guard !summaries.isEmpty else {
                print("no runs recorded")
                return
            }
            let thisHost = RunProcess.host
            // Runs with limits show them, with what they have spent (read for those runs only: a
            // long history of runs without limits costs nothing more).
            let limited = summaries.filter { $0.run.deadline != nil || $0.run.maxCost != nil }.map(\.run.id)
            let spent = Dictionary(
                grouping: limited.isEmpty ? [] : try await store.entries(.runs(limited)), by: \.run
            ).mapValues { $0.reduce(0) { $0 + $1.cost() } }
            let rows = summaries.map { summary in
                [
                    summary.run.id, summary.run.recipe, RunsCommand.time(summary.run.startedAt),
                    summary.state.rawValue, summary.live.isEmpty ? "" : String(summary.live.count),
                    RunsCommand.price(summary.pricePerHour),
                    summary.run.host == thisHost ? summary.run.user : "\(summary.run.user)@\(summary.run.host)",
                ] + (limited.isEmpty ? [] : [RunsCommand.limits(summary.run, spent: spent[summary.run.id] ?? 0)])
            }
            let header =
                ["RUN", "RECIPE", "STARTED", "STATE", "LIVE", "$/H", "BY"] + (limited.isEmpty ? [] : ["LIMITS"])
            print(TextTable.render(header, rows))
            if more {
                StandardStream.error.write(
                    "gpus runs: the newest \(limit) runs shown; --limit N or --all for more, --live for every run "
                        + "that left something live\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One run: who, where, how it ended, and every resource it created.")

        @Argument(help: "The run's id (a unique prefix is enough).") var run: String
        @Flag(help: "The run as one JSON document, with every entry.") var json = false
        @OptionGroup(title: "Ledger") var ledger: LedgerOptions
        @OptionGroup(title: "Target (--profile picks its ledger)") var target: TargetOptions

        func run() async throws {
            let store = try await RunsCommand.store(ledger, target)
            let summary = try await RunsCommand.found([run], in: store)[0]
            let entries = try await store.entries(runs: [summary.run.id])
            if json {
                struct Shown: Encodable {
                    let run: Summary
                    let entries: [EntryJSON]
                    let spent: Double
                }
                RunsCommand.printJSON(
                    Shown(
                        run: summary, entries: entries.map(EntryJSON.init),
                        spent: (entries.reduce(0) { $0 + $1.cost() } * 10000).rounded() / 10000))
                return
            }
            let info = summary.run
            var lines = [
                ("run", info.id), ("recipe", ([info.recipe] + info.arguments).joined(separator: " ")),
                ("state", summary.state.rawValue + (info.exitCode.map { " (exit \($0))" } ?? "")),
                ("by", "\(info.user)@\(info.host), pid \(info.pid)"), ("target", info.target),
                ("started", RunsCommand.time(info.startedAt)),
            ]
            if let ended = info.endedAt { lines.append(("ended", RunsCommand.time(ended))) }
            if let deadline = info.deadline { lines.append(("deadline", RunsCommand.time(deadline))) }
            let spent = entries.reduce(0) { $0 + $1.cost() }
            if spent > 0 || info.maxCost != nil {
                lines.append(
                    (
                        "spent",
                        String(format: "$%.2f", spent) + (info.maxCost.map { String(format: " of $%.2f", $0) } ?? "")
                    ))
            }
            if let price = summary.pricePerHour { lines.append(("live $/h", RunsCommand.price(price))) }
            print(
                lines.map { "\($0.0.padding(toLength: 9, withPad: " ", startingAt: 0))  \(TextTable.escape($0.1))" }
                    .joined(separator: "\n"))
            guard !entries.isEmpty else { return }
            print("")
            print(
                TextTable.render(
                    ["KIND", "NAME", "ID", "STATE", "$/H"],
                    entries.map {
                        [
                            $0.kind.rawValue, $0.name, $0.resourceID ?? "", RunsCommand.state(of: $0),
                            RunsCommand.price($0.pricePerHour),
                        ]
                    }))
        }
    }

    struct Clean: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clean",
            abstract: "Delete what runs left live: endpoints, pods and VMs, then volumes and credentials.",
            discussion: """
                Cleans against the current target (the same --sandbox, --api-url or --profile as the run \
                used); runs recorded against another target are named and skipped. A running run is \
                not touched. Exit code 0 when nothing is left, 4 when something could not be deleted.
                """)

        @Argument(help: "Run ids (unique prefixes are enough).") var runs: [String] = []
        @Flag(help: "What every crashed or failed run left live (a finished run, such as -e, left it on purpose).")
        var orphans = false
        @Flag(help: "What was deleted, as one JSON document.") var json = false
        @OptionGroup(title: "Target") var target: TargetOptions
        @OptionGroup(title: "Ledger") var ledger: LedgerOptions

        func run() async throws {
            let resolved = try target.resolve()
            let store = try await ledger.store(for: resolved)
            let (report, skipped): (CleanupReport, [String])
            do {
                (report, skipped) = try await RunsCommand.clean(runs, orphans: orphans, target: resolved, store: store)
            } catch let failure as Failure {
                throw RunsCommand.fail(failure.message)
            }
            if json {
                struct Item: Encodable {
                    let run, kind, name: String
                    let id: String?
                    let outcome: String
                }
                struct Result: Encodable {
                    let items: [Item]
                    let skipped: [String]
                    let remaining: Int
                }
                RunsCommand.printJSON(
                    Result(
                        items: report.items.map {
                            Item(
                                run: $0.entry.run, kind: $0.entry.kind.rawValue, name: $0.entry.name,
                                id: $0.entry.resourceID, outcome: $0.line)
                        }, skipped: skipped, remaining: report.remaining.count))
            } else {
                for line in report.lines { print(TextTable.escape(line)) }
                for line in skipped { StandardStream.error.write("gpus runs: \(line)\n") }
                if report.items.isEmpty, skipped.isEmpty { print("nothing to clean") }
            }
            if !report.remaining.isEmpty || !skipped.isEmpty {
                throw ExitCode(ScriptRunner.Status.cleanupIncomplete.rawValue)
            }
        }
    }
}

extension RunsCommand {
    /// Deletes what the runs named (or, with `orphans`, every crashed or failed run) left live on
    /// `target`; returns the report and the runs skipped, each with why (still running, another
    /// target). `gpus runs clean` and `gpus mcp`'s `runs_clean`.
    package static func clean(
        _ runs: [String], orphans: Bool, target: Target, store: any LedgerStore
    ) async throws -> (CleanupReport, [String]) {
        guard orphans != !runs.isEmpty else { throw Failure(message: "name runs to clean, or --orphans (not both)") }
        let chosen =
            orphans
            ? try await summaries(store, .withLive).filter {
                ($0.state == .crashed || $0.state == .failed) && !$0.live.isEmpty
            }
            : try await find(runs, in: store)
        let session = try CloudTarget.session(target, recipe: "runs clean", recorded: false, ledger: store)
        let here = session.ledger.run.target
        var skipped: [String] = []
        var entries: [LedgerEntry] = []
        for summary in chosen {
            if summary.state == .running {
                skipped.append("\(summary.run.id) is still running (pid \(summary.run.pid) on \(summary.run.host))")
            } else if summary.run.target != here, !summary.live.isEmpty {
                skipped.append(
                    "\(summary.run.id) ran against \(summary.run.target): clean it with that target "
                        + "(--api-url, --profile or --sandbox)")
            } else {
                entries += summary.live
            }
        }
        return (await session.cleanup(entries), skipped)
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune", abstract: "Forget runs that ended long ago and left nothing live.",
            discussion: """
                The ledger keeps every run until it is pruned; 90 days is the retention this command \
                applies by default (run it from cron or a CI job). A run with anything live, or whose \
                create never answered, is never pruned, however old.

                Examples:
                  gpus runs prune                    forget what ended more than 90 days ago
                  gpus runs prune --older-than 7d
                """)

        @Option(help: "How old a run's end must be: 90d, 36h, 30m (default 90d).") var olderThan = "90d"
        @Flag(help: "What was forgotten, as JSON.") var json = false
        @OptionGroup(title: "Ledger") var ledger: LedgerOptions
        @OptionGroup(title: "Target (--profile picks its ledger)") var target: TargetOptions

        func validate() throws {
            guard DurationText.seconds(olderThan) != nil else {
                throw ValidationError("--older-than takes a number and a unit: 90d, 36h, 30m, 2w (got '\(olderThan)')")
            }
        }

        func run() async throws {
            let store = try await RunsCommand.store(ledger, target)
            let cutoff = Date().addingTimeInterval(-(DurationText.seconds(olderThan) ?? 0))
            let result = try await store.prune(endedBefore: cutoff)
            if json {
                struct Shown: Encodable {
                    let runs, entries: Int
                }
                RunsCommand.printJSON(Shown(runs: result.runs, entries: result.entries))
            } else {
                print("pruned \(result.runs) run(s) and \(result.entries) entr\(result.entries == 1 ? "y" : "ies")")
            }
        }
    }
}

/// Aligned columns for people, with control characters escaped (a name from the API or the
/// ledger can hold escapes that would drive the terminal).
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let cells = rows.map { $0.map(escape) }
        let widths = header.indices.map { column in
            ([header[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ row: [String]) -> String {
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + cells.map(line)).joined(separator: "\n")
    }

    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        return text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
    }
}
