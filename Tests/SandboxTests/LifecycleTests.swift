import Foundation
import Sandbox
import Testing
import YottaAPI

/// Lifecycles that take time, driven by a manual clock at speed 1 (realistic durations).
@Suite struct LifecycleTests {
    @Test func vmBootsInAboutAMinuteAndTerminates() async throws {
        let sandbox = try Harness()
        let offer = try await sandbox.offer()
        let vm = try await sandbox.client.createVM(
            CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "trainer"))
        #expect(vm.status == .initializing)
        #expect(vm.id.int64Value.map { $0 > 1 << 53 } == true)
        sandbox.advance(.seconds(59))
        #expect(try await sandbox.client.getVM(id: vm.id).status == .initializing)
        sandbox.advance(.seconds(1))
        let running = try await sandbox.client.getVM(id: vm.id)
        #expect(running.status == .running)
        #expect(running.sshTemplate?.hasPrefix("ssh root@") == true)
        sandbox.advance(.seconds(3600))
        #expect(try await sandbox.client.getVM(id: vm.id).cost?.value == 2.49)
        try await sandbox.client.terminateVM(id: vm.id)
        #expect(try await sandbox.client.getVM(id: vm.id).status == .terminated)
        let again = await #expect(throws: YottaError.self) { try await sandbox.client.terminateVM(id: vm.id) }
        #expect(code(of: again) == 11001)
        let missing = await #expect(throws: YottaError.self) { try await sandbox.client.getVM(id: 12345) }
        #expect(code(of: missing) == 11000)
    }

    @Test func unavailableOfferIsRefused() async throws {
        let sandbox = try Harness()
        let types = try await sandbox.client.listVMTypes()
        let unavailable = try #require(types.flatMap(\.regions).first { !$0.available })
        let error = await #expect(throws: YottaError.self) {
            try await sandbox.client.createVM(
                CreateVMRequest(vmTypeId: unavailable.vmTypeId, region: unavailable.region, name: "x"))
        }
        #expect(code(of: error) == 12001)
    }

    @Test func spotVMCanBePreempted() async throws {
        var faults = FaultPlan()
        faults.preemptionRate = 1
        let sandbox = try Harness(faults: faults)
        let offer = try await sandbox.offer()
        let vm = try await sandbox.client.createVM(
            CreateVMRequest(vmTypeId: offer.vmTypeId, region: offer.region, name: "cheap", isSpot: 1))
        sandbox.advance(.seconds(61))
        #expect(try await sandbox.client.getVM(id: vm.id).status == .running)
        sandbox.advance(.seconds(300))
        #expect(try await sandbox.client.getVM(id: vm.id).status == .stopped)
    }

    @Test func podPausesResumesAndTerminates() async throws {
        let sandbox = try Harness()
        let pod = try await sandbox.client.createPod(
            CreatePodRequest(name: "w", image: "pytorch/pytorch", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 2))
        #expect(pod.status == .initialize)
        let early = await #expect(throws: YottaError.self) { try await sandbox.client.pausePod(id: pod.id) }
        #expect(code(of: early) == 12001)
        sandbox.advance(.seconds(30))
        #expect(try await sandbox.client.getPod(id: pod.id).status == .running)
        try await sandbox.client.pausePod(id: pod.id)
        #expect(try await sandbox.client.getPod(id: pod.id).status == .pausing)
        sandbox.advance(.seconds(10))
        #expect(try await sandbox.client.getPod(id: pod.id).status == .paused)
        try await sandbox.client.resumePod(id: pod.id)
        #expect(try await sandbox.client.getPod(id: pod.id).status == .initialize)
        sandbox.advance(.seconds(15))
        #expect(try await sandbox.client.getPod(id: pod.id).status == .running)
        #expect(try await sandbox.client.listPods(PodFilter(statuses: ["RUNNING"])).count == 1)
        #expect(try await sandbox.client.listPods(PodFilter(statuses: ["PAUSED"])).isEmpty)
        try await sandbox.client.deletePod(id: pod.id)
        #expect(try await sandbox.client.getPod(id: pod.id).status == .terminating)
        sandbox.advance(.seconds(10))
        #expect(try await sandbox.client.getPod(id: pod.id).status == .terminated)
        let late = await #expect(throws: YottaError.self) { try await sandbox.client.resumePod(id: pod.id) }
        #expect(code(of: late) == 12001)
    }

    @Test func podOutOfCapacityFails() async throws {
        var faults = FaultPlan()
        faults.outOfCapacity = ["NVIDIA_H200_141G"]
        let sandbox = try Harness(faults: faults)
        let pod = try await sandbox.client.createPod(
            CreatePodRequest(name: "big", image: "img", gpuType: "NVIDIA_H200_141G", gpuCount: 8))
        sandbox.advance(.seconds(20))
        #expect(try await sandbox.client.getPod(id: pod.id).status == .failed)
    }

    @Test func endpointWorkersComeUpOneByOneAndGetNewIDsOnStart() async throws {
        let sandbox = try Harness()
        let endpoint = try await sandbox.queueEndpoint(workers: 3)
        #expect(endpoint.id.wireForm == .string)
        #expect(endpoint.status == .initializing)
        sandbox.advance(.seconds(45))
        var workers = try await sandbox.client.listWorkers(endpointID: endpoint.id)
        #expect(workers.map(\.status.rawValue) == ["running", "initializing", "initializing"])
        sandbox.advance(.seconds(10))
        workers = try await sandbox.client.listWorkers(endpointID: endpoint.id)
        #expect(workers.allSatisfy { $0.status == .running })
        let running = try await sandbox.client.getEndpoint(id: endpoint.id)
        #expect(running.status == .running && running.runningWorkers == 3)

        try await sandbox.client.scaleEndpoint(id: endpoint.id, workers: 1)
        #expect(try await sandbox.client.listWorkers(endpointID: endpoint.id).count == 1)
        try await sandbox.client.scaleEndpoint(id: endpoint.id, workers: 2)
        #expect(
            try await sandbox.client.listWorkers(endpointID: endpoint.id).map(\.status.rawValue) == [
                "running", "initializing",
            ])

        let busy = await #expect(throws: YottaError.self) { try await sandbox.client.deleteEndpoint(id: endpoint.id) }
        #expect(code(of: busy) == 24002)
        try await sandbox.client.stopEndpoint(id: endpoint.id)
        #expect(try await sandbox.client.getEndpoint(id: endpoint.id).status == .stopping)
        sandbox.advance(.seconds(10))
        #expect(try await sandbox.client.getEndpoint(id: endpoint.id).status == .stopped)
        #expect(try await sandbox.client.listWorkers(endpointID: endpoint.id).isEmpty)

        try await sandbox.client.startEndpoint(id: endpoint.id)
        sandbox.advance(.seconds(60))
        let restarted = try await sandbox.client.listWorkers(endpointID: endpoint.id)
        #expect(restarted.count == 2)
        #expect(Set(restarted.map(\.workerId)).isDisjoint(with: workers.map(\.workerId)))
        try await sandbox.client.stopEndpoint(id: endpoint.id)
        sandbox.advance(.seconds(10))
        try await sandbox.client.deleteEndpoint(id: endpoint.id)
        let gone = await #expect(throws: YottaError.self) { _ = try await sandbox.client.getEndpoint(id: endpoint.id) }
        #expect(code(of: gone) == 14000)
    }

    @Test func endpointEditsOnlyWhileStopped() async throws {
        let sandbox = try Harness()
        let endpoint = try await sandbox.queueEndpoint(workers: 1)
        var update = UpdateEndpointRequest(
            name: "embedder2",
            resources: [EndpointResource(region: "us-west-2", gpuType: "NVIDIA_H100_80G", gpuCount: 2)],
            workers: 2, containerVolumeInGb: 40)
        update.environmentVars = [EnvironmentVariable(key: "MODE", value: "fast")]
        let early = await #expect(throws: YottaError.self) {
            _ = try await sandbox.client.updateEndpoint(id: endpoint.id, update)
        }
        #expect(code(of: early) == 12001)
        try await sandbox.client.stopEndpoint(id: endpoint.id)
        sandbox.advance(.seconds(10))
        let updated = try await sandbox.client.updateEndpoint(id: endpoint.id, update)
        #expect(updated.name == "embedder2" && updated.totalWorkers == 2 && updated.containerVolumeInGb == 40)
        #expect(updated.image == "acme/embed:1.2")
        try await sandbox.client.startEndpoint(id: endpoint.id)
        sandbox.advance(.seconds(60))
        #expect(try await sandbox.client.listWorkers(endpointID: endpoint.id).count == 2)
    }

    @Test func volumeCreatesResizesAndDeletes() async throws {
        let sandbox = try Harness()
        let volume = try await sandbox.client.createVolume(
            CreateVolumeRequest(name: "datasets", storageType: .init(.ceph), region: "us-east-1", sizeInGb: 100))
        #expect(volume.status == .creating)
        let early = await #expect(throws: YottaError.self) {
            try await sandbox.client.resizeVolume(id: volume.id, sizeInGb: 200)
        }
        #expect(code(of: early) == 12001)
        sandbox.advance(.seconds(10))
        #expect(try await sandbox.client.getVolume(id: volume.id).status == .active)
        try await sandbox.client.resizeVolume(id: volume.id, sizeInGb: 200)
        let resizing = try await sandbox.client.getVolume(id: volume.id)
        #expect(resizing.status == .resizing && resizing.sizeInGb == 100)
        sandbox.advance(.seconds(10))
        let resized = try await sandbox.client.getVolume(id: volume.id)
        #expect(resized.status == .active && resized.sizeInGb == 200)
        let renamed = try await sandbox.client.renameVolume(id: volume.id, name: "datasets-v2")
        #expect(renamed.name == "datasets-v2")
        #expect(try await sandbox.client.listVolumes(storageType: .ceph).items.count == 1)
        #expect(try await sandbox.client.listVolumes(storageType: .s3).items.isEmpty)

        var request = CreatePodRequest(name: "reader", image: "img", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        request.persistentVolumes = [PersistentVolumeMount(volumeId: volume.id, mountPath: "/data")]
        let pod = try await sandbox.client.createPod(request)
        #expect(try await sandbox.client.getVolume(id: volume.id).mountCount == 1)
        let mounted = await #expect(throws: YottaError.self) { try await sandbox.client.deleteVolume(id: volume.id) }
        #expect(code(of: mounted) == 12001)
        try await sandbox.client.deletePod(id: pod.id)
        sandbox.advance(.seconds(10))
        try await sandbox.client.deleteVolume(id: volume.id)
        #expect(try await sandbox.client.getVolume(id: volume.id).status == .deleting)
        sandbox.advance(.seconds(5))
        let gone = await #expect(throws: YottaError.self) { _ = try await sandbox.client.getVolume(id: volume.id) }
        #expect(code(of: gone) == 10007)
    }

    @Test func objectStorageCannotBeResized() async throws {
        let sandbox = try Harness()
        let volume = try await sandbox.client.createVolume(CreateVolumeRequest(name: "ckpt", storageType: .init(.s3)))
        sandbox.advance(.seconds(10))
        let error = await #expect(throws: YottaError.self) {
            try await sandbox.client.resizeVolume(id: volume.id, sizeInGb: 5)
        }
        #expect(code(of: error) == 10001)
    }

    @Test func credentialInUseCannotBeDeleted() async throws {
        let sandbox = try Harness()
        let credential = try await sandbox.client.createCredential(
            CreateCredentialRequest(name: "hub", username: "me", password: "hunter2"))
        #expect(credential.type == .init(.dockerHub))
        var request = CreatePodRequest(
            name: "private", image: "acme/secret:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        request.containerRegistryAuthId = credential.id
        request.imagePublicType = .init(.privateImage)
        let pod = try await sandbox.client.createPod(request)
        let error = await #expect(throws: YottaError.self) {
            try await sandbox.client.deleteCredential(id: credential.id)
        }
        guard case .api(let apiError)? = error else { return #expect(Bool(false)) }
        #expect(apiError.code == .credentialInUse)
        #expect(apiError.credentialUsage?.podList.first?["name"] == "private")
        try await sandbox.client.deletePod(id: pod.id)
        sandbox.advance(.seconds(10))
        let updated = try await sandbox.client.updateCredential(
            id: credential.id, UpdateCredentialRequest(name: "hub2"))
        #expect(updated.name == "hub2")
        try await sandbox.client.deleteCredential(id: credential.id)
        #expect(try await sandbox.client.listCredentials().isEmpty)
        let raw = await sandbox.raw("GET", "/v2/container-registry-auths")
        #expect(!String(decoding: raw.body, as: UTF8.self).contains("hunter2"))
    }
}
