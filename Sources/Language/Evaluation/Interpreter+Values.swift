extension Interpreter {
    /// `object.name`: a record field, a map key, an error's field, a property, or a bound method.
    static func member(
        _ object: Value, _ name: String, at range: SourceRange, context: ExecutionContext
    ) throws -> Value {
        let library = context.runtime.library
        switch object {
        case .record(let record):
            if let value = record.fields[name] { return value }
            if record.type.hasField(name) { return .null }
        case .map(let map):
            if let value = map[name] { return value }
            if library.method(name, on: object) == nil {
                let hint = suggestion(for: name, among: map.orderedKeys).map { "; did you mean '\($0)'?" } ?? ""
                throw context.error(.unknownKey, "map has no key '\(name)'\(hint)", at: range)
            }
        case .error(let error):
            switch name {
            case "message": return .string(error.message)
            case "code": return error.code
            case "kind": return .string(error.kind.rawValue)
            case "value": return error.value
            default: if let value = error.details[name] { return value }
            }
        default: break
        }
        if let builtin = library.method(name, on: object) {
            if library.isProperty(name, on: object) {
                return try callBuiltin(builtin, receiver: object, [], at: range, context: context)
            }
            return .function(Function(.bound(builtin, receiver: object)))
        }
        var candidates = Array(library.methods[object.typeName]?.keys ?? [:].keys)
        if case .record(let record) = object { candidates += record.type.fields.map(\.name) }
        if case .error(let error) = object { candidates += ["message", "code", "kind", "value"] + error.details.keys }
        let hint = suggestion(for: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
        let owner = if case .record(let record) = object { record.type.name } else { object.typeName }
        throw context.error(.unknownField, "no field '\(name)' on \(owner)\(hint)", at: range)
    }

    static func setMember(
        _ object: Value, _ name: String, _ value: Value, at range: SourceRange, context: ExecutionContext
    ) throws {
        switch object {
        case .map(let map): map[name] = value
        case .record(let record):
            guard record.type.hasField(name) || record.fields[name] != nil else {
                let hint =
                    suggestion(for: name, among: record.type.fields.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                throw context.error(.unknownField, "no field '\(name)' on \(record.type.name)\(hint)", at: range)
            }
            record.fields[name] = value
        default:
            throw context.error(.typeMismatch, "cannot set field '\(name)' on \(object.typeName)", at: range)
        }
    }

    /// `container[key]`: list and string positions (negative from the end), map keys.
    static func subscriptGet(
        _ container: Value, _ key: Value, at range: SourceRange, context: ExecutionContext
    ) throws -> Value {
        switch (container, key) {
        case (.list(let list), .int(let index)):
            guard let position = position(index, count: list.items.count) else {
                throw context.error(
                    .indexOutOfRange, "index \(index) out of range (list of \(list.items.count))", at: range)
            }
            return list.items[position]
        case (.string(let textBox), .int(let index)):
            let text = textBox.value
            if let character = context.asciiStrings.character(of: text, at: index) {
                guard let character else {
                    throw context.error(
                        .indexOutOfRange, "index \(index) out of range (string of \(text.utf8.count))", at: range)
                }
                return .string(character)
            }
            let characters = Array(text)
            guard let position = position(index, count: characters.count) else {
                throw context.error(
                    .indexOutOfRange, "index \(index) out of range (string of \(characters.count))", at: range)
            }
            return .string(String(characters[position]))
        case (.map(let map), .string(let nameBox)), (.map(let map), .status(let nameBox)):
            let name = nameBox.value
            return map[name] ?? .null
        case (.record(let record), .string(let nameBox)):
            let name = nameBox.value
            return try member(.record(record), name, at: range, context: context)
        case (.range(let span), .int(let index)):
            let (lower, last) = (span.lower, span.last)
            // From the end for a negative index; checked, as a range may hold more than Int64.max ints.
            let (item, overflow) =
                index >= 0 ? lower.addingReportingOverflow(index) : last.addingReportingOverflow(index + 1)
            guard !overflow, item >= lower, item <= last else {
                throw context.error(.indexOutOfRange, "index \(index) out of range", at: range)
            }
            return .int(item)
        default:
            throw context.error(.typeMismatch, "cannot index \(container.typeName) with \(key.typeName)", at: range)
        }
    }

    static func position(_ index: Int64, count: Int) -> Int? {
        let resolved = index < 0 ? Int64(count) + index : index
        return resolved >= 0 && resolved < Int64(count) ? Int(resolved) : nil
    }

    static func subscriptSet(
        _ container: Value, _ key: Value, _ value: Value, at range: SourceRange, context: ExecutionContext
    ) throws {
        switch (container, key) {
        case (.list(let list), .int(let index)):
            guard let position = position(index, count: list.items.count) else {
                throw context.error(
                    .indexOutOfRange, "index \(index) out of range (list of \(list.items.count))", at: range)
            }
            list.items[position] = value
        case (.map(let map), .string(let nameBox)), (.map(let map), .status(let nameBox)):
            let name = nameBox.value
            map[name] = value
        default:
            throw context.error(
                .typeMismatch, "cannot assign to an element of \(container.typeName) with a \(key.typeName) key",
                at: range)
        }
    }

    /// What `for` walks: list items (with their index), map keys (with values), range numbers,
    /// string characters.
    static func iterationPairs(
        _ value: Value, wantsPairs: Bool, at range: SourceRange, context: ExecutionContext
    ) throws -> [(Value, Value)] {
        switch value {
        case .list(let list): return list.items.enumerated().map { (.int(Int64($0)), $1) }
        case .range(let span):
            let (lower, last) = (span.lower, span.last)
            guard let count = Checked.count(lower, last), count <= 100_000_000 else {
                throw context.error(.invalidOperation, "range too large to iterate here", at: range)
            }
            return (0..<count).map { (.int($0), .int(lower + $0)) }
        case .map(let map): return map.pairs.map { wantsPairs ? (.string($0.0), $0.1) : (.null, .string($0.0)) }
        case .string(let text): return text.value.enumerated().map { (.int(Int64($0)), .string(String($1))) }
        default:
            throw context.error(.typeMismatch, "cannot iterate over \(value.typeName)", at: range)
        }
    }

    static func duration(
        _ value: Value, _ what: String, at range: SourceRange, context: ExecutionContext
    ) throws -> Duration {
        switch value {
        case .duration(let millis): return .milliseconds(millis)
        case .int(let seconds):
            guard seconds.multipliedReportingOverflow(by: 1000).overflow == false else {
                throw context.error(.invalidOperation, "'\(what)' is out of range", at: range)
            }
            return .seconds(seconds)
        default:
            throw context.error(
                .typeMismatch, "'\(what)' must be a duration (like 5m), got \(value.typeName)", at: range)
        }
    }

    /// The value `catch e` binds.
    static func errorValue(_ error: RuntimeError) -> ErrorValue { error.value }
}
