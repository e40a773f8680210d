import Language

/// The record types of the cloud built-ins: every field of the data-model type, methods for its
/// actions (added by `CloudSession`).
enum RecordTypes {
    static func fields(_ names: String, kind: String = "") -> [(name: String, summary: String)] {
        names.split(separator: " ").map { name in
            let name = String(name)
            return (name, descriptions["\(kind).\(name)"] ?? descriptions[name] ?? "")
        }
    }

    /// What each field means, with its unit, from the data model (docs/reference): by field name,
    /// or `Kind.field` where a kind's field means something else. `help(Pod)` shows them.
    static let descriptions: [String: String] = [
        "id": "its id (an int; an endpoint's is a string of digits)",
        "name": "the display name",
        "status": "its state: a status word (listed below)",
        "gpuType": "the GPU code, e.g. NVIDIA_RTX_4090_24G",
        "gpuDisplayName": "the GPU's display name, e.g. RTX 4090",
        "gpuCount": "GPUs (1, 2, 4 or 8)",
        "region": "the region code, e.g. us-east-1",
        "regionName": "the region's display name",
        "ipAddress": "the public IP address",
        "sshTemplate": "the ssh command to connect, e.g. ssh root@1.2.3.4",
        "sshCmd": "the ssh command to connect, e.g. ssh root@pod-ip -p 10022",
        "cpuCores": "vCPU cores",
        "memoryInGb": "RAM, GB",
        "gpuMemoryInGb": "GPU memory, GB",
        "storageInGb": "disk, GB",
        "isSpot": "1 for a spot VM (may be reclaimed), 0 on-demand",
        "createdAt": "when it was created (a time)",
        "updatedAt": "when it last changed (a time)",
        "terminatedAt": "when it was terminated (a time), or null",
        "deliveredAt": "when the webhook delivery succeeded (a time), or null",
        "cost": "US$ billed so far",
        "orgId": "the organisation that owns it",
        "domainName": "the VM's domain name",
        "notebookUrl": "the Jupyter URL (with its token)",
        "osInfo": "the operating system, e.g. Ubuntu 22.04 LTS",
        "image": "the container image, e.g. nginx:latest",
        "imageRegistry": "the registry of the image (Docker Hub when empty)",
        "resourceType": "GPU or CPU",
        "cloudType": "SECURE or COMMUNITY",
        "containerVolumeInGb": "container disk, GB",
        "shmInGb": "shared memory (/dev/shm), GB",
        "singleCardVramInGb": "GPU memory per card, GB",
        "singleCardRamInGb": "RAM per card, GB",
        "singleCardVcpu": "vCPUs per card",
        "singleCardPrice": "US$ per GPU per hour",
        "Offer.vmTypeId": "what vms.create takes for this GPU type in this region (null: no VM of it there)",
        "environmentVars": "environment variables: list of {key, value}",
        "initializationCommand": "the command run when the container starts",
        "internalIp": "the private IP address",
        "expose": "exposed ports: {port, protocol, …} (pods: a list)",
        "serviceMode": "ALB (HTTP load balancer), QUEUE (tasks) or CUSTOM (workers only)",
        "totalWorkers": "workers asked for",
        "runningWorkers": "workers running now",
        "webhook": "the URL results are POSTed to, or null",
        "resources": "where workers may run: list of {region, gpuType, gpuCount}",
        "perHourPrice": "US$ per hour for one worker",
        "perSecondPrice": "US$ per second for all its workers",
        "domain": "the public host of an ALB endpoint (*.yottadeos.com)",
        "creator": "who created it",
        "workerId": "the worker's id (new ids after an endpoint stops and starts)",
        "uptime": "how long the worker has run",
        "taskId": "the task's id (yours, or a generated UUID)",
        "endpointId": "the endpoint the task was sent to",
        "endpointName": "the endpoint's name",
        "workerUrl": "the worker URL the task was POSTed to (host:port + processUri)",
        "deliveryStatus": "the webhook delivery: INIT, SUCCESS, FAILED or MAX_RETRIES_EXCEEDED",
        "deliveryAttempts": "webhook deliveries tried",
        "error": "why it failed, or null",
        "input": "the JSON sent to the worker (full view only)",
        "output": "the worker's JSON answer (full view only)",
        "headers": "headers forwarded to the worker (full view only)",
        "storageType": "S3, CEPH, VENDOR or R2",
        "sizeInGb": "size, GB (null for S3 and R2: unlimited)",
        "sizeBytes": "bytes used",
        "mountCount": "pods and VMs that mount it (it can be deleted or resized only at 0)",
        "vendorVolumeType": "NVMe or HDD (VENDOR volumes)",
        "type": "the registry: DOCKER_HUB, GCR, ECR, ACR or PRIVATE",
        "regions": "the regions offering it: list of {region, regionName, available, vmTypeId}",
        "code": "the GPU code, e.g. NVIDIA_H100_80G",
        "displayName": "the display name, e.g. H100",
        "vramInGb": "GPU memory, GB",
        "legacy": "true for a v1-era code",
        "available": "whether it can be rented now",
        "availableCount": "GPUs free now",
        "kind": "VM, Pod or Endpoint",
        "perHour": "US$ per hour",
        "logs": "the lines: list of {timestamp, log, offset}",
        "hasMore": "whether more lines follow",
        "nextSearchAfterTime": "the cursor for the next page (epoch ms as text)",
        "nextSearchAfterOffset": "the cursor's offset for the next page",
        "Offer.gpuCount": "GPUs",
        "Cost.id": "the resource's id",
        "Cost.name": "the resource's name",
        "Cost.expiresAt": "when its ttl ends (ttl: on its create, from the run ledger); null without one",
        "Cost.ttlLeft": "how long until its ttl ends (\"passed\" once it has); null without one",
    ]

    static let vmFields = fields(
        "id name status gpuDisplayName gpuType gpuCount region ipAddress sshTemplate cpuCores memoryInGb gpuMemoryInGb storageInGb isSpot createdAt cost orgId domainName notebookUrl terminatedAt updatedAt osInfo",
        kind: "VM")
    static let podFields = fields(
        "id name status gpuType gpuDisplayName gpuCount region image imageRegistry sshCmd createdAt updatedAt resourceType cloudType containerVolumeInGb shmInGb singleCardVramInGb singleCardRamInGb singleCardVcpu singleCardPrice environmentVars initializationCommand internalIp expose cost",
        kind: "Pod")
    static let endpointFields = fields(
        "id name status serviceMode totalWorkers runningWorkers image imageRegistry cost webhook resources containerVolumeInGb environmentVars expose perHourPrice perSecondPrice domain creator createdAt updatedAt",
        kind: "Endpoint")
    static let workerFields = fields(
        "workerId status createdAt region gpuType gpuDisplayName gpuCount singleCardVramInGb singleCardVcpu singleCardRamInGb uptime cost",
        kind: "Worker")
    static let taskFields = fields(
        "taskId status endpointId endpointName workerUrl webhook deliveryStatus deliveryAttempts error input output headers createdAt updatedAt deliveredAt",
        kind: "Task")
    static let volumeFields = fields(
        "id name status storageType sizeInGb region mountCount vendorVolumeType cost createdAt sizeBytes",
        kind: "Volume")
    static let credentialFields = fields("id name type createdAt", kind: "Credential")
    static let vmTypeFields = fields("gpuType regions", kind: "VMType")
    static let gpuFields = fields("code displayName vramInGb legacy", kind: "GPU")
    static let offerFields = fields(
        "gpuType gpuDisplayName region regionName available availableCount singleCardVramInGb singleCardRamInGb singleCardVcpu singleCardPrice vmTypeId",
        kind: "Offer")
    static let costFields = fields(
        "kind name id status gpuType gpuCount region perHour expiresAt ttlLeft", kind: "Cost")
    static let logFields = fields("logs hasMore nextSearchAfterTime nextSearchAfterOffset", kind: "WorkerLogPage")

    /// The units a table's header shows after a field (`singleCardPrice $/h`): money, whose unit a
    /// name does not say (a size says it: `sizeInGb`).
    static let units: [String: String] = [
        "singleCardPrice": "$/h", "perHour": "$/h", "perHourPrice": "$/h", "perSecondPrice": "$/s", "cost": "$",
    ]

    static let columns: [String: [String]] = [
        "VM": ["id", "name", "status", "gpuDisplayName", "region", "ipAddress"],
        "Pod": ["id", "name", "status", "gpuType", "gpuCount", "region"],
        "Endpoint": ["id", "name", "status", "serviceMode", "runningWorkers", "totalWorkers"],
        "Worker": ["workerId", "status", "region", "gpuType"],
        "Task": ["taskId", "status", "deliveryStatus", "error"],
        "Volume": ["id", "name", "status", "storageType", "sizeInGb", "region"],
        "Credential": ["id", "name", "type", "createdAt"],
        "VMType": ["gpuType", "region", "regionName", "available", "vmTypeId"],
        "GPU": ["code", "displayName", "vramInGb"],
        // No memory column: the GPU code says it (NVIDIA_H100_80G), and the code must not be cut at
        // 80 columns (`-o wide` shows every field).
        "Offer": ["gpuType", "region", "available", "singleCardPrice", "vmTypeId"],
        "Cost": ["kind", "name", "id", "status", "gpuType", "gpuCount", "perHour", "ttlLeft"],
        "WorkerLogPage": ["hasMore", "nextSearchAfterTime"],
    ]

    /// The fields that say which thing a record describes: a method or a wait that reads it again
    /// updates the record in place.
    static let identity: [String: [String]] = [
        "VM": ["id"], "Pod": ["id"], "Endpoint": ["id"], "Volume": ["id"], "Credential": ["id"],
        "Worker": ["endpointId", "workerId"], "Task": ["endpointId", "taskId"],
    ]
}
