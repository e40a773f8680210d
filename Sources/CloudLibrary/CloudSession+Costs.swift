import Foundation
import Language
import Runs
import YottaAPI

/// The catalogue with prices (`gpus.offers`) and what live resources cost per hour (`gpus.costs`,
/// `gpus costs`).
extension CloudSession {
    /// One live resource and its price per hour (GPU compute; storage is not priced by the API).
    struct LiveCost: Encodable {
        var kind: String
        var name: String?
        var id: String
        var status: String
        var gpuType: String?
        var gpuCount: Int?
        var region: String?
        /// Dollars per hour; nil when no price is known.
        var perHour: Double?
        /// When its ttl ends, from the run ledger.
        var expiresAt: Timestamp?
        var ttlLeft: String?
    }

    var priceFunctions: [Builtin] {
        [
            op(
                "gpus.offers", "GPU types by region with availability and the price of one card per hour.",
                [
                    .optional("regions", "list", "only these regions"),
                    .optional("minVramInGb", "int", "at least this much memory per card"),
                    .optional("maxVramInGb", "int", "at most this much memory per card"),
                ]
            ) { session, arguments in
                let regions: [String]? =
                    switch arguments.value("regions") {
                    case .list(let list)?: list.items.map(Printer.text)
                    case let value?: [Printer.text(value)]
                    case nil: nil
                    }
                let query = GPUResourceQuery(
                    regions: regions, minSingleCardVramInGb: try arguments.optionalInt("minVramInGb").map { Int($0) },
                    maxSingleCardVramInGb: try arguments.optionalInt("maxVramInGb").map { Int($0) })
                return session.records(try await session.client.listGPUResources(query), "Offer")
            },
            op("gpus.costs", "The live VMs, pods and endpoints with what each costs per hour (GPU compute).") {
                session, _ in
                session.records(try await session.liveCosts(), "Cost")
            },
        ]
    }

    /// Every live VM, pod and endpoint with what it costs per hour in its state (`Prices`: a paused
    /// pod or a stopped endpoint costs 0; what is gone — a terminating pod — is not listed).
    func liveCosts() async throws -> [LiveCost] {
        let prices = Prices(offers: (try? await client.listGPUResources()) ?? [])
        var costs: [LiveCost] = []
        for vm in try await client.allVMs(pageSize: 1000).collect() where vm.isLive {
            let gpuType =
                vm.gpuType
                ?? GPUType.catalogue.first { vm.gpuDisplayName?.hasSuffix($0.displayName) ?? false }?.code
            costs.append(
                LiveCost(
                    kind: "VM", name: vm.name, id: vm.id.rawValue, status: vm.status.rawValue, gpuType: gpuType,
                    gpuCount: vm.gpuCount, region: vm.region, perHour: prices.perHour(vm)))
        }
        for pod in try await client.listPods() where pod.isLive {
            costs.append(
                LiveCost(
                    kind: "Pod", name: pod.name, id: pod.id.rawValue, status: pod.status.rawValue, gpuType: pod.gpuType,
                    gpuCount: pod.gpuCount, region: pod.region, perHour: prices.perHour(pod)))
        }
        for endpoint in try await client.listEndpoints() where endpoint.isLive {
            let resource = endpoint.resources?.first
            costs.append(
                LiveCost(
                    kind: "Endpoint", name: endpoint.name, id: endpoint.id.rawValue, status: endpoint.status.rawValue,
                    gpuType: resource?.gpuType, gpuCount: resource?.gpuCount, region: resource?.region,
                    perHour: prices.perHour(endpoint)))
        }
        return await withTTLs(costs)
    }

    /// The costs with the ttl the run ledger records for each resource, if any.
    func withTTLs(_ costs: [LiveCost]) async -> [LiveCost] {
        var expiries: [String: Date] = [:]
        for kind in [ResourceKind.vm, .pod, .endpoint] {
            let ids = costs.filter { $0.kind == kind.rawValue }.map(\.id)
            guard !ids.isEmpty,
                let entries = try? await ledger.store.entries(
                    .resources(target: ledger.run.target, kind: kind, ids: ids))
            else { continue }
            for entry in entries where entry.isLive {
                if let id = entry.resourceID, let expiry = entry.expiresAt {
                    expiries["\(kind.rawValue)/\(id)"] = expiry
                }
            }
        }
        let now = Date()
        return costs.map { cost in
            guard let expiry = expiries["\(cost.kind)/\(cost.id)"] else { return cost }
            var cost = cost
            cost.expiresAt = Timestamp(epochMillis: Int64(expiry.timeIntervalSince1970 * 1000))
            let left = expiry.timeIntervalSince(now)
            cost.ttlLeft = left <= 0 ? "passed" : Printer.duration(.seconds(Int64(left.rounded(.up))))
            return cost
        }
    }
}
