import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Runs
import Settings
import Synchronization
import Terminal

/// A namespace of the cloud library as a command group: `gpus pods list`, `gpus vms create --name a
/// … --wait`, `gpus pods delete w1` — a built-in called as a command (see `OneLiner`). One concrete
/// command type per namespace of `CloudSession.namespaceNames` (generic command types cost the
/// argument parser milliseconds of metadata work at every start); a file named like one runs as `./pods`.
protocol NamespaceCommand: AsyncParsableCommand {
    static var namespace: String { get }
    var arguments: NamespaceArguments { get }
}

struct CredentialsCommand: NamespaceCommand {
    static let namespace = "credentials"
    @OptionGroup var arguments: NamespaceArguments
}

struct EndpointsCommand: NamespaceCommand {
    static let namespace = "endpoints"
    @OptionGroup var arguments: NamespaceArguments
}

struct GPUsCommand: NamespaceCommand {
    static let namespace = "gpus"
    @OptionGroup var arguments: NamespaceArguments
}

struct PodsCommand: NamespaceCommand {
    static let namespace = "pods"
    @OptionGroup var arguments: NamespaceArguments
}

struct VMsCommand: NamespaceCommand {
    static let namespace = "vms"
    @OptionGroup var arguments: NamespaceArguments
}

struct VolumesCommand: NamespaceCommand {
    static let namespace = "volumes"
    @OptionGroup var arguments: NamespaceArguments
}

/// The options and words of a namespace command.
struct NamespaceArguments: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, wide, json, yaml
    }

    @Option(
        name: .customShort("o"),
        help: "How to print the result: table (the default), wide (every plain field, not cut), json or yaml.")
    var format: Format = .table

    @Option(help: ArgumentHelp("The table's columns, e.g. id,name,status (fields of the result).", valueName: "A,B"))
    var columns: String?

    @Flag(
        help:
            "After a create, wait until the resource is ready (running; a volume active); after stop, start, pause or resume, until it is in that state."
    )
    var wait = false

    @Option(
        help: ArgumentHelp(
            "How long --wait may wait (90s, 10m, 1h30m; default 30m), then exit 3.", valueName: "DURATION"))
    var timeout: String?

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Ledger") var ledger: LedgerOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    @Argument(
        parsing: .allUnrecognized, help: "COMMAND [VALUES…] [--flag VALUE…]",
        completion: .custom { words, index, prefix in
            OneLinerCompletion.blocking(words: words, index: index, prefix: prefix)
        })
    var words: [String] = []
}

extension NamespaceCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: namespace,
            abstract: "'\(namespace)' built-ins as commands ('gpus \(namespace) help' lists them).",
            discussion: """
                Examples:
                  gpus pods list
                  gpus pods list --status running -o json
                  gpus vms create --name a --vm-type-id 101 --region us-east-1 --wait
                  gpus vms terminate a                 (by name, or by id)
                  gpus endpoints scale web --workers 3
                """,
            // '--help' is the namespace's or the command's help, generated from the declarations.
            helpNames: [])
    }

    func run() async throws {
        var output = arguments.output
        if arguments.format == .json { output.json = true }
        let target = try arguments.target.resolve()
        output.announce(target)
        let store = try await arguments.ledger.store(for: target)
        let (namespace, words, wait, json) = (Self.namespace, arguments.words, arguments.wait, output.json)
        let timeout = arguments.timeout
        // `--columns`: fields of the result's kind, checked against the declarations before running.
        var columns: [String]?
        if let text = arguments.columns {
            guard arguments.format == .table, !output.json else {
                StandardStream.error.write(
                    "gpus: --columns chooses a table's columns: not with -o \(arguments.format.rawValue) or --json\n")
                throw ExitCode(ScriptRunner.Status.usage.rawValue)
            }
            let library = try Stack.declarations().library
            do {
                columns = try OutputFormat.columns(
                    text, kind: OneLiner.resultKind(namespace: namespace, words: words, library: library),
                    library: library)
            } catch {
                StandardStream.error.write("gpus: \(error.message)\n")
                throw ExitCode(ScriptRunner.Status.usage.rawValue)
            }
        }
        let render: (@Sendable (Value) -> String)? =
            switch arguments.format {
            case .yaml: { OutputFormat.yaml($0) }
            case .wide: { OutputFormat.table($0, columns: nil) }
            case .table where columns != nil: { [columns] in OutputFormat.table($0, columns: columns) }
            default: nil
            }
        let status = try await RunCommand.run(
            named: (["gpus", namespace] + words.prefix(1)).joined(separator: " "),
            { library in
                do {
                    let call = try OneLiner.translate(
                        namespace: namespace, words: words, wait: wait, timeout: timeout, json: json, library: library)
                    return call.script
                } catch OneLiner.Problem.help(let text) {
                    // Broken at spaces to the terminal's width (not when piped: grep sees whole lines).
                    StandardStream.output.write(TextWrap.wrap(text, width: TerminalOutput.columns(of: 1) ?? 0) + "\n")
                    throw ExitCode.success
                } catch OneLiner.Problem.usage(let text) {
                    StandardStream.error.write("gpus: \(text)\n")
                    throw ExitCode(ScriptRunner.Status.usage.rawValue)
                }
            }, arguments: [], target: target, ledger: store, output: output, printsResult: true, showsSource: false,
            emptyNote: words.first != "list"
                ? "none" : words.contains("--all") ? "no \(namespace)" : "no live \(namespace)",
            render: render)
        if status != 0 { throw ExitCode(status) }
    }
}

/// What TAB offers after `gpus NAMESPACE`: its commands, a command's flags, the values a flag takes
/// (GPU types, regions, statuses), and the ids and names of live resources where a command takes one
/// (fetched from the default target, for at most two seconds).
enum OneLinerCompletion {
    /// The candidates, for the argument parser's synchronous completion hook (the process does
    /// nothing else meanwhile). The namespace is the first word that names one.
    static func blocking(words: [String], index: Int, prefix: String) -> [String] {
        guard let namespace = words.dropFirst().first(where: CloudSession.namespaceNames.contains) else { return [] }
        let result = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let found = await candidates(namespace: namespace, words: words, index: index, prefix: prefix)
            result.withLock { $0 = found }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }

    static func candidates(namespace: String, words: [String], index: Int, prefix: String) async -> [String] {
        guard let start = words.firstIndex(of: namespace), index > start else { return [] }
        guard let target = try? TargetOptions.parse([]).resolve(),
            let stack = try? Stack.running(
                target, recipe: "completion", ledger: LazyLedgerStore(location: "none") { throw CancellationError() },
                recorded: false)
        else { return [] }
        let (library, session) = (stack.library, stack.session)
        let functions = library.namespaces[namespace] ?? [:]
        let kind = OneLiner.kind(of: namespace, library: library)
        let methods = kind.flatMap { library.methods[$0] } ?? [:]
        let matching = { (candidates: [String]) in candidates.filter { $0.hasPrefix(prefix) }.sorted() }
        let extra = namespace == "endpoints" ? ["logs"] : []
        if index == start + 1 { return matching(Array(functions.keys) + Array(methods.keys) + extra + ["help"]) }
        let command = words[start + 1]
        let values = CompletionValues(client: session.client)
        if namespace == "endpoints", command == "logs" {
            guard index == start + 2 else { return matching(["--worker", "--follow"]) }
            await refresh(values)
            return matching(values.values(for: "name", kind: kind) + values.values(for: "id", kind: kind))
        }
        guard let builtin = functions[command] ?? methods[command] else { return [] }
        let previous = words[index - 1]
        if previous.hasPrefix("--") {
            let parameter = OneLiner.camelCase(String(previous.dropFirst(2)))
            if parameter == "status", let kind {
                // The kind's status words, in the language's lower case (as the REPL offers them).
                return matching((library.statuses[kind] ?? []).map { $0.lowercased() })
            }
            if ["id", "name", "region", "regions"].contains(parameter) { await refresh(values) }
            return matching(values.values(for: parameter, kind: kind))
        }
        if prefix.hasPrefix("-") {
            return matching(
                builtin.parameters.map { "--" + OneLiner.kebabCase($0.name) } + [
                    "--wait", "--timeout", "-o", "--columns", "--json",
                ])
        }
        // The first value of a method (or of get): a live resource's id or name.
        if index == start + 2, methods[command] != nil || command == "get" {
            await refresh(values)
            return matching(values.values(for: "name", kind: kind) + values.values(for: "id", kind: kind))
        }
        return []
    }

    /// Fetches live resources, giving up after two seconds (a TAB must not hang;
    /// `GPUS_COMPLETION_TIMEOUT` changes it, in seconds).
    static func refresh(_ values: CompletionValues) async {
        let seconds = ProcessInfo.processInfo.environment["GPUS_COMPLETION_TIMEOUT"].flatMap(Double.init) ?? 2
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await values.refresh() }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// `gpus costs`: what is live and billing, and its total per hour (the same as the program
/// `gpus.costs()`, with the total).
struct CostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs", abstract: "The live VMs, pods and endpoints, what each costs per hour, and the total.",
        discussion: """
            Prices: a pod's card price times its cards (nothing while paused), a VM's offer price \
            (gpus.offers()) times its cards, an endpoint's price per worker times its running workers. \
            Storage is not priced by the API and not counted.

            Examples:
              gpus costs
              gpus costs --json            {"perHour": 5.37, "resources": [...]}
            """)

    @OptionGroup(title: "Target") var target: TargetOptions
    @OptionGroup(title: "Ledger") var ledger: LedgerOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    static let program = """
        let live = gpus.costs()
        let total = round(live.filter(c -> c.perHour != null).map(c -> c.perHour).sum(), 4)
        """

    func run() async throws {
        let target = try target.resolve()
        output.announce(target)
        let store = try await ledger.store(for: target)
        let code =
            output.json
            ? Self.program + "\nlet result = {perHour: total, resources: live}\nresult"
            : Self.program + """

                if len(live) == 0 {
                  print("nothing live is billing GPU time")
                } else {
                  print(live)
                  let plural = "s"
                  if len(live) == 1 { plural = "" }
                  print("total: $" + str(round(total, 2)) + "/h for " + str(len(live)) + " resource" + plural)
                }
                """
        let status = try await RunCommand.run(
            named: "gpus costs", { _ in .text(SourceFile(name: "gpus costs", text: code)) }, arguments: [],
            target: target,
            ledger: store, output: output, printsResult: true, showsSource: false)
        if status != 0 { throw ExitCode(status) }
    }
}
