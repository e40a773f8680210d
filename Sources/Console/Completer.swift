import Language
import LineEditor

/// Tab completion in context: keywords, variables, built-ins; `namespace.` operations; fields and
/// methods of the value a variable holds.
public struct Completer {
    let library: Library
    let session: Interpreter.Session

    public init(library: Library, session: Interpreter.Session) {
        self.library = library
        self.session = session
    }

    static let keywords = Keyword.allCases.map(\.rawValue) + ["until", "timeout", "every", "parallel"]

    /// The completion for the text before the cursor.
    public func complete(_ before: String) -> LineEditor.Completion {
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
        }
        let matches = Array(Set(candidates.filter { $0.hasPrefix(prefix) })).sorted()
        guard !matches.isEmpty else { return LineEditor.Completion(insertion: "", candidates: []) }
        if matches.count == 1 {
            let full = matches[0]
            let suffix = String(full.dropFirst(prefix.count)) + (isCallable(word: word, completed: full) ? "(" : "")
            return LineEditor.Completion(insertion: suffix, candidates: matches)
        }
        let common = matches.dropFirst().reduce(matches[0]) { shared, next in String(shared.commonPrefix(with: next)) }
        return LineEditor.Completion(insertion: String(common.dropFirst(prefix.count)), candidates: matches)
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
