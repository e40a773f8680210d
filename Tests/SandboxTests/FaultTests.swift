import Foundation
import Sandbox
import Testing
import YottaAPI

/// Fault injection: repeatable with a seed, limited to the operations named.
@Suite struct FaultTests {
    /// The codes 100 list calls get under a plan and a seed.
    func outcomes(_ spec: String, seed: UInt64) async throws -> [Int] {
        let sandbox = try Harness(faults: try FaultPlan(spec: spec), seed: seed)
        var codes: [Int] = []
        for _ in 0..<100 {
            let response = await sandbox.raw("GET", "/v2/pods")
            codes.append(response.code ?? response.status)
        }
        return codes
    }

    @Test func aSeedMakesFaultsRepeatable() async throws {
        let spec = "rate=0.3,codes=10002+24000+503"
        let first = try await outcomes(spec, seed: 42)
        let again = try await outcomes(spec, seed: 42)
        let other = try await outcomes(spec, seed: 43)
        #expect(first == again)
        #expect(first != other)
        let failures = first.filter { $0 != 10000 }.count
        #expect((15...45).contains(failures), "\(failures) failures at rate 0.3")
        #expect(Set(first).isSubset(of: [10000, 10002, 24000]))
        #expect(Set(first).count == 3)
    }

    @Test func http503IsAnHTTPStatus() async throws {
        let sandbox = try Harness(faults: try FaultPlan(spec: "rate=1,codes=503"))
        let response = await sandbox.raw("GET", "/v2/vms/types")
        #expect(response.status == 503 && response.code == 10002)
    }

    @Test func nthFailsExactlyThatRequestOfTheNamedOperations() async throws {
        let sandbox = try Harness(faults: try FaultPlan(spec: "nth=4,ops=pods.create,codes=10002"))
        var results: [Bool] = []
        for index in 1...6 {
            _ = try await sandbox.client.listPods()
            do {
                _ = try await sandbox.client.createPod(
                    CreatePodRequest(name: "w\(index)", image: "i", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1))
                results.append(true)
            } catch {
                results.append(false)
                #expect(code(of: error) == 10002)
            }
        }
        #expect(results == [true, true, true, false, true, true])
        #expect(try await sandbox.client.listPods().count == 5)
    }

    @Test func capacityMarksOffersUnavailable() async throws {
        let sandbox = try Harness(faults: try FaultPlan(spec: "capacity=us-east-1"))
        let offers = try await sandbox.client.listVMTypes().flatMap(\.regions).filter { $0.region == "us-east-1" }
        #expect(!offers.isEmpty && offers.allSatisfy { !$0.available })
    }

    @Test func latencyIsAdded() async throws {
        let sandbox = try Harness(faults: try FaultPlan(spec: "latency=30ms"))
        let started = ContinuousClock.now
        _ = await sandbox.raw("GET", "/v2/pods")
        #expect(ContinuousClock.now - started >= .milliseconds(30))
    }

    @Test(arguments: [
        "rate=2", "codes=x", "latency=fast", "speed=3", "nth=0", "rate",
        // A misspelt operation, namespace, region or GPU type would inject nothing, silently.
        "ops=pod.create", "ops=pods.create+vm", "capacity=us-est-1", "capacity=us-east-1+NVIDIA_H101_80G",
    ])
    func badSpecsAreRejected(_ spec: String) {
        #expect(throws: SandboxSetupError.self) { try FaultPlan(spec: spec) }
    }

    @Test func everyOperationNamespaceRegionAndGPUTypeIsAccepted() throws {
        let operations = APIOperation.allCases.map(\.rawValue)
        #expect(try FaultPlan(spec: "ops=" + operations.joined(separator: "+")).operations.count == operations.count)
        #expect(try FaultPlan(spec: "ops=pods+vms").operations == ["pods", "vms"])
        let names = Catalogue.regions.map(\.code) + Catalogue.hourlyPrice.keys.sorted()
        #expect(try FaultPlan(spec: "capacity=" + names.joined(separator: "+")).outOfCapacity.count == names.count)
    }
}
