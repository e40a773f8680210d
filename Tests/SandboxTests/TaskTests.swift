import AsyncHTTPClient
import Foundation
import Sandbox
import Testing
import YottaAPI

/// Tasks on QUEUE endpoints, worker logs, and webhook delivery with retries.
@Suite struct TaskTests {
    func submit(
        _ sandbox: Harness, _ endpoint: Endpoint, _ input: JSONValue, taskId: String? = nil, webhook: String? = nil,
        key: String? = nil
    )
        async throws -> String
    {
        try await sandbox.client.submitTask(
            endpointID: endpoint.id,
            SubmitTaskRequest(
                taskId: taskId, input: input, workerPort: 8000, processUri: "embed", webhook: webhook,
                webhookAuthKey: key)
        ).taskId
    }

    @Test func tasksRunWhenTheEndpointRuns() async throws {
        let sandbox = try Harness()
        let endpoint = try await sandbox.queueEndpoint(workers: 1)
        let ok = try await submit(sandbox, endpoint, ["text": "alpha"], taskId: "job_1")
        let bad = try await submit(sandbox, endpoint, ["text": "beta", "fail": true])
        #expect(try await sandbox.client.countTasks(endpointID: endpoint.id).processing == 2)
        sandbox.advance(.seconds(45))  // the worker is up
        #expect(try await sandbox.client.getTask(endpointID: endpoint.id, taskID: ok).status == .processing)
        sandbox.advance(.seconds(1))
        #expect(try await sandbox.client.getTask(endpointID: endpoint.id, taskID: ok).status == .delivered)
        sandbox.advance(.seconds(2))
        let done = try await sandbox.client.getTask(endpointID: endpoint.id, taskID: ok)
        #expect(done.status == .success)
        #expect(done.output?["echo"] == ["text": "alpha"])
        #expect(done.workerUrl?.hasSuffix(":8000/embed") == true)
        #expect(done.endpointId == endpoint.id)
        let failed = try await sandbox.client.getTask(endpointID: endpoint.id, taskID: bad)
        #expect(failed.status == .failed && failed.error?.contains("asked to fail") == true)
        #expect(try await sandbox.client.countTasks(endpointID: endpoint.id).processing == 0)
        let page = try await sandbox.client.listTasks(endpointID: endpoint.id, status: .success)
        #expect(page.items.map(\.taskId) == ["job_1"] && page.items[0].input == nil)
        #expect(try await sandbox.client.allTasks(endpointID: endpoint.id, pageSize: 1).collect().count == 2)

        let again = try await submit(sandbox, endpoint, ["text": "other"], taskId: "job_1")
        #expect(again == "job_1")
        #expect(try await sandbox.client.getTask(endpointID: endpoint.id, taskID: "job_1").input == ["text": "alpha"])
        let missing = await #expect(throws: YottaError.self) {
            _ = try await sandbox.client.getTask(endpointID: endpoint.id, taskID: "nope")
        }
        #expect(code(of: missing) == 24011)
    }

    @Test func tasksGoOnlyToQueueEndpointsThatRun() async throws {
        let sandbox = try Harness()
        var request = CreateEndpointRequest(
            name: "web", image: "acme/web:1",
            resources: [EndpointResource(region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1)],
            workers: 1, containerVolumeInGb: 20, serviceMode: .init(.alb))
        request.expose = EndpointExpose(port: 80, protocol: "http")
        let web = try await sandbox.client.createEndpoint(request)
        let notQueue = await #expect(throws: YottaError.self) { _ = try await submit(sandbox, web, ["a": 1]) }
        #expect(code(of: notQueue) == 10001)
        let queue = try await sandbox.queueEndpoint(name: "q", workers: 1)
        try await sandbox.client.stopEndpoint(id: queue.id)
        sandbox.advance(.seconds(10))
        let stopped = await #expect(throws: YottaError.self) { _ = try await submit(sandbox, queue, ["a": 1]) }
        #expect(code(of: stopped) == 24000)
        let unknown = await #expect(throws: YottaError.self) {
            _ = try await sandbox.client.countTasks(endpointID: "123")
        }
        #expect(code(of: unknown) == 14000)
    }

    @Test func workerLogsHaveBootLinesAndOneLinePerTaskAndPage() async throws {
        let sandbox = try Harness()
        let endpoint = try await sandbox.queueEndpoint(workers: 1)
        sandbox.advance(.seconds(45))
        for index in 0..<3 { _ = try await submit(sandbox, endpoint, ["n": .int(Int64(index))], taskId: "t\(index)") }
        sandbox.advance(.seconds(5))
        let worker = try #require(try await sandbox.client.listWorkers(endpointID: endpoint.id).first)
        let lines = try await sandbox.client.allWorkerLogs(
            endpointID: endpoint.id, workerID: worker.workerId, WorkerLogQuery(pageSize: 2)
        ).collect()
        #expect(lines.count == 4 + 3 * 2)
        #expect(lines.first?.log.hasPrefix("pulling image acme/embed:1.2") == true)
        #expect(lines.map(\.offset) == Array(0..<10))
        #expect(lines.filter { $0.log.contains("task t1") }.count == 2)
        let keyword = try await sandbox.client.workerLogs(
            endpointID: endpoint.id, workerID: worker.workerId, WorkerLogQuery(keyword: "200 OK"))
        #expect(keyword.logs.count == 3 && !keyword.hasMore)
        let newest = try await sandbox.client.workerLogs(
            endpointID: endpoint.id, workerID: worker.workerId, WorkerLogQuery(pageSize: 1, direction: .backward))
        #expect(newest.logs.first?.offset == 9 && newest.hasMore)
        let older = try await sandbox.client.workerLogs(
            endpointID: endpoint.id, workerID: worker.workerId,
            WorkerLogQuery(
                pageSize: 1, searchAfterTime: newest.nextSearchAfterTime, searchAfterOffset: 9, direction: .backward))
        #expect(older.logs.first?.offset == 8)
        let unknown = await #expect(throws: YottaError.self) {
            _ = try await sandbox.client.workerLogs(endpointID: endpoint.id, workerID: "w-nope")
        }
        #expect(code(of: unknown) == 10007)
    }

    @Test func webhookIsRetriedUntilItSucceeds() async throws {
        let receiver = WebhookReceiver(failures: 2)
        let webhooks = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        try await receiver.serve { url in
            let sandbox = try Harness()
            let dispatcher = WebhookDispatcher(service: sandbox.service, transport: webhooks)
            let endpoint = try await sandbox.queueEndpoint(workers: 1)
            let taskID = try await submit(
                sandbox, endpoint, ["text": "alpha"], taskId: "hooked", webhook: url, key: "hook-secret")
            #expect(await dispatcher.deliverDue() == 0)  // not finished: nothing sent
            sandbox.advance(.seconds(48))
            #expect(await dispatcher.deliverDue() == 1)
            var task = try await sandbox.client.getTask(endpointID: endpoint.id, taskID: taskID)
            #expect(task.deliveryStatus == .init(.failed) && task.deliveryAttempts == 1 && task.deliveredAt == nil)
            sandbox.advance(.seconds(59))
            #expect(await dispatcher.deliverDue() == 0)  // the first retry is due after 1 minute
            sandbox.advance(.seconds(1))
            #expect(await dispatcher.deliverDue() == 1)
            sandbox.advance(.seconds(300))
            #expect(await dispatcher.deliverDue() == 1)
            task = try await sandbox.client.getTask(endpointID: endpoint.id, taskID: taskID)
            #expect(task.deliveryStatus == .init(.success) && task.deliveryAttempts == 3)
            #expect(task.deliveredAt?.epochMillis == sandbox.clock.nowMillis())
            sandbox.advance(.seconds(3600))
            #expect(await dispatcher.deliverDue() == 0)
        }
        try await webhooks.shutdown()
        let deliveries = receiver.deliveries
        #expect(deliveries.count == 3)
        #expect(deliveries.allSatisfy { $0.apiKey == "hook-secret" })
        let payloads = try deliveries.map { try JSONDecoder().decode(WebhookPayload.self, from: $0.body) }
        #expect(payloads.map(\.retryCount) == [1, 2, 3])
        #expect(payloads.allSatisfy { $0.userTaskId == "hooked" && $0.success && $0.status == "SUCCESS" })
        #expect(payloads[0].result?["echo"] == ["text": "alpha"])
        #expect(payloads[0].timestamp.count == "2026-01-01 00:00:48.000".count)
    }

    @Test func webhookGivesUpAfterThreeRetries() async throws {
        let receiver = WebhookReceiver(failures: 10)
        let webhooks = AsyncHTTPClientTransport(connectTimeout: .seconds(2))
        try await receiver.serve { url in
            let sandbox = try Harness()
            let dispatcher = WebhookDispatcher(service: sandbox.service, transport: webhooks)
            let endpoint = try await sandbox.queueEndpoint(workers: 1)
            let taskID = try await submit(sandbox, endpoint, ["fail": true], webhook: url)
            sandbox.advance(.seconds(48))
            for wait in [0, 60, 300, 900] {
                sandbox.advance(.seconds(wait))
                #expect(await dispatcher.deliverDue() == 1)
            }
            sandbox.advance(.seconds(3600))
            #expect(await dispatcher.deliverDue() == 0)
            let task = try await sandbox.client.getTask(endpointID: endpoint.id, taskID: taskID)
            #expect(task.deliveryStatus == .init(.maxRetriesExceeded) && task.deliveryAttempts == 4)
        }
        try await webhooks.shutdown()
        let last = try JSONDecoder().decode(WebhookPayload.self, from: try #require(receiver.deliveries.last).body)
        #expect(!last.success && last.failedReason?.contains("asked to fail") == true && last.retryCount == 4)
    }
}
