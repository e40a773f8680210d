import Synchronization

/// Reading a built-in's arguments, with the one set of checks every built-in uses, so that errors
/// read the same everywhere (`bad argument 'gpuCount' to 'pods.create' (int expected, got
/// string)`): `Arguments` for a body on the interpreter's thread, `AsyncArguments` off it.
public protocol ArgumentReader {
    var builtin: Builtin { get }
    /// The argument for a parameter, or nil when it was not given (or given as null).
    func value(_ parameter: String) -> Value?
    func failure(_ message: String, kind: ErrorKind, id: MessageID) -> RuntimeError
}

extension ArgumentReader {
    public var name: String { builtin.name }

    /// Where a parameter is in the built-in's list.
    func index(_ parameter: String) -> Int? { builtin.parameters.firstIndex { $0.name == parameter } }

    public func failure(_ message: String, kind: ErrorKind = .runtime) -> RuntimeError {
        failure(message, kind: kind, id: .badArgument)
    }

    public func fail(_ parameter: String, _ expected: String, got value: Value) -> RuntimeError {
        failure(
            "bad argument '\(parameter)' to '\(builtin.name)' (\(expected) expected, got \(value.typeName))",
            kind: .argument)
    }

    public func required(_ parameter: String) throws -> Value {
        guard let value = value(parameter) else {
            throw failure("missing argument '\(parameter)' to '\(builtin.name)'")
        }
        return value
    }

    public func int(_ parameter: String) throws -> Int64 {
        let value = try required(parameter)
        if case .int(let number) = value { return number }
        if case .float(let number) = value, number.rounded() == number, abs(number) < 9e18 { return Int64(number) }
        throw fail(parameter, "int", got: value)
    }

    public func optionalInt(_ parameter: String) throws -> Int64? {
        value(parameter) == nil ? nil : try int(parameter)
    }

    public func double(_ parameter: String) throws -> Double {
        let value = try required(parameter)
        switch value {
        case .int(let number): return Double(number)
        case .float(let number): return number
        default: throw fail(parameter, "number", got: value)
        }
    }

    public func optionalDouble(_ parameter: String) throws -> Double? {
        value(parameter) == nil ? nil : try double(parameter)
    }

    public func string(_ parameter: String) throws -> String {
        let value = try required(parameter)
        switch value {
        case .string(let text), .status(let text): return text.value
        default: throw fail(parameter, "string", got: value)
        }
    }

    public func optionalString(_ parameter: String) throws -> String? {
        value(parameter) == nil ? nil : try string(parameter)
    }

    public func bool(_ parameter: String) throws -> Bool {
        let value = try required(parameter)
        guard case .bool(let flag) = value else { throw fail(parameter, "bool", got: value) }
        return flag
    }

    public func optionalBool(_ parameter: String) throws -> Bool? {
        value(parameter) == nil ? nil : try bool(parameter)
    }

    public func duration(_ parameter: String) throws -> Duration {
        let value = try required(parameter)
        switch value {
        case .duration(let millis): return .milliseconds(millis)
        case .int(let seconds):
            guard seconds.multipliedReportingOverflow(by: 1000).overflow == false else {
                throw failure("bad argument '\(parameter)' to '\(builtin.name)' (duration out of range)")
            }
            return .seconds(seconds)
        case .float(let seconds):
            guard let millis = Checked.millis(seconds * 1000) else {
                throw failure("bad argument '\(parameter)' to '\(builtin.name)' (\(seconds) is not a duration)")
            }
            return .milliseconds(millis)
        default: throw fail(parameter, "duration", got: value)
        }
    }

    /// A point in time, as epoch milliseconds: a time (`now() - 1h`, `time("2026-12-01")`), an int of
    /// epoch milliseconds, ISO 8601 text, or a duration meaning that long before `now`
    /// (`start: 30m`, `--start 30m` on the command line). Nil when not given.
    public func optionalInstant(_ parameter: String, now: Int64) throws -> Int64? {
        guard let value = value(parameter) else { return nil }
        switch value {
        case .time(let millis), .int(let millis): return millis
        case .duration(let millis): return now - millis
        case .string(let text):
            if let millis = TimeText.parse(text.value) ?? Int64(text.value) { return millis }
            throw failure(
                "bad argument '\(parameter)' to '\(builtin.name)': a time expected: a time value, ISO 8601 text "
                    + "(2026-12-01T20:00:00Z), epoch ms, or a duration ago (30m) (got '\(text.value)')")
        default: throw fail(parameter, "time", got: value)
        }
    }

    public func list(_ parameter: String) throws -> ListBox {
        let value = try required(parameter)
        guard case .list(let list) = value else { throw fail(parameter, "list", got: value) }
        return list
    }

    public func map(_ parameter: String) throws -> MapBox {
        let value = try required(parameter)
        guard case .map(let map) = value else { throw fail(parameter, "map", got: value) }
        return map
    }
}

/// The arguments of an async built-in: copies made while the interpreter lock was held, as values
/// the compiler checks can cross threads (`SendableValue`), with the call stack an error reports.
/// Reading one (`value`, `string`, …) gives a fresh `Value`, shared with nothing.
public struct AsyncArguments: ArgumentReader, Sendable {
    public let builtin: Builtin
    /// The value a method was called on.
    public let receiver: SendableValue
    /// One per parameter, nil when not given.
    public let values: [SendableValue?]
    /// Positional arguments beyond the parameters (variadic built-ins).
    public let rest: [SendableValue]
    /// Named arguments a variadic or open built-in accepts beyond its parameters.
    public let extraNamed: [(String, SendableValue)]
    let range: SourceRange
    let stack: [(String, SourceRange)]
    let clock: (any LanguageClock)?
    /// What a method that changed its receiver read of it afterwards (`updateReceiver`).
    let receiverUpdate = ReceiverUpdate()

    final class ReceiverUpdate: Sendable {
        let fresh = Mutex<Value?>(nil)
    }

    /// For a method that changes the thing its receiver describes (`pod.pause()`): the thing as it
    /// is now, which the receiver takes in place once the method returns.
    public func updateReceiver(_ fresh: Value) {
        receiverUpdate.fresh.withLock { $0 = fresh }
    }

    /// Copies `arguments`: to be made while the interpreter lock is held.
    init(copying arguments: Arguments) throws {
        func copy(_ value: Value) throws -> SendableValue {
            do {
                return try SendableValue(copying: value)
            } catch .cycle {
                throw arguments.failure("an argument that contains itself cannot be passed to '\(arguments.name)'")
            } catch .tooDeep {
                throw arguments.failure(
                    "an argument nested more than \(SendableValue.maximumDepth) levels deep cannot be passed to '\(arguments.name)'"
                )
            } catch {
                throw arguments.failure(
                    "an argument of more than \(SendableValue.maximumSize.formatted()) values cannot be passed to '\(arguments.name)'"
                )
            }
        }
        builtin = arguments.builtin
        receiver = try copy(arguments.receiver)
        values = try arguments.values.map { try $0.map(copy) }
        rest = try arguments.rest.map(copy)
        extraNamed = try arguments.extraNamed.map { ($0.0, try copy($0.1)) }
        // A function stays with the program: sent, it would become its name (a VM named `<lambda>`).
        let named = zip(arguments.builtin.parameters.map(\.name), values).compactMap { name, value in
            value.map { (name, $0) }
        }
        for (name, value) in named + rest.map({ ("", $0) }) + extraNamed where value.containsFunction {
            throw arguments.failure(
                "bad argument \(name.isEmpty ? "" : "'\(name)' ")to '\(arguments.name)' (a function cannot be passed "
                    + "to it: call it and pass its result)", kind: .argument)
        }
        range = arguments.range
        stack = arguments.context?.stack.reversed() ?? []
        clock = arguments.context?.runtime.clock
    }

    public func value(_ parameter: String) -> Value? {
        guard let index = index(parameter), let value = values[index] else { return nil }
        if case .null = value { return nil }
        return value.value
    }

    public func failure(_ message: String, kind: ErrorKind = .runtime, id: MessageID = .badArgument) -> RuntimeError {
        var error = RuntimeError(id, message, at: range, kind: kind)
        error.stack = stack
        return error
    }

    /// Sleeps on the program's clock.
    public func sleep(_ duration: Duration) async throws {
        guard let clock else { return }
        try await clock.sleep(for: duration)
    }
}
