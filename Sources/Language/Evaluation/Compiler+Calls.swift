import Dispatch
import Foundation

extension Compiler {
    func compileCall(_ callee: Expr, _ argumentExprs: [CallArgument], _ range: SourceRange) -> Eval {
        var argumentExprs = argumentExprs
        // Resolved once: resolving reports an unknown namespace function.
        let known = staticBuiltin(callee)
        // `help(vms)`, `help(Pod)`: a namespace or a record kind named bare is its name.
        if known?.name == "help", argumentExprs.count == 1, argumentExprs[0].label == nil,
            case .variable(let name, let nameRange) = argumentExprs[0].value, lookupVariable(name) == nil,
            library.namespaces[name] != nil || library.recordTypes[name] != nil
        {
            argumentExprs[0].value = .string(parts: [.text(name)], nameRange)
        }
        elementKinds(callee, argumentExprs)
        let arguments = argumentExprs.map { CompiledArgument(label: $0.label, value: compileExpression($0.value)) }
        let positionalOnly = arguments.allSatisfy { $0.label == nil }
        // A built-in known at compile time: no lookup when it runs, and its named arguments are
        // checked before anything runs.
        if let builtin = known {
            checkArguments(builtin, argumentExprs, at: range)
            if positionalOnly {
                // `len(x)`, `print(a, b)`: the argument code runs straight into the parameters'
                // places (no array of labelled values per call).
                let values = arguments.map(\.value)
                return { frame in
                    try Interpreter.callBuiltin(builtin, receiver: .null, positional: values, frame: frame, at: range)
                }
            }
            return { frame in
                let values = try arguments.map { ($0.label, try $0.value(frame)) }
                return try Interpreter.callBuiltin(builtin, receiver: .null, values, at: range, context: frame.context)
            }
        }
        if case .member(.variable(let namespace, let namespaceRange), _, _, _) = callee,
            case .namespace? = resolve(namespace, at: namespaceRange)
        {
            return { _ in .null }  // an unknown function of a namespace: already reported
        }
        if case .member(let objectExpr, let name, let nameRange, _) = callee {
            checkMember(objectExpr, name, at: nameRange, call: true)
            if case .record(let kind)? = staticKind(objectExpr), let method = library.methods[kind]?[name] {
                checkArguments(method, argumentExprs, at: range)
            } else {
                checkVocabulary(argumentExprs)
            }
            let object = compileExpression(objectExpr)
            if positionalOnly {
                // The common case (`counter.get("step")`, `xs.len`): the method found for the
                // receiver's type is kept at the call site, and the arguments go straight to it.
                return Self.shaped(
                    arguments,
                    MethodCall(object: object, name: name, arguments: arguments, library: library, range: range))
            }
            return { frame in
                let receiver = try object(frame)
                let values = try arguments.map { ($0.label, try $0.value(frame)) }
                return try Interpreter.callMethod(receiver, name, values, at: range, context: frame.context)
            }
        }
        // `fib(n - 1)` inside `fn fib`: its own code with its own captures, without reading the
        // variable (a `fn` name cannot be assigned, so it holds this function).
        if positionalOnly, case .variable(let name, _) = callee, let key = scope.declaredAs,
            lookupVariable(name)?.key == key
        {
            return Self.shaped(arguments, SelfCall(itself: scope.itself, range: range))
        }
        let function = compileExpression(callee)
        if positionalOnly {
            return Self.shaped(arguments, ValueCall(function: function, arguments: arguments, range: range))
        }
        return { frame in
            let value = try function(frame)
            guard case .function(let target) = value else {
                throw frame.context.error(.notCallable, "\(value.typeName) is not a function", at: range)
            }
            let values = try arguments.map { ($0.label, try $0.value(frame)) }
            return try Interpreter.call(
                target, arguments: values.filter { $0.0 == nil }.map(\.1),
                named: values.compactMap { pair in pair.0.map { ($0, pair.1) } },
                at: range, context: frame.context)
        }
    }

    /// A call site's code for its number of positional arguments.
    static func shaped(_ arguments: [CompiledArgument], _ maker: some CallSiteMaker) -> Eval {
        switch arguments.count {
        case 0: maker.make(NoArguments())
        case 1: maker.make(OneArgument(first: arguments[0].value))
        case 2: maker.make(TwoArguments(first: arguments[0].value, second: arguments[1].value))
        default: maker.make(ManyArguments(all: arguments))
        }
    }

    /// `fib(n - 1)` inside `fn fib`: its own code with its own captures, without reading the
    /// variable (a `fn` name cannot be assigned, so it holds this function).
    struct SelfCall: CallSiteMaker {
        let itself: SelfReference
        let range: SourceRange

        func make<Arguments: PositionalArguments>(_ arguments: Arguments) -> Eval {
            let (itself, range) = (itself, range)
            return { frame in
                guard let function = itself.function else { return .null }
                return try function._withUnsafeGuaranteedRef { compiled in
                    try Interpreter.invokeUser(
                        compiled, captures: frame.captures, arguments: arguments, caller: frame, at: range)
                }
            }
        }
    }

    /// `f(x)` with positional arguments: a user function's frame gets the argument values directly.
    struct ValueCall: CallSiteMaker {
        let function: Eval
        let arguments: [CompiledArgument]
        let range: SourceRange

        func make<Shaped: PositionalArguments>(_ shaped: Shaped) -> Eval {
            let (function, values, range) = (function, arguments.map(\.value), range)
            return { frame in
                let value = try function(frame)
                guard case .function(let target) = value else {
                    throw frame.context.error(.notCallable, "\(value.typeName) is not a function", at: range)
                }
                return try Interpreter.invoke(target, arguments: shaped, values: values, caller: frame, at: range)
            }
        }
    }

    /// `receiver.name(…)` with positional arguments: the method found for the receiver's type is
    /// kept at the call site; a function stored in a map (`counter.add(i)`) is called like any.
    struct MethodCall: CallSiteMaker {
        let object: Eval
        let name: String
        let arguments: [CompiledArgument]
        let library: Library
        let range: SourceRange

        func make<Shaped: PositionalArguments>(_ shaped: Shaped) -> Eval {
            let (object, name, range) = (object, name, range)
            let site = MethodSite(name: name, library: library)
            let values = arguments.map(\.value)
            let single = values.count == 1 ? values[0] : nil
            return { frame in
                let receiver = try object(frame)
                if case .map(let map) = receiver, case .function(let function)? = map[name] {
                    return try Interpreter.invoke(function, arguments: shaped, values: values, caller: frame, at: range)
                }
                let result = try site.withMethod(for: receiver) { builtin in
                    if let single, let direct = builtin.direct {
                        let argument = try single(frame)
                        if let value = direct(receiver, argument) { return value }
                        return try Interpreter.callBuiltin(
                            builtin, receiver: receiver, [(nil, argument)], at: range, context: frame.context)
                    }
                    return try Interpreter.callBuiltin(
                        builtin, receiver: receiver, positional: values, frame: frame, at: range)
                }
                if let result { return result }
                let given = try values.map { (String?.none, try $0(frame)) }
                return try Interpreter.callMethod(receiver, name, given, at: range, context: frame.context)
            }
        }
    }

    /// The built-in a callee names, when it is fixed at compile time (`print`, `vms.create`).
    func staticBuiltin(_ callee: Expr) -> Builtin? {
        switch callee {
        case .variable(let name, let range):
            if case .builtin(let builtin)? = resolve(name, at: range) { return builtin }
        case .member(.variable(let namespace, let namespaceRange), let name, let nameRange, _):
            guard case .namespace? = resolve(namespace, at: namespaceRange) else { return nil }
            guard let builtin = library.namespaces[namespace]?[name] else {
                unknownNamespaceMember(namespace, name, nameRange)
                return nil
            }
            return builtin
        default: break
        }
        return nil
    }

    func compileWait(
        condition conditionExpr: Expr, timeout timeoutExpr: Expr?, every everyExpr: Expr?, range: SourceRange
    ) -> Exec {
        let condition = compileExpression(conditionExpr)
        let timeout = timeoutExpr.map(compileExpression)
        let every = everyExpr.map(compileExpression)
        // A condition built from values (`gpus pods create --wait`) has no text: it is shown as code.
        let written = source.slice(conditionExpr.range)
        let text = written.isEmpty ? CodeText.text(conditionExpr) : written
        // The variables the condition reads, with code to read and replace each.
        var names: [String] = []
        var words = Set<String>()
        Self.collectNames(conditionExpr, into: &names)
        // Each variable once, in order of first mention (NSOrderedSet does not remove repeated Swift
        // strings on Linux: `v.status == x and v.name != y` refreshed and counted `v` twice).
        var seen = Set<String>()
        names = names.filter { seen.insert($0).inserted }
        var bindings: [(name: String, get: Eval, set: (Frame, Value) -> Void)] = []
        for name in names {
            guard let resolved = resolve(name, at: conditionExpr.range) else { continue }
            switch resolved {
            case .local(let slot): bindings.append((name, { $0.slots[slot] }, { $0.slots[slot] = $1 }))
            case .boxed(let slot):
                bindings.append(
                    (
                        name, { Interpreter.unbox($0.slots[slot]) },
                        { frame, value in
                            if case .box(let box) = frame.slots[slot] { box.value = value }
                        }
                    ))
            case .captured(let index):
                bindings.append((name, { $0.captures[index].value }, { $0.captures[index].value = $1 }))
            case .constant(let value):
                if case .status(let word) = value { words.insert(word.value) }
            default: break
            }
        }
        let frozen = bindings
        let mentioned = words
        return { frame in
            let context = frame.context
            let runtime = context.runtime
            let clock = runtime.clock
            let limit =
                try timeout.map { try Interpreter.duration(try $0(frame), "timeout", at: range, context: context) }
                ?? .seconds(1800)
            let ceiling =
                try every.map { try Interpreter.duration(try $0(frame), "every", at: range, context: context) }
                ?? .seconds(10)
            let start = clock.now()
            var interval = min(.seconds(1), ceiling)
            let wait = WaitCheck.nextWait()
            var refreshed = false
            defer { if refreshed { runtime.waitHook?.ended(wait: wait) } }
            while true {
                try context.checkCancelled()
                var blocked: String?
                if let hook = runtime.waitHook, !frozen.isEmpty {
                    // Copied while the lock is held: the hook runs without it.
                    let values = try frozen.map { variable in
                        do {
                            return try SendableValue(copying: try variable.get(frame))
                        } catch let refusal as SendableValue.Refusal {
                            let why =
                                switch refusal {
                                case .cycle: "it contains itself"
                                case .tooDeep: "it is nested more than \(SendableValue.maximumDepth) levels deep"
                                case .tooLarge: "it holds more than \(SendableValue.maximumSize.formatted()) values"
                                }
                            throw context.error(
                                .invalidOperation, "cannot wait on '\(variable.name)': \(why)", at: range)
                        }
                    }
                    refreshed = true
                    let check = WaitCheck(
                        wait: wait, condition: text, mentionedWords: mentioned, names: frozen.map(\.name),
                        values: values,
                        elapsed: clock.now() - start)
                    let fresh: WaitRefresh
                    do {
                        fresh = try context.await { try await hook.refresh(check) }
                    } catch var error as RuntimeError {
                        // An error of the refresh (the API) is the wait's: at its line.
                        if error.range == .none { error.range = range }
                        if error.stack.isEmpty { error.stack = context.stack.reversed() }
                        throw error
                    }
                    // In place: every variable holding a watched record sees it fresh.
                    for (binding, value) in zip(frozen, fresh.values) {
                        if let value { binding.set(frame, Record.refreshing(try binding.get(frame), with: value)) }
                    }
                    blocked = fresh.blocked
                }
                if try condition(frame).isTruthy { return .normal }
                if let blocked { throw context.error(.waitFailed, blocked, at: range, kind: .waitFailed) }
                let elapsed = clock.now() - start
                if elapsed >= limit {
                    let states = try frozen.map { "\($0.name) = \(Printer.summary(try $0.get(frame)))" }.joined(
                        separator: ", ")
                    var error = context.error(
                        .waitTimeout,
                        // The timeout the program gave, not the elapsed time a few milliseconds past it
                        // ("timed out after 2s", not "2.001s"); `e.details.elapsed` has the exact time.
                        "timed out after \(Printer.duration(limit)) waiting for '\(text)'\(states.isEmpty ? "" : " (\(states))")",
                        at: range, kind: .timeout)
                    error.value = ErrorValue(
                        message: error.message, kind: .timeout, code: .null,
                        details: ["elapsed": .duration(Int64(elapsed / .milliseconds(1)))], origin: .waitTimeout)
                    throw error
                }
                let pause = min(interval, limit - elapsed)
                try context.await { try await clock.sleep(for: pause) }
                interval = min(interval * 3 / 2, ceiling)
            }
        }
    }

    static func collectNames(_ expr: Expr, into names: inout [String]) {
        switch expr {
        case .variable(let name, _): names.append(name)
        case .unary(_, let operand, _): collectNames(operand, into: &names)
        case .binary(_, let left, let right, _), .logical(_, let left, let right, _), .range(let left, let right, _, _),
            .index(let left, let right, _):
            collectNames(left, into: &names)
            collectNames(right, into: &names)
        case .conditional(let condition, let then, let otherwise, _):
            for part in [condition, then, otherwise] { collectNames(part, into: &names) }
        case .call(let callee, let arguments, _):
            collectNames(callee, into: &names)
            for argument in arguments { collectNames(argument.value, into: &names) }
        case .member(let object, _, _, _): collectNames(object, into: &names)
        case .list(let elements, _): for element in elements { collectNames(element, into: &names) }
        case .map(let entries, _): for entry in entries { collectNames(entry.value, into: &names) }
        case .string(let parts, _):
            for case .expression(let inner) in parts { collectNames(inner, into: &names) }
        case .lambda(let decl):
            // Variables a lambda reads from outside (`fleet.all(p -> p.status == running)` reads fleet).
            var inner: [String] = []
            for statement in decl.body.statements {
                if case .expression(let body) = statement { collectNames(body, into: &inner) }
            }
            let parameters = Set(decl.parameters.map(\.name))
            names += inner.filter { !parameters.contains($0) }
        default: break
        }
    }

    func compileParallelFor(variable: String, sequence sequenceExpr: Expr, body: Block, range: SourceRange) -> Eval {
        let sequence = compileExpression(sequenceExpr)
        if case .list(let kind)? = staticKind(sequenceExpr) { staticKinds[Self.key(range)] = .record(kind) }
        // The body is a function of the loop variable; its last expression is the iteration's value.
        var statements = body.statements
        if case .expression(let last)? = statements.last {
            statements[statements.count - 1] = .returnValue(last, last.range)
        }
        let decl = FunctionDecl(
            name: "parallel for", parameters: [Parameter(name: variable, defaultValue: nil, range: range)],
            body: Block(statements: statements, range: body.range), isExpressionBody: false, range: range)
        let make = compileFunction(decl, name: "parallel for").1
        return { frame in
            let context = frame.context
            guard case .function(let function) = try make(frame) else { return .null }
            let items = try Interpreter.iterationPairs(
                try sequence(frame), wantsPairs: false, at: sequenceExpr.range, context: context
            ).map(\.1)
            return .list(ListBox(try Interpreter.runParallel(function, items, at: range, context: context)))
        }
    }
}
