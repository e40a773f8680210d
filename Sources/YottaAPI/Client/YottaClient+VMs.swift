/// Virtual machines (`/v2/vms`): types, list, get, create, rename, terminate.
extension YottaClient {
    public func listVMTypes() async throws(YottaError) -> [VMType] {
        try await send(Call(operation: .listVMTypes), as: [VMType].self)
    }

    /// The GPU catalogue: GPU types by region with availability and price (`POST /api/v2/resource/gpu/list`,
    /// a read: retried like one). The VRAM bounds default to 0 and 1536 GB.
    public func listGPUResources(
        _ query: GPUResourceQuery = GPUResourceQuery()
    ) async throws(YottaError)
        -> [GPUResource]
    {
        var query = query
        query.minSingleCardVramInGb = query.minSingleCardVramInGb ?? 0
        query.maxSingleCardVramInGb = query.maxSingleCardVramInGb ?? 1536
        return try await send(Call(operation: .listGPUResources), body: query, as: [GPUResource].self)
    }

    /// One page of VMs, optionally only those with a status.
    public func listVMs(page: Int = 1, size: Int = 10, status: String? = nil) async throws(YottaError) -> Page<VM> {
        var query = try pageQuery(.listVMs, page: page, size: size)
        if let status { query.append(QueryItem("status", status)) }
        return try await send(Call(operation: .listVMs, query: query), as: Page<VM>.self)
    }

    /// Every VM, following the pages to the end.
    public func allVMs(status: String? = nil, pageSize: Int = 50) -> PageSequence<VM> {
        PageSequence { page throws(YottaError) in try await listVMs(page: page, size: pageSize, status: status) }
    }

    public func getVM(id: ResourceID) async throws(YottaError) -> VM {
        try await send(call(.getVM, id), as: VM.self)
    }

    /// Creates a VM; take `vmTypeId` and `region` from `listVMTypes()`. Never retried.
    public func createVM(_ request: CreateVMRequest) async throws(YottaError) -> VM {
        try await send(Call(operation: .createVM, resourceID: request.name), body: request, as: VM.self)
    }

    public func renameVM(id: ResourceID, name: String) async throws(YottaError) -> VM {
        try await send(call(.renameVM, id), body: RenameRequest(name: name), as: VM.self)
    }

    /// Terminates a VM. Code 11001 when it is already terminated.
    public func terminateVM(id: ResourceID) async throws(YottaError) {
        try await send(call(.terminateVM, id))
    }

    /// `page` and `size` query items, checked: both at least 1, size at most 1000.
    func pageQuery(
        _ operation: APIOperation, page: Int, size: Int, names: (String, String) = ("page", "size")
    )
        throws(YottaError) -> [QueryItem]
    {
        let check = FieldChecker(operation)
        do {
            try check.range(page, names.0, 1...Int.max)
            try check.range(size, names.1, 1...1000)
        } catch {
            throw .validation(error)
        }
        return [QueryItem(names.0, String(page)), QueryItem(names.1, String(size))]
    }
}
