/// The syntax tree as code of the language: what a program built from values (`gpus pods create
/// --name a`, an agent's call in `gpus mcp`) would read as, typed. Parsing the text gives the same
/// tree (a test prints and parses every golden script): operands are put in parentheses wherever
/// they are not a literal, a name, a call, a member or an index, so no precedence is relied on.
public enum CodeText {
    public static func text(_ statements: [Stmt], indent: String = "") -> String {
        statements.map { text($0, indent: indent) }.joined(separator: "\n")
    }

    public static func text(_ statement: Stmt, indent: String = "") -> String {
        indent + line(statement, indent: indent)
    }

    static func line(_ statement: Stmt, indent: String) -> String {
        switch statement {
        // `({})`: an empty map at the start of a statement would read as a block.
        case .expression(.map(let entries, _)) where entries.isEmpty: return "({})"
        case .expression(let expr): return text(expr)
        case .declaration(let name, let value, _): return "let \(name) = \(text(value))"
        case .assignment(let target, let op, let value, _):
            return "\(text(target)) \(op.map { $0.rawValue } ?? "")= \(text(value))"
        case .ifElse(let branches, let otherwise, _):
            var code = branches.map { "if \(text($0.condition)) \(block($0.body, indent: indent))" }
                .joined(separator: " else ")
            if let otherwise { code += " else \(block(otherwise, indent: indent))" }
            return code
        case .whileLoop(let condition, let body, _): return "while \(text(condition)) \(block(body, indent: indent))"
        case .forLoop(let names, let sequence, let body, _):
            return "for \(names.joined(separator: ", ")) in \(text(sequence)) \(block(body, indent: indent))"
        case .breakLoop: return "break"
        case .continueLoop: return "continue"
        case .returnValue(let value, _): return value.map { "return \(text($0))" } ?? "return"
        case .function(let decl):
            return "fn \(decl.name ?? "")\(parameters(decl)) \(block(decl.body, indent: indent))"
        case .tryCatch(let body, let name, let handler, _):
            return
                "try \(block(body, indent: indent)) catch \(name.map { $0 + " " } ?? "")\(block(handler, indent: indent))"
        case .throwError(let value, _): return "throw \(text(value))"
        case .deferred(let inner, _): return "defer \(line(inner, indent: indent))"
        case .waitUntil(let condition, let timeout, let every, _):
            return "wait until \(text(condition))" + (timeout.map { " timeout \(operand($0))" } ?? "")
                + (every.map { " every \(operand($0))" } ?? "")
        case .exit(let code, _): return code.map { "exit \(text($0))" } ?? "exit"
        case .block(let body): return block(body, indent: indent)
        }
    }

    static func block(_ block: Block, indent: String) -> String {
        guard !block.statements.isEmpty else { return "{}" }
        return "{\n" + text(block.statements, indent: indent + "  ") + "\n" + indent + "}"
    }

    static func parameters(_ decl: FunctionDecl) -> String {
        "("
            + decl.parameters.map { parameter in
                parameter.name + (parameter.defaultValue.map { " = \(text($0))" } ?? "")
            }.joined(separator: ", ") + ")"
    }

    public static func text(_ expr: Expr) -> String {
        switch expr {
        case .null: return "null"
        case .bool(let value, _): return String(value)
        case .int(let value, _): return String(value)
        case .float(let value, _):
            // `1.0`, not `1`: a float stays a float when read back.
            let written = String(value)
            return written.contains(where: { "e.ni".contains($0) }) ? written : written + ".0"
        case .duration(let milliseconds, _): return duration(milliseconds)
        case .string(let parts, _):
            return "\""
                + parts.map { part in
                    switch part {
                    case .text(let text): escaped(text)
                    case .expression(let inner): "${\(text(inner))}"
                    }
                }.joined() + "\""
        case .variable(let name, _): return name
        case .list(let elements, _): return "[" + elements.map(text).joined(separator: ", ") + "]"
        case .map(let entries, _):
            return "{"
                + entries.map { entry in
                    (isName(entry.key) ? entry.key : quoted(entry.key)) + ": " + text(entry.value)
                }.joined(separator: ", ") + "}"
        case .unary(.negate, let operand, _): return "-" + self.operand(operand)
        case .unary(.not, let operand, _): return "not " + self.operand(operand)
        case .binary(let op, let left, let right, _): return "\(operand(left)) \(op.rawValue) \(operand(right))"
        case .logical(let isAnd, let left, let right, _):
            return "\(operand(left)) \(isAnd ? "and" : "or") \(operand(right))"
        case .range(let from, let to, let inclusive, _): return operand(from) + (inclusive ? ".." : "..<") + operand(to)
        case .conditional(let condition, let then, let otherwise, _):
            return "\(operand(condition)) ? \(operand(then)) : \(operand(otherwise))"
        case .call(let callee, let arguments, _):
            return operand(callee) + "("
                + arguments.map { argument in
                    (argument.label.map { "\($0): " } ?? "") + text(argument.value)
                }.joined(separator: ", ") + ")"
        case .member(let object, let name, _, _): return operand(object) + "." + name
        case .index(let object, let index, _): return operand(object) + "[" + text(index) + "]"
        case .lambda(let decl):
            if decl.isExpressionBody, case .expression(let body)? = decl.body.statements.first {
                return "(" + decl.parameters.map(\.name).joined(separator: ", ") + ") -> " + operand(body)
            }
            return "fn\(parameters(decl)) \(block(decl.body, indent: ""))"
        case .parallelFor(let variable, let sequence, let body, _):
            return "parallel for \(variable) in \(text(sequence)) \(block(body, indent: ""))"
        }
    }

    /// An operand: in parentheses unless it binds tighter than any operator.
    static func operand(_ expr: Expr) -> String {
        switch expr {
        case .null, .bool, .int, .float, .duration, .string, .variable, .list, .map, .call, .member, .index:
            text(expr)
        default: "(" + text(expr) + ")"
        }
    }

    /// A string literal holding `text` exactly: nothing in it is read as code.
    public static func quoted(_ text: String) -> String { "\"" + escaped(text) + "\"" }

    static func escaped(_ text: String) -> String {
        var code = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": code += "\\\""
            case "\\": code += "\\\\"
            case "$": code += "\\$"
            case "\n": code += "\\n"
            case "\t": code += "\\t"
            case "\r": code += "\\r"
            case "\0": code += "\\0"
            default: code.unicodeScalars.append(scalar)
            }
        }
        return code
    }

    /// `90s`, `10m`, `1500ms`: the largest unit that divides it.
    static func duration(_ milliseconds: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds != 0 && milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }

    static func isName(_ key: String) -> Bool {
        guard let first = key.utf8.first, first.isIdentifierStart else { return false }
        return key.utf8.allSatisfy(\.isIdentifierPart) && Keyword(rawValue: key) == nil
    }
}
