import Foundation
import Testing
import YottaAPI

/// `gpus plan`: a program run against a private copy of the target, in simulated time; the target
/// only ever gets reads.
@Suite(.serialized) struct PlanTests {
    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    static func rows(_ plan: [String: Any], _ key: String) -> [[String: Any]] { plan[key] as? [[String: Any]] ?? [] }

    @Test func theExamplesPlanWithTheirResourcesAndPricesAndCreateNothing() async throws {
        let machine = try Machine()
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".gpus") }
        #expect(files.count >= 8)
        for file in files.sorted() {
            let run = try await machine.gpus(["plan", "--json", examples.appendingPathComponent(file).path])
            #expect(run.status == 0, "\(file): \(run.stderr)")
            let plan = Self.json(run.stdout)
            #expect(plan["fails"] as? Bool == false, "\(file)")
            for create in Self.rows(plan, "creates")
            where ["VM", "Pod", "Endpoint"].contains(create["kind"] as? String) {
                #expect((create["perHour"] as? Double ?? 0) > 0, "\(file): \(create)")
            }
            if file != "janitor.gpus" { #expect(!Self.rows(plan, "creates").isEmpty, "\(file)") }
        }
        let text = try await machine.gpus(["plan", examples.appendingPathComponent("quickstart.gpus").path])
        #expect(text.stdout.contains("+ create  VM"), "\(text.stdout)")
        #expect(text.stdout.contains("$2.49/h") && text.stdout.contains("⧗ wait    until vm.status == running"))
        #expect(try await machine.billing() == [])
    }

    @Test func aPlanFindsWhatExistsAndSendsTheTargetNothingButReads() async throws {
        let server = try SandboxServer()
        let machine = try Machine(cloud: .served(url: server.url))
        let setup = try machine.write(
            "setup.gpus",
            """
            pods.create(name: "trainer", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            pods.create(name: "old-job", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            """)
        #expect(try await machine.gpus(["run", setup]).status == 0)
        let before = try await machine.billing().map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        let recipe = try machine.write(
            "recipe.gpus",
            """
            let p = pods.ensure(name: "trainer", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            let v = volumes.ensure(name: "data", storageType: "CEPH", region: "us-east-1", sizeInGb: 100)
            let extra = pods.create(name: "extra", image: "a/b:1", gpuType: "NVIDIA_H100_80G", gpuCount: 2)
            defer extra.delete()
            for old in pods.list() { if old.name == "old-job" { old.delete() } }
            wait until extra.status == running
            """)
        let logged = server.requests.count
        let run = try await machine.gpus(["plan", "--json", recipe])
        #expect(run.status == 0, "\(run.stderr)")
        let plan = Self.json(run.stdout)
        #expect(Self.rows(plan, "exists").map { $0["name"] as? String } == ["trainer"], "\(plan)")
        #expect(Self.rows(plan, "deletes").map { $0["name"] as? String } == ["old-job"], "\(plan)")
        #expect(Set(Self.rows(plan, "creates").compactMap { $0["name"] as? String }) == ["data", "extra"], "\(plan)")
        #expect(plan["copiedResources"] as? Int == 2)
        // The server saw GETs only — no POST, PATCH or DELETE — and still holds the same.
        let sent = server.requests.dropFirst(logged)
        #expect(!sent.isEmpty)
        let writes = sent.filter { !$0.hasPrefix("GET ") }
        #expect(writes.isEmpty, "\(writes)")
        #expect(try await machine.billing().map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == before)
    }

    @Test func aRecipeThatWaitsTwentyMinutesPlansInSimulatedTime() async throws {
        let machine = try Machine()
        let recipe = try machine.write(
            "slow.gpus",
            """
            let p = pods.create(name: "slow", image: "a/b:1", gpuType: "NVIDIA_H100_80G", gpuCount: 1)
            defer p.delete()
            wait until p.status == running
            sleep(20m)
            wait until p.status == running timeout 5m
            """)
        let started = Date()
        let run = try await machine.gpus(["plan", "--json", recipe])
        let took = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        let plan = Self.json(run.stdout)
        #expect(Self.rows(plan, "waits").count == 2)
        #expect((Self.rows(plan, "waits").first?["seconds"] as? Double ?? 0) >= 25)
        #expect(Self.rows(plan, "creates").first?["note"] as? String == "deleted by the program")
        // Measured 0.1 s on an idle machine; the bound leaves room for a loaded CI runner.
        #expect(took < 10, "a 20-minute recipe took \(took) s to plan")
    }

    /// A branch on what the cloud returns may go another way for real: the plan names it, and only it.
    @Test func branchesOnWhatTheCloudReturnsAreNamed() async throws {
        let machine = try Machine()
        let recipe = try machine.write(
            "branches.gpus",
            """
            let p = pods.ensure(name: "b", image: "a/b:1", gpuType: "NVIDIA_H100_80G", gpuCount: 1)
            let n = 3
            if n > 2 { print("static") }
            if p.status == running { print("up") }
            for q in pods.list() {
              if q.name == "old" { q.delete() }
            }
            let offer = vms.types().find(t -> t.gpuType == "NVIDIA_H100_80G")
            let place = offer.regions.find(r -> r.available)
            while not place.available { sleep(1s) }
            let size = n > 2 ? "big" : "small"
            print(p.status == running ? "up" : size)
            """)
        let run = try await machine.gpus(["plan", "--json", recipe])
        #expect(run.status == 0, "\(run.stderr)")
        let branches = Self.rows(Self.json(run.stdout), "cloudBranches").compactMap { $0["line"] as? Int }
        #expect(branches == [4, 6, 10, 12], "\(run.stdout)")
        let text = try await machine.gpus(["plan", recipe])
        #expect(text.stdout.contains("? branches on what the cloud returns at 4:4, 6:6, 10:7, 12:7"), "\(text.stdout)")
    }

    /// A plan stopped by a signal gives no verdict on the program: it says so and exits 130.
    @Test func aPlanInterruptedIsNoVerdict() async throws {
        let machine = try Machine()
        let recipe = try machine.write("spin.gpus", "let i = 0\nwhile true { i += 1 }\n")
        let running = try machine.start(["plan", recipe])
        // The plan reaches the loop in a fraction of a second; 3 s leave room for a loaded machine.
        try await Task.sleep(for: .seconds(3))
        running.signal(SIGINT)
        #expect(try await running.finish() == 130, "\(running.stderr)")
        #expect(running.stderr.contains("gpus plan: interrupted") && !running.stdout.contains("would fail"))
    }

    @Test func aRecipeThatWouldFailExitsTwoWithItsError() async throws {
        let machine = try Machine()
        let recipe = try machine.write(
            "broken.gpus",
            """
            let p = pods.create(name: "a", image: "a/b:1", gpuType: "NVIDIA_H100_80G", gpuCount: 1)
            defer p.delete()
            let gone = pods.get(12345)
            """)
        let run = try await machine.gpus(["plan", recipe])
        #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("broken.gpus:3:12"), "\(run.stderr)")
        #expect(run.stdout.contains("the program would fail"), "\(run.stdout)")
        #expect(try await machine.billing() == [])
    }

    /// A profile's `plan_first = true`: off a terminal the run needs `--yes`, and without it nothing
    /// is created; with it, the plan goes to stderr and the run follows.
    @Test func aProfilesPlanFirstAsksAndOffATerminalNeedsYes() async throws {
        let server = try SandboxServer()
        let machine = try Machine(cloud: .served(url: server.url))
        let config = machine.folder.appendingPathComponent("config/gpus")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[profiles.careful]\nbase_url = \"\(server.url)\"\napi_key = \"k\"\nplan_first = true\n".write(
            to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let recipe = try machine.write(
            "r.gpus", "pods.create(name: \"asked\", image: \"a/b:1\", gpuType: \"NVIDIA_H100_80G\", gpuCount: 1)\n")
        let refused = try await machine.gpus(["run", "--profile", "careful", recipe], targeted: false)
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("+ create  Pod   asked") && refused.stderr.contains("add --yes"))
        #expect(try await machine.billing() == [])
        let run = try await machine.gpus(["run", "--profile", "careful", "--yes", recipe], targeted: false)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            try await machine.billing().map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == [
                "Pod asked"
            ])
    }

    @Test func aTargetThatCannotBeReadIsOneLine() async throws {
        let machine = try Machine(cloud: .served(url: "http://127.0.0.1:9"))
        let recipe = try machine.write("r.gpus", "print(1)\n")
        let run = try await machine.gpus(["plan", recipe])
        #expect(run.status == 2)
        #expect(
            run.stderr.hasPrefix("gpus plan: cannot read the target") && !run.stderr.contains("SourceRange"),
            "\(run.stderr)")
    }

    @Test func theReadOnlyTransportRefusesEveryWriteBeforeSending() async throws {
        struct Counting: HTTPTransport {
            let sent: @Sendable () -> Void
            func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
                sent()
                return HTTPResponse(status: 200, body: Data("{}".utf8))
            }
        }
        let count = Counter()
        let transport = ReadOnlyTransport(Counting { count.increment() })
        for method in [HTTPMethod.post, .put, .patch, .delete] {
            await #expect(throws: TransportFailure.self) {
                _ = try await transport.send(HTTPRequest(method: method, baseURL: "http://x", path: "/v2/pods"))
            }
        }
        _ = try await transport.send(HTTPRequest(method: .get, baseURL: "http://x", path: "/v2/pods"))
        // Even the offers' search, a POST that only reads: a plan sends nothing but GETs.
        await #expect(throws: TransportFailure.self) {
            _ = try await transport.send(
                HTTPRequest(method: .post, baseURL: "http://x", path: "/api/v2/resource/gpu/list"))
        }
        #expect(count.value == 1)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
