import Language
import LineEditor

/// Tab completion in context: keywords, variables, built-ins; `namespace.` operations; fields and
/// methods of the value a variable holds.
public struct Completer {
    let library: Library
    let session: Interpreter.Session
    /// Values for an argument by parameter name (`gpuType` → GPU codes, `id` → live ids); must
    /// answer at once (a host serves them from a cache it refreshes in the background).
    let values: (String) -> [String]

    public init(library: Library, session: Interpreter.Session, values: @escaping (String) -> [String] = { _ in [] }) {
        self.library = library
        self.session = session
        self.values = values
    }

    static let keywords = Keyword.allCases.map(\.rawValue) + ["until", "timeout", "every", "parallel"]

    /// The completion for the text before the cursor.
    public func complete(_ before: String) -> LineEditor.Completion {
        if let argument = argumentValue(before) { return argument }
        let word = String(before.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        var candidates: [String]
        let prefix: String
        if let dot = word.lastIndex(of: ".") {
            let head = String(word[..<dot])
            prefix = String(word[word.index(after: dot)...])
            candidates = members(of: head)
        } else {
            prefix = word
            candidates = Self.keywords + session.variableNames + library.globalNames
            // Inside a built-in's call, at an argument's place: its parameter names first.
            if let builtin = openCall(before), atArgumentName(before, word: word) {
                let named = builtin.parameters.map { $0.name + ":" }.filter { $0.hasPrefix(prefix) }
                if !named.isEmpty { candidates = named }
            }
        }
        let matches = Array(Set(candidates.filter { $0.hasPrefix(prefix) })).sorted()
        guard !matches.isEmpty else { return LineEditor.Completion(insertion: "", candidates: []) }
        if matches.count == 1 {
            let full = matches[0]
            let callable = !full.hasSuffix(":") && isCallable(word: word, completed: full)
            let suffix = String(full.dropFirst(prefix.count)) + (full.hasSuffix(":") ? " " : (callable ? "(" : ""))
            return LineEditor.Completion(insertion: suffix, candidates: matches)
        }
        let common = matches.dropFirst().reduce(matches[0]) { shared, next in String(shared.commonPrefix(with: next)) }
        return LineEditor.Completion(insertion: String(common.dropFirst(prefix.count)), candidates: matches)
    }

    /// Inside a built-in's call, at an argument's value: `gpuType: "NVIDIA_H1` → GPU codes,
    /// `vms.get(` → live ids. Strings are completed inside their quotes, ids bare.
    func argumentValue(_ before: String) -> LineEditor.Completion? {
        guard let builtin = openCall(before) else { return nil }
        let quotes = before.filter { $0 == "\"" }.count
        let inString = quotes % 2 == 1
        let partial: String
        let head: Substring
        if inString, let quote = before.lastIndex(of: "\"") {
            partial = String(before[before.index(after: quote)...])
            head = before[..<quote]
        } else {
            let word = String(
                before.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }.reversed())
            partial = word
            head = before.dropLast(word.count)
        }
        let trimmed = head.trimmingCharacters(in: .whitespaces)
        let parameter: String
        if trimmed.hasSuffix(":") {
            parameter = String(
                trimmed.dropLast().reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        } else if trimmed.hasSuffix("("), let first = builtin.parameters.first {
            parameter = first.name
        } else {
            return nil
        }
        let candidates = values(parameter).filter { $0.hasPrefix(partial) }.sorted()
        guard !candidates.isEmpty, inString || parameter == "id" else { return nil }
        if candidates.count == 1 {
            return LineEditor.Completion(
                insertion: String(candidates[0].dropFirst(partial.count)) + (inString ? "\"" : ""),
                candidates: candidates)
        }
        let common = candidates.dropFirst().reduce(candidates[0]) { String($0.commonPrefix(with: $1)) }
        return LineEditor.Completion(insertion: String(common.dropFirst(partial.count)), candidates: candidates)
    }

    /// The built-in whose call the cursor is in (`pods.create(gpu` → pods.create).
    func openCall(_ before: String) -> Builtin? {
        var depth = 0
        var index = before.endIndex
        while index > before.startIndex {
            index = before.index(before: index)
            switch before[index] {
            case ")", "]", "}": depth += 1
            case "[", "{": depth -= 1
            case "(":
                if depth == 0 {
                    let callee = String(
                        before[..<index].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                            .reversed())
                    let parts = callee.split(separator: ".").map(String.init)
                    if parts.count == 2 { return library.namespaces[parts[0]]?[parts[1]] }
                    return parts.count == 1 ? library.functions[parts[0]] : nil
                }
                depth -= 1
            default: break
            }
        }
        return nil
    }

    /// Whether the word being typed follows `(` or `,` (a name, not a value).
    func atArgumentName(_ before: String, word: String) -> Bool {
        let rest = before.dropLast(word.count).trimmingCharacters(in: .whitespaces)
        return rest.hasSuffix("(") || rest.hasSuffix(",")
    }

    /// Names after `head.`: a namespace's functions, or the fields and methods of a variable's value.
    func members(of head: String) -> [String] {
        if let functions = library.namespaces[head] { return Array(functions.keys) }
        guard !head.contains("."), let value = session.value(of: head) else { return [] }
        var names = Array(library.methods[value.typeName]?.keys ?? [:].keys)
        switch value {
        case .record(let record): names += record.type.fields.map(\.name)
        case .map(let map): names += map.orderedKeys
        default: break
        }
        return names
    }

    func isCallable(word: String, completed: String) -> Bool {
        guard let dot = word.lastIndex(of: ".") else { return library.functions[completed] != nil }
        let head = String(word[..<dot])
        if library.namespaces[head]?[completed] != nil { return true }
        guard let value = session.value(of: head) else { return false }
        return library.methods[value.typeName]?[completed] != nil && !library.isProperty(completed, on: value)
    }
}
