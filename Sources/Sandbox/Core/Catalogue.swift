import YottaAPI

/// What the simulated cloud offers: regions, GPU types with prices, and VM types per region with
/// availability (some combinations are unavailable, so recipes must cope).
public struct Catalogue: Sendable {
    public struct Region: Sendable, Hashable {
        public let code: String
        public let name: String
    }

    public static let regions: [Region] = [
        Region(code: "us-east-1", name: "US East (Virginia)"),
        Region(code: "us-east-2", name: "US East (Ohio)"),
        Region(code: "us-west-1", name: "US West (California)"),
        Region(code: "us-west-2", name: "US West (Oregon)"),
        Region(code: "us-central-3", name: "US Central 3"),
        Region(code: "ap-southeast-1", name: "Asia Pacific (Singapore)"),
    ]

    /// On-demand price of one card per hour, in dollars, for the current GPU types.
    public static let hourlyPrice: [String: Double] = [
        "NVIDIA_RTX_4090_24G": 0.39, "NVIDIA_RTX_5090_32G": 0.69, "NVIDIA_RTX_A6000_48G": 0.55,
        "NVIDIA_RTX_6000_Ada_48G": 0.79, "NVIDIA_A100_PCIe_40G": 1.10, "NVIDIA_A100_40G": 1.20,
        "NVIDIA_A100_PCIe_80G": 1.45, "NVIDIA_A100_80G": 1.60, "NVIDIA_H100_PCIe_80G": 2.10,
        "NVIDIA_H100_80G": 2.49, "NVIDIA_RTX_PRO_6000_96G": 1.89, "NVIDIA_H200_141G": 3.29,
        "NVIDIA_B200_180G": 4.99, "NVIDIA_B300_262G": 6.49, "AWS_Trainium_32G": 0.99, "AMD_MI300X_192G": 2.99,
    ]

    /// Spot VMs cost this fraction of on-demand.
    public static let spotDiscount = 0.4
    /// Storage, per GB and hour.
    public static let volumePricePerGbHour = 0.0001

    /// The GPU types on offer (the v2 table, not the v1-era codes).
    public static var gpuTypes: [GPUType] { GPUType.catalogue.filter { !$0.legacy } }

    /// Every (GPU type, region) offer with its `vmTypeId`: ids are stable (`100 × type + region`).
    /// About one offer in four is unavailable, deterministically; `us-east-1` always has H100 and 4090.
    public static let vmTypes: [VMType] = gpuTypes.enumerated().map { typeIndex, gpu in
        let offers = regions.enumerated().compactMap { regionIndex, region -> VMType.Region? in
            // Not every region has every type.
            guard (typeIndex + regionIndex) % 3 != 2 || regionIndex == 0 else { return nil }
            let available = (typeIndex * 7 + regionIndex * 3) % 4 != 1 || regionIndex == 0
            return VMType.Region(
                region: region.code, regionName: region.name, available: available,
                vmTypeId: ResourceID(Int64((typeIndex + 1) * 100 + regionIndex + 1)))
        }
        return VMType(gpuType: gpu.code, regions: offers)
    }

    /// The offer behind a `vmTypeId`.
    public static func offer(vmTypeId: ResourceID) -> (gpu: GPUType, region: VMType.Region)? {
        for type in vmTypes {
            if let region = type.regions.first(where: { $0.vmTypeId == vmTypeId }),
                let gpu = GPUType.named(type.gpuType)
            {
                return (gpu, region)
            }
        }
        return nil
    }

    public static func price(gpuType: String) -> Double { hourlyPrice[gpuType] ?? 1.0 }

    public static func isRegion(_ code: String) -> Bool { regions.contains { $0.code == code } }
}
