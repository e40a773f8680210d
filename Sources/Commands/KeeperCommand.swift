import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Synchronization
import Terminal

/// `gpus keeper [--once]`: deletes what runs left that must not bill, from the ledger, without the
/// runs' processes (docs/keeper.md).
struct KeeperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keeper",
        abstract: "Delete what runs left that must not bill: crashed runs' resources, what passed its ttl or deadline.",
        discussion: """
            Reads the run ledger (a team's PostgreSQL ledger, or this machine's SQLite file) every \
            --interval seconds and deletes, with the same cleanup as 'gpus runs clean', a resource \
            recorded there when:
              - its run crashed: its process is gone (this host), or its heartbeat is
                older than --grace (another host: a laptop asleep, a lost machine);
                resources created with keep: true stay;
              - its ttl passed (ttl: on the create), whatever became of its run;
              - its run passed its deadline (--max-duration) or, once it has ended,
                its cost limit (--max-cost), unless created with keep: true.

            A run still alive gets 60 s past a ttl or deadline to do it itself.

            It never deletes a resource the ledger does not tie to a run (nothing made outside gpus, \
            nothing a colleague made by hand), never a resource of another target (the same --sandbox, \
            --api-url or --profile as the runs used), and never on a guess: a create whose answer was \
            lost is resolved as 'gpus runs clean' does, or left for the next pass. Every deletion is \
            written to the ledger with who and why ('gpus runs show RUN'), and logged, a line each \
            (JSON with --json). When the API or the ledger is down it says so and tries again, backing \
            off up to 5 minutes. On PostgreSQL, any number of keepers may run: one pass at a time holds \
            the ledger's lock, so no resource is deleted twice. SIGTERM or Ctrl-C ends it after the \
            pass in progress.

            Examples:
              gpus keeper                                 every 10 s, until stopped
              gpus keeper --once                          one pass (cron, a CronJob)
              gpus keeper --ledger postgres://keeper@db/gpus --profile prod --json
            """)

    @Flag(help: "One pass, then exit (0: nothing left to delete; 4: something could not be deleted).")
    var once = false

    @Option(help: ArgumentHelp("Seconds between passes.", valueName: "SECONDS"))
    var interval: Double = 10

    @Option(
        help: ArgumentHelp(
            "How old a run's heartbeat on another host must be before it counts as crashed.", valueName: "SECONDS"))
    var grace: Double = 180

    @Flag(help: "Log each action as one JSON document.") var json = false
    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Ledger") var ledger: LedgerOptions

    func validate() throws {
        guard interval >= 1, interval <= 86_400 else { throw ValidationError("--interval is 1 to 86400 seconds") }
        guard grace >= 0, grace <= 86_400 * 7 else { throw ValidationError("--grace is 0 to 604800 seconds") }
    }

    func run() async throws {
        let resolved = try target.resolve()
        let store = try await ledger.store(for: resolved)
        let session = try CloudTarget.session(resolved, recipe: "keeper", recorded: false, ledger: store)
        let stopping = Atomic<Bool>(false)
        let trap = SignalTrap(first: { _ in stopping.store(true, ordering: .relaxed) }) { number in
            Foundation.exit(128 + number)
        }
        defer { trap.cancel() }
        let keeper = Keeper(session: session, store: store, grace: grace, log: log)
        if !once { log("keeper: watching \(store.location) for \(session.target), every \(Int(interval)) s", [:]) }
        var failures = 0
        while true {
            var left = 0
            do {
                left = try await keeper.pass()
                failures = 0
            } catch {
                failures += 1
                log("keeper: pass failed, nothing deleted on a guess: \(error)", ["error": "\(error)"])
            }
            if once { throw ExitCode(failures > 0 ? 1 : left > 0 ? ScriptRunner.Status.cleanupIncomplete.rawValue : 0) }
            let pause = failures == 0 ? interval : min(interval * pow(2, Double(min(failures, 10))), 300)
            if failures > 0 { log("keeper: trying again in \(Int(pause)) s", ["retryIn": "\(Int(pause))"]) }
            var waited = 0.0
            while waited < pause, !stopping.load(ordering: .relaxed) {
                try? await Task.sleep(for: .milliseconds(200))
                waited += 0.2
            }
            if stopping.load(ordering: .relaxed) {
                log("keeper: stopping (signal)", [:])
                return
            }
        }
    }

    /// A line on stderr, or one JSON document with --json.
    func log(_ text: String, _ fields: [String: String]) {
        guard json else { return StandardStream.error.write(text + "\n") }
        var document = fields
        document["time"] = ISO8601DateFormatter().string(from: Date())
        document["message"] = text
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return }
        StandardStream.error.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}

/// One keeper: what it deletes and why (`pass`).
struct Keeper: Sendable {
    let session: CloudSession
    let store: any LedgerStore
    /// Seconds a run on another host may go without a heartbeat before it counts as crashed.
    let grace: Double
    let log: @Sendable (String, [String: String]) -> Void
    /// A live run gets this long past a ttl or its deadline to delete the resources itself.
    static let liveRunMargin: TimeInterval = 60

    /// One pass under the ledger's keeper lock: reads the runs with live entries (an index: the
    /// cost follows what is live, not the history), chooses, deletes. Returns how many chosen
    /// resources are still there.
    func pass(now: Date = Date()) async throws -> Int {
        let here = session.ledger.run.target
        return try await store.withLock(LockKey(target: here, kind: .vm, name: "\u{1}gpus keeper")) {
            let runs = try await store.runs(.withLive).filter { $0.target == here }
            guard !runs.isEmpty else { return 0 }
            let live = Dictionary(grouping: try await store.entries(.live(runs.map(\.id))), by: \.run)
            // What the runs with a cost limit have spent (their deleted resources count too).
            let limited = runs.filter { $0.maxCost != nil }.map(\.id)
            let spent = Dictionary(
                grouping: limited.isEmpty ? [] : try await store.entries(.runs(limited)), by: \.run
            ).mapValues { $0.reduce(0) { $0 + $1.cost(at: now) } }
            var chosen: [LedgerEntry] = []
            var reasons: [Int64: String] = [:]
            for run in runs {
                for entry in live[run.id] ?? [] where entry.isLive {
                    guard let why = reason(entry, of: run, spent: spent[run.id] ?? 0, now: now) else { continue }
                    chosen.append(entry)
                    reasons[entry.seq] = why
                }
            }
            guard !chosen.isEmpty else { return 0 }
            let report = await session.cleanup(chosen, reasons: reasons)
            for item in report.items {
                let why = reasons[item.entry.seq] ?? ""
                log(
                    "keeper: \(item.line) — run \(item.entry.run): \(why)",
                    [
                        "run": item.entry.run, "kind": item.entry.kind.rawValue, "name": item.entry.name,
                        "id": item.entry.resourceID ?? "", "outcome": item.line, "why": why,
                    ])
            }
            return report.remaining.count
        }
    }

    /// Why the keeper deletes this entry now, or nil to leave it.
    func reason(_ entry: LedgerEntry, of run: RunInfo, spent: Double = 0, now: Date) -> String? {
        let alive = Self.isAlive(run, now: now, grace: grace)
        let margin = alive ? Self.liveRunMargin : 0
        if let expiry = entry.expiresAt, now.timeIntervalSince(expiry) >= margin {
            return "its ttl passed at \(CloudSession.clock(expiry))"
        }
        guard !entry.keep else { return nil }
        if let deadline = run.deadline, now.timeIntervalSince(deadline) >= margin {
            return "its run passed its deadline (--max-duration) at \(CloudSession.clock(deadline))"
        }
        // A live run stops itself at its cost limit; what an ended or dead one left is the keeper's.
        if let limit = run.maxCost, spent >= limit, !alive {
            return String(format: "its run passed its cost limit ($%.2f spent of $%.2f)", spent, limit)
        }
        if run.endedAt == nil, !alive {
            return run.host == RunProcess.host
                ? "its run crashed (pid \(run.pid) is gone)"
                : "its run crashed (no heartbeat from \(run.host) for \(Int(now.timeIntervalSince(run.heartbeatAt))) s)"
        }
        return nil
    }

    /// Whether the run's process still runs: on this host its pid; elsewhere a heartbeat within `grace`.
    static func isAlive(_ run: RunInfo, now: Date, grace: Double) -> Bool {
        guard run.endedAt == nil else { return false }
        if run.host == RunProcess.host { return RunProcess.isAlive(run) }
        return now.timeIntervalSince(run.heartbeatAt) <= max(grace, run.heartbeatSeconds * RunInfo.missedHeartbeats)
    }
}
