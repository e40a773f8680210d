import ArgumentParser

/// The `gpus` command. The language, the REPL and the sandbox commands join it in later steps.
@main
struct GPUS: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Rent and script GPUs on the Yotta Labs cloud.",
        discussion: """
            gpus is a client for the Yotta v2 API, a small scripting language with a REPL, and a local \
            simulation of the Yotta cloud. This build contains the API client library; the language and \
            the sandbox are being built (see docs/architecture.md).
            """,
        version: version
    )

    func run() async throws {
        print(Self.helpMessage())
    }
}
