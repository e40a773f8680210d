import CloudLibrary
import Foundation
import Language
import Sandbox
import Testing
import YottaAPI

/// The four programs of the language design, as written, against the sandbox.
@Suite struct ExampleTests {
    @Test func quickstart() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(try CloudHarness.example("quickstart.gpus"), name: "quickstart.gpus")
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(harness.output.all.count == 1)
        #expect(harness.output.all.first?.hasPrefix("ssh: ssh root@") == true)
        #expect(harness.output.all.first?.hasSuffix("(1 x NVIDIA H100)") == true)
        // The deferred terminate ran.
        #expect(await harness.statuses("/v2/vms") == ["terminated"])
    }

    @Test func fleetRefreshesAllPodsWithOneListCallPerRound() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(try CloudHarness.example("fleet.gpus"), name: "fleet.gpus")
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(harness.output.all.count == 8)
        #expect(harness.output.all.allSatisfy { $0.contains("RUNNING ssh root@") })
        let counts = harness.service.requestCounts()
        #expect(counts[.createPod] == 8)
        #expect(counts[.getPod] == nil, "records were refreshed one by one")
        #expect((counts[.listPods] ?? 0) >= 2 && (counts[.listPods] ?? 0) <= 10)
        #expect(counts[.deletePod] == 8)
    }

    @Test func queueRunsAndEnsureCreatesNothingTheSecondTime() async throws {
        let harness = try CloudHarness()
        let program = try CloudHarness.example("queue.gpus")
        let first = await harness.run(program, name: "queue.gpus")
        #expect(failure(first) == nil, "\(failure(first)?.message ?? "")")
        #expect(harness.output.all.count == 3)
        #expect(harness.output.all.allSatisfy { $0.contains("echo: {text: ") })
        let second = await harness.run(program, name: "queue.gpus")
        #expect(failure(second) == nil)
        #expect(harness.service.requestCounts()[.createEndpoint] == 1)
        #expect(harness.output.all.count == 6)
    }

    @Test func janitorTerminatesWhatIsNotKept() async throws {
        let harness = try CloudHarness()
        let setup = await harness.run(
            """
            let a = vms.create(name: "scratch", vmTypeId: 101, region: "us-east-1")
            let b = vms.create(name: "keep-db", vmTypeId: 101, region: "us-east-1")
            wait until a.status == running and b.status == running
            """)
        #expect(failure(setup) == nil)
        let outcome = await harness.run(try CloudHarness.example("janitor.gpus"), name: "janitor.gpus")
        #expect(failure(outcome) == nil)
        #expect(harness.output.all.first?.hasPrefix("id ") == true)
        #expect(harness.output.all.count == 2)
        #expect(await harness.statuses("/v2/vms").sorted() == ["running", "terminated"])
        let again = await harness.run(try CloudHarness.example("janitor.gpus"), name: "janitor.gpus")
        if case .exited(let code) = again { #expect(code == 0) } else { Issue.record("expected exit 0") }
        #expect(harness.output.all.last == "nothing to clean")
    }
}

/// Every file in `examples/` runs against the sandbox.
@Suite struct AllExamplesTests {
    static var files: [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            $0.hasSuffix(".gpus")
        }.sorted()
    }

    /// Faults for the recipes written to survive them.
    static let faults = ["resilient.gpus": "nth=2,rate=0.3,codes=24000,ops=pods.create"]

    @Test func thereAreExamplesForEveryTopic() {
        #expect(
            Set(Self.files).isSuperset(of: [
                "quickstart.gpus", "fleet.gpus", "queue.gpus", "janitor.gpus", "volumes.gpus", "private-image.gpus",
                "worker-logs.gpus", "resilient.gpus",
            ]))
    }

    @Test(arguments: files)
    func runs(_ file: String) async throws {
        let harness = try CloudHarness(faults: Self.faults[file] ?? "")
        let outcome = await harness.run(try CloudHarness.example(file), name: file)
        if case .exited(let code) = outcome {
            #expect(code == 0)
        } else {
            #expect(failure(outcome) == nil, "\(file): \(failure(outcome)?.message ?? "")")
        }
        #expect(!harness.output.all.isEmpty)
        if file == "resilient.gpus" {
            #expect(harness.output.all.contains { $0.hasPrefix("attempt ") }, "the faults were not injected")
            #expect(harness.output.all.last == "4 pods running: sturdy-1, sturdy-2, sturdy-3, sturdy-4")
        }
    }
}
