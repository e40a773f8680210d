import ArgumentParser
import Foundation

/// `gpus mcp`: declared here (its help, its options, completion), served by the `gpus-mcp` program
/// beside the `gpus` binary, which this command becomes (`execv`: the same process, its stdin,
/// stdout and signals). The server is a program of its own because the MCP SDK links
/// FoundationNetworking — libcurl and some twenty libraries that every start of `gpus` loaded.
package struct MCPCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve gpus to an AI agent: a Model Context Protocol server on stdin/stdout.",
        discussion: """
            The session is a run of the ledger: what the agent creates is recorded, and deleted when \
            the client disconnects (or a limit is reached, or on SIGINT/SIGTERM/SIGHUP) — its defers \
            first — unless created with keep: true. If the server itself is killed, the run is an \
            orphan that 'gpus runs clean --orphans' (or gpus keeper, past a limit) deletes. \
            docs/mcp.md has the tools and the configuration of common clients.

            Examples:
              gpus mcp                               the sandbox (no key set)
              gpus mcp --profile prod --max-cost 20  a real cloud; at most $20 spent
              gpus mcp --read-only                   tools that change nothing
            """)

    @OptionGroup package var options: MCPOptions

    package init() {}

    package func run() async throws {
        // The words after `mcp`, global options moved after it as every subcommand takes them.
        let words = GPUS.rewrite(Array(CommandLine.arguments.dropFirst()))
        let arguments = Array(words.drop { $0 != "mcp" }.dropFirst())
        let server = Self.serverPath
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw ValidationError(
                "gpus mcp needs the gpus-mcp program beside gpus (\(server)); 'swift build' builds both")
        }
        let argv = [server] + arguments
        var pointers = argv.map { strdup($0) }
        pointers.append(nil)
        execv(server, pointers)
        throw ValidationError("cannot start \(server): \(String(cString: strerror(errno)))")
    }

    /// `gpus-mcp` in the directory of the running `gpus`.
    static var serverPath: String {
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("gpus-mcp").path
    }
}

/// What `gpus mcp` takes: the server's one option, and the target, ledger and limits of every command.
package struct MCPOptions: ParsableArguments {
    @Flag(
        name: .customLong("read-only"),
        help: "Offer only tools that change nothing; eval may read but not send a create, change or delete.")
    package var readOnly = false

    @OptionGroup(title: "Target") package var target: TargetOptions
    @OptionGroup(title: "Ledger") package var ledger: LedgerOptions
    @OptionGroup(title: "Limits") package var limits: LimitOptions

    package init() {}
}
