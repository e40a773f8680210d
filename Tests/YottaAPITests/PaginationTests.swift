import Foundation
import Testing
import YottaAPI

@Suite struct PaginationTests {
    func vmPage(_ page: Int, of pages: Int, ids: [Int], total: Int) -> ScriptedTransport.Step {
        let items = ids.map { #"{"id":\#($0),"status":"running"}"# }.joined(separator: ",")
        let data = #"{"items":[\#(items)],"page":\#(page),"size":2,"total":\#(total),"pages":\#(pages)}"#
        return .respond(.envelope(data: data))
    }

    @Test func followsEveryPage() async throws {
        let transport = ScriptedTransport([
            vmPage(1, of: 3, ids: [1, 2], total: 5), vmPage(2, of: 3, ids: [3, 4], total: 5),
            vmPage(3, of: 3, ids: [5], total: 5),
        ])
        var ids: [Int64] = []
        for try await vm in makeClient(transport).allVMs(status: "running", pageSize: 2) {
            ids.append(vm.id.int64Value ?? 0)
        }
        #expect(ids == [1, 2, 3, 4, 5])
        #expect(
            transport.requests.map(\.url).map { $0.replacingOccurrences(of: base, with: "") } == [
                "/v2/vms?page=1&size=2&status=running", "/v2/vms?page=2&size=2&status=running",
                "/v2/vms?page=3&size=2&status=running",
            ])
    }

    @Test func stopsWhenAServerMiscountsItsPages() async throws {
        // The server claims 99 pages but only 3 items exist, and keeps answering with an empty page.
        let transport = ScriptedTransport(
            [vmPage(1, of: 99, ids: [1, 2], total: 3), vmPage(2, of: 99, ids: [3], total: 3)],
            fallback: vmPage(3, of: 99, ids: [], total: 3))
        let vms = try await makeClient(transport).allVMs(pageSize: 2).collect()
        #expect(vms.count == 3)
        #expect(transport.requests.count == 2)
    }

    @Test func tasksAndVolumesUseTheirOwnPageParameters() async throws {
        let empty = ScriptedTransport.Step.respond(
            .envelope(data: #"{"items":[],"page":1,"size":50,"total":0,"pages":0}"#))
        let transport = ScriptedTransport([empty, empty])
        let client = makeClient(transport)
        _ = try await client.allTasks(endpointID: 7).collect()
        _ = try await client.allVolumes(storageType: .s3).collect()
        #expect(
            transport.requests.map(\.url).map { $0.replacingOccurrences(of: base, with: "") } == [
                "/v2/serverless/7/tasks?pageNumber=1&pageSize=50", "/v2/volumes?page=1&size=50&storageType=S3",
            ])
    }

    func logPage(_ lines: [Int], more: Bool, next: String?) -> ScriptedTransport.Step {
        let logs = lines.map { #"{"timestamp":"2026-03-01T10:00:0\#($0).000Z","log":"line \#($0)","offset":\#($0)}"# }
        let cursor =
            next.map { #""1772359200000","nextSearchAfterOffset":"\#($0)""# } ?? "null,\"nextSearchAfterOffset\":null"
        let data = #"{"logs":[\#(logs.joined(separator: ","))],"hasMore":\#(more),"nextSearchAfterTime":\#(cursor)}"#
        return .respond(.envelope(data: data))
    }

    @Test func workerLogsFollowTheCursor() async throws {
        let transport = ScriptedTransport([
            logPage([0, 1], more: true, next: "1"), logPage([2, 3], more: true, next: "3"),
            logPage([4], more: false, next: nil),
        ])
        let lines = try await makeClient(transport).allWorkerLogs(
            endpointID: 7, workerID: "w1", WorkerLogQuery(pageSize: 2)
        )
        .collect()
        #expect(lines.map(\.log) == ["line 0", "line 1", "line 2", "line 3", "line 4"])
        let queries = transport.requests.map(\.url).map { $0.replacingOccurrences(of: base, with: "") }
        #expect(
            queries == [
                "/v2/serverless/7/workers/w1/logs?pageSize=2",
                "/v2/serverless/7/workers/w1/logs?pageSize=2&searchAfterTime=1772359200000&searchAfterOffset=1",
                "/v2/serverless/7/workers/w1/logs?pageSize=2&searchAfterTime=1772359200000&searchAfterOffset=3",
            ])
    }

    @Test func aCursorThatDoesNotMoveEndsTheLogs() async throws {
        let transport = ScriptedTransport(fallback: logPage([0], more: true, next: "0"))
        let lines = try await makeClient(transport).allWorkerLogs(endpointID: 7, workerID: "w1").collect()
        #expect(lines.count == 2)
        #expect(transport.requests.count == 2)
    }
}
