import Foundation

/// A value of the language.
public enum Value: @unchecked Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    /// Text, held by reference (see `StringBox`); `.string("text")` makes one.
    case string(StringBox)
    /// Milliseconds.
    case duration(Int64)
    /// A point in time: milliseconds since 1970-01-01T00:00:00Z (`now()`, `createdAt` of records).
    case time(Int64)
    /// A predeclared status word (`running`): equal to any string that matches it ignoring case.
    case status(StringBox)
    case list(ListBox)
    case map(MapBox)
    /// The ints `lower...last`; empty when `last < lower` (see `Value.range(from:through:)`).
    case range(RangeBox)
    case function(Function)
    case error(ErrorValue)
    case record(Record)
    /// A variable captured by a closure (never seen by programs).
    case box(Box)

    public static func string(_ text: String) -> Value { .string(StringBox(text)) }
    public static func status(_ word: String) -> Value { .status(StringBox(word)) }
    static func range(_ lower: Int64, _ last: Int64) -> Value { .range(RangeBox(lower, last)) }

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .duration: "duration"
        case .time: "time"
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
        case .string(let box): !box.value.isEmpty
        case .list(let list): !list.items.isEmpty
        case .map(let map): map.count > 0
        default: true
        }
    }
}

/// The characters of a string value. Every payload of `Value` is one word (a reference, an int, a
/// float), so a value is 9 bytes, 16 in an array — a string inline (16 bytes) made it 17 and 24.
/// Strings are values to programs: a box is changed in place only by `+=` on a variable that holds
/// the only reference to it.
public final class StringBox: @unchecked Sendable, CustomStringConvertible {
    public internal(set) var value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
}

/// The ints `lower...last` of a range value (inclusive, so that a range can end at Int64.max).
public final class RangeBox: @unchecked Sendable {
    public let lower: Int64
    public let last: Int64
    init(_ lower: Int64, _ last: Int64) {
        self.lower = lower
        self.last = last
    }
}

/// A list: shared and mutable, like Python's.
/// Interpreter objects are touched only by the thread holding the interpreter lock.
public final class ListBox: @unchecked Sendable {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// A map from string keys to values, in insertion order: entries in an array (a removed one leaves
/// a hole, squeezed out once holes are half the array) and, once there are more than `scanLimit`
/// entries, an open-addressing table of their positions (4 bytes a place, as CPython's compact
/// dictionary keeps them), so that reading, writing and removing a key are O(1) (removing was O(n)
/// with a plain key list) and the keys are stored once. Small maps — most maps a program makes —
/// are searched by comparing keys, which costs less than hashing one (short keys compare as two
/// words).
public final class MapBox: @unchecked Sendable {
    /// Up to this many entries (holes included), keys are found by scanning.
    static let scanLimit = 8

    /// The entries' keys, nil where one was removed (a hole), and their values (`.null` in a hole):
    /// two arrays, so that looking for a key reads keys only (an entry copied out of one array
    /// retained and released its value at every key compared).
    private var keys: [String?] = []
    private var values: [Value] = []
    /// The hash table, kept only while `keys` has more than `scanLimit` places: each place holds
    /// an entry's position + 1, `0` when empty, `-1` where a removed entry was (the search goes on
    /// past it). Its size is a power of two at least twice `keys.count`, so at least half of it
    /// is empty and every search ends.
    private var table: [Int32] = []
    public private(set) var count = 0

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public var orderedKeys: [String] { keys.compactMap { $0 } }

    /// Where `key` is in the table: its entry's position if present, and the place to record it at
    /// otherwise (the first removed or empty place its search passed).
    private func search(_ key: String) -> (position: Int?, place: Int) {
        let mask = table.count - 1
        var place = key.hashValue & mask
        var reusable: Int?
        while true {
            let stored = table[place]
            if stored == 0 { return (nil, reusable ?? place) }
            if stored > 0 {
                if keys[Int(stored) - 1] == key { return (Int(stored) - 1, place) }
            } else if reusable == nil {
                reusable = place
            }
            place = (place + 1) & mask
        }
    }

    private func position(of key: String) -> Int? {
        guard keys.count > Self.scanLimit else { return keys.firstIndex(of: key) }
        return search(key).position
    }

    public subscript(key: String) -> Value? {
        get { position(of: key).map { values[$0] } }
        set {
            if let newValue {
                insert(key, newValue)
            } else if keys.count <= Self.scanLimit {
                guard let position = position(of: key) else { return }
                remove(at: position)
            } else {
                let (position, place) = search(key)
                guard let position else { return }
                remove(at: position)
                table[place] = -1
                if keys.count > 32, count < keys.count / 2 { compact() }
            }
        }
    }

    private func remove(at position: Int) {
        keys[position] = nil
        values[position] = .null
        count -= 1
    }

    private func append(_ key: String, _ value: Value) {
        keys.append(key)
        values.append(value)
        count += 1
    }

    private func insert(_ key: String, _ value: Value) {
        guard keys.count > Self.scanLimit else {
            if let position = position(of: key) {
                values[position] = value
                return
            }
            append(key, value)
            if keys.count > Self.scanLimit { reindex() }
            return
        }
        let (position, place) = search(key)
        if let position {
            values[position] = value
            return
        }
        append(key, value)
        if keys.count * 2 > table.count {
            reindex()
        } else {
            table[place] = Int32(keys.count)
        }
    }

    /// Builds the table again for the entries there are (when the map outgrows scanning, when the
    /// table is half full, after squeezing out holes).
    private func reindex() {
        guard keys.count > Self.scanLimit else {
            table = []
            return
        }
        var size = 16
        while size < keys.count * 2 { size *= 2 }
        table = Array(repeating: 0, count: size)
        let mask = size - 1
        for (position, key) in keys.enumerated() {
            guard let key else { continue }
            var place = key.hashValue & mask
            while table[place] != 0 { place = (place + 1) & mask }
            table[place] = Int32(position + 1)
        }
    }

    /// Squeezes out the holes left by removed entries.
    private func compact() {
        let kept = keys.indices.filter { keys[$0] != nil }
        keys = kept.map { keys[$0] }
        values = kept.map { values[$0] }
        reindex()
    }

    public var pairs: [(String, Value)] {
        keys.indices.compactMap { index in keys[index].map { ($0, values[index]) } }
    }
}

/// A mutable cell shared between a function and the closures that capture its variable.
public final class Box: @unchecked Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

/// A caught error: `e.message`, `e.code`, `e.kind`, and for a `throw` of a value, `e.value`.
public final class ErrorValue: @unchecked Sendable {
    public let message: String
    public let kind: ErrorKind
    public let code: Value
    public let value: Value
    /// Extra fields the host attaches (`operation`, `resourceId`).
    public let details: [String: Value]
    /// The diagnostic the error was raised as, so that `throw e` raises it again as the same one
    /// (an API error rethrown still ends the program with exit code 2).
    public let origin: MessageID?

    public init(
        message: String, kind: ErrorKind, code: Value = .null, value: Value = .null, details: [String: Value] = [:],
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
///
/// A record that describes something outside the program (a pod) is one object however many
/// variables hold it: a method that reads or changes the thing, and a wait that watches it, update
/// the record in place (`take`), so every variable sees the fresh fields.
public final class Record: @unchecked Sendable {
    public let type: RecordType
    public var fields: [String: Value]
    /// When the host read the fields (nil: made by the program): the REPL shows an old record's age.
    public var fetched: Date?

    public init(type: RecordType, fields: [String: Value], fetched: Date? = nil) {
        self.type = type
        self.fields = fields
        self.fetched = fetched
    }

    /// Whether `other` describes the same thing: its type has identity fields and they are equal.
    public func isSame(as other: Record) -> Bool {
        guard type.name == other.type.name, !type.identity.isEmpty else { return false }
        return type.identity.allSatisfy { name in
            guard let mine = fields[name], let theirs = other.fields[name] else { return false }
            if case .null = mine { return false }
            return Printer.text(mine) == Printer.text(theirs)
        }
    }

    /// Takes a fresher record's fields, and when they were read.
    public func take(_ fresh: Record) {
        guard fresh !== self else { return }
        fields = fresh.fields
        fetched = fresh.fetched
    }

    /// `old` brought up to date by `fresh`, in place where it can be: a record of the same thing
    /// takes the fresh fields (and is returned), a list keeps its identity and each of its records
    /// is updated so; anything else is replaced by `fresh`.
    public static func refreshing(_ old: Value, with fresh: Value) -> Value {
        switch (old, fresh) {
        case (.record(let record), .record(let newer)) where record.isSame(as: newer):
            record.take(newer)
            return old
        case (.list(let list), .list(let newer)) where list !== newer && list.items.count == newer.items.count:
            for index in list.items.indices {
                list.items[index] = refreshing(list.items[index], with: newer.items[index])
            }
            return old
        default:
            return fresh
        }
    }
}
