/// A task on a QUEUE endpoint (`data` of `GET /v2/serverless/{id}/tasks/{taskId}`).
///
/// Named `QueueTask` so that it does not shadow Swift's `Task`. In lists, `input`, `output` and
/// `headers` are omitted.
public struct QueueTask: Codable, Hashable, Sendable {
    public var taskId: String
    public var endpointId: ResourceID?
    public var endpointName: String?
    public var status: Open<TaskStatus>
    public var workerUrl: String?
    public var webhook: String?
    public var deliveryStatus: Open<DeliveryStatus>?
    public var deliveryAttempts: Int?
    public var error: String?
    public var input: JSONValue?
    public var output: JSONValue?
    public var headers: [String: String]?
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?
    public var deliveredAt: Timestamp?

    public init(taskId: String, status: Open<TaskStatus>) {
        self.taskId = taskId
        self.status = status
    }
}

/// Task statuses; v1 numbered them 0–3.
public enum TaskStatus: String, WireEnum {
    case processing = "PROCESSING"
    case delivered = "DELIVERED"
    case success = "SUCCESS"
    case failed = "FAILED"

    public static let aliases: [String: TaskStatus] = ["0": .processing, "1": .delivered, "2": .success, "3": .failed]
}

/// The state of a task's webhook delivery.
public enum DeliveryStatus: String, WireEnum {
    case initial = "INIT"
    case success = "SUCCESS"
    case failed = "FAILED"
    case maxRetriesExceeded = "MAX_RETRIES_EXCEEDED"
}

/// Body of `POST /v2/serverless/{id}/tasks`.
public struct SubmitTaskRequest: Codable, Hashable, Sendable {
    /// Makes the submission idempotent: the same id returns the same task.
    public var taskId: String?
    public var input: JSONValue
    public var workerPort: Int
    public var processUri: String
    public var webhook: String?
    public var webhookAuthKey: String?
    public var headers: [String: String]?

    public init(
        taskId: String? = nil, input: JSONValue, workerPort: Int, processUri: String, webhook: String? = nil,
        webhookAuthKey: String? = nil, headers: [String: String]? = nil
    ) {
        self.taskId = taskId
        self.input = input
        self.workerPort = workerPort
        self.processUri = processUri
        self.webhook = webhook
        self.webhookAuthKey = webhookAuthKey
        self.headers = headers
    }
}

/// `data` of a task submission.
public struct SubmittedTask: Codable, Hashable, Sendable {
    public var taskId: String
    public init(taskId: String) { self.taskId = taskId }
}

/// `data` of `GET /v2/serverless/{id}/tasks/count`.
public struct TaskCount: Codable, Hashable, Sendable {
    /// Tasks pending or being processed.
    public var processing: Int
    public init(processing: Int) { self.processing = processing }
}

/// The body the platform POSTs to a task's webhook (the v1 snake_case contract).
public struct WebhookPayload: Codable, Hashable, Sendable {
    public var taskId: ResourceID
    public var userTaskId: String
    public var endpointId: ResourceID
    public var status: String
    public var success: Bool
    /// UTC, `YYYY-MM-DD HH:mm:ss.SSS`.
    public var timestamp: String
    /// 1 for the first send.
    public var retryCount: Int
    public var result: JSONValue?
    public var failedReason: String?

    enum CodingKeys: String, CodingKey {
        case taskId = "task_id"
        case userTaskId = "user_task_id"
        case endpointId = "endpoint_id"
        case status, success, timestamp
        case retryCount = "retry_count"
        case result
        case failedReason = "failed_reason"
    }

    public init(
        taskId: ResourceID, userTaskId: String, endpointId: ResourceID, status: String, success: Bool,
        timestamp: String, retryCount: Int, result: JSONValue? = nil, failedReason: String? = nil
    ) {
        self.taskId = taskId
        self.userTaskId = userTaskId
        self.endpointId = endpointId
        self.status = status
        self.success = success
        self.timestamp = timestamp
        self.retryCount = retryCount
        self.result = result
        self.failedReason = failedReason
    }
}
