import Foundation
import Language
import Runs
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
                    kind: "argument")
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
