import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Logging
import Runs
import Settings
import Synchronization
import Terminal

/// The `gpus` command: the REPL, programs (`gpus FILE`, `gpus -e CODE`, `gpus run FILE`), checks,
/// configuration, completion scripts and the sandbox.
package struct GPUS: AsyncParsableCommand {
    package static let version = "0.1.0"

    package static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Rent and script GPUs on the Yotta Labs cloud.",
        discussion: """
            gpus is a client for the Yotta v2 API, a small scripting language, and a local simulation \
            of the Yotta cloud. With no arguments it starts the REPL.

            Target (first match wins): --sandbox or --api-url URL; --profile NAME or GPUS_PROFILE; \
            YOTTA_API_KEY (with YOTTA_BASE_URL); else the embedded sandbox.

            Examples:
              gpus                             the REPL (the sandbox when no key is set)
              gpus recipe.gpus arg1 arg2       run a program (its 'args': arg1, arg2)
              gpus -e 'vms.list()'             run code, print its result
              gpus -e 'print(args)' a b        code with arguments (its 'args': a, b)
              gpus --json -e 'vms.types()'     the same, as JSON
              gpus --profile prod recipe.gpus  run on the cloud of profile prod
              gpus pods list                   a built-in as a command (gpus pods help)
              gpus vms terminate a             a method, on the VM named (or id) a
              gpus costs                       what is live, per hour and in total
              gpus check examples/*.gpus       find mistakes without running anything
              gpus runs                        what each run left live
              gpus runs clean --orphans        delete what crashed runs left
              gpus config set prod.api_key -   store a key (from stdin) in 'prod'
              gpus sandbox serve               the simulated cloud on 127.0.0.1:8787
              gpus mcp                         serve gpus to an AI agent (MCP, stdio)

            Options of the REPL, -e and run (before FILE; also before a subcommand, as in \
            'gpus --json run f.gpus'):
              -e CODE           run CODE and print its final result
              --sandbox         the embedded sandbox, whatever the environment says
              --api-url URL     the API at URL (key from --profile or YOTTA_API_KEY)
              --profile NAME    a profile of the config file (see 'gpus config --help')
              --json            values and the final result as JSON lines; errors as
                                JSON on stderr
              -q, --quiet       only the program's output and errors
              --trace           each HTTP request and response with timing on stderr,
                                the key masked
              -v, --verbose     say which target is live and why

            Exit codes: 0 success, 1 runtime error, 2 API error, 3 wait timeout, 4 cleanup left \
            something, 64 usage, 65 syntax or check errors, 128+N a signal (130 Ctrl-C, 143 SIGTERM, \
            129 SIGHUP); 'exit N' in a program wins.
            """,
        version: version,
        subcommands: [
            RunCommand.self, RunsCommand.self, CheckCommand.self, PlanCommand.self, ConfigCommand.self,
            CompletionCommand.self,
            SandboxCommand.self, CostsCommand.self, KeeperCommand.self, MCPCommand.self,
            REPLCommand.self, CredentialsCommand.self, EndpointsCommand.self, GPUsCommand.self, PodsCommand.self,
            VMsCommand.self, VolumesCommand.self,
        ]
    )

    package init() {}

    /// What `gpus` does (its `main.swift` calls it): parses the command line and runs the command.
    package static func start() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        TerminalWidth.update()
        if let mistake = mistypedCommand(Array(CommandLine.arguments.dropFirst())) {
            StandardStream.error.write("gpus: \(mistake)\n")
            exit(withError: ExitCode(ScriptRunner.Status.usage.rawValue))
        }
        let arguments = rewrite(Array(CommandLine.arguments.dropFirst()))
        // `gpus FILE` and `gpus -e CODE`, the commands people time, parse only their own command:
        // parsing as the root builds every subcommand's arguments first, and each type the parser
        // inspects costs a scan of the binary's protocol conformances (a quarter of startup).
        // A mistake in them is parsed again as the root's, for messages that say `gpus run`.
        var fast: (any AsyncParsableCommand)?
        switch arguments.first {
        case "run": fast = try? RunCommand.parse(Array(arguments.dropFirst()))
        case "repl": fast = try? REPLCommand.parse(Array(arguments.dropFirst()))
        default: break
        }
        do {
            if var command = fast {
                try await command.run()
                return
            }
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// `gpus [options] FILE args…` is `gpus run [options] FILE args…`; `gpus [options]` alone (or
    /// with `-e CODE`) is the hidden `gpus repl [options]`. The options are declared once, on those
    /// two commands.
    ///
    /// Options written before a subcommand, at any depth, are passed to the subcommand the words
    /// name (`gpus --json runs show RUN` is `gpus runs show --json RUN`, `gpus --sandbox runs clean
    /// --orphans` is `gpus runs clean --sandbox --orphans`), as gh, kubectl and aws take them; and
    /// `gpus -e CODE args…` gives CODE its `args`.
    package static func rewrite(_ arguments: [String]) -> [String] {
        var index = 0
        var hasCode = false
        var options: [String] = []
        var path: [String] = []
        var command: any ParsableCommand.Type = GPUS.self
        while index < arguments.count {
            let argument = arguments[index]
            // `---completion` is the shell completion script asking for candidates.
            if ["--help", "-h", "--version", "--", "---completion", "--experimental-dump-help"].contains(argument) {
                return path.isEmpty ? arguments : path + options + arguments[index...]
            }
            if argument.hasPrefix("-") {
                if argument == "-e" { hasCode = true }
                let width = optionsWithValues.contains(argument) ? 2 : 1
                options += arguments[index..<min(arguments.count, index + width)]
                index += width
                continue
            }
            // `gpus help runs show`: argument-parser's own; `gpus help pods create` is `gpus pods create
            // --help`, the command's own help (a namespace's commands are generated, not parsed).
            if argument == "help", path.isEmpty, !hasCode {
                let rest = Array(arguments[(index + 1)...])
                if let namespace = rest.first, CloudSession.namespaceNames.contains(namespace) {
                    return rest + options + ["--help"]
                }
                return [argument] + options + rest
            }
            // After -e CODE, words are the code's args (`gpus -e 'print(args)' run` prints ["run"]).
            if !hasCode, let subcommand = Self.subcommand(argument, of: command) {
                path.append(argument)
                command = subcommand
                index += 1
                continue
            }
            break
        }
        let rest = Array(arguments[index...])
        if path.isEmpty { return [hasCode || rest.isEmpty ? "repl" : "run"] + options + rest }
        return path + options + rest
    }

    /// `gpus pod list`: a first word that is neither a command nor a file, but close to a command,
    /// is a typo of the command (gh and kubectl say so) rather than a program that cannot be read.
    static func mistypedCommand(_ arguments: [String]) -> String? {
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-") {
            if ["-e", "--help", "-h", "--version", "--"].contains(arguments[index]) { return nil }
            index += optionsWithValues.contains(arguments[index]) ? 2 : 1
        }
        guard index < arguments.count else { return nil }
        let word = arguments[index]
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(word), !word.contains("/"), !word.contains("."),
            !FileManager.default.fileExists(atPath: word), let meant = suggestion(for: word, among: names)
        else { return nil }
        return "'\(word)' is not a command or a file; did you mean 'gpus \(meant)'? (gpus --help lists the commands)"
    }

    /// The subcommand of `command` that `name` names.
    static func subcommand(_ name: String, of command: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { $0.configuration.commandName == name }
    }

    static let optionsWithValues: Set<String> = [
        "-e", "-o", "--api-url", "--profile", "--parallelism", "--cleanup-timeout", "--ledger", "--max-duration",
        "--max-cost", "--timeout", "--columns", "--limit", "--older-than", "--interval", "--grace",
    ]
}
