import Foundation
import Runs

/// Where the run ledger is: `GPUS_LEDGER` (a SQLite file's path), else
/// `$XDG_STATE_HOME/gpus/ledger.sqlite`.
enum LedgerLocation {
    static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["GPUS_LEDGER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? SQLiteLedger.defaultPath(environment: environment)
    }

    /// The ledger, opened now (`gpus runs`).
    static func open(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any LedgerStore {
        try SQLiteLedger(path: path(environment: environment))
    }

    /// The ledger, opened when a run first needs it.
    static func lazy(environment: [String: String] = ProcessInfo.processInfo.environment) -> any LedgerStore {
        let path = path(environment: environment)
        return LazyLedgerStore(location: path) { try SQLiteLedger(path: path) }
    }
}
