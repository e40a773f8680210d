/// Conversions and counts that cannot trap: a value out of range is nil, and the caller raises a
/// language error (a crash is never the answer to a program's input).
enum Checked {
    /// A double as an Int64, when it is finite and in range (rounded as given first).
    static func int(_ number: Double) -> Int64? {
        guard number.isFinite, number >= -9_223_372_036_854_775_808.0, number < 9_223_372_036_854_775_808.0 else {
            return nil
        }
        return Int64(number)
    }

    /// The order of an int and a float, exactly (converting the int to a double would make
    /// 2^53 + 1 equal to 2^53.0): -1, 0 or 1; 0 for nan, as for floats.
    static func compare(_ integer: Int64, _ number: Double) -> Int {
        if number.isNaN { return 0 }
        if number >= 9_223_372_036_854_775_808.0 { return -1 }
        if number < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = number.rounded(.towardZero)
        let truncated = Int64(whole)
        if integer != truncated { return integer < truncated ? -1 : 1 }
        let fraction = number - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// Milliseconds as a duration value's payload, when they fit.
    static func millis(_ number: Double) -> Int64? { int(number.rounded()) }

    /// How many ints `lower...last` holds (none when `last < lower`), when that fits in an Int64.
    static func count(_ lower: Int64, _ last: Int64) -> Int64? {
        guard last >= lower else { return 0 }
        let (span, overflow) = last.subtractingReportingOverflow(lower)
        return overflow || span == Int64.max ? nil : span + 1
    }

    /// The ints of `lower...last` as values (the caller has bounded the count).
    static func ints(_ lower: Int64, _ last: Int64) -> [Value] {
        guard let count = count(lower, last) else { return [] }
        return (0..<count).map { .int(lower + $0) }
    }
}

/// How big a string or a list may grow: past these, an error before the allocation (a program that
/// doubles a string in a loop gets a message, not an abort).
public enum Limits {
    public static let maximumStringBytes = 1 << 28
    public static let maximumListCount = 1 << 26

    static var stringMessage: String { "string too long (more than \(maximumStringBytes) bytes)" }
    static var listMessage: String { "list too long (more than \(maximumListCount) items)" }
}
