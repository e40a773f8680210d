import Foundation
import Synchronization
import YottaAPI

/// Values the REPL completes for arguments: fixed vocabularies at once, and the ids and names of
/// live resources from a cache refreshed in the background (a TAB never waits for the network).
public final class CompletionValues: Sendable {
    let client: YottaClient

    /// A live resource, as completion shows it.
    struct Resource {
        var kind: String
        var id: String
        var name: String?
        var status: String
    }

    /// Live resources, the regions, the VM types (a `vmTypeId` with its GPU and region), and when.
    private let cache = Mutex<
        (resources: [Resource], regions: [String], vmTypes: [(id: String, note: String)], fetched: Date?)
    >(([], ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-central-3", "ap-southeast-1"], [], nil))
    private let refreshing = Mutex(false)
    let maximumAge: TimeInterval

    public init(client: YottaClient, maximumAge: TimeInterval = 10) {
        self.client = client
        self.maximumAge = maximumAge
    }

    /// The values for a parameter, without notes.
    public func values(for parameter: String, kind: String? = nil) -> [String] {
        candidates(for: parameter, kind: kind).map(\.value)
    }

    /// The values for a parameter of a call on `kind` (`VM`, `Pod`, … or nil for any), each with a
    /// note to show beside it: a live resource's id with its name and status, a name with its status.
    public func candidates(for parameter: String, kind: String? = nil) -> [(value: String, note: String?)] {
        func plain(_ values: [String]) -> [(value: String, note: String?)] { values.map { ($0, nil) } }
        switch parameter {
        case "gpuType": return plain(GPUType.catalogue.filter { !$0.legacy }.map(\.code))
        case "storageType": return plain(StorageType.allCases.map(\.rawValue))
        case "serviceMode": return plain(ServiceMode.allCases.map(\.rawValue))
        case "type": return plain(CredentialType.allCases.map(\.rawValue))
        case "imagePublicType": return plain(ImagePublicType.allCases.map(\.rawValue))
        case "resourceType": return plain(ResourceType.allCases.map(\.rawValue))
        case "vendorVolumeType": return plain(VendorVolumeType.allCases.map(\.rawValue))
        case "region", "regions":
            refreshIfStale()
            return plain(cache.withLock { $0.regions })
        case "vmTypeId":
            // `vmTypeId: ⇥` offers the types with their GPU and region, not every name in scope.
            refreshIfStale()
            return cache.withLock { $0.vmTypes }.map { ($0.id, $0.note) }
        case "id", "name":
            refreshIfStale()
            let live = cache.withLock { $0.resources }.filter { kind == nil || $0.kind == kind }
            if parameter == "id" {
                return live.map { ($0.id, ([$0.name].compactMap { $0 } + [$0.status]).joined(separator: ", ")) }
            }
            return live.compactMap { resource in resource.name.map { ($0, resource.status) } }
        default: return []
        }
    }

    /// Starts a background refresh when the cache is older than `maximumAge`; never waits for it.
    public func refreshIfStale() {
        let stale = cache.withLock { state in state.fetched.map { Date().timeIntervalSince($0) > maximumAge } ?? true }
        guard stale,
            refreshing.withLock({ running in
                defer { running = true }
                return !running
            })
        else { return }
        Task { [self] in
            await refresh()
            refreshing.withLock { $0 = false }
        }
    }

    /// Fetches live resources now.
    public func refresh() async {
        var resources: [Resource] = []
        var regions = Set<String>()
        var vmTypes: [(id: String, note: String)] = []
        if let vms = try? await client.allVMs(pageSize: 1000).collect() {
            for vm in vms where vm.isLive {
                resources.append(
                    Resource(kind: "VM", id: vm.id.rawValue, name: vm.name, status: vm.status.rawValue.lowercased()))
            }
        }
        if let pods = try? await client.listPods() {
            for pod in pods where pod.isLive {
                resources.append(
                    Resource(kind: "Pod", id: pod.id.rawValue, name: pod.name, status: pod.status.rawValue.lowercased())
                )
            }
        }
        if let endpoints = try? await client.listEndpoints() {
            for endpoint in endpoints where endpoint.isLive {
                resources.append(
                    Resource(
                        kind: "Endpoint", id: endpoint.id.rawValue, name: endpoint.name,
                        status: endpoint.status.rawValue.lowercased()))
            }
        }
        if let types = try? await client.listVMTypes() {
            regions = Set(types.flatMap { $0.regions.map(\.region) })
            vmTypes = types.flatMap { type in
                type.regions.map { offer in
                    (
                        offer.vmTypeId.rawValue,
                        "\(type.gpuType), \(offer.region)" + (offer.available ? "" : ", sold out")
                    )
                }
            }
        }
        cache.withLock { state in
            state.resources = resources
            if !regions.isEmpty { state.regions = regions.sorted() }
            if !vmTypes.isEmpty { state.vmTypes = vmTypes }
            state.fetched = Date()
        }
    }
}
