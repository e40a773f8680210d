import CloudLibrary
import Foundation
import Language
import Sandbox
import Testing
import YottaAPI

@Suite struct CloudBuiltinTests {
    /// `X.get` takes an id or the name of a live resource, for every kind; two of a name is an
    /// error listing their ids; none, the API's not-found for the kind (a pod's: code 13000).
    @Test func getTakesAnIdOrAName() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let p = pods.create(name: "w1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest")
            let e = endpoints.create(name: "web", image: "nginx:latest", resources: [{region: "us-east-1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1}], workers: 1, containerVolumeInGb: 20, serviceMode: "ALB", expose: {port: 80, protocol: "HTTP"})
            let v = volumes.create(name: "data", storageType: "S3", region: "us-east-1")
            let c = credentials.create(name: "hub", username: "me", password: "pw")
            print(pods.get("w1").id == p.id, pods.get(str(p.id)).name, endpoints.get("web").id == e.id)
            print(volumes.get("data").id == v.id, credentials.get("hub").id == c.id)
            try { pods.get("nosuch") } catch err { print(err.kind, err.code, err.message) }
            pods.create(name: "w1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest")
            try { pods.get("w1") } catch err { print(err.message.startsWith("several Pods are named 'w1': use an id (")) }
            """)
        if case .failed(let error) = outcome { Issue.record("\(error.message)") }
        if case .invalid(let problems) = outcome { Issue.record("\(problems.map(\.message))") }
        #expect(
            harness.output.all == [
                "true w1 true", "true true", "api 13000 no live Pod is named 'nosuch' (and it is not an id)", "true",
            ])
    }

    /// `gpus.offers` filters by GPU type, price and cards, sorts by price, and gives each offer the
    /// `vmTypeId` of its type and region.
    @Test func offersFilterSortAndCarryTheVMType() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let h100 = gpus.offers(gpuType: "NVIDIA_H100_80G", sort: "price")
            print(len(h100) > 0, h100.all(o -> o.gpuType == "NVIDIA_H100_80G"), h100.all(o -> o.vmTypeId != null))
            let cheap = gpus.offers(maxPrice: 0.5, sort: "-price", available: true)
            print(len(cheap) > 0, cheap.all(o -> o.singleCardPrice <= 0.5 and o.available))
            let prices = cheap.map(o -> o.singleCardPrice)
            print(prices == cheap.map(o -> o.singleCardPrice).sort().reverse())
            let types = vms.types().filter(t -> t.gpuType == h100[0].gpuType)
            print(len(types) > 0)
            print(len(gpus.offers(minCards: 100000)))
            try { gpus.offers(sort: "cheap") } catch err { print(err.message) }
            """)
        if case .failed(let error) = outcome { Issue.record("\(error.message)") }
        if case .invalid(let problems) = outcome { Issue.record("\(problems.map(\.message))") }
        #expect(
            harness.output.all == [
                "true true true", "true true", "true", "true", "0",
                "bad argument 'sort' to 'gpus.offers': price or -price expected (got 'cheap')",
            ])
    }

    @Test func everyKindThroughTheBuiltins() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let cred = credentials.ensure(name: "hub", username: "me", password: "pw")
            print(cred.name, credentials.list().len)
            let vol = volumes.create(name: "data", storageType: "CEPH", region: "us-east-1", sizeInGb: 10)
            wait until vol.status == active
            vol.resize(20)
            wait until vol.refresh().sizeInGb == 20
            print(volumes.list(storageType: "CEPH").map(v -> v.sizeInGb))
            let pod = pods.create(name: "private", image: "acme/secret:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1,
                                  containerRegistryAuthId: cred.id, imagePublicType: "PRIVATE",
                                  persistentVolumes: [{volumeId: vol.id, mountPath: "/data"}])
            wait until pod.status == running
            try { cred.delete() } catch e { print("in use:", e.code, e.kind) }
            pod.pause()
            wait until pod.status == paused
            pod.resume()
            wait until pod.status == running
            let gpu = pod.metrics("gpu")
            print(gpu.name, gpu.unit)
            print(gpu.series[0].labels.step, gpu.series[0].points.len == 1, gpu.series[0].last == gpu.series[0].max)
            pod.delete()
            wait until pod.status == terminated
            vol.delete()
            cred.delete()
            let ep = endpoints.create(name: "web", image: "acme/web:1", serviceMode: "ALB",
                                      resources: [{region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1}],
                                      workers: 1, containerVolumeInGb: 20, expose: {port: 80, protocol: "http"})
            wait until ep.status == running
            let w = ep.workers()[0]
            print(w.logs().len, w.logs(keyword: "ready").len)
            ep.scale(2)
            ep.stop()
            wait until ep.status == stopped
            let updated = ep.update(workers: 3)
            print(updated.totalWorkers, updated.name)
            ep.delete()
            print(gpus.list().len, gpus.get("NVIDIA_H200_141G").vramInGb)
            """)
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(
            harness.output.all == [
                "hub 1", "[20]", "in use: 25002 dependency", "gpu_sm_utilization_percent % of the GPU's SMs busy",
                "30s true true",
                "4 1", "3 web", "16 141",
            ])
    }

    /// Every `…At` field is a time, whatever the API's form (ISO 8601 on VMs and endpoints, epoch
    /// milliseconds on pods and volumes), and prices, costs and sizes are numbers: a janitor can say
    /// `now() - p.createdAt > 2h` and add up prices.
    @Test func timesAndNumbersInRecords() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let p = pods.create(name: "old", image: "i", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
            let v = vms.create(name: "vm", vmTypeId: 101, region: "us-east-1")
            let vol = volumes.create(name: "d", storageType: "S3")
            print(type(p.createdAt), type(v.createdAt), type(vol.createdAt), type(credentials.ensure(name: "c", username: "u", password: "p").createdAt))
            print(type(p.singleCardPrice), p.singleCardPrice > 0, type(v.memoryInGb), type(p.cost))
            print(now() - p.createdAt < 1h, p.createdAt <= now(), json(p.createdAt) == json(str(p.createdAt)))
            """)
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(harness.output.all == ["time time time time", "float true int int", "true true true"])
    }

    /// A 0/1 flag of the API (`isSpot`) takes the language's booleans too; `ensure` finds the VM a
    /// boolean made, and 2 is still refused (a literal 2 by the check before anything runs).
    @Test func aZeroOneFlagTakesABoolean() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let spot = vms.create(name: "spot", vmTypeId: 101, region: "us-east-1", isSpot: true)
            let plain = vms.create(name: "plain", vmTypeId: 101, region: "us-east-1", isSpot: false)
            print(spot.isSpot, plain.isSpot, vms.ensure(name: "spot", vmTypeId: 101, region: "us-east-1", isSpot: true).id == spot.id)
            try { vms.create(name: "two", vmTypeId: 101, region: "us-east-1", isSpot: int("2")) } catch e { print(e.message) }
            """)
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(harness.output.all == ["1 0 true", "bad argument 'isSpot' to 'vms.create': must be 0 or 1 (got 2)"])
    }

    /// A task status no task takes is an error when the call runs (it filtered nothing: every task
    /// came back), with the statuses there are.
    @Test func aTaskStatusNoTaskTakesIsRefused() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let ep = endpoints.create(name: "q", image: "a/b:1", serviceMode: "QUEUE", resources: [{region: "us-east-1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1}], workers: 1, containerVolumeInGb: 20)
            print(len(ep.tasks(status: processing)), len(ep.tasks(status: "PROCESSING")))
            let typo = "procesing"
            try { ep.tasks(status: typo) } catch e { print(e.message) }
            """)
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(
            harness.output.all == [
                "0 0",
                "a Task's status is never 'procesing'; did you mean 'processing'? (Task statuses: processing, delivered, success, failed)",
            ])
    }

    /// `help(vms)` and `help(Pod)` without quotes; argument errors in the language's type names.
    @Test func helpOfBareNamesAndArgumentErrorsInLanguageTypes() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            print(help(vms) == help("vms"), help(Pod) == help("Pod"), help(vms).contains("vms.create"))
            let port = "a"  # known only when it runs: the same check, then
            try {
              pods.create(name: "x", image: "i", gpuType: "NVIDIA_H100_80G", gpuCount: 1, expose: {port: port, protocol: "HTTP"})
            } catch e { print(e.message) }
            # Environment variables as a map become the API's list of {key, value}.
            let p = pods.create(name: "y", image: "i", gpuType: "NVIDIA_H100_80G", gpuCount: 1, environmentVars: {A: "1"})
            print(p.environmentVars)
            print(help(running))
            """)
        #expect(failure(outcome) == nil, "\(failure(outcome)?.message ?? "")")
        #expect(
            harness.output.all == [
                "true true true", "bad argument 'expose.port' to 'pods.create' (int expected, got string)",
                #"[{key: "A", value: "1"}]"#,
                "running — a status word (compare `x.status == running`, any case), a status of: Endpoint, Pod, VM, Worker",
            ])
    }

    @Test func apiErrorsAreCatchableWithTheirCode() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            try { vms.get(42) } catch e { print(e.code, e.kind, e.message) }
            let three = 3  # values known only when the program runs are checked before sending
            try { pods.create(name: "p", image: "i", gpuType: "NVIDIA_H100_80G", gpuCount: three) } catch e { print(e.kind, e.message) }
            let create = vms.create
            try { create(name: "x", vmTypeId: 101) } catch e { print(e.message) }
            let made = [vms.create(name: "x", vmTypeId: 101, region: "us-east-1")]  # a kind gpus check cannot know
            print(made[0].stauts)
            """)
        #expect(
            harness.output.all == [
                "11000 api vms.get 42: VM not found (code 11000)",
                "validation bad argument 'gpuCount' to 'pods.create': must be a power of 2 from 1 to 8 (got 3)",
                "missing argument 'region' to 'vms.create'",
            ])
        #expect(failure(outcome)?.message == "no field 'stauts' on VM; did you mean 'status'?")
    }

    @Test func waitFailsAtOnceWhenARecordReachesAFailureState() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let vm = vms.create(name: "doomed", vmTypeId: 101, region: "us-east-1")
            vms.get(vm.id).terminate()
            wait until vm.status == running timeout 1h
            """)
        let error = try #require(failure(outcome))
        #expect(error.value.kind == .waitFailed)
        #expect(error.message.hasPrefix("VM 'doomed' ("))
        #expect(error.message.hasSuffix("is terminated after 0s: 'vm.status == running' cannot become true"))
    }

    @Test func waitThatMentionsTheStateDoesNotFailFast() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let vm = vms.create(name: "short", vmTypeId: 101, region: "us-east-1")
            vm.terminate()
            wait until vm.status in [running, terminated]
            print(vm.status)
            """)
        #expect(failure(outcome) == nil)
        #expect(harness.output.all == ["terminated"])
    }

    @Test func timeoutNamesTheConditionTheStatesAndTheTime() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let vm = vms.create(name: "slow", vmTypeId: 101, region: "us-east-1")
            wait until vm.status == running timeout 30s
            """)
        let error = try #require(failure(outcome))
        #expect(error.value.kind == .timeout)
        #expect(error.message == "timed out after 30s waiting for 'vm.status == running' (vm = slow is initializing)")
    }

    @Test func aFleetWhoseFourthCreateFailsLeavesNothingRunning() async throws {
        // A refusal (10001), not a system error: a 10002 leaves the outcome unknown, and the create
        // is resolved and sent again (LedgerTruthTests).
        let harness = try CloudHarness(faults: "nth=4,ops=pods.create,codes=10001")
        let outcome = await harness.run(try CloudHarness.example("fleet.gpus"), name: "fleet.gpus")
        let error = try #require(failure(outcome))
        #expect(Printer.repr(error.value.code) == "10001")
        // The iterations that created pods: their pods are in the ledger, and cleanup removes them.
        // Iterations cancelled by the failure created nothing; the others are in the ledger.
        let created = harness.session.ledger.live
        #expect(created.count >= 3 && created.count <= 7)
        #expect(await harness.statuses("/v2/pods").count == created.count)
        let report = await harness.session.cleanup().lines
        #expect(report.count == created.count && report.allSatisfy { $0.hasPrefix("deleted Pod worker-") })
        #expect(await harness.statuses("/v2/pods").allSatisfy { $0 == "TERMINATING" || $0 == "TERMINATED" })
    }

    @Test func cleanupAfterAScriptThatFailsMidway() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            let ep = endpoints.create(name: "half", image: "i", serviceMode: "QUEUE",
                                      resources: [{region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1}],
                                      workers: 1, containerVolumeInGb: 20)
            let vol = volumes.create(name: "scratch", storageType: "S3")
            let vm = vms.create(name: "half-vm", vmTypeId: 101, region: "us-east-1")
            throw "something broke"
            """)
        #expect(failure(outcome)?.message == "something broke")
        #expect(Set(harness.session.ledger.live.map(\.kind)) == [.endpoint, .volume, .vm])
        let report = await harness.session.cleanup().lines
        #expect(report.allSatisfy { $0.hasPrefix("deleted") }, "\(report)")
        #expect(harness.session.ledger.live.isEmpty)
        #expect(await harness.statuses("/v2/vms") == ["terminated"])
        #expect(await harness.statuses("/v2/serverless").isEmpty)
    }

    @Test func aCreateWhoseResponseIsLostIsFoundByName() async throws {
        /// Forwards requests, but loses the response of the first create.
        final class LossyTransport: HTTPTransport, @unchecked Sendable {
            let inner: EmbeddedTransport
            var lost = false
            init(_ inner: EmbeddedTransport) { self.inner = inner }
            func send(_ request: HTTPRequest) async throws(TransportFailure) -> HTTPResponse {
                let response = try await inner.send(request)
                if request.method == .post, request.path == "/v2/vms", !lost {
                    lost = true
                    throw .timedOut
                }
                return response
            }
        }
        let harness = try CloudHarness(transport: { LossyTransport(EmbeddedTransport(service: $0)) })
        let outcome = await harness.run(
            "let vm = vms.create(name: \"lost\", vmTypeId: 101, region: \"us-east-1\")\nprint(vm.name)")
        #expect(failure(outcome) == nil)
        #expect(harness.output.all == ["lost"])
        #expect(harness.session.ledger.live.map(\.name) == ["lost"])
        #expect(harness.service.requestCounts()[.createVM] == 1)
    }

    @Test func ensureRefusesAmbiguousNames() async throws {
        let harness = try CloudHarness()
        let outcome = await harness.run(
            """
            vms.create(name: "twin", vmTypeId: 101, region: "us-east-1")
            vms.create(name: "twin", vmTypeId: 101, region: "us-east-1")
            vms.ensure(name: "twin", vmTypeId: 101, region: "us-east-1")
            """)
        #expect(failure(outcome)?.message.hasPrefix("2 live VMs are named 'twin' (ids ") == true)
    }
}
