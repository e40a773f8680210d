import Foundation
import Language
import YottaAPI

/// Reads the shape of a request model by decoding it from nothing: every key its `init(from:)`
/// asks for (required when it decodes, optional when it first asks whether the key is null), what
/// each key holds (nested models, lists, maps) and the closed sets its enums allow. The models
/// the client sends are the one source of the named arguments `gpus check` and the built-ins know.
enum ShapeProbe {
    static func shape<T: Decodable>(of type: T.Type) -> Shape { probe(type).shape }

    static func probe<T: Decodable>(_ type: T.Type) -> (shape: Shape, value: T?) {
        if let leaf = T.self as? any ProbedLeaf.Type { return (leaf.probeShape, leaf.placeholder as? T) }
        if let primitive = primitive(T.self) { return primitive }
        let decoder = ProbeDecoder()
        let value = try? T(from: decoder)
        return (decoder.shape, value)
    }

    static func primitive<T>(_: T.Type) -> (shape: Shape, value: T?)? {
        switch T.self {
        case is String.Type: (.string, "" as? T)
        case is Bool.Type: (.bool, false as? T)
        case is Double.Type: (.number, 0.0 as? T)
        case is Float.Type: (.number, Float(0) as? T)
        case is Int.Type: (.int, 0 as? T)
        case is Int64.Type: (.int, Int64(0) as? T)
        case is Int8.Type: (.int, Int8(0) as? T)
        case is Int16.Type: (.int, Int16(0) as? T)
        case is Int32.Type: (.int, Int32(0) as? T)
        case is UInt8.Type: (.int, UInt8(0) as? T)
        case is UInt16.Type: (.int, UInt16(0) as? T)
        case is UInt32.Type: (.int, UInt32(0) as? T)
        case is UInt64.Type: (.int, UInt64(0) as? T)
        case is UInt.Type: (.int, UInt(0) as? T)
        default: nil
        }
    }
}

/// A wire type whose decoder tries several forms (an id as a number or a string): its shape is
/// declared, not read from the first form it tries.
protocol ProbedLeaf {
    static var probeShape: Shape { get }
    static var placeholder: Self { get }
}

extension ResourceID: ProbedLeaf {
    static var probeShape: Shape { .id }
    static var placeholder: ResourceID { ResourceID(1) }
}

extension FlexibleString: ProbedLeaf {
    static var probeShape: Shape { .string }
    static var placeholder: FlexibleString { FlexibleString("") }
}

extension FlexibleNumber: ProbedLeaf {
    static var probeShape: Shape { .number }
    static var placeholder: FlexibleNumber { FlexibleNumber(0) }
}

extension JSONValue: ProbedLeaf {
    static var probeShape: Shape { .any }
    static var placeholder: JSONValue { .null }
}

extension Open: ProbedLeaf {
    static var probeShape: Shape {
        .oneOf(what: "value of \(Known.self)", values: Known.allCases.map(\.rawValue))
    }
    static var placeholder: Open<Known> { Open(wire: "") }
}

private final class ProbeDecoder: Decoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    /// What a keyed container asked for, in order; `optional` once it asked whether a key is null.
    var fields: [(name: String, shape: Shape, optional: Bool)] = []
    var isDictionary = false
    var single: Shape?
    var element: Shape?

    var shape: Shape {
        if let single { return single }
        if let element { return .list(element) }
        if isDictionary { return .dictionary(fields.first?.shape ?? .any) }
        return .object(fields.map { ShapeField($0.name, $0.shape, required: !$0.optional) })
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        isDictionary = String(describing: Key.self).contains("DictionaryCodingKey")
        return KeyedDecodingContainer(ProbeKeyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        element = .any
        return ProbeUnkeyed(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { ProbeSingle(decoder: self) }

    func record(_ name: String, _ shape: Shape) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].shape = shape
        } else {
            fields.append((name, shape, false))
        }
    }

    func markOptional(_ name: String) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].optional = true
        } else {
            fields.append((name, .any, true))
        }
    }
}

private struct ProbeFailure: Error {}

private struct ProbeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { decoder.isDictionary ? [Key(stringValue: "*")].compactMap { $0 } : [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.markOptional(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (shape, value) = ShapeProbe.probe(type)
        decoder.record(key.stringValue, shape)
        guard let value else { throw ProbeFailure() }
        return value
    }

    func leaf<T>(_ type: T.Type, _ key: Key) throws -> T {
        let (shape, value) = ShapeProbe.primitive(type) ?? (.int, nil)
        decoder.record(key.stringValue, shape)
        guard let value else { throw ProbeFailure() }
        return value
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try leaf(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try leaf(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try leaf(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try leaf(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try leaf(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try leaf(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try leaf(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try leaf(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try leaf(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try leaf(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try leaf(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try leaf(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try leaf(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try leaf(type, key) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    { throw ProbeFailure() }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw ProbeFailure() }
    func superDecoder() throws -> any Decoder { throw ProbeFailure() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw ProbeFailure() }
}

private struct ProbeUnkeyed: UnkeyedDecodingContainer {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { nil }
    var isAtEnd: Bool { decoder.element.map { if case .any = $0 { false } else { true } } ?? true }
    var currentIndex: Int { 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, value) = ShapeProbe.probe(type)
        decoder.element = shape
        guard let value else { throw ProbeFailure() }
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    { throw ProbeFailure() }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw ProbeFailure() }
    mutating func superDecoder() throws -> any Decoder { throw ProbeFailure() }
}

private struct ProbeSingle: SingleValueDecodingContainer {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, value) = ShapeProbe.probe(type)
        decoder.single = shape
        guard let value else { throw ProbeFailure() }
        return value
    }
}
