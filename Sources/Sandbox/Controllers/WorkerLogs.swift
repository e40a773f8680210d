import Foundation
import YottaAPI

/// `GET /v2/serverless/{id}/workers/{workerId}/logs`: a worker's boot lines and one line per task,
/// paged with the `(searchAfterTime, searchAfterOffset)` cursor, Forward or Backward.
struct WorkerLogs {
    let context: RequestContext

    struct Line {
        var time: Int64
        var offset: Int64
        var text: String
    }

    func handle() async throws -> SandboxResponse {
        let endpoint = try await EndpointController(context: context).find(context.pathID())
        let workerID = context.parameters["workerId"] ?? ""
        let query = try readQuery()
        let now = context.now
        guard let spec = try? endpoint.decode(EndpointSpec.self) else {
            throw APIFailure.business(.endpointNotFound, "Endpoint not found")
        }
        let timeline = EndpointController.timeline(endpoint, spec: spec, now: now)
        guard
            let run = timeline.workers.first(where: {
                EndpointTimeline.workerID(endpointID: endpoint.id, run: $0) == workerID
            }),
            run.bootAt <= now
        else {
            throw APIFailure.business(.recordNotExist, "worker \(workerID) not found")
        }
        let endpointID = endpoint.id
        let tasks = try await context.store.read { try $0.tasks(endpointID: endpointID) }
        let lines = Self.lines(worker: run, workerID: workerID, spec: spec, tasks: tasks, endpoint: endpoint, now: now)
        return try .success(page(lines, query))
    }

    struct Query {
        var pageSize = 100
        var keyword: String?
        var start: Int64?
        var end: Int64?
        var after: (time: Int64, offset: Int64)?
        var backward = false
    }

    func readQuery() throws -> Query {
        let request = context.request
        var query = Query()
        query.pageSize = try context.queryInt("pageSize", default: 100, 1...Bounds.pageSize)
        query.keyword = request.queryValue("keyword").flatMap { $0.isEmpty ? nil : $0 }
        for (name, keyPath) in [("startTime", \Query.start), ("endTime", \Query.end)] {
            if let text = request.queryValue(name) {
                guard let time = Timestamp.parse(text) else {
                    throw APIFailure.invalid(name, "must be epoch milliseconds or ISO 8601 (got '\(text)')")
                }
                query[keyPath: keyPath] = time.epochMillis
            }
        }
        if let text = request.queryValue("searchAfterTime") {
            guard let time = Int64(text) else {
                throw APIFailure.invalid("searchAfterTime", "must be epoch milliseconds (got '\(text)')")
            }
            let offsetText = request.queryValue("searchAfterOffset") ?? "-1"
            guard let offset = Int64(offsetText) else {
                throw APIFailure.invalid("searchAfterOffset", "must be an integer (got '\(offsetText)')")
            }
            query.after = (time, offset)
        }
        if let direction = request.queryValue("direction") {
            guard let parsed = Open<LogDirection>(wire: direction).known else {
                throw APIFailure.invalid("direction", "must be Forward or Backward (got '\(direction)')")
            }
            query.backward = parsed == .backward
        }
        return query
    }

    func page(_ lines: [Line], _ query: Query) -> WorkerLogPage {
        var selected = lines.filter { line in
            (query.keyword.map { line.text.localizedCaseInsensitiveContains($0) } ?? true)
                && (query.start.map { line.time >= $0 } ?? true) && (query.end.map { line.time <= $0 } ?? true)
        }
        if query.backward { selected.reverse() }
        if let after = query.after {
            selected = selected.filter { line in
                query.backward
                    ? (line.time, line.offset) < (after.time, after.offset)
                    : (line.time, line.offset) > (after.time, after.offset)
            }
        }
        let page = Array(selected.prefix(query.pageSize))
        let hasMore = selected.count > page.count
        return WorkerLogPage(
            logs: page.map {
                WorkerLogLine(
                    timestamp: Timestamp(epochMillis: $0.time, wireForm: .iso8601), log: $0.text, offset: $0.offset)
            },
            hasMore: hasMore, nextSearchAfterTime: page.last.map { String($0.time) },
            nextSearchAfterOffset: page.last.map { String($0.offset) })
    }

    /// Every line the worker has written by `now`, oldest first, numbered by offset.
    static func lines(
        worker run: EndpointTimeline.WorkerRun, workerID: String, spec: EndpointSpec, tasks: [StoredTask],
        endpoint: StoredResource, now: Int64
    ) -> [Line] {
        let boot = run.readyAt - run.bootAt
        let port = spec.request.expose?.port ?? 8000
        var entries: [(Int64, String)] = [
            (run.bootAt, "pulling image \(spec.request.image)"),
            (
                run.bootAt + boot * 6 / 10,
                "image pulled; starting container on \(spec.request.resources.first?.gpuType ?? "GPU")"
            ),
            (
                run.bootAt + boot * 8 / 10,
                "container started: \(spec.request.initializationCommand ?? "default entrypoint")"
            ),
            (run.readyAt, "worker ready: listening on port \(port)"),
        ]
        for task in tasks {
            let (taskRun, taskSpec) = TaskController.run(task, endpoint: endpoint, spec: spec, now: now)
            guard taskRun.workerID == workerID, let delivered = taskRun.deliveredAt, let taskSpec else { continue }
            entries.append((delivered, "task \(task.taskID): POST \(taskSpec.processUri)"))
            if let finished = taskRun.finishedAt {
                let outcome = taskRun.status == .success ? "200 OK" : "500 \(taskRun.error ?? "failed")"
                entries.append((finished, "task \(task.taskID): \(outcome) in \(finished - delivered) ms"))
            }
        }
        if let ended = run.endedAt { entries.append((ended, "worker stopped")) }
        return entries.filter { $0.0 <= now }.sorted { $0.0 < $1.0 }.enumerated().map {
            Line(time: $1.0, offset: Int64($0), text: $1.1)
        }
    }
}
