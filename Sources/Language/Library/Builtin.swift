/// A built-in function or method, declared once: its name, parameters and summary feed argument
/// checking, `help(x)`, completion and the generated docs.
public final class Builtin: Sendable {
    public enum Body: Sendable {
        /// Runs on the interpreter's thread; may call back into the program (`map`, `filter`).
        case sync(@Sendable (inout Arguments) throws -> Value)
        /// Runs off the interpreter's thread (network, sleeping), with copies of its arguments the
        /// compiler checks can cross threads; cancellation reaches it.
        case async(@Sendable (AsyncArguments) async throws -> Value)
    }

    /// `print`, `vms.create`, `list.map`.
    public let name: String
    public let summary: String
    public let parameters: [ParameterSpec]
    /// Extra positional arguments are collected (`print(a, b, c)`).
    public let variadic: Bool
    public let body: Body
    /// A hot method's common case (`xs.append(x)`, `m.get(k)`), called by a method call site with the
    /// receiver and its one positional argument, without building `Arguments`; nil sends the call
    /// to `body`, which checks the arguments and reports what is wrong. Same result as `body`.
    public let direct: Direct?

    public typealias Direct = @Sendable (_ receiver: Value, _ argument: Value) -> Value?

    public init(
        _ name: String, _ summary: String, parameters: [ParameterSpec] = [], variadic: Bool = false, body: Body,
        direct: Direct? = nil
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.variadic = variadic
        self.body = body
        self.direct = direct
    }

    /// The method name after the last dot.
    public var shortName: String { String(name.split(separator: ".").last ?? Substring(name)) }

    /// `vms.create(name:, vmTypeId:, region:, isSpot: = 0)`
    public var signature: String {
        let parameters = parameters.map { $0.required ? $0.name : "\($0.name)?" }
        return "\(name)(\(parameters.joined(separator: ", "))\(variadic ? ", ..." : ""))"
    }
}

/// What a parameter takes, as a signature shows it (`name: int`) and a one-line command's help
/// (`--gpu-count INT`); the parameter's `Shape`, when declared, says it in full.
public enum ParameterType: String, Sendable, CaseIterable, CustomStringConvertible {
    case any, bool, int, number, string, id, time, duration, function, list, map
    case stringOrInt = "string or int"

    public var description: String { rawValue }
}

/// One parameter of a built-in.
public struct ParameterSpec: Sendable {
    public let name: String
    /// What the argument must be, for messages and checks (`int`, `string`, `function`, `any`).
    public let type: ParameterType
    public let required: Bool
    public let summary: String
    /// Its value's shape in full (nested keys, allowed values, limits), when declared: checked by
    /// `gpus check` on literals and before the call on the values it gets.
    public let shape: Shape?

    public init(
        _ name: String, _ type: ParameterType = .any, required: Bool = true, _ summary: String = "", shape: Shape? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
        self.shape = shape
    }

    /// The same parameter with another summary or shape.
    public func with(summary: String? = nil, shape: Shape? = nil) -> ParameterSpec {
        ParameterSpec(name, type, required: required, summary ?? self.summary, shape: shape ?? self.shape)
    }

    public static func optional(_ name: String, _ type: ParameterType = .any, _ summary: String = "") -> ParameterSpec {
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
public struct Arguments: ArgumentReader {
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

    /// The argument for a parameter, or nil when it was not given (or given as null).
    public func value(_ parameter: String) -> Value? {
        guard let index = index(parameter), let value = values[index] else { return nil }
        if case .null = value { return nil }
        return value
    }

    public func failure(_ message: String, kind: ErrorKind = .runtime, id: MessageID = .badArgument) -> RuntimeError {
        var error = RuntimeError(id, message, at: range, kind: kind)
        error.stack = context?.stack.reversed() ?? []
        return error
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
