extension Compiler {
    /// A sequence of statements as one block of code. `fn` declarations are visible to the whole
    /// block, and callable from its start (so functions can call each other whatever their order, and
    /// a program can call a function declared below): each is made when the block is entered, and
    /// made again where it is declared when it captures the block's variables (which only exist from
    /// their declaration on).
    func compileStatements(_ statements: [Stmt], hoisting: Bool) -> Exec {
        var hoisted: [(slot: Int, boxed: Bool)] = []
        if hoisting {
            for statement in statements {
                guard case .function(let decl) = statement, let name = decl.name else { continue }
                let variable = declare(name, key: Self.key(decl.range), at: decl.range, isFunction: true)
                hoisted.append((variable.slot, variable.boxed))
            }
        }
        var makers: [ExecStep] = []
        let code = statements.map { statement -> ExecStep in
            guard hoisting, case .function(let decl) = statement, let name = decl.name,
                let variable = lookup(name, in: scope, isTop: functions.count == 1)
            else { return ExecStep(run: compileStatement(statement)) }
            // A call of the function to itself by this name goes straight to its code (not for a
            // REPL's top-level function, which a later entry may declare again).
            let isItself = variable.key == Self.key(decl.range) && !(globals != nil && functions.count == 1)
            let (compiled, make) = compileFunction(decl, name: name, declaredAs: isItself ? variable.key : nil)
            let stored = store(variable, make, assignIntoBox: true)
            makers.append(ExecStep(run: stored))
            let capturesLocals = compiled.captureSources.contains { if case .slot = $0 { true } else { false } }
            return ExecStep(run: capturesLocals ? stored : { _ in .normal })
        }
        let prologue = hoisted.filter(\.boxed).map(\.slot)
        let body: Exec
        switch code.count {
        case 0: body = { _ in .normal }
        case 1: body = code[0].run
        case 2:
            let (first, second) = (code[0].run, code[1].run)
            body = { frame in
                let flow = try first(frame)
                if flow != .normal { return flow }
                return try second(frame)
            }
        default:
            body = { frame in
                for statement in code {
                    let flow = try statement.run(frame)
                    if flow != .normal { return flow }
                }
                return .normal
            }
        }
        guard !prologue.isEmpty || !makers.isEmpty else { return body }
        return { frame in
            for slot in prologue {
                if case .box = frame.slots[slot] { continue }
                frame.slots[slot] = .box(Box(.null))
            }
            for maker in makers { _ = try maker.run(frame) }
            return try body(frame)
        }
    }

    /// `vm.terminate` as a statement (or `defer vm.terminate`): a method read and not called does
    /// nothing, and a cleanup written that way never runs. Only a name that is a method somewhere
    /// and a field nowhere (`x.status` read alone is left to run, and fail if it is not a field).
    /// A program's last bare expression is its result, and a REPL entry's shown: not statements.
    func notCalled(_ expr: Expr) {
        guard case .member(_, let name, let nameRange, let range) = expr else { return }
        let methods = library.methods.values.compactMap { $0[name] }
        let isMethod = !methods.isEmpty
        let isField =
            library.properties.values.contains { $0.contains(name) }
            || library.recordTypes.values.contains { type in type.fields.contains { $0.name == name } }
        guard isMethod, !isField else { return }
        let written = source.slice(range)
        let text = written.isEmpty ? CodeText.text(expr) : written
        diagnostics.append(
            Diagnostic(
                .notCalled,
                "'\(text)' is a method that is not called, so it does nothing: write \(text)("
                    + (methods.contains { $0.parameters.contains(where: \.required) } ? "…" : "") + ")",
                at: nameRange == .none ? range : nameRange))
    }

    func compileBlock(_ block: Block) -> Exec {
        beginBlock()
        defer { endBlock() }
        return compileStatements(block.statements, hoisting: true)
    }

    func compileStatement(_ statement: Stmt) -> Exec {
        switch statement {
        case .expression(let expr):
            notCalled(expr)
            let value = compileExpression(expr)
            return { frame in
                _ = try value(frame)
                return .normal
            }
        case .declaration(let name, let valueExpr, let range):
            declaring.append(name)
            let value = compileExpression(valueExpr)
            declaring.removeLast()
            let kind = staticKind(valueExpr)
            let variable = declare(name, key: Self.key(range), at: range)
            staticKinds[variable.key] = kind
            return store(variable, value)
        case .assignment(let target, let op, let value, let range):
            return compileAssignment(target: target, op: op, value: value, range: range)
        case .ifElse(let branches, let otherwise, _):
            return compileIf(branches, otherwise)
        case .whileLoop(let conditionExpr, let body, _):
            let condition = compileCondition(conditionExpr)
            scope.loopDepth += 1
            let code = compileBlock(body)
            scope.loopDepth -= 1
            return { frame in
                let context = frame.context
                while try condition(frame) {
                    try context.pollCancelled()
                    switch try code(frame) {
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    default: continue
                    }
                }
                return .normal
            }
        case .forLoop(let names, let sequence, let body, let range):
            return compileFor(names: names, sequence: sequence, body: body, range: range)
        case .breakLoop(let range):
            if scope.loopDepth == 0 {
                diagnostics.append(Diagnostic(.breakOutsideLoop, "'break' outside a loop", at: range))
            }
            return { _ in .breakLoop }
        case .continueLoop(let range):
            if scope.loopDepth == 0 {
                diagnostics.append(Diagnostic(.breakOutsideLoop, "'continue' outside a loop", at: range))
            }
            return { _ in .continueLoop }
        case .returnValue(let valueExpr, let range):
            if !scope.isFunction {
                diagnostics.append(Diagnostic(.returnOutsideFunction, "'return' outside a function", at: range))
            }
            guard let valueExpr else {
                return { frame in
                    frame.returnValue = .null
                    return .returned
                }
            }
            let value = compileExpression(valueExpr)
            return { frame in
                frame.returnValue = try value(frame)
                return .returned
            }
        case .function(let decl):
            let name = decl.name ?? "<fn>"
            let variable = lookup(name, in: scope, isTop: functions.count == 1)
            let (_, make) = compileFunction(decl, name: name)
            guard let variable else { return { _ in .normal } }
            return store(variable, make, assignIntoBox: true)
        case .tryCatch(let body, let errorName, let handler, let range):
            return compileTry(body: body, errorName: errorName, handler: handler, range: range)
        case .throwError(let valueExpr, let range):
            let value = compileExpression(valueExpr)
            return { frame in throw Self.thrown(try value(frame), at: range, context: frame.context) }
        case .deferred(let inner, let range):
            // Compiled as a closure: it reads variables when it runs, and a defer in a loop sees the
            // variables of its own iteration (`for i in 0..<3 { defer print(i) }` prints 2, 1, 0).
            scope.usesDefer = true
            let decl = FunctionDecl(
                name: nil, parameters: [], body: Block(statements: [inner], range: range), isExpressionBody: false,
                range: range)
            let (compiled, make) = compileFunction(decl, name: "<defer>")
            return { frame in
                guard case .function(let function) = try make(frame) else { return .normal }
                let captures = function.captures
                frame.addDefer(range) { caller in
                    let context = caller.context
                    try captures.withUnsafeBufferPointer { captures in
                        try context.withFrame(slotCount: compiled.slotCount, captures: captures) { own in
                            if compiled.usesDefer {
                                _ = try Interpreter.run(compiled, own, context: context, at: range)
                            } else {
                                _ = try compiled.body(own)
                            }
                        }
                    }
                    return .normal
                }
                return .normal
            }
        case .waitUntil(let condition, let timeout, let every, let range):
            return compileWait(condition: condition, timeout: timeout, every: every, range: range)
        case .exit(let codeExpr, let range):
            let code = codeExpr.map(compileExpression)
            return { frame in
                guard let code else { throw ExitSignal(code: 0) }
                let value = try code(frame)
                guard case .int(let number) = value else {
                    throw frame.context.error(
                        .typeMismatch, "exit code must be an int, got \(value.typeName)", at: range)
                }
                // A process status is one byte: 256 would end the program as a success.
                guard (0...255).contains(number) else {
                    throw frame.context.error(
                        .invalidOperation, "exit code must be between 0 and 255, got \(number)", at: range)
                }
                throw ExitSignal(code: Int32(number))
            }
        case .block(let block):
            return compileBlock(block)
        }
    }

    /// Stores a value into a variable: a boxed variable gets a fresh box (a closure made in a loop
    /// keeps its own), unless `assignIntoBox` (hoisted functions fill the box made at block entry).
    func store(_ variable: Variable, _ value: @escaping Eval, assignIntoBox: Bool = false) -> Exec {
        let slot = variable.slot
        if variable.boxed {
            if assignIntoBox {
                return { frame in
                    let computed = try value(frame)
                    if case .box(let box) = frame.slots[slot] {
                        box.value = computed
                    } else {
                        frame.slots[slot] = .box(Box(computed))
                    }
                    return .normal
                }
            }
            return { frame in
                frame.slots[slot] = .box(Box(try value(frame)))
                return .normal
            }
        }
        return { frame in
            frame.slots[slot] = try value(frame)
            return .normal
        }
    }

    func compileIf(_ branches: [(condition: Expr, body: Block)], _ otherwise: Block?) -> Exec {
        struct Branch {
            let condition: (Frame) throws -> Bool
            let body: Exec
        }
        let compiled = branches.map { Branch(condition: compileCondition($0.condition), body: compileBlock($0.body)) }
        let elseCode = otherwise.map { ExecStep(run: compileBlock($0)) }
        if compiled.count == 1 {
            let (condition, body) = (compiled[0].condition, compiled[0].body)
            guard let elseCode else {
                return { frame in try condition(frame) ? try body(frame) : .normal }
            }
            let otherwise = elseCode.run
            return { frame in try condition(frame) ? try body(frame) : try otherwise(frame) }
        }
        return { frame in
            for branch in compiled where try branch.condition(frame) { return try branch.body(frame) }
            return try elseCode?.run(frame) ?? .normal
        }
    }

    func compileFor(names: [String], sequence sequenceExpr: Expr, body: Block, range: SourceRange) -> Exec {
        let sequence = compileExpression(sequenceExpr)
        beginBlock()
        defer { endBlock() }
        let variables = names.enumerated().map { index, name in
            declare(name, key: Self.key(range, 2 + index), at: range)
        }
        if names.count == 1, case .list(let kind)? = staticKind(sequenceExpr) {
            staticKinds[variables[0].key] = .record(kind)
        }
        scope.loopDepth += 1
        let code = compileBlock(body)
        scope.loopDepth -= 1
        let first = variables[0]
        let second = variables.count > 1 ? variables[1] : nil
        func assign(_ variable: Variable, _ value: Value, _ frame: Frame) {
            frame.slots[variable.slot] = variable.boxed ? .box(Box(value)) : value
        }
        return { frame in
            let context = frame.context
            let value = try sequence(frame)
            if case .range(let span) = value {
                let (lower, last) = (span.lower, span.last)
                // Lazily, whatever its size: the ints are made one at a time.
                guard last >= lower else { return .normal }
                var index = lower
                var position: Int64 = 0
                let slot = first.slot
                while true {
                    if let second {
                        assign(first, .int(position), frame)
                        assign(second, .int(index), frame)
                    } else if first.boxed {
                        assign(first, .int(index), frame)
                    } else {
                        frame.slots[slot] = .int(index)
                    }
                    switch try code(frame) {
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    default: break
                    }
                    try context.pollCancelled()
                    if index == last { return .normal }
                    index += 1
                    position += 1
                }
            }
            let pairs = try Interpreter.iterationPairs(
                value, wantsPairs: second != nil, at: sequenceExpr.range, context: context)
            for (key, item) in pairs {
                if let second {
                    assign(first, key, frame)
                    assign(second, item, frame)
                } else {
                    assign(first, item, frame)
                }
                switch try code(frame) {
                case .breakLoop: return .normal
                case .returned: return .returned
                default: break
                }
                try context.pollCancelled()
            }
            return .normal
        }
    }

    func compileTry(body: Block, errorName: String?, handler: Block, range: SourceRange) -> Exec {
        let bodyCode = compileBlock(body)
        beginBlock()
        let variable = errorName.map { declare($0, key: Self.key(range, 1), at: range) }
        let handlerCode = compileBlock(handler)
        endBlock()
        return { frame in
            do {
                return try bodyCode(frame)
            } catch let error as RuntimeError {
                // `catch` takes the error; what deferred statements failed with while it unwound
                // is not caught with it: each is reported at its own line, and the program does
                // not end with 0.
                for failure in error.deferred { frame.context.runtime.report(failure) }
                if let variable {
                    let value = Value.error(Interpreter.errorValue(error))
                    frame.slots[variable.slot] = variable.boxed ? .box(Box(value)) : value
                }
                return try handlerCode(frame)
            }
        }
    }

    func compileAssignment(target: Expr, op: BinaryOperator?, value valueExpr: Expr, range: SourceRange) -> Exec {
        let value = compileExpression(valueExpr)
        /// `+=` appends in place: a list is extended (aliases see it, as in Python) and a string not
        /// shared with another variable grows without being copied. The right side is evaluated
        /// before the variable is accessed (it may read the variable: `x += x`).
        func update(_ slot: inout Value, with addend: Value, _ frame: Frame) throws {
            guard let op else {
                slot = addend
                return
            }
            guard op == .add else {
                slot = try Operators.binary(op, slot, addend, at: range, context: frame.context)
                return
            }
            try Operators.addInPlace(&slot, addend, at: range, context: frame.context)
        }
        switch target {
        case .variable(let name, let nameRange):
            if let variable = lookupVariable(name) { staticKinds[variable.key] = nil }
            guard let resolved = resolve(name, at: nameRange) else {
                undeclared(name, at: nameRange)
                return { _ in .normal }
            }
            if let variable = lookupVariable(name), variable.isFunction {
                diagnostics.append(Diagnostic(.assignToConstant, "cannot assign to function '\(name)'", at: nameRange))
            }
            switch resolved {
            case .local(let slot):
                if op == .add, case .int(let step, _) = valueExpr {
                    return { frame in
                        if case .int(let current) = frame.slots[slot] {
                            let (sum, overflow) = current.addingReportingOverflow(step)
                            if !overflow {
                                frame.slots[slot] = .int(sum)
                                return .normal
                            }
                        }
                        frame.slots[slot] = try Operators.binary(
                            .add, frame.slots[slot], .int(step), at: range, context: frame.context)
                        return .normal
                    }
                }
                return { frame in
                    let addend = try value(frame)
                    try update(&frame.slots[slot], with: addend, frame)
                    return .normal
                }
            case .boxed(let slot):
                return { frame in
                    let addend = try value(frame)
                    if case .box(let box) = frame.slots[slot] {
                        try update(&box.value, with: addend, frame)
                    } else {
                        var current = frame.slots[slot]
                        try update(&current, with: addend, frame)
                        frame.slots[slot] = .box(Box(current))
                    }
                    return .normal
                }
            case .captured(let index):
                return { frame in
                    let addend = try value(frame)
                    let box = frame.captures[index]
                    try update(&box.value, with: addend, frame)
                    return .normal
                }
            case .constant, .builtin, .namespace:
                diagnostics.append(Diagnostic(.assignToConstant, "cannot assign to built-in '\(name)'", at: nameRange))
                return { _ in .normal }
            }
        case .member(let objectExpr, let name, _, _):
            let object = compileExpression(objectExpr)
            return { frame in
                // The right side first (docs/language.md), then the target.
                let addend = try value(frame)
                let target = try object(frame)
                var current = Value.null
                if op != nil { current = try Interpreter.member(target, name, at: range, context: frame.context) }
                try update(&current, with: addend, frame)
                try Interpreter.setMember(target, name, current, at: range, context: frame.context)
                return .normal
            }
        case .index(let objectExpr, let indexExpr, _):
            let object = compileExpression(objectExpr)
            let index = compileExpression(indexExpr)
            return { frame in
                // The right side first (`m[k()] = v()` calls v, then k), then the container, then the key.
                let addend = try value(frame)
                let container = try object(frame)
                let key = try index(frame)
                var current = Value.null
                if op != nil {
                    current = try Interpreter.subscriptGet(container, key, at: range, context: frame.context)
                }
                try update(&current, with: addend, frame)
                try Interpreter.subscriptSet(container, key, current, at: range, context: frame.context)
                return .normal
            }
        default:
            diagnostics.append(
                Diagnostic(.invalidAssignmentTarget, "cannot assign to this expression", at: target.range))
            return { _ in .normal }
        }
    }

    /// A variable by name as the program sees it here, without marking it captured.
    func lookupVariable(_ name: String) -> Variable? {
        for (level, function) in functions.enumerated().reversed() {
            if let variable = lookup(name, in: function, isTop: level == 0) { return variable }
        }
        return nil
    }

    /// The error a `throw` raises: a string becomes the message; a map may carry message and code;
    /// a caught error is raised again.
    static func thrown(_ value: Value, at range: SourceRange, context: ExecutionContext) -> RuntimeError {
        var error: RuntimeError
        switch value {
        case .error(let caught):
            error = RuntimeError(
                caught.origin ?? .userError, caught.message, at: range, kind: caught.kind, code: caught.code,
                value: caught.value, details: caught.details)
        case .string(let messageBox):
            let message = messageBox.value
            error = RuntimeError(.userError, message, at: range, kind: .user)
        case .map(let map):
            let message = map["message"].map { Printer.text($0) } ?? Printer.repr(value)
            error = RuntimeError(.userError, message, at: range, kind: .user, code: map["code"] ?? .null, value: value)
        default:
            error = RuntimeError(.userError, Printer.text(value), at: range, kind: .user, value: value)
        }
        error.stack = context.stack.reversed()
        return error
    }
}
