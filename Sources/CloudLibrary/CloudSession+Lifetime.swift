import Foundation
import Language
import Runs
import Terminal
import YottaAPI

/// What a create asks of its resource's life beyond the API's fields: `ttl: 2h` (past it, its run
/// or the keeper deletes it) and `keep: true` (`--cleanup` leaves it). Recorded with the intent.
struct Lifetime: Sendable {
    var ttl: Duration?
    var keep = false

    init() {}

    init(_ arguments: AsyncArguments) throws {
        if arguments.value("ttl") != nil {
            let ttl = try arguments.duration("ttl")
            guard ttl > .zero else {
                throw arguments.failure(
                    "bad argument 'ttl' to '\(arguments.name)' (a duration above 0 expected, e.g. 2h)",
                    kind: .argument)
            }
            self.ttl = ttl
        }
        keep = try arguments.optionalBool("keep") ?? false
    }
}

extension CloudSession {
    /// While the run lives, deletes what it made that passed its ttl, checking every second (from
    /// the first create with a ttl). A delete refused now (a volume still mounted) is tried again at
    /// the next check. Once the run is gone, `gpus keeper` does this.
    func watchExpiries() {
        let first = expiryWatch.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        Task.detached { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let now = Date()
                for entry in self.ledger.live {
                    guard let expiry = entry.expiresAt, expiry <= now, let id = entry.resourceID else { continue }
                    let why = "its ttl passed at \(Self.clock(expiry))"
                    if (try? await self.remove(entry.kind, ResourceID(id), stopTimeout: .seconds(120), why: why)) != nil
                    {
                        TerminalOutput.write(
                            "gpus: deleted \(entry.kind.rawValue) \(entry.name) (\(id)): \(why)\n", to: .error)
                    }
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// A run's limits and where each came from, for messages (`--max-duration 8h`, `limits(cost: 40)`),
/// and whether the command line set them (then a recipe's `limits()` does not change them).
struct LimitLabels: Sendable {
    var duration: String?
    var cost: String?
    var durationFromCommandLine = false
    var costFromCommandLine = false
}

extension CloudSession {
    /// Sets the run's limits, recorded in the ledger with the run. The command line's (and a
    /// profile's) win: a recipe's `limits()` sets only what they did not.
    public func limit(duration: Duration?, cost: Double?, fromCommandLine: Bool, durationLabel: String? = nil) async {
        let now = Date()
        let (deadline, maxCost) = limitLabels.withLock { labels -> (Date?, Double?) in
            var deadline = ledger.deadline
            var maxCost = ledger.maxCost
            if let duration, fromCommandLine || !labels.durationFromCommandLine {
                deadline = now.addingTimeInterval(Double(duration / .milliseconds(1)) / 1000)
                let text = Printer.duration(duration)
                labels.duration =
                    fromCommandLine
                    ? durationLabel.map { "\($0) (\(text))" } ?? "--max-duration \(text)"
                    : "limits(duration: \(text))"
                labels.durationFromCommandLine = fromCommandLine
            }
            if let cost, fromCommandLine || !labels.costFromCommandLine {
                maxCost = cost
                labels.cost =
                    fromCommandLine
                    ? String(format: "--max-cost $%.2f", cost) : String(format: "limits(cost: $%.2f)", cost)
                labels.costFromCommandLine = fromCommandLine
            }
            return (deadline, maxCost)
        }
        guard deadline != ledger.deadline || maxCost != ledger.maxCost else { return }
        await ledger.limit(deadline: deadline, maxCost: maxCost)
    }

    /// Watches the run's limits while it runs (from the ledger's copy: `limits()` may set them
    /// later): returns why the run must stop — its deadline passed, or what it created has cost its
    /// limit — or nil when cancelled. Checked every second (sooner before a deadline).
    public func watchLimits() async -> String? {
        while !Task.isCancelled {
            let now = Date()
            let labels = limitLabels.withLock { $0 }
            if let deadline = ledger.deadline, now >= deadline {
                return "the run reached \(labels.duration ?? "its deadline") at \(Self.clock(deadline))"
            }
            if let limit = ledger.maxCost {
                let spent = ledger.entries.reduce(0) { $0 + $1.cost(at: now) }
                if spent >= limit {
                    return "the run reached \(labels.cost ?? "its cost limit")"
                        + String(format: " ($%.2f spent)", spent)
                }
            }
            let pause = ledger.deadline.map { min(1, max(0.02, $0.timeIntervalSince(now))) } ?? 1
            try? await Task.sleep(for: .milliseconds(Int64(pause * 1000)))
        }
        return nil
    }

    /// `limits(duration:, cost:)`: the recipe's own limits.
    var limitFunctions: [Builtin] {
        [
            op(
                "limits",
                "Bounds the run: past `duration` or once what it created has cost `cost` dollars, it stops as with --max-duration (defers, then its resources are deleted; exit 5). Write it first; the command line's --max-duration and --max-cost win.",
                [
                    .optional("duration", .duration, "how long the run may take, e.g. 8h"),
                    .optional("cost", .number, "the most, in dollars, what the run creates may cost"),
                ]
            ) { session, arguments in
                let duration = try arguments.value("duration") == nil ? nil : arguments.duration("duration")
                let cost = try arguments.value("cost") == nil ? nil : arguments.double("cost")
                if let duration, duration <= .zero {
                    throw arguments.failure("bad argument 'duration' to 'limits' (a duration above 0 expected)")
                }
                if let cost, !(cost > 0) {
                    throw arguments.failure("bad argument 'cost' to 'limits' (dollars above 0 expected)")
                }
                await session.limit(duration: duration, cost: cost, fromCommandLine: false)
                return .null
            }
        ]
    }
}
