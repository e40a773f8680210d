import ArgumentParser
import Console
import Foundation
import Language
import Runs
import Settings
import Terminal

/// `--ledger URL|PATH`: which run ledger a command records to and reads.
package struct LedgerOptions: ParsableArguments {
    package init() {}

    @Option(
        name: .customLong("ledger"),
        help: ArgumentHelp(
            "The run ledger: postgres://user@host[:port]/database (shared by a team), or a SQLite file (default: $GPUS_LEDGER, a profile's 'ledger', else $XDG_STATE_HOME/gpus/ledger.sqlite).",
            valueName: "URL"))
    var ledger: String?

    /// The ledger for `target`: a team ledger is connected now (a usage error naming the server,
    /// its password masked, when it cannot be); the local file is opened on first use.
    package func store(for target: Target?) async throws -> any LedgerStore {
        do {
            return try await LedgerLocation.store(flag: ledger, profile: target?.profile)
        } catch {
            StandardStream.error.write("gpus: \(error)\n")
            throw ExitCode(ScriptRunner.Status.usage.rawValue)
        }
    }
}

/// Where the run ledger is, first match wins: `--ledger`, `GPUS_LEDGER`, the profile's `ledger`,
/// else `$XDG_STATE_HOME/gpus/ledger.sqlite`.
enum LedgerLocation {
    static func store(
        flag: String?, profile: ConfigFile.Profile?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> any LedgerStore {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let chosen = flag ?? variable("GPUS_LEDGER") ?? profile?.ledger
        guard let chosen, PostgresAddress.isURL(chosen) else {
            let path = chosen ?? SQLiteLedger.defaultPath(environment: environment)
            return LazyLedgerStore(location: path) { try SQLiteLedger(path: path) }
        }
        var password = variable("PGPASSWORD")
        if let name = profile?.ledgerPasswordEnvironmentVariable, chosen == profile?.ledger {
            guard let value = variable(name) else {
                throw LedgerError(
                    "profile '\(profile?.name ?? "")' takes the ledger's password from $\(name), which is not set")
            }
            password = value
        }
        let address = try PostgresAddress(url: chosen, password: password)
        do {
            return try await PostgresLedger.connect(address)
        } catch let error as LedgerError {
            throw LedgerError("cannot use the team ledger: \(error.message)")
        }
    }
}
