/// Turns the syntax tree into closures over frames: variables resolved to slots before running,
/// captured variables boxed, undeclared names reported before anything runs.
///
/// It runs once over a program: which variables closures capture (to be boxed) is found before,
/// by `CaptureResolver`.
final class Compiler {
    let library: Library
    let source: SourceFile
    var diagnostics: [Diagnostic] = []
    /// Declarations captured by an inner function: found by `CaptureResolver`, and any this
    /// compiler finds that it missed.
    var captured: Set<Int>
    var functions: [FunctionScope] = []
    /// REPL mode: top-level variables persist between entries and are always boxed.
    let globals: GlobalScope?
    /// The record kinds of variables, by declaration key, where known (see `Compiler+Kinds`).
    var staticKinds: [Int: StaticKind] = [:]
    /// Names whose `let` value is being compiled (a lambda that calls itself by such a name gets a hint).
    var declaring: [String] = []

    init(library: Library, source: SourceFile, captured: Set<Int> = [], globals: GlobalScope?) {
        self.library = library
        self.source = source
        self.captured = captured
        self.globals = globals
    }

    /// A variable as the compiler knows it.
    struct Variable {
        var key: Int
        var slot: Int
        var boxed: Bool
        /// `fn` names cannot be assigned.
        var isFunction: Bool
    }

    /// The variables of one function being compiled.
    final class FunctionScope {
        var blocks: [[String: Variable]] = [[:]]
        var slotCount = 0
        var captures: [(key: Int, source: CaptureSource)] = []
        var captureIndex: [Int: Int] = [:]
        var loopDepth = 0
        var usesDefer = false
        let isFunction: Bool
        /// For a `fn` declaration: its variable's key, and where its compiled code will be (for its
        /// calls to itself, compiled before it is).
        var declaredAs: Int?
        let itself = SelfReference()

        init(isFunction: Bool) { self.isFunction = isFunction }

        func newSlot() -> Int {
            slotCount += 1
            return slotCount - 1
        }
    }

    /// Where a name was found.
    enum Resolved {
        case local(Int)
        case boxed(Int)
        case captured(Int)
        case constant(Value)
        case builtin(Builtin)
        case namespace(String)
    }

    // MARK: - Scopes

    var scope: FunctionScope { functions[functions.count - 1] }

    func beginBlock() { scope.blocks.append([:]) }
    func endBlock() { scope.blocks.removeLast() }

    /// Declares a variable in the innermost block.
    @discardableResult
    func declare(_ name: String, key: Int, at range: SourceRange, isFunction: Bool = false) -> Variable {
        if functions.count == 1, scope.blocks.count == 1, let globals {
            return globals.declare(name, key: key, isFunction: isFunction)
        }
        if let existing = scope.blocks[scope.blocks.count - 1][name], !existing.isFunction || !isFunction {
            diagnostics.append(
                Diagnostic(.redeclaredVariable, "'\(name)' is already declared in this block", at: range))
        }
        let variable = Variable(key: key, slot: scope.newSlot(), boxed: captured.contains(key), isFunction: isFunction)
        scope.blocks[scope.blocks.count - 1][name] = variable
        return variable
    }

    func lookup(_ name: String, in function: FunctionScope, isTop: Bool) -> Variable? {
        for block in function.blocks.reversed() {
            if let variable = block[name] { return variable }
        }
        if isTop, let globals, let variable = globals.variables[name] { return variable }
        return nil
    }

    /// Resolves a name: a local, a variable of an enclosing function (captured), or a built-in.
    func resolve(_ name: String, at range: SourceRange) -> Resolved? {
        let current = functions.count - 1
        if let variable = lookup(name, in: functions[current], isTop: current == 0) {
            return variable.boxed ? .boxed(variable.slot) : .local(variable.slot)
        }
        for level in stride(from: current - 1, through: 0, by: -1) {
            guard let variable = lookup(name, in: functions[level], isTop: level == 0) else { continue }
            captured.insert(variable.key)
            var source = CaptureSource.slot(variable.slot)
            var index = 0
            for inner in (level + 1)...current {
                let function = functions[inner]
                if let existing = function.captureIndex[variable.key] {
                    index = existing
                } else {
                    index = function.captures.count
                    function.captures.append((variable.key, source))
                    function.captureIndex[variable.key] = index
                }
                source = .capture(index)
            }
            return .captured(index)
        }
        if let value = library.constants[name] { return .constant(value) }
        if let builtin = library.functions[name] { return .builtin(builtin) }
        if library.namespaces[name] != nil { return .namespace(name) }
        return nil
    }

    /// Every name visible here, for suggestions.
    func visibleNames() -> [String] {
        var names = functions.flatMap { $0.blocks.flatMap { $0.keys } } + library.globalNames
        if let globals { names += globals.variables.keys }
        return names
    }

    func undeclared(_ name: String, at range: SourceRange) {
        let hint =
            declaring.contains(name)
            ? " (a 'let' is not visible in its own value: to call a function by its name inside it, declare it with 'fn \(name)(…) { … }')"
            : library.suggest(name, among: visibleNames(), scope: "status").map { "; did you mean '\($0)'?" } ?? ""
        diagnostics.append(Diagnostic(.undeclaredVariable, "undeclared variable '\(name)'\(hint)", at: range))
    }

    /// A unique key for a declaration: its offset, with a discriminator for several names at one place.
    static func key(_ range: SourceRange, _ discriminator: Int = 0) -> Int { range.start * 4 + discriminator }

    // MARK: - Programs and functions

    /// Compiles a program (or a REPL entry) as the body of a main function.
    func compileMain(_ statements: [Stmt], range: SourceRange) -> CompiledFunction {
        let scope = FunctionScope(isFunction: false)
        if let globals { scope.slotCount = globals.slotCount }
        functions.append(scope)
        var statements = statements
        let body: Exec
        var resultSlot: Int?
        if globals == nil, case .expression(let last)? = statements.last {
            // The final result: the last bare expression's value, kept in a slot no name reaches.
            let slot = scope.newSlot()
            resultSlot = slot
            statements.removeLast()
            let rest = compileStatements(statements, hoisting: true)
            let value = compileExpression(last)
            body = { frame in
                let flow = try rest(frame)
                if flow != .normal { return flow }
                frame.slots[slot] = try value(frame)
                return .normal
            }
        } else {
            body = compileStatements(statements, hoisting: true)
        }
        functions.removeLast()
        if let globals { globals.slotCount = max(globals.slotCount, scope.slotCount) }
        let main = CompiledFunction(
            name: "<main>", slotCount: scope.slotCount, body: body, range: range, usesDefer: scope.usesDefer)
        main.resultSlot = resultSlot
        return main
    }

    /// Compiles a function declaration or lambda; the returned code creates the closure.
    func compileFunction(_ decl: FunctionDecl, name: String, declaredAs: Int? = nil) -> (CompiledFunction, Eval) {
        let scope = FunctionScope(isFunction: true)
        scope.declaredAs = declaredAs
        functions.append(scope)
        var slots: [(Int, Bool)] = []
        var seen = Set<String>()
        for parameter in decl.parameters {
            let variable: Variable
            if seen.insert(parameter.name).inserted {
                variable = declare(parameter.name, key: Self.key(parameter.range), at: parameter.range)
            } else {
                diagnostics.append(
                    Diagnostic(.duplicateParameter, "duplicate parameter '\(parameter.name)'", at: parameter.range))
                variable = Variable(
                    key: Self.key(parameter.range), slot: scope.newSlot(), boxed: false, isFunction: false)
            }
            slots.append((variable.slot, variable.boxed))
        }
        let defaults = decl.parameters.map { parameter in parameter.defaultValue.map { compileExpression($0) } }
        let body: Exec
        if decl.isExpressionBody, case .expression(let expression)? = decl.body.statements.first {
            let value = compileExpression(expression)
            body = { frame in
                frame.returnValue = try value(frame)
                return .returned
            }
        } else {
            body = compileStatements(decl.body.statements, hoisting: true)
        }
        functions.removeLast()
        let compiled = CompiledFunction(
            name: name, parameterNames: decl.parameters.map(\.name), parameterSlots: slots, defaults: defaults,
            slotCount: scope.slotCount, body: body, captureSources: scope.captures.map(\.source), range: decl.range,
            usesDefer: scope.usesDefer)
        scope.itself.function = .passUnretained(compiled)
        let sources = compiled.captureSources
        let make: Eval = { frame in
            let boxes = sources.map { source -> Box in
                switch source {
                case .slot(let slot):
                    if case .box(let box) = frame.slots[slot] { return box }
                    return Box(frame.slots[slot])
                case .capture(let index): return frame.captures[index]
                }
            }
            return .function(Function(.user(compiled, captures: boxes)))
        }
        return (compiled, make)
    }
}

/// A function's compiled code for its calls to itself, filled once it is compiled. Unretained:
/// the code that calls through it belongs to the function, so holding it would be a cycle; compiled
/// functions live as long as the program's code.
final class SelfReference: @unchecked Sendable {
    var function: Unmanaged<CompiledFunction>?
}

/// The top-level variables of a REPL session: they persist between entries, always boxed.
public final class GlobalScope: @unchecked Sendable {
    var variables: [String: Compiler.Variable] = [:]
    var slotCount = 0

    public init() {}

    func declare(_ name: String, key: Int, isFunction: Bool) -> Compiler.Variable {
        if let existing = variables[name] { return existing }
        let variable = Compiler.Variable(key: key, slot: slotCount, boxed: true, isFunction: isFunction)
        slotCount += 1
        variables[name] = variable
        return variable
    }

    /// Names of the session's variables, for completion.
    public var names: [String] { Array(variables.keys) }

    func copy() -> GlobalScope {
        let copy = GlobalScope()
        copy.adopt(self)
        return copy
    }

    /// Takes the variables of `other` (a copy extended by a program that compiled).
    func adopt(_ other: GlobalScope) {
        variables = other.variables
        slotCount = other.slotCount
    }
}
