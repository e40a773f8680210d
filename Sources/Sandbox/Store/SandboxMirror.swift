import Foundation
import YottaAPI

extension SandboxStore {
    /// Writes the snapshot's resources as rows of this store with their own ids, names and specs,
    /// already in their state at `now` (running, paused, stopped, available). Fields the API does
    /// not return (a VM's `vmTypeId`, a credential's password) are filled from the catalogue or left
    /// as placeholders: a plan reads them, it never sends them.
    public func mirror(_ snapshot: CloudResources, now: Int64) throws {
        let settled = now - 7_200_000
        let timings = Timings.realistic
        func id(_ resource: ResourceID) -> Int64? { resource.int64Value }
        try writeNow { writer in
            for vm in snapshot.vms {
                let gpu = GPUType.catalogue.first { $0.displayName == vm.gpuDisplayName } ?? Catalogue.gpuTypes[0]
                let region = vm.region ?? Catalogue.regions[0].code
                let offer = Catalogue.vmTypes.first { $0.gpuType == gpu.code }?.regions.first { $0.region == region }
                let spec = VMSpec(
                    vmTypeId: offer?.vmTypeId.int64Value ?? 101, region: region, gpuType: gpu.code,
                    isSpot: vm.isSpot ?? 0, volumeMountPaths: nil)
                _ = try writer.insert(
                    kind: .vm, name: vm.name ?? "", spec: try spec.jsonData(),
                    events: [ResourceEvent(.created, at: settled, duration: timings.vmBoot)], now: settled,
                    region: region, statusAt: now, id: id(vm.id))
            }
            for pod in snapshot.pods {
                var request = CreatePodRequest(
                    name: pod.name, image: pod.image ?? "", gpuType: pod.gpuType ?? "", gpuCount: pod.gpuCount ?? 1)
                request.containerVolumeInGb = pod.containerVolumeInGb
                request.shmInGb = pod.shmInGb
                request.environmentVars = pod.environmentVars
                request.initializationCommand = pod.initializationCommand
                request.expose = pod.expose
                request.imageRegistry = pod.imageRegistry
                let region = pod.region ?? Catalogue.regions[0].code
                var events = [ResourceEvent(.created, at: settled, duration: timings.podBoot)]
                if pod.status == .paused || pod.status == .pausing {
                    events.append(ResourceEvent(.pause, at: settled + 3_600_000, duration: timings.podPause))
                }
                _ = try writer.insert(
                    kind: .pod, name: pod.name ?? "", spec: try PodSpec(request: request, region: region).jsonData(),
                    events: events, now: settled, region: region, statusAt: now, id: id(pod.id))
            }
            for endpoint in snapshot.endpoints {
                var request = CreateEndpointRequest(
                    name: endpoint.name ?? "", image: endpoint.image ?? "", resources: endpoint.resources ?? [],
                    workers: endpoint.totalWorkers ?? 1, containerVolumeInGb: endpoint.containerVolumeInGb ?? 20,
                    serviceMode: endpoint.serviceMode ?? .init(.queue))
                request.environmentVars = endpoint.environmentVars
                request.expose = endpoint.expose
                request.webhook = endpoint.webhook
                request.imageRegistry = endpoint.imageRegistry
                let timing = EndpointTimeline.Timing(
                    boot: timings.workerBoot, stagger: timings.workerStagger, stop: timings.endpointStop)
                var events = [
                    ResourceEvent(.created, at: settled, value: Int64(endpoint.totalWorkers ?? request.workers))
                ]
                if endpoint.status == .stopped || endpoint.status == .stopping {
                    events.append(ResourceEvent(.stop, at: settled + 3_600_000))
                }
                _ = try writer.insert(
                    kind: .endpoint, name: request.name,
                    spec: try EndpointSpec(request: request, timing: timing).jsonData(),
                    events: events, now: settled, statusAt: now, id: id(endpoint.id))
            }
            for volume in snapshot.volumes {
                let type = volume.storageType?.rawValue ?? StorageType.s3.rawValue
                let spec = VolumeSpec(
                    storageType: type, region: volume.region, sizeInGb: volume.sizeInGb,
                    vendorVolumeType: volume.vendorVolumeType?.rawValue)
                _ = try writer.insert(
                    kind: .volume, name: volume.name ?? "", spec: try spec.jsonData(),
                    events: [
                        ResourceEvent(
                            .created, at: settled, duration: timings.volumeCreate,
                            value: volume.sizeInGb.map(Int64.init))
                    ], now: settled, region: volume.region ?? "", subtype: type, statusAt: now, id: id(volume.id))
            }
            for credential in snapshot.credentials {
                let spec = CredentialSpec(
                    type: credential.type?.rawValue ?? CredentialType.dockerHub.rawValue, username: "", password: "")
                _ = try writer.insert(
                    kind: .credential, name: credential.name, spec: try spec.jsonData(), events: [], now: settled,
                    statusAt: now, id: id(credential.id))
            }
        }
    }
}
