import Foundation
import YottaAPI

/// `/v2/serverless/{id}/tasks`: submit, get, list, count. QUEUE endpoints only.
struct TaskController {
    let context: RequestContext

    func endpoint() async throws -> (StoredResource, EndpointSpec) {
        let stored = try await EndpointController(context: context).find(context.pathID())
        guard let spec = try? stored.decode(EndpointSpec.self) else {
            throw APIFailure.business(.serverlessNotExist, "Serverless does not exist")
        }
        return (stored, spec)
    }

    func submit() async throws -> SandboxResponse {
        let (endpoint, spec) = try await endpoint()
        guard spec.request.serviceMode.known == .queue else {
            throw APIFailure.invalid(
                "serviceMode",
                "tasks can be submitted to QUEUE endpoints only (this one is \(spec.request.serviceMode.rawValue))")
        }
        let request = try context.body(SubmitTaskRequest.self, as: .submitTask).normalized
        let now = context.now
        let status = EndpointController.timeline(endpoint, spec: spec, now: now).status(at: now)
        guard status == .running || status == .initializing else {
            throw APIFailure.business(
                .serverlessUnavailable, "Serverless unavailable: the endpoint is \(status.rawValue)")
        }
        let taskID = request.taskId.flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        let taskSpec = TaskSpec(
            input: request.input, workerPort: request.workerPort, processUri: request.processUri,
            webhook: request.webhook ?? spec.request.webhook, webhookAuthKey: request.webhookAuthKey,
            headers: request.headers, deliverMillis: context.timings.taskDeliver, runMillis: context.timings.taskRun)
        let data = try taskSpec.jsonData()
        let endpointID = endpoint.id
        let task = try await context.store.write { writer in
            try writer.insertTask(
                endpointID: endpointID, taskID: taskID, spec: data, now: now, hasWebhook: taskSpec.webhook != nil)
        }
        if taskSpec.webhook != nil { context.service.taskSignal.notify() }
        return try .success(SubmittedTask(taskId: task.taskID))
    }

    func get() async throws -> SandboxResponse {
        let (endpoint, spec) = try await endpoint()
        let taskID = context.parameters["taskId"] ?? ""
        let endpointID = endpoint.id
        guard let task = try await context.store.read({ try $0.task(endpointID: endpointID, taskID: taskID) }) else {
            throw APIFailure.business(.taskNotExist, "Task does not exist")
        }
        return try .success(Self.present(task, endpoint: endpoint, spec: spec, now: context.now, detail: true))
    }

    func list() async throws -> SandboxResponse {
        let (endpoint, spec) = try await endpoint()
        var wanted: TaskStatus?
        if let text = context.request.queryValue("status") {
            guard let status = Open<TaskStatus>(wire: text).known else {
                throw APIFailure.invalid(
                    "status", "must be one of PROCESSING, DELIVERED, SUCCESS, FAILED (got '\(text)')")
            }
            wanted = status
        }
        let endpointID = endpoint.id
        let now = context.now
        let tasks = try await context.store.read { try $0.tasks(endpointID: endpointID) }
            .map { Self.present($0, endpoint: endpoint, spec: spec, now: now, detail: false) }
            .filter { wanted == nil || $0.status.known == wanted }
        return try .success(context.page(Array(tasks.reversed()), pageName: "pageNumber", sizeName: "pageSize"))
    }

    func count() async throws -> SandboxResponse {
        let (endpoint, spec) = try await endpoint()
        let endpointID = endpoint.id
        let now = context.now
        let processing = try await context.store.read { try $0.tasks(endpointID: endpointID) }
            .map { Self.present($0, endpoint: endpoint, spec: spec, now: now, detail: false).status.known }
            .filter { $0 == .processing || $0 == .delivered }.count
        return try .success(TaskCount(processing: processing))
    }

    static func run(
        _ task: StoredTask, endpoint: StoredResource, spec: EndpointSpec, now: Int64
    ) -> (TaskRun, TaskSpec?) {
        guard let taskSpec = try? JSONDecoder().decode(TaskSpec.self, from: task.spec) else {
            return (.unreadable, nil)
        }
        let timeline = EndpointController.timeline(endpoint, spec: spec, now: now)
        return (TaskRun(task: task, spec: taskSpec, endpointID: endpoint.id, timeline: timeline, now: now), taskSpec)
    }

    static func present(
        _ task: StoredTask, endpoint: StoredResource, spec: EndpointSpec, now: Int64, detail: Bool
    ) -> QueueTask {
        let (run, taskSpec) = run(task, endpoint: endpoint, spec: spec, now: now)
        var result = QueueTask(taskId: task.taskID, status: .known(run.status))
        result.endpointId = ResourceID(endpoint.id)
        result.endpointName = endpoint.name
        if let workerID = run.workerID, let taskSpec {
            result.workerUrl = "http://\(Derived.workerIP(workerID)):\(taskSpec.workerPort)\(taskSpec.processUri)"
        }
        result.webhook = taskSpec?.webhook
        result.deliveryStatus = Open(wire: task.deliveryStatus)
        result.deliveryAttempts = task.deliveryAttempts
        result.error = run.error
        if detail {
            result.input = taskSpec?.input
            result.output = run.output
            result.headers = taskSpec?.headers ?? [:]
        }
        result.createdAt = Timestamp(epochMillis: task.submittedAt)
        result.updatedAt = Timestamp(epochMillis: run.finishedAt ?? run.deliveredAt ?? task.submittedAt)
        result.deliveredAt = task.deliveredAt.map { Timestamp(epochMillis: $0) }
        return result
    }
}
