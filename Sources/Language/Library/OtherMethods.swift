/// Methods of maps, durations, ranges, numbers and functions.
enum OtherMethods {
    static func register(into library: Library) {
        @Sendable func property(
            _ type: String, _ name: String, _ summary: String,
            _ body: @escaping @Sendable (Value, Arguments) throws -> Value
        ) {
            library.registerMethod(
                Builtin(
                    "\(type).\(name)", summary, body: .sync { arguments in try body(arguments.receiver, arguments) }),
                on: type, property: true)
        }
        property("map", "len", "The number of entries.") { .int(Int64(try map($0, $1).count)) }
        property("map", "isEmpty", "Whether the map has no entries.") { .bool(try map($0, $1).count == 0) }
        property("map", "keys", "The keys, in insertion order.") {
            .list(ListBox(try map($0, $1).orderedKeys.map { .string($0) }))
        }
        property("map", "values", "The values, in insertion order.") { .list(ListBox(try map($0, $1).pairs.map(\.1))) }
        let mapMethods = [
            Builtin(
                "map.get", "The value of a key, or the default.",
                parameters: [ParameterSpec("key", .string), .optional("default")],
                body: .sync { arguments in
                    try map(arguments.receiver, arguments)[try arguments.string("key")] ?? arguments.value("default")
                        ?? .null
                },
                direct: { receiver, key in
                    guard case .map(let map) = receiver, case .string(let text) = key else { return nil }
                    return map[text.value]
                }),
            Builtin(
                "map.contains", "Whether the key is in the map.", parameters: [ParameterSpec("key", .string)],
                body: .sync { arguments in
                    .bool(try map(arguments.receiver, arguments)[try arguments.string("key")] != nil)
                },
                direct: { receiver, key in
                    guard case .map(let map) = receiver, case .string(let text) = key else { return nil }
                    return .bool(map[text.value] != nil)
                }),
            Builtin(
                "map.remove", "Removes a key; returns its value or null.", parameters: [ParameterSpec("key", .string)],
                body: .sync { arguments in
                    let box = try map(arguments.receiver, arguments)
                    let key = try arguments.string("key")
                    let value = box[key]
                    box[key] = nil
                    return value ?? .null
                }),
            Builtin(
                "map.entries", "The [key, value] pairs, in insertion order.",
                body: .sync { arguments in
                    .list(
                        ListBox(
                            try map(arguments.receiver, arguments).pairs.map { .list(ListBox([.string($0.0), $0.1])) }))
                }),
            Builtin(
                "map.copy", "A shallow copy of the map.",
                body: .sync { arguments in
                    .map(MapBox(try map(arguments.receiver, arguments).pairs))
                }),
        ]
        for builtin in mapMethods { library.registerMethod(builtin, on: "map") }

        property("duration", "ms", "The duration in milliseconds.") { value, _ in
            if case .duration(let millis) = value { .int(millis) } else { .int(0) }
        }
        property("duration", "seconds", "The duration in seconds.") { value, _ in .float(millis(value) / 1000) }
        property("duration", "minutes", "The duration in minutes.") { value, _ in .float(millis(value) / 60_000) }
        property("duration", "hours", "The duration in hours.") { value, _ in .float(millis(value) / 3_600_000) }

        property("time", "epochMs", "Milliseconds since 1970-01-01T00:00:00Z.") { value, _ in
            if case .time(let millis) = value { .int(millis) } else { .null }
        }
        property("time", "iso", "The time as ISO 8601 text, in UTC.") { value, _ in .string(Printer.text(value)) }

        property("range", "len", "The number of ints in the range.") { value, arguments in
            guard let count = Checked.count(bounds(value).0, bounds(value).1) else {
                throw arguments.failure("range too large to count (more than 2^63 ints)")
            }
            return .int(count)
        }
        property("range", "isEmpty", "Whether the range has no ints.") { value, _ in
            .bool(bounds(value).1 < bounds(value).0)
        }
        property("range", "first", "The first int, or null.") { value, _ in
            bounds(value).1 >= bounds(value).0 ? .int(bounds(value).0) : .null
        }
        property("range", "last", "The last int, or null.") { value, _ in
            bounds(value).1 >= bounds(value).0 ? .int(bounds(value).1) : .null
        }
        library.registerMethod(
            Builtin(
                "range.list", "The ints as a list.",
                body: .sync { arguments in
                    let (lower, upper) = bounds(arguments.receiver)
                    guard let count = Checked.count(lower, upper), count <= 50_000_000 else {
                        throw arguments.failure("range too large for a list")
                    }
                    return .list(ListBox(Checked.ints(lower, upper)))
                }), on: "range")
        library.registerMethod(
            Builtin(
                "range.contains", "Whether the int is in the range.", parameters: [ParameterSpec("value", .int)],
                body: .sync { arguments in
                    let (lower, upper) = bounds(arguments.receiver)
                    let value = try arguments.int("value")
                    return .bool(value >= lower && value <= upper)
                }), on: "range")
        for type in ["range", "list"] {
            for name in ["map", "filter", "all", "any", "find", "sum", "join", "count"] where type == "range" {
                guard let builtin = library.methods["list"]?[name] else { continue }
                library.registerMethod(
                    Builtin(
                        "range.\(name)", builtin.summary, parameters: builtin.parameters,
                        body: .sync { arguments in
                            let (lower, upper) = bounds(arguments.receiver)
                            guard let count = Checked.count(lower, upper), count <= 50_000_000 else {
                                throw arguments.failure("range too large")
                            }
                            var forwarded = arguments
                            forwarded = Arguments(
                                builtin: builtin, receiver: .list(ListBox(Checked.ints(lower, upper))),
                                values: arguments.values,
                                rest: arguments.rest, extraNamed: arguments.extraNamed, range: arguments.range,
                                context: arguments.context)
                            guard case .sync(let body) = builtin.body else { return .null }
                            return try body(&forwarded)
                        }), on: "range")
            }
        }
    }
}

extension OtherMethods {
    @Sendable static func map(_ value: Value, _ arguments: Arguments) throws -> MapBox {
        guard case .map(let map) = value else { throw arguments.failure("'\(arguments.name)' needs a map") }
        return map
    }

    @Sendable static func millis(_ value: Value) -> Double {
        if case .duration(let millis) = value { Double(millis) } else { 0 }
    }

    @Sendable static func bounds(_ value: Value) -> (Int64, Int64) {
        if case .range(let span) = value { (span.lower, span.last) } else { (0, -1) }
    }
}
