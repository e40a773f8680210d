import Foundation
import Language
import YottaAPI

/// `Codable` over the language's `SendableValue`: a call's arguments are decoded straight into the
/// client's request model, and a model the client returns is encoded straight into a tree of values.
/// Between the language and the client's models there is no JSON text (docs/architecture.md, "One
/// way through"): the forms are JSON's — a string decodes a string, an int any integer type that
/// holds it, a map a model or a dictionary, a list an array; a duration or a time is its text, as
/// `json()` writes it; an integral double is encoded as an int, as JSON does not tell them apart.
enum ValueCoding {
    static func decode<T: Decodable>(_: T.Type, from value: SendableValue) throws -> T {
        try TreeDecoder(value: value, codingPath: []).decode(T.self)
    }

    static func encode<T: Encodable>(_ value: T) throws -> SendableValue {
        try TreeEncoder.node(value, codingPath: []).value
    }
}

extension SendableValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A map's entries, by key.
    var members: [String: SendableValue]? {
        guard case .map(let keys, let values) = self else { return nil }
        return Dictionary(zip(keys, values)) { first, _ in first }
    }
}

// MARK: - Decoding

private struct TreeDecoder: Decoder {
    let value: SendableValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let members: [String: SendableValue]
        switch value {
        case .map: members = value.members ?? [:]
        case .record(_, let fields, _): members = fields
        case .error(let error):
            members = [
                "message": .string(error.message), "kind": .string(error.kind.rawValue),
                "code": error.code,
            ]
        default: throw mismatch([String: SendableValue].self, "a map")
        }
        return KeyedDecodingContainer(TreeKeyed<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .list(let items): return TreeUnkeyed(items: items, codingPath: codingPath)
        case .range(let lower, let last):
            let (span, overflow) = last.subtractingReportingOverflow(lower)
            guard !overflow, span < 1_000_000 else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "a range of more than 1,000,000 ints"))
            }
            return TreeUnkeyed(items: span < 0 ? [] : (0...span).map { .int(lower + $0) }, codingPath: codingPath)
        default: throw mismatch([SendableValue].self, "a list")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { TreeSingle(decoder: self) }

    func mismatch(_ type: Any.Type, _ what: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "\(what) expected"))
    }

    /// `T` from this value: the scalar types read the value, any other type its own `init(from:)`.
    func decode<T: Decodable>(_: T.Type) throws -> T {
        let scalar: Any?
        switch T.self {
        case is String.Type: scalar = try text()
        case is Bool.Type:
            guard case .bool(let flag) = try present(Bool.self) else { throw mismatch(Bool.self, "a bool") }
            scalar = flag
        case is Double.Type: scalar = try number()
        case is Float.Type: scalar = Float(try number())
        case is Int.Type: scalar = try integer(Int.self)
        case is Int8.Type: scalar = try integer(Int8.self)
        case is Int16.Type: scalar = try integer(Int16.self)
        case is Int32.Type: scalar = try integer(Int32.self)
        case is Int64.Type: scalar = try integer(Int64.self)
        case is UInt.Type: scalar = try integer(UInt.self)
        case is UInt8.Type: scalar = try integer(UInt8.self)
        case is UInt16.Type: scalar = try integer(UInt16.self)
        case is UInt32.Type: scalar = try integer(UInt32.self)
        case is UInt64.Type: scalar = try integer(UInt64.self)
        default: return try T(from: self)
        }
        guard let result = scalar as? T else { throw mismatch(T.self, "a value") }
        return result
    }

    /// The value, which a scalar type cannot read as null.
    func present(_ type: Any.Type) throws -> SendableValue {
        if case .null = value {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "null"))
        }
        return value
    }

    func text() throws -> String {
        switch try present(String.self) {
        case .string(let text), .status(let text): return text
        case .duration(let millis): return Printer.duration(.milliseconds(millis))
        case .time(let millis): return TimeText.iso(millis)
        default: throw mismatch(String.self, "a string")
        }
    }

    func number() throws -> Double {
        switch try present(Double.self) {
        case .int(let number): return Double(number)
        case .float(let number) where number.isFinite: return number
        case .float(let number):
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "\(number) cannot be sent (not a finite number)"))
        default: throw mismatch(Double.self, "a number")
        }
    }

    func integer<I: FixedWidthInteger>(_: I.Type) throws -> I {
        let exact: I?
        switch try present(I.self) {
        case .int(let number): exact = I(exactly: number)
        case .float(let number) where number.isFinite && number.rounded() == number: exact = I(exactly: number)
        default: throw mismatch(I.self, "an int")
        }
        guard let exact else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "out of range for \(I.self)"))
        }
        return exact
    }
}

/// A key for a position in a list, in coding paths (`resources[0]`).
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct TreeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: SendableValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.sorted().compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func member(_ key: Key) throws -> TreeDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'"))
        }
        return TreeDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = members[key.stringValue] else { return true }
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decode(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try member(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try member(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try member(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try member(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try member(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try member(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try member(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try member(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try member(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    { try member(key).container(keyedBy: type) }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try member(key).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: .map(Array(members.keys), Array(members.values)), codingPath: codingPath)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder { try member(key) }
}

private struct TreeUnkeyed: UnkeyedDecodingContainer {
    let items: [SendableValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [SendableValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> TreeDecoder {
        let path = codingPath + [IndexKey(currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: path, debugDescription: "the list ended"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(value: items[currentIndex], codingPath: path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = items[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    { try next().container(keyedBy: type) }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct TreeSingle: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decode(type) }
    func decode(_ type: String.Type) throws -> String { try decoder.decode(type) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decode(type) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.decode(type) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decode(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decode(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decode(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decode(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decode(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decode(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decode(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decode(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decode(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decode(type) }
}

// MARK: - Encoding

/// What an encoder is writing: a reference, because containers handed out keep writing into it.
private final class TreeNode {
    enum Content {
        case empty
        case value(SendableValue)
        case keyed([String: TreeNode])
        case unkeyed([TreeNode])
    }

    var content = Content.empty

    /// The tree: a map's keys sorted (the order a record's fields and the ledger's spec are read in).
    var value: SendableValue {
        switch content {
        case .empty: return .map([], [])
        case .value(let value): return value
        case .keyed(let members):
            let keys = members.keys.sorted()
            return .map(keys, keys.map { members[$0]?.value ?? .null })
        case .unkeyed(let items): return .list(items.map(\.value))
        }
    }
}

private struct TreeEncoder: Encoder {
    let node: TreeNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// A value's node: the scalar types directly (an integral double as an int, as JSON writes it),
    /// any other type through its own `encode(to:)`.
    static func node<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> TreeNode {
        let node = TreeNode()
        switch value {
        case let text as String: node.content = .value(.string(text))
        case let flag as Bool: node.content = .value(.bool(flag))
        case let number as Double: node.content = .value(scalar(number))
        case let number as Float: node.content = .value(scalar(Double(number)))
        case let number as any BinaryInteger:
            node.content = .value(Int64(exactly: number).map { .int($0) } ?? .float(Double(number)))
        default: try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
        }
        return node
    }

    static func scalar(_ number: Double) -> SendableValue {
        if number.rounded() == number, let exact = Int64(exactly: number) { return .int(exact) }
        return .float(number)
    }

    func container<Key: CodingKey>(keyedBy _: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = node.content {} else { node.content = .keyed([:]) }
        return KeyedEncodingContainer(TreeKeyedEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = node.content {} else { node.content = .unkeyed([]) }
        return TreeUnkeyedEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        TreeSingleEncoder(node: node, codingPath: codingPath)
    }
}

private struct TreeKeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [any CodingKey]

    func put(_ child: TreeNode, _ key: Key) {
        guard case .keyed(var members) = node.content else { return }
        node.content = .empty  // one reference to the members while they change
        members[key.stringValue] = child
        node.content = .keyed(members)
    }

    mutating func encodeNil(forKey key: Key) throws {
        let child = TreeNode()
        child.content = .value(.null)
        put(child, key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        put(try TreeEncoder.node(value, codingPath: codingPath + [key]), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    )
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = TreeNode()
        put(child, key)
        return TreeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = TreeNode()
        put(child, key)
        return TreeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(node: node, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = TreeNode()
        put(child, key)
        return TreeEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct TreeUnkeyedEncoder: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]

    var count: Int {
        if case .unkeyed(let items) = node.content { return items.count }
        return 0
    }

    func append(_ child: TreeNode) {
        guard case .unkeyed(var items) = node.content else { return }
        node.content = .empty
        items.append(child)
        node.content = .unkeyed(items)
    }

    mutating func encodeNil() throws {
        let child = TreeNode()
        child.content = .value(.null)
        append(child)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Bool) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: String) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Double) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Float) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Int) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Int8) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Int16) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Int32) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: Int64) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: UInt) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: UInt8) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: UInt16) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: UInt32) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }
    mutating func encode(_ value: UInt64) throws {
        append(try TreeEncoder.node(value, codingPath: codingPath + [IndexKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    )
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = TreeNode()
        let path = codingPath + [IndexKey(count)]
        append(child)
        return TreeEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = TreeNode()
        let path = codingPath + [IndexKey(count)]
        append(child)
        return TreeEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = TreeNode()
        let path = codingPath + [IndexKey(count)]
        append(child)
        return TreeEncoder(node: child, codingPath: path)
    }
}

private struct TreeSingleEncoder: SingleValueEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Bool) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: String) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Double) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Float) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Int) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Int8) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Int16) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Int32) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: Int64) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: UInt) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: UInt8) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: UInt16) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: UInt32) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
    mutating func encode(_ value: UInt64) throws {
        node.content = try TreeEncoder.node(value, codingPath: codingPath).content
    }
}
