import Foundation
import YottaAPI

/// `/v2/metrics/.../pods/{pod_id}`: synthetic, repeatable series over the pod's running time.
struct MetricsController {
    let context: RequestContext

    /// The five series the API offers.
    enum Metric {
        case cpu, gpu, memory, gpuMemory, storage
    }

    func series(_ metric: Metric) async throws -> SandboxResponse {
        let id = try context.pathID("pod_id")
        let (start, end, step) = try window()
        guard let pod = try context.store.resource(id, kind: .pod) else {
            throw APIFailure.business(.podNotFound, "Pod not found")
        }
        let now = context.now
        let running = Lifecycles.pod(pod.events(upTo: now)).intervals(upTo: now) { $0 == .running }
        let spec = try? pod.decode(PodSpec.self)
        let gpu = spec.flatMap { GPUType.named($0.request.gpuType) }
        let (name, scale, total): (String, Double, Double?) =
            switch metric {
            case .cpu: ("cpu_usage_ratio", 1, nil)
            case .gpu: ("gpu_sm_utilization_percent", 100, nil)
            case .memory: ("memory_bytes", 64 * 1_073_741_824, 128 * 1_073_741_824)
            case .gpuMemory:
                (
                    "gpu_memory_bytes", Double(gpu?.vramInGb ?? 24) * 1_073_741_824,
                    Double(gpu?.vramInGb ?? 24) * 1_073_741_824
                )
            case .storage:
                ("storage_bytes", 100 * 1_073_741_824, Double(spec?.request.containerVolumeInGb ?? 256) * 1_073_741_824)
            }
        var points: [MetricSeries.DataPoint] = []
        var time = start - start % step.millis
        while time <= min(end, now), points.count < 20_000 {
            if running.contains(where: { $0.contains(time) }) {
                let phase = Double(Derived.hash("\(id)/\(name)") % 1000) / 1000
                let wave = 0.55 + 0.35 * sin(Double(time) / 900_000 + phase * 6.28)
                points.append(MetricSeries.DataPoint(timestamp: time, value: (wave * scale * 1000).rounded() / 1000))
            }
            time += step.millis
        }
        let series = MetricSeries.Series(labels: ["pod": String(id), "step": step.rawValue], dataPoints: points)
        return try .success(MetricSeries(metricName: name, series: [series], latestTotal: total))
    }

    /// `start`/`end` (one defaults to the other ± 1 h; both absent: the last hour) and `step`, checked
    /// against the step's longest window.
    func window() throws -> (Int64, Int64, MetricStep) {
        let request = context.request
        func time(_ name: String) throws -> Int64? {
            guard let text = request.queryValue(name) else { return nil }
            guard let value = Int64(text), (0...Bounds.epochMillis).contains(value) else {
                throw APIFailure.invalid(
                    name, "must be epoch milliseconds from 0 to \(Bounds.epochMillis) (got '\(text)')")
            }
            return value
        }
        let hour: Int64 = 3_600_000
        var start = try time("start")
        var end = try time("end")
        switch (start, end) {
        case (nil, nil): (start, end) = (context.now - hour, context.now)
        case (let s?, nil): end = s + hour
        case (nil, let e?): start = e - hour
        default: break
        }
        guard let start, let end, end > start else { throw APIFailure.invalid("end", "must be after start") }
        let step: MetricStep
        if let text = request.queryValue("step") {
            guard let parsed = MetricStep(rawValue: text) else {
                throw APIFailure.invalid("step", "must be one of 30s, 5m, 15m, 1h, 4h, 1d (got '\(text)')")
            }
            step = parsed
        } else {
            step = MetricStep.allCases.first { end - start <= $0.maximumWindowMillis } ?? .oneDay
        }
        guard end - start <= step.maximumWindowMillis else {
            throw APIFailure.invalid("end", "the window is longer than step \(step.rawValue) allows")
        }
        return (start, end, step)
    }
}

extension MetricStep {
    var millis: Int64 {
        switch self {
        case .thirtySeconds: 30_000
        case .fiveMinutes: 300_000
        case .fifteenMinutes: 900_000
        case .oneHour: 3_600_000
        case .fourHours: 14_400_000
        case .oneDay: 86_400_000
        }
    }
}
