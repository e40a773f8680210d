import Foundation
import Runs
import YottaAPI

extension CloudSession {
    /// Every live resource of every kind — what `ensure`, names and lists can find — read with list
    /// calls (GETs) only.
    public func liveResources() async throws -> CloudResources {
        var live = CloudResources()
        try await api {
            live.vms = try await client.allVMs().collect().filter(\.isLive)
            live.pods = try await client.listPods().filter(\.isLive)
            live.endpoints = try await client.listEndpoints().filter(\.isLive)
            for type in StorageType.allCases {
                live.volumes += try await client.allVolumes(storageType: type).collect().filter(\.isLive)
            }
            live.credentials = try await client.listCredentials()
        }
        return live
    }

    /// Each resource's price per hour now (nil: unknown), by id: a pod's and an endpoint's from
    /// their own records, a VM's from this session's offers.
    public func perHour(of resources: CloudResources) async -> [String: Double?] {
        let book = await prices()
        var perHour: [String: Double?] = [:]
        let models: [any CloudModel] = resources.vms + resources.pods + resources.endpoints + resources.volumes
        for model in models { perHour[model.id.rawValue] = book.perHour(model) }
        return perHour
    }
}
