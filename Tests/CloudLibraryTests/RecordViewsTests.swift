import Language
import Testing
import YottaAPI

@testable import CloudLibrary

/// Log lines print as lines and metrics as one compact series a line, fitted to the width.
@Suite struct RecordViewsTests {
    @Test func logLinesPrintAsTimeAndText() {
        let lines: [Value] = [("ready", 0), ("escape \u{1B}[2J here", 1)].map { text, offset in
            .record(
                Record(
                    type: RecordViews.logLine,
                    fields: [
                        "timestamp": .time(1_764_581_400_000 + offset), "log": .string(text), "offset": .int(offset),
                    ]
                ))
        }
        #expect(
            Printer.text(.list(ListBox(lines)))
                == "2025-12-01T09:30:00Z  ready\n2025-12-01T09:30:00.001Z  escape \\u{1B}[2J here")
    }

    @Test func aMetricIsASparklineASeriesWithItsRange() {
        let points = (0..<120).map { MetricSeries.DataPoint(timestamp: Int64($0) * 30_000, value: Double($0 % 60)) }
        let data = MetricSeries(
            metricName: "gpu_memory_bytes",
            series: [MetricSeries.Series(labels: ["gpu": "0"], dataPoints: points)], latestTotal: nil)
        let text = Printer.text(RecordViews.metric(data, .gpuMemory))
        let lines = text.split(separator: "\n")
        #expect(lines.first == "Metric gpuMemory: gpu_memory_bytes (bytes)")
        #expect(lines[1].hasPrefix("  {gpu=0}  ▁"), "\(text)")
        #expect(lines[1].hasSuffix("min 0 B  max 59 B  last 59 B  (120 points)"), "\(text)")
        // 120 points in at most 40 characters.
        let bars = lines[1].filter { "▁▂▃▄▅▆▇█".contains($0) }
        #expect(bars.count == 40)
        // At 60 columns the sparkline gives way, not the numbers.
        let narrow = Printer.table([RecordViews.metric(data, .gpuMemory)], width: 60) ?? ""
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(narrow)")
        #expect(RecordViews.byteText(1536) == "1.5 KiB")
        #expect(RecordViews.sparkline([1, 2, 3, 4, 5, 6, 7, 8], width: 8) == "▁▂▃▄▅▆▇█")
    }
}
