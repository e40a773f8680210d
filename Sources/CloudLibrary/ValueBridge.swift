import Foundation
import Language
import YottaAPI

/// Converts between the client's wire models and language values, through their JSON form, so a
/// record has exactly the API's fields and named arguments are the API's field names.
enum ValueBridge {
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()

    /// A model as the fields of a record: its JSON form (so a record has exactly the API's fields),
    /// with times as times and prices, costs and sizes as numbers (see `typed`).
    static func fields<Model: Encodable>(_ model: Model) -> [String: Value] {
        guard let data = try? encoder.encode(model), let json = try? decoder.decode(JSONValue.self, from: data),
            case .object(let object) = json
        else { return [:] }
        return Dictionary(uniqueKeysWithValues: object.map { ($0.key, typed($0.key, value($0.value))) })
    }

    /// The API writes times as ISO 8601 (VMs, endpoints) or epoch milliseconds (pods, tasks, volumes),
    /// and some prices and sizes as text ("0.39"): a program gets one `time` value for every
    /// `…At` field, and numbers for `…Price`, `cost` and `…InGb` fields. The wire models keep the
    /// API's forms.
    static func typed(_ name: String, _ value: Value) -> Value {
        if name.hasSuffix("At") {
            switch value {
            case .int(let millis): return .time(millis)
            case .string(let textBox):
                let text = textBox.value
                if let millis = Int64(text) { return .time(millis) }
                return TimeText.parse(text).map { .time($0) } ?? value
            default: return value
            }
        }
        if name.hasSuffix("Price") || name == "cost" || name.hasSuffix("InGb"), case .string(let text) = value {
            if let number = Int64(text.value) { return .int(number) }
            if let number = Double(text.value), number.isFinite { return .float(number) }
        }
        return value
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .float(number)
        case .string(let text): .string(text)
        case .array(let items): .list(ListBox(items.map(value)))
        case .object(let object): .map(MapBox(object.keys.sorted().map { ($0, value(object[$0] ?? .null)) }))
        }
    }

    /// A value as a request field, through the language's one JSON bridge (nil for what JSON cannot
    /// hold: a function, a non-finite number, a cycle).
    static func json(_ value: Value) -> JSONValue? {
        (try? JSONBridge.node(value)).map(json)
    }

    static func json(_ node: JSONNode) -> JSONValue {
        switch node {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .float(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(json))
        case .object(let members): .object(Dictionary(members.map { ($0.0, json($0.1)) }) { _, last in last })
        }
    }

    /// A request body from a call's named arguments: `pods.create(name: "w", gpuCount: 1)`.
    static func request<Request: Decodable>(
        _: Request.Type, from arguments: AsyncArguments, extra: [String: JSONValue] = [:]
    )
        throws -> Request
    {
        var object = extra
        for (index, parameter) in arguments.builtin.parameters.enumerated() {
            guard var value = arguments.values[index]?.value, !value.isNull else { continue }
            // Environment variables as a map (`{HF_HOME: "/data"}`): the API's list of {key, value}.
            if parameter.name == "environmentVars", case .map(let map) = value {
                value = .list(
                    ListBox(
                        map.orderedKeys.map { key in
                            .map(MapBox([("key", .string(key)), ("value", map[key] ?? .null)]))
                        }))
            }
            // One item where a list of them is taken (a pod's `expose: {port: 80, protocol: "HTTP"}`).
            if case .either(let shapes)? = parameter.shape, case .list = shapes.first, case .map = value {
                value = .list(ListBox([value]))
            }
            guard let converted = json(value) else { throw arguments.fail(parameter.name, parameter.type, got: value) }
            object[parameter.name] = converted
        }
        for (name, value) in arguments.extraNamed {
            if let converted = json(value.value) { object[name] = converted }
        }
        do {
            let data = try encoder.encode(JSONValue.object(object))
            return try decoder.decode(Request.self, from: data)
        } catch let error as DecodingError {
            throw arguments.failure(describe(error, call: arguments.name), kind: "argument")
        }
    }

    /// A wire type as the language calls its values (`Array<Any>` is a list, a model struct a map).
    static func languageName(_ type: Any.Type) -> String {
        let text = String(describing: type)
        for (prefix, name) in [
            ("Array", "list"), ("Dictionary", "map"), ("String", "string"), ("Bool", "bool"), ("Int", "int"),
            ("UInt", "int"), ("Double", "float"), ("Float", "float"), ("FlexibleNumber", "number"),
            ("FlexibleString", "string"), ("ResourceID", "id (int or string)"), ("Open<", "string"),
            ("Timestamp", "time"),
        ] where text.hasPrefix(prefix) {
            return name
        }
        return "map"
    }

    static func describe(_ error: DecodingError, call: String) -> String {
        func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            (context.codingPath + (key.map { [$0] } ?? [])).map {
                $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)"
            }
            .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing argument '\(path(context, key))' to '\(call)'"
        case .typeMismatch(let type, let context):
            return "bad argument '\(path(context))' to '\(call)' (\(languageName(type)) expected)"
        case .valueNotFound(_, let context): return "missing argument '\(path(context))' to '\(call)'"
        case .dataCorrupted(let context):
            return "bad argument '\(path(context))' to '\(call)': \(context.debugDescription)"
        @unknown default: return "bad arguments to '\(call)'"
        }
    }

    /// The id of a record or an id given directly.
    static func id(_ value: Value) -> ResourceID? {
        switch value {
        case .int(let number): return ResourceID(number)
        case .string(let text): return ResourceID(text.value)
        case .record(let record): return record.fields["id"].flatMap(id)
        case .map(let map): return map["id"].flatMap(id)
        default: return nil
        }
    }
}
