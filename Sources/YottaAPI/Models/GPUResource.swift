/// The body of `POST /api/v2/resource/gpu/list`, shaped like its v1 sibling
/// (`POST /openapi/v1/gpus/list`, reference section 2.4): every filter optional here; the client sends
/// the VRAM pair v1 required (0 and 1536 GB when not given).
public struct GPUResourceQuery: Codable, Hashable, Sendable {
    public var regions: [String]?
    public var minSingleCardVramInGb: Int?
    public var maxSingleCardVramInGb: Int?
    public var minSingleCardRamInGb: Int?
    public var maxSingleCardRamInGb: Int?

    public init(
        regions: [String]? = nil, minSingleCardVramInGb: Int? = nil, maxSingleCardVramInGb: Int? = nil,
        minSingleCardRamInGb: Int? = nil, maxSingleCardRamInGb: Int? = nil
    ) {
        self.regions = regions
        self.minSingleCardVramInGb = minSingleCardVramInGb
        self.maxSingleCardVramInGb = maxSingleCardVramInGb
        self.minSingleCardRamInGb = minSingleCardRamInGb
        self.maxSingleCardRamInGb = maxSingleCardRamInGb
    }
}

/// One entry of the GPU catalogue: a GPU type in a region, with its price where the API gives one.
///
/// The operation is undocumented (reference section 2.4), so decoding is tolerant: every field is
/// optional, a field of an unexpected type is left out rather than failing the list, `available` may
/// come as a number, and the GPU's code may come as `gpuType`, `code` or `name`.
public struct GPUResource: Codable, Hashable, Sendable {
    public var gpuType: String?
    public var gpuDisplayName: String?
    public var region: String?
    public var regionName: String?
    public var available: Bool?
    public var availableCount: Int?
    public var singleCardVramInGb: Int?
    public var singleCardRamInGb: Int?
    public var singleCardVcpu: Int?
    /// Dollars per GPU and hour.
    public var singleCardPrice: FlexibleNumber?

    public init(
        gpuType: String? = nil, gpuDisplayName: String? = nil, region: String? = nil, regionName: String? = nil,
        available: Bool? = nil, availableCount: Int? = nil, singleCardVramInGb: Int? = nil,
        singleCardRamInGb: Int? = nil, singleCardVcpu: Int? = nil, singleCardPrice: FlexibleNumber? = nil
    ) {
        self.gpuType = gpuType
        self.gpuDisplayName = gpuDisplayName
        self.region = region
        self.regionName = regionName
        self.available = available
        self.availableCount = availableCount
        self.singleCardVramInGb = singleCardVramInGb
        self.singleCardRamInGb = singleCardRamInGb
        self.singleCardVcpu = singleCardVcpu
        self.singleCardPrice = singleCardPrice
    }

    enum CodingKeys: String, CodingKey {
        case gpuType, gpuDisplayName, region, regionName, available, availableCount, singleCardVramInGb
        case singleCardRamInGb, singleCardVcpu, singleCardPrice, code, name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys) -> T? {
            (try? container.decodeIfPresent(T.self, forKey: key)) ?? nil
        }
        gpuType = value(.gpuType) ?? value(.code) ?? value(.name)
        gpuDisplayName = value(.gpuDisplayName)
        region = value(.region)
        regionName = value(.regionName)
        available = value(.available) ?? (value(.available) as Int?).map { $0 != 0 }
        availableCount = value(.availableCount)
        singleCardVramInGb = value(.singleCardVramInGb)
        singleCardRamInGb = value(.singleCardRamInGb)
        singleCardVcpu = value(.singleCardVcpu)
        singleCardPrice = value(.singleCardPrice)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(gpuType, forKey: .gpuType)
        try container.encodeIfPresent(gpuDisplayName, forKey: .gpuDisplayName)
        try container.encodeIfPresent(region, forKey: .region)
        try container.encodeIfPresent(regionName, forKey: .regionName)
        try container.encodeIfPresent(available, forKey: .available)
        try container.encodeIfPresent(availableCount, forKey: .availableCount)
        try container.encodeIfPresent(singleCardVramInGb, forKey: .singleCardVramInGb)
        try container.encodeIfPresent(singleCardRamInGb, forKey: .singleCardRamInGb)
        try container.encodeIfPresent(singleCardVcpu, forKey: .singleCardVcpu)
        try container.encodeIfPresent(singleCardPrice, forKey: .singleCardPrice)
    }
}
