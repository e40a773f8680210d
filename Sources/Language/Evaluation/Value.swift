/// A value of the language.
public enum Value: @unchecked Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    /// Milliseconds.
    case duration(Int64)
    /// A predeclared status word (`running`): equal to any string that matches it ignoring case.
    case status(String)
    case list(ListBox)
    case map(MapBox)
    /// The ints `lower...last`; empty when `last < lower` (see `Value.range(from:through:)`). Stored
    /// inclusive so that a range can end at Int64.max.
    case range(Int64, Int64)
    case function(Function)
    case error(ErrorValue)
    case record(Record)
    /// A variable captured by a closure (never seen by programs).
    case box(Box)

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .duration: "duration"
        case .status: "status"
        case .list: "list"
        case .map: "map"
        case .range: "range"
        case .function: "function"
        case .error: "error"
        case .record(let record): record.type.name
        case .box: "box"
        }
    }

    /// A range from its first and last ints; an empty one when `last < lower` (kept as `lower...lower - 1`,
    /// or `0...-1` when that would overflow).
    static func range(from lower: Int64, through last: Int64) -> Value {
        if last >= lower { return .range(lower, last) }
        return lower == Int64.min ? .range(0, -1) : .range(lower, lower - 1)
    }

    /// A half-open range `lower..<upper`.
    static func range(from lower: Int64, upTo upper: Int64) -> Value {
        upper > lower ? .range(lower, upper - 1) : .range(from: lower, through: Int64.min)
    }

    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .float(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let list): !list.items.isEmpty
        case .map(let map): map.count > 0
        default: true
        }
    }
}

/// A list: shared and mutable, like Python's.
/// Interpreter objects are touched only by the thread holding the interpreter lock.
public final class ListBox: @unchecked Sendable {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// A map from string keys to values, in insertion order.
public final class MapBox: @unchecked Sendable {
    private(set) var keys: [String] = []
    private(set) var storage: [String: Value] = [:]

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { storage.count }
    public var orderedKeys: [String] { keys }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var pairs: [(String, Value)] { keys.compactMap { key in storage[key].map { (key, $0) } } }
}

/// A mutable cell shared between a function and the closures that capture its variable.
public final class Box: @unchecked Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

/// A caught error: `e.message`, `e.code`, `e.kind`, and for a `throw` of a value, `e.value`.
public final class ErrorValue: @unchecked Sendable {
    public let message: String
    public let kind: String
    public let code: Value
    public let value: Value
    /// Extra fields the host attaches (`operation`, `resourceId`).
    public let details: [String: Value]
    /// The diagnostic the error was raised as, so that `throw e` raises it again as the same one
    /// (an API error rethrown still ends the program with exit code 2).
    public let origin: MessageID?

    public init(
        message: String, kind: String, code: Value = .null, value: Value = .null, details: [String: Value] = [:],
        origin: MessageID? = nil
    ) {
        self.message = message
        self.kind = kind
        self.code = code
        self.value = value
        self.details = details
        self.origin = origin
    }
}

/// A record of a host-defined type: fields, and methods from the type.
public final class Record: @unchecked Sendable {
    public let type: RecordType
    public var fields: [String: Value]

    public init(type: RecordType, fields: [String: Value]) {
        self.type = type
        self.fields = fields
    }
}
