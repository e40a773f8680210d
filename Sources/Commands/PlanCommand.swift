import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Sandbox
import Settings
import Synchronization
import Terminal
import YottaAPI

/// `gpus plan FILE [args…]`: what a recipe would create, change and delete, and what it would cost.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a program would create, change and delete, and its cost, without doing it.",
        discussion: """
            The program runs against a private sandbox in memory that starts as a copy of the target's \
            live resources (read with list calls only: nothing is ever created, changed or deleted on \
            the target — its transport refuses it). So 'ensure' finds what exists and names resolve as \
            they will. Waits pass in simulated time: a recipe that waits 20 minutes plans in about a \
            second. The plan lists each resource with its $/h, the total, and the waits.

            What a plan cannot know: whether the cloud has capacity when the run creates, the ids it \
            will give, and how long things really take; a branch on such a value may go another way.

            Exit code 0 when the plan ran, 2 when the program would fail (its error is shown as a real \
            run shows it).

            Examples:
              gpus plan recipe.gpus
              gpus plan --json fleet.gpus 8        ('args' is ["8"])
              gpus run --plan-first recipe.gpus    (the plan, then y/N, then the run)
            """)

    @OptionGroup(title: "Target") var target: TargetOptions

    @Flag(help: "The plan as one JSON document on stdout.")
    var json = false

    @Argument(help: "The program to plan.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the program (its 'args').")
    var arguments: [String] = []

    func run() async throws {
        let source = try SourceFile.program(file)
        let target = try target.resolve()
        let plan = try await Planner.planOrExit(source, arguments: arguments, target: target)
        print(json ? plan.json : plan.text(colour: OutputOptions.colour(json: false)), terminator: "")
        if plan.status != 0 { throw ExitCode(Planner.fails) }
    }
}

/// What a plan found: the resources the program would make, find, change and delete, its waits,
/// and how it ended.
package struct PlanReport: Sendable {
    struct Row: Sendable {
        enum Action: String, Sendable {
            case create, exists, change, delete
        }

        var action: Action
        var kind: String
        var name: String
        var id: String?
        var perHour: Double?
        var note: String
    }

    var recipe: String
    var target: String
    var rows: [Row] = []
    var waits: [(condition: String, seconds: Double)] = []
    var output: [String] = []
    /// The program's exit status in the simulation.
    var status: Int32 = 0
    var simulated: Duration = .zero
    var took: Duration = .zero
    /// Live resources of the target the plan started from.
    var existing = 0
    /// Where a branch (`if`, `while`) reads what the cloud returns (line, column): the real run may
    /// go another way there.
    var cloudBranches: [(line: Int, column: Int)] = []

    /// $/h of what the program creates, all at once (the most the run bills while it runs).
    var whileRunning: Double { rows.filter { $0.action == .create }.compactMap(\.perHour).reduce(0, +) }
    /// $/h of what it creates and leaves behind.
    var afterwards: Double {
        rows.filter { $0.action == .create && !$0.note.hasPrefix("deleted") }.compactMap(\.perHour).reduce(0, +)
    }
    /// $/h of what was there and it deletes.
    var deleted: Double { rows.filter { $0.action == .delete }.compactMap(\.perHour).reduce(0, +) }

    static func money(_ value: Double) -> String { String(format: "$%.2f/h", value) }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(whole % 60 == 0 ? "" : "\(whole % 60)s")" }
        return "\(whole / 3600)h\((whole % 3600) / 60 == 0 ? "" : "\((whole % 3600) / 60)m")"
    }

    package func text(colour: Bool) -> String {
        var lines = [
            "gpus plan: \(recipe) on \(target): \(existing) live resource(s) read, nothing changed there"
        ]
        if rows.isEmpty { lines.append("  no resource is created, changed or deleted") }
        let symbol: [Row.Action: String] = [.create: "+", .exists: "=", .change: "~", .delete: "-"]
        let kindWidth = max(4, rows.map(\.kind.count).max() ?? 0)
        let nameWidth = min(28, max(4, rows.map(\.name.count).max() ?? 0))
        for row in rows {
            let price = row.perHour.map { Self.money($0) } ?? "—"
            let name = row.name.count > nameWidth ? String(row.name.prefix(nameWidth - 1)) + "…" : row.name
            var line =
                "  \(symbol[row.action] ?? " ") \(row.action.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) "
                + row.kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0) + "  "
                + name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + price.padding(toLength: 10, withPad: " ", startingAt: 0)
            if !row.note.isEmpty { line += "  " + row.note }
            lines.append(line)
        }
        for wait in waits {
            lines.append("  ⧗ wait    until \(wait.condition)  ~\(Self.duration(wait.seconds))")
        }
        lines.append(
            "  cost: \(Self.money(whileRunning)) while it runs; \(Self.money(afterwards)) of it still bills after it ends"
        )
        if deleted > 0 { lines.append("  it deletes \(Self.money(deleted)) of what was there") }
        if !cloudBranches.isEmpty {
            let places = cloudBranches.prefix(8).map { "\($0.line):\($0.column)" }.joined(separator: ", ")
            lines.append(
                "  ? branches on what the cloud returns at \(places)\(cloudBranches.count > 8 ? ", …" : ""): "
                    + "the real run may go another way there")
        }
        if status != 0 {
            lines.append("  the program would fail (exit \(status)): its error is above")
        } else {
            lines.append(
                "  simulated \(Self.duration(Double(simulated.components.seconds))) in \(String(format: "%.1f", Double(took.components.attoseconds) / 1e18 + Double(took.components.seconds))) s; a plan cannot know capacity, ids or real durations"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    package var json: String {
        func rows(_ action: Row.Action) -> Value {
            .list(
                ListBox(
                    self.rows.filter { $0.action == action }.map { row in
                        .map(
                            MapBox([
                                ("kind", .string(row.kind)), ("name", .string(row.name)),
                                ("id", row.id.map { .string($0) } ?? .null),
                                ("perHour", row.perHour.map { .float($0) } ?? .null), ("note", .string(row.note)),
                            ]))
                    }))
        }
        let document: Value = .map(
            MapBox([
                ("recipe", .string(recipe)), ("target", .string(target)),
                ("fails", .bool(status != 0)), ("exitCode", .int(Int64(status))),
                ("creates", rows(.create)), ("exists", rows(.exists)), ("changes", rows(.change)),
                ("deletes", rows(.delete)),
                (
                    "waits",
                    .list(
                        ListBox(
                            waits.map {
                                .map(MapBox([("condition", .string($0.condition)), ("seconds", .float($0.seconds))]))
                            }))
                ),
                ("perHourWhileRunning", .float(whileRunning)), ("perHourAfterwards", .float(afterwards)),
                ("perHourDeleted", .float(deleted)),
                ("copiedResources", .int(Int64(existing))),
                (
                    "cloudBranches",
                    .list(
                        ListBox(
                            cloudBranches.map {
                                .map(MapBox([("line", .int(Int64($0.line))), ("column", .int(Int64($0.column)))]))
                            }))
                ), ("output", .list(ListBox(output.map { .string($0) }))),
            ]))
        return JSONBridge.line(document) + "\n"
    }
}

/// Runs a program against a private copy of a target, in simulated time, and reports what it did.
package enum Planner {
    /// The exit code of a plan whose program would fail.
    static let fails: Int32 = 2

    /// The plan, or — when the target cannot be read — its one line on stderr and exit 2; a plan
    /// interrupted (Ctrl-C, SIGTERM) is no verdict on the program: it says so and exits 130.
    static func planOrExit(_ source: SourceFile, arguments: [String], target: Target) async throws -> PlanReport {
        let report: PlanReport
        do {
            report = try await plan(source, arguments: arguments, target: target)
        } catch let failure as PlanFailure {
            StandardStream.error.write(failure.description + "\n")
            throw ExitCode(fails)
        }
        if report.status == ScriptRunner.Status.interrupted.rawValue {
            StandardStream.error.write("gpus plan: interrupted; nothing was changed on the target\n")
            throw ExitCode(ScriptRunner.Status.interrupted.rawValue)
        }
        return report
    }

    package static func plan(_ source: SourceFile, arguments: [String], target: Target) async throws -> PlanReport {
        let started = ContinuousClock.now
        var report = PlanReport(recipe: source.name, target: target.label)
        // 1. The target's live resources, through a transport that only reads.
        let reader = try Stack.running(
            target, recipe: "plan", ledger: SQLiteLedger(path: ":memory:"), recorded: false,
            transport: { ReadOnlyTransport($0) }
        ).session
        let live: CloudResources
        do {
            live = try await reader.liveResources()
        } catch let error as RuntimeError {
            throw PlanFailure("gpus plan: cannot read the target (\(target.label)): \(error.message)")
        }
        report.existing = live.count
        var names: [String: (kind: String, name: String)] = [:]
        for vm in live.vms { names[vm.id.rawValue] = ("VM", vm.name ?? "") }
        for pod in live.pods { names[pod.id.rawValue] = ("Pod", pod.name ?? "") }
        for endpoint in live.endpoints { names[endpoint.id.rawValue] = ("Endpoint", endpoint.name ?? "") }
        for volume in live.volumes { names[volume.id.rawValue] = ("Volume", volume.name ?? "") }
        for credential in live.credentials { names[credential.id.rawValue] = ("Credential", credential.name) }

        // 2. A private sandbox in memory, in simulated time, holding the copy. Its webhooks reach nothing.
        let clock = VirtualClock()
        var settings = try EmbeddedSandbox.Settings(environment: [:])
        settings.statePath = ":memory:"
        settings.options = SandboxOptions(speed: 1)
        let sandbox = EmbeddedSandbox(
            settings: settings, webhooks: ReadOnlyTransport(LazyHTTPClientTransport()), clock: PlanClock(clock: clock))
        try sandbox.service().store.mirror(live, now: clock.wallMillis())
        let recorder = RecordingTransport(sandbox)
        let ledger = RunLedger(
            store: try SQLiteLedger(path: ":memory:"), recipe: source.name, arguments: arguments, target: "plan")
        let session = CloudSession(
            client: YottaClient(
                configuration: try ClientConfiguration(baseURL: "http://localhost", apiKey: nil), transport: recorder),
            target: "plan of \(target.summary)", label: "plan", ledger: ledger)
        session.sleep = { try await clock.sleep(for: $0) }
        // What exists is priced by its own records (pods, endpoints) and, for VMs, by the private
        // sandbox's offers: the target gets GETs only.
        let prices = await session.perHour(of: live)
        let found = Mutex<[PlanReport.Row]>([])
        session.onEnsureFound = { kind, name, id, differences in
            found.withLock {
                $0.append(
                    PlanReport.Row(
                        action: .exists, kind: kind.rawValue, name: name, id: id, perHour: prices[id] ?? nil,
                        note: differences.isEmpty
                            ? "ensure finds it" : "differs: " + differences.joined(separator: "; ")))
            }
        }

        // 3. The program, as a run would go, its output kept.
        let library = Stack(over: session).library
        let waits = WaitRecorder(CloudWaitHook(session: session))
        let output = Mutex<[String]>([])
        var runner = ScriptRunner(
            library: library, colour: OutputOptions.colour(json: false), clock: clock, waitHook: waits)
        runner.output = { line in output.withLock { $0.append(line) } }
        report.status = await runner.run(source, arguments: arguments)
        report.simulated = clock.now()
        report.output = output.withLock { $0 }
        report.waits = waits.waits

        // 4. What it did: creates from its ledger; what it found; what it changed or deleted of what was there.
        var created: Set<String> = []
        for entry in ledger.entries {
            guard let id = entry.resourceID else { continue }
            created.insert(id)
            report.rows.append(
                PlanReport.Row(
                    action: .create, kind: entry.kind.rawValue, name: entry.name, id: nil, perHour: entry.pricePerHour,
                    note: entry.deletedAt != nil ? "deleted by the program" : entry.keep ? "kept" : "left running"))
        }
        report.rows += found.withLock { $0 }
        for exchange in recorder.exchanges where exchange.request.method != .get {
            guard let response = exchange.response, (200..<300).contains(response.status),
                let (operation, parameters) = APIOperation.matching(exchange.request.method, exchange.request.path),
                let id = parameters["id"], !created.contains(id), let existing = names[id]
            else { continue }
            let deletes: Set<APIOperation> = [
                .terminateVM, .deletePod, .deleteEndpoint, .deleteVolume, .deleteCredential,
            ]
            if deletes.contains(operation) {
                report.rows.append(
                    PlanReport.Row(
                        action: .delete, kind: existing.kind, name: existing.name, id: id, perHour: prices[id] ?? nil,
                        note: "was there before the program"))
            } else if operation != .submitTask {
                report.rows.append(
                    PlanReport.Row(
                        action: .change, kind: existing.kind, name: existing.name, id: id, perHour: nil,
                        note: operation.rawValue))
            }
        }
        report.cloudBranches = CloudBranches.find(in: source).map { source.location(of: $0.start) }
        report.took = ContinuousClock.now - started
        return report
    }
}

/// A plan that could not start (the target could not be read): one line, exit 2.
struct PlanFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The sandbox's clock, following the plan's simulated time.
struct PlanClock: SandboxClock {
    let clock: VirtualClock
    func nowMillis() -> Int64 { clock.wallMillis() }
}

/// The waits a program did, with how long each took in simulated time.
final class WaitRecorder: WaitHook, Sendable {
    let wrapped: any WaitHook
    private let log = Mutex<[UInt64: (condition: String, seconds: Double)]>([:])
    private let order = Mutex<[UInt64]>([])

    init(_ wrapped: any WaitHook) { self.wrapped = wrapped }

    func refresh(_ check: WaitCheck) async throws -> WaitRefresh {
        let seconds = Double(check.elapsed.components.seconds) + Double(check.elapsed.components.attoseconds) / 1e18
        log.withLock { $0[check.wait] = (check.condition, seconds) }
        order.withLock { if !$0.contains(check.wait) { $0.append(check.wait) } }
        return try await wrapped.refresh(check)
    }

    func ended(wait: UInt64) { wrapped.ended(wait: wait) }

    var waits: [(condition: String, seconds: Double)] {
        let log = log.withLock { $0 }
        return order.withLock { $0 }.compactMap { log[$0] }
    }
}

extension SourceFile {
    /// A program's file, read for running, planning or checking; one that cannot be read is a
    /// usage error (exit 64) with one line.
    package static func program(_ path: String) throws -> SourceFile {
        do {
            return try SourceFile.read(file: path)
        } catch {
            StandardStream.error.write("gpus: \(error)\n")
            throw ExitCode(ScriptRunner.Status.usage.rawValue)
        }
    }
}
