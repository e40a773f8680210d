import ArgumentParser
import CloudLibrary
import Commands
import Console
import Foundation
import Language
import MCP
import Runs
import Settings
import Synchronization
import Terminal
import YottaAPI

/// The `gpus-mcp` executable that `gpus mcp` becomes: a Model Context Protocol server over stdio, for
/// AI agents. It is a program of its own because the MCP SDK links FoundationNetworking (libcurl and
/// some twenty libraries): in the `gpus` binary they were loaded by every start, `gpus -e 'print(1)'`
/// included (docs/architecture.md).
struct MCPServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpus mcp", abstract: MCPCommand.configuration.abstract,
        discussion: MCPCommand.configuration.discussion)

    @OptionGroup var options: MCPOptions

    /// Parses `arguments` (what followed `gpus mcp`) and serves; exits with the session's status.
    static func serve(_ arguments: [String]) async {
        do {
            let command = try parse(arguments)
            try await command.run()
        } catch {
            exit(withError: error)
        }
    }

    func run() async throws {
        let target = try options.target.resolve()
        let store = try await options.ledger.store(for: target)
        let readOnly = options.readOnly
        let stack = try Stack.running(
            target, recipe: "<mcp>", ledger: store,
            transport: { transport in
                readOnly
                    ? ReadOnlyTransport(transport, by: "gpus mcp --read-only", allowing: [.listGPUResources])
                    : transport
            })
        let agent = AgentSession(stack: stack, target: target, store: store, readOnly: readOnly)
        let server = Server(
            name: "gpus", version: GPUS.version, title: "gpus: rent GPUs on the Yotta cloud, safely",
            instructions: Self.instructions,
            capabilities: .init(
                prompts: .init(listChanged: false), resources: .init(), tools: .init(listChanged: false)))
        await Self.register(agent, on: server)

        // Why the session ends, when not because the client went away.
        let ending = Mutex<(why: String, status: Int32)?>(nil)
        let watchdog = await stack.watch(options.limits.limits(for: target)) { why in
            ending.withLock { $0 = $0 ?? (why, ScriptRunner.Status.limitReached.rawValue) }
            Task { await server.stop() }
        }
        let trap = SignalTrap(
            first: { number in
                ending.withLock { $0 = $0 ?? ("signal \(number)", 128 + number) }
                Task { await server.stop() }
            },
            again: { number in
                StandardStream.error.write(
                    "gpus mcp: cleanup stopped by a second signal; delete what is left with: gpus runs clean \(agent.runID)\n"
                )
                Foundation.exit(128 + number)
            })
        defer { trap.cancel() }
        Self.log("serving \(agent.tools.count) tools on stdio; target \(stack.session.target); run \(agent.runID)")
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        watchdog.cancel()
        let (why, status) = ending.withLock { $0 } ?? ("the client disconnected", 0)
        Self.log("\(why): ending the session (its defers run, then what it created is deleted)")
        let (lines, complete) = await agent.end(exitCode: status)
        for line in lines { Self.log(line) }
        if status != 0 { throw ExitCode(status) }
        if !complete { throw ExitCode(ScriptRunner.Status.cleanupIncomplete.rawValue) }
    }

    static func log(_ line: String) { StandardStream.error.write("gpus mcp: \(line)\n") }

    static let instructions = """
        gpus rents GPUs on the Yotta cloud (VMs, pods, elastic endpoints, volumes, registry credentials). \
        This session is a run of gpus's ledger: everything you create is deleted when you disconnect \
        unless you pass keep: true, so you cannot leak a billing GPU by forgetting a delete. \
        Find a price with offers (filter by gpuType, regions, maxPrice; sort: price), create with \
        pods_create / vms_create (wait: true waits until it runs, with progress), delete with pods_delete. \
        For several steps, write a recipe in the gpus language (resource gpus://docs/language): check it \
        with check, see what it would create and cost with plan, then run_recipe (cleanup: true deletes \
        what it made). Ids are strings. Errors say which argument is wrong and why.
        """

    static func register(_ agent: AgentSession, on server: Server) async {
        let tools = agent.tools.values.sorted { $0.name < $1.name }.map(\.tool)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { [weak server] params in
            var report: (@Sendable (Double, String) -> Void)?
            if let token = params._meta?.progressToken, let server {
                let sent = Mutex<Double>(0)
                report = { seconds, line in
                    // Progress must increase: seconds waited, never less than the last sent.
                    let value = sent.withLock { last in
                        last = max(last + 0.001, seconds)
                        return last
                    }
                    Task {
                        try? await server.notify(
                            ProgressNotification.message(.init(progressToken: token, progress: value, message: line)))
                    }
                }
            }
            let answer = await agent.call(params.name, params.arguments ?? [:], report: report)
            return try CallTool.Result(
                content: [.text(text: answer.text, annotations: nil, _meta: nil)], structuredContent: answer.value,
                isError: answer.isError)
        }
        let library = agent.stack.library
        let resources = [
            Resource(
                name: "language", uri: "gpus://docs/language", title: "The gpus language",
                description: "The language's reference: syntax, values, waits, defers, errors, parallel for.",
                mimeType: "text/markdown"),
            Resource(
                name: "builtins", uri: "gpus://docs/builtins", title: "Built-in functions",
                description: "Every built-in, its parameters and what it returns (generated from the declarations).",
                mimeType: "text/markdown"),
            Resource(
                name: "session", uri: "gpus://session", title: "This session",
                description: "The session's run id, target, limits and what it has created that is still live.",
                mimeType: "application/json"),
        ]
        await server.withMethodHandler(ListResources.self) { _ in ListResources.Result(resources: resources) }
        await server.withMethodHandler(ReadResource.self) { params in
            switch params.uri {
            case "gpus://docs/language":
                return .init(contents: [.text(LanguageReference.markdown, uri: params.uri, mimeType: "text/markdown")])
            case "gpus://docs/builtins":
                return .init(contents: [
                    .text(BuiltinDocs.markdown(library), uri: params.uri, mimeType: "text/markdown")
                ])
            case "gpus://session":
                let ledger = agent.stack.session.ledger
                let live: [JSONValue] = ledger.live.map { entry in
                    .object([
                        "kind": .string(entry.kind.rawValue), "name": .string(entry.name),
                        "id": entry.resourceID.map { .string($0) } ?? .null, "keep": .bool(entry.keep),
                    ])
                }
                let session: JSONValue = .object([
                    "runId": .string(agent.runID), "target": .string(agent.stack.session.target),
                    "readOnly": .bool(agent.readOnly), "live": .array(live),
                    "deadline": ledger.deadline.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null,
                    "maxCost": ledger.maxCost.map { .double($0) } ?? .null,
                ])
                return .init(
                    contents: [.text(AgentJSON.text(session), uri: params.uri, mimeType: "application/json")])
            default:
                throw MCPError.invalidParams(
                    "no resource \(params.uri) (gpus://docs/language, gpus://docs/builtins, gpus://session)")
            }
        }
        let prompt = Prompt(
            name: "provision-run-cleanup", title: "Provision, run, clean up",
            description: "Write a gpus recipe that rents GPUs for a job, runs it and leaves nothing billing.",
            arguments: [
                .init(name: "job", description: "what to run, e.g. 'fine-tune llama on 4 H100s'", required: true),
                .init(name: "budget", description: "the most to spend, in US$ (default 10)"),
            ])
        await server.withMethodHandler(ListPrompts.self) { _ in ListPrompts.Result(prompts: [prompt]) }
        await server.withMethodHandler(GetPrompt.self) { params in
            guard params.name == prompt.name else {
                throw MCPError.invalidParams("no prompt \(params.name) (provision-run-cleanup)")
            }
            let job = params.arguments?["job"] ?? "the job"
            let budget = params.arguments?["budget"] ?? "10"
            return .init(
                description: prompt.description,
                messages: [.user(.text(text: Self.recipePrompt(job: job, budget: budget)))])
        }
    }

    static func recipePrompt(job: String, budget: String) -> String {
        """
        Write and run a gpus recipe for: \(job). Spend at most $\(budget).

        1. Read the resource gpus://docs/language (the language) and call offers (sort: price, and \
        gpuType/regions/maxPrice filters) to choose a GPU type and region.
        2. Write the recipe. Its first line is limits(cost: \(budget), duration: 2h). Create with \
        pods.create or vms.create, then `wait until x.status == running timeout 10m`; put \
        `defer x.delete()` right after each create, so an error or interruption still deletes it.
        3. Call check with the recipe and fix every finding (each has a line and column).
        4. Call plan with it: read what it creates and what it costs per hour.
        5. Call run_recipe with the recipe and cleanup: true, max_cost: \(budget).
        6. Report the recipe's result and its run id; call costs to show nothing is left billing.

        Example:
        ```
        limits(cost: \(budget), duration: 2h)
        let offer = gpus.offers(gpuType: "NVIDIA_RTX_4090_24G", sort: "price", available: true)[0]
        let pod = pods.create(name: "job", gpuType: offer.gpuType, gpuCount: 1, regions: [offer.region], image: "nginx:latest")
        defer pod.delete()
        wait until pod.status == running timeout 10m
        print(pod.sshCmd)
        ```
        """
    }
}
