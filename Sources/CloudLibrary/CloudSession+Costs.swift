import Language
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
        return costs
    }
}
