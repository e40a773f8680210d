/// Tasks on QUEUE endpoints (`/v2/serverless/{id}/tasks`).
extension YottaClient {
    /// Submits a task. With a `taskId` the submission is idempotent, so transient failures are retried;
    /// without one it is sent once.
    public func submitTask(
        endpointID: ResourceID, _ request: SubmitTaskRequest
    ) async throws(YottaError)
        -> SubmittedTask
    {
        var call = call(.submitTask, endpointID)
        call.repeatable = !(request.taskId ?? "").isEmpty
        return try await send(call, body: request.normalized, as: SubmittedTask.self)
    }

    /// One task with its input, output and headers.
    public func getTask(endpointID: ResourceID, taskID: String) async throws(YottaError) -> QueueTask {
        let call = Call(
            operation: .getTask, pathParameters: ["id": endpointID.rawValue, "taskId": taskID],
            resourceID: "\(endpointID.rawValue)/\(taskID)")
        return try await send(call, as: QueueTask.self)
    }

    /// One page of an endpoint's tasks (without input, output and headers).
    public func listTasks(
        endpointID: ResourceID, status: TaskStatus? = nil, pageNumber: Int = 1, pageSize: Int = 10
    )
        async throws(YottaError) -> Page<QueueTask>
    {
        var query = try pageQuery(.listTasks, page: pageNumber, size: pageSize, names: ("pageNumber", "pageSize"))
        if let status { query.append(QueryItem("status", status.rawValue)) }
        return try await send(call(.listTasks, endpointID, query: query), as: Page<QueueTask>.self)
    }

    /// Every task of an endpoint, following the pages.
    public func allTasks(
        endpointID: ResourceID, status: TaskStatus? = nil, pageSize: Int = 50
    )
        -> PageSequence<QueueTask>
    {
        PageSequence { page throws(YottaError) in
            try await listTasks(endpointID: endpointID, status: status, pageNumber: page, pageSize: pageSize)
        }
    }

    /// How many tasks are pending or processing.
    public func countTasks(endpointID: ResourceID) async throws(YottaError) -> TaskCount {
        try await send(call(.countTasks, endpointID), as: TaskCount.self)
    }
}
