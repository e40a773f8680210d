/// Pods (`/v2/pods`) and their metrics (`/v2/metrics/.../pods/{pod_id}`).
extension YottaClient {
    /// Pods, optionally filtered by regions and statuses (sent comma-separated, as v2 documents).
    public func listPods(_ filter: PodFilter = PodFilter()) async throws(YottaError) -> [Pod] {
        var query: [QueryItem] = []
        if !filter.regions.isEmpty { query.append(QueryItem("regionList", filter.regions.joined(separator: ","))) }
        if !filter.statuses.isEmpty { query.append(QueryItem("statusList", filter.statuses.joined(separator: ","))) }
        return try await send(Call(operation: .listPods, query: query), as: [Pod].self)
    }

    public func getPod(id: ResourceID) async throws(YottaError) -> Pod {
        try await send(call(.getPod, id), as: Pod.self)
    }

    /// Creates a pod. Never retried.
    public func createPod(_ request: CreatePodRequest) async throws(YottaError) -> Pod {
        try await send(Call(operation: .createPod, resourceID: request.name), body: request, as: Pod.self)
    }

    public func deletePod(id: ResourceID) async throws(YottaError) {
        try await send(call(.deletePod, id))
    }

    /// Pauses a running pod (12001 otherwise).
    public func pausePod(id: ResourceID) async throws(YottaError) {
        try await send(call(.pausePod, id))
    }

    /// Resumes a paused pod (12001 otherwise).
    public func resumePod(id: ResourceID) async throws(YottaError) {
        try await send(call(.resumePod, id))
    }

    /// One metric of a pod over a window. With only `start` or only `end`, the other is 1 h away.
    public func podMetrics(
        _ metric: PodMetric, podID: ResourceID, _ query: MetricsQuery = MetricsQuery()
    )
        async throws(YottaError) -> MetricSeries
    {
        let operation = APIOperation.metrics(metric)
        var items: [QueryItem] = []
        do {
            let check = FieldChecker(operation)
            if let start = query.start, let end = query.end {
                try check.require(end > start, "end", "must be after start")
                if let step = query.step {
                    try check.require(
                        end - start <= step.maximumWindowMillis, "end",
                        "the window is longer than step \(step.rawValue) allows")
                }
            }
        } catch {
            throw .validation(error)
        }
        if let start = query.start { items.append(QueryItem("start", String(start))) }
        if let end = query.end { items.append(QueryItem("end", String(end))) }
        if let step = query.step { items.append(QueryItem("step", step.rawValue)) }
        let call = Call(
            operation: operation, pathParameters: ["pod_id": podID.rawValue], query: items, resourceID: podID.rawValue)
        return try await send(call, as: MetricSeries.self)
    }
}
