import Foundation
import Testing
import YottaAPI

@testable import Sandbox

/// Every operation runs its own handler (reliability of the dispatch: a `default:` once ran delete or
/// terminate for any operation it did not name).
@Suite struct DispatchTests {
    /// A VM, a pod, a QUEUE endpoint, a volume and a credential, all running or active.
    static func populated() async throws -> (Harness, [String: String]) {
        let sandbox = try Harness()
        let offer = try await sandbox.offer()
        let vm = try await sandbox.client.createVM(
            CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "vm"))
        let pod = try await sandbox.client.createPod(
            CreatePodRequest(name: "pod", image: "img", gpuType: "NVIDIA_H100_80G", gpuCount: 1))
        let endpoint = try await sandbox.queueEndpoint()
        let volume = try await sandbox.client.createVolume(
            CreateVolumeRequest(name: "data", storageType: .init(.s3)))
        let credential = try await sandbox.client.createCredential(
            CreateCredentialRequest(name: "hub", username: "u", password: "p"))
        sandbox.advance(.seconds(600))
        let workers = try await sandbox.client.listWorkers(endpointID: endpoint.id)
        return (
            sandbox,
            [
                "vm": vm.id.rawValue, "pod": pod.id.rawValue, "endpoint": endpoint.id.rawValue,
                "volume": volume.id.rawValue, "credential": credential.id.rawValue,
                "worker": workers.first?.workerId ?? "w",
            ]
        )
    }

    /// Every status and event count, to see whether a request changed anything.
    static func fingerprint(_ sandbox: Harness) async throws -> [String] {
        let now = sandbox.clock.nowMillis()
        var lines: [String] = []
        for kind in ResourceKind.allCases {
            for stored in try await sandbox.service.store.read({ try $0.resources(kind: kind) }) {
                lines.append(
                    "\(kind) \(stored.id) \(stored.events.count) \(stored.goneAt.map(String.init) ?? "-") \(CurrentStatus.of(stored, now: now).status)"
                )
            }
        }
        return lines
    }

    /// The path of `operation` for the populated resources.
    static func path(_ operation: APIOperation, _ ids: [String: String]) -> String {
        let kind =
            switch operation {
            case .getVM, .renameVM, .terminateVM: "vm"
            case .getPod, .deletePod, .pausePod, .resumePod, .podCPUMetrics, .podGPUMetrics, .podMemoryMetrics,
                .podGPUMemoryMetrics, .podStorageMetrics:
                "pod"
            case .getVolume, .renameVolume, .resizeVolume, .deleteVolume: "volume"
            case .getCredential, .updateCredential, .deleteCredential: "credential"
            default: "endpoint"
            }
        return operation.pathTemplate.replacingOccurrences(of: "{id}", with: ids[kind] ?? "1")
            .replacingOccurrences(of: "{pod_id}", with: ids[kind] ?? "1")
            .replacingOccurrences(of: "{taskId}", with: "t1")
            .replacingOccurrences(of: "{workerId}", with: ids["worker"] ?? "w")
            .replacingOccurrences(of: "{count}", with: "2")
    }

    @Test(arguments: APIOperation.allCases.filter { $0.method == .get })
    func aReadChangesNothing(_ operation: APIOperation) async throws {
        let (sandbox, ids) = try await Self.populated()
        let before = try await Self.fingerprint(sandbox)
        let query: [(String, String)] = operation == .listVolumes ? [("storageType", "S3")] : []
        let response = await sandbox.raw("GET", Self.path(operation, ids), query: query)
        #expect(response.status == 200, "\(operation): \(response.message)")
        #expect(try await Self.fingerprint(sandbox) == before, "\(operation) changed the state")
    }

    /// A change with an empty body is refused before it changes anything, and names a field of its
    /// own operation's body (so the right handler read it).
    @Test(arguments: APIOperation.allCases.filter { $0.method != .get && $0.method != .delete })
    func aChangeWithAnEmptyBodyIsRefusedByItsOwnHandler(_ operation: APIOperation) async throws {
        let (sandbox, ids) = try await Self.populated()
        let before = try await Self.fingerprint(sandbox)
        let response = await sandbox.raw(operation.method.rawValue, Self.path(operation, ids), body: "{\"unknown\":1}")
        switch operation {
        case .listGPUResources:
            // A read with every filter optional: it answers and changes nothing.
            #expect(response.status == 200, "\(operation): \(response.status) \(response.message)")
            #expect(try await Self.fingerprint(sandbox) == before, "\(operation) changed the state")
        case .pausePod, .resumePod, .startEndpoint, .stopEndpoint, .scaleEndpoint:
            // No body: they act. Exactly one new event, on their own resource.
            let after = try await Self.fingerprint(sandbox)
            let changed = after.filter { !before.contains($0) }
            #expect(changed.count <= 1, "\(operation): \(changed)")
        default:
            #expect(response.status == 400, "\(operation): \(response.status) \(response.message)")
            #expect(try await Self.fingerprint(sandbox) == before, "\(operation) changed the state")
        }
    }
}
