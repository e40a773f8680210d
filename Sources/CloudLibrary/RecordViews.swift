import Foundation
import Language
import YottaAPI

/// Records whose natural view is not a table: a worker's log lines print as lines (time, text), a
/// pod's metric as one compact series a line (a sparkline with its range and last value).
enum RecordViews {
    static let logLine = RecordType(
        name: "LogLine", summary: "One line of a worker's log",
        fields: [
            ("timestamp", "when it was written (a time)"), ("log", "the text"),
            ("offset", "its position, for the cursor"),
        ],
        columns: ["timestamp", "log"],
        view: { record, _ in
            let time = record.fields["timestamp"].map(Printer.text) ?? ""
            return "\(time)  \(Printer.visible(record.fields["log"].map(Printer.text) ?? ""))"
        })

    static let series = RecordType(
        name: "Series", summary: "One series of a metric: its labels and points",
        fields: [
            ("labels", "what it measures: a map (gpu index, container, …)"),
            ("points", "list of {time, value}, oldest first"), ("min", "the smallest value"),
            ("max", "the largest value"), ("last", "the newest value"), ("unit", "the values' unit"),
        ],
        view: { record, width in seriesLine(record, width: width) })

    static let metric = RecordType(
        name: "Metric", summary: "A metric of a pod over a time window",
        fields: [
            ("metric", "cpu, gpu, memory, gpuMemory or storage"), ("name", "the API's name for it"),
            ("unit", "the values' unit"),
            ("series", "list of Series"), ("latestTotal", "the total the latest value is out of (memory), or null"),
        ],
        view: { record, width in
            let metric = record.fields["metric"].map(Printer.text) ?? ""
            let name = record.fields["name"].map(Printer.text) ?? ""
            let unit = record.fields["unit"].map(Printer.text) ?? ""
            var lines = ["Metric \(metric): \(Printer.visible(name)) (\(unit))"]
            if case .list(let list)? = record.fields["series"] {
                lines += list.items.compactMap { item in
                    guard case .record(let series) = item else { return nil }
                    return "  " + seriesLine(series, width: width == 0 ? 0 : width - 2)
                }
                if list.items.isEmpty { lines.append("  no data points in the window") }
            }
            return lines.joined(separator: "\n")
        })

    /// What a metric's values measure.
    static func unit(of metric: PodMetric) -> String {
        switch metric {
        case .cpu: "cores used / cores requested (1.0 = 100%)"
        case .gpu: "% of the GPU's SMs busy"
        case .memory, .gpuMemory, .storage: "bytes"
        }
    }

    /// A metric from the API as a record: a series per label set, with its range.
    static func metric(_ data: MetricSeries, _ metric: PodMetric) -> Value {
        let unit = unit(of: metric)
        let series: [Value] = data.series.map { series in
            let values = series.dataPoints.map(\.value)
            let points: [Value] = series.dataPoints.map { point in
                .map(MapBox([("time", .time(point.timestamp)), ("value", .float(point.value))]))
            }
            let labels: [(String, Value)] = series.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
            return .record(
                Record(
                    type: Self.series,
                    fields: [
                        "labels": .map(MapBox(labels)), "points": .list(ListBox(points)),
                        "min": values.min().map(Value.float) ?? .null, "max": values.max().map(Value.float) ?? .null,
                        "last": values.last.map(Value.float) ?? .null, "unit": .string(unit),
                    ]))
        }
        return .record(
            Record(
                type: Self.metric,
                fields: [
                    "metric": .string(metric.rawValue), "name": .string(data.metricName), "unit": .string(unit),
                    "series": .list(ListBox(series)),
                    "latestTotal": data.latestTotal.map(Value.float) ?? .null,
                ]))
    }

    /// `{gpu=0}  ▁▂▄▆█▆▄  min 3.1  max 97.2  last 45.0  (60 points)` — the sparkline as wide as the
    /// line allows (40 characters at most), each character the mean of its points.
    static func seriesLine(_ record: Record, width: Int) -> String {
        var values: [Double] = []
        if case .list(let points)? = record.fields["points"] {
            for case .map(let point) in points.items {
                if case .float(let value)? = point["value"] { values.append(value) }
            }
        }
        let bytes = record.fields["unit"].map(Printer.text) == "bytes"
        func number(_ value: Value?) -> String {
            guard case .float(let number)? = value else { return "–" }
            return bytes ? byteText(number) : String(format: number.magnitude >= 100 ? "%.0f" : "%.3g", number)
        }
        var labels = ""
        if case .map(let map)? = record.fields["labels"], !map.pairs.isEmpty {
            labels =
                "{" + map.pairs.map { "\($0.0)=\(Printer.visible(Printer.text($0.1)))" }.joined(separator: ",") + "}  "
        }
        let summary =
            "  min \(number(record.fields["min"]))  max \(number(record.fields["max"]))  last \(number(record.fields["last"]))  (\(values.count) point\(values.count == 1 ? "" : "s"))"
        // The sparkline gives way first (to 4 characters), then the line is cut.
        let room = width == 0 ? 40 : min(40, max(4, width - labels.count - summary.count))
        let line = labels + sparkline(values, width: room) + summary
        return width == 0 ? line : Printer.fitted(line, width: width)
    }

    /// Values as block characters, lowest ▁ to highest █, in at most `width` characters.
    static func sparkline(_ values: [Double], width: Int) -> String {
        guard !values.isEmpty, width > 0 else { return "" }
        let count = min(width, values.count)
        let buckets = (0..<count).map { bucket -> Double in
            let start = bucket * values.count / count
            let end = max(start + 1, (bucket + 1) * values.count / count)
            return values[start..<end].reduce(0, +) / Double(end - start)
        }
        let low = buckets.min() ?? 0
        let high = buckets.max() ?? 0
        let bars = Array("▁▂▃▄▅▆▇█")
        return String(
            buckets.map { value in
                guard high > low else { return bars[0] }
                return bars[min(bars.count - 1, Int((value - low) / (high - low) * Double(bars.count - 1) + 0.5))]
            })
    }

    /// 1536 → "1.5 KiB", binary units as memory is counted.
    static func byteText(_ bytes: Double) -> String {
        var value = bytes
        for unit in ["B", "KiB", "MiB", "GiB", "TiB"] {
            if value.magnitude < 1024 || unit == "TiB" {
                return unit == "B" ? String(format: "%.0f B", value) : String(format: "%.1f %@", value, unit)
            }
            value /= 1024
        }
        return String(bytes)
    }
}
