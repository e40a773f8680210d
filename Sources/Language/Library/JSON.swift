/// JSON in and out of values, with one tree: a value is first made *plain* — only null, bools,
/// ints, floats, strings, lists and maps (object members in order), as JSON reads it back — and
/// plain values are written as text; parsed text is a plain value. `json()`, `parseJson()`,
/// `--json`, `-o yaml`, MCP's results and the ledger's specs all go through it.
public enum JSONBridge {
    /// How deep a value or a document may nest (a value that contains itself never ends).
    public static let maximumDepth = 500

    /// Why a value cannot be written as JSON.
    public struct Unwritable: Error, Sendable {
        public let message: String
    }

    /// What to do with a function: refuse it (`json()`, request bodies) or write its description
    /// (`--json` output of whatever a program prints).
    public enum Functions: Sendable {
        case refuse, describe
    }

    /// A value as JSON reads it back (a plain value). Durations are written as text (`"1h30m"`), ranges as their ints, records
    /// as objects with their type's fields first.
    /// With `forReaders`, what a program prints for other programs (`--json`, `-o json`): ids (a
    /// field `id` or `…Id`) and every integer beyond ±2^53 are written as strings, so that jq and
    /// JavaScript, which read numbers as doubles, get them exact. Request bodies and `json()` keep
    /// integers as integers.
    public static func plain(
        _ value: Value, functions: Functions = .refuse, depth: Int = 0, forReaders: Bool = false
    ) throws(Unwritable)
        -> Value
    {
        guard depth < maximumDepth else {
            throw Unwritable(
                message:
                    "a value nested more than \(maximumDepth) levels deep (or that contains itself) cannot be written as JSON"
            )
        }
        func node(_ value: Value) throws(Unwritable) -> Value {
            try JSONBridge.plain(value, functions: functions, depth: depth + 1, forReaders: forReaders)
        }
        /// A member: an id that is a number is written as text for readers.
        func member(_ key: String, _ item: Value) throws(Unwritable) -> Value {
            if forReaders, key == "id" || key.hasSuffix("Id"), case .int(let number) = item {
                return .string(String(number))
            }
            return try node(item)
        }
        switch value {
        case .null, .bool, .string: return value
        case .int(let number):
            if forReaders, number > Self.exactInDouble || number < -Self.exactInDouble {
                return .string(String(number))
            }
            return value
        case .float(let number):
            guard number.isFinite else { throw Unwritable(message: "\(number) cannot be written as JSON") }
            return value
        case .status(let text): return .string(text.value)
        case .duration(let millis): return .string(Printer.duration(.milliseconds(millis)))
        case .time(let millis): return .string(TimeText.iso(millis))
        case .list(let list):
            var items: [Value] = []
            items.reserveCapacity(list.items.count)
            for item in list.items { items.append(try node(item)) }
            return .list(ListBox(items))
        case .map(let map):
            var members: [(String, Value)] = []
            for (key, item) in map.pairs { members.append((key, try member(key, item))) }
            return .map(MapBox(members))
        case .range(let span):
            let (lower, last) = (span.lower, span.last)
            guard let count = Checked.count(lower, last), count <= 1_000_000 else {
                throw Unwritable(message: "a range of more than 1,000,000 ints cannot be written as JSON")
            }
            return .list(ListBox((0..<count).map { .int(lower + $0) }))
        case .record(let record):
            let declared = record.type.fields.map(\.name)
            let others = record.fields.keys.filter { !declared.contains($0) }.sorted()
            var members: [(String, Value)] = []
            for key in declared + others {
                guard let item = record.fields[key] else { continue }
                members.append((key, try member(key, item)))
            }
            return .map(MapBox(members))
        case .error(let error):
            return .map(
                MapBox([
                    ("message", .string(error.message)), ("kind", .string(error.kind.rawValue)),
                    ("code", try node(error.code)),
                ]))
        case .box(let box): return try node(box.value)
        case .function:
            guard functions == .describe else { throw Unwritable(message: "a function cannot be written as JSON") }
            return .string(Printer.text(value))
        }
    }

    /// A value as compact JSON text, keys in order, non-ASCII written as is.
    public static func text(
        _ value: Value, functions: Functions = .refuse, forReaders: Bool = false
    ) throws(Unwritable) -> String {
        var output = ""
        write(try plain(value, functions: functions, forReaders: forReaders), to: &output)
        return output
    }

    /// Writes a plain value.
    static func write(_ value: Value, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .float(let number): output += Printer.float(number)
        case .string(let text): quote(text.value, to: &output)
        case .list(let list):
            output += "["
            for (index, item) in list.items.enumerated() {
                if index > 0 { output += "," }
                write(item, to: &output)
            }
            output += "]"
        case .map(let map):
            output += "{"
            for (index, (key, item)) in map.pairs.enumerated() {
                if index > 0 { output += "," }
                quote(key, to: &output)
                output += ":"
                write(item, to: &output)
            }
            output += "}"
        default: quote(Printer.text(value), to: &output)
        }
    }

    static func quote(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    static func encode(_ value: Value, arguments: Arguments) throws -> String {
        do {
            return try text(value)
        } catch {
            throw arguments.failure(error.message)
        }
    }

    /// A value as one line of JSON, for `--json` output: a function is written as its description,
    /// and a value JSON cannot hold as its printed text.
    public static func line(_ value: Value) -> String {
        (try? text(value, functions: .describe, forReaders: true)) ?? (try? text(.string(Printer.text(value))))
            ?? "null"
    }

    /// 2^53: the largest integer a double holds exactly (and every smaller one).
    static let exactInDouble: Int64 = 9_007_199_254_740_992

    /// What one `print` writes with `--json`: its value, or the array of its values; nothing for none.
    public static func line(printing values: [Value]) -> String? {
        values.isEmpty ? nil : line(values.count == 1 ? values[0] : .list(ListBox(values)))
    }

    static func decode(_ text: String, arguments: Arguments) throws -> Value {
        do {
            return try parse(text)
        } catch {
            throw arguments.failure("invalid JSON: \(error.message) (in \(text.prefix(40).debugDescription))")
        }
    }

    /// Parses JSON text (RFC 8259): numbers with a fraction or exponent are floats, others ints
    /// when they fit in an Int64; nesting deeper than `maximumDepth` is refused.
    public static func parse(_ text: String) throws(Unwritable) -> Value {
        var parser = JSONParser(bytes: Array(text.utf8))
        return try parser.document()
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func failure(_ what: String) -> JSONBridge.Unwritable {
        JSONBridge.Unwritable(message: "\(what) at offset \(position)")
    }

    mutating func document() throws(JSONBridge.Unwritable) -> Value {
        let node = try value()
        skipSpace()
        guard position == bytes.count else { throw failure("unexpected text after the value") }
        return node
    }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func value() throws(JSONBridge.Unwritable) -> Value {
        skipSpace()
        guard position < bytes.count else { throw failure("a value expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try container(close: UInt8(ascii: "}"), object: true)
        case UInt8(ascii: "["): return try container(close: UInt8(ascii: "]"), object: false)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try word("true", .bool(true))
        case UInt8(ascii: "f"): return try word("false", .bool(false))
        case UInt8(ascii: "n"): return try word("null", .null)
        default: return try number()
        }
    }

    mutating func word(_ text: String, _ node: Value) throws(JSONBridge.Unwritable) -> Value {
        let expected = Array(text.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected
        else { throw failure("a value expected") }
        position += expected.count
        return node
    }

    mutating func container(close: UInt8, object: Bool) throws(JSONBridge.Unwritable) -> Value {
        depth += 1
        guard depth <= JSONBridge.maximumDepth else {
            throw failure("nested more than \(JSONBridge.maximumDepth) levels deep")
        }
        defer { depth -= 1 }
        position += 1
        var items: [Value] = []
        var members: [(String, Value)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == close {
            position += 1
            return object ? .map(MapBox([])) : .list(ListBox([]))
        }
        while true {
            if object {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw failure("a quoted key expected")
                }
                let key = try string()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw failure("':' expected")
                }
                position += 1
                members.append((key, try value()))
            } else {
                items.append(try value())
            }
            skipSpace()
            guard position < bytes.count else { throw failure("unexpected end") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == close else {
                throw failure("',' or '\(Character(UnicodeScalar(close)))' expected")
            }
            position += 1
            return object ? .map(MapBox(members)) : .list(ListBox(items))
        }
    }

    mutating func string() throws(JSONBridge.Unwritable) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var start = position
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars)
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flush(position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw failure("a control character in a string") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            flush(position)
            position += 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                {
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("an invalid surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                scalars.append(UnicodeScalar(code) ?? "\u{FFFD}")
            default: throw failure("an invalid escape")
            }
            start = position
        }
        throw failure("an unterminated string")
    }

    mutating func hex4() throws(JSONBridge.Unwritable) -> UInt32 {
        guard bytes.count - position >= 4,
            let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw failure("four hex digits expected") }
        position += 4
        return code
    }

    mutating func number() throws(JSONBridge.Unwritable) -> Value {
        let start = position
        var isFloat = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || ((byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")) && isFloat)
            {
                isFloat = true
                position += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard position > digitsStart, bytes[digitsStart] != UInt8(ascii: "."),
            !(bytes[digitsStart] == UInt8(ascii: "0") && position - digitsStart > 1
                && bytes[digitsStart + 1] >= UInt8(ascii: "0") && bytes[digitsStart + 1] <= UInt8(ascii: "9"))
        else {
            position = start
            throw failure("a value expected")
        }
        if !isFloat, let number = Int64(text) { return .int(number) }
        guard let number = Double(text), number.isFinite else {
            position = start
            throw failure("an invalid number")
        }
        return .float(number)
    }
}
