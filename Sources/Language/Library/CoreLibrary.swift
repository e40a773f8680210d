import Foundation

/// The built-ins every program has: printing, conversions, time, and the methods of lists, maps,
/// strings, durations and ranges.
enum CoreLibrary {
    /// The status values of the reference, predeclared as words (`running`, `failed`, ...).
    static let statusWords = [
        "running", "initializing", "initialize", "stopped", "stopping", "terminated", "terminating", "paused",
        "pausing", "failed", "active", "creating", "resizing", "deleting", "processing", "delivered", "success",
        "maxRetriesExceeded",
    ]

    static func register(into library: Library) {
        for word in statusWords { library.define(word, .status(word)) }
        library.define("args", .list(ListBox([])))
        for builtin in functions { library.register(builtin) }
        ListMethods.register(into: library)
        StringMethods.register(into: library)
        OtherMethods.register(into: library)
    }

    static let functions: [Builtin] = [
        Builtin(
            "print", "Prints its arguments separated by spaces.", variadic: true,
            body: .sync { arguments in
                let values = arguments.values.compactMap { $0 } + arguments.rest
                arguments.print(values) { values.map(Printer.text).joined(separator: " ") }
                return .null
            }),
        Builtin(
            "len", "The number of items of a list, map, string or range.", parameters: [ParameterSpec("value")],
            body: .sync { arguments in
                let value = try arguments.required("value")
                guard let count = length(value) else {
                    if case .range = value { throw arguments.failure("range too large to count (more than 2^63 ints)") }
                    throw arguments.fail("value", "list, map, string or range", got: value)
                }
                return .int(Int64(count))
            }),
        Builtin(
            "str", "The value as text.", parameters: [ParameterSpec("value")],
            body: .sync { arguments in
                .string(Printer.text(arguments.values[0] ?? .null))
            }),
        Builtin(
            "int", "The value as an int: from a float (truncated), a numeric string or a bool.",
            parameters: [ParameterSpec("value")],
            body: .sync { arguments in
                let value = arguments.values[0] ?? .null
                switch value {
                case .int: return value
                case .float(let number):
                    guard number.isFinite, abs(number) < 9.2e18 else {
                        throw arguments.failure("cannot convert \(number) to int")
                    }
                    return .int(Int64(number))
                case .bool(let flag): return .int(flag ? 1 : 0)
                case .string(let text):
                    if let number = Int64(text.trimmingCharacters(in: .whitespaces)) { return .int(number) }
                    throw arguments.failure("cannot convert \(text.debugDescription) to int")
                case .duration(let millis): return .int(millis / 1000)
                default: throw arguments.fail("value", "number, string or bool", got: value)
                }
            }),
        Builtin(
            "float", "The value as a float.", parameters: [ParameterSpec("value")],
            body: .sync { arguments in
                let value = arguments.values[0] ?? .null
                switch value {
                case .int(let number): return .float(Double(number))
                case .float: return value
                case .string(let text):
                    if let number = Double(text.trimmingCharacters(in: .whitespaces)) { return .float(number) }
                    throw arguments.failure("cannot convert \(text.debugDescription) to float")
                case .duration(let millis): return .float(Double(millis) / 1000)
                default: throw arguments.fail("value", "number or string", got: value)
                }
            }),
        Builtin(
            "type", "The name of a value's type.", parameters: [ParameterSpec("value")],
            body: .sync { arguments in
                .string((arguments.values[0] ?? .null).typeName)
            }),
        Builtin(
            "json", "The value as JSON text.", parameters: [ParameterSpec("value")],
            body: .sync { arguments in
                .string(try JSONBridge.encode(arguments.values[0] ?? .null, arguments: arguments))
            }),
        Builtin(
            "parseJson", "The value JSON text describes.", parameters: [ParameterSpec("text", "string")],
            body: .sync { arguments in
                try JSONBridge.decode(try arguments.string("text"), arguments: arguments)
            }),
        Builtin(
            "sleep", "Waits for a duration.", parameters: [ParameterSpec("duration", "duration")],
            body: .async { arguments in
                try await arguments.sleep(try arguments.duration("duration"))
                return .null
            }),
        Builtin(
            "now", "The time since the program started, as a duration.",
            body: .sync { arguments in
                .duration(Int64(arguments.now / .milliseconds(1)))
            }),
        Builtin(
            "env", "An environment variable, or the default when it is not set.",
            parameters: [ParameterSpec("name", "string"), .optional("default")],
            body: .sync { arguments in
                if let value = ProcessInfo.processInfo.environment[try arguments.string("name")] {
                    return .string(value)
                }
                return arguments.value("default") ?? .null
            }),
        Builtin(
            "min", "The smallest argument, or the smallest item of one list.", variadic: true,
            body: .sync { arguments in
                try extreme(arguments, sign: -1)
            }),
        Builtin(
            "max", "The largest argument, or the largest item of one list.", variadic: true,
            body: .sync { arguments in
                try extreme(arguments, sign: 1)
            }),
        Builtin(
            "abs", "The absolute value of a number or duration.", parameters: [ParameterSpec("value", "number")],
            body: .sync { arguments in
                switch arguments.values[0] ?? .null {
                case .int(let number) where number != Int64.min: return .int(abs(number))
                case .float(let number): return .float(abs(number))
                case .duration(let millis): return .duration(abs(millis))
                case let value: throw arguments.fail("value", "number", got: value)
                }
            }),
        Builtin(
            "round", "A number rounded to the given number of decimals (0: an int).",
            parameters: [ParameterSpec("value", "number"), .optional("decimals", "int")],
            body: .sync { arguments in
                let number = try arguments.double("value")
                let decimals = try arguments.optionalInt("decimals") ?? 0
                if decimals <= 0 {
                    guard let rounded = Checked.int(number.rounded()) else {
                        throw arguments.failure("cannot round \(number) to an int (out of range)")
                    }
                    return .int(rounded)
                }
                let scale = pow(10, Double(min(decimals, 15)))
                return .float((number * scale).rounded() / scale)
            }),
        Builtin(
            "range", "The ints from start up to (not including) end.",
            parameters: [ParameterSpec("start", "int"), .optional("end", "int")],
            body: .sync { arguments in
                let first = try arguments.int("start")
                guard let end = try arguments.optionalInt("end") else { return .range(0, max(0, first)) }
                return .range(first, max(first, end))
            }),
        Builtin(
            "error", "An error value with a message and optional code, to throw.",
            parameters: [ParameterSpec("message", "string"), .optional("code")],
            body: .sync { arguments in
                .error(
                    ErrorValue(
                        message: try arguments.string("message"), kind: "user", code: arguments.value("code") ?? .null))
            }),
        Builtin(
            "help", "What a built-in does, or the methods of a value.", parameters: [.optional("topic")],
            body: .sync { arguments in
                .string(Help.text(for: arguments.value("topic"), library: arguments.context?.runtime.library))
            }),
    ]

    static func length(_ value: Value) -> Int? {
        switch value {
        case .list(let list): list.items.count
        case .map(let map): map.count
        case .string(let text): text.count
        case .range(let lower, let upper): Checked.count(lower, upper).map { Int($0) }
        default: nil
        }
    }

    static func extreme(_ arguments: Arguments, sign: Int) throws -> Value {
        var items = arguments.rest
        if items.count == 1, case .list(let list) = items[0] { items = list.items }
        guard var best = items.first else { throw arguments.failure("'\(arguments.name)' needs at least one value") }
        for item in items.dropFirst() {
            guard let order = Operators.compare(item, best) else {
                throw arguments.failure("'\(arguments.name)' cannot compare \(item.typeName) with \(best.typeName)")
            }
            if order * sign > 0 { best = item }
        }
        return best
    }
}

/// JSON in and out of values.
public enum JSONBridge {
    static func encode(_ value: Value, arguments: Arguments) throws -> String {
        guard let text = text(try node(value, arguments: arguments)) else {
            throw arguments.failure("the value cannot be written as JSON")
        }
        return text
    }

    /// How deep a value may nest to be written as JSON (a value that contains itself never ends).
    static let maximumDepth = 500

    /// A value as one line of JSON, for `--json` output: a function is written as its description.
    public static func line(_ value: Value) -> String {
        (try? node(value, arguments: nil)).flatMap(text) ?? text(.string(Printer.text(value))) ?? "null"
    }

    /// What one `print` writes with `--json`: its value, or the array of its values; nothing for none.
    public static func line(printing values: [Value]) -> String? {
        values.isEmpty ? nil : line(values.count == 1 ? values[0] : .list(ListBox(values)))
    }

    static func text(_ node: JSONNode) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(node)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Raised for what JSON cannot hold; without `arguments` (`--json` output) a plain error.
    struct Unwritable: Error {}

    static func node(_ value: Value, arguments: Arguments?, depth: Int = 0) throws -> JSONNode {
        func fail(_ message: String) -> any Error { arguments?.failure(message) ?? Unwritable() }
        guard depth < maximumDepth else {
            throw fail(
                "a value nested more than \(maximumDepth) levels deep (or that contains itself) cannot be written as JSON"
            )
        }
        func node(_ value: Value, arguments: Arguments?) throws -> JSONNode {
            try JSONBridge.node(value, arguments: arguments, depth: depth + 1)
        }
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .float(let number):
            guard number.isFinite else { throw fail("\(number) cannot be written as JSON") }
            return .float(number)
        case .string(let text), .status(let text): return .string(text)
        case .duration(let millis): return .string(Printer.duration(.milliseconds(millis)))
        case .list(let list): return .array(try list.items.map { try node($0, arguments: arguments) })
        case .map(let map):
            return .object(
                try Dictionary(uniqueKeysWithValues: map.pairs.map { ($0.0, try node($0.1, arguments: arguments)) }))
        case .range(let lower, let upper): return .array((lower..<min(upper, lower + 1_000_000)).map { .int($0) })
        case .record(let record): return .object(try record.fields.mapValues { try node($0, arguments: arguments) })
        case .error(let error):
            return .object([
                "message": .string(error.message), "kind": .string(error.kind),
                "code": try node(error.code, arguments: arguments),
            ])
        case .box(let box): return try node(box.value, arguments: arguments)
        case .function:
            guard let arguments else { return .string(Printer.text(value)) }
            throw arguments.failure("a function cannot be written as JSON")
        }
    }

    static func decode(_ text: String, arguments: Arguments) throws -> Value {
        do {
            return try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8)).value
        } catch {
            throw arguments.failure("invalid JSON: \(text.prefix(40).debugDescription)")
        }
    }
}

/// A JSON document, integers kept exact.
enum JSONNode: Codable {
    case null, bool(Bool), int(Int64), float(Double), string(String), array([JSONNode]), object([String: JSONNode])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .float(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONNode].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONNode].self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .float(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    var value: Value {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .float(let number): .float(number)
        case .string(let text): .string(text)
        case .array(let array): .list(ListBox(array.map(\.value)))
        case .object(let object): .map(MapBox(object.keys.sorted().map { ($0, object[$0]?.value ?? .null) }))
        }
    }
}
