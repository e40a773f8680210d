import Foundation
import Synchronization

/// How values read as text: `text` for print and interpolation (strings as they are), `repr` inside
/// lists and maps (strings quoted).
public enum Printer {
    public static func text(_ value: Value) -> String {
        switch value {
        case .string(let text): text.value
        case .status(let word): word.value
        case .list(let list): table(list.items) ?? repr(value)
        case .record(let record): block(record)
        default: repr(value)
        }
    }

    /// How wide tables and records may be (the terminal's columns); 0: no limit (not a terminal).
    static let widthLimit = Atomic<Int>(0)

    /// Sets the width tables and records are fitted to: the terminal's, when standard output is one.
    public static func fit(toWidth columns: Int) { widthLimit.store(max(0, columns), ordering: .relaxed) }

    /// `text` cut to `width` characters, ending in … when cut.
    public static func fitted(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(max(0, width - 1))) + "…"
    }

    /// Column widths that fit `limit` with two spaces between columns: the widest columns give way
    /// first, none below its header (or 8 characters); a row may still be wider when even that does not fit.
    public static func fittedWidths(_ widths: [Int], minimums: [Int], limit: Int) -> [Int] {
        var widths = widths
        var total: Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
        while limit > 0, total > limit {
            guard
                let widest = widths.indices.filter({ widths[$0] > minimums[$0] }).max(by: { widths[$0] < widths[$1] })
            else { break }
            widths[widest] -= min(total - limit, max(1, widths[widest] - minimums[widest]))
        }
        return widths
    }

    /// Records of one type as an aligned table of the type's columns, fitted to the terminal's width:
    /// cells too long for their column end in … (a row never wraps into the next line).
    /// `columns` replaces the type's (`--columns`, `-o wide`): then a record's own view is not used.
    public static func table(_ items: [Value], columns chosen: [String]? = nil, width: Int? = nil) -> String? {
        guard case .record(let first)? = items.first else { return nil }
        let limit = width ?? widthLimit.load(ordering: .relaxed)
        let columns = chosen ?? first.type.columns
        if chosen == nil, let view = first.type.view {
            var lines: [String] = []
            for item in items {
                guard case .record(let record) = item, record.type === first.type else { return nil }
                lines.append(view(record, limit))
            }
            return lines.joined(separator: "\n")
        }
        var rows: [[String]] = []
        for item in items {
            guard case .record(let record) = item, record.type === first.type else { return nil }
            // One row per item of a nested list (a VM type per region), or one for the record.
            var parts: [MapBox?] = [nil]
            if let nested = first.type.rowsOf, case .list(let list)? = record.fields[nested], !list.items.isEmpty {
                parts = list.items.map { if case .map(let map) = $0 { map } else { nil } }
            }
            for part in parts {
                rows.append(columns.map { (record.fields[$0] ?? part?[$0]).map { cell($0) } ?? "" })
            }
        }
        let header = columns.map { column in first.type.units[column].map { "\(column) \($0)" } ?? column }
        return grid(header: header, rows: rows, limit: limit)
    }

    /// A header and rows as aligned columns fitted to `limit` (0: any width).
    static func grid(header: [String], rows: [[String]], limit: Int) -> String {
        let natural = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        let widths = fittedWidths(natural, minimums: header.map { max($0.count, min(8, $0.count + 4)) }, limit: limit)
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { fitted($0, width: $1).padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// A value as the prompt shows it, and a program's final result: as `text`, except that a list of
    /// maps is a table of their keys (first seen first), as a list of records is.
    public static func display(_ value: Value) -> String {
        guard case .list(let list) = value, !list.items.isEmpty else { return text(value) }
        var maps: [MapBox] = []
        var header: [String] = []
        for item in list.items {
            guard case .map(let map) = item, !map.pairs.isEmpty else { return text(value) }
            maps.append(map)
            for key in map.orderedKeys where !header.contains(key) { header.append(key) }
            if header.count > 12 { return text(value) }  // not a table a terminal can show
        }
        let rows = maps.map { map in header.map { map[$0].map { cell($0) } ?? "" } }
        return grid(header: header, rows: rows, limit: widthLimit.load(ordering: .relaxed))
    }

    /// A value in a table cell or a record's line: strings as they are, except that control
    /// characters are shown escaped (`\n`, `\u{1B}`), so that text from the API cannot move the
    /// cursor, clear the screen or forge a row (reliability finding D14).
    static func cell(_ value: Value) -> String {
        switch value {
        case .null: ""
        case .string(let text): visible(text.value)
        default: repr(value)
        }
    }

    /// `text` with its control characters (C0, DEL, C1) escaped.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.properties.generalCategory == .control:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// One record as aligned `field: value` lines.
    public static func block(_ record: Record) -> String {
        if let view = record.type.view { return view(record, widthLimit.load(ordering: .relaxed)) }
        let names = record.type.fields.map(\.name).filter { record.fields[$0].map { !$0.isNull } ?? false }
        let width = names.map(\.count).max() ?? 0
        let limit = widthLimit.load(ordering: .relaxed)
        let lines = names.map { name in
            let line =
                "\(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(cell(record.fields[name] ?? .null))"
            return limit > 2 ? fitted(line, width: limit - 2) : line
        }
        return ([record.type.name] + lines.map { "  " + $0 }).joined(separator: "\n")
    }

    public static func repr(_ value: Value, depth: Int = 0) -> String {
        guard depth < 20 else { return "…" }
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number): return float(number)
        case .string(let text): return text.value.debugDescription
        case .duration(let millis): return duration(.milliseconds(millis))
        case .time(let millis): return TimeText.iso(millis)
        case .status(let word): return word.value
        case .list(let list): return "[" + list.items.map { repr($0, depth: depth + 1) }.joined(separator: ", ") + "]"
        case .map(let map):
            return "{" + map.pairs.map { "\(key($0.0)): \(repr($0.1, depth: depth + 1))" }.joined(separator: ", ") + "}"
        case .range(let span):
            return span.last < Int64.max ? "\(span.lower)..<\(span.last + 1)" : "\(span.lower)..\(span.last)"
        case .function(let function): return "<fn \(function.name)>"
        case .error(let error):
            return "error(\(error.message.debugDescription)\(error.code.isNull ? "" : ", code: \(repr(error.code))"))"
        case .record(let record):
            let fields = record.type.fields.compactMap { field in
                record.fields[field.name].flatMap { $0.isNull ? nil : "\(field.name): \(repr($0, depth: depth + 1))" }
            }
            return "\(record.type.name){\(fields.joined(separator: ", "))}"
        case .box(let box): return repr(box.value, depth: depth)
        }
    }

    static func key(_ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { $0.isIdentifierPart } && !(key.utf8.first?.isDigit ?? true)
        return plain ? key : key.debugDescription
    }

    static func float(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return String(format: "%.1f", number) }
        return String(number)
    }

    /// A short description for messages: a record's status, or the value itself.
    public static func summary(_ value: Value) -> String {
        if case .record(let record) = value, let status = record.fields["status"] {
            let name = record.fields["name"].map { visible(Printer.text($0)) } ?? record.type.name
            return "\(name) is \(text(status))"
        }
        let text = repr(value)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// `1h30m`, `5m`, `2.5s`, `250ms`.
    public static func duration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        // In integers: a double cannot hold every millisecond count (Int64.max ms would not fit back).
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflowAgain) = whole.addingReportingOverflow(Int64((Double(attoseconds) / 1e15).rounded()))
        guard !overflow, !overflowAgain else { return "\((Double(seconds) + Double(attoseconds) / 1e18))s" }
        let millis = sum
        if millis == 0 { return "0s" }
        // The magnitude as unsigned: -Int64.min does not fit in an Int64.
        var rest = millis.magnitude
        var parts = ""
        for (unit, size) in [("d", UInt64(86_400_000)), ("h", 3_600_000), ("m", 60_000)] where rest >= size {
            parts += "\(rest / size)\(unit)"
            rest %= size
        }
        if rest > 0 {
            if rest % 1000 == 0 {
                parts += "\(rest / 1000)s"
            } else if parts.isEmpty && rest < 1000 {
                parts += "\(rest)ms"
            } else {
                var seconds = String(format: "%.3f", Double(rest) / 1000)
                while seconds.hasSuffix("0") { seconds.removeLast() }
                parts += "\(seconds)s"
            }
        }
        return (millis < 0 ? "-" : "") + parts
    }
}

extension Value {
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
