import Foundation

/// A value as it crosses to code that runs without the interpreter lock (the body of an async
/// built-in): an immutable tree of plain data, which the compiler checks is `Sendable` — unlike
/// `Value`, whose lists, maps and records are objects the program may change. Made from a value
/// while the lock is held (`init(copying:)`); `value` makes a fresh `Value` of it where one is
/// needed, never shared with the program.
public indirect enum SendableValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case duration(Int64)
    case time(Int64)
    case status(String)
    case list([SendableValue])
    /// Keys and values in order.
    case map([String], [SendableValue])
    case range(lower: Int64, last: Int64)
    case record(RecordType, [String: SendableValue], fetched: Date? = nil)
    case error(SendableError)
    /// A function stays with the program: only its name crosses (it reads as that string).
    case function(String)

    /// Why a value cannot cross.
    public enum Refusal: Error, Equatable {
        /// It contains itself (a list appended to itself).
        case cycle
        /// Nested more than `maximumDepth` levels.
        case tooDeep
        /// More than `maximumSize` values in all (a list holding the same list twice, 40 times
        /// over, is 2^40 values as a tree).
        case tooLarge
    }

    public static let maximumDepth = 500
    public static let maximumSize = 1_000_000

    /// A copy of `value`: to be made while the interpreter lock is held.
    /// Whether a function is somewhere inside (it crossed as its name only).
    public var containsFunction: Bool {
        switch self {
        case .function: true
        case .list(let items): items.contains { $0.containsFunction }
        case .map(_, let values): values.contains { $0.containsFunction }
        case .record(_, let fields, _): fields.values.contains { $0.containsFunction }
        default: false
        }
    }

    public init(copying value: Value) throws(Refusal) {
        var copier = Copier()
        self = try copier.copy(value, depth: 0)
    }

    /// A fresh `Value` with the same contents.
    public var value: Value {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .float(let number): .float(number)
        case .string(let text): .string(text)
        case .duration(let millis): .duration(millis)
        case .time(let millis): .time(millis)
        case .status(let word): .status(word)
        case .list(let items): .list(ListBox(items.map(\.value)))
        case .map(let keys, let values): .map(MapBox(Array(zip(keys, values.map(\.value)))))
        case .range(let lower, let last): .range(lower, last)
        case .record(let type, let fields, let fetched):
            .record(Record(type: type, fields: fields.mapValues(\.value), fetched: fetched))
        case .error(let error): .error(error.errorValue)
        case .function(let name): .string(name)
        }
    }

    /// Copies a value into a tree, refusing cycles and sizes past the limits.
    private struct Copier {
        var onPath = Set<ObjectIdentifier>()
        var size = 0

        mutating func copy(_ value: Value, depth: Int) throws(Refusal) -> SendableValue {
            size += 1
            guard depth < SendableValue.maximumDepth else { throw .tooDeep }
            guard size <= SendableValue.maximumSize else { throw .tooLarge }
            switch value {
            case .null: return .null
            case .bool(let flag): return .bool(flag)
            case .int(let number): return .int(number)
            case .float(let number): return .float(number)
            case .string(let text): return .string(text.value)
            case .duration(let millis): return .duration(millis)
            case .time(let millis): return .time(millis)
            case .status(let word): return .status(word.value)
            case .range(let range): return .range(lower: range.lower, last: range.last)
            case .function(let function): return .function(function.name)
            case .box(let box): return try copy(box.value, depth: depth + 1)
            case .list(let list):
                return try nested(list) { copier throws(Refusal) in
                    var items: [SendableValue] = []
                    items.reserveCapacity(list.items.count)
                    for item in list.items { items.append(try copier.copy(item, depth: depth + 1)) }
                    return .list(items)
                }
            case .map(let map):
                return try nested(map) { copier throws(Refusal) in
                    let pairs = map.pairs
                    var values: [SendableValue] = []
                    values.reserveCapacity(pairs.count)
                    for (_, item) in pairs { values.append(try copier.copy(item, depth: depth + 1)) }
                    return .map(pairs.map(\.0), values)
                }
            case .record(let record):
                return try nested(record) { copier throws(Refusal) in
                    var fields: [String: SendableValue] = [:]
                    for (name, item) in record.fields { fields[name] = try copier.copy(item, depth: depth + 1) }
                    return .record(record.type, fields, fetched: record.fetched)
                }
            case .error(let error):
                return try nested(error) { copier throws(Refusal) in
                    var details: [String: SendableValue] = [:]
                    for (name, item) in error.details { details[name] = try copier.copy(item, depth: depth + 1) }
                    return .error(
                        SendableError(
                            message: error.message, kind: error.kind,
                            code: try copier.copy(error.code, depth: depth + 1),
                            value: try copier.copy(error.value, depth: depth + 1), details: details,
                            origin: error.origin))
                }
            }
        }

        /// Copies a container, refusing one that is already being copied further up (a cycle).
        private mutating func nested(
            _ object: AnyObject, _ body: (inout Copier) throws(Refusal) -> SendableValue
        ) throws(Refusal) -> SendableValue {
            let identity = ObjectIdentifier(object)
            guard onPath.insert(identity).inserted else { throw .cycle }
            defer { onPath.remove(identity) }
            return try body(&self)
        }
    }
}

/// A caught error as it crosses (see `SendableValue`).
public struct SendableError: Sendable {
    public let message: String
    public let kind: ErrorKind
    public let code: SendableValue
    public let value: SendableValue
    public let details: [String: SendableValue]
    public let origin: MessageID?

    var errorValue: ErrorValue {
        ErrorValue(
            message: message, kind: kind, code: code.value, value: value.value, details: details.mapValues(\.value),
            origin: origin)
    }
}
