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

/// A user function after compilation: its parameters, frame layout and body.
final class CompiledFunction: @unchecked Sendable {
    let name: String
    let parameterNames: [String]
    /// Slots of the parameters, and whether each is boxed (captured by an inner closure).
    let parameterSlots: [(slot: Int, boxed: Bool)]
    var defaults: [Eval?]
    var slotCount: Int
    var body: Exec
    /// Where each captured variable comes from in the creating frame.
    var captureSources: [CaptureSource]
    let range: SourceRange
    var usesDefer: Bool
    /// A REPL entry's main code: its deferred statements are kept for the session's end, not run
    /// when the entry ends.
    var keepsDefers = false
    /// For a program's main code: the slot holding the value of its last statement when that is a
    /// bare expression (the program's final result).
    var resultSlot: Int?

    init(name: String, parameterNames: [String], parameterSlots: [(Int, Bool)], range: SourceRange) {
        self.name = name
        self.parameterNames = parameterNames
        self.parameterSlots = parameterSlots
        self.defaults = Array(repeating: nil, count: parameterNames.count)
        self.slotCount = 0
        self.body = { _ in .normal }
        self.captureSources = []
        self.range = range
        self.usesDefer = false
    }
}

/// Where a closure finds a captured variable when it is created.
enum CaptureSource {
    /// A boxed local of the creating frame.
    case slot(Int)
    /// A variable the creating function itself captured.
    case capture(Int)
}
