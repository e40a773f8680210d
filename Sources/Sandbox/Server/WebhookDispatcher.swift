import Foundation
import Logging
import YottaAPI

/// Delivers finished tasks to their webhooks with a real HTTP POST (`X-API-Key: <webhookAuthKey>`,
/// the v1 snake_case body), retrying after 1, 5 and 15 minutes (scaled by the speed), then giving up
/// with `MAX_RETRIES_EXCEEDED`. Deliveries are claimed in the database, so two processes sharing a
/// state never send the same attempt twice.
public final class WebhookDispatcher: Sendable {
    let service: SandboxService
    let transport: any HTTPTransport
    let logger: Logger

    public init(service: SandboxService, transport: any HTTPTransport, logger: Logger? = nil) {
        self.service = service
        self.transport = transport
        self.logger = logger ?? service.logger
    }

    /// Delivers what is due until cancelled: sleeps until the next delivery is due, or until a task
    /// is submitted (`SandboxService.taskSubmitted` wakes it), and at most `recheck` — the bound on how
    /// late it sees a task that another process sharing the state submitted. Nothing is written while
    /// nothing is due.
    public func run(recheck: Duration = .seconds(1)) async {
        let recheckMillis = Int64(
            recheck.components.seconds * 1000 + recheck.components.attoseconds / 1_000_000_000_000_000)
        while !Task.isCancelled {
            _ = await deliverDue()
            let now = service.clock.nowMillis()
            let due = (try? service.store.readNow { try $0.nextDeliveryDue() }) ?? nil
            let wait = min(recheckMillis, max(1, (due ?? Int64.max) - now))
            await service.taskSignal.wait(upTo: .milliseconds(wait))
        }
    }

    /// One pass: sends every delivery that is due now. Returns the number of POSTs made.
    @discardableResult
    public func deliverDue() async -> Int {
        let store = service.store
        let now = service.clock.nowMillis()
        guard let due = try? store.readNow({ try $0.nextDeliveryDue() }), due <= now,
            let claimed = try? await store.write({ try $0.claimDeliveries(now: now, lease: 60_000, limit: 32) })
        else {
            return 0
        }
        var sent = 0
        for task in claimed {
            if await deliver(task, now: now) { sent += 1 }
        }
        return sent
    }

    /// Sends one delivery if its task has finished; returns whether a POST was made.
    func deliver(_ task: StoredTask, now: Int64) async -> Bool {
        let store = service.store
        let endpointID = task.endpointID
        guard let endpoint = try? await store.read({ try $0.resource(endpointID, kind: .endpoint) }),
            let spec = try? endpoint.decode(EndpointSpec.self)
        else {
            try? await store.write {
                try $0.recordDelivery(
                    seq: task.seq, status: task.deliveryStatus, attempts: task.deliveryAttempts, deliveredAt: nil,
                    nextAttemptAt: nil)
            }
            return false
        }
        let (run, taskSpec) = TaskController.run(task, endpoint: endpoint, spec: spec, now: now)
        guard run.isFinished, let taskSpec, let webhook = taskSpec.webhook else {
            let recheck = now + max(20, service.timings.taskDeliver / 2)
            try? await store.write { try $0.postponeDelivery(seq: task.seq, until: recheck) }
            return false
        }
        let attempt = task.deliveryAttempts + 1
        let payload = WebhookPayload(
            taskId: ResourceID(task.seq), userTaskId: task.taskID,
            endpointId: ResourceID(String(endpoint.id), wireForm: .string),
            status: run.status.rawValue, success: run.status == .success, timestamp: Self.timestamp(now),
            retryCount: attempt, result: run.output, failedReason: run.error)
        let delivered = await post(payload, to: webhook, key: taskSpec.webhookAuthKey)
        let retries = service.timings.webhookRetries
        let status: DeliveryStatus
        let next: Int64?
        if delivered {
            (status, next) = (.success, nil)
        } else if attempt <= retries.count {
            (status, next) = (.failed, now + retries[attempt - 1])
        } else {
            (status, next) = (.maxRetriesExceeded, nil)
        }
        logger.info("webhook \(task.taskID) attempt \(attempt) → \(status.rawValue)")
        try? await store.write {
            try $0.recordDelivery(
                seq: task.seq, status: status.rawValue, attempts: attempt, deliveredAt: delivered ? now : nil,
                nextAttemptAt: next)
        }
        return true
    }

    func post(_ payload: WebhookPayload, to url: String, key: String?) async -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host,
            let body = try? JSONEncoder().encode(payload)
        else { return false }
        let base = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)" + (components.port.map { ":\($0)" } ?? "")
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        var headers = [("Content-Type", "application/json"), ("User-Agent", "gpus-sandbox")]
        if let key { headers.append(("X-API-Key", key)) }
        let request = HTTPRequest(
            method: .post, baseURL: base, path: path, headers: headers, body: body, timeout: .seconds(10))
        guard let response = try? await transport.send(request) else { return false }
        return (200..<300).contains(response.status)
    }

    /// `YYYY-MM-DD HH:mm:ss.SSS` in UTC.
    static func timestamp(_ millis: Int64) -> String {
        let iso = Timestamp(epochMillis: millis).iso8601  // 2026-03-01T10:00:00.123Z
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }
}
