/// A virtual machine (`data` of `GET /v2/vms/{id}`).
public struct VM: Codable, Hashable, Sendable {
    public var id: ResourceID
    public var name: String?
    public var status: Open<VMStatus>
    public var gpuDisplayName: String?
    public var ipAddress: String?
    public var cpuCores: Int?
    public var memoryInGb: FlexibleString?
    public var gpuCount: Int?
    public var gpuMemoryInGb: FlexibleString?
    public var region: String?
    public var storageInGb: FlexibleString?
    public var sshTemplate: String?
    public var createdAt: Timestamp?
    public var isSpot: Int?
    // Fields seen in the v1 detail example and the MCP types.
    public var orgId: ResourceID?
    public var domainName: String?
    public var notebookUrl: String?
    public var terminatedAt: Timestamp?
    public var updatedAt: Timestamp?
    public var osInfo: String?
    public var gpuType: String?
    /// Dollars accrued so far (not in the data model; the sandbox sends it, other servers may).
    public var cost: FlexibleNumber?

    public init(
        id: ResourceID, name: String? = nil, status: Open<VMStatus>, gpuDisplayName: String? = nil,
        ipAddress: String? = nil, cpuCores: Int? = nil, memoryInGb: FlexibleString? = nil, gpuCount: Int? = nil,
        gpuMemoryInGb: FlexibleString? = nil, region: String? = nil, storageInGb: FlexibleString? = nil,
        sshTemplate: String? = nil, createdAt: Timestamp? = nil, isSpot: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.gpuDisplayName = gpuDisplayName
        self.ipAddress = ipAddress
        self.cpuCores = cpuCores
        self.memoryInGb = memoryInGb
        self.gpuCount = gpuCount
        self.gpuMemoryInGb = gpuMemoryInGb
        self.region = region
        self.storageInGb = storageInGb
        self.sshTemplate = sshTemplate
        self.createdAt = createdAt
        self.isSpot = isSpot
    }
}

/// VM statuses; lowercase in v2, capitalised in the v1 example.
public enum VMStatus: String, WireEnum {
    case initializing, running, stopped, terminated
}

/// One entry of `GET /v2/vms/types`: a GPU type and where it can be had.
public struct VMType: Codable, Hashable, Sendable {
    public var gpuType: String
    public var regions: [Region]

    public init(gpuType: String, regions: [Region]) {
        self.gpuType = gpuType
        self.regions = regions
    }

    /// A region offering the type, with the `vmTypeId` that `POST /v2/vms` takes.
    public struct Region: Codable, Hashable, Sendable {
        public var region: String
        public var regionName: String?
        public var available: Bool
        public var vmTypeId: ResourceID

        public init(region: String, regionName: String? = nil, available: Bool, vmTypeId: ResourceID) {
            self.region = region
            self.regionName = regionName
            self.available = available
            self.vmTypeId = vmTypeId
        }
    }
}

/// Body of `POST /v2/vms`.
public struct CreateVMRequest: Codable, Hashable, Sendable {
    public var vmTypeId: ResourceID
    public var region: String
    public var name: String
    /// 0 on-demand (default), 1 spot.
    public var isSpot: Int?
    /// Volume id (as text) → mount path.
    public var volumeMountPaths: [String: String]?

    public init(
        vmTypeId: ResourceID, region: String, name: String, isSpot: Int? = nil,
        volumeMountPaths: [String: String]? = nil
    ) {
        self.vmTypeId = vmTypeId
        self.region = region
        self.name = name
        self.isSpot = isSpot
        self.volumeMountPaths = volumeMountPaths
    }
}

/// Body of `PATCH /v2/vms/{id}` and `POST /v2/volumes/{id}/name`.
public struct RenameRequest: Codable, Hashable, Sendable {
    public var name: String
    public init(name: String) { self.name = name }
}
