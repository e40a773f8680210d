import Foundation

/// Encodes a value straight into JSON bytes, in the order its `encode(to:)` writes them: the JSON
/// `JSONEncoder` with `.withoutEscapingSlashes` writes, with keys in declaration order rather than
/// its arbitrary order (a test compares the two on every response model).
///
/// `JSONEncoder` first builds a tree of boxed values and dictionaries, then serialises it: for a page
/// of 50 VMs that was 45 % of the sandbox's CPU. Writing as the value encodes is possible because an
/// `encode(to:)` finishes each nested value before it starts the next: every container a value opens
/// is closed when its `encode(to:)` returns.
struct StreamingJSONEncoder {
    func encode<T: Encodable>(_ value: T) throws -> Data {
        let output = JSONOutput()
        try output.encodeValue(value, codingPath: [])
        return Data(output.bytes)
    }
}

/// The bytes written so far and the containers still open.
final class JSONOutput {
    // Only one encode uses an output, on one thread: the exclusivity checks on every append cost
    // 9 % of a list's CPU (measured with perf).
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// One entry per open container: its closing byte and whether it has an element yet.
    @exclusivity(unchecked) var open: [(close: UInt8, hasElement: Bool)] = []

    init() { bytes.reserveCapacity(4096) }

    /// Encodes `value` and closes whatever containers it opened; writes `{}` when it wrote nothing
    /// (as `JSONEncoder` does).
    func encodeValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        // Metatype comparisons, cheaper than dynamic casts for the values that are none of these.
        if T.self == String.self { return writeString(value as! String) }
        if T.self == Int.self { return writeInteger(value as! Int) }
        if T.self == Int64.self { return writeInteger(value as! Int64) }
        if T.self == Double.self { return try writeDouble(value as! Double, codingPath) }
        if T.self == Bool.self { return write((value as! Bool) ? "true" : "false") }
        let depth = open.count
        let start = bytes.count
        let encoder = StreamingEncoder(output: self, codingPath: codingPath, depth: depth)
        try value.encode(to: encoder)
        closeContainers(to: depth)
        if bytes.count == start { write("{}") }
    }

    func closeContainers(to depth: Int) {
        while open.count > depth { bytes.append(open.removeLast().close) }
    }

    /// Starts an element of the innermost container: a comma unless it is the first.
    func beginElement() {
        guard !open.isEmpty else { return }
        if open[open.count - 1].hasElement { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1].hasElement = true
    }

    func openContainer(_ opening: UInt8, _ closing: UInt8) {
        bytes.append(opening)
        open.append((closing, false))
    }

    func write(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    func writeInteger<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    func writeDouble(_ value: Double, _ codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: codingPath, debugDescription: "\(value) is not valid JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied at once.
        let plain =
            value.utf8.withContiguousStorageIfAvailable { buffer in
                for byte in buffer where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    return false
                }
                return true
            } ?? false
        if plain {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): write("\\\"")
            case UInt8(ascii: "\\"): write("\\\\")
            case 0x08: write("\\b")
            case 0x0C: write("\\f")
            case UInt8(ascii: "\n"): write("\\n")
            case UInt8(ascii: "\r"): write("\\r")
            case UInt8(ascii: "\t"): write("\\t")
            case 0..<0x20:
                write("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` handed to each value: the first container it asks for is opened at `depth`; asking
/// again returns the same one.
struct StreamingEncoder: Encoder {
    let output: JSONOutput
    let codingPath: [any CodingKey]
    let depth: Int
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        if output.open.count == depth { output.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}")) }
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(output: output, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if output.open.count == depth { output.openContainer(UInt8(ascii: "["), UInt8(ascii: "]")) }
        return StreamingUnkeyedContainer(output: output, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(output: output, codingPath: codingPath)
    }
}

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let codingPath: [any CodingKey]

    private func key(_ key: Key) {
        output.beginElement()
        output.writeString(key.stringValue)
        output.bytes.append(UInt8(ascii: ":"))
    }

    mutating func encodeNil(forKey key: Key) throws {
        self.key(key)
        output.write("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.key(key)
        try output.encodeValue(value, codingPath: codingPath + [key])
    }

    // The common leaf types directly, rather than through the generic path and a dynamic cast.
    mutating func encode(_ value: String, forKey key: Key) throws {
        self.key(key)
        output.writeString(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        self.key(key)
        output.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        self.key(key)
        output.writeInteger(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        self.key(key)
        output.write(value ? "true" : "false")
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        self.key(key)
        try output.writeDouble(value, codingPath + [key])
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        self.key(key)
        return StreamingEncoder(output: output, codingPath: codingPath + [key], depth: output.open.count)
            .container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        self.key(key)
        return StreamingEncoder(output: output, codingPath: codingPath + [key], depth: output.open.count)
            .unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        StreamingEncoder(output: output, codingPath: codingPath, depth: output.open.count)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.key(key)
        return StreamingEncoder(output: output, codingPath: codingPath + [key], depth: output.open.count)
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let output: JSONOutput
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(output: JSONOutput, codingPath: [any CodingKey]) {
        self.output = output
        self.codingPath = codingPath
    }

    mutating func encodeNil() throws {
        output.beginElement()
        output.write("null")
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        output.beginElement()
        try output.encodeValue(value, codingPath: codingPath)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<
        NestedKey
    > {
        output.beginElement()
        count += 1
        return StreamingEncoder(output: output, codingPath: codingPath, depth: output.open.count)
            .container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        output.beginElement()
        count += 1
        return StreamingEncoder(output: output, codingPath: codingPath, depth: output.open.count).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        output.beginElement()
        count += 1
        return StreamingEncoder(output: output, codingPath: codingPath, depth: output.open.count)
    }
}

struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let output: JSONOutput
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { output.write("null") }
    mutating func encode(_ value: Bool) throws { output.write(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { output.writeString(value) }
    mutating func encode(_ value: Double) throws { try output.writeDouble(value, codingPath) }
    mutating func encode(_ value: Float) throws { try output.writeDouble(Double(value), codingPath) }
    mutating func encode(_ value: Int) throws { output.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { output.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { output.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { output.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { output.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { output.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { output.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { output.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { output.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { output.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try output.encodeValue(value, codingPath: codingPath) }
}
