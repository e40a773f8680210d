/// A storage volume (`data` of `GET /v2/volumes/{id}`). Reads the guide's shape and the live shape
/// (`type` for `storageType`, string id and cost, `sizeBytes`).
public struct Volume: Codable, Hashable, Sendable {
    public var id: ResourceID
    public var name: String?
    public var sizeInGb: Int?
    public var region: String?
    public var storageType: Open<StorageType>?
    public var status: Open<VolumeStatus>
    public var vendorVolumeType: Open<VendorVolumeType>?
    public var mountCount: Int?
    public var cost: FlexibleNumber?
    public var createdAt: Timestamp?
    public var sizeBytes: FlexibleString?

    enum CodingKeys: String, CodingKey {
        case id, name, sizeInGb, region, storageType, type, status, vendorVolumeType, mountCount, cost
        case createdAt, sizeBytes
    }

    public init(id: ResourceID, name: String? = nil, storageType: Open<StorageType>?, status: Open<VolumeStatus>) {
        self.id = id
        self.name = name
        self.storageType = storageType
        self.status = status
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(ResourceID.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        sizeInGb = try container.decodeIfPresent(Int.self, forKey: .sizeInGb)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        storageType =
            try container.decodeIfPresent(Open<StorageType>.self, forKey: .storageType)
            ?? container.decodeIfPresent(Open<StorageType>.self, forKey: .type)
        status = try container.decode(Open<VolumeStatus>.self, forKey: .status)
        vendorVolumeType = try container.decodeIfPresent(Open<VendorVolumeType>.self, forKey: .vendorVolumeType)
        mountCount = try container.decodeIfPresent(Int.self, forKey: .mountCount)
        cost = try container.decodeIfPresent(FlexibleNumber.self, forKey: .cost)
        createdAt = try container.decodeIfPresent(Timestamp.self, forKey: .createdAt)
        sizeBytes = try container.decodeIfPresent(FlexibleString.self, forKey: .sizeBytes)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(sizeInGb, forKey: .sizeInGb)
        try container.encode(region, forKey: .region)
        try container.encodeIfPresent(storageType, forKey: .storageType)
        try container.encode(status, forKey: .status)
        try container.encode(vendorVolumeType, forKey: .vendorVolumeType)
        try container.encodeIfPresent(mountCount, forKey: .mountCount)
        try container.encodeIfPresent(cost, forKey: .cost)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(sizeBytes, forKey: .sizeBytes)
    }
}

/// Where a volume lives: object storage (S3, R2), block storage (CEPH) or a third party (VENDOR).
public enum StorageType: String, WireEnum {
    case s3 = "S3"
    case ceph = "CEPH"
    case vendor = "VENDOR"
    case r2 = "R2"

    /// Whether a size (and a resize) applies: S3 and R2 are unlimited.
    public var isSized: Bool { self == .ceph || self == .vendor }
    /// Whether `region` is required on create (CEPH and VENDOR; optional for R2, see C17).
    public var requiresRegion: Bool { self == .ceph || self == .vendor }
}

/// Volume statuses (lowercase; `ACTIVE` also read).
public enum VolumeStatus: String, WireEnum {
    case creating, active, resizing, deleting, error
}

/// Disk kind of a VENDOR volume.
public enum VendorVolumeType: String, WireEnum {
    case nvme = "NVMe"
    case hdd = "HDD"
}

/// Body of `POST /v2/volumes`.
public struct CreateVolumeRequest: Codable, Hashable, Sendable {
    public var name: String
    public var storageType: Open<StorageType>
    public var region: String?
    public var sizeInGb: Int?
    public var vendorVolumeType: Open<VendorVolumeType>?

    public init(
        name: String, storageType: Open<StorageType>, region: String? = nil, sizeInGb: Int? = nil,
        vendorVolumeType: Open<VendorVolumeType>? = nil
    ) {
        self.name = name
        self.storageType = storageType
        self.region = region
        self.sizeInGb = sizeInGb
        self.vendorVolumeType = vendorVolumeType
    }
}

/// Body of `POST /v2/volumes/{id}/resize`.
public struct ResizeVolumeRequest: Codable, Hashable, Sendable {
    public var sizeInGb: Int
    public init(sizeInGb: Int) { self.sizeInGb = sizeInGb }
}
