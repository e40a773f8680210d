import Foundation
import Synchronization
import YottaAPI

/// Values the REPL completes for arguments: fixed vocabularies at once, and the ids and names of
/// live resources from a cache refreshed in the background (a TAB never waits for the network).
public final class CompletionValues: Sendable {
    let client: YottaClient
    private let cache = Mutex<(ids: [String], names: [String], regions: [String], fetched: Date?)>(
        ([], [], ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-central-3", "ap-southeast-1"], nil))
    private let refreshing = Mutex(false)
    let maximumAge: TimeInterval

    public init(client: YottaClient, maximumAge: TimeInterval = 10) {
        self.client = client
        self.maximumAge = maximumAge
    }

    public func values(for parameter: String) -> [String] {
        switch parameter {
        case "gpuType": return GPUType.catalogue.filter { !$0.legacy }.map(\.code)
        case "storageType": return StorageType.allCases.map(\.rawValue)
        case "serviceMode": return ServiceMode.allCases.map(\.rawValue)
        case "type": return CredentialType.allCases.map(\.rawValue)
        case "imagePublicType": return ImagePublicType.allCases.map(\.rawValue)
        case "resourceType": return ResourceType.allCases.map(\.rawValue)
        case "vendorVolumeType": return VendorVolumeType.allCases.map(\.rawValue)
        case "status", "statusList":
            return VMStatus.allCases.map(\.rawValue) + PodStatus.allCases.map(\.rawValue)
                + EndpointStatus.allCases.map(\.rawValue)
        case "region", "regions":
            refreshIfStale()
            return cache.withLock { $0.regions }
        case "id":
            refreshIfStale()
            return cache.withLock { $0.ids }
        case "name":
            refreshIfStale()
            return cache.withLock { $0.names }
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
        var ids: [String] = []
        var names: [String] = []
        var regions = Set<String>()
        if let vms = try? await client.allVMs(pageSize: 1000).collect() {
            for vm in vms where vm.status != .terminated {
                ids.append(vm.id.rawValue)
                names += vm.name.map { [$0] } ?? []
            }
        }
        if let pods = try? await client.listPods() {
            for pod in pods where ![.terminated, .failed].contains(pod.status.known) {
                ids.append(pod.id.rawValue)
                names += pod.name.map { [$0] } ?? []
            }
        }
        if let endpoints = try? await client.listEndpoints() {
            ids += endpoints.map(\.id.rawValue)
            names += endpoints.compactMap(\.name)
        }
        if let types = try? await client.listVMTypes() {
            regions = Set(types.flatMap { $0.regions.map(\.region) })
        }
        cache.withLock { state in
            state.ids = ids
            state.names = names
            if !regions.isEmpty { state.regions = regions.sorted() }
            state.fetched = Date()
        }
    }
}
