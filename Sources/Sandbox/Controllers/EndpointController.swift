import Foundation
import YottaAPI

/// `/v2/serverless`: endpoints, their workers, and the workers' logs.
struct EndpointController {
    let context: RequestContext

    func get() async throws -> SandboxResponse { try await .success(present(find(context.pathID()))) }

    func start() async throws -> SandboxResponse { try await act(.start, allowedFrom: [.stopped, .failed]) }

    func stop() async throws -> SandboxResponse { try await act(.stop, allowedFrom: [.initializing, .running]) }

    static func exists(_ stored: StoredResource) -> Bool { stored.goneAt == nil }

    func find(_ id: Int64) async throws -> StoredResource {
        guard let stored = try context.store.resource(id, kind: .endpoint), Self.exists(stored)
        else { throw APIFailure.business(.endpointNotFound, "Endpoint not found") }
        return stored
    }

    func list() async throws -> SandboxResponse {
        var statuses = Set<EndpointStatus>()
        for value in context.request.queryValues("statusList") {
            guard let status = Open<EndpointStatus>(wire: value).known else {
                throw APIFailure.invalid("statusList", "unknown endpoint status '\(value)'")
            }
            statuses.insert(status)
        }
        let now = context.now
        var query = ResourceQuery(kind: .endpoint)
        query.statuses = statuses.map(\.rawValue)
        try context.store.refreshDue(now: now)
        let selected = try await context.store.read { [query] in try $0.select(query) }
        return try .success(selected.items.map { Self.present($0, now: now) })
    }

    func create() async throws -> SandboxResponse {
        let request = try context.body(CreateEndpointRequest.self, as: .createEndpoint)
        try checkResources(request.resources)
        if let credential = request.containerRegistryAuthId {
            try await CredentialController(context: context).requireExists(credential, field: "containerRegistryAuthId")
        }
        if request.serviceMode.known == .alb, request.expose == nil {
            throw APIFailure.invalid("expose", "is required for ALB endpoints (the HTTP service port)")
        }
        let timings = context.timings
        let timing = EndpointTimeline.Timing(
            boot: timings.workerBoot, stagger: timings.workerStagger, stop: timings.endpointStop)
        let now = context.now
        let placeable = request.resources.contains {
            !context.faults.isOutOfCapacity(region: $0.region, gpuType: $0.gpuType)
        }
        let event =
            placeable && !request.image.contains("does-not-exist")
            ? ResourceEvent(.created, at: now, value: Int64(request.workers))
            : ResourceEvent(.fail, at: now, duration: timings.podFailure)
        let spec = EndpointSpec(request: request, timing: timing)
        let stored = try await context.store.write { writer in
            try writer.insert(
                kind: .endpoint, name: request.name, record: spec, events: [event], now: now,
                refersTo: [request.containerRegistryAuthId?.int64Value].compactMap { $0 })
        }
        return try .success(present(stored))
    }

    func checkResources(_ resources: [EndpointResource]) throws {
        for (index, resource) in resources.enumerated() {
            guard Catalogue.isRegion(resource.region) else {
                throw APIFailure.invalid("resources[\(index)].region", "unknown region '\(resource.region)'")
            }
            guard GPUType.named(resource.gpuType) != nil else {
                throw APIFailure.invalid("resources[\(index)].gpuType", "unknown GPU type '\(resource.gpuType)'")
            }
        }
    }

    /// Update: only while STOPPED (12001 otherwise); `serviceMode` and `image` stay.
    func update() async throws -> SandboxResponse {
        let id = try context.pathID()
        let request = try context.body(UpdateEndpointRequest.self, as: .updateEndpoint)
        try checkResources(request.resources)
        if let credential = request.credentialId {
            try await CredentialController(context: context).requireExists(credential, field: "credentialId")
        }
        let now = context.now
        let outcome = try await context.store.write { writer -> Result<StoredResource, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .endpoint), Self.exists(stored),
                var spec = try? stored.decode(EndpointSpec.self)
            else { return .failure(.business(.endpointNotFound, "Endpoint not found")) }
            let status = Self.timeline(stored, spec: spec, now: now).status(at: now)
            guard status == .stopped else {
                return .failure(
                    .business(
                        .resourceStatusInvalid,
                        "an endpoint can be edited only while STOPPED (it is \(status.rawValue))"))
            }
            spec.request.name = request.name
            spec.request.resources = request.resources
            spec.request.workers = request.workers
            spec.request.containerVolumeInGb = request.containerVolumeInGb
            spec.request.minSingleCardVramInGb = request.minSingleCardVramInGb ?? spec.request.minSingleCardVramInGb
            spec.request.minSingleCardVcpu = request.minSingleCardVcpu ?? spec.request.minSingleCardVcpu
            spec.request.minSingleCardRamInGb = request.minSingleCardRamInGb ?? spec.request.minSingleCardRamInGb
            spec.request.containerRegistryAuthId = request.credentialId ?? spec.request.containerRegistryAuthId
            spec.request.initializationCommand = request.initializationCommand ?? spec.request.initializationCommand
            spec.request.environmentVars = request.environmentVars ?? spec.request.environmentVars
            spec.request.expose = request.expose ?? spec.request.expose
            spec.request.webhook = request.webhook ?? spec.request.webhook
            try writer.update(id, name: request.name, spec: spec.jsonData())
            try writer.refer(id, to: [spec.request.containerRegistryAuthId?.int64Value].compactMap { $0 })
            try writer.append(ResourceEvent(.scale, at: now, value: Int64(request.workers)), to: id)
            guard let updated = try writer.reader.resource(id, kind: .endpoint) else {
                return .failure(.business(.endpointNotFound, "Endpoint not found"))
            }
            return .success(updated)
        }
        return try .success(present(outcome.get()))
    }

    /// Delete: only when STOPPED or FAILED (24002 otherwise).
    func delete() async throws -> SandboxResponse {
        let id = try context.pathID()
        let now = context.now
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .endpoint), Self.exists(stored) else {
                return .failure(.business(.endpointNotFound, "Endpoint not found"))
            }
            let status = Self.timeline(stored, now: now).status(at: now)
            guard status == .stopped || status == .failed else {
                return .failure(
                    .business(
                        .elasticActionNotAllowed, "stop the endpoint before deleting it (it is \(status.rawValue))"))
            }
            try writer.markGone(id, at: now, now: now)
            return .success(())
        }
        try outcome.get()
        return try .success(true)
    }

    func act(_ kind: ResourceEvent.Kind, allowedFrom allowed: Set<EndpointStatus>) async throws -> SandboxResponse {
        let id = try context.pathID()
        let now = context.now
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .endpoint), Self.exists(stored) else {
                return .failure(.business(.endpointNotFound, "Endpoint not found"))
            }
            let status = Self.timeline(stored, now: now).status(at: now)
            guard allowed.contains(status) else {
                return .failure(
                    .business(.resourceStatusInvalid, "cannot \(kind.rawValue) an endpoint that is \(status.rawValue)"))
            }
            try writer.append(ResourceEvent(kind, at: now), to: id)
            return .success(())
        }
        try outcome.get()
        return try .success(JSONValue.null)
    }

    /// Scale: `?count=N` or `/workers/{count}`; applies at once to a running endpoint, and to the
    /// next start of a stopped one.
    func scale() async throws -> SandboxResponse {
        let id = try context.pathID()
        guard let text = context.parameters["count"] ?? context.request.queryValue("count") else {
            throw APIFailure.invalid("count", "is required")
        }
        guard let count = Int(text), (0...Bounds.workers).contains(count) else {
            throw APIFailure.invalid("count", "must be an integer from 0 to \(Bounds.workers) (got '\(text)')")
        }
        let now = context.now
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .endpoint), Self.exists(stored),
                var spec = try? stored.decode(EndpointSpec.self)
            else { return .failure(.business(.endpointNotFound, "Endpoint not found")) }
            spec.request.workers = count
            try writer.update(id, spec: spec.jsonData())
            try writer.append(ResourceEvent(.scale, at: now, value: Int64(count)), to: id)
            return .success(())
        }
        try outcome.get()
        return try .success(JSONValue.null)
    }

    func workers() async throws -> SandboxResponse {
        let stored = try await find(context.pathID())
        let wanted = Set(context.request.queryValues("statusList").map { $0.lowercased() })
        let workers = Self.workers(stored, now: context.now).filter {
            wanted.isEmpty || wanted.contains($0.status.rawValue)
        }
        return try .success(workers)
    }

    static func timeline(_ stored: StoredResource, spec: EndpointSpec? = nil, now: Int64) -> EndpointTimeline {
        let spec = spec ?? (try? stored.decode(EndpointSpec.self))
        let timing = spec?.timing ?? EndpointTimeline.Timing(boot: 1, stagger: 1, stop: 1)
        return EndpointTimeline(events: stored.events(upTo: now), timing: timing)
    }

    static func workers(_ stored: StoredResource, now: Int64) -> [Worker] {
        let spec = try? stored.decode(EndpointSpec.self)
        let timeline = timeline(stored, spec: spec, now: now)
        let resource = spec?.request.resources.first
        let price = Catalogue.price(gpuType: resource?.gpuType ?? "") * Double(resource?.gpuCount ?? 1)
        return timeline.liveWorkers(at: now).map { run in
            var worker = Worker(
                workerId: EndpointTimeline.workerID(endpointID: stored.id, run: run),
                status: .known(timeline.workerStatus(run, at: now)), createdAt: Timestamp(epochMillis: run.bootAt))
            worker.region = resource?.region
            worker.gpuType = resource?.gpuType
            worker.gpuDisplayName = resource.flatMap { GPUType.named($0.gpuType)?.displayName }
            worker.gpuCount = resource?.gpuCount
            let up = max(0, now - run.readyAt)
            worker.uptime = FlexibleNumber(Double(up / 1000))
            worker.cost = FlexibleNumber(Derived.cost(millis: up, perHour: price))
            return worker
        }
    }

    func present(_ stored: StoredResource) -> Endpoint { Self.present(stored, now: context.now) }

    static func present(_ stored: StoredResource, now: Int64) -> Endpoint {
        let spec = try? stored.decode(EndpointSpec.self)
        let request = spec?.request
        let timeline = timeline(stored, spec: spec, now: now)
        let live = timeline.liveWorkers(at: now)
        var endpoint = Endpoint(
            id: ResourceID(String(stored.id), wireForm: .string), name: stored.name,
            status: .known(timeline.status(at: now)))
        endpoint.image = request?.image
        endpoint.totalWorkers = request?.workers
        endpoint.runningWorkers = live.filter { timeline.workerStatus($0, at: now) == .running }.count
        let resource = request?.resources.first
        let perHour = Catalogue.price(gpuType: resource?.gpuType ?? "") * Double(resource?.gpuCount ?? 1)
        endpoint.cost = FlexibleNumber(Derived.cost(millis: timeline.workerMillis(upTo: now), perHour: perHour))
        endpoint.serviceMode = request?.serviceMode
        endpoint.webhook = request?.webhook
        endpoint.imageRegistry = request?.imageRegistry ?? "https://index.docker.io/v1/"
        endpoint.resources = request?.resources
        endpoint.containerVolumeInGb = request?.containerVolumeInGb
        endpoint.environmentVars = request?.environmentVars ?? []
        endpoint.expose = request?.expose
        endpoint.perHourPrice = FlexibleNumber(perHour)
        endpoint.perSecondPrice = FlexibleNumber((perHour / 3600 * 1_000_000).rounded() / 1_000_000)
        endpoint.domain = request?.serviceMode.known == .alb ? "ep-\(String(stored.id, radix: 36)).yottadeos.com" : nil
        endpoint.createdAt = Timestamp(epochMillis: stored.createdAt, wireForm: .iso8601)
        endpoint.updatedAt = Timestamp(epochMillis: stored.events.last?.at ?? stored.createdAt, wireForm: .iso8601)
        return endpoint
    }
}
