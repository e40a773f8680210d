import Foundation
import YottaAPI

/// `/v2/vms`: types, list, get, create, rename, terminate.
struct VMController {
    let context: RequestContext

    func get() async throws -> SandboxResponse { try await .success(present(find(context.pathID()))) }

    /// The catalogue, with the offers the fault plan puts out of capacity marked unavailable.
    func types() -> [VMType] {
        Catalogue.vmTypes.map { type in
            var copy = type
            copy.regions = type.regions.map { offer in
                var region = offer
                if context.faults.isOutOfCapacity(region: offer.region, gpuType: type.gpuType) {
                    region.available = false
                }
                return region
            }
            return copy
        }
    }

    /// `POST /api/v2/resource/gpu/list`: every offer of the catalogue as a GPU resource (VRAM, RAM,
    /// vCPUs and the per-card price of its type), filtered by the body's regions and VRAM and RAM
    /// bounds; availability as in `types()`.
    func gpuResources() throws -> [GPUResource] {
        let query = try context.body(GPUResourceQuery.self, as: .listGPUResources)
        let wanted = Set(query.regions ?? [])
        return types().flatMap { type -> [GPUResource] in
            guard let gpu = GPUType.named(type.gpuType) else { return [] }
            let ram = min(1536, gpu.vramInGb * 2)
            guard (query.minSingleCardVramInGb ?? 0)...(query.maxSingleCardVramInGb ?? 1536) ~= gpu.vramInGb,
                (query.minSingleCardRamInGb ?? 0)...(query.maxSingleCardRamInGb ?? 1536) ~= ram
            else { return [] }
            return type.regions.filter { wanted.isEmpty || wanted.contains($0.region) }.map { offer in
                GPUResource(
                    gpuType: gpu.code, gpuDisplayName: gpu.displayName, region: offer.region,
                    regionName: offer.regionName, available: offer.available, availableCount: offer.available ? 8 : 0,
                    singleCardVramInGb: gpu.vramInGb, singleCardRamInGb: ram,
                    singleCardVcpu: min(64, gpu.vramInGb / 3 + 8),
                    singleCardPrice: FlexibleNumber(Catalogue.price(gpuType: gpu.code)))
            }
        }
    }

    func list() async throws -> SandboxResponse {
        let status = context.request.queryValue("status")
        if let status, Open<VMStatus>(wire: status).known == nil {
            throw APIFailure.invalid(
                "status", "must be one of initializing, running, stopped, terminated (got '\(status)')")
        }
        let now = context.now
        let window = try context.pageWindow()
        var query = ResourceQuery(kind: .vm)
        query.statuses = status.flatMap { Open<VMStatus>(wire: $0).known }.map { [$0.rawValue] } ?? []
        query.limit = window.size
        query.offset = window.offset
        try context.store.refreshDue(now: now)
        let selected = try await context.store.read { [query] in try $0.select(query) }
        return try .success(context.page(selected, window: window) { present($0, now: now) })
    }

    func find(_ id: Int64) async throws -> StoredResource {
        guard let vm = try context.store.resource(id, kind: .vm) else {
            throw APIFailure.business(.vmNotFound, "VM not found")
        }
        return vm
    }

    func create() async throws -> SandboxResponse {
        let request = try context.body(CreateVMRequest.self, as: .createVM)
        guard let typeID = request.vmTypeId.int64Value, let offer = Catalogue.offer(vmTypeId: request.vmTypeId) else {
            throw APIFailure.invalid("vmTypeId", "no VM type \(request.vmTypeId); see GET /v2/vms/types")
        }
        guard offer.region.region == request.region else {
            throw APIFailure.invalid(
                "region", "VM type \(request.vmTypeId) is offered in \(offer.region.region), not \(request.region)")
        }
        guard offer.region.available, !context.faults.isOutOfCapacity(region: request.region, gpuType: offer.gpu.code)
        else {
            throw APIFailure.business(.resourceStatusInvalid, "no capacity for \(offer.gpu.code) in \(request.region)")
        }
        let spec = VMSpec(
            vmTypeId: typeID, region: request.region, gpuType: offer.gpu.code, isSpot: request.isSpot ?? 0,
            volumeMountPaths: request.volumeMountPaths)
        let now = context.now
        let timings = context.timings
        var events = [ResourceEvent(.created, at: now, duration: timings.vmBoot)]
        if spec.isSpot == 1, context.service.random.next() < context.faults.preemptionRate {
            events.append(ResourceEvent(.preempted, at: now + timings.vmBoot + timings.spotPreemption))
        }
        let initial = events
        let stored = try await context.store.write { writer in
            try writer.insert(
                kind: .vm, name: request.name, record: spec, events: initial, now: now, region: spec.region,
                refersTo: spec.volumeMountPaths?.keys.compactMap { Int64($0) } ?? [])
        }
        return try .success(present(stored))
    }

    func rename() async throws -> SandboxResponse {
        let id = try context.pathID()
        let request = try context.body(RenameRequest.self, as: .renameVM)
        let stored = try await context.store.write { writer -> StoredResource? in
            guard try writer.reader.resource(id, kind: .vm) != nil else { return nil }
            try writer.update(id, name: request.name)
            return try writer.reader.resource(id, kind: .vm)
        }
        guard let stored else { throw APIFailure.business(.vmNotFound, "VM not found") }
        return try .success(present(stored))
    }

    func terminate() async throws -> SandboxResponse {
        let id = try context.pathID()
        let now = context.now
        let outcome = try await context.store.write { writer -> BusinessCode? in
            guard let vm = try writer.reader.resource(id, kind: .vm) else { return .vmNotFound }
            if Lifecycles.vm(vm.events(upTo: now)).status(at: now) == .terminated { return .vmStatusInvalid }
            try writer.append(ResourceEvent(.terminate, at: now), to: id)
            return nil
        }
        switch outcome {
        case .vmNotFound?: throw APIFailure.business(.vmNotFound, "VM not found")
        case .some: throw APIFailure.business(.vmStatusInvalid, "VM is already terminated")
        case nil: return try .success(true)
        }
    }

    func present(_ stored: StoredResource) throws -> VM { present(stored, now: context.now) }

    func present(_ stored: StoredResource, now: Int64) -> VM {
        let spec = try? stored.decode(VMSpec.self)
        let gpu = spec.flatMap { GPUType.named($0.gpuType) }
        let timeline = Lifecycles.vm(stored.events(upTo: now))
        let status = timeline.status(at: now) ?? .initializing
        let ip = status == .running ? Derived.publicIP(stored.id) : ""
        var vm = VM(
            id: ResourceID(stored.id), name: stored.name, status: .known(status),
            gpuDisplayName: gpu.map { "NVIDIA \($0.displayName)" }, ipAddress: ip, cpuCores: 16, memoryInGb: "128",
            gpuCount: 1, gpuMemoryInGb: FlexibleString(String(gpu?.vramInGb ?? 0)), region: spec?.region,
            storageInGb: "500", sshTemplate: ip.isEmpty ? "" : "ssh root@\(ip)",
            createdAt: Timestamp(epochMillis: stored.createdAt, wireForm: .iso8601), isSpot: spec?.isSpot ?? 0)
        vm.gpuType = spec?.gpuType
        vm.osInfo = "Ubuntu 22.04 LTS"
        if status == .terminated, let at = stored.events.last(where: { $0.kind == .terminate })?.at {
            vm.terminatedAt = Timestamp(epochMillis: at, wireForm: .iso8601)
        }
        let price = Catalogue.price(gpuType: spec?.gpuType ?? "") * (spec?.isSpot == 1 ? Catalogue.spotDiscount : 1)
        vm.cost = FlexibleNumber(Derived.cost(millis: timeline.duration(upTo: now) { $0 == .running }, perHour: price))
        return vm
    }
}
