import Foundation
import YottaAPI

/// Fills a state with many resources of every kind, for load tests (`gpus sandbox seed`,
/// `scripts/bench-sandbox`) and the scale tests: 30 % VMs, 40 % pods, 10 % endpoints, 15 % volumes,
/// 5 % credentials, created over the hour before `now`; one in ten pods and endpoints has a long
/// history (`historyLength` pause/resume or scale events), and some are terminated, deleted or
/// still booting, so every status occurs.
public struct SandboxSeeder: Sendable {
    public var count: Int
    /// Only these kinds (the pattern's other slots are skipped); nil: the mix above.
    public var kinds: Set<ResourceKind>?
    public var historyLength = 50
    public var timings = Timings()

    public init(count: Int) { self.count = count }

    /// What was created, by kind.
    public struct Report: Sendable, Equatable {
        public var created: [ResourceKind: Int] = [:]
    }

    @discardableResult
    public func seed(_ store: SandboxStore, now: Int64) throws -> Report {
        var report = Report()
        // Specs repeat (names live in their own column), so each variant is encoded once.
        var specs: [String: Data] = [:]
        let batch = 5_000
        var index = 0
        while index < count {
            let end = min(count, index + batch)
            let range = index..<end
            let created = try store.writeNow { writer -> [ResourceKind: Int] in
                var created: [ResourceKind: Int] = [:]
                for number in range {
                    let kind = try insert(number, writer, now: now, specs: &specs)
                    created[kind, default: 0] += 1
                }
                return created
            }
            report.created.merge(created, uniquingKeysWith: +)
            index = end
        }
        return report
    }

    /// The kind of the `number`th resource: the pattern of 20, or the chosen kinds in turn.
    func kind(_ number: Int) -> ResourceKind {
        guard let kinds, !kinds.isEmpty else { return Self.kind(number) }
        let chosen = ResourceKind.allCases.filter(kinds.contains)
        return chosen[number % chosen.count]
    }

    /// The kind of the `number`th resource, in a repeating pattern of 20.
    static func kind(_ number: Int) -> ResourceKind {
        switch number % 20 {
        case 0..<6: .vm
        case 6..<14: .pod
        case 14..<16: .endpoint
        case 16..<19: .volume
        default: .credential
        }
    }

    private func insert(
        _ number: Int, _ writer: StoreWriter, now: Int64, specs: inout [String: Data]
    ) throws -> ResourceKind {
        func encoded(_ key: String, _ make: () -> any Encodable) throws -> Data {
            if let data = specs[key] { return data }
            let data = try make().jsonData()
            specs[key] = data
            return data
        }
        let kind = kind(number)
        // Spread over the last hour; the newest ones are still booting.
        let created = now - 3_600_000 + Int64(number % 3_600) * 1_000
        let region = Catalogue.regions[number % Catalogue.regions.count].code
        let long = (number / 20) % 10 == 0
        let name = "\(kind.stored)-\(number)"
        switch kind {
        case .vm:
            let spec = try encoded("vm \(region)") {
                VMSpec(vmTypeId: 101, region: region, gpuType: "NVIDIA_RTX_4090_24G", isSpot: 0, volumeMountPaths: nil)
            }
            var events = [ResourceEvent(.created, at: created, duration: timings.vmBoot)]
            if number % 7 == 0 { events.append(ResourceEvent(.terminate, at: created + 600_000)) }
            _ = try writer.insert(
                kind: .vm, name: name, spec: spec, events: events.filter { $0.at <= now }, now: created,
                region: region, statusAt: now)
        case .pod:
            let spec = try encoded("pod \(region)") {
                PodSpec(
                    request: CreatePodRequest(
                        name: "pod", image: "pytorch/pytorch:latest", gpuType: "NVIDIA_H100_80G", gpuCount: 1),
                    region: region)
            }
            var events = [ResourceEvent(.created, at: created, duration: timings.podBoot)]
            if long {
                for step in 0..<historyLength {
                    let at = created + 40_000 + Int64(step) * 30_000
                    events.append(
                        step % 2 == 0
                            ? ResourceEvent(.pause, at: at, duration: timings.podPause)
                            : ResourceEvent(.resume, at: at, duration: timings.podResume))
                }
            } else if number % 9 == 0 {
                events.append(ResourceEvent(.delete, at: created + 120_000, duration: timings.podTerminate))
            }
            _ = try writer.insert(
                kind: .pod, name: name, spec: spec,
                events: events.filter { $0.at <= now }, now: created, region: region, statusAt: now)
        case .endpoint:
            var request = CreateEndpointRequest(
                name: "ep\(number)", image: "acme/serve:1",
                resources: [EndpointResource(region: region, gpuType: "NVIDIA_A100_80G", gpuCount: 1)], workers: 2,
                containerVolumeInGb: 20, serviceMode: .init(.queue))
            request.expose = EndpointExpose(port: 8000, protocol: "http")
            let timing = EndpointTimeline.Timing(
                boot: timings.workerBoot, stagger: timings.workerStagger, stop: timings.endpointStop)
            let spec = try encoded("endpoint \(region)") { EndpointSpec(request: request, timing: timing) }
            var events = [ResourceEvent(.created, at: created, value: 2)]
            if long {
                for step in 0..<historyLength {
                    events.append(
                        ResourceEvent(.scale, at: created + 60_000 + Int64(step) * 10_000, value: Int64(1 + step % 3)))
                }
            }
            _ = try writer.insert(
                kind: .endpoint, name: request.name, spec: spec,
                events: events.filter { $0.at <= now }, now: created, statusAt: now)
        case .volume:
            let type: StorageType = number % 2 == 0 ? .ceph : .s3
            let spec = VolumeSpec(
                storageType: type.rawValue, region: type == .ceph ? region : nil, sizeInGb: type == .ceph ? 100 : nil,
                vendorVolumeType: nil)
            _ = try writer.insert(
                kind: .volume, name: "vol\(number)", spec: encoded("volume \(type) \(region)") { spec },
                events: [
                    ResourceEvent(
                        .created, at: created, duration: timings.volumeCreate, value: spec.sizeInGb.map(Int64.init))
                ],
                now: created, region: spec.region ?? "", subtype: type.rawValue, statusAt: now)
        case .credential:
            let spec = try encoded("credential") { CredentialSpec(type: "DOCKER_HUB", username: "u", password: "p") }
            _ = try writer.insert(
                kind: .credential, name: "cred\(number)", spec: spec, events: [], now: created, statusAt: now)
        }
        return kind
    }
}
