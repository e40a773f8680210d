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
                "gpus.offers",
                "GPU types by region with availability, the price of one card per hour and the vmTypeId a VM create takes.",
                [
                    .optional("regions", .list, "only these regions"),
                    .optional("gpuType", .any, "only this GPU code, or these (a list)"),
                    .optional("minVramInGb", .int, "at least this much memory per card"),
                    .optional("maxVramInGb", .int, "at most this much memory per card"),
                    .optional("maxPrice", .number, "at most this many US$ per card and hour"),
                    .optional("minCards", .int, "at least this many cards available"),
                    .optional("available", .bool, "true: only offers available now"),
                    .optional("sort", .string, "price (cheapest first) or -price (dearest first)"),
                ]
            ) { session, arguments in
                func texts(_ name: String) -> [String]? {
                    switch arguments.value(name) {
                    case .list(let list)?: list.items.map(Printer.text)
                    case let value?: [Printer.text(value)]
                    case nil: nil
                    }
                }
                let query = GPUResourceQuery(
                    regions: texts("regions"),
                    minSingleCardVramInGb: try arguments.optionalInt("minVramInGb").map { Int($0) },
                    maxSingleCardVramInGb: try arguments.optionalInt("maxVramInGb").map { Int($0) })
                let filter = try OfferFilter(
                    gpuTypes: texts("gpuType"), maxPrice: arguments.optionalDouble("maxPrice"),
                    minCards: arguments.optionalInt("minCards").map { Int($0) },
                    availableOnly: arguments.optionalBool("available") ?? false, sort: arguments.optionalString("sort"))
                if let sort = filter.sort, !["price", "-price"].contains(sort) {
                    throw arguments.failure(
                        "bad argument 'sort' to 'gpus.offers': price or -price expected (got '\(sort)')",
                        kind: .argument)
                }
                let offers = filter.apply(try await session.client.listGPUResources(query))
                // Each offer's vmTypeId, from the VM types of its GPU and region: what `vms.create` takes.
                let types = (try? await session.client.listVMTypes()) ?? []
                // A region nobody sells in is a mistake, not an empty answer (`--regions 'not a list'`).
                let known = Set(types.flatMap { $0.regions.map(\.region) })
                if !known.isEmpty, let unknown = query.regions?.first(where: { !known.contains($0) }) {
                    let hint = suggestion(for: unknown, among: known).map { "; did you mean '\($0)'?" } ?? ""
                    throw arguments.failure(
                        "bad argument 'regions' to 'gpus.offers': no region is named '\(unknown)'\(hint) ("
                            + known.sorted().joined(separator: ", ") + ")", kind: .argument)
                }
                var vmTypeIDs: [String: String] = [:]
                for type in types {
                    for region in type.regions {
                        vmTypeIDs["\(type.gpuType)/\(region.region)"] = region.vmTypeId.rawValue
                    }
                }
                return .list(
                    ListBox(
                        offers.map { offer in
                            let record = session.record(offer, "Offer")
                            if case .record(let made) = record,
                                let id = vmTypeIDs["\(offer.gpuType ?? "")/\(offer.region ?? "")"]
                            {
                                made.fields["vmTypeId"] = Int64(id).map { .int($0) } ?? .string(StringBox(id))
                            }
                            return record
                        }))
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

/// `gpus.offers`' filters past the API's own (`gpus gpus offers --gpu-type … --max-price 2 --sort price`).
struct OfferFilter {
    var gpuTypes: [String]?
    var maxPrice: Double?
    var minCards: Int?
    var availableOnly: Bool
    var sort: String?

    func apply(_ offers: [GPUResource]) -> [GPUResource] {
        let wanted = gpuTypes.map { Set($0.map { $0.uppercased() }) }
        var kept = offers.filter { offer in
            if let wanted, !wanted.contains((offer.gpuType ?? "").uppercased()) { return false }
            if let maxPrice, (offer.singleCardPrice?.value ?? .infinity) > maxPrice { return false }
            if let minCards, (offer.availableCount ?? 0) < minCards { return false }
            if availableOnly, offer.available != true { return false }
            return true
        }
        if let sort {
            let price = { (offer: GPUResource) in offer.singleCardPrice?.value ?? .infinity }
            kept.sort { sort == "-price" ? price($0) > price($1) : price($0) < price($1) }
        }
        return kept
    }
}
