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
        // The parser says so where it meets one (`Parser.expected`).
        library.declareAlias("f\"…{x}…\"", means: "\"…${x}…\"", in: "syntax")
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
                case .string(let textBox):
                    let text = textBox.value
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
                case .string(let textBox):
                    let text = textBox.value
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
            "parseJson", "The value JSON text describes.", parameters: [ParameterSpec("text", .string)],
            body: .sync { arguments in
                try JSONBridge.decode(try arguments.string("text"), arguments: arguments)
            }),
        Builtin(
            "sleep", "Waits for a duration.", parameters: [ParameterSpec("duration", .duration)],
            body: .async { arguments in
                try await arguments.sleep(try arguments.duration("duration"))
                return .null
            }),
        Builtin(
            "now", "The current time (wall clock): compare times, subtract them (a duration), add durations.",
            body: .sync { arguments in
                .time(arguments.context?.runtime.clock.wallMillis() ?? 0)
            }),
        Builtin(
            "monotonic", "The time since the program started, as a duration, from a clock that never jumps.",
            body: .sync { arguments in
                .duration(Checked.int((arguments.now / .milliseconds(1)).rounded(.down)) ?? Int64.max)
            }),
        Builtin(
            "time", "A time from ISO 8601 text (\"2026-12-01T09:30:00Z\") or milliseconds since 1970.",
            parameters: [ParameterSpec("value", .stringOrInt)],
            body: .sync { arguments in
                switch arguments.values[0] ?? .null {
                case .time(let millis), .int(let millis): return .time(millis)
                case .string(let textBox):
                    let text = textBox.value
                    guard let millis = TimeText.parse(text) else {
                        throw arguments.failure(
                            "not a time: \(text.debugDescription) (ISO 8601 expected, like \"2026-12-01T09:30:00Z\")")
                    }
                    return .time(millis)
                case let value: throw arguments.fail("value", "ISO 8601 string or int", got: value)
                }
            }),
        Builtin(
            "env",
            "An environment variable; the default when it is not set (env(\"X\", null) for null), else an error.",
            parameters: [ParameterSpec("name", .string), .optional("default")],
            body: .sync { arguments in
                let name = try arguments.string("name")
                let environment = ProcessInfo.processInfo.environment
                if let value = environment[name] { return .string(value) }
                // A misspelt variable must not become a null token in a pod's environment: without
                // a default, unset is an error (as os.environ["X"] is in Python).
                if let index = arguments.index("default"), let fallback = arguments.values[index] { return fallback }
                let hint = suggestion(for: name, among: environment.keys).map { "; did you mean '\($0)'?" } ?? ""
                throw arguments.failure(
                    "environment variable '\(name)' is not set\(hint) (env(\"\(name)\", null) gives null when it is unset)",
                    id: .unknownKey)
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
            "abs", "The absolute value of a number or duration.", parameters: [ParameterSpec("value", .number)],
            body: .sync { arguments in
                switch arguments.values[0] ?? .null {
                case .int(Int64.min), .duration(Int64.min): throw arguments.failure("integer overflow in 'abs'")
                case .int(let number): return .int(abs(number))
                case .float(let number): return .float(abs(number))
                case .duration(let millis): return .duration(abs(millis))
                case let value: throw arguments.fail("value", "number", got: value)
                }
            }),
        Builtin(
            "round",
            "A number rounded to the given number of decimals (0: an int; -2: to hundreds, a float unless the value is an int).",
            parameters: [ParameterSpec("value", .number), .optional("decimals", .int)],
            body: .sync { arguments in
                let number = try arguments.double("value")
                let decimals = try arguments.optionalInt("decimals") ?? 0
                if decimals < 0 {
                    let scale = pow(10, Double(decimals < -19 ? 19 : -decimals))
                    let rounded = (number / scale).rounded() * scale
                    guard case .int = arguments.values[0] else { return .float(rounded) }
                    guard let integer = Checked.int(rounded) else {
                        throw arguments.failure("cannot round \(number) to an int (out of range)")
                    }
                    return .int(integer)
                }
                if decimals == 0 {
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
            parameters: [ParameterSpec("start", .int), .optional("end", .int)],
            body: .sync { arguments in
                let first = try arguments.int("start")
                guard let end = try arguments.optionalInt("end") else { return .range(from: 0, upTo: first) }
                return .range(from: first, upTo: end)
            }),
        Builtin(
            "error", "An error value with a message and optional code, to throw.",
            parameters: [ParameterSpec("message", .string), .optional("code")],
            body: .sync { arguments in
                .error(
                    ErrorValue(
                        message: try arguments.string("message"), kind: .user, code: arguments.value("code") ?? .null))
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
        case .string(let text), .status(let text): text.value.count
        case .range(let span): Checked.count(span.lower, span.last).map { Int($0) }
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
