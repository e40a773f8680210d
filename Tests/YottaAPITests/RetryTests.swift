import Foundation
import Testing
import YottaAPI

/// What is retried, what never is, and how long the client waits in between.
@Suite struct RetryTests {
    let unavailable = ScriptedTransport.Step.respond(HTTPResponse(status: 503, body: Data()))
    let ok = ScriptedTransport.Step.respond(.envelope(data: podJSON))

    func createPod(_ client: YottaClient) async throws {
        _ = try await client.createPod(CreatePodRequest(name: "p", image: "i", gpuType: "NVIDIA_H100_80G", gpuCount: 1))
    }

    @Test(arguments: [
        ScriptedTransport.Step.respond(HTTPResponse(status: 502, body: Data())),
        .respond(HTTPResponse(status: 503, body: Data())),
        .respond(HTTPResponse(status: 504, body: Data())),
        .respond(HTTPResponse(status: 429, body: Data())),
        .respond(.envelope(code: 10002, message: "system error", data: "null")),
        .fail(.connectFailed("refused")),
        .fail(.connectionLost("reset")),
        .fail(.timedOut),
    ])
    func getIsRetriedOnTransientFailures(_ failure: ScriptedTransport.Step) async throws {
        let transport = ScriptedTransport([failure, failure, ok])
        let sleeper = SleepRecorder()
        let pod = try await makeClient(transport, sleeper: sleeper).getPod(id: 1)
        #expect(pod.status == .initialize)
        #expect(transport.requests.count == 3)
        // Jitter fixed at its top: 100 ms, then 200 ms.
        #expect(sleeper.recorded == [.milliseconds(100), .milliseconds(200)])
    }

    @Test func backoffIsCappedAndGivesUpAfterMaximumAttempts() async throws {
        let transport = ScriptedTransport(fallback: unavailable)
        let sleeper = SleepRecorder()
        let error = await #expect(throws: YottaError.self) {
            _ = try await makeClient(transport, sleeper: sleeper, attempts: 6).getPod(id: 1)
        }
        #expect(transport.requests.count == 6)
        #expect(sleeper.recorded == [100, 200, 400, 800, 1600].map { .milliseconds($0) })
        guard case .httpStatus(503, _, _)? = error else { return #expect(Bool(false)) }
    }

    @Test func jitterStaysInTheUpperHalf() {
        let low = RetryPolicy(initialDelay: .seconds(1), random: { 0 })
        let high = RetryPolicy(initialDelay: .seconds(1), random: { 0.999_999 })
        #expect(low.backoff(afterAttempt: 3) == .seconds(2))
        #expect(high.backoff(afterAttempt: 3) <= .seconds(4))
        #expect(high.backoff(afterAttempt: 3) > .milliseconds(3999))
        #expect(RetryPolicy(maximumDelay: .seconds(8), random: { 1 }).backoff(afterAttempt: 40) == .seconds(8))
    }

    @Test(arguments: [
        ScriptedTransport.Step.respond(HTTPResponse(status: 503, body: Data())),
        .respond(HTTPResponse(status: 504, body: Data("<html>504 Gateway Time-out</html>".utf8))),
        .respond(.envelope(code: 10002, message: "system error", data: "null")),
        .fail(.connectionLost("reset")),
        .fail(.timedOut),
    ])
    func createIsNeverSentTwiceByTheClientWhenItMayHaveBeenMade(_ failure: ScriptedTransport.Step) async throws {
        let transport = ScriptedTransport([failure, ok])
        await #expect(throws: YottaError.self) { try await createPod(makeClient(transport)) }
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: [
        ScriptedTransport.Step.respond(HTTPResponse(status: 429, headers: [("Retry-After", "1")], body: Data())),
        .respond(.envelope(status: 429, code: 429, message: "too many requests", data: "null")),
        .respond(.envelope(code: 429, message: "too many requests", data: "null")),
    ])
    func createIsRetriedWhenThrottled(_ throttled: ScriptedTransport.Step) async throws {
        // Throttling refuses a request before it is processed: sending it again makes one pod.
        let transport = ScriptedTransport([throttled, ok])
        try await createPod(makeClient(transport))
        #expect(transport.requests.count == 2)
    }

    @Test func createIsRetriedWhenTheConnectionNeverOpened() async throws {
        let transport = ScriptedTransport([.fail(.connectFailed("connection refused")), ok])
        try await createPod(makeClient(transport))
        #expect(transport.requests.count == 2)
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let limited = ScriptedTransport.Step.respond(
            .envelope(
                status: 429, code: 429, message: "too many requests", data: "null", headers: [("Retry-After", "7")]))
        let transport = ScriptedTransport([limited, ok])
        let sleeper = SleepRecorder()
        _ = try await makeClient(transport, sleeper: sleeper).getPod(id: 1)
        #expect(sleeper.recorded == [.seconds(7)])
    }

    @Test func retryAfterAsAnHTTPDate() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(5))
        let limited = ScriptedTransport.Step.respond(
            HTTPResponse(status: 429, headers: [("Retry-After", date)], body: Data()))
        let transport = ScriptedTransport([limited, ok])
        let sleeper = SleepRecorder()
        _ = try await makeClient(transport, sleeper: sleeper).getPod(id: 1)
        let waited = try #require(sleeper.recorded.first)
        #expect(waited > .seconds(3) && waited <= .seconds(5))
    }

    @Test func retryAfterBeyondTheLimitFailsAtOnce() async throws {
        let limited = ScriptedTransport.Step.respond(
            HTTPResponse(status: 429, headers: [("Retry-After", "3600")], body: Data()))
        let transport = ScriptedTransport([limited, ok])
        let sleeper = SleepRecorder()
        let error = await #expect(throws: YottaError.self) {
            _ = try await makeClient(transport, sleeper: sleeper).getPod(id: 1)
        }
        #expect(transport.requests.count == 1)
        #expect(sleeper.recorded.isEmpty)
        guard case .httpStatus(429, _, _)? = error else { return #expect(Bool(false)) }
    }

    @Test func taskSubmitWithATaskIdIsRetried() async throws {
        let transport = ScriptedTransport([unavailable, .respond(.envelope(data: #"{"taskId":"t1"}"#))])
        let submitted = try await makeClient(transport).submitTask(
            endpointID: 1, SubmitTaskRequest(taskId: "t1", input: ["a": 1], workerPort: 80, processUri: "/run"))
        #expect(submitted.taskId == "t1")
        #expect(transport.requests.count == 2)
    }

    @Test func taskSubmitWithoutATaskIdIsSentOnce() async throws {
        let transport = ScriptedTransport([unavailable, .respond(.envelope(data: #"{"taskId":"t1"}"#))])
        await #expect(throws: YottaError.self) {
            _ = try await makeClient(transport).submitTask(
                endpointID: 1, SubmitTaskRequest(input: ["a": 1], workerPort: 80, processUri: "/run"))
        }
        #expect(transport.requests.count == 1)
    }

    @Test(arguments: [
        APIOperation.terminateVM, .pausePod, .resumePod, .stopEndpoint, .startEndpoint, .scaleEndpoint, .deleteVolume,
    ])
    func idempotentActionsAreRetried(_ operation: APIOperation) async throws {
        let transport = ScriptedTransport([unavailable, .respond(.envelope(data: "null"))])
        let client = makeClient(transport)
        switch operation {
        case .terminateVM: try await client.terminateVM(id: 1)
        case .pausePod: try await client.pausePod(id: 1)
        case .resumePod: try await client.resumePod(id: 1)
        case .stopEndpoint: try await client.stopEndpoint(id: 1)
        case .startEndpoint: try await client.startEndpoint(id: 1)
        case .scaleEndpoint: try await client.scaleEndpoint(id: 1, workers: 2)
        default: try await client.deleteVolume(id: 1)
        }
        #expect(transport.requests.count == 2)
        #expect(transport.requests[0] == transport.requests[1])
    }

    @Test func businessErrorsAreNotRetried() async throws {
        let transport = ScriptedTransport([
            .respond(.envelope(code: 13000, message: "Pod not found", data: "null")), ok,
        ])
        await #expect(throws: YottaError.self) { _ = try await makeClient(transport).getPod(id: 1) }
        #expect(transport.requests.count == 1)
    }

    @Test func cancellationStopsTheRetryLoop() async throws {
        let transport = ScriptedTransport(fallback: unavailable)
        // A retry an hour away: the second request can only come if cancelling fails (the default
        // 8 s ceiling let a starved test pool wake after the retry had gone out).
        let retry = RetryPolicy(
            maximumAttempts: 100, initialDelay: .seconds(3600), maximumDelay: .seconds(3600),
            sleep: { try await Task.sleep(for: $0) })
        let configuration = try ClientConfiguration(baseURL: "https://api.example.test", apiKey: nil, retry: retry)
        let client = YottaClient(configuration: configuration, transport: transport)
        let task = Task { try await client.getPod(id: 1) }
        // Cancelled once the first request is out, so the cancel reaches the retry's sleep.
        while transport.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let result = await task.result
        guard case .failure(let error as YottaError) = result, case .transport(.cancelled, _) = error else {
            Issue.record("expected a cancelled transport error, got \(result)")
            return
        }
        #expect(transport.requests.count == 1)
    }
}
