/// Methods of lists.
enum ListMethods {
    static func register(into library: Library) {
        let property: (String, String, @escaping @Sendable (ListBox) -> Value) -> Void = { name, summary, body in
            library.registerMethod(
                Builtin("list.\(name)", summary, body: .sync { arguments in body(try receiver(arguments)) }),
                on: "list", property: true)
        }
        property("len", "The number of items.") { .int(Int64($0.items.count)) }
        property("isEmpty", "Whether the list has no items.") { .bool($0.items.isEmpty) }
        property("first", "The first item, or null.") { $0.items.first ?? .null }
        property("last", "The last item, or null.") { $0.items.last ?? .null }
        for builtin in methods { library.registerMethod(builtin, on: "list") }
    }

    static func receiver(_ arguments: Arguments) throws -> ListBox {
        guard case .list(let list) = arguments.receiver else {
            throw arguments.failure("'\(arguments.name)' needs a list")
        }
        return list
    }

    /// Calls `f` with an item (and its index when `f` takes two parameters).
    static func apply(_ arguments: Arguments, _ function: Function, _ item: Value, _ index: Int) throws -> Value {
        if case .user(let compiled, _) = function.kind, compiled.parameterNames.count == 2 {
            return try arguments.call(function, [item, .int(Int64(index))])
        }
        return try arguments.call(function, [item])
    }

    static let methods: [Builtin] = [
        Builtin(
            "list.append", "Adds an item at the end; returns the list.", parameters: [ParameterSpec("item")],
            body: .sync { arguments in
                let list = try receiver(arguments)
                guard list.items.count < Limits.maximumListCount else { throw arguments.failure(Limits.listMessage) }
                list.items.append(arguments.values[0] ?? .null)
                return arguments.receiver
            },
            direct: { receiver, item in
                guard case .list(let list) = receiver, list.items.count < Limits.maximumListCount else { return nil }
                list.items.append(item)
                return receiver
            }),
        Builtin(
            "list.extend", "Adds every item of another list.", parameters: [ParameterSpec("items", .list)],
            body: .sync { arguments in
                let list = try receiver(arguments)
                let items = try arguments.list("items").items
                guard list.items.count + items.count <= Limits.maximumListCount else {
                    throw arguments.failure(Limits.listMessage)
                }
                list.items += items
                return arguments.receiver
            }),
        Builtin(
            "list.insert", "Inserts an item at a position.",
            parameters: [ParameterSpec("index", .int), ParameterSpec("item")],
            body: .sync { arguments in
                let list = try receiver(arguments)
                let index = try arguments.int("index")
                guard index >= 0, index <= list.items.count else {
                    throw arguments.failure(
                        "index \(index) out of range (list of \(list.items.count))", id: .indexOutOfRange)
                }
                list.items.insert(arguments.values[1] ?? .null, at: Int(index))
                return arguments.receiver
            }),
        Builtin(
            "list.pop", "Removes and returns the last item (or the item at an index).",
            parameters: [.optional("index", .int)],
            body: .sync { arguments in
                let list = try receiver(arguments)
                guard !list.items.isEmpty else {
                    throw arguments.failure("pop from an empty list", id: .indexOutOfRange)
                }
                guard let index = try arguments.optionalInt("index") else { return list.items.removeLast() }
                guard let position = Interpreter.position(index, count: list.items.count) else {
                    throw arguments.failure(
                        "index \(index) out of range (list of \(list.items.count))", id: .indexOutOfRange)
                }
                return list.items.remove(at: position)
            }),
        Builtin(
            "list.remove", "Removes the first item equal to the argument; returns whether one was found.",
            parameters: [ParameterSpec("item")],
            body: .sync { arguments in
                let list = try receiver(arguments)
                let item = arguments.values[0] ?? .null
                guard let index = list.items.firstIndex(where: { Operators.equal($0, item) }) else {
                    return .bool(false)
                }
                list.items.remove(at: index)
                return .bool(true)
            }),
        Builtin(
            "list.contains", "Whether an item equal to the argument is in the list.",
            parameters: [ParameterSpec("item")],
            body: .sync { arguments in
                let item = arguments.values[0] ?? .null
                return .bool(try receiver(arguments).items.contains { Operators.equal($0, item) })
            }),
        Builtin(
            "list.indexOf", "The position of the first item equal to the argument, or -1.",
            parameters: [ParameterSpec("item")],
            body: .sync { arguments in
                let item = arguments.values[0] ?? .null
                return .int(Int64(try receiver(arguments).items.firstIndex { Operators.equal($0, item) } ?? -1))
            }),
        Builtin(
            "list.map", "A new list of f(item) for each item.", parameters: [ParameterSpec("f", .function)],
            body: .sync { arguments in
                let function = try arguments.function("f")
                let items = try receiver(arguments).items
                var result: [Value] = []
                result.reserveCapacity(items.count)
                for (index, item) in items.enumerated() { result.append(try apply(arguments, function, item, index)) }
                return .list(ListBox(result))
            }),
        Builtin(
            "list.filter", "A new list of the items for which f(item) is true.",
            parameters: [ParameterSpec("f", .function)],
            body: .sync { arguments in
                let function = try arguments.function("f")
                var result: [Value] = []
                for (index, item) in try receiver(arguments).items.enumerated()
                where try apply(arguments, function, item, index).isTruthy {
                    result.append(item)
                }
                return .list(ListBox(result))
            }),
        Builtin(
            "list.find", "The first item for which f(item) is true, or null.",
            parameters: [ParameterSpec("f", .function)],
            body: .sync { arguments in
                let function = try arguments.function("f")
                for (index, item) in try receiver(arguments).items.enumerated()
                where try apply(arguments, function, item, index).isTruthy {
                    return item
                }
                return .null
            }),
        Builtin(
            "list.all", "Whether f(item) is true for every item.", parameters: [ParameterSpec("f", .function)],
            body: .sync { arguments in
                let function = try arguments.function("f")
                for (index, item) in try receiver(arguments).items.enumerated()
                where !(try apply(arguments, function, item, index).isTruthy) {
                    return .bool(false)
                }
                return .bool(true)
            }),
        Builtin(
            "list.any", "Whether f(item) is true for some item.", parameters: [ParameterSpec("f", .function)],
            body: .sync { arguments in
                let function = try arguments.function("f")
                for (index, item) in try receiver(arguments).items.enumerated()
                where try apply(arguments, function, item, index).isTruthy {
                    return .bool(true)
                }
                return .bool(false)
            }),
        Builtin(
            "list.count", "How many items f(item) is true for (all items without f).",
            parameters: [.optional("f", .function)],
            body: .sync { arguments in
                let items = try receiver(arguments).items
                guard arguments.value("f") != nil else { return .int(Int64(items.count)) }
                let function = try arguments.function("f")
                var count: Int64 = 0
                for (index, item) in items.enumerated() where try apply(arguments, function, item, index).isTruthy {
                    count += 1
                }
                return .int(count)
            }),
        Builtin(
            "list.sum", "The sum of the items (numbers or durations); 0 for an empty list.",
            body: .sync { arguments in
                let items = try receiver(arguments).items
                guard var total = items.first else { return .int(0) }
                for item in items.dropFirst() {
                    guard let context = arguments.context else { break }
                    total = try Operators.binary(.add, total, item, at: arguments.range, context: context)
                }
                return total
            }),
        Builtin(
            "list.sort", "Sorts the list in place (by key(item), or with less(a, b)); returns it.",
            parameters: [.optional("by", .function)],
            body: .sync { arguments in
                let list = try receiver(arguments)
                var failure: RuntimeError?
                if let function = arguments.value("by").flatMap({ if case .function(let f) = $0 { f } else { nil } }) {
                    // The function may change the list while it sorts: a copy is sorted, then stored
                    // (sorting the list's own storage in place under a mutating comparator corrupted memory).
                    let items = list.items
                    if case .user(let compiled, _) = function.kind, compiled.parameterNames.count == 2 {
                        var sorted = items
                        try sorted.sort { a, b in try arguments.call(function, [a, b]).isTruthy }
                        list.items = sorted
                    } else {
                        let keys = try items.map { try arguments.call(function, [$0]) }
                        let order = keys.indices.sorted { a, b in
                            guard let result = Operators.compare(keys[a], keys[b]) else {
                                failure = arguments.failure(
                                    "cannot compare \(keys[a].typeName) with \(keys[b].typeName)")
                                return false
                            }
                            return result < 0
                        }
                        list.items = order.map { items[$0] }
                    }
                } else {
                    list.items.sort { a, b in
                        guard let result = Operators.compare(a, b) else {
                            failure = arguments.failure("cannot compare \(a.typeName) with \(b.typeName)")
                            return false
                        }
                        return result < 0
                    }
                }
                if let failure { throw failure }
                return arguments.receiver
            }),
        Builtin(
            "list.reverse", "Reverses the list in place; returns it.",
            body: .sync { arguments in
                try receiver(arguments).items.reverse()
                return arguments.receiver
            }),
        Builtin(
            "list.slice", "The items from start up to (not including) end; negative counts from the end.",
            parameters: [ParameterSpec("start", .int), .optional("end", .int)],
            body: .sync { arguments in
                let items = try receiver(arguments).items
                func clamp(_ index: Int64) -> Int {
                    Int(max(0, min(Int64(items.count), index < 0 ? Int64(items.count) + index : index)))
                }
                let start = clamp(try arguments.int("start"))
                let end = clamp(try arguments.optionalInt("end") ?? Int64(items.count))
                return .list(ListBox(start < end ? Array(items[start..<end]) : []))
            }),
        Builtin(
            "list.join", "The items as text joined by a separator.", parameters: [.optional("separator", .string)],
            body: .sync { arguments in
                .string(
                    try receiver(arguments).items.map(Printer.text).joined(
                        separator: try arguments.optionalString("separator") ?? ""))
            }),
        Builtin(
            "list.copy", "A shallow copy of the list.",
            body: .sync { arguments in .list(ListBox(try receiver(arguments).items)) }),
        Builtin(
            "list.unique", "The items without repeats, first occurrence kept.",
            body: .sync { arguments in
                var result: [Value] = []
                for item in try receiver(arguments).items where !result.contains(where: { Operators.equal($0, item) }) {
                    result.append(item)
                }
                return .list(ListBox(result))
            }),
    ]
}
