import ArgumentParser
import Foundation
import Logging

/// The `gpus` command. The language, the REPL and the sandbox commands join it in later steps.
@main
struct GPUS: AsyncParsableCommand {
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Rent and script GPUs on the Yotta Labs cloud.",
        discussion: """
            gpus is a client for the Yotta v2 API, a small scripting language with a REPL, and a local \
            simulation of the Yotta cloud. This build contains the API client library; the language and \
            the sandbox are being built (see docs/architecture.md).
            """,
        version: version,
        subcommands: [SandboxCommand.self]
    )

    func run() async throws {
        print(Self.helpMessage())
    }
}
