import CloudLibrary
import Foundation
import Language
import Testing

/// A client of `gpus mcp` speaking the protocol's stdio transport by hand: one JSON-RPC message a
/// line on the server's stdin, answers read from its stdout. (The real Python client drives the
/// same server in CI: scripts/test-mcp.)
final class MCPClient: @unchecked Sendable {
    let running: Machine.Running
    let input: Pipe
    private var nextID = 1

    init(_ machine: Machine, _ options: [String] = []) async throws {
        input = Pipe()
        running = try machine.start(["mcp"] + options, stdin: input)
        _ = try await request(
            "initialize",
            [
                "protocolVersion": "2025-06-18", "capabilities": [String: Any](),
                "clientInfo": ["name": "gpus-tests", "version": "1"],
            ])
        try send(["jsonrpc": "2.0", "method": "notifications/initialized"])
    }

    func send(_ message: [String: Any]) throws {
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: data)
    }

    /// Sends a request and waits for its answer: `result`, or a JSON-RPC `error`.
    func request(
        _ method: String, _ params: [String: Any] = [:], timeout: TimeInterval = 60
    ) async throws
        -> [String: Any]
    {
        let id = nextID
        nextID += 1
        try send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for line in running.stdout.split(separator: "\n") {
                guard let message = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    message["id"] as? Int == id
                else { continue }
                return message
            }
            guard running.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no answer to \(method) #\(id); stderr: \(running.stderr)")
        throw CancellationError()
    }

    /// Calls a tool: (isError, text, structured content).
    func call(
        _ tool: String, _ arguments: [String: Any] = [:], timeout: TimeInterval = 60
    ) async throws
        -> (isError: Bool, text: String, value: [String: Any])
    {
        let answer = try await request("tools/call", ["name": tool, "arguments": arguments], timeout: timeout)
        guard let result = answer["result"] as? [String: Any] else {
            Issue.record("tools/call \(tool) failed: \(answer)")
            return (true, "\(answer)", [:])
        }
        let text = ((result["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
        return (result["isError"] as? Bool ?? false, text, result["structuredContent"] as? [String: Any] ?? [:])
    }

    /// Closes the server's stdin (the client disconnects) and waits for it to exit.
    func disconnect() async throws -> Int32 {
        try input.fileHandleForWriting.close()
        return try await running.finish()
    }
}

@Suite(.serialized) struct MCPTests {
    nonisolated(unsafe) static let pod: [String: Any] = [
        "name": "agent-pod", "gpuType": "NVIDIA_RTX_4090_24G", "gpuCount": 1, "regions": ["us-east-1"],
        "image": "nginx:latest",
    ]

    /// The library the server builds its tools from, built here the same way.
    static func library() throws -> Library {
        let library = Library.core()
        try CloudHarness().session.register(into: library)
        return library
    }

    /// Every tool that calls a built-in takes exactly the built-in's parameters (plus `id` for a
    /// method, `wait`/`timeout` for a create), with the same required ones; every tool has an
    /// object schema and annotations.
    @Test func toolSchemasAreTheBuiltinsDeclarations() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine)
        let answer = try await client.request("tools/list")
        let tools = try #require((answer["result"] as? [String: Any])?["tools"] as? [[String: Any]])
        let library = try Self.library()
        var checked = 0
        for tool in tools {
            let name = try #require(tool["name"] as? String)
            let schema = try #require(tool["inputSchema"] as? [String: Any])
            #expect(schema["type"] as? String == "object", "\(name)")
            #expect(tool["annotations"] != nil, "\(name) has no annotations")
            let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
            let required = Set(schema["required"] as? [String] ?? [])
            let parts = name.split(separator: "_", maxSplits: 1).map(String.init)
            let namespace = ["offers": "gpus", "costs": "gpus"][name] ?? parts[0]
            let function = ["offers": "offers", "costs": "costs"][name] ?? (parts.count > 1 ? parts[1] : "")
            var expected: [ParameterSpec]
            if let builtin = library.namespaces[namespace]?[function] {
                expected = builtin.parameters
                // A credential has no status to wait for.
                if ["create", "ensure"].contains(function), namespace != "credentials" {
                    expected += [.optional("wait"), .optional("timeout")]
                }
            } else if let kind = library.resultKinds["\(namespace).get"], case .record(let type) = kind,
                let method = library.methods[type]?[function == "delete" ? "delete" : function]
                    ?? (function == "delete" ? library.methods[type]?["terminate"] : nil)
            {
                expected = [ParameterSpec("id")] + method.parameters
            } else {
                continue
            }
            checked += 1
            #expect(properties == Set(expected.map(\.name)), "\(name): \(properties.sorted())")
            #expect(required == Set(expected.filter(\.required).map(\.name)), "\(name): required \(required.sorted())")
        }
        #expect(checked >= 40, "only \(checked) tools were compared with a built-in")
        #expect(try await client.disconnect() == 0)
    }

    /// A bad argument is a tool error with the message `gpus check` gives for the same call; hostile
    /// arguments are errors too, and the server goes on answering.
    @Test func badArgumentsGetTheCheckersWordsAndNeverCrashTheServer() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine)
        let library = try Self.library()
        func checkMessages(_ code: String) -> [String] {
            Interpreter(library: library).check(SourceFile(name: "t", text: code)).map(\.message)
        }
        var pod = Self.pod
        pod["gpuCount"] = 3
        let three = try await client.call("pods_create", pod)
        #expect(three.isError)
        #expect(
            three.text
                == checkMessages(
                    #"pods.create(name: "agent-pod", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 3, regions: ["us-east-1"], image: "nginx:latest")"#
                ).joined(separator: "\n"))
        #expect(three.text.contains("must be a power of 2 from 1 to 8 (got 3)"))
        pod = Self.pod
        pod["gpuTyp"] = pod.removeValue(forKey: "gpuType")
        let typo = try await client.call("pods_create", pod)
        #expect(typo.isError)
        #expect(typo.text.contains("'pods.create' has no parameter 'gpuTyp'; did you mean 'gpuType'?"))
        let hostile: [(String, [String: Any])] = [
            ("pods_create", ["name": ["a", ["b": [1, 2, [3]]]], "gpuCount": "eight"]),
            ("pods_get", ["id": ["nested": true]]),
            ("pods_wait", ["id": "x", "status": "flying"]),
            ("pods_wait", ["id": 1]),
            ("eval", ["code": String(repeating: "(", count: 10_000)]),
            ("eval", ["code": 42]),
            ("eval", ["code": "fn f(a = f()) { return a }; f()"]),
            ("run_recipe", ["source": "x", "file": "/etc/passwd"]),
            ("run_recipe", ["file": "/nonexistent.gpus"]),
            ("run_recipe", ["source": "print(1)", "max_duration": "soon"]),
            ("offers", ["sort": "cheap"]),
            ("nosuch_tool", [:]),
            ("pods_create", ["name": "a", "ttl": "forever"]),
        ]
        for (tool, arguments) in hostile {
            let answer = try await client.call(tool, arguments)
            #expect(answer.isError, "\(tool) \(arguments): \(answer.text)")
            #expect(!answer.text.isEmpty)
        }
        // check: findings with line and column; plan: what a recipe would create, nothing created.
        let checked = try await client.call("check", ["source": "let x = 1\npods.create(name: \"a\", gpuCount: 3)"])
        let findings = try #require(checked.value["findings"] as? [[String: Any]])
        let first = try #require(findings.first?["error"] as? [String: Any])
        #expect(
            first["line"] as? Int == 2 && first["column"] as? Int != nil
                && (checked.value["problems"] as? Int ?? 0) >= 2)
        let planned = try await client.call(
            "plan",
            [
                "source":
                    #"let p = pods.create(name: "planned", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest")"#
            ])
        #expect(!planned.isError, "\(planned.text)")
        #expect((planned.value["creates"] as? [[String: Any]])?.first?["name"] as? String == "planned")
        #expect(planned.text.contains("planned"))
        #expect(try await machine.billing().isEmpty)
        let offers = try await client.call("offers", ["gpuType": "NVIDIA_H100_80G", "sort": "price"])
        #expect(!offers.isError, "\(offers.text)")
        let rows = try #require(offers.value["result"] as? [[String: Any]])
        #expect(!rows.isEmpty && rows.allSatisfy { $0["gpuType"] as? String == "NVIDIA_H100_80G" })
        #expect(rows.allSatisfy { $0["vmTypeId"] is String }, "ids are strings")
        #expect(try await client.disconnect() == 0)
    }

    /// When the client disconnects, the session's defers run and what it created is deleted — a
    /// pod from a tool, a pod from eval, a pod from a recipe run without cleanup — but what was
    /// created with keep: true.
    @Test func disconnectingDeletesWhatTheSessionMadeButWhatItKeeps() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine)
        var pod = Self.pod
        pod["wait"] = true
        let created = try await client.call("pods_create", pod)
        #expect(!created.isError, "\(created.text)")
        let result = try #require(created.value["result"] as? [String: Any])
        #expect((result["status"] as? String)?.uppercased() == "RUNNING")
        #expect(result["id"] is String)
        let runID = try #require(created.value["runId"] as? String)
        let kept = try await client.call(
            "eval",
            [
                "code": """
                let kept = pods.create(name: "kept", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest", keep: true)
                let other = pods.create(name: "from-eval", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest")
                defer print("deferred ran")
                other.name
                """
            ])
        #expect(!kept.isError, "\(kept.text)")
        #expect(kept.value["result"] as? String == "from-eval")
        let recipe = try await client.call(
            "run_recipe",
            [
                "source": """
                let p = pods.create(name: "from-recipe", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: [args[0]], image: "nginx:latest")
                wait until p.status == running timeout 2m
                p.name
                """, "args": ["us-east-1"],
            ])
        #expect(!recipe.isError, "\(recipe.text)")
        #expect(recipe.value["result"] as? String == "from-recipe")
        #expect((recipe.value["live"] as? [Any])?.count == 1)
        // The session reads back its variables, and the tools find resources by name.
        let named = try await client.call("pods_get", ["id": "from-eval"])
        #expect((named.value["result"] as? [String: Any])?["name"] as? String == "from-eval")
        #expect(try await machine.billing().count == 4)
        #expect(try await client.disconnect() == 0)
        #expect(try await machine.billing() == ["Pod kept RUNNING"])
        #expect(client.running.stderr.contains("the client disconnected"))
        #expect(client.running.stderr.contains("deferred ran"))
        let runs = try await machine.runs()
        let run = try #require(runs.first { $0["id"] as? String == runID })
        #expect(run["state"] as? String == "finished")
    }

    /// A server killed (a lost machine) leaves its run an orphan; `gpus runs clean --orphans`
    /// deletes what it made.
    @Test func aKilledServerLeavesAnOrphanThatRunsCleanRemoves() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine)
        let created = try await client.call("pods_create", Self.pod)
        #expect(!created.isError, "\(created.text)")
        kill(client.running.pid, SIGKILL)
        _ = try await client.running.finish()
        #expect(try await machine.billing().count == 1)
        let clean = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try await machine.billing().isEmpty)
    }

    /// A call the client cancels (notifications/cancelled) is interrupted — a wait stops waiting —
    /// and the next call is answered at once.
    @Test func aCancelledCallStopsAndTheNextIsAnswered() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine)
        var pod = Self.pod
        pod["wait"] = true
        #expect(!(try await client.call("pods_create", pod)).isError)
        // A wait that would last ten minutes (an id the client's own requests never reach).
        try client.send([
            "jsonrpc": "2.0", "id": 1000, "method": "tools/call",
            "params": ["name": "pods_wait", "arguments": ["id": "agent-pod", "status": "paused", "timeout": "10m"]],
        ])
        try await Task.sleep(for: .seconds(1))
        try client.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 1000]])
        let started = Date()
        let list = try await client.call("pods_list", [:], timeout: 20)
        #expect(!list.isError && Date().timeIntervalSince(started) < 10, "\(list.text)")
        #expect(try await client.disconnect() == 0)
        #expect(try await machine.billing().isEmpty)
    }

    /// SIGTERM (a service manager stopping it, a closed terminal): the session ends as on a
    /// disconnect — what it made is deleted — and the server exits 143.
    @Test func sigtermEndsTheSessionCleanly() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine)
        #expect(!(try await client.call("pods_create", Self.pod)).isError)
        kill(client.running.pid, SIGTERM)
        #expect(try await client.running.finish(timeout: 30) == 143)
        #expect(try await machine.billing().isEmpty)
        #expect(client.running.stderr.contains("deleted Pod agent-pod"))
    }

    /// `--read-only`: no tool that changes anything is offered or run, and eval cannot send a create.
    @Test func readOnlyOffersOnlyReads() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine, ["--read-only"])
        let answer = try await client.request("tools/list")
        let names = Set(
            ((answer["result"] as? [String: Any])?["tools"] as? [[String: Any]] ?? []).compactMap {
                $0["name"] as? String
            })
        #expect(names.contains("offers") && names.contains("pods_list") && names.contains("check"))
        #expect(!names.contains("pods_create") && !names.contains("pods_delete") && !names.contains("run_recipe"))
        let create = try await client.call("pods_create", Self.pod)
        #expect(create.isError && create.text.contains("--read-only"))
        let sneaky = try await client.call(
            "eval",
            [
                "code":
                    #"pods.create(name: "x", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest")"#
            ])
        #expect(sneaky.isError && sneaky.text.contains("read-only"), "\(sneaky.text)")
        #expect(!(try await client.call("offers", ["sort": "price"])).isError)
        #expect(try await client.disconnect() == 0)
        #expect(try await machine.billing().isEmpty)
    }

    /// `--max-duration` bounds the whole session: past it the server ends the session itself —
    /// defers, then what it made is deleted — and exits 5.
    @Test func maxDurationEndsTheSession() async throws {
        let machine = try Machine()
        let client = try await MCPClient(machine, ["--max-duration", "3s"])
        let created = try await client.call("pods_create", Self.pod)
        #expect(!created.isError, "\(created.text)")
        #expect(try await client.running.finish(timeout: 30) == 5)
        #expect(client.running.stderr.contains("--max-duration"))
        #expect(try await machine.billing().isEmpty)
    }
}
