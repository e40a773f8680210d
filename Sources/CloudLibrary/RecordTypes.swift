import Language

/// The record types of the cloud built-ins: every field of the data-model type, methods for its
/// actions (added by `CloudSession`).
enum RecordTypes {
    static func fields(_ names: String) -> [(name: String, summary: String)] {
        names.split(separator: " ").map { (String($0), "") }
    }

    static let vmFields = fields(
        "id name status gpuDisplayName gpuType gpuCount region ipAddress sshTemplate cpuCores memoryInGb gpuMemoryInGb storageInGb isSpot createdAt cost orgId domainName notebookUrl terminatedAt updatedAt osInfo"
    )
    static let podFields = fields(
        "id name status gpuType gpuDisplayName gpuCount region image imageRegistry sshCmd createdAt updatedAt resourceType cloudType containerVolumeInGb shmInGb singleCardVramInGb singleCardRamInGb singleCardVcpu singleCardPrice environmentVars initializationCommand internalIp expose cost"
    )
    static let endpointFields = fields(
        "id name status serviceMode totalWorkers runningWorkers image imageRegistry cost webhook resources containerVolumeInGb environmentVars expose perHourPrice perSecondPrice domain creator createdAt updatedAt"
    )
    static let workerFields = fields(
        "workerId status createdAt region gpuType gpuDisplayName gpuCount singleCardVramInGb singleCardVcpu singleCardRamInGb uptime cost"
    )
    static let taskFields = fields(
        "taskId status endpointId endpointName workerUrl webhook deliveryStatus deliveryAttempts error input output headers createdAt updatedAt deliveredAt"
    )
    static let volumeFields = fields(
        "id name status storageType sizeInGb region mountCount vendorVolumeType cost createdAt sizeBytes")
    static let credentialFields = fields("id name type createdAt")
    static let vmTypeFields = fields("gpuType regions")
    static let gpuFields = fields("code displayName vramInGb legacy")
    static let offerFields = fields(
        "gpuType gpuDisplayName region regionName available availableCount singleCardVramInGb singleCardRamInGb singleCardVcpu singleCardPrice"
    )
    static let costFields = fields("kind name id status gpuType gpuCount region perHour")
    static let logFields = fields("logs hasMore nextSearchAfterTime nextSearchAfterOffset")

    static let columns: [String: [String]] = [
        "VM": ["id", "name", "status", "gpuDisplayName", "region", "ipAddress"],
        "Pod": ["id", "name", "status", "gpuType", "gpuCount", "region"],
        "Endpoint": ["id", "name", "status", "serviceMode", "runningWorkers", "totalWorkers"],
        "Worker": ["workerId", "status", "region", "gpuType"],
        "Task": ["taskId", "status", "deliveryStatus", "error"],
        "Volume": ["id", "name", "status", "storageType", "sizeInGb", "region"],
        "Credential": ["id", "name", "type", "createdAt"],
        "VMType": ["gpuType", "regions"],
        "GPU": ["code", "displayName", "vramInGb"],
        "Offer": ["gpuType", "region", "available", "singleCardVramInGb", "singleCardPrice"],
        "Cost": ["kind", "name", "id", "status", "gpuType", "gpuCount", "perHour"],
        "WorkerLogPage": ["hasMore", "nextSearchAfterTime"],
    ]
}
