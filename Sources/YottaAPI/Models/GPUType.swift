/// A GPU type code of the data model, with its display name and memory.
public struct GPUType: Hashable, Sendable, Codable {
    /// The code the API uses, e.g. `NVIDIA_H100_80G`.
    public let code: String
    /// The name people use, e.g. "H100".
    public let displayName: String
    /// Memory of one card in GB.
    public let vramInGb: Int
    /// Whether the code is from the v1 era (still seen in responses, not in the v2 table).
    public let legacy: Bool

    public init(code: String, displayName: String, vramInGb: Int, legacy: Bool = false) {
        self.code = code
        self.displayName = displayName
        self.vramInGb = vramInGb
        self.legacy = legacy
    }

    /// Every GPU type code of the reference (section 2.8), the v2 table first, then the v1-era codes.
    public static let catalogue: [GPUType] = [
        GPUType(code: "NVIDIA_RTX_4090_24G", displayName: "RTX 4090", vramInGb: 24),
        GPUType(code: "NVIDIA_RTX_5090_32G", displayName: "RTX 5090", vramInGb: 32),
        GPUType(code: "NVIDIA_RTX_A6000_48G", displayName: "RTX A6000", vramInGb: 48),
        GPUType(code: "NVIDIA_RTX_6000_Ada_48G", displayName: "RTX 6000 Ada", vramInGb: 48),
        GPUType(code: "NVIDIA_A100_PCIe_40G", displayName: "A100 PCIe 40G", vramInGb: 40),
        GPUType(code: "NVIDIA_A100_40G", displayName: "A100 40G", vramInGb: 40),
        GPUType(code: "NVIDIA_A100_PCIe_80G", displayName: "A100 PCIe 80G", vramInGb: 80),
        GPUType(code: "NVIDIA_A100_80G", displayName: "A100 80G", vramInGb: 80),
        GPUType(code: "NVIDIA_H100_PCIe_80G", displayName: "H100 PCIe", vramInGb: 80),
        GPUType(code: "NVIDIA_H100_80G", displayName: "H100", vramInGb: 80),
        GPUType(code: "NVIDIA_RTX_PRO_6000_96G", displayName: "RTX PRO 6000", vramInGb: 96),
        GPUType(code: "NVIDIA_H200_141G", displayName: "H200", vramInGb: 141),
        GPUType(code: "NVIDIA_B200_180G", displayName: "B200", vramInGb: 180),
        GPUType(code: "NVIDIA_B300_262G", displayName: "B300", vramInGb: 262),
        GPUType(code: "AWS_Trainium_32G", displayName: "Trainium", vramInGb: 32),
        GPUType(code: "AMD_MI300X_192G", displayName: "MI300X", vramInGb: 192),
        GPUType(code: "NVIDIA_L4_24G", displayName: "L4", vramInGb: 24, legacy: true),
        GPUType(code: "NVIDIA_GeForce_RTX_4090_24G", displayName: "GeForce RTX 4090", vramInGb: 24, legacy: true),
        GPUType(code: "NVIDIA_GeForce_RTX_5090_32G", displayName: "GeForce RTX 5090", vramInGb: 32, legacy: true),
        GPUType(code: "NVIDIA_H100_80GB_HBM3_80G", displayName: "H100 HBM3", vramInGb: 80, legacy: true),
    ]

    /// The catalogue entry for a code, or nil when the code is not one of the reference.
    public static func named(_ code: String) -> GPUType? { catalogue.first { $0.code == code } }
}
