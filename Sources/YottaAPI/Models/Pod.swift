/// A pod (`data` of `GET /v2/pods/{id}`), with the guide's fields and the richer ones the API returns.
public struct Pod: Codable, Hashable, Sendable {
    public var id: ResourceID
    public var name: String?
    public var image: String?
    public var imageRegistry: String?
    public var gpuType: String?
    public var gpuDisplayName: String?
    public var gpuCount: Int?
    public var status: Open<PodStatus>
    public var createdAt: Timestamp?
    public var sshCmd: String?
    public var resourceType: Open<ResourceType>?
    public var region: String?
    public var cloudType: String?
    public var containerVolumeInGb: Int?
    public var shmInGb: Int?
    public var singleCardVramInGb: Int?
    public var singleCardRamInGb: Int?
    public var singleCardVcpu: Int?
    public var singleCardPrice: FlexibleString?
    public var environmentVars: [EnvironmentVariable]?
    public var initializationCommand: String?
    public var internalIp: String?
    public var updatedAt: Timestamp?
    public var expose: [ExposedPort]?
    public var cost: FlexibleNumber?

    public init(id: ResourceID, name: String? = nil, status: Open<PodStatus>) {
        self.id = id
        self.name = name
        self.status = status
    }
}

/// Pod statuses. The v1/console vocabulary is the adopted one; the guide's spellings and the v1
/// integer codes are read as aliases (`INITIALIZING` → `INITIALIZE`, `STOPPED` → `PAUSED`).
public enum PodStatus: String, WireEnum {
    case initialize = "INITIALIZE"
    case running = "RUNNING"
    case pausing = "PAUSING"
    case paused = "PAUSED"
    case terminating = "TERMINATING"
    case terminated = "TERMINATED"
    case failed = "FAILED"

    public static let aliases: [String: PodStatus] = [
        "INITIALIZING": .initialize, "STOPPING": .pausing, "STOPPED": .paused,
        "0": .initialize, "1": .running, "2": .pausing, "3": .paused, "4": .terminating,
        "5": .terminated, "6": .failed,
    ]

    /// The v1 integer code of the status, which `statusList` also accepts.
    public var v1Code: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// `GPU` or `CPU` pods.
public enum ResourceType: String, WireEnum {
    case gpu = "GPU"
    case cpu = "CPU"
}

/// Whether a pod's image is public or needs registry credentials.
public enum ImagePublicType: String, WireEnum {
    case publicImage = "PUBLIC"
    case privateImage = "PRIVATE"
}

/// One `{key, value}` environment variable.
public struct EnvironmentVariable: Codable, Hashable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A port a pod exposes; the response adds proxy and ingress details.
public struct ExposedPort: Codable, Hashable, Sendable {
    public var port: Int
    public var `protocol`: String
    public var proxyPort: Int?
    public var host: String?
    public var privateHost: String?
    public var healthy: Bool?
    public var ingressEnabled: Bool?
    public var ingressUrl: String?
    public var serviceName: String?

    public init(port: Int, protocol: String) {
        self.port = port
        self.protocol = `protocol`
    }
}

/// An existing volume attached to a pod.
public struct PersistentVolumeMount: Codable, Hashable, Sendable {
    public var volumeId: ResourceID
    public var mountPath: String
    public var needBackup: Bool?

    public init(volumeId: ResourceID, mountPath: String, needBackup: Bool? = nil) {
        self.volumeId = volumeId
        self.mountPath = mountPath
        self.needBackup = needBackup
    }
}

/// Body of `POST /v2/pods`.
public struct CreatePodRequest: Codable, Hashable, Sendable {
    public var name: String?
    public var regions: [String]?
    public var image: String
    public var imageRegistry: String?
    public var containerRegistryAuthId: ResourceID?
    public var imagePublicType: Open<ImagePublicType>?
    public var resourceType: Open<ResourceType>?
    public var gpuType: String
    public var gpuCount: Int
    public var minSingleCardVramInGb: Int?
    public var minSingleCardRamInGb: Int?
    public var minSingleCardVcpu: Int?
    public var shmInGb: Int?
    public var containerVolumeInGb: Int?
    public var persistentVolumeInGb: Int?
    public var persistentMountPath: String?
    public var initializationCommand: String?
    public var environmentVars: [EnvironmentVariable]?
    public var expose: [ExposedPort]?
    public var persistentVolumes: [PersistentVolumeMount]?
    public var imageRegistryUsername: String?
    public var imageRegistryPassword: String?

    public init(name: String?, image: String, gpuType: String, gpuCount: Int) {
        self.name = name
        self.image = image
        self.gpuType = gpuType
        self.gpuCount = gpuCount
    }
}

/// Filters of `GET /v2/pods`; both are sent comma-separated.
public struct PodFilter: Hashable, Sendable {
    public var regions: [String]
    public var statuses: [String]

    public init(regions: [String] = [], statuses: [String] = []) {
        self.regions = regions
        self.statuses = statuses
    }
}
