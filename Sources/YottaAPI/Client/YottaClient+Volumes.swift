/// Storage volumes (`/v2/volumes`).
extension YottaClient {
    /// One page of volumes of a storage type (the API requires the type), optionally in one region.
    public func listVolumes(
        storageType: StorageType, region: String? = nil, page: Int = 1, size: Int = 10
    )
        async throws(YottaError) -> Page<Volume>
    {
        var query = try pageQuery(.listVolumes, page: page, size: size)
        query.append(QueryItem("storageType", storageType.rawValue))
        if let region { query.append(QueryItem("region", region)) }
        return try await send(Call(operation: .listVolumes, query: query), as: Page<Volume>.self)
    }

    /// Every volume of a storage type, following the pages.
    public func allVolumes(storageType: StorageType, region: String? = nil, pageSize: Int = 50) -> PageSequence<Volume>
    {
        PageSequence { page throws(YottaError) in
            try await listVolumes(storageType: storageType, region: region, page: page, size: pageSize)
        }
    }

    public func getVolume(id: ResourceID) async throws(YottaError) -> Volume {
        try await send(call(.getVolume, id), as: Volume.self)
    }

    /// Creates a volume (status `creating`). Never retried.
    public func createVolume(_ request: CreateVolumeRequest) async throws(YottaError) -> Volume {
        try await send(Call(operation: .createVolume, resourceID: request.name), body: request, as: Volume.self)
    }

    /// Renames a volume (a POST to `/name`, not a PATCH).
    public func renameVolume(id: ResourceID, name: String) async throws(YottaError) -> Volume {
        try await send(call(.renameVolume, id), body: RenameRequest(name: name), as: Volume.self)
    }

    /// Resizes a CEPH or VENDOR volume that is active and unmounted.
    public func resizeVolume(id: ResourceID, sizeInGb: Int) async throws(YottaError) {
        _ = try await send(call(.resizeVolume, id), body: ResizeVolumeRequest(sizeInGb: sizeInGb), as: JSONValue?.self)
    }

    /// Deletes an unmounted volume.
    public func deleteVolume(id: ResourceID) async throws(YottaError) {
        try await send(call(.deleteVolume, id))
    }
}
