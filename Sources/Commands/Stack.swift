import CloudLibrary
import Foundation
import Language
import Runs
import Settings
import YottaAPI

/// The one place gpus assembles what runs a program: the core and cloud libraries, bound to a
/// cloud session on a target — a run of a ledger — with the run's limits recorded and watched.
/// Every command that runs, checks, plans or completes a program builds its stack here
/// (docs/architecture.md: "One way through").
package struct Stack {
    package let library: Library
    package let session: CloudSession

    /// The libraries over `session` (a plan's session on its private sandbox is made by the plan).
    init(over session: CloudSession) {
        library = Library.core()
        self.session = session
        session.register(into: library)
    }

    /// A stack that runs programs against `target`, as a run of `ledger` named `recipe` (or, with
    /// `recorded: false`, a session that records deletions only).
    package static func running(
        _ target: Target, recipe: String, arguments: [String] = [], ledger: any LedgerStore, recorded: Bool = true,
        output: OutputOptions? = nil, transport: (any HTTPTransport) -> any HTTPTransport = { $0 }
    ) throws -> Stack {
        let session = try CloudTarget.session(
            target, trace: output?.trace ?? false, recipe: recipe, arguments: arguments, recorded: recorded,
            ledger: ledger, transport: transport)
        if let output { session.progress = output.waitProgress }
        return Stack(over: session)
    }

    /// The built-ins' declarations only (`gpus check`, shell completion): nothing is started and
    /// nothing is sent.
    static func declarations() throws -> Stack {
        try running(
            Target(kind: .embeddedSandbox, origin: "declarations", label: "sandbox"), recipe: "check",
            ledger: SQLiteLedger(path: ":memory:"), recorded: false)
    }

    /// Records the run's limits (`--max-duration`, `--max-cost`, a profile's `max_duration`) before
    /// anything is created — the keeper's, should this process die — and watches them while it
    /// runs: `reached` is told why, once. Cancel the task when the run ends.
    package func watch(_ limits: RunLimits, reached: @escaping @Sendable (String) -> Void) async -> Task<Void, Never> {
        await session.limit(
            duration: limits.duration, cost: limits.cost, fromCommandLine: true, durationLabel: limits.durationLabel)
        let session = session
        return Task {
            if let why = await session.watchLimits() { reached(why) }
        }
    }
}
