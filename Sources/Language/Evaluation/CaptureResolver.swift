/// Finds the declarations that inner functions capture, in one walk over the syntax tree before
/// the program is compiled: the compiler boxes those variables as it declares them, so the program
/// is compiled once (it used to be compiled twice, the first time only to learn this).
///
/// The walk follows the compiler's scoping: blocks, `fn` declarations visible to their whole block,
/// a `let` visible after its value, parameters, loop and `catch` variables, lambdas, deferred
/// statements and `parallel for` bodies as functions, the variables of a REPL session. Should the compiler find a capture this walk missed, it
/// compiles the program a second time with it (`Interpreter.compile`), so a gap here costs time,
/// never a wrong answer; a test checks that every test script and example needs one pass.
struct CaptureResolver {
    /// The blocks of each function being walked, innermost last: names to declaration keys.
    private var functions: [[[String: Int]]] = []
    private let globals: GlobalScope?
    private(set) var captured: Set<Int> = []

    /// The declarations `statements` (a program or a REPL entry) capture.
    static func captures(_ statements: [Stmt], globals: GlobalScope?) -> Set<Int> {
        var resolver = CaptureResolver(globals: globals)
        resolver.functions = [[[:]]]
        resolver.statements(statements)
        return resolver.captured
    }

    private init(globals: GlobalScope?) { self.globals = globals }

    // MARK: - Scopes

    private mutating func declare(_ name: String, key: Int) {
        let current = functions.count - 1
        // A REPL session's variable keeps the declaration it was first made with.
        let sessionKey = current == 0 && functions[0].count == 1 ? globals?.variables[name]?.key : nil
        functions[current][functions[current].count - 1][name] = sessionKey ?? key
    }

    private mutating func inBlock(_ body: (inout CaptureResolver) -> Void) {
        functions[functions.count - 1].append([:])
        body(&self)
        functions[functions.count - 1].removeLast()
    }

    private func lookup(_ name: String, level: Int) -> Int? {
        for block in functions[level].reversed() {
            if let key = block[name] { return key }
        }
        if level == 0, let variable = globals?.variables[name] { return variable.key }
        return nil
    }

    /// A name read or assigned: captured when it is declared in an enclosing function.
    private mutating func use(_ name: String) {
        let current = functions.count - 1
        if lookup(name, level: current) != nil { return }
        for level in stride(from: current - 1, through: 0, by: -1) {
            if let key = lookup(name, level: level) {
                captured.insert(key)
                return
            }
        }
    }

    // MARK: - The walk

    private mutating func statements(_ statements: [Stmt]) {
        for case .function(let decl) in statements {
            if let name = decl.name { declare(name, key: Compiler.key(decl.range)) }
        }
        for statement in statements { self.statement(statement) }
    }

    private mutating func block(_ block: Block) {
        inBlock { $0.statements(block.statements) }
    }

    private mutating func statement(_ statement: Stmt) {
        switch statement {
        case .expression(let expr), .throwError(let expr, _):
            expression(expr)
        case .declaration(let name, let value, let range):
            expression(value)
            declare(name, key: Compiler.key(range))
        case .assignment(let target, _, let value, _):
            expression(value)
            expression(target)
        case .ifElse(let branches, let otherwise, _):
            for branch in branches {
                expression(branch.condition)
                block(branch.body)
            }
            if let otherwise { block(otherwise) }
        case .whileLoop(let condition, let body, _):
            expression(condition)
            block(body)
        case .forLoop(let names, let sequence, let body, let range):
            expression(sequence)
            inBlock { resolver in
                for (index, name) in names.enumerated() { resolver.declare(name, key: Compiler.key(range, 2 + index)) }
                resolver.block(body)
            }
        case .breakLoop, .continueLoop:
            break
        case .returnValue(let value, _), .exit(let value, _):
            if let value { expression(value) }
        case .function(let decl):
            function(decl)
        case .tryCatch(let body, let errorName, let handler, let range):
            block(body)
            inBlock { resolver in
                if let errorName { resolver.declare(errorName, key: Compiler.key(range, 1)) }
                resolver.block(handler)
            }
        case .deferred(let inner, let range):
            let decl = FunctionDecl(
                name: nil, parameters: [], body: Block(statements: [inner], range: range), isExpressionBody: false,
                range: range)
            function(decl)
        case .waitUntil(let condition, let timeout, let every, _):
            for expr in [condition, timeout, every].compactMap({ $0 }) { expression(expr) }
        case .block(let body):
            block(body)
        }
    }

    private mutating func function(_ decl: FunctionDecl) {
        functions.append([[:]])
        var seen = Set<String>()
        for parameter in decl.parameters where seen.insert(parameter.name).inserted {
            declare(parameter.name, key: Compiler.key(parameter.range))
        }
        for parameter in decl.parameters {
            if let value = parameter.defaultValue { expression(value) }
        }
        statements(decl.body.statements)
        functions.removeLast()
    }

    private mutating func expression(_ expr: Expr) {
        switch expr {
        case .null, .bool, .int, .float, .duration:
            break
        case .string(let parts, _):
            for case .expression(let inner) in parts { expression(inner) }
        case .variable(let name, _):
            use(name)
        case .list(let elements, _):
            for element in elements { expression(element) }
        case .map(let entries, _):
            for entry in entries { expression(entry.value) }
        case .unary(_, let operand, _):
            expression(operand)
        case .binary(_, let left, let right, _), .logical(_, let left, let right, _), .range(let left, let right, _, _),
            .index(let left, let right, _):
            expression(left)
            expression(right)
        case .conditional(let condition, let then, let otherwise, _):
            for part in [condition, then, otherwise] { expression(part) }
        case .call(let callee, let arguments, _):
            for argument in arguments { expression(argument.value) }
            expression(callee)
        case .member(let object, _, _, _):
            expression(object)
        case .lambda(let decl):
            function(decl)
        case .parallelFor(let variable, let sequence, let body, let range):
            expression(sequence)
            let decl = FunctionDecl(
                name: "parallel for", parameters: [Parameter(name: variable, defaultValue: nil, range: range)],
                body: body, isExpressionBody: false, range: range)
            function(decl)
        }
    }
}
