import Foundation
import YottaAPI

/// `/v2/pods`: list, get, create, delete, pause, resume.
struct PodController {
    let context: RequestContext

    func get() async throws -> SandboxResponse { try await .success(present(find(context.pathID()))) }

    func pause() async throws -> SandboxResponse {
        try await act(.pause, allowedFrom: [.running], duration: context.timings.podPause)
    }

    func resume() async throws -> SandboxResponse {
        try await act(.resume, allowedFrom: [.paused], duration: context.timings.podResume)
    }

    func delete() async throws -> SandboxResponse {
        try await act(
            .delete, allowedFrom: [.initialize, .running, .pausing, .paused], duration: context.timings.podTerminate)
    }

    func list() async throws -> SandboxResponse {
        let regions = Set(context.request.queryValues("regionList") + context.request.queryValues("regions"))
        var statuses = Set<PodStatus>()
        for value in context.request.queryValues("statusList") {
            guard let status = Open<PodStatus>(wire: value).known else {
                throw APIFailure.invalid("statusList", "unknown pod status '\(value)'")
            }
            statuses.insert(status)
        }
        let now = context.now
        let guide = context.service.options.guidePodStatuses
        var query = ResourceQuery(kind: .pod)
        query.statuses = statuses.map(\.rawValue)
        query.regions = Array(regions)
        try context.store.refreshDue(now: now)
        let selected = try await context.store.read { [query] in try $0.select(query) }
        return try .success(selected.items.map { Self.present($0, now: now, guideVocabulary: guide) })
    }

    func find(_ id: Int64) async throws -> StoredResource {
        guard let pod = try context.store.resource(id, kind: .pod) else {
            throw APIFailure.business(.podNotFound, "Pod not found")
        }
        return pod
    }

    func create() async throws -> SandboxResponse {
        let request = try context.body(CreatePodRequest.self, as: .createPod)
        guard GPUType.named(request.gpuType) != nil else {
            throw APIFailure.invalid("gpuType", "unknown GPU type '\(request.gpuType)'")
        }
        for region in request.regions ?? [] where !Catalogue.isRegion(region) {
            throw APIFailure.invalid("regions", "unknown region '\(region)'")
        }
        if let credential = request.containerRegistryAuthId {
            try await CredentialController(context: context).requireExists(credential, field: "containerRegistryAuthId")
        }
        try await VolumeController(context: context).requireMountable(request.persistentVolumes ?? [])
        let candidates = request.regions.flatMap { $0.isEmpty ? nil : $0 } ?? Catalogue.regions.map(\.code)
        let placed = candidates.first { !context.faults.isOutOfCapacity(region: $0, gpuType: request.gpuType) }
        let now = context.now
        let timings = context.timings
        let event =
            placed == nil || request.image.contains("does-not-exist")
            ? ResourceEvent(.fail, at: now, duration: timings.podFailure)
            : ResourceEvent(.created, at: now, duration: timings.podBoot)
        let region = placed ?? candidates.first ?? "us-east-1"
        let spec = PodSpec(request: request, region: region)
        let name = request.name ?? ""
        let stored = try await context.store.write { writer in
            try writer.insert(
                kind: .pod, name: name, record: spec, events: [event], now: now, region: region,
                refersTo: Self.references(request))
        }
        return try .success(present(stored))
    }

    /// Pause, resume or delete: allowed from some statuses only (12001 otherwise).
    func act(
        _ kind: ResourceEvent.Kind, allowedFrom allowed: Set<PodStatus>, duration: Int64
    ) async throws
        -> SandboxResponse
    {
        let id = try context.pathID()
        let now = context.now
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let pod = try writer.reader.resource(id, kind: .pod) else {
                return .failure(.business(.podNotFound, "Pod not found"))
            }
            let status = Self.status(pod, now: now)
            guard allowed.contains(status) else {
                return .failure(
                    .business(.resourceStatusInvalid, "cannot \(kind.rawValue) a pod that is \(status.rawValue)"))
            }
            try writer.append(ResourceEvent(kind, at: now, duration: duration), to: id)
            return .success(())
        }
        try outcome.get()
        return kind == .delete ? try .success(true) : try .success(JSONValue.null)
    }

    /// `2.49` for 2.49 (two decimals, as `%.2f`, without Foundation's formatter on every create).
    static func cents(_ dollars: Double) -> String {
        let cents = Int64((dollars * 100).rounded())
        let remainder = cents % 100
        return "\(cents / 100).\(remainder < 10 ? "0" : "")\(remainder)"
    }

    /// The volumes and the credential a pod uses.
    static func references(_ request: CreatePodRequest?) -> [Int64] {
        (request?.persistentVolumes ?? []).compactMap(\.volumeId.int64Value)
            + [request?.containerRegistryAuthId?.int64Value].compactMap { $0 }
    }

    static func status(_ stored: StoredResource, now: Int64) -> PodStatus {
        Lifecycles.pod(stored.events(upTo: now)).status(at: now) ?? .initialize
    }

    func present(_ stored: StoredResource) -> Pod {
        Self.present(stored, now: context.now, guideVocabulary: context.service.options.guidePodStatuses)
    }

    static func present(_ stored: StoredResource, now: Int64, guideVocabulary: Bool) -> Pod {
        let spec = try? stored.decode(PodSpec.self)
        let request = spec?.request
        let timeline = Lifecycles.pod(stored.events(upTo: now))
        let status = timeline.status(at: now) ?? .initialize
        let gpu = request.flatMap { GPUType.named($0.gpuType) }
        var pod = Pod(id: ResourceID(stored.id), name: stored.name, status: .known(status))
        if guideVocabulary {
            let guide: [PodStatus: String] = [.initialize: "INITIALIZING", .pausing: "STOPPING", .paused: "STOPPED"]
            if let spelled = guide[status] { pod.status = .unknown(spelled) }
        }
        pod.image = request?.image
        pod.imageRegistry = request?.imageRegistry ?? "https://index.docker.io/v1/"
        pod.gpuType = request?.gpuType
        pod.gpuDisplayName = gpu?.displayName
        pod.gpuCount = request?.gpuCount
        pod.createdAt = Timestamp(epochMillis: stored.createdAt)
        pod.updatedAt = Timestamp(epochMillis: stored.events.last?.at ?? stored.createdAt)
        let ip = Derived.publicIP(stored.id)
        pod.sshCmd = status == .running ? "ssh root@\(ip) -p 10022" : ""
        pod.resourceType = request?.resourceType ?? .known(.gpu)
        pod.region = spec?.region
        pod.cloudType = "SECURE"
        pod.containerVolumeInGb = request?.containerVolumeInGb ?? 256
        pod.shmInGb = request?.shmInGb
        pod.singleCardVramInGb = gpu?.vramInGb
        let price = Catalogue.price(gpuType: request?.gpuType ?? "")
        pod.singleCardPrice = FlexibleString(Self.cents(price))
        pod.environmentVars = request?.environmentVars
        pod.initializationCommand = request?.initializationCommand
        pod.internalIp = Derived.privateIP(stored.id)
        pod.expose = (request?.expose ?? []).enumerated().map { index, port in
            var exposed = ExposedPort(port: port.port, protocol: port.protocol)
            exposed.proxyPort = 10022 + index
            exposed.host = ip
            exposed.healthy = status == .running
            return exposed
        }
        let perHour = price * Double(request?.gpuCount ?? 1)
        pod.cost = FlexibleNumber(
            Derived.cost(millis: timeline.duration(upTo: now) { $0 == .running }, perHour: perHour))
        return pod
    }
}
