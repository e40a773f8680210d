/// S-expressions of the syntax tree, so a parser test is one string.
public enum ASTDump {
    public static func dump(_ statements: [Stmt]) -> String { statements.map(dump).joined(separator: " ") }

    public static func dump(_ statement: Stmt) -> String {
        switch statement {
        case .expression(let expr): return dump(expr)
        case .declaration(let name, let value, _): return "(let \(name) \(dump(value)))"
        case .assignment(let target, let op, let value, _):
            return "(\(op.map { $0.rawValue } ?? "")= \(dump(target)) \(dump(value)))"
        case .ifElse(let branches, let otherwise, _):
            let parts = branches.map { "\(dump($0.condition)) \(dump($0.body))" }
            return "(if \(parts.joined(separator: " "))\(otherwise.map { " else \(dump($0))" } ?? ""))"
        case .whileLoop(let condition, let body, _): return "(while \(dump(condition)) \(dump(body)))"
        case .forLoop(let names, let sequence, let body, _):
            return "(for \(names.joined(separator: ",")) \(dump(sequence)) \(dump(body)))"
        case .breakLoop: return "(break)"
        case .continueLoop: return "(continue)"
        case .returnValue(let value, _): return value.map { "(return \(dump($0)))" } ?? "(return)"
        case .function(let decl): return dump(decl)
        case .tryCatch(let body, let name, let handler, _):
            return "(try \(dump(body)) catch \(name ?? "_") \(dump(handler)))"
        case .throwError(let value, _): return "(throw \(dump(value)))"
        case .deferred(let inner, _): return "(defer \(dump(inner)))"
        case .waitUntil(let condition, let timeout, let every, _):
            return
                "(wait \(dump(condition))\(timeout.map { " timeout \(dump($0))" } ?? "")\(every.map { " every \(dump($0))" } ?? ""))"
        case .exit(let code, _): return code.map { "(exit \(dump($0)))" } ?? "(exit)"
        case .block(let block): return dump(block)
        }
    }

    static func dump(_ block: Block) -> String { "{\(block.statements.map(dump).joined(separator: " "))}" }

    static func dump(_ decl: FunctionDecl) -> String {
        let parameters = decl.parameters.map { parameter in
            parameter.defaultValue.map { "\(parameter.name)=\(dump($0))" } ?? parameter.name
        }
        let body = decl.isExpressionBody ? decl.body.statements.map(dump).joined() : dump(decl.body)
        return "(fn\(decl.name.map { " \($0)" } ?? "") (\(parameters.joined(separator: " "))) \(body))"
    }

    public static func dump(_ expr: Expr) -> String {
        switch expr {
        case .null: return "null"
        case .bool(let value, _): return String(value)
        case .int(let value, _): return String(value)
        case .float(let value, _): return String(value)
        case .duration(let value, _): return "\(value)ms"
        case .string(let parts, _):
            let text = parts.map { part -> String in
                switch part {
                case .text(let text): return text.debugDescription
                case .expression(let inner): return dump(inner)
                }
            }
            return parts.count == 1 && text[0].hasPrefix("\"") ? text[0] : "(str \(text.joined(separator: " ")))"
        case .variable(let name, _): return name
        case .list(let elements, _): return "[\(elements.map(dump).joined(separator: " "))]"
        case .map(let entries, _): return "{\(entries.map { "\($0.key): \(dump($0.value))" }.joined(separator: " "))}"
        case .unary(let op, let operand, _): return "(\(op.rawValue) \(dump(operand)))"
        case .binary(let op, let left, let right, _): return "(\(op.rawValue) \(dump(left)) \(dump(right)))"
        case .logical(let isAnd, let left, let right, _):
            return "(\(isAnd ? "and" : "or") \(dump(left)) \(dump(right)))"
        case .range(let from, let to, let inclusive, _):
            return "(\(inclusive ? ".." : "..<") \(dump(from)) \(dump(to)))"
        case .conditional(let condition, let then, let otherwise, _):
            return "(? \(dump(condition)) \(dump(then)) \(dump(otherwise)))"
        case .call(let callee, let arguments, _):
            let args = arguments.map { argument in
                argument.label.map { "\($0): \(dump(argument.value))" } ?? dump(argument.value)
            }
            return "(call \(dump(callee))\(args.isEmpty ? "" : " " + args.joined(separator: " ")))"
        case .member(let object, let name, _, _): return "(. \(dump(object)) \(name))"
        case .index(let object, let index, _): return "([] \(dump(object)) \(dump(index)))"
        case .lambda(let decl): return dump(decl)
        case .parallelFor(let variable, let sequence, let body, _):
            return "(parallel-for \(variable) \(dump(sequence)) \(dump(body)))"
        }
    }
}
