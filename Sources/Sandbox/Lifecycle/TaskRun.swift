import Foundation
import YottaAPI

/// A task's progress, derived from when it was submitted and when its endpoint was RUNNING.
///
/// A task waits (PROCESSING) until the endpoint runs, is picked up by one of its running workers,
/// is DELIVERED to it, and ends SUCCESS or FAILED. A task whose endpoint stops before it ends starts
/// over when the endpoint runs again. The result is derived from the input: `{"fail": true}` fails.
struct TaskRun: Sendable {
    var status: TaskStatus
    var deliveredAt: Int64?
    var finishedAt: Int64?
    var worker: EndpointTimeline.WorkerRun?
    var workerID: String?
    var output: JSONValue?
    var error: String?

    init(task: StoredTask, spec: TaskSpec, endpointID: Int64, timeline: EndpointTimeline, now: Int64) {
        status = .processing
        for interval in timeline.runningIntervals(upTo: now) {
            let start = max(task.submittedAt, interval.lowerBound)
            guard start < interval.upperBound || (start == interval.upperBound && interval.upperBound == now) else {
                continue
            }
            let running = timeline.liveWorkers(at: start).filter { timeline.workerStatus($0, at: start) == .running }
            guard !running.isEmpty else { continue }
            let delivered = start + spec.deliverMillis
            let finished = delivered + spec.runMillis
            let ongoing = interval.upperBound == now && timeline.status(at: now) == .running
            guard finished <= interval.upperBound || ongoing else { continue }
            let run = running[Int(Derived.hash(task.taskID) % UInt64(running.count))]
            worker = run
            workerID = EndpointTimeline.workerID(endpointID: endpointID, run: run)
            if now < delivered { return }
            status = .delivered
            deliveredAt = delivered
            if now < finished { return }
            finishedAt = finished
            if spec.input["fail"] == .bool(true) {
                status = .failed
                error = "worker returned HTTP 500: the task input asked to fail"
            } else {
                status = .success
                output = [
                    "echo": spec.input, "digest": .string(String(Derived.hash(spec.input.jsonText), radix: 16)),
                    "worker": .string(workerID ?? ""),
                ]
            }
            return
        }
    }

    private init(status: TaskStatus, error: String) {
        self.status = status
        self.error = error
    }

    /// For a task whose stored record cannot be read.
    static let unreadable = TaskRun(status: .failed, error: "the task record is unreadable")

    var isFinished: Bool { status == .success || status == .failed }
}
