/// A request body that knows its documented constraints.
public protocol ValidatedRequest: Encodable, Sendable {
    /// Throws the first constraint the request breaks.
    func validate(as operation: APIOperation) throws(ValidationError)
}

extension CreateCredentialRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.shortName(name, "name")
        try check.oneOf(type, "type", CredentialType.self)
        try check.length(username, "username", 1...255, required: true)
        try check.length(password, "password", 1...255, required: true)
    }
}

extension UpdateCredentialRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.require(
            name != nil || username != nil || password != nil, "name",
            "at least one of name, username or password is required")
        if let name { try check.shortName(name, "name") }
        try check.length(username, "username", 1...255)
        try check.length(password, "password", 1...255)
    }
}

extension CreateVMRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.require(
            (vmTypeId.int64Value ?? 0) > 0, "vmTypeId", "must be a positive integer id (got '\(vmTypeId)')")
        try check.length(region, "region", 1...64, required: true)
        try check.resourceName(name, "name")
        if let isSpot { try check.require(isSpot == 0 || isSpot == 1, "isSpot", "must be 0 or 1 (got \(isSpot))") }
        try check.require(
            (volumeMountPaths?.count ?? 0) <= Bounds.listItems, "volumeMountPaths",
            "must have at most \(Bounds.listItems) entries")
        for (volumeID, path) in volumeMountPaths ?? [:] {
            try check.require(
                (Int64(volumeID) ?? 0) > 0, "volumeMountPaths", "keys must be volume ids (got '\(volumeID)')")
            try check.require(
                path.hasPrefix("/") && path.count <= 255, "volumeMountPaths[\(volumeID)]",
                "must be an absolute path of at most 255 characters (got '\(path)')")
        }
    }
}

extension RenameRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        if operation == .renameVolume {
            try check.volumeName(name, "name")
        } else {
            try check.resourceName(name, "name")
        }
    }
}

extension CreatePodRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.resourceName(name, "name")
        try check.count(regions, "regions")
        try check.unique(regions, "regions")
        for (index, region) in (regions ?? []).enumerated() {
            try check.length(region, "regions[\(index)]", 1...64)
        }
        try check.length(image, "image", 1...255, required: true)
        try check.length(imageRegistry, "imageRegistry", 0...255)
        try check.oneOf(imagePublicType, "imagePublicType", ImagePublicType.self)
        try check.oneOf(resourceType, "resourceType", ResourceType.self)
        try check.length(gpuType, "gpuType", 1...64, required: true)
        try check.gpuCount(gpuCount, "gpuCount")
        try check.range(minSingleCardVramInGb, "minSingleCardVramInGb", 0...1536)
        try check.range(minSingleCardRamInGb, "minSingleCardRamInGb", 0...1536)
        try check.range(minSingleCardVcpu, "minSingleCardVcpu", 0...Bounds.vcpu)
        try check.range(shmInGb, "shmInGb", 0...Bounds.shmInGb)
        try check.range(containerVolumeInGb, "containerVolumeInGb", 0...Bounds.sizeInGb)
        try check.range(persistentVolumeInGb, "persistentVolumeInGb", 0...Bounds.sizeInGb)
        if (persistentVolumeInGb ?? 0) > 0 {
            try check.length(persistentMountPath, "persistentMountPath", 1...255, required: true)
        }
        try check.length(initializationCommand, "initializationCommand", 0...4096)
        try check.environment(environmentVars, "environmentVars")
        try check.count(expose, "expose")
        try check.count(persistentVolumes, "persistentVolumes")
        for (index, port) in (expose ?? []).enumerated() {
            try check.port(port.port, "expose[\(index)].port")
            try check.length(port.protocol, "expose[\(index)].protocol", 1...16, required: true)
        }
        for (index, mount) in (persistentVolumes ?? []).enumerated() {
            try check.require(
                (mount.volumeId.int64Value ?? 0) > 0, "persistentVolumes[\(index)].volumeId",
                "must be a volume id (got '\(mount.volumeId)')")
            try check.require(
                mount.mountPath.hasPrefix("/"), "persistentVolumes[\(index)].mountPath",
                "must be an absolute path (got '\(mount.mountPath)')")
        }
    }
}

extension CreateEndpointRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.shortName(name, "name")
        try check.length(image, "image", 1...255, required: true)
        try check.length(imageRegistry, "imageRegistry", 0...255)
        try EndpointSpec(
            resources: resources, workers: workers, containerVolumeInGb: containerVolumeInGb, expose: expose,
            webhook: webhook, vram: minSingleCardVramInGb, ram: minSingleCardRamInGb, vcpu: minSingleCardVcpu,
            environmentVars: environmentVars
        ).validate(check)
        try check.oneOf(serviceMode, "serviceMode", ServiceMode.self)
    }
}

extension UpdateEndpointRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.shortName(name, "name")
        try EndpointSpec(
            resources: resources, workers: workers, containerVolumeInGb: containerVolumeInGb, expose: expose,
            webhook: webhook, vram: minSingleCardVramInGb, ram: minSingleCardRamInGb, vcpu: minSingleCardVcpu,
            environmentVars: environmentVars
        ).validate(check)
    }
}

/// The constraints endpoint create and update share.
private struct EndpointSpec {
    let resources: [EndpointResource]
    let workers: Int
    let containerVolumeInGb: Int
    let expose: EndpointExpose?
    let webhook: String?
    let vram: Int?
    let ram: Int?
    let vcpu: Int?
    let environmentVars: [EnvironmentVariable]?

    func validate(_ check: FieldChecker) throws(ValidationError) {
        try check.require(!resources.isEmpty, "resources", "must list at least one {region, gpuType, gpuCount}")
        try check.count(resources, "resources")
        for (index, resource) in resources.enumerated() {
            try check.length(resource.region, "resources[\(index)].region", 1...64, required: true)
            try check.length(resource.gpuType, "resources[\(index)].gpuType", 1...64, required: true)
            try check.gpuCount(resource.gpuCount, "resources[\(index)].gpuCount")
        }
        try check.range(workers, "workers", 1...Bounds.workers)
        try check.range(containerVolumeInGb, "containerVolumeInGb", 20...Bounds.sizeInGb)
        if let expose {
            try check.port(expose.port, "expose.port")
            try check.length(expose.protocol, "expose.protocol", 1...16, required: true)
        }
        try check.webURL(webhook, "webhook")
        try check.range(vram, "minSingleCardVramInGb", 0...1536)
        try check.range(ram, "minSingleCardRamInGb", 0...1536)
        try check.range(vcpu, "minSingleCardVcpu", 0...Bounds.vcpu)
        try check.environment(environmentVars, "environmentVars")
    }
}

extension SubmitTaskRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        if let taskId {
            try check.length(taskId, "taskId", 0...255)
            try check.require(
                taskId.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }, "taskId",
                "may contain only letters, digits and '_' (got '\(taskId)')")
        }
        try check.require(!input.isEmpty, "input", "must not be empty")
        try check.port(workerPort, "workerPort")
        try check.length(processUri, "processUri", 1...255, required: true)
        try check.require(!processUri.contains(" "), "processUri", "must not contain spaces (got '\(processUri)')")
        try check.require(
            processUri.allSatisfy(\.isURIPathCharacter), "processUri",
            "may contain only URI path characters (got '\(processUri)')")
        try check.webURL(webhook, "webhook")
        try check.length(webhookAuthKey, "webhookAuthKey", 0...255)
        try check.require(
            (headers?.count ?? 0) <= Bounds.taskHeaders, "headers", "must have at most \(Bounds.taskHeaders) entries")
    }

    /// The request as sent: a non-empty `processUri` gets its leading `/` when it lacks one.
    public var normalized: SubmitTaskRequest {
        var copy = self
        if !processUri.isEmpty, !processUri.hasPrefix("/") { copy.processUri = "/" + processUri }
        return copy
    }
}

extension CreateVolumeRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.volumeName(name, "name")
        try check.oneOf(storageType, "storageType", StorageType.self)
        guard let type = storageType.known else { return }
        if type.requiresRegion {
            try check.length(region, "region", 1...64, required: true)
        } else {
            try check.length(region, "region", 1...64)
        }
        if type.isSized {
            try check.require(sizeInGb != nil, "sizeInGb", "is required for \(type.rawValue) volumes")
            try check.range(sizeInGb, "sizeInGb", 1...Bounds.sizeInGb)
        } else {
            try check.require(
                sizeInGb == nil, "sizeInGb", "must not be given for \(type.rawValue) volumes (their size is unlimited)")
        }
        if type == .vendor {
            try check.require(
                vendorVolumeType != nil, "vendorVolumeType", "is required for VENDOR volumes (NVMe or HDD)")
            try check.oneOf(vendorVolumeType, "vendorVolumeType", VendorVolumeType.self)
        } else {
            try check.require(
                vendorVolumeType == nil, "vendorVolumeType", "applies to VENDOR volumes only")
        }
    }
}

extension ResizeVolumeRequest: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        try FieldChecker(operation).range(sizeInGb, "sizeInGb", 1...Bounds.sizeInGb)
    }
}

extension Character {
    /// Unreserved, sub-delimiter, `:`, `@`, `/` and `%` (for percent-escapes): RFC 3986 path characters.
    var isURIPathCharacter: Bool {
        isASCIILetter || isASCIIDigit || "-._~!$&'()*+,;=:@/%".contains(self)
    }
}

extension GPUResourceQuery: ValidatedRequest {
    public func validate(as operation: APIOperation) throws(ValidationError) {
        let check = FieldChecker(operation)
        try check.count(regions, "regions")
        for region in regions ?? [] { try check.length(region, "regions", 1...64, required: true) }
        try check.range(minSingleCardVramInGb, "minSingleCardVramInGb", 0...1536)
        try check.range(maxSingleCardVramInGb, "maxSingleCardVramInGb", 0...1536)
        try check.range(minSingleCardRamInGb, "minSingleCardRamInGb", 0...1536)
        try check.range(maxSingleCardRamInGb, "maxSingleCardRamInGb", 0...1536)
        try check.require(
            (minSingleCardVramInGb ?? 0) <= (maxSingleCardVramInGb ?? 1536), "maxSingleCardVramInGb",
            "must be at least minSingleCardVramInGb")
        try check.require(
            (minSingleCardRamInGb ?? 0) <= (maxSingleCardRamInGb ?? 1536), "maxSingleCardRamInGb",
            "must be at least minSingleCardRamInGb")
    }
}
