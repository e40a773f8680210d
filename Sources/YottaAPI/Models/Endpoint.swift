/// An elastic (serverless) endpoint (`data` of `GET /v2/serverless/{id}`).
public struct Endpoint: Codable, Hashable, Sendable {
    public var id: ResourceID
    public var name: String?
    public var image: String?
    public var status: Open<EndpointStatus>
    public var totalWorkers: Int?
    public var runningWorkers: Int?
    public var cost: FlexibleNumber?
    public var serviceMode: Open<ServiceMode>?
    public var webhook: String?
    public var imageRegistry: String?
    public var resources: [EndpointResource]?
    public var containerVolumeInGb: Int?
    public var environmentVars: [EnvironmentVariable]?
    public var expose: EndpointExpose?
    public var perHourPrice: FlexibleNumber?
    public var perSecondPrice: FlexibleNumber?
    public var domain: String?
    public var creator: String?
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?

    public init(id: ResourceID, name: String? = nil, status: Open<EndpointStatus>) {
        self.id = id
        self.name = name
        self.status = status
    }
}

/// Endpoint statuses; the guide's `TERMINATED` and the v1 integer codes are read too.
public enum EndpointStatus: String, WireEnum {
    case initializing = "INITIALIZING"
    case running = "RUNNING"
    case stopping = "STOPPING"
    case stopped = "STOPPED"
    case failed = "FAILED"
    case terminated = "TERMINATED"

    public static let aliases: [String: EndpointStatus] = [
        "0": .initializing, "1": .running, "2": .stopping, "3": .stopped, "4": .failed,
    ]
}

/// How an endpoint is reached: a load balancer, a task queue, or not at all.
public enum ServiceMode: String, WireEnum {
    case alb = "ALB"
    case queue = "QUEUE"
    case custom = "CUSTOM"
}

/// Where and on what an endpoint's workers run.
public struct EndpointResource: Codable, Hashable, Sendable {
    public var region: String
    public var gpuType: String
    public var gpuCount: Int

    public init(region: String, gpuType: String, gpuCount: Int) {
        self.region = region
        self.gpuType = gpuType
        self.gpuCount = gpuCount
    }
}

/// The single port an endpoint exposes (an object, not an array as on pods).
public struct EndpointExpose: Codable, Hashable, Sendable {
    public var port: Int
    public var `protocol`: String

    public init(port: Int, protocol: String) {
        self.port = port
        self.protocol = `protocol`
    }
}

/// Body of `POST /v2/serverless`.
public struct CreateEndpointRequest: Codable, Hashable, Sendable {
    public var name: String
    public var image: String
    public var imageRegistry: String?
    public var containerRegistryAuthId: ResourceID?
    public var resources: [EndpointResource]
    public var workers: Int
    public var containerVolumeInGb: Int
    public var environmentVars: [EnvironmentVariable]?
    public var expose: EndpointExpose?
    public var serviceMode: Open<ServiceMode>
    public var webhook: String?
    public var minSingleCardVramInGb: Int?
    public var minSingleCardVcpu: Int?
    public var minSingleCardRamInGb: Int?
    public var initializationCommand: String?

    public init(
        name: String, image: String, resources: [EndpointResource], workers: Int, containerVolumeInGb: Int,
        serviceMode: Open<ServiceMode>
    ) {
        self.name = name
        self.image = image
        self.resources = resources
        self.workers = workers
        self.containerVolumeInGb = containerVolumeInGb
        self.serviceMode = serviceMode
    }
}

/// Body of `PATCH /v2/serverless/{id}`; the credential is `credentialId` here, not
/// `containerRegistryAuthId`. Decoding also reads the guide's `envVars` spelling.
public struct UpdateEndpointRequest: Codable, Hashable, Sendable {
    public var name: String
    public var resources: [EndpointResource]
    public var workers: Int
    public var containerVolumeInGb: Int
    public var minSingleCardVramInGb: Int?
    public var minSingleCardVcpu: Int?
    public var minSingleCardRamInGb: Int?
    public var credentialId: ResourceID?
    public var initializationCommand: String?
    public var environmentVars: [EnvironmentVariable]?
    public var expose: EndpointExpose?
    public var webhook: String?

    enum CodingKeys: String, CodingKey {
        case name, resources, workers, containerVolumeInGb, minSingleCardVramInGb, minSingleCardVcpu
        case minSingleCardRamInGb, credentialId, initializationCommand, environmentVars, expose, webhook
        case envVars
    }

    public init(name: String, resources: [EndpointResource], workers: Int, containerVolumeInGb: Int) {
        self.name = name
        self.resources = resources
        self.workers = workers
        self.containerVolumeInGb = containerVolumeInGb
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        resources = try container.decode([EndpointResource].self, forKey: .resources)
        workers = try container.decode(Int.self, forKey: .workers)
        containerVolumeInGb = try container.decode(Int.self, forKey: .containerVolumeInGb)
        minSingleCardVramInGb = try container.decodeIfPresent(Int.self, forKey: .minSingleCardVramInGb)
        minSingleCardVcpu = try container.decodeIfPresent(Int.self, forKey: .minSingleCardVcpu)
        minSingleCardRamInGb = try container.decodeIfPresent(Int.self, forKey: .minSingleCardRamInGb)
        credentialId = try container.decodeIfPresent(ResourceID.self, forKey: .credentialId)
        initializationCommand = try container.decodeIfPresent(String.self, forKey: .initializationCommand)
        environmentVars =
            try container.decodeIfPresent([EnvironmentVariable].self, forKey: .environmentVars)
            ?? container.decodeIfPresent([EnvironmentVariable].self, forKey: .envVars)
        expose = try container.decodeIfPresent(EndpointExpose.self, forKey: .expose)
        webhook = try container.decodeIfPresent(String.self, forKey: .webhook)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(resources, forKey: .resources)
        try container.encode(workers, forKey: .workers)
        try container.encode(containerVolumeInGb, forKey: .containerVolumeInGb)
        try container.encodeIfPresent(minSingleCardVramInGb, forKey: .minSingleCardVramInGb)
        try container.encodeIfPresent(minSingleCardVcpu, forKey: .minSingleCardVcpu)
        try container.encodeIfPresent(minSingleCardRamInGb, forKey: .minSingleCardRamInGb)
        try container.encodeIfPresent(credentialId, forKey: .credentialId)
        try container.encodeIfPresent(initializationCommand, forKey: .initializationCommand)
        try container.encodeIfPresent(environmentVars, forKey: .environmentVars)
        try container.encodeIfPresent(expose, forKey: .expose)
        try container.encodeIfPresent(webhook, forKey: .webhook)
    }
}

/// A worker of an endpoint. The guide names its id `workerId`; the MCP types name it `id` and add
/// placement and cost fields. Both are read.
public struct Worker: Codable, Hashable, Sendable {
    public var workerId: String
    public var status: Open<WorkerStatus>
    public var createdAt: Timestamp?
    public var region: String?
    public var gpuType: String?
    public var gpuDisplayName: String?
    public var gpuCount: Int?
    public var singleCardVramInGb: Int?
    public var singleCardVcpu: Int?
    public var singleCardRamInGb: Int?
    public var uptime: FlexibleNumber?
    public var cost: FlexibleNumber?

    enum CodingKeys: String, CodingKey {
        case workerId, id, status, createdAt, region, gpuType, gpuDisplayName, gpuCount
        case singleCardVramInGb, singleCardVcpu, singleCardRamInGb, uptime, cost
    }

    public init(workerId: String, status: Open<WorkerStatus>, createdAt: Timestamp? = nil) {
        self.workerId = workerId
        self.status = status
        self.createdAt = createdAt
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let id = try container.decodeIfPresent(ResourceID.self, forKey: .workerId) {
            workerId = id.rawValue
        } else {
            workerId = try container.decode(ResourceID.self, forKey: .id).rawValue
        }
        status = try container.decode(Open<WorkerStatus>.self, forKey: .status)
        createdAt = try container.decodeIfPresent(Timestamp.self, forKey: .createdAt)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        gpuType = try container.decodeIfPresent(String.self, forKey: .gpuType)
        gpuDisplayName = try container.decodeIfPresent(String.self, forKey: .gpuDisplayName)
        gpuCount = try container.decodeIfPresent(Int.self, forKey: .gpuCount)
        singleCardVramInGb = try container.decodeIfPresent(Int.self, forKey: .singleCardVramInGb)
        singleCardVcpu = try container.decodeIfPresent(Int.self, forKey: .singleCardVcpu)
        singleCardRamInGb = try container.decodeIfPresent(Int.self, forKey: .singleCardRamInGb)
        uptime = try container.decodeIfPresent(FlexibleNumber.self, forKey: .uptime)
        cost = try container.decodeIfPresent(FlexibleNumber.self, forKey: .cost)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workerId, forKey: .workerId)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(region, forKey: .region)
        try container.encodeIfPresent(gpuType, forKey: .gpuType)
        try container.encodeIfPresent(gpuDisplayName, forKey: .gpuDisplayName)
        try container.encodeIfPresent(gpuCount, forKey: .gpuCount)
        try container.encodeIfPresent(singleCardVramInGb, forKey: .singleCardVramInGb)
        try container.encodeIfPresent(singleCardVcpu, forKey: .singleCardVcpu)
        try container.encodeIfPresent(singleCardRamInGb, forKey: .singleCardRamInGb)
        try container.encodeIfPresent(uptime, forKey: .uptime)
        try container.encodeIfPresent(cost, forKey: .cost)
    }
}

/// Worker statuses: not enumerated by the docs beyond `running`; these are the ones we simulate.
public enum WorkerStatus: String, WireEnum {
    case initializing, running, stopping, stopped, failed
}
