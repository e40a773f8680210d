/// What the checker knows about an expression's value before running: a record of a host type, or
/// a list of them.
public enum StaticKind: Hashable, Sendable {
    case record(String)
    case list(String)
}

/// The built-ins a program can use, registered by the host through one table-driven mechanism:
/// global functions, namespaces of functions (`vms.create`), methods per value type, record types
/// and constants.
public final class Library: @unchecked Sendable {
    public private(set) var functions: [String: Builtin] = [:]
    public private(set) var namespaces: [String: [String: Builtin]] = [:]
    /// Methods by receiver type name (`list`, `string`, `map`, `duration`, `range`, `error`, or a
    /// record type's name).
    public private(set) var methods: [String: [String: Builtin]] = [:]
    /// Zero-argument methods that can also be read as fields (`xs.isEmpty`, `d.seconds`).
    public private(set) var properties: [String: Set<String>] = [:]
    public private(set) var recordTypes: [String: RecordType] = [:]
    public private(set) var constants: [String: Value] = [:]

    // What `gpus check` knows without running: which built-ins return records of which kind, the
    // statuses of each kind, and the values a string parameter can take.
    public private(set) var resultKinds: [String: StaticKind] = [:]
    public private(set) var statuses: [String: [String]] = [:]
    public private(set) var vocabularies: [String: (what: String, values: Set<String>)] = [:]

    /// Names people reach for that mean another (`env` → `environmentVars`, `VM.delete` →
    /// `terminate`): kept in one place, shown by `help("aliases")`, and offered before any
    /// spelling-based guess. A scope is a built-in's name (its parameters and the keys inside them),
    /// a record kind (its methods and fields), `status` (status words) or `*` (any parameter or key).
    public private(set) var aliases: [(scope: String, wrong: String, right: String, note: String)] = []

    public init() {}

    public func declareAlias(_ wrong: String, means right: String, in scope: String = "*", note: String = "") {
        aliases.append((scope, wrong, right, note))
    }

    /// What a misspelt or habitual `name` most likely meant among `candidates`: an alias of the
    /// scope (or of every scope) that names a candidate, else the closest spelling.
    public func suggest(_ name: String, among candidates: [String], scope: String) -> String? {
        for wanted in [scope, "*"] {
            if let alias = aliases.first(where: {
                $0.scope == wanted && $0.wrong.caseInsensitiveCompare(name) == .orderedSame
                    && candidates.contains($0.right)
            }) {
                return alias.right
            }
        }
        return suggestion(for: name, among: candidates)
    }

    /// `vms.get` returns a `VM`; `vms.list` a list of them; `Endpoint.workers` a list of `Worker`s.
    public func declareResult(of builtinName: String, _ kind: StaticKind) { resultKinds[builtinName] = kind }

    /// The status words a record kind's `status` field takes (`wait until vm.status == running`).
    public func declareStatuses(_ words: [String], of kind: String) { statuses[kind] = words }

    /// The values a string argument named `parameter` may take (`gpuType: "NVIDIA_H100_80G"`).
    public func declareVocabulary(_ parameter: String, _ what: String, _ values: [String]) {
        vocabularies[parameter] = (what, Set(values))
    }

    /// A library with the core functions and methods (no cloud).
    public static func core() -> Library {
        let library = Library()
        CoreLibrary.register(into: library)
        return library
    }

    public func register(_ builtin: Builtin) {
        let parts = builtin.name.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            namespaces[parts[0], default: [:]][parts[1]] = builtin
        } else {
            functions[builtin.name] = builtin
        }
    }

    /// A method on values of `type`; `property` makes a zero-argument method readable as a field.
    public func registerMethod(_ builtin: Builtin, on type: String, property: Bool = false) {
        methods[type, default: [:]][builtin.shortName] = builtin
        if property { properties[type, default: []].insert(builtin.shortName) }
    }

    public func register(_ type: RecordType) {
        recordTypes[type.name] = type
        for method in type.methods { registerMethod(method, on: type.name) }
    }

    public func define(_ name: String, _ value: Value) { constants[name] = value }

    func method(_ name: String, on value: Value) -> Builtin? {
        methods[value.typeName]?[name]
    }

    /// Whether a method of the value's type reads as a field (`xs.isEmpty`).
    public func isProperty(_ name: String, on value: Value) -> Bool {
        properties[value.typeName]?.contains(name) ?? false
    }

    /// Every name a program can refer to without declaring it.
    public var globalNames: [String] {
        Array(functions.keys) + Array(namespaces.keys) + Array(constants.keys)
    }
}

/// A host-defined record type: named fields with documentation, and methods.
public final class RecordType: Sendable {
    public let name: String
    public let summary: String
    public let fields: [(name: String, summary: String)]
    public let methods: [Builtin]
    /// The fields a table of these records shows.
    public let columns: [String]
    /// How a record prints when its natural view is not field lines or a table row (a log line, a
    /// metric's series), given the width to fit (0: any); a list of them prints one view a line.
    public let view: (@Sendable (Record, _ width: Int) -> String)?
    /// A list field whose items a table shows one a row (`VMType.regions`: a row per region); the
    /// columns may name the items' keys.
    public let rowsOf: String?
    /// The fields that say which thing a record describes (`id`); empty: records are plain values.
    public let identity: [String]
    /// The unit a table's header shows after a field's name (`singleCardPrice $/h`).
    public let units: [String: String]

    public init(
        name: String, summary: String, fields: [(name: String, summary: String)], methods: [Builtin] = [],
        columns: [String]? = nil, view: (@Sendable (Record, _ width: Int) -> String)? = nil, rowsOf: String? = nil,
        identity: [String] = [], units: [String: String] = [:]
    ) {
        self.identity = identity
        self.units = units
        self.name = name
        self.summary = summary
        self.fields = fields
        self.methods = methods
        self.columns = columns ?? Array(fields.prefix(6).map(\.name))
        self.view = view
        self.rowsOf = rowsOf
    }

    public func hasField(_ name: String) -> Bool { fields.contains { $0.name == name } }
}

/// The closest candidate to a misspelt name, if it is close enough to be a likely typo.
public func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(name.lowercased(), candidate.lowercased())
        if distance <= max(1, (name.count + 1) / 3), distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    return best?.0
}

/// Edit distance counting a swap of two neighbours as one edit (optimal string alignment).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}
