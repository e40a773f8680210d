class GPU:
    __slots__ = ('code', 'displayName', 'vramInGb', 'legacy')
    def __init__(self, code, displayName, vramInGb, legacy):
        self.code, self.displayName, self.vramInGb, self.legacy = code, displayName, vramInGb, legacy
offers = [
    GPU('NVIDIA_RTX_4090_24G', 'RTX 4090', 24, False),
    GPU('NVIDIA_RTX_5090_32G', 'RTX 5090', 32, False),
    GPU('NVIDIA_RTX_A6000_48G', 'RTX A6000', 48, False),
    GPU('NVIDIA_RTX_6000_Ada_48G', 'RTX 6000 Ada', 48, False),
    GPU('NVIDIA_A100_PCIe_40G', 'A100 PCIe 40G', 40, False),
    GPU('NVIDIA_A100_40G', 'A100 40G', 40, False),
    GPU('NVIDIA_A100_PCIe_80G', 'A100 PCIe 80G', 80, False),
    GPU('NVIDIA_A100_80G', 'A100 80G', 80, False),
    GPU('NVIDIA_H100_PCIe_80G', 'H100 PCIe', 80, False),
    GPU('NVIDIA_H100_80G', 'H100', 80, False),
    GPU('NVIDIA_RTX_PRO_6000_96G', 'RTX PRO 6000', 96, False),
    GPU('NVIDIA_H200_141G', 'H200', 141, False),
    GPU('NVIDIA_B200_180G', 'B200', 180, False),
    GPU('NVIDIA_B300_262G', 'B300', 262, False),
    GPU('AWS_Trainium_32G', 'Trainium', 32, False),
    GPU('AMD_MI300X_192G', 'MI300X', 192, False),
]
total = 0
for i in range(200000):
    g = offers[i % 16]
    if not g.legacy:
        total = total + g.vramInGb + len(g.code)
print(total)
