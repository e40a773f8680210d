import Commands
import Foundation
import Language
import MCP
import Settings

/// An agent's call made into the language's statements, from values: nothing an agent sends is
/// ever parsed as code. `pods_create {name: "a", …}` is `pods.create(name: "a", …)` — checked by
/// the same checker as a typed program, so a bad argument gets the message `gpus check` gives.
enum AgentCalls {
    /// Where an error in an agent's arguments is: the argument, and what is wrong.
    struct Mistake: Error {
        let message: String
    }

    /// The variable a tool's statements keep the resource in (a session variable like any other).
    static let resource = "_mcp_resource"
    static let result = "_mcp_result"

    static func variable(_ name: String) -> Expr { Syntax.variable(name) }

    /// A call with named arguments: the declared parameters' in order, then any others (which the
    /// checker refuses, with a suggestion).
    static func call(
        _ dotted: String, _ arguments: [String: JSONValue], parameters: [ParameterSpec]
    ) throws(Mistake)
        -> Expr
    {
        var named: [(label: String?, value: Expr)] = []
        let declared = parameters.map(\.name)
        for name in declared + arguments.keys.filter({ !declared.contains($0) }).sorted() {
            guard let value = arguments[name] else { continue }
            if case .null = value { continue }
            let parameter = parameters.first { $0.name == name }
            named.append((name, try expression(value, as: parameter, path: name)))
        }
        return Syntax.call(dotted, named)
    }

    /// A JSON value as a literal of the language; a string given for a duration (`"5m"`) or a time
    /// is read as one.
    static func expression(_ value: JSONValue, as parameter: ParameterSpec?, path: String) throws(Mistake) -> Expr {
        let type = parameter?.type
        switch value {
        case .null: return .null(.none)
        case .bool(let flag): return .bool(flag, .none)
        case .int(let number):
            if type == .duration { return .duration(Int64(number) * 1000, .none) }
            return .int(Int64(number), .none)
        case .double(let number):
            if type == .duration {
                guard number.isFinite, number >= 0, number < 1e10 else {
                    throw Mistake(message: "bad argument '\(path)': a duration expected (got \(number))")
                }
                return .duration(Int64(number * 1000), .none)
            }
            return .float(number, .none)
        case .string(let text):
            if type == .duration {
                guard let seconds = DurationText.seconds(text) else {
                    throw Mistake(
                        message: "bad argument '\(path)': a duration expected: 90s, 5m, 2h, 1h30m (got '\(text)')")
                }
                return .duration(Int64(seconds * 1000), .none)
            }
            if type == .time { return Syntax.call("time", [(nil, Syntax.string(text))]) }
            return Syntax.string(text)
        case .array(let items):
            var elements: [Expr] = []
            for (index, item) in items.enumerated() {
                elements.append(try expression(item, as: nil, path: "\(path)[\(index)]"))
            }
            return .list(elements: elements, .none)
        case .object(let members):
            var entries: [MapEntry] = []
            for key in members.keys.sorted() {
                guard let item = members[key] else { continue }
                entries.append(MapEntry(key: key, value: try expression(item, as: nil, path: "\(path).\(key)")))
            }
            return .map(entries: entries, .none)
        case .data:
            throw Mistake(message: "bad argument '\(path)': binary data is not a value of the language")
        }
    }

    /// `wait until _mcp_resource.status == STATUS timeout T`, the status as a status word (compared
    /// as statuses are, without case).
    static func wait(for status: String, timeout: JSONValue?) throws(Mistake) -> Stmt {
        let limit = try timeout.map { value throws(Mistake) in
            try expression(value, as: AgentTools.timeoutParameter, path: "timeout")
        }
        return Syntax.wait(until: resource, is: status, timeout: limit ?? .duration(10 * 60 * 1000, .none))
    }
}

/// JSON between the language and MCP: values as `--json` writes them (ids as strings).
enum AgentJSON {
    static func value(_ value: Language.Value) -> JSONValue {
        guard let plain = try? JSONBridge.plain(value, functions: .describe, forReaders: true) else {
            return .string(Printer.text(value))
        }
        return json(plain)
    }

    /// A plain value (`JSONBridge.plain`) as MCP's JSON.
    static func json(_ plain: Language.Value) -> JSONValue {
        switch plain {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(Int(number))
        case .float(let number): .double(number)
        case .list(let list): .array(list.items.map(json))
        case .map(let map):
            .object(Dictionary(map.pairs.map { ($0.0, json($0.1)) }, uniquingKeysWith: { first, _ in first }))
        case .string(let text): .string(text.value)
        default: .string(Printer.text(plain))
        }
    }

    /// One line of JSON (what the language's `--json` writes) as a value.
    static func parse(_ line: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))) ?? .string(line)
    }

    /// An Encodable (a run's summary) as a value, dates as ISO 8601.
    static func encode<T: Encodable>(_ value: T) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value), let decoded = try? JSONDecoder().decode(JSONValue.self, from: data)
        else { return .null }
        return decoded
    }

    /// A value as text: compact JSON, keys sorted.
    static func text(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
    }
}
