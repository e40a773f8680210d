import Foundation
import Runs

/// Where the run ledger is: `GPUS_LEDGER` (a SQLite file's path), else
/// `$XDG_STATE_HOME/gpus/ledger.sqlite`.
enum LedgerLocation {
    static func open(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any LedgerStore {
        let path =
            environment["GPUS_LEDGER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? SQLiteLedger.defaultPath(environment: environment)
        return try SQLiteLedger(path: path)
    }
}
