import Foundation
import TestSupport
import Testing

/// Runs as a user has them: the built binary against the embedded sandbox and against
/// `gpus sandbox serve` in another process. Nothing a run created may keep billing, whatever ends it.
@Suite struct RunLedgerTests {
    enum Mode: String, CaseIterable, CustomTestStringConvertible {
        case embedded, served
        var testDescription: String { rawValue }
    }

    /// A machine on the mode's cloud (and the server that keeps that cloud alive, if any).
    static func machine(_ mode: Mode, host: String = "test-host") throws -> (Machine, SandboxServer?) {
        switch mode {
        case .embedded: return (try Machine(host: host), nil)
        case .served:
            let server = try SandboxServer()
            return (try Machine(host: host, cloud: .served(url: server.url)), server)
        }
    }

    static let failingFleet = """
        let a = pods.create(name: "fp-1", image: "pytorch/pytorch:latest", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        let b = pods.create(name: "fp-2", image: "acme/does-not-exist:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        let c = pods.create(name: "fp-3", image: "pytorch/pytorch:latest", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        let fleet = [a, b, c]
        defer for p in fleet { p.delete() }
        wait until fleet.all(p -> p.status == running)
        """

    @Test(arguments: Mode.allCases)
    func aFleetWithOneFailedPodLeavesNothingLive(_ mode: Mode) async throws {
        let (machine, server) = try Self.machine(mode)
        let script = try machine.write("fleet.gpus", Self.failingFleet)
        let result = try await machine.gpus([script])
        #expect(result.status == 1)
        // The root error, at the wait's line (6), and no error from deleting the failed pod.
        #expect(result.stderr.contains("fleet.gpus:6:1: error: Pod 'fp-2'"), "\(result.stderr)")
        #expect(!result.stderr.contains("12001"), "\(result.stderr)")
        #expect(try await machine.billing() == [])
        _ = server
    }

    @Test(arguments: Mode.allCases)
    func cleanupOfThePrivateImageExampleLeavesNoCredential(_ mode: Mode) async throws {
        let (machine, server) = try Self.machine(mode)
        let example = try String(
            contentsOf: Self.examples.appendingPathComponent("private-image.gpus"), encoding: .utf8)
        let script = try machine.write("private-image.gpus", example)
        let result = try await machine.gpus(["run", "--cleanup", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("deleted Credential acme-registry"), "\(result.stderr)")
        #expect(try await machine.billing() == [])
        _ = server
    }

    @Test func cleanupThatCannotFinishExitsNonZeroNamingWhatIsLeft() async throws {
        // A fault makes every credential delete fail: the cleanup cannot finish.
        let faulty = try Machine(host: "faulty")
        let broken = try faulty.write(
            "stuck.gpus", "credentials.create(name: \"stuck-cred\", username: \"u\", password: \"p\")\n")
        let process = try faulty.start(
            ["run", "--cleanup", "--cleanup-timeout", "1", broken], targeted: false,
            environment: ["GPUS_SANDBOX_FAULTS": "ops=credentials.delete,rate=1,codes=10002"])
        let status = try await process.finish()
        let stderr = process.stderr
        #expect(status == 4, "\(stderr)")
        #expect(stderr.contains("could not delete Credential stuck-cred"), "\(stderr)")
        #expect(stderr.contains("delete with: gpus runs clean "), "\(stderr)")
    }

    static var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
    }

    struct Interruption: CustomTestStringConvertible, Sendable {
        let signal: Int32
        let during: String
        let mode: Mode
        var testDescription: String { "signal \(signal) during \(during), \(mode.rawValue)" }
    }

    static let interruptions = [SIGINT, SIGTERM, SIGHUP].flatMap { signal in
        ["wait", "recursion"].flatMap { during in
            Mode.allCases.map { Interruption(signal: signal, during: during, mode: $0) }
        }
    }

    @Test(arguments: interruptions)
    func aSignalRunsTheDefersAndLeavesNothingLive(_ interruption: Interruption) async throws {
        let (machine, server) = try Self.machine(interruption.mode)
        defer { _ = server }
        let busy =
            interruption.during == "wait"
            ? "wait until vm.status == stopped timeout 1h"
            : "fn f(n) { if n < 2 { return n } return f(n - 1) + f(n - 2) }\nprint(f(60))"
        let script = try machine.write(
            "signal.gpus",
            """
            let vm = vms.create(name: "sig-vm", vmTypeId: 101, region: "us-east-1")
            let p = pods.create(name: "sig-pod", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            defer vm.terminate()
            defer p.delete()
            print("created")
            \(busy)
            """)
        let running = try machine.start([script])
        try await running.waitFor("created")
        try await Task.sleep(for: .milliseconds(500))
        let sent = Date()
        kill(running.pid, interruption.signal)
        let status = try await running.finish()
        #expect(Date().timeIntervalSince(sent) < 5)
        #expect(status == 128 + interruption.signal, "\(running.stderr)")
        #expect(try await machine.billing() == [])
    }

    @Test func aSecondSignalDuringCleanupSaysWhatIsLeftAndHowToFinish() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let script = try machine.write(
            "slow.gpus",
            """
            let p = pods.create(name: "stuck", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            defer p.delete()
            defer { print("slow cleanup"); sleep(1h) }
            print("created")
            sleep(1h)
            """)
        let running = try machine.start([script])
        try await running.waitFor("created")
        kill(running.pid, SIGTERM)
        try await running.waitFor("slow cleanup")
        kill(running.pid, SIGTERM)
        #expect(try await running.finish(timeout: 10) == 143)
        #expect(running.stderr.contains("still live from this run: Pod stuck"), "\(running.stderr)")
        let command = try #require(running.stderr.components(separatedBy: "delete with: ").last)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(command.hasPrefix("gpus runs clean "))
        let clean = try await machine.gpus(["runs", "clean", String(command.dropFirst("gpus runs clean ".count))])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try await machine.billing() == [])
    }

    @Test(arguments: Mode.allCases)
    func killNineLeavesACrashedRunWhoseOrphansCanBeCleaned(_ mode: Mode) async throws {
        let (machine, server) = try Self.machine(mode)
        let script = try machine.write(
            "crash.gpus",
            """
            let p = pods.create(name: "orphan", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 2)
            let v = volumes.create(name: "orphan-data", storageType: "S3")
            defer p.delete()
            print("created")
            sleep(1h)
            """)
        let running = try machine.start([script])
        try await running.waitFor("created")
        kill(running.pid, SIGKILL)
        _ = try await running.finish()
        let runs = try await machine.runs()
        let crashed = try #require(runs.first { ($0["recipe"] as? String)?.hasSuffix("crash.gpus") == true })
        #expect(crashed["state"] as? String == "crashed")
        let live = try #require(crashed["live"] as? [[String: Any]])
        #expect(Set(live.compactMap { $0["name"] as? String }) == ["orphan", "orphan-data"])
        #expect((crashed["pricePerHour"] as? Double ?? 0) > 0)
        let listing = try await machine.gpus(["runs"], targeted: false)
        #expect(listing.stdout.contains("crashed"), "\(listing.stdout)")
        let clean = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("deleted Pod orphan"), "\(clean.stdout)")
        #expect(try await machine.billing() == [])
        let after = try await machine.runs()
        #expect((after.first { $0["id"] as? String == crashed["id"] as? String }?["live"] as? [Any])?.isEmpty == true)
        _ = server
    }

    @Test(arguments: Mode.allCases)
    func eightProcessesEnsuringOneNameCreateOnePod(_ mode: Mode) async throws {
        let (machine, server) = try Self.machine(mode)
        let script = try machine.write(
            "ensure.gpus",
            """
            let p = pods.ensure(name: "trainer", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            print(p.id)
            """)
        let processes = try (0..<8).map { _ in try machine.start([script]) }
        var ids = Set<String>()
        for process in processes {
            #expect(try await process.finish() == 0, "\(process.stderr)")
            ids.insert(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(ids.count == 1)
        #expect(try await machine.billing().count == 1)
        _ = server
    }

    @Test func ensureReportsDriftAndDoesWhatTheCallSays() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let first = try await machine.gpus([
            "-e", "pods.ensure(name: \"drift\", image: \"a/b:1\", gpuType: \"NVIDIA_RTX_4090_24G\", gpuCount: 1).id",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let changed = "name: \"drift\", image: \"a/b:2\", gpuType: \"NVIDIA_H100_80G\", gpuCount: 4"
        let drift = try await machine.gpus(["-e", "pods.ensure(\(changed))"])
        #expect(drift.status == 1)
        #expect(drift.stderr.contains("exists but differs: gpuCount: 1 → 4"), "\(drift.stderr)")
        #expect(drift.stderr.contains("image: \"a/b:1\" → \"a/b:2\""), "\(drift.stderr)")
        let kept = try await machine.gpus(["-e", "pods.ensure(\(changed), onDrift: \"keep\").image"])
        #expect(kept.stdout == "a/b:1\n", "\(kept.stderr)")
        let replaced = try await machine.gpus(["-e", "pods.ensure(\(changed), onDrift: \"replace\").image"])
        #expect(replaced.stdout == "a/b:2\n", "\(replaced.stderr)")
        let same = try await machine.gpus(["-e", "pods.ensure(\(changed)).id"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(try await machine.billing().count == 1)
    }

    @Test func anIntentWithoutAnIdStaysOpenUntilItsSettleTime() async throws {
        let (machine, _) = try Self.machine(.embedded)
        // The create is still waiting for its (slow: 5 minutes) answer when the process is killed, however
        // slow the machine is. The provider could apply it for 10 minutes (GPUS_SETTLE_SECONDS); once
        // that has passed it is "never created" (LedgerStoreTests, with a settle time in the past).
        let script = try machine.write(
            "slow.gpus", "print(\"sending\")\nvms.create(name: \"slowbox\", vmTypeId: 101, region: \"us-east-1\")\n")
        let running = try machine.start(
            [script], environment: ["GPUS_SANDBOX_FAULTS": "latency=300000ms", "GPUS_SETTLE_SECONDS": "600"])
        try await running.waitFor("sending")
        // Until the intent is in the ledger.
        var recorded = false
        for _ in 0..<200 where !recorded {
            recorded = (try await machine.runs().first?["live"] as? [Any])?.isEmpty == false
            if !recorded { try await Task.sleep(for: .milliseconds(50)) }
        }
        kill(running.pid, SIGKILL)
        _ = try await running.finish()
        let runs = try await machine.runs()
        let live = try #require(runs.first?["live"] as? [[String: Any]])
        #expect(live.first?["state"] as? String == "unknown (create sent, no answer)")
        // Before its settle time it is not declared never created: the provider could still make it.
        let early = try await machine.gpus(["runs", "clean", "--orphans"])
        #expect(early.status == 4, "\(early.stdout) \(early.stderr)")
        #expect(early.stdout.contains("unresolved: VM slowbox"), "\(early.stdout)")
        #expect((try await machine.runs().first?["live"] as? [Any])?.count == 1)
        let show = try await machine.gpus(
            ["runs", "show", try #require(runs.first?["id"] as? String)], targeted: false)
        #expect(show.stdout.contains("unknown (create sent, no answer)"), "\(show.stdout)")
    }

    @Test func runsShowAndJSONDescribeARun() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let script = try machine.write(
            "made.gpus", "vms.create(name: \"kept\", vmTypeId: 101, region: \"us-east-1\")\nprint(args)\n")
        #expect(try await machine.gpus([script, "one", "two"]).status == 0)
        let runs = try await machine.runs()
        let run = try #require(runs.first)
        #expect(run["state"] as? String == "finished")
        #expect(run["arguments"] as? [String] == ["one", "two"])
        #expect(run["host"] as? String == "test-host")
        let id = try #require(run["id"] as? String)
        let show = try await machine.gpus(["runs", "show", String(id.prefix(17))], targeted: false)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("state      finished (exit 0)"), "\(show.stdout)")
        #expect(show.stdout.contains("VM    kept"), "\(show.stdout)")
        let json = try await machine.gpus(["runs", "show", id, "--json"], targeted: false)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["entries"] as? [[String: Any]])?.first?["state"] as? String == "live")
        // A finished run is cleaned on request: what it left is deleted.
        let clean = try await machine.gpus(["runs", "clean", id])
        #expect(clean.stdout.contains("deleted VM kept"), "\(clean.stdout) \(clean.stderr)")
        let missing = try await machine.gpus(["runs", "show", "nope"], targeted: false)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("no run 'nope'"))
    }

    @Test func aRunningRunIsNotCleanedUnderIt() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let script = try machine.write(
            "live.gpus",
            "let v = vms.create(name: \"busy\", vmTypeId: 101, region: \"us-east-1\")\nprint(\"created\")\nsleep(1h)\n")
        let running = try machine.start([script])
        try await running.waitFor("created")
        let id = try #require(try await machine.runs().first?["id"] as? String)
        let clean = try await machine.gpus(["runs", "clean", id])
        #expect(clean.status == 4)
        #expect(clean.stderr.contains("is still running"), "\(clean.stderr)")
        let billing = try await machine.billing()
        #expect(billing == ["VM busy initializing"] || billing == ["VM busy running"])
        kill(running.pid, SIGINT)
        #expect(try await running.finish() == 130)
        // No defer: the interrupted run left its VM, and says how to delete it.
        #expect(running.stderr.contains("delete with: gpus runs clean \(id)"), "\(running.stderr)")
    }

    @Test func theRootErrorComesFirstThenEachDeferredErrorAtItsLine() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let script = try machine.write(
            "errors.gpus",
            """
            defer throw "first cleanup failed"
            fn work() {
                defer throw "inner cleanup failed"
                throw "root cause"
            }
            work()
            """)
        let result = try await machine.gpus(["-q", script])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(
            errors == [
                "\(script):4:5: error: root cause", "\(script):3:11: error: inner cleanup failed",
                "\(script):1:7: error: first cleanup failed",
            ], "\(result.stderr)")
    }

    @Test func aFailedDeferFailsAProgramThatOtherwiseSucceeds() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let failing = try machine.write("defer.gpus", "defer throw \"cleanup failed\"\nprint(\"done\")\n")
        let result = try await machine.gpus(["-q", failing])
        #expect(result.status == 1)
        #expect(result.stdout == "done\n")
        let exiting = try machine.write("exit.gpus", "defer exit 3\ndefer print(\"other defer\")\n")
        let exited = try await machine.gpus(["-q", exiting])
        #expect(exited.status == 3)
        #expect(exited.stdout == "other defer\n")
    }

    @Test func aSignalEndsAPipedSessionThroughItsDefers() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let input = Pipe()
        let running = try machine.start([], stdin: input)
        input.fileHandleForWriting.write(
            Data(
                """
                let vm = vms.create(name: "piped", vmTypeId: 101, region: "us-east-1")
                defer vm.terminate()
                print("ready")

                """.utf8))
        try await running.waitFor("ready")
        kill(running.pid, SIGTERM)
        #expect(try await running.finish(timeout: 10) == 143)
        try? input.fileHandleForWriting.close()
        #expect(try await machine.billing() == [])
    }

    @Test func aClosedPipeStopsTheProgramThroughItsDefers() async throws {
        let (machine, _) = try Self.machine(.embedded)
        let script = try machine.write(
            "chatty.gpus",
            """
            let vm = vms.create(name: "chatty", vmTypeId: 101, region: "us-east-1")
            defer vm.terminate()
            for i in 0..<100000000 { print(i) }
            """)
        let output = Pipe()
        let process = try ChildProcess(
            [Machine.binary.path, script], environment: machine.environment,
            stdout: .descriptor(output.fileHandleForWriting.fileDescriptor), stderr: .null)
        try output.fileHandleForWriting.close()
        // Read a little, then go away as `head` does.
        _ = output.fileHandleForReading.readData(ofLength: 64)
        try output.fileHandleForReading.close()
        #expect(try await process.finish() == 128 + SIGPIPE)
        #expect(try await machine.billing() == [])
    }
}
