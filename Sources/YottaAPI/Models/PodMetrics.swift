/// The five pod metrics of `GET /v2/metrics/...`.
public enum PodMetric: String, CaseIterable, Sendable {
    case cpu, gpu, memory, gpuMemory, storage

}

/// The resolution of a metrics query, with the longest window each allows.
public enum MetricStep: String, WireEnum {
    case thirtySeconds = "30s"
    case fiveMinutes = "5m"
    case fifteenMinutes = "15m"
    case oneHour = "1h"
    case fourHours = "4h"
    case oneDay = "1d"

    /// The longest `end - start` allowed for the step, in milliseconds.
    public var maximumWindowMillis: Int64 {
        let hour: Int64 = 3_600_000
        switch self {
        case .thirtySeconds: return 3 * hour
        case .fiveMinutes: return 12 * hour
        case .fifteenMinutes: return 48 * hour
        case .oneHour: return 7 * 24 * hour
        case .fourHours: return 30 * 24 * hour
        case .oneDay: return 90 * 24 * hour
        }
    }
}

/// A metrics query: `start`/`end` in epoch ms (either defaults to the other ± 1 h) and a step.
public struct MetricsQuery: Hashable, Sendable {
    public var start: Int64?
    public var end: Int64?
    public var step: MetricStep?

    public init(start: Int64? = nil, end: Int64? = nil, step: MetricStep? = nil) {
        self.start = start
        self.end = end
        self.step = step
    }
}

/// `data` of a metrics call.
public struct MetricSeries: Codable, Hashable, Sendable {
    public var metricName: String
    public var series: [Series]
    public var latestTotal: Double?

    enum CodingKeys: String, CodingKey {
        case metricName = "metric_name"
        case series
        case latestTotal = "latest_total"
    }

    public init(metricName: String, series: [Series], latestTotal: Double? = nil) {
        self.metricName = metricName
        self.series = series
        self.latestTotal = latestTotal
    }

    public struct Series: Codable, Hashable, Sendable {
        public var labels: [String: String]
        public var dataPoints: [DataPoint]

        enum CodingKeys: String, CodingKey {
            case labels
            case dataPoints = "data_points"
        }

        public init(labels: [String: String], dataPoints: [DataPoint]) {
            self.labels = labels
            self.dataPoints = dataPoints
        }
    }

    public struct DataPoint: Codable, Hashable, Sendable {
        public var timestamp: Int64
        public var value: Double

        public init(timestamp: Int64, value: Double) {
            self.timestamp = timestamp
            self.value = value
        }
    }
}
