import Foundation
import Testing

/// Names mean live resources, lists hide what is gone unless asked, and records stay true: a method
/// or a wait that reads a resource again updates the record in place. Through the binary, against
/// the embedded sandbox.
@Suite struct RecordTruthTests {
    static let createDup = """
        let p = pods.create(name: "dup", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        wait until p.status == running timeout 5m
        p.delete()
        let q = pods.create(name: "dup", image: "a/b:2", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        print(q.id)
        """

    @Test func aDeletedThenRecreatedNameMeansTheLiveOne() async throws {
        let machine = try Machine()
        let made = try await machine.gpus(["-q", "-e", Self.createDup])
        #expect(made.status == 0, "\(made.stderr)")
        let live = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let got = try await machine.gpus(["pods", "get", "dup", "-o", "json"])
        #expect(got.status == 0, "\(got.stderr)")
        #expect(got.stdout.contains(live), "\(got.stdout)")
        // The language's lists, and the one-line command's: the dead pod shows only when asked.
        let counts = try await machine.gpus([
            "-q", "-e",
            #"print(len(pods.list()), len(pods.list(all: true)), len(pods.list(status: "terminating")) + len(pods.list(status: "terminated")))"#,
        ])
        #expect(counts.stdout == "1 2 1\n", "\(counts.stdout) \(counts.stderr)")
        let listed = try await machine.gpus(["pods", "list"])
        #expect(
            listed.stdout.components(separatedBy: "\n").filter { $0.contains("dup") }.count == 1, "\(listed.stdout)")
        let all = try await machine.gpus(["pods", "list", "--all"])
        #expect(all.stdout.components(separatedBy: "\n").filter { $0.contains("dup") }.count == 2, "\(all.stdout)")
        // ensure finds the live one, never the dead one.
        let ensured = try await machine.gpus([
            "-q", "-e",
            #"print(pods.ensure(name: "dup", image: "a/b:2", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1).id)"#,
        ])
        #expect(ensured.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == live, "\(ensured.stderr)")
        let deleted = try await machine.gpus(["pods", "delete", "dup"])
        #expect(deleted.status == 0 && deleted.stdout.contains(live), "\(deleted.stdout) \(deleted.stderr)")
        let gone = try await machine.gpus(["pods", "get", "dup"])
        #expect(gone.status != 0 && gone.stderr.contains("no live Pod is named 'dup'"), "\(gone.stderr)")
        #expect(try await machine.billing() == [])
    }

    @Test func methodsAndWaitsUpdateEveryVariableHoldingTheRecord() async throws {
        let machine = try Machine()
        let result = try await machine.gpus([
            "-q", "-e",
            """
            let p = pods.create(name: "a", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            let q = p
            let fleet = [p]
            print(p.status)
            wait until p.status == running timeout 5m
            print(q.status, fleet[0].status)
            p.pause()
            print(q.status)
            wait until fleet.all(x -> x.status == paused) timeout 5m
            print(p.status, q.status)
            print(p.refresh() == q)
            p.delete()
            let v = volumes.create(name: "v", storageType: "CEPH", region: "us-east-1", sizeInGb: 10)
            let w = v
            wait until v.status == active timeout 5m
            v.resize(20)
            print(w.status)
            v.delete()
            """,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == "INITIALIZE\nRUNNING RUNNING\nPAUSING\nPAUSED PAUSED\ntrue\nresizing\n",
            "\(result.stdout)")
        #expect(try await machine.billing() == [])
    }
}

/// A function passed where the API wants data is refused before anything is sent (it would be
/// sent as its name: a VM named `<lambda>`).
@Suite struct FunctionArgumentTests {
    @Test func aFunctionIsNeverSentAsItsName() async throws {
        let machine = try Machine()
        for name in ["x -> x", "print"] {
            let result = try await machine.gpus([
                "-q", "-e", "vms.create(name: \(name), vmTypeId: 101, region: \"us-east-1\")",
            ])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("bad argument 'name' to 'vms.create' (a function cannot be passed"))
        }
        #expect(try await machine.billing() == [])
    }
}

/// One price: `gpus costs` and `gpus runs` agree, and what is gone costs nothing.
@Suite struct PriceTests {
    @Test func costsAndRunsAgreeAndATerminatingPodIsNotCounted() async throws {
        let machine = try Machine()
        let script = try machine.write(
            "priced.gpus",
            """
            let ep = endpoints.create(name: "web", image: "acme/web:1", serviceMode: "ALB",
              resources: [{region: "us-east-1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 2}],
              workers: 2, containerVolumeInGb: 20, expose: {port: 80, protocol: "http"})
            let vm = vms.create(name: "box", vmTypeId: 101, region: "us-east-1")
            let p = pods.create(name: "a", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 2)
            wait until ep.runningWorkers == 2 and vm.status == running and p.status == running timeout 10m
            let q = pods.create(name: "b", image: "a/b:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            wait until q.status == running timeout 5m
            q.delete()
            print(ep.perHourPrice)
            """)
        let run = try await machine.gpus(["-q", script])
        #expect(run.status == 0, "\(run.stderr)")
        let perWorker = try #require(Double(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let costs = try await machine.gpus(["costs", "--json"])
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(costs.stdout.utf8)) as? [String: Any],
            "\(costs.stdout) \(costs.stderr)")
        let resources = try #require(document["resources"] as? [[String: Any]])
        #expect(resources.map { $0["name"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["a", "box", "web"])
        let endpoint = try #require(resources.first { $0["kind"] as? String == "Endpoint" })
        #expect(endpoint["perHour"] as? Double == perWorker * 2, "\(endpoint)")
        let live = try #require(try await machine.runs().first?["live"] as? [[String: Any]])
        let recorded = live.compactMap { $0["pricePerHour"] as? Double }.reduce(0, +)
        let total = try #require(document["perHour"] as? Double)
        #expect(live.count == 3 && abs(recorded - total) < 0.001, "runs \(recorded) vs costs \(total): \(live)")
        let clean = try await machine.gpus(["runs", "clean", try #require(machine.runs().first?["id"] as? String)])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try await machine.billing() == [])
    }
}
