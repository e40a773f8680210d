import Foundation
import YottaAPI

/// An endpoint's statuses and its workers over time, derived from its events.
///
/// Create and start bring up a new generation of workers, one by one (`stagger` apart), each with a
/// new id; the endpoint is RUNNING once every worker is up. Scaling adds or removes workers at once;
/// stop takes the workers down (STOPPING → STOPPED).
struct EndpointTimeline: Sendable {
    struct WorkerRun: Sendable {
        var generation: Int
        var index: Int
        var bootAt: Int64
        var readyAt: Int64
        var endedAt: Int64?
    }

    /// How long worker transitions take; recorded in the endpoint's spec at creation.
    struct Timing: Codable, Sendable, Hashable {
        var boot: Int64
        var stagger: Int64
        var stop: Int64
    }

    private(set) var statuses = StatusTimeline<EndpointStatus>()
    private(set) var workers: [WorkerRun] = []

    /// `created` carries the initial worker count; `scale` the new one.
    init(events: [ResourceEvent], timing: Timing) {
        var target = 0
        var generation = 0
        for event in events {
            switch event.kind {
            case .created, .start:
                if event.kind == .created { target = Int(event.value ?? 1) }
                generation += 1
                endWorkers(at: event.at)
                let runs = (0..<target).map { index in
                    let bootAt = event.at + Int64(index) * timing.stagger
                    return WorkerRun(
                        generation: generation, index: index, bootAt: bootAt, readyAt: bootAt + timing.boot)
                }
                workers += runs
                let ready = runs.map(\.readyAt).max() ?? event.at
                statuses.at(event.at, then: [(event.at, .initializing), (ready, .running)])
            case .scale:
                let count = Int(event.value ?? Int64(target))
                target = count
                guard generation > 0, ![.stopping, .stopped, .failed].contains(statuses.status(at: event.at)) else {
                    continue
                }
                var alive = workers.indices.filter {
                    workers[$0].generation == generation && workers[$0].endedAt == nil
                }
                while alive.count > count, let last = alive.popLast() { workers[last].endedAt = event.at }
                let existing = alive.count
                for index in existing..<max(existing, count) {
                    let bootAt = event.at + Int64(index - existing) * timing.stagger
                    workers.append(
                        WorkerRun(generation: generation, index: index, bootAt: bootAt, readyAt: bootAt + timing.boot))
                }
                if statuses.status(at: event.at) == .initializing {
                    let ready = workers.filter { $0.generation == generation && $0.endedAt == nil }.map(\.readyAt).max()
                    statuses.at(event.at, then: [(max(event.at, ready ?? event.at), .running)])
                }
            case .stop:
                endWorkers(at: event.at + timing.stop)
                statuses.at(event.at, then: [(event.at, .stopping), (event.at + timing.stop, .stopped)])
            case .fail:
                endWorkers(at: event.at)
                statuses.at(event.at, then: [(event.at, .initializing), (event.at + event.duration, .failed)])
            default: break
            }
        }
    }

    private mutating func endWorkers(at time: Int64) {
        for index in workers.indices where workers[index].endedAt == nil { workers[index].endedAt = time }
    }

    func status(at now: Int64) -> EndpointStatus { statuses.status(at: now) ?? .initializing }

    /// Workers that exist at `now` (booting, running or stopping).
    func liveWorkers(at now: Int64) -> [WorkerRun] {
        workers.filter { $0.bootAt <= now && ($0.endedAt.map { $0 > now } ?? true) }
    }

    func workerStatus(_ run: WorkerRun, at now: Int64) -> WorkerStatus {
        if status(at: now) == .stopping { return .stopping }
        return now < run.readyAt ? .initializing : .running
    }

    /// The intervals in which the endpoint was RUNNING, up to `now`.
    func runningIntervals(upTo now: Int64) -> [Range<Int64>] {
        statuses.intervals(upTo: now) { $0 == .running }
    }

    /// Worker-milliseconds of running workers up to `now`, for cost.
    func workerMillis(upTo now: Int64) -> Int64 {
        workers.reduce(0) { total, run in
            let end = min(run.endedAt ?? now, now)
            return total + max(0, end - run.readyAt)
        }
    }

    /// A worker's public id: stable for an (endpoint, generation, index), new for every start.
    static func workerID(endpointID: Int64, run: WorkerRun) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in [UInt64(bitPattern: endpointID), UInt64(run.generation), UInt64(run.index)] {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash = (hash ^ ((value >> UInt64(shift)) & 0xff)) &* 0x100_0000_01b3
            }
        }
        return "w-" + String(hash, radix: 16).padding(toLength: 12, withPad: "0", startingAt: 0).prefix(12)
    }
}
