import Foundation
import Language
import YottaAPI

/// Converts between the client's wire models and language values, through their JSON form, so a
/// record has exactly the API's fields and named arguments are the API's field names.
enum ValueBridge {
    /// A model as the fields of a record: its JSON form (so a record has exactly the API's fields),
    /// encoded straight into values, with times as times and prices, costs and sizes as numbers
    /// (see `typed`).
    static func fields<Model: Encodable>(_ model: Model) -> [String: Value] {
        guard case .map(let keys, let values)? = try? ValueCoding.encode(model) else { return [:] }
        return Dictionary(zip(keys, values).map { ($0, typed($0, $1.value)) }) { first, _ in first }
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

    /// A request body from a call's named arguments (`pods.create(name: "w", gpuCount: 1)`), decoded
    /// straight from the values the call was given.
    static func request<Request: Decodable>(
        _: Request.Type, from arguments: AsyncArguments, extra: [String: SendableValue] = [:]
    )
        throws -> Request
    {
        var object = extra
        for (index, parameter) in arguments.builtin.parameters.enumerated() {
            guard var value = arguments.values[index], !value.isNull else { continue }
            // Environment variables as a map (`{HF_HOME: "/data"}`): the API's list of {key, value}.
            if parameter.name == "environmentVars", case .map(let keys, let values) = value {
                value = .list(zip(keys, values).map { .map(["key", "value"], [.string($0), $1]) })
            }
            // A 0/1 flag given as a boolean (`isSpot: true`): the API's integer.
            if parameter.name == "isSpot", case .bool(let flag) = value { value = .int(flag ? 1 : 0) }
            // One item where a list of them is taken (a pod's `expose: {port: 80, protocol: "HTTP"}`).
            if case .either(let shapes)? = parameter.shape, case .list = shapes.first, case .map = value {
                value = .list([value])
            }
            object[parameter.name] = value
        }
        for (name, value) in arguments.extraNamed { object[name] = value }
        let keys = object.keys.sorted()
        do {
            return try ValueCoding.decode(Request.self, from: .map(keys, keys.map { object[$0] ?? .null }))
        } catch let error as DecodingError {
            throw arguments.failure(describe(error, call: arguments.name), kind: .argument)
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
