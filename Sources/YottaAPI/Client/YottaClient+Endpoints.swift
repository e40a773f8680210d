/// Elastic endpoints (`/v2/serverless`), their workers and the workers' logs.
extension YottaClient {
    /// Endpoints, optionally only those in the given statuses (comma-separated on the wire).
    public func listEndpoints(statuses: [String] = []) async throws(YottaError) -> [Endpoint] {
        try await send(Call(operation: .listEndpoints, query: statusQuery(statuses)), as: [Endpoint].self)
    }

    public func getEndpoint(id: ResourceID) async throws(YottaError) -> Endpoint {
        try await send(call(.getEndpoint, id), as: Endpoint.self)
    }

    /// Creates an endpoint. Never retried.
    public func createEndpoint(_ request: CreateEndpointRequest) async throws(YottaError) -> Endpoint {
        try await send(Call(operation: .createEndpoint, resourceID: request.name), body: request, as: Endpoint.self)
    }

    /// Replaces an endpoint's settings; allowed while it is STOPPED (12001 otherwise).
    public func updateEndpoint(id: ResourceID, _ request: UpdateEndpointRequest) async throws(YottaError) -> Endpoint {
        try await send(call(.updateEndpoint, id), body: request, as: Endpoint.self)
    }

    /// Deletes an endpoint; allowed when STOPPED or FAILED (24002 otherwise).
    public func deleteEndpoint(id: ResourceID) async throws(YottaError) {
        try await send(call(.deleteEndpoint, id))
    }

    /// Starts a stopped endpoint; its workers come up with new ids.
    public func startEndpoint(id: ResourceID) async throws(YottaError) {
        try await send(call(.startEndpoint, id))
    }

    public func stopEndpoint(id: ResourceID) async throws(YottaError) {
        try await send(call(.stopEndpoint, id))
    }

    /// Sets the number of workers (`PUT …/workers?count=N`); 0 is allowed, as in the official SDK.
    public func scaleEndpoint(id: ResourceID, workers: Int) async throws(YottaError) {
        do {
            try FieldChecker(.scaleEndpoint).range(workers, "count", 0...Int.max)
        } catch {
            throw .validation(error)
        }
        try await send(call(.scaleEndpoint, id, query: [QueryItem("count", String(workers))]))
    }

    public func listWorkers(endpointID: ResourceID, statuses: [String] = []) async throws(YottaError) -> [Worker] {
        try await send(call(.listWorkers, endpointID, query: statusQuery(statuses)), as: [Worker].self)
    }

    /// One page of a worker's logs.
    public func workerLogs(
        endpointID: ResourceID, workerID: String, _ query: WorkerLogQuery = WorkerLogQuery()
    )
        async throws(YottaError) -> WorkerLogPage
    {
        let items = try logQuery(query)
        let call = Call(
            operation: .workerLogs, pathParameters: ["id": endpointID.rawValue, "workerId": workerID], query: items,
            resourceID: "\(endpointID.rawValue)/\(workerID)")
        return try await send(call, as: WorkerLogPage.self)
    }

    /// Every log line from `query` on, following the cursor.
    public func allWorkerLogs(
        endpointID: ResourceID, workerID: String, _ query: WorkerLogQuery = WorkerLogQuery()
    )
        -> WorkerLogSequence
    {
        WorkerLogSequence(query: query) { page throws(YottaError) in
            try await workerLogs(endpointID: endpointID, workerID: workerID, page)
        }
    }

    func statusQuery(_ statuses: [String]) -> [QueryItem] {
        statuses.isEmpty ? [] : [QueryItem("statusList", statuses.joined(separator: ","))]
    }

    func logQuery(_ query: WorkerLogQuery) throws(YottaError) -> [QueryItem] {
        let check = FieldChecker(.workerLogs)
        do {
            try check.range(query.pageSize, "pageSize", 1...1000)
            for (field, value) in [("startTime", query.startTime), ("endTime", query.endTime)] {
                if let value {
                    try check.require(
                        Timestamp.parse(value) != nil, field, "must be epoch milliseconds or ISO 8601 (got '\(value)')")
                }
            }
            if let time = query.searchAfterTime {
                try check.require(Int64(time) != nil, "searchAfterTime", "must be epoch milliseconds (got '\(time)')")
            }
        } catch {
            throw .validation(error)
        }
        var items: [QueryItem] = []
        func add(_ name: String, _ value: String?) { if let value { items.append(QueryItem(name, value)) } }
        add("pageSize", query.pageSize.map(String.init))
        add("keyword", query.keyword)
        add("startTime", query.startTime)
        add("endTime", query.endTime)
        add("searchAfterTime", query.searchAfterTime)
        add("searchAfterOffset", query.searchAfterOffset.map(String.init))
        add("direction", query.direction?.rawValue)
        return items
    }
}
