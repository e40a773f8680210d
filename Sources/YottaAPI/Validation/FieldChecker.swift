/// The checks behind every documented constraint, each failing with a `ValidationError` naming the field.
///
/// Shared by the client (before sending) and the sandbox (on what it receives), so both enforce
/// the same rules with the same words.
public struct FieldChecker: Sendable {
    public let operation: APIOperation

    public init(_ operation: APIOperation) { self.operation = operation }

    public func fail(_ field: String, _ message: String) -> ValidationError {
        ValidationError(operation: operation, field: field, message: message)
    }

    public func require(
        _ condition: Bool, _ field: String, _ message: @autoclosure () -> String
    )
        throws(ValidationError)
    {
        if !condition { throw fail(field, message()) }
    }

    /// A string of `min...max` characters; nil passes unless `required`.
    public func length(
        _ value: String?, _ field: String, _ bounds: ClosedRange<Int>, required: Bool = false
    )
        throws(ValidationError)
    {
        guard let value else {
            if required { throw fail(field, "is required") }
            return
        }
        if value.count < bounds.lowerBound {
            throw fail(
                field, bounds.lowerBound == 1 ? "must not be empty" : "must be at least \(bounds.lowerBound) characters"
            )
        }
        if value.count > bounds.upperBound { throw fail(field, "must be at most \(bounds.upperBound) characters") }
    }

    /// An integer within `bounds`; nil passes.
    public func range(_ value: Int?, _ field: String, _ bounds: ClosedRange<Int>) throws(ValidationError) {
        guard let value else { return }
        if !bounds.contains(value) {
            let upper = bounds.upperBound == Int.max ? "" : " and \(bounds.upperBound)"
            let message =
                upper.isEmpty
                ? "must be at least \(bounds.lowerBound) (got \(value))"
                : "must be between \(bounds.lowerBound)\(upper) (got \(value))"
            throw fail(field, message)
        }
    }

    /// A TCP port, 1–65535.
    public func port(_ value: Int?, _ field: String) throws(ValidationError) {
        try range(value, field, 1...65535)
    }

    /// A GPU count: a power of two from 1 to `Bounds.gpuCount`.
    public func gpuCount(_ value: Int, _ field: String) throws(ValidationError) {
        try require(
            value > 0 && value & (value - 1) == 0 && value <= Bounds.gpuCount, field,
            "must be a power of 2 from 1 to \(Bounds.gpuCount) (got \(value))")
    }

    /// A resource name of 1–255 characters with no control characters (a NUL or an escape would be
    /// cut or reach terminals).
    public func resourceName(_ value: String?, _ field: String) throws(ValidationError) {
        try length(value, field, 1...255, required: true)
        try printable(value, field)
    }

    /// A string without control characters (C0, DEL, C1); nil passes.
    public func printable(_ value: String?, _ field: String) throws(ValidationError) {
        guard let value else { return }
        try require(
            !value.unicodeScalars.contains { $0.properties.generalCategory == .control }, field,
            "must not contain control characters")
    }

    /// Environment variables: at most `Bounds.environmentVars`, each key 1–255 characters, each value
    /// at most `Bounds.environmentValue`.
    public func environment(_ variables: [EnvironmentVariable]?, _ field: String) throws(ValidationError) {
        guard let variables else { return }
        try count(variables, field, maximum: Bounds.environmentVars)
        for (index, variable) in variables.enumerated() {
            try length(variable.key, "\(field)[\(index)].key", 1...255, required: true)
            try length(variable.value, "\(field)[\(index)].value", 0...Bounds.environmentValue)
        }
    }

    /// A list of at most `maximum` items; nil passes.
    public func count<Item>(_ values: [Item]?, _ field: String, maximum: Int = Bounds.listItems) throws(ValidationError)
    {
        guard let values else { return }
        try require(values.count <= maximum, field, "must have at most \(maximum) items (got \(values.count))")
    }

    /// A name of the credential/endpoint form: 1–20 characters, a letter first, then letters, digits,
    /// `@`, `.`, `_` or `-` (`^(?=[A-Za-z])[A-Za-z0-9@._-]{1,20}$`).
    public func shortName(_ value: String, _ field: String) throws(ValidationError) {
        try length(value, field, 1...20, required: true)
        try require(
            value.first.map(\.isASCIILetter) ?? false, field, "must start with a letter (got '\(value)')")
        try require(
            value.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "@._-".contains($0) }, field,
            "may contain only letters, digits, '@', '.', '_' and '-' (got '\(value)')")
    }

    /// A volume name: 1–64 characters, a letter or digit first, then letters, digits, `.`, `_` or `-`.
    /// The docs only say "valid volume name format"; this is the rule we adopt.
    public func volumeName(_ value: String, _ field: String) throws(ValidationError) {
        try length(value, field, 1...64, required: true)
        try require(
            value.first.map { $0.isASCIILetter || $0.isASCIIDigit } ?? false, field,
            "must start with a letter or a digit (got '\(value)')")
        try require(
            value.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "._-".contains($0) }, field,
            "may contain only letters, digits, '.', '_' and '-' (got '\(value)')")
    }

    /// An http(s) URL of at most `maximum` characters with a host.
    public func webURL(_ value: String?, _ field: String, maximum: Int = 512) throws(ValidationError) {
        guard let value else { return }
        try length(value, field, 1...maximum)
        let lower = value.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = value.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = value.dropFirst(7)
        } else {
            throw fail(field, "must be an http:// or https:// URL (got '\(value)')")
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        try require(!host.isEmpty && !value.contains(" "), field, "must be a valid URL with a host (got '\(value)')")
    }

    /// A value from a documented set, compared without case.
    public func oneOf<E: WireEnum>(_ value: Open<E>?, _ field: String, _: E.Type) throws(ValidationError) {
        guard let value, value.known == nil else { return }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw fail(field, "must be one of \(allowed) (got '\(value.rawValue)')")
    }

    /// A list without repeated values.
    public func unique(_ values: [String]?, _ field: String) throws(ValidationError) {
        guard let values else { return }
        try require(Set(values).count == values.count, field, "must not repeat a value")
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}
