import Foundation
import Language
import Yams

/// How a one-line command prints its result (`-o table|wide|json|yaml`, `--columns a,b`).
enum OutputFormat {
    /// The result as YAML: the same document `-o json` writes (ids and large ints as strings, times
    /// as ISO 8601), through Yams; a string that would read back as another type is quoted.
    static func yaml(_ value: Value) -> String {
        let plain =
            (try? JSONBridge.plain(value, functions: .describe, forReaders: true)) ?? .string(Printer.text(value))
        let text = (try? Yams.serialize(node: yaml(plain), allowUnicode: true)) ?? JSONBridge.line(value)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// A plain value (`JSONBridge.plain`) as a YAML node.
    static func yaml(_ value: Value) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .int(let number): return Node(String(number), Tag(.int))
        case .float: return Node(JSONBridge.line(value), Tag(.float))
        case .list(let list): return Node(list.items.map(yaml), Tag(.seq))
        case .map(let map): return Node(map.pairs.map { (Node($0.0), yaml($0.1)) }, Tag(.map))
        default:
            let text: String
            if case .string(let box) = value { text = box.value } else { text = Printer.text(value) }
            let plain = Node(text)
            // "917…" (an id), "true", "null", "1.5": quoted, so that they read back as strings.
            let style: Node.Scalar.Style = Resolver.default.resolveTag(of: plain) == .str ? .any : .doubleQuoted
            return Node(text, Tag(.str), style)
        }
    }

    /// A table of records with the columns asked for (`--columns`), or every field that holds a
    /// plain value (`-o wide`, at its natural width: for a pager or a file). A single record is a
    /// one-row table; anything else prints as it would.
    static func table(_ value: Value, columns: [String]?) -> String {
        let items: [Value]
        switch value {
        case .list(let list): items = list.items
        case .record: items = [value]
        default: return Printer.display(value)
        }
        guard case .record(let first)? = items.first else { return Printer.display(value) }
        let chosen =
            columns
            ?? first.type.fields.map(\.name).filter { field in
                items.contains { item in
                    guard case .record(let record) = item, let cell = record.fields[field] else { return false }
                    switch cell {
                    case .list, .map, .record, .null: return false
                    default: return true
                    }
                }
            }
        return Printer.table(items, columns: chosen, width: columns == nil ? 0 : nil) ?? Printer.display(value)
    }

    /// `--columns a,b`: the names, each a field of the result's kind (when it is known).
    static func columns(_ text: String, kind: String?, library: Library) throws(ColumnMistake) -> [String] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw ColumnMistake(message: "--columns takes field names: --columns id,name,status")
        }
        guard let kind, let type = library.recordTypes[kind] else { return names }
        let fields = type.fields.map(\.name)
        for name in names where !fields.contains(name) {
            let hint = suggestion(for: name, among: fields).map { "; did you mean '\($0)'?" } ?? ""
            throw ColumnMistake(
                message: "\(kind) has no field '\(name)'\(hint) (its fields: \(fields.joined(separator: ", ")))")
        }
        return names
    }

    struct ColumnMistake: Error {
        let message: String
    }
}
