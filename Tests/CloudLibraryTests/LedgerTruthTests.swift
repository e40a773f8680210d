import Foundation
import Runs
import TestSupport
import Testing

/// The ledger's truth when the provider fails: a gateway's 5xx after the create was made, a lost
/// answer, creates held at the provider when a run dies, throttling, a colleague's resource of the
/// same name. Through the binary, with a served sandbox behind `GatewayProxy`.
@Suite struct LedgerTruthTests {
    static let pod = #"image: "mine/job:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1"#

    /// What the cloud has behind the proxy: `name image status` of each pod, whatever its state.
    static func pods(_ server: SandboxServer, named prefix: String) async throws -> [String] {
        let direct = try Machine(cloud: .served(url: server.url))
        let result = try await direct.gpus([
            "-q", "-e",
            "json(pods.list(all: true).filter(p -> p.name.startsWith(\"\(prefix)\")).map(p -> \"${p.name} ${p.image} ${p.status}\"))",
        ])
        return (try? JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))) ?? ["unreadable: \(result)"]
    }

    static func billing(_ pods: [String]) -> [String] {
        pods.filter { !$0.hasSuffix("TERMINATED") && !$0.hasSuffix("TERMINATING") && !$0.hasSuffix("FAILED") }
    }

    @Test(arguments: [504, 502, 500])
    func aGatewayErrorAfterTheCreateWasMadeIsResolvedAndCleaned(_ status: Int) async throws {
        let server = try SandboxServer()
        let proxy = try GatewayProxy(upstream: server.url, mode: .status(status))
        let machine = try Machine(cloud: .served(url: proxy.url))
        let script = try machine.write(
            "one.gpus", "let p = pods.create(name: \"gw\(status)\", \(Self.pod))\nprint(\"got\", p.id)\n")
        let result = try await machine.gpus(["run", "--cleanup", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("deleted Pod gw\(status)"), "\(result.stderr)")
        #expect(proxy.creates == 1)
        #expect(Self.billing(try await Self.pods(server, named: "gw")) == [])
    }

    @Test func aLostAnswerNeverAdoptsAColleaguesResourceOfTheSameName() async throws {
        let server = try SandboxServer()
        let colleague = try Machine(host: "colleague", cloud: .served(url: server.url))
        let theirs = try await colleague.gpus([
            "-q", "-e",
            #"pods.create(name: "shared", image: "other/team:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1).id"#,
        ])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let proxy = try GatewayProxy(upstream: server.url, mode: .reset)
        let machine = try Machine(cloud: .served(url: proxy.url))
        let script = try machine.write(
            "mine.gpus", "let p = pods.create(name: \"shared\", \(Self.pod))\nprint(p.image)\n")
        let result = try await machine.gpus(["run", "--cleanup", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "mine/job:1\n", "\(result.stdout)")
        let pods = try await Self.pods(server, named: "shared")
        // The colleague's pod runs on; ours was found (not theirs) and deleted.
        #expect(Self.billing(pods).count == 1 && Self.billing(pods)[0].hasPrefix("shared other/team:1"), "\(pods)")
        #expect(pods.contains { $0.hasPrefix("shared mine/job:1 TERMINAT") }, "\(pods)")
    }

    @Test func twoCandidatesForOneLostAnswerAreReportedNeverGuessed() async throws {
        let server = try SandboxServer()
        let proxy = try GatewayProxy(upstream: server.url, mode: .reset)
        let colleague = try Machine(host: "colleague", cloud: .served(url: server.url))
        let machine = try Machine(cloud: .served(url: proxy.url))
        // A colleague makes the same pod (same name and spec) while our answer is lost.
        let script = try machine.write(
            "twin.gpus", "let p = pods.create(name: \"twin\", \(Self.pod))\n")
        #expect(try await colleague.gpus(["-q", "-e", "pods.create(name: \"twin\", \(Self.pod)).id"]).status == 0)
        let result = try await machine.gpus(["run", "--cleanup", script])
        #expect(result.status != 0)
        #expect(result.stderr.contains("2 resources of that name could be what it made"), "\(result.stderr)")
        #expect(Self.billing(try await Self.pods(server, named: "twin")).count == 2)
    }

    @Test func createsHeldAtTheProviderWhenARunIsKilledAreFoundByTheNextClean() async throws {
        let server = try SandboxServer()
        let proxy = try GatewayProxy(upstream: server.url, mode: .delay(2))
        let machine = try Machine(cloud: .served(url: proxy.url))
        let script = try machine.write(
            "fleet.gpus",
            """
            let fleet = parallel for i in 1..4 { pods.create(name: "held-${i}", \(Self.pod)) }
            defer for p in fleet { p.delete() }
            """)
        let running = try machine.start([script])
        try await waitUntil("the proxy holding the four creates") { proxy.held >= 4 }
        kill(running.pid, SIGKILL)
        _ = try await running.finish()
        // The creates are still held: nothing is declared never created.
        let first = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(!first.stdout.contains("never created"), "\(first.stdout)")
        try await waitUntil("the held creates made at the provider") { proxy.creates >= 4 }
        let second = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(second.status == 0, "\(second.stdout) \(second.stderr)")
        #expect(Self.billing(try await Self.pods(server, named: "held-")) == [])
        #expect(try await Self.pods(server, named: "held-").count == 4)
    }

    @Test func ensureWaitsForTheCreateADeadRunLeftInFlight() async throws {
        let server = try SandboxServer()
        let proxy = try GatewayProxy(upstream: server.url, mode: .delay(2))
        let first = try Machine(cloud: .served(url: proxy.url))
        let ensure = "print(pods.ensure(name: \"trainer\", \(Self.pod)).id)\n"
        let script = try first.write("ensure.gpus", ensure)
        let running = try first.start([script])
        try await waitUntil("the proxy holding the create") { proxy.held >= 1 }
        kill(running.pid, SIGKILL)
        _ = try await running.finish()
        // The same machine (ledger and locks), again: it finds the open intent and waits for it.
        let again = try await first.gpus([script])
        #expect(again.status == 0, "\(again.stderr)")
        let pods = try await Self.pods(server, named: "trainer")
        #expect(Self.billing(pods).count == 1, "\(pods)")
    }

    @Test func throttlingAndSystemErrorsOnCreatesAreRetriedWithoutDuplicates() async throws {
        let machine = try Machine()
        let script = try machine.write(
            "fleet.gpus",
            "let fleet = parallel for i in 1..6 { pods.create(name: \"t-${i}\", \(Self.pod)) }\nprint(len(fleet))\n")
        for codes in ["429", "10002", "503"] {
            let result = try await machine.gpus(
                ["-q", script], environment: ["GPUS_SANDBOX_FAULTS": "codes=\(codes),ops=pods.create,nth=2"])
            #expect(result.status == 0, "\(codes): \(result.stderr)")
            #expect(result.stdout == "6\n", "\(codes): \(result.stdout)")
            let clean = try await machine.gpus(["runs", "clean", try #require(machine.runs().first?["id"] as? String)])
            #expect(clean.status == 0 || clean.status == 4, "\(clean.stderr)")
        }
        #expect(try await machine.billing() == [])
        // 3 fleets of 6: exactly 18 pods were ever made.
        let made = try await machine.gpus(["-q", "-e", "len(pods.list(all: true))"])
        #expect(made.stdout == "18\n", "\(made.stdout) \(made.stderr)")
    }

    @Test func aSignalDuringParallelCreatesLeavesTheIdsInTheLedgerForOrphans() async throws {
        // Creates are held 20 s at the provider (under the 30 s request timeout); every other call is
        // quick.
        let server = try SandboxServer()
        let proxy = try GatewayProxy(upstream: server.url, mode: .delay(20))
        let machine = try Machine(cloud: .served(url: proxy.url))
        let script = try machine.write(
            "fleet.gpus",
            """
            let fleet = parallel for i in 1..4 { pods.create(name: "f-${i}", \(Self.pod)) }
            defer for p in fleet { p.delete() }
            sleep(1h)
            """)
        // The signal comes once the provider holds the four creates.
        let running = try machine.start([script])
        for _ in 0..<1000 where proxy.held < 4 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(proxy.held == 4)
        kill(running.pid, SIGTERM)
        #expect(try await running.finish(timeout: 180) == 143)
        // The run waited for the four answers: their ids are in the ledger, whether the signal was
        // noticed inside the loop (the defer never registered: the run names what it left) or only
        // after it (the defer registered and ran).
        let runs = try await machine.runs()
        #expect(runs.first?["state"] as? String == "failed")
        let id = try #require(runs.first?["id"] as? String)
        let show = try await machine.gpus(["runs", "show", id, "--json"], targeted: false)
        let shown = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let entries = try #require(shown?["entries"] as? [[String: Any]])
        #expect(entries.count == 4 && entries.allSatisfy { $0["id"] is String }, "\(entries)")
        let leftLive = running.stderr.contains("still live from this run")
        #expect((runs.first?["live"] as? [Any])?.count == (leftLive ? 4 : 0), "\(running.stderr)")
        let clean = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.components(separatedBy: "deleted Pod f-").count == (leftLive ? 5 : 1), "\(clean.stdout)")
        #expect(try await machine.billing() == [])
    }

    @Test func anIntentThatMayNotHaveBeenSentNeverTakesAColleaguesNewerPod() async throws {
        // No server yet: the create cannot connect, and the run dies while the client retries.
        let parked = try SandboxServer()
        let port = try #require(URLComponents(string: parked.url)?.port)
        parked.stop()
        let url = "http://127.0.0.1:\(port)"
        let machine = try Machine(cloud: .served(url: url))
        let script = try machine.write("mine.gpus", "print(\"go\")\npods.create(name: \"shared2\", \(Self.pod))\n")
        let running = try machine.start([script])
        try await running.waitFor("go")
        try await Task.sleep(for: .milliseconds(300))
        kill(running.pid, SIGKILL)
        _ = try await running.finish()
        // The server comes up on that port; a colleague makes their own shared2.
        let server = try SandboxServer(port: port)
        let colleague = try Machine(host: "colleague", cloud: .served(url: server.url))
        let theirs = try await colleague.gpus([
            "-q", "-e",
            #"pods.create(name: "shared2", image: "other/team:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1).id"#,
        ])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let clean = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(!clean.stdout.contains("deleted"), "\(clean.stdout)")
        let pods = try await Self.pods(server, named: "shared2")
        // Only the colleague's pod exists, and it still runs.
        #expect(pods.count == 1 && Self.billing(pods).first?.hasPrefix("shared2 other/team:1") == true, "\(pods)")
    }

    @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func aSignalThatFailsAPipedEntryExitsWithTheSignalsCode(_ signal: Int32, _ code: Int32) async throws {
        let machine = try Machine()
        let input = Pipe()
        let running = try machine.start([], stdin: input)
        input.fileHandleForWriting.write(Data("print(\"a\")\nsleep(10s)\n".utf8))
        try await running.waitFor("a")
        try await Task.sleep(for: .milliseconds(200))
        kill(running.pid, signal)
        #expect(try await running.finish(timeout: 10) == code, "\(running.stderr)")
        try? input.fileHandleForWriting.close()
    }

    @Test func aSignalDuringCleanupLetsItFinishAndIsTheExitCode() async throws {
        let machine = try Machine()
        let script = try machine.write(
            "one.gpus", "vms.create(name: \"box\", vmTypeId: 101, region: \"us-east-1\")\nprint(\"made\")\n")
        // Every call takes 45 s: the cleanup's terminate is under way when the signal comes, however
        // loaded the machine (the signal follows "made" at once; with 20 s, a whole-suite run once
        // held this test's task past the terminate — synchronous tests hold the cooperative pool).
        let running = try machine.start(
            ["run", "--cleanup", script], environment: ["GPUS_SANDBOX_FAULTS": "latency=45000ms"])
        try await running.waitFor("made", timeout: 120)
        #expect(kill(running.pid, SIGTERM) == 0, "the run had ended before the signal")
        let status = try await running.finish(timeout: 180)
        #expect(status == 143, "\(status): \(running.stderr)")
        #expect(running.stderr.contains("deleted VM box"), "\(running.stderr)")
        #expect(try await machine.billing() == [])
    }
}
