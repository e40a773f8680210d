import Foundation
import Language
import Terminal

/// Tab completion in context: keywords, variables, built-ins; `namespace.` operations; fields and
/// methods of the value a variable holds; inside a call (a namespace function or a method), its
/// parameter names with the signature, and values for the argument being typed — also inside map
/// and list literals (`resources: [{gpuType: "NVIDIA_`); status words after `x.status ==`;
/// meta-commands and their arguments.
public struct Completer {
    let library: Library
    let session: Interpreter.Session
    /// Values for an argument by parameter name (`gpuType` → GPU codes, `id` → live ids) of a call on
    /// a kind of resource (`Pod`); must answer at once (a host serves them from a cache it refreshes
    /// in the background).
    let values: (_ parameter: String, _ kind: String?) -> [CompletionValue]

    public init(
        library: Library, session: Interpreter.Session,
        values: @escaping (_ parameter: String, _ kind: String?) -> [CompletionValue] = { _, _ in [] }
    ) {
        self.library = library
        self.session = session
        self.values = values
    }

    static let keywords = Keyword.allCases.map(\.rawValue) + ["until", "timeout", "every", "parallel"]

    /// The kind of resource a namespace's functions are about.
    static let namespaceKinds = [
        "vms": "VM", "pods": "Pod", "endpoints": "Endpoint", "volumes": "Volume", "credentials": "Credential",
    ]

    /// The completion for the text before the cursor.
    public func complete(_ before: String) -> Completion {
        if before.hasPrefix(":") { return meta(before) }
        let scan = Scan(before)
        if let call = openCall(scan), let argument = argumentCompletion(scan, call: call) { return argument }
        if let status = statusCompletion(before, scan: scan) { return status }
        if scan.inString { return .none }
        let word = String(before.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        let candidates: [String]
        let prefix: String
        if let dot = word.lastIndex(of: ".") {
            prefix = String(word[word.index(after: dot)...])
            candidates = members(of: String(word[..<dot]))
        } else {
            prefix = word
            candidates = Self.keywords + session.variableNames + library.globalNames
        }
        let matches = Array(Set(candidates.filter { $0.hasPrefix(prefix) })).sorted()
        let callable = matches.count == 1 && isCallable(word: word, completed: matches[0])
        return Self.offer(matches, typed: prefix, suffix: callable ? "(" : "") ?? .none
    }

    /// What to do with the matches: none — nothing; one — insert the rest of it and `suffix`;
    /// several — insert the prefix they share, and list them (as `shown`, under `heading`).
    static func offer(
        _ matches: [String], typed: String, suffix: String = "", shown: [String]? = nil, heading: String? = nil
    ) -> Completion? {
        guard let first = matches.first else { return nil }
        if matches.count == 1 {
            return Completion(
                insertion: String(first.dropFirst(typed.count)) + suffix, candidates: shown ?? matches, heading: heading
            )
        }
        let common = matches.dropFirst().reduce(first) { String($0.commonPrefix(with: $1)) }
        return Completion(
            insertion: String(common.dropFirst(typed.count)), candidates: shown ?? matches, heading: heading)
    }

    /// `:` commands, and their arguments: files for `:load`/`:save`, topics for `:help`.
    func meta(_ before: String) -> Completion {
        guard let space = before.firstIndex(of: " ") else {
            let names = MetaCommand.all.flatMap(\.names).filter { $0.hasPrefix(before) }.sorted()
            let takesArgument = names.count == 1 && MetaCommand.named(names[0])?.argument != MetaCommand.Argument.none
            return Self.offer(names, typed: before, suffix: takesArgument ? " " : "") ?? .none
        }
        let argument = String(before[before.index(after: space)...])
        switch MetaCommand.named(String(before[..<space]))?.argument {
        case .file?: return Self.files(argument)
        case .topic?:
            let topics =
                Array(library.functions.keys) + Array(library.recordTypes.keys)
                + library.namespaces.flatMap { namespace in
                    [namespace.key] + namespace.value.keys.map { "\(namespace.key).\($0)" }
                }
            return Self.offer(Array(Set(topics.filter { $0.hasPrefix(argument) })).sorted(), typed: argument) ?? .none
        default: return .none
        }
    }

    /// Paths that start with `typed`: a folder's entries, folders with a `/`. Split by hand:
    /// Foundation's `NSString` path methods trap on some one-character strings on Linux
    /// (`deletingLastPathComponent` of `"a"`, `lastPathComponent` of `"é"`), found by fuzzing this.
    static func files(_ typed: String) -> Completion {
        var path = typed
        if path == "~" || path.hasPrefix("~/") { path = NSHomeDirectory() + path.dropFirst() }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let stem = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        let matches = listed.filter { $0.hasPrefix(stem) && ($0.hasPrefix(".") == stem.hasPrefix(".")) }.sorted()
            .map { name -> String in
                var isFolder: ObjCBool = false
                FileManager.default.fileExists(atPath: folder + name, isDirectory: &isFolder)
                return name + (isFolder.boolValue ? "/" : "")
            }
        return offer(matches, typed: stem) ?? .none
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
