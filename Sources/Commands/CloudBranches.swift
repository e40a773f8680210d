import Language

/// The branches of a program (`if`, `while`, `c ? a : b`) whose condition reads what the cloud returns: a value
/// of a cloud call, or of a variable given one (directly or through other variables). A plan's
/// simulated cloud answers such conditions as the sandbox would: the real run may go another way,
/// and the plan says where.
///
/// Variables are followed by name, over the whole program (a name given a cloud value anywhere
/// counts everywhere): it may name a branch too many, never one too few.
enum CloudBranches {
    static let namespaces: Set<String> = ["vms", "pods", "endpoints", "volumes", "credentials", "gpus"]

    static func find(in source: SourceFile) -> [SourceRange] {
        let statements = Parser.parse(source).program.statements
        var tainted: Set<String> = []
        // Names given cloud values, until no more are found (each pass can only add).
        while true {
            let before = tainted.count
            for statement in statements { collect(statement, &tainted) }
            if tainted.count == before { break }
        }
        var found: [SourceRange] = []
        for statement in statements { branches(statement, tainted, &found) }
        return found.sorted { $0.start < $1.start }
    }

    static func collect(_ statement: Stmt, _ tainted: inout Set<String>) {
        switch statement {
        case .declaration(let name, let value, _):
            if reads(value, tainted) { tainted.insert(name) }
            collect(value, &tainted)
        case .assignment(.variable(let name, _), _, let value, _):
            if reads(value, tainted) { tainted.insert(name) }
        case .forLoop(let names, let sequence, let body, _):
            if reads(sequence, tainted) { tainted.formUnion(names) }
            body.statements.forEach { collect($0, &tainted) }
        case .ifElse(let branches, let otherwise, _):
            for branch in branches { branch.body.statements.forEach { collect($0, &tainted) } }
            otherwise?.statements.forEach { collect($0, &tainted) }
        case .whileLoop(_, let body, _), .tryCatch(let body, _, _, _):
            body.statements.forEach { collect($0, &tainted) }
            if case .tryCatch(_, let name?, let handler, _) = statement {
                tainted.insert(name)  // an error may come from the cloud
                handler.statements.forEach { collect($0, &tainted) }
            }
        case .function(let decl): decl.body.statements.forEach { collect($0, &tainted) }
        case .block(let block): block.statements.forEach { collect($0, &tainted) }
        case .deferred(let inner, _): collect(inner, &tainted)
        default: break
        }
    }

    /// `let fleet = parallel for … { pods.create(…) }`: the body's last value is the element.
    static func collect(_ value: Expr, _ tainted: inout Set<String>) {
        if case .parallelFor(_, _, let body, _) = value { body.statements.forEach { collect($0, &tainted) } }
    }

    static func branches(_ statement: Stmt, _ tainted: Set<String>, _ found: inout [SourceRange]) {
        conditionals(statement, tainted, &found)
        switch statement {
        case .ifElse(let arms, let otherwise, _):
            for branch in arms {
                if reads(branch.condition, tainted) { found.append(branch.condition.range) }
                branch.body.statements.forEach { self.branches($0, tainted, &found) }
            }
            otherwise?.statements.forEach { self.branches($0, tainted, &found) }
        case .whileLoop(let condition, let body, _):
            if reads(condition, tainted) { found.append(condition.range) }
            body.statements.forEach { branches($0, tainted, &found) }
        case .forLoop(_, _, let body, _), .tryCatch(let body, _, _, _):
            body.statements.forEach { branches($0, tainted, &found) }
            if case .tryCatch(_, _, let handler, _) = statement {
                handler.statements.forEach { branches($0, tainted, &found) }
            }
        case .function(let decl): decl.body.statements.forEach { branches($0, tainted, &found) }
        case .block(let block): block.statements.forEach { branches($0, tainted, &found) }
        case .deferred(let inner, _): branches(inner, tainted, &found)
        case .declaration(_, .parallelFor(_, _, let body, _), _), .expression(.parallelFor(_, _, let body, _)):
            body.statements.forEach { branches($0, tainted, &found) }
        default: break
        }
    }

    /// Whether an expression reads a cloud call's value or a variable given one.
    static func reads(_ expr: Expr, _ tainted: Set<String>) -> Bool {
        switch expr {
        case .variable(let name, _): return tainted.contains(name)
        case .call(.member(.variable(let namespace, _), _, _, _), _, _) where namespaces.contains(namespace):
            return true
        case .call(let callee, let arguments, _):
            return reads(callee, tainted) || arguments.contains { reads($0.value, tainted) }
        case .member(let object, _, _, _): return reads(object, tainted)
        case .index(let object, let index, _): return reads(object, tainted) || reads(index, tainted)
        case .unary(_, let operand, _): return reads(operand, tainted)
        case .binary(_, let left, let right, _), .logical(_, let left, let right, _):
            return reads(left, tainted) || reads(right, tainted)
        case .range(let from, let to, _, _): return reads(from, tainted) || reads(to, tainted)
        case .list(let elements, _): return elements.contains { reads($0, tainted) }
        case .map(let entries, _): return entries.contains { reads($0.value, tainted) }
        case .string(let parts, _):
            return parts.contains { if case .expression(let inner) = $0 { reads(inner, tainted) } else { false } }
        case .parallelFor(_, let sequence, let body, _):
            return reads(sequence, tainted)
                || body.statements.contains { statement in
                    if case .expression(let value) = statement { return reads(value, tainted) }
                    return false
                }
        case .lambda(let decl):
            return decl.body.statements.contains { statement in
                switch statement {
                case .expression(let value), .returnValue(let value?, _): reads(value, tainted)
                default: false
                }
            }
        case .conditional(let condition, let then, let otherwise, _):
            return reads(condition, tainted) || reads(then, tainted) || reads(otherwise, tainted)
        default: return false
        }
    }

    /// `c ? a : b` anywhere in a statement's expressions whose condition reads the cloud.
    static func conditionals(_ statement: Stmt, _ tainted: Set<String>, _ found: inout [SourceRange]) {
        let roots: [Expr] =
            switch statement {
            case .expression(let value), .declaration(_, let value, _), .throwError(let value, _): [value]
            case .assignment(let target, _, let value, _): [target, value]
            case .returnValue(let value, _), .exit(let value, _): value.map { [$0] } ?? []
            case .ifElse(let arms, _, _): arms.map(\.condition)
            case .whileLoop(let condition, _, _): [condition]
            case .forLoop(_, let sequence, _, _): [sequence]
            case .waitUntil(let condition, let timeout, let every, _): [condition] + [timeout, every].compactMap { $0 }
            default: []
            }
        var pending = roots
        while let expr = pending.popLast() {
            switch expr {
            case .conditional(let condition, let then, let otherwise, _):
                if reads(condition, tainted) { found.append(condition.range) }
                pending += [condition, then, otherwise]
            case .unary(_, let operand, _), .member(let operand, _, _, _): pending.append(operand)
            case .binary(_, let left, let right, _), .logical(_, let left, let right, _),
                .range(let left, let right, _, _), .index(let left, let right, _):
                pending += [left, right]
            case .call(let callee, let arguments, _): pending += [callee] + arguments.map(\.value)
            case .list(let elements, _): pending += elements
            case .map(let entries, _): pending += entries.map(\.value)
            case .string(let parts, _):
                for case .expression(let inner) in parts { pending.append(inner) }
            case .parallelFor(_, let sequence, _, _): pending.append(sequence)
            default: break
            }
        }
    }
}
