/// Arithmetic, comparison and membership on values, beyond the int fast paths the compiler inlines.
enum Operators {
    static func binary(
        _ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange, context: ExecutionContext
    ) throws -> Value {
        func mismatch() -> RuntimeError {
            context.error(.typeMismatch, "cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)", at: range)
        }
        func overflow() -> RuntimeError {
            context.error(.invalidOperation, "integer overflow in '\(op.rawValue)'", at: range)
        }
        func durationOverflow() -> RuntimeError {
            context.error(.invalidOperation, "duration out of range in '\(op.rawValue)'", at: range)
        }
        switch op {
        case .equal: return .bool(equal(a, b))
        case .notEqual: return .bool(!equal(a, b))
        case .contains: return .bool(try contains(b, a, at: range, context: context))
        case .notContains: return .bool(!(try contains(b, a, at: range, context: context)))
        case .less, .lessEqual, .greater, .greaterEqual:
            guard let order = compare(a, b) else { throw mismatch() }
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default: break
        }
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case .add:
                let (r, o) = x.addingReportingOverflow(y)
                if o { throw overflow() }
                return .int(r)
            case .subtract:
                let (r, o) = x.subtractingReportingOverflow(y)
                if o { throw overflow() }
                return .int(r)
            case .multiply:
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if o { throw overflow() }
                return .int(r)
            case .divide:
                guard y != 0 else { throw context.error(.divisionByZero, "division by zero", at: range) }
                if y == -1 {
                    guard x != Int64.min else { throw overflow() }
                    return .int(-x)
                }
                if x % y == 0 { return .int(x / y) }
                return .float(Double(x) / Double(y))
            case .remainder:
                guard y != 0 else { throw context.error(.divisionByZero, "division by zero", at: range) }
                if y == -1 { return .int(0) }
                let r = x % y
                return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            default: throw mismatch()
            }
        case (.int, .float), (.float, .int), (.float, .float):
            let x = a.asDouble ?? 0
            let y = b.asDouble ?? 0
            switch op {
            case .add: return .float(x + y)
            case .subtract: return .float(x - y)
            case .multiply: return .float(x * y)
            case .divide:
                guard y != 0 else { throw context.error(.divisionByZero, "division by zero", at: range) }
                return .float(x / y)
            case .remainder:
                guard y != 0 else { throw context.error(.divisionByZero, "division by zero", at: range) }
                let r = x.truncatingRemainder(dividingBy: y)
                return .float(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            default: throw mismatch()
            }
        case (.string(let xBox), .string(let yBox)) where op == .add:
            let x = xBox.value; let y = yBox.value
            guard x.utf8.count + y.utf8.count <= Limits.maximumStringBytes else {
                throw context.error(.invalidOperation, Limits.stringMessage, at: range)
            }
            return .string(x + y)
        case (.list(let x), .list(let y)) where op == .add:
            guard x.items.count + y.items.count <= Limits.maximumListCount else {
                throw context.error(.invalidOperation, Limits.listMessage, at: range)
            }
            return .list(ListBox(x.items + y.items))
        case (.duration(let x), .duration(let y)):
            switch op {
            case .add:
                let (sum, overflow) = x.addingReportingOverflow(y)
                guard !overflow else { throw durationOverflow() }
                return .duration(sum)
            case .subtract:
                let (difference, overflow) = x.subtractingReportingOverflow(y)
                guard !overflow else { throw durationOverflow() }
                return .duration(difference)
            case .divide:
                guard y != 0 else { throw context.error(.divisionByZero, "division by zero", at: range) }
                return .float(Double(x) / Double(y))
            default: throw mismatch()
            }
        case (.duration(let x), .int), (.duration(let x), .float):
            let factor = b.asDouble ?? 0
            switch op {
            case .multiply:
                guard let millis = Checked.millis(Double(x) * factor) else { throw durationOverflow() }
                return .duration(millis)
            case .divide:
                guard factor != 0 else { throw context.error(.divisionByZero, "division by zero", at: range) }
                guard let millis = Checked.millis(Double(x) / factor) else { throw durationOverflow() }
                return .duration(millis)
            default: throw mismatch()
            }
        case (.time(let x), .time(let y)):
            guard op == .subtract else { throw mismatch() }
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            guard !overflow else { throw durationOverflow() }
            return .duration(difference)
        case (.time(let x), .duration(let y)), (.duration(let y), .time(let x)):
            guard op == .add || (op == .subtract && a.typeName == "time") else { throw mismatch() }
            let (moved, overflow) = op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
            guard !overflow else {
                throw context.error(.invalidOperation, "time out of range in '\(op.rawValue)'", at: range)
            }
            return .time(moved)
        case (.int, .duration(let y)), (.float, .duration(let y)):
            guard op == .multiply else { throw mismatch() }
            guard let millis = Checked.millis(Double(y) * (a.asDouble ?? 0)) else { throw durationOverflow() }
            return .duration(millis)
        default:
            throw mismatch()
        }
    }

    /// `a += b`: a list is extended in place; a string is appended to in place when `slot` holds the
    /// only reference (the slot is emptied first, so the append does not copy); anything else is `+`.
    static func addInPlace(
        _ slot: inout Value, _ addend: Value, at range: SourceRange, context: ExecutionContext
    )
        throws
    {
        if case .string(var text) = slot, case .string(let tail) = addend {
            guard text.value.utf8.count + tail.value.utf8.count <= Limits.maximumStringBytes else {
                throw context.error(.invalidOperation, Limits.stringMessage, at: range)
            }
            slot = .null
            if isKnownUniquelyReferenced(&text) {
                text.value += tail.value
            } else {
                text = StringBox(text.value + tail.value)
            }
            slot = .string(text)
            return
        }
        switch (slot, addend) {
        case (.list(let list), .list(let other)):
            guard list.items.count + other.items.count <= Limits.maximumListCount else {
                throw context.error(.invalidOperation, Limits.listMessage, at: range)
            }
            list.items.append(contentsOf: other.items)
        default:
            slot = try binary(.add, slot, addend, at: range, context: context)
        }
    }

    static func negate(_ value: Value, at range: SourceRange, context: ExecutionContext) throws -> Value {
        switch value {
        case .int(let x):
            guard x != Int64.min else { throw context.error(.invalidOperation, "integer overflow in '-'", at: range) }
            return .int(-x)
        case .float(let x): return .float(-x)
        case .duration(let x):
            guard x != Int64.min else {
                throw context.error(.invalidOperation, "duration out of range in '-'", at: range)
            }
            return .duration(-x)
        default: throw context.error(.typeMismatch, "cannot negate \(value.typeName)", at: range)
        }
    }

    /// Equality: numbers across int and float, status words against strings ignoring case, lists
    /// and maps by content, records by id (else identity).
    /// Values nested deeper than this compare unequal: a list that contains itself (directly or
    /// through another) would otherwise never finish comparing.
    static let maximumEqualityDepth = 1000

    static func equal(_ a: Value, _ b: Value, depth: Int = 0) -> Bool {
        guard depth < maximumEqualityDepth else { return false }
        func equal(_ a: Value, _ b: Value) -> Bool { Operators.equal(a, b, depth: depth + 1) }
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return !y.isNaN && Checked.compare(x, y) == 0
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x.value == y.value
        case (.status(let xBox), .status(let yBox)), (.status(let xBox), .string(let yBox)),
            (.string(let xBox), .status(let yBox)):
            let x = xBox.value; let y = yBox.value
            return x.caseInsensitiveCompare(y) == .orderedSame
                || x.replacingOccurrences(of: "_", with: "").caseInsensitiveCompare(
                    y.replacingOccurrences(of: "_", with: "")) == .orderedSame
        case (.duration(let x), .duration(let y)), (.time(let x), .time(let y)): return x == y
        case (.range(let x), .range(let y)): return x.lower == y.lower && x.last == y.last
        case (.list(let x), .list(let y)):
            return x === y || (x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1) })
        case (.map(let x), .map(let y)):
            return x === y
                || (x.count == y.count && x.pairs.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false })
        case (.function(let x), .function(let y)): return x === y
        case (.error(let x), .error(let y)): return x === y
        case (.record(let x), .record(let y)):
            if x === y { return true }
            guard x.type === y.type, let id = x.fields["id"], let other = y.fields["id"] else { return false }
            return equal(id, other)
        default: return false
        }
    }

    /// Ordering for <, sort, min and max: numbers, strings, durations; nil when incomparable.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.int(let x), .float(let y)): return Checked.compare(x, y)
        case (.float(let x), .int(let y)): return -Checked.compare(y, x)
        case (.float(let x), .float(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.string(let x), .string(let y)), (.status(let x), .string(let y)), (.string(let x), .status(let y)),
            (.status(let x), .status(let y)):
            return x.value < y.value ? -1 : (x.value > y.value ? 1 : 0)
        case (.duration(let x), .duration(let y)), (.time(let x), .time(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        // Booleans are not ordered (docs/language.md: numbers, strings, durations and times are).
        default: return nil
        }
    }

    static func contains(
        _ container: Value, _ item: Value, at range: SourceRange, context: ExecutionContext
    ) throws -> Bool {
        switch container {
        case .list(let list): return list.items.contains { equal($0, item) }
        case .map(let map):
            guard case .string(let key) = item else { return false }
            return map[key.value] != nil
        case .string(let textBox):
            let text = textBox.value
            guard case .string(let part) = item else {
                throw context.error(.typeMismatch, "'in' a string needs a string, got \(item.typeName)", at: range)
            }
            return part.value.isEmpty || text.contains(part.value)
        case .range(let span):
            let (lower, last) = (span.lower, span.last)
            guard case .int(let number) = item else { return false }
            return number >= lower && number <= last
        default:
            throw context.error(.typeMismatch, "cannot use 'in' with \(container.typeName)", at: range)
        }
    }
}

extension Value {
    var asDouble: Double? {
        switch self {
        case .int(let x): Double(x)
        case .float(let x): x
        default: nil
        }
    }
}
