extension Compiler {
    func compileExpression(_ expr: Expr) -> Eval {
        switch expr {
        case .null: return { _ in .null }
        case .bool(let value, _): return { _ in .bool(value) }
        case .int(let value, _): return { _ in .int(value) }
        case .float(let value, _): return { _ in .float(value) }
        case .duration(let value, _): return { _ in .duration(value) }
        case .string(let parts, _): return compileString(parts)
        case .variable(let name, let range): return compileVariable(name, range)
        case .list(let elements, _):
            let items = elements.map { EvalStep(run: compileExpression($0)) }
            return { frame in .list(ListBox(try items.map { try $0.run(frame) })) }
        case .map(let entries, _):
            let keys = entries.map(\.key)
            let values = entries.map { EvalStep(run: compileExpression($0.value)) }
            return { frame in
                let map = MapBox()
                for (key, value) in zip(keys, values) { map[key] = try value.run(frame) }
                return .map(map)
            }
        case .unary(let op, let operandExpr, let range):
            let operand = compileExpression(operandExpr)
            if op == .not { return { frame in .bool(!(try operand(frame).isTruthy)) } }
            return { frame in try Operators.negate(try operand(frame), at: range, context: frame.context) }
        case .binary(let op, let left, let right, let range):
            checkStatusComparison(op, left, right)
            return compileBinary(op, left, right, range)
        case .logical(let isAnd, let leftExpr, let rightExpr, _):
            let left = compileExpression(leftExpr)
            let right = compileExpression(rightExpr)
            if isAnd {
                return { frame in
                    let value = try left(frame)
                    return value.isTruthy ? try right(frame) : value
                }
            }
            return { frame in
                let value = try left(frame)
                return value.isTruthy ? value : try right(frame)
            }
        case .conditional(let conditionExpr, let thenExpr, let otherwiseExpr, _):
            let condition = compileCondition(conditionExpr)
            let then = compileExpression(thenExpr)
            let otherwise = compileExpression(otherwiseExpr)
            return { frame in try condition(frame) ? then(frame) : otherwise(frame) }
        case .range(let fromExpr, let toExpr, let inclusive, let range):
            let from = compileExpression(fromExpr)
            let to = compileExpression(toExpr)
            return { frame in
                let lower = try from(frame)
                let upper = try to(frame)
                guard case .int(let low) = lower, case .int(let high) = upper else {
                    throw frame.context.error(
                        .typeMismatch, "range bounds must be ints, got \(lower.typeName) and \(upper.typeName)",
                        at: range)
                }
                return inclusive ? .range(from: low, through: high) : .range(from: low, upTo: high)
            }
        case .call(let callee, let arguments, let range):
            return compileCall(callee, arguments, range)
        case .member(let objectExpr, let name, let nameRange, let range):
            if case .variable(let namespace, let namespaceRange) = objectExpr,
                case .namespace? = resolve(namespace, at: namespaceRange)
            {
                guard let builtin = library.namespaces[namespace]?[name] else {
                    unknownNamespaceMember(namespace, name, nameRange)
                    return { _ in .null }
                }
                return { _ in .function(Function(.builtin(builtin))) }
            }
            checkMember(objectExpr, name, at: nameRange, call: false)
            let object = compileExpression(objectExpr)
            let site = MethodSite(name: name, library: library)
            return { frame in
                let value = try object(frame)
                switch value {
                case .record, .map, .error: break
                default:
                    // `xs.len`: the property found for the value's type is kept at the site.
                    let property = try site.withMethod(for: value) { builtin -> Value? in
                        guard site.isProperty else { return nil }
                        return try Interpreter.callBuiltin(
                            builtin, receiver: value, positional: [], frame: frame, at: range)
                    }
                    if case let found?? = property { return found }
                }
                return try Interpreter.member(value, name, at: range, context: frame.context)
            }
        case .index(let objectExpr, let indexExpr, let range):
            let object = compileExpression(objectExpr)
            let index = compileExpression(indexExpr)
            return { frame in
                try Interpreter.subscriptGet(try object(frame), try index(frame), at: range, context: frame.context)
            }
        case .lambda(let decl):
            return compileFunction(decl, name: decl.name ?? "<lambda>").1
        case .parallelFor(let variable, let sequence, let body, let range):
            return compileParallelFor(variable: variable, sequence: sequence, body: body, range: range)
        }
    }

    func unknownNamespaceMember(_ namespace: String, _ name: String, _ range: SourceRange) {
        let candidates = library.namespaces[namespace].map { Array($0.keys) } ?? []
        let hint = suggestion(for: name, among: candidates).map { "; did you mean '\(namespace).\($0)'?" } ?? ""
        diagnostics.append(Diagnostic(.unknownField, "'\(namespace)' has no function '\(name)'\(hint)", at: range))
    }

    func compileVariable(_ name: String, _ range: SourceRange) -> Eval {
        guard let resolved = resolve(name, at: range) else {
            undeclared(name, at: range)
            return { _ in .null }
        }
        switch resolved {
        case .local(let slot): return { frame in frame.slots[slot] }
        case .boxed(let slot): return { frame in Interpreter.unbox(frame.slots[slot]) }
        case .captured(let index): return { frame in frame.captures[index].value }
        case .constant(let value): return { _ in value }
        case .builtin(let builtin): return { _ in .function(Function(.builtin(builtin))) }
        case .namespace(let namespace):
            diagnostics.append(
                Diagnostic(.typeMismatch, "'\(namespace)' is a namespace; use '\(namespace).<name>'", at: range))
            return { _ in .null }
        }
    }

    func compileString(_ parts: [InterpolatedPart]) -> Eval {
        // A literal is one string value, made once (a variable given it copies it before `+=`).
        if parts.isEmpty {
            let value = Value.string("")
            return { _ in value }
        }
        if parts.count == 1, case .text(let text) = parts[0] {
            let value = Value.string(text)
            return { _ in value }
        }
        let pieces: [(text: String, code: EvalStep?)] = parts.map { part in
            switch part {
            case .text(let text): (text, nil)
            case .expression(let expr): ("", EvalStep(run: compileExpression(expr)))
            }
        }
        return { frame in
            var text = ""
            for piece in pieces {
                if let code = piece.code { text += Printer.text(try code.run(frame)) } else { text += piece.text }
            }
            return .string(text)
        }
    }
}
