/// A built-in function or method, declared once: its name, parameters and summary feed argument
/// checking, `help(x)`, completion and the generated docs.
public final class Builtin: Sendable {
    public enum Body: Sendable {
        /// Runs on the interpreter's thread; may call back into the program (`map`, `filter`).
        case sync(@Sendable (inout Arguments) throws -> Value)
        /// Runs off the interpreter's thread (network, sleeping); cancellation reaches it.
        case async(@Sendable (Arguments) async throws -> Value)
    }

    /// `print`, `vms.create`, `list.map`.
    public let name: String
    public let summary: String
    public let parameters: [ParameterSpec]
    /// Extra positional arguments are collected (`print(a, b, c)`).
    public let variadic: Bool
    public let body: Body

    public init(_ name: String, _ summary: String, parameters: [ParameterSpec] = [], variadic: Bool = false, body: Body)
    {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.variadic = variadic
        self.body = body
    }

    /// The method name after the last dot.
    public var shortName: String { String(name.split(separator: ".").last ?? Substring(name)) }

    /// `vms.create(name:, vmTypeId:, region:, isSpot: = 0)`
    public var signature: String {
        let parameters = parameters.map { $0.required ? $0.name : "\($0.name)?" }
        return "\(name)(\(parameters.joined(separator: ", "))\(variadic ? ", ..." : ""))"
    }
}

/// One parameter of a built-in.
public struct ParameterSpec: Sendable {
    public let name: String
    /// What the argument must be, for messages and checks (`int`, `string`, `function`, `any`).
    public let type: String
    public let required: Bool
    public let summary: String

    public init(_ name: String, _ type: String = "any", required: Bool = true, _ summary: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }

    public static func optional(_ name: String, _ type: String = "any", _ summary: String = "") -> ParameterSpec {
        ParameterSpec(name, type, required: false, summary)
    }
}

/// The arguments of one built-in call, matched to its parameters, with the one checking helper
/// every built-in uses: errors read the same everywhere
/// (`bad argument 'gpuCount' to 'pods.create' (int expected, got string)`).
///
/// The built-in and the context are not retained (a retain and a release of each per call showed
/// in the profile of method calls): arguments live only as long as the call they are made for —
/// an async body is awaited before the call returns — and built-ins live with their library,
/// contexts with the program.
public struct Arguments: @unchecked Sendable {
    public unowned(unsafe) let builtin: Builtin
    /// The value a method was called on.
    public let receiver: Value
    /// One per parameter, nil when not given.
    public var values: ArgumentValues
    /// Positional arguments beyond the parameters (variadic built-ins).
    public var rest: [Value]
    /// Named arguments a variadic or open built-in accepts beyond its parameters.
    public var extraNamed: [(String, Value)]
    let range: SourceRange
    unowned(unsafe) let context: ExecutionContext?

    public var name: String { builtin.name }

    /// The arguments with every list, map and record copied (see `Detacher`): what an async body
    /// gets, made while the interpreter lock is held.
    func detached() throws -> Arguments {
        var detacher = Detacher()
        func copy(_ value: Value) throws -> Value {
            do {
                return try detacher.copy(value)
            } catch {
                throw failure(
                    "an argument nested more than \(Detacher.maximumDepth) levels deep cannot be passed to '\(name)'")
            }
        }
        return Arguments(
            builtin: builtin, receiver: try copy(receiver), values: ArgumentValues(try values.map { try $0.map(copy) }),
            rest: try rest.map(copy), extraNamed: try extraNamed.map { ($0.0, try copy($0.1)) }, range: range,
            context: context)
    }

    func index(_ parameter: String) -> Int? { builtin.parameters.firstIndex { $0.name == parameter } }

    /// The argument for a parameter, or nil when it was not given (or given as null).
    public func value(_ parameter: String) -> Value? {
        guard let index = index(parameter), let value = values[index] else { return nil }
        if case .null = value { return nil }
        return value
    }

    public func fail(_ parameter: String, _ expected: String, got value: Value) -> RuntimeError {
        failure(
            "bad argument '\(parameter)' to '\(builtin.name)' (\(expected) expected, got \(value.typeName))",
            kind: "argument")
    }

    public func failure(_ message: String, kind: String = "runtime", id: MessageID = .badArgument) -> RuntimeError {
        var error = RuntimeError(id, message, at: range, kind: kind)
        error.stack = context?.stack.reversed() ?? []
        return error
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

    public func function(_ parameter: String) throws -> Function {
        let value = try required(parameter)
        guard case .function(let function) = value else { throw fail(parameter, "function", got: value) }
        return function
    }

    /// Calls a function value from a sync built-in (`map`, `filter`, `sort`).
    public func call(_ function: Function, _ arguments: [Value]) throws -> Value {
        guard let context else { throw failure("cannot call back into the program here") }
        return try Interpreter.call(function, arguments: arguments, named: [], at: range, context: context)
    }

    /// The execution context's cancellation check, for long loops in built-ins.
    public func checkCancelled() throws { try context?.checkCancelled() }

    /// Writes a line to the program's output.
    public func print(_ line: String) { context?.runtime.output(line) }

    /// Prints values: as a line of `text` or, in a value-output mode (`--json`), as the values.
    public func print(_ values: [Value], text: () -> String) {
        guard let runtime = context?.runtime else { return }
        if let valueOutput = runtime.valueOutput { valueOutput(values) } else { runtime.output(text()) }
    }

    /// Sleeps on the program's clock.
    public func sleep(_ duration: Duration) async throws {
        guard let clock = context?.runtime.clock else { return }
        try await clock.sleep(for: duration)
    }

    public var now: Duration { context?.runtime.clock.now() ?? .zero }
}

/// One value (or nil) per parameter of a call. The first three are stored inline: most built-ins
/// take no more, and a call then allocates no array (an array of `Value?` per call, its metadata
/// lookup and its release showed as a fifth of a method call's time).
public struct ArgumentValues: RandomAccessCollection, MutableCollection {
    private var first: Value?
    private var second: Value?
    private var third: Value?
    private var more: [Value?]
    public let count: Int

    /// `count` places, all nil.
    public init(count: Int) {
        self.count = count
        more = count > 3 ? Array(repeating: nil, count: count - 3) : []
    }

    public init(_ values: [Value?]) {
        self.init(count: values.count)
        for (index, value) in values.enumerated() { self[index] = value }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> Value? {
        get {
            switch index {
            case 0: first
            case 1: second
            case 2: third
            default: more[index - 3]
            }
        }
        set {
            switch index {
            case 0: first = newValue
            case 1: second = newValue
            case 2: third = newValue
            default: more[index - 3] = newValue
            }
        }
    }
}
