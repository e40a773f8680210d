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
        guard !matches.isEmpty else { return .none }
        if matches.count == 1 {
            let full = matches[0]
            let suffix = String(full.dropFirst(prefix.count)) + (isCallable(word: word, completed: full) ? "(" : "")
            return Completion(insertion: suffix, candidates: matches)
        }
        return Self.common(matches, typed: prefix)
    }

    /// The longest insertion every candidate shares, with the candidates listed.
    static func common(_ matches: [String], typed: String, shown: [String]? = nil, heading: String? = nil) -> Completion
    {
        let common = matches.dropFirst().reduce(matches.first ?? "") { String($0.commonPrefix(with: $1)) }
        return Completion(
            insertion: String(common.dropFirst(typed.count)), candidates: shown ?? matches, heading: heading)
    }

    /// The text before the cursor read as far as completion needs: the brackets still open and
    /// whether the cursor is inside a string.
    struct Scan {
        let text: String
        /// Open `(`, `[` and `{` outside strings, innermost last.
        var open: [(character: Character, index: String.Index)] = []
        var inString = false
        /// Where the string the cursor is in starts (after its quote).
        var stringStart: String.Index?

        init(_ text: String) {
            self.text = text
            var index = text.startIndex
            var escaped = false
            while index < text.endIndex {
                let character = text[index]
                if inString {
                    if escaped {
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        inString = false
                    }
                } else {
                    switch character {
                    case "\"":
                        inString = true
                        stringStart = text.index(after: index)
                    case "(", "[", "{": open.append((character, index))
                    case ")", "]", "}": if !open.isEmpty { open.removeLast() }
                    default: break
                    }
                }
                index = text.index(after: index)
            }
        }

        /// The word being typed (inside a string: everything after its quote).
        var partial: Substring {
            if inString, let stringStart { return text[stringStart...] }
            return Substring(
                text.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }.reversed())
        }

        /// What comes before the word being typed (and its quote), without trailing spaces.
        var head: Substring {
            let end =
                inString
                ? text.index(before: stringStart ?? text.endIndex) : text.index(text.endIndex, offsetBy: -partial.count)
            return text[..<end].reversed().drop { $0 == " " }.reversed().reduce(into: Substring()) { $0.append($1) }
        }
    }

    /// The call the cursor is in, its built-in and the kind of resource it is about.
    struct Call {
        let builtin: Builtin
        let kind: String?
        /// Where the call's `(` is in the text.
        let index: String.Index
    }

    /// The innermost call around the cursor: `pods.create(` (kind Pod), `print(`, `p.metrics(` (a
    /// method of the value `p` holds, kind its record type).
    func openCall(_ scan: Scan) -> Call? {
        for bracket in scan.open.reversed() where bracket.character == "(" {
            let callee = String(
                scan.text[..<bracket.index].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                    .reversed())
            let parts = callee.split(separator: ".").map(String.init)
            if parts.count == 1, let builtin = library.functions[parts[0]] {
                return Call(builtin: builtin, kind: nil, index: bracket.index)
            }
            guard parts.count == 2 else { return nil }
            if let builtin = library.namespaces[parts[0]]?[parts[1]] {
                return Call(builtin: builtin, kind: Self.namespaceKinds[parts[0]], index: bracket.index)
            }
            if let value = session.value(of: parts[0]), let builtin = library.methods[value.typeName]?[parts[1]] {
                let kind: String? = if case .record(let record) = value { record.type.name } else { nil }
                return Call(builtin: builtin, kind: kind, index: bracket.index)
            }
            return nil
        }
        return nil
    }

    /// Inside a call: at an argument's place, its parameter names (under the signature); at an
    /// argument's value, what fits it. Inside a map literal, its keys' values
    /// (`resources: [{gpuType: "`); inside a list literal, values for the list's parameter
    /// (`regions: ["us-`).
    func argumentCompletion(_ scan: Scan, call: Call) -> Completion? {
        let head = scan.head
        let partial = String(scan.partial)
        let innermost = scan.open.last
        // At a name: `vms.create(`, `vms.create(name: "a", ` or `{` inside it.
        if !scan.inString, head.hasSuffix("(") || head.hasSuffix(",") || head.hasSuffix("{") {
            if innermost?.character == "(", innermost?.index == call.index {
                let names = call.builtin.parameters.map { $0.name + ":" }.filter { $0.hasPrefix(partial) }
                guard !names.isEmpty else { return nil }
                let heading = partial.isEmpty ? Help.signature(call.builtin) : nil
                if names.count == 1 {
                    return Completion(
                        insertion: String(names[0].dropFirst(partial.count)) + " ", candidates: names, heading: heading)
                }
                return Self.common(names, typed: partial, heading: heading)
            }
            if innermost?.character == "{", let key = listParameter(scan, innermost: innermost),
                let parameter = call.builtin.parameters.first(where: { $0.name == key })
            {
                let names = Help.keys(of: parameter).map { $0 + ":" }.filter { $0.hasPrefix(partial) }
                guard !names.isEmpty else { return nil }
                if names.count == 1 {
                    return Completion(insertion: String(names[0].dropFirst(partial.count)) + " ", candidates: names)
                }
                return Self.common(names, typed: partial)
            }
        }
        // At a value: which parameter (or key) it is for.
        let parameter: String
        if let key = Self.key(before: head) {
            parameter = key
        } else if head.hasSuffix("("), innermost?.index == call.index, let first = call.builtin.parameters.first {
            parameter = first.name
        } else if head.hasSuffix("[") || head.hasSuffix(","), innermost?.character == "[",
            let key = listParameter(scan, innermost: innermost)
        {
            parameter = key
        } else {
            return nil
        }
        let found = candidates(parameter, kind: call.kind).filter { $0.value.hasPrefix(partial) }
        // No live id known yet (the cache is being filled): nothing, rather than every keyword.
        if parameter == "id", found.isEmpty, partial.isEmpty { return Completion.none }
        // Ids go bare, everything else inside quotes.
        let isID = parameter == "id"
        guard !found.isEmpty, scan.inString || isID else { return nil }
        let matches = found.map(\.value)
        // Names and notes come from the API: their control characters are shown escaped.
        let shown = found.map { value in Printer.visible(value.note.map { "\(value.value) (\($0))" } ?? value.value) }
        if found.count == 1 {
            return Completion(
                insertion: String(matches[0].dropFirst(partial.count)) + (scan.inString ? "\"" : ""), candidates: shown)
        }
        return Self.common(matches, typed: partial, shown: shown)
    }

    /// Values for a parameter: status words of the kind (all kinds' when it is not known), once each,
    /// in the language's lower case; anything else from the host.
    func candidates(_ parameter: String, kind: String?) -> [CompletionValue] {
        guard parameter == "status" || parameter == "statusList" else { return values(parameter, kind) }
        let words = kind.flatMap { library.statuses[$0] } ?? library.statuses.values.flatMap { $0 }
        return Array(Set(words.map { $0.lowercased() })).sorted().map { CompletionValue($0) }
    }

    /// `name:` at the end of `head` (`gpuType:` → gpuType).
    static func key(before head: Substring) -> String? {
        guard head.hasSuffix(":") else { return nil }
        let name = String(head.dropLast().reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        return name.isEmpty ? nil : name
    }

    /// The parameter a list or map literal is the value of: `regions: [` → regions; for a map inside
    /// a list (`resources: [{`), the list's.
    func listParameter(_ scan: Scan, innermost: (character: Character, index: String.Index)?) -> String? {
        guard let innermost else { return nil }
        var index = innermost.index
        if innermost.character == "{", let outer = scan.open.dropLast().last, outer.character == "[" {
            index = outer.index
        }
        let before = scan.text[..<index].reversed().drop { $0 == " " }.reversed().reduce(into: Substring()) {
            $0.append($1)
        }
        return Self.key(before: before)
    }

    /// `p.status == r` → the status words of `p`'s kind (`wait until p.status == `, `if … != `).
    func statusCompletion(_ before: String, scan: Scan) -> Completion? {
        guard !scan.inString else { return nil }
        let partial = String(scan.partial)
        var head = scan.head
        guard head.hasSuffix("==") || head.hasSuffix("!=") else { return nil }
        head = head.dropLast(2).reversed().drop { $0 == " " }.reversed().reduce(into: Substring()) { $0.append($1) }
        guard head.hasSuffix(".status") else { return nil }
        // `p.status`, or an item of a list: `ps[0].status`.
        var object = head.dropLast(7)
        if object.hasSuffix("]"), let open = object.lastIndex(of: "[") { object = object[..<open] }
        let owner = String(object.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        var kind: String?
        switch session.value(of: owner) {
        case .record(let record)?: kind = record.type.name
        case .list(let list)?: if case .record(let record)? = list.items.first { kind = record.type.name }
        default: break
        }
        let words = candidates("status", kind: kind).map(\.value).filter { $0.hasPrefix(partial) }
        guard !words.isEmpty else { return nil }
        if words.count == 1 {
            return Completion(insertion: String(words[0].dropFirst(partial.count)), candidates: words)
        }
        return Self.common(words, typed: partial)
    }

    /// `:` commands, and their arguments: files for `:load`/`:save`, topics for `:help`.
    func meta(_ before: String) -> Completion {
        guard let space = before.firstIndex(of: " ") else {
            let names = MetaCommand.all.flatMap(\.names).filter { $0.hasPrefix(before) }.sorted()
            if names.count == 1 {
                let argument = MetaCommand.named(names[0])?.argument
                return Completion(
                    insertion: String(names[0].dropFirst(before.count))
                        + (argument == MetaCommand.Argument.none ? "" : " "), candidates: names)
            }
            return names.isEmpty ? .none : Self.common(names, typed: before)
        }
        let argument = String(before[before.index(after: space)...])
        switch MetaCommand.named(String(before[..<space]))?.argument {
        case .file?: return Self.files(argument)
        case .topic?:
            let topics =
                library.functions.keys.map { $0 }
                + library.namespaces.flatMap { namespace in
                    [namespace.key] + namespace.value.keys.map { "\(namespace.key).\($0)" }
                } + library.recordTypes.keys.map { $0 }
            let matches = Array(Set(topics.filter { $0.hasPrefix(argument) })).sorted()
            if matches.count == 1 {
                return Completion(insertion: String(matches[0].dropFirst(argument.count)), candidates: matches)
            }
            return matches.isEmpty ? .none : Self.common(matches, typed: argument)
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
        guard !matches.isEmpty else { return .none }
        if matches.count == 1 {
            return Completion(insertion: String(matches[0].dropFirst(stem.count)), candidates: matches)
        }
        return common(matches, typed: stem)
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
