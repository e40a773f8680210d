import Foundation
import Runs
import YottaAPI

extension CloudSession {
    /// Every live resource of every kind — what `ensure`, names and lists can find — each with its
    /// price per hour now (nil: unknown), by id.
    public func liveResources() async throws -> (resources: CloudResources, perHour: [String: Double?]) {
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
        let book = await prices()
        var perHour: [String: Double?] = [:]
        let models: [any CloudModel] = live.vms + live.pods + live.endpoints + live.volumes
        for model in models { perHour[model.id.rawValue] = book.perHour(model) }
        return (live, perHour)
    }
}
