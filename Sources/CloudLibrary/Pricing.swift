import Foundation
import Language
import Synchronization
import YottaAPI

/// The one price (docs/runs.md, "What a resource costs"): what a resource costs per hour of GPU
/// compute in the state it is in — `gpus costs`, the rate `gpus runs` records at create, and what
/// limits compare against all come from here. Storage is not priced by the API.
///
/// The states that bill, and how:
/// - a VM initializing or running: one card's offer price × its cards;
/// - a pod INITIALIZE or RUNNING: its `singleCardPrice` (or the offer's) × its cards;
/// - an endpoint INITIALIZING or RUNNING: its price per worker (`perHourPrice`) × the workers it
///   runs or is starting (the larger of `totalWorkers` and `runningWorkers`); STOPPING: × the
///   workers still running.
/// Anything else costs 0: a paused pod, a stopped or terminated VM, a terminating, terminated or
/// failed pod, a stopped, failed or terminated endpoint.
struct Prices: Sendable {
    /// One card's price per hour by GPU type and region ("type|region") and by type alone.
    private var cards: [String: Double] = [:]
    /// A VM type's GPU type and region, by `vmTypeId`.
    private var vmTypes: [String: (gpuType: String, region: String)] = [:]

    static let none = Prices()

    init() {}

    init(offers: [GPUResource], vmTypes types: [VMType] = []) {
        for type in types {
            for region in type.regions { vmTypes[region.vmTypeId.rawValue] = (type.gpuType, region.region) }
        }
        for offer in offers {
            guard let type = offer.gpuType, let price = offer.singleCardPrice?.value else { continue }
            if let region = offer.region { cards["\(type)|\(region)"] = cards["\(type)|\(region)"] ?? price }
            cards[type] = cards[type] ?? price
        }
    }

    /// One card of a type in a region (or anywhere, when the region has no offer).
    func card(_ gpuType: String?, _ region: String?) -> Double? {
        guard let gpuType else { return nil }
        return region.flatMap { cards["\(gpuType)|\($0)"] } ?? cards[gpuType]
    }

    /// What a create would cost per hour once it runs (a VM's estimate counts one card: its type
    /// does not say how many); nil when unknown.
    func perHour(request: Any) -> Double? {
        switch request {
        case let pod as CreatePodRequest:
            return card(pod.gpuType, pod.regions?.first).map { $0 * Double(pod.gpuCount) }
        case let endpoint as CreateEndpointRequest:
            guard let resource = endpoint.resources.first else { return nil }
            return card(resource.gpuType, resource.region).map {
                $0 * Double(resource.gpuCount) * Double(endpoint.workers)
            }
        case let vm as CreateVMRequest:
            guard let type = vmTypes[vm.vmTypeId.rawValue] else { return nil }
            return card(type.gpuType, type.region)
        default:
            return 0
        }
    }

    /// Dollars per hour now: 0 in a state that does not bill, nil when it bills at an unknown price.
    func perHour(_ model: any CloudModel) -> Double? {
        switch model {
        case let vm as VM:
            guard [.initializing, .running].contains(vm.status.known) else { return 0 }
            let gpuType =
                vm.gpuType ?? GPUType.catalogue.first { vm.gpuDisplayName?.hasSuffix($0.displayName) ?? false }?.code
            return card(gpuType, vm.region).map { $0 * Double(vm.gpuCount ?? 1) }
        case let pod as Pod:
            guard [.initialize, .running].contains(pod.status.known) else { return 0 }
            let one = pod.singleCardPrice.flatMap { Double($0.text) } ?? card(pod.gpuType, pod.region)
            return one.map { $0 * Double(pod.gpuCount ?? 1) }
        case let endpoint as Endpoint:
            let workers: Int
            switch endpoint.status.known {
            case .initializing?, .running?: workers = max(endpoint.totalWorkers ?? 0, endpoint.runningWorkers ?? 0)
            case .stopping?: workers = endpoint.runningWorkers ?? 0
            default: return 0
            }
            let resource = endpoint.resources?.first
            let perWorker =
                endpoint.perHourPrice?.value
                ?? card(resource?.gpuType, resource?.region).map { $0 * Double(resource?.gpuCount ?? 1) }
            return perWorker.map { $0 * Double(workers) }
        default:
            return nil
        }
    }
}

extension CloudSession {
    /// The offers' card prices: read once a session, by one request however many ask at once (a
    /// failed read is tried again by the next to ask).
    func prices() async -> Prices {
        let task = priceBook.withLock { book -> Task<Prices?, Never>? in
            if book.done != nil { return nil }
            if let pending = book.pending { return pending }
            let client = client
            let task = Task { () -> Prices? in
                guard let offers = try? await client.listGPUResources() else { return nil }
                return Prices(offers: offers, vmTypes: (try? await client.listVMTypes()) ?? [])
            }
            book.pending = task
            return task
        }
        guard let task else { return priceBook.withLock { $0.done } ?? .none }
        let prices = await task.value
        priceBook.withLock { book in
            if let prices { book.done = prices }
            if book.pending == task { book.pending = nil }
        }
        return prices ?? .none
    }

    /// The prices if they have been read, without waiting.
    var pricesRead: Prices? { priceBook.withLock { $0.done } }

    /// Records the price of what an intent created: at once from the record and the prices already
    /// read; a VM's, whose record has none, once the offers are read — in the background, so that
    /// recording the id never waits on them.
    func recordCreated(_ seq: Int64, _ model: any CloudModel) async {
        let known = (pricesRead ?? .none).perHour(model)
        await ledger.created(seq, id: model.id.rawValue, pricePerHour: known)
        guard known == nil, type(of: model).kind == .vm else { return }
        Task { [self] in
            guard let price = await prices().perHour(model) else { return }
            await ledger.created(seq, id: model.id.rawValue, pricePerHour: price)
        }
    }
}

extension CloudSession {
    /// `--max-cost`: refuses, before it is sent, a create that would take the run past what is left
    /// of its budget — the run's hourly rate with the new resource, over the rest of its deadline
    /// (or one hour without one), against the limit minus what the run has spent so far.
    func checkBudget<Request: CreateRequest>(_ request: Request) async throws {
        guard let limit = ledger.maxCost else { return }
        let now = Date()
        let entries = ledger.entries
        let spent = entries.reduce(0) { $0 + $1.cost(at: now) }
        let rate = entries.filter(\.isLive).compactMap(\.pricePerHour).reduce(0, +)
        let added = await prices().perHour(request: request) ?? 0
        let hours = ledger.deadline.map { max(0, $0.timeIntervalSince(now)) / 3600 }.map { min($0, 1) } ?? 1
        let projected = (rate + added) * hours
        guard spent + projected > limit else { return }
        let kind = Request.Model.kind
        let label = limitLabels.withLock { $0.cost } ?? "the run's cost limit"
        let horizon = hours >= 1 ? "an hour" : Printer.duration(.seconds(Int64(hours * 3600)))
        throw RuntimeError(
            .invalidOperation,
            "\(kind.namespace).create '\(request.resourceName)' refused before it was sent: with it the run would cost "
                + String(format: "$%.2f/h; $%.2f of ", rate + added, spent) + label
                + " is spent, and \(horizon) more would pass it",
            at: .none, kind: .limit)
    }
}
