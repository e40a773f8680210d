/// The shape a parameter's value takes — its type, the keys of the maps inside it, the values a
/// string may take and the documented limits of a number or a string — declared once (the cloud
/// library derives it from the API's models) and checked twice with the same words: by `gpus check`
/// on what is literal in the program, and before a call is sent on the values it really has.
public indirect enum Shape: Sendable {
    case any
    case bool
    case int
    /// An int or a float.
    case number
    case string
    /// An id: an int, a string or a record that has one.
    case id
    case time
    case duration
    case function
    /// A string from a closed set (compared without case), named for messages (`GPU type`).
    case oneOf(what: String, values: [String])
    case list(Shape)
    /// A map with known keys.
    case object([ShapeField])
    /// A map from any string to values of a shape (`environmentVars: {HF_HOME: "/data"}`).
    case dictionary(Shape)
    /// The first alternative whose kind (map, list or plain value) matches the value.
    case either([Shape])
    /// A value of a shape within a documented limit.
    case limited(Shape, Limit)

    /// What a value of this shape is called in messages (`int`, `list of {region, gpuType, gpuCount}`).
    public var name: String {
        switch self {
        case .any: "any"
        case .bool: "bool"
        case .int: "int"
        case .number: "number"
        case .string: "string"
        case .id: "id"
        case .time: "time"
        case .duration: "duration"
        case .function: "function"
        case .oneOf(let what, _): what
        case .list(let element): "list of \(element.name)"
        case .object(let fields): "{" + fields.map(\.name).joined(separator: ", ") + "}"
        case .dictionary(let value): "map of \(value.name)"
        case .either(let shapes): shapes.map(\.name).joined(separator: " or ")
        case .limited(let shape, _): shape.name
        }
    }

    /// The type a parameter list shows (`int`, `list`, `map`).
    public var parameterType: ParameterType {
        switch self {
        case .any: .any
        case .bool: .bool
        case .int: .int
        case .number: .number
        case .string, .oneOf: .string
        case .id: .id
        case .time: .time
        case .duration: .duration
        case .function: .function
        case .list: .list
        case .object, .dictionary: .map
        case .either(let shapes): shapes.first?.parameterType ?? .any
        case .limited(let shape, _): shape.parameterType
        }
    }

    /// The type word a parameter list shows (`int`, `list`, `map`).
    public var typeWord: String { parameterType.rawValue }

    /// The keys of the maps this shape holds (a list's elements', an alternative's), for completion.
    public var keys: [String] {
        switch self {
        case .object(let fields): fields.map(\.name)
        case .list(let element): element.keys
        case .either(let shapes): shapes.flatMap(\.keys)
        case .limited(let shape, _): shape.keys
        default: []
        }
    }
}

/// A key of a map shape.
public struct ShapeField: Sendable {
    public let name: String
    public let shape: Shape
    public let required: Bool

    public init(_ name: String, _ shape: Shape, required: Bool) {
        self.name = name
        self.shape = shape
        self.required = required
    }
}

/// A documented limit on one value: the check returns what is wrong, in the words the client's own
/// validation uses, or nil.
public struct Limit: Sendable {
    public let check: @Sendable (Value) -> String?

    public init(_ check: @escaping @Sendable (Value) -> String?) { self.check = check }
}

/// What is known of an argument's value: all of it at run time, the literal parts of it in
/// `gpus check` (a part computed at run time is `unknown` there and checked when it runs).
public struct ShapedInput {
    public enum Node {
        case value(Value)
        case unknown
        case map([(key: String, keyRange: SourceRange, value: ShapedInput)])
        case list([ShapedInput])
    }

    public let node: Node
    public let range: SourceRange

    public init(_ node: Node, at range: SourceRange) {
        self.node = node
        self.range = range
    }

    /// A value known in full (at run time): every part of it at the call's place.
    public init(value: Value, at range: SourceRange) {
        switch value {
        case .map(let map):
            node = .map(
                map.orderedKeys.map { key in (key, range, ShapedInput(value: map[key] ?? .null, at: range)) })
        case .list(let list): node = .list(list.items.map { ShapedInput(value: $0, at: range) })
        default: node = .value(value)
        }
        self.range = range
    }
}

/// One way a value does not fit its shape.
public struct ShapeProblem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case unknownKey
        case missingKey
        case type
        case value
    }

    public let kind: Kind
    public let message: String
    public let range: SourceRange
}

extension Shape {
    /// Every way `input` (the argument `path` of `call`) does not fit this shape. `suggest` finds the
    /// key a misspelt or habitual key meant (the library's aliases, then edit distance).
    public func problems(
        _ input: ShapedInput, path: String, call: String,
        suggest: (_ key: String, _ among: [String]) -> String? = { suggestion(for: $0, among: $1) }
    ) -> [ShapeProblem] {
        func typeProblem(_ got: String) -> [ShapeProblem] {
            [
                ShapeProblem(
                    kind: .type,
                    message: "bad argument '\(path)' to '\(call)' (\(typeWordForMessage) expected, got \(got))",
                    range: input.range)
            ]
        }
        switch (self, input.node) {
        case (_, .unknown), (.any, _): return []
        case (.either(let shapes), _):
            let matching = shapes.first { $0.accepts(input.node) } ?? shapes.first
            return matching?.problems(input, path: path, call: call, suggest: suggest) ?? []
        case (.limited(let shape, let limit), _):
            let inner = shape.problems(input, path: path, call: call, suggest: suggest)
            guard inner.isEmpty, case .value(let value) = input.node, !value.isNull, let message = limit.check(value)
            else { return inner }
            return [
                ShapeProblem(
                    kind: .value, message: "bad argument '\(path)' to '\(call)': \(message)", range: input.range)
            ]
        case (.object(let fields), .map(let entries)):
            var found: [ShapeProblem] = []
            var meant: Set<String> = []
            let names = fields.map(\.name)
            for entry in entries {
                guard let field = fields.first(where: { $0.name == entry.key }) else {
                    let hint = suggest(entry.key, names)
                    if let hint { meant.insert(hint) }
                    found.append(
                        ShapeProblem(
                            kind: .unknownKey,
                            message: "'\(path)' of '\(call)' has no key '\(entry.key)'"
                                + (hint.map { "; did you mean '\($0)'?" }
                                    ?? " (its keys: \(names.joined(separator: ", ")))"),
                            range: entry.keyRange))
                    continue
                }
                found += field.shape.problems(entry.value, path: "\(path).\(entry.key)", call: call, suggest: suggest)
            }
            for field in fields where field.required && !meant.contains(field.name) {
                guard !entries.contains(where: { $0.key == field.name }) else { continue }
                found.append(
                    ShapeProblem(
                        kind: .missingKey, message: "missing argument '\(path).\(field.name)' to '\(call)'",
                        range: input.range))
            }
            return found
        case (.dictionary(let shape), .map(let entries)):
            return entries.flatMap { shape.problems($0.value, path: "\(path).\($0.key)", call: call, suggest: suggest) }
        case (.list(let element), .list(let items)):
            return items.enumerated().flatMap { index, item in
                element.problems(item, path: "\(path)[\(index)]", call: call, suggest: suggest)
            }
        case (.object, _), (.dictionary, _): return typeProblem(input.node.kindName)
        case (.list, _): return typeProblem(input.node.kindName)
        case (_, .map), (_, .list): return typeProblem(input.node.kindName)
        case (_, .value(let value)):
            if value.isNull { return [] }
            guard fits(value) else { return typeProblem(value.typeName) }
            if case .oneOf(let what, let values) = self, let text = value.stringValue,
                !values.contains(where: { $0.caseInsensitiveCompare(text) == .orderedSame })
            {
                let hint = suggestion(for: text, among: values).map { "; did you mean '\($0)'?" } ?? ""
                return [
                    ShapeProblem(
                        kind: .value,
                        message: "bad argument '\(path)' to '\(call)': '\(text)' is not a known \(what)\(hint)",
                        range: input.range)
                ]
            }
            return []
        }
    }

    /// The type word in a type mismatch's message (`int expected`).
    var typeWordForMessage: String {
        switch self {
        case .object: "map"
        case .oneOf: "string"
        case .limited(let shape, _): shape.typeWordForMessage
        default: typeWord
        }
    }

    /// Whether the kind of a node (map, list or plain value) is this shape's.
    func accepts(_ node: ShapedInput.Node) -> Bool {
        switch (self, node) {
        case (.limited(let shape, _), _): shape.accepts(node)
        case (.either(let shapes), _): shapes.contains { $0.accepts(node) }
        case (.object, .map), (.dictionary, .map), (.list, .list): true
        case (.object, _), (.dictionary, _), (.list, _): false
        case (_, .map), (_, .list): false
        case (_, .value(let value)): fits(value)
        case (_, .unknown): true
        }
    }

    /// Whether a plain value has this leaf shape's type.
    func fits(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): true
        case (.bool, .bool): true
        case (.int, .int): true
        case (.int, .float(let number)): number.rounded() == number
        case (.number, .int), (.number, .float): true
        case (.string, .string), (.string, .status), (.oneOf, .string), (.oneOf, .status): true
        case (.id, .int), (.id, .string): true
        case (.id, .record(let record)): record.fields["id"] != nil
        case (.time, .time), (.time, .string), (.time, .int): true
        case (.duration, .duration): true
        case (.function, .function): true
        case (.limited(let shape, _), _): shape.fits(value)
        case (.either(let shapes), _): shapes.contains { $0.fits(value) }
        default: false
        }
    }
}

extension ShapedInput.Node {
    var kindName: String {
        switch self {
        case .value(let value): value.typeName
        case .unknown: "any"
        case .map: "map"
        case .list: "list"
        }
    }
}

extension Value {
    /// The text of a string or a status word.
    var stringValue: String? {
        switch self {
        case .string(let text): text.value
        case .status(let word): word.value
        default: nil
        }
    }
}
