/// A function value: a user closure or a built-in.
public final class Function: @unchecked Sendable {
    enum Kind {
        case user(CompiledFunction, captures: [Box])
        case builtin(Builtin)
        /// A built-in method with its receiver (`xs.map` used as a value).
        case bound(Builtin, receiver: Value)
    }

    let kind: Kind
    /// The user function and its captures, unpacked for the call fast path.
    let compiled: CompiledFunction?
    let captures: [Box]

    init(_ kind: Kind) {
        self.kind = kind
        if case .user(let compiled, let captures) = kind {
            self.compiled = compiled
            self.captures = captures
        } else {
            self.compiled = nil
            self.captures = []
        }
    }

    public var name: String {
        switch kind {
        case .user(let function, _): function.name
        case .builtin(let builtin), .bound(let builtin, _): builtin.name
        }
    }
}

/// A user function after compilation: its parameters, frame layout and body. What a call reads is
/// constant, so a call borrows it instead of retaining it (a retain and a release per call each).
final class CompiledFunction: @unchecked Sendable {
    let name: String
    let parameterNames: [String]
    /// Slots of the parameters, and whether each is boxed (captured by an inner closure).
    let parameterSlots: [(slot: Int, boxed: Bool)]
    let defaults: [Eval?]
    let slotCount: Int
    let body: Exec
    /// Where each captured variable comes from in the creating frame.
    let captureSources: [CaptureSource]
    let range: SourceRange
    let usesDefer: Bool
    /// A REPL entry's main code: its deferred statements are kept for the session's end, not run
    /// when the entry ends.
    var keepsDefers = false
    /// For a program's main code: the slot holding the value of its last statement when that is a
    /// bare expression (the program's final result).
    var resultSlot: Int?

    init(
        name: String, parameterNames: [String] = [], parameterSlots: [(Int, Bool)] = [], defaults: [Eval?] = [],
        slotCount: Int, body: @escaping Exec, captureSources: [CaptureSource] = [], range: SourceRange,
        usesDefer: Bool
    ) {
        self.name = name
        self.parameterNames = parameterNames
        self.parameterSlots = parameterSlots
        self.defaults = defaults
        self.slotCount = slotCount
        self.body = body
        self.captureSources = captureSources
        self.range = range
        self.usesDefer = usesDefer
    }
}

/// Where a closure finds a captured variable when it is created.
enum CaptureSource {
    /// A boxed local of the creating frame.
    case slot(Int)
    /// A variable the creating function itself captured.
    case capture(Int)
}

/// A method call site's cache: the built-in found for the last receiver's type, so that a call in
/// a loop looks its method up once (not by hashing its name and the type's name twice each call).
/// A record with a field of that name takes the general path every time. Interpreter threads run
/// one at a time (the runtime's lock), so the cache needs no lock of its own.
///
/// The library and the built-in are not retained (a retain and a release of each, and of the
/// runtime the library was read from, per call showed in the profile of method calls): a site is
/// compiled for the library its program runs with, and built-ins live as long as their library.
final class MethodSite: @unchecked Sendable {
    let name: String
    private unowned(unsafe) let library: Library
    private var tag: Value.Tag?
    private var recordType: ObjectIdentifier?
    private var builtin: Unmanaged<Builtin>?

    init(name: String, library: Library) {
        self.name = name
        self.library = library
    }

    /// Runs `body` with the built-in `receiver.name(…)` calls, or returns nil for the general path
    /// (a record field of that name, no such method). The caller has ruled out a map holding a
    /// function under the name.
    @inline(__always)
    func withMethod<R>(for receiver: Value, _ body: (Builtin) throws -> R) rethrows -> R? {
        guard let builtin = method(for: receiver) else { return nil }
        return try builtin._withUnsafeGuaranteedRef(body)
    }

    private func method(for receiver: Value) -> Unmanaged<Builtin>? {
        let tag = receiver.tag
        var type: ObjectIdentifier?
        switch receiver {
        case .record(let record):
            if record.fields[name] != nil { return nil }
            type = ObjectIdentifier(record.type)
        default: break
        }
        if tag == self.tag, type == recordType, let builtin { return builtin }
        guard let found = library.method(name, on: receiver) else { return nil }
        self.tag = tag
        recordType = type
        builtin = .passUnretained(found)
        isProperty = library.isProperty(name, on: receiver)
        return builtin
    }

    /// Whether the method last found reads as a field (`xs.len`).
    private(set) var isProperty = false
}

extension Value {
    /// Which case a value is, without its payload.
    enum Tag: UInt8 {
        case null, bool, int, float, string, duration, time, status, list, map, range, function, error, record, box
    }

    var tag: Tag {
        switch self {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .float: .float
        case .string: .string
        case .duration: .duration
        case .time: .time
        case .status: .status
        case .list: .list
        case .map: .map
        case .range: .range
        case .function: .function
        case .error: .error
        case .record: .record
        case .box: .box
        }
    }
}
