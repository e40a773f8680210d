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

    /// Milliseconds as a duration value's payload, when they fit.
    static func millis(_ number: Double) -> Int64? { int(number.rounded()) }

    /// How many ints a half-open range holds, when that fits in an Int64.
    static func count(_ lower: Int64, _ upper: Int64) -> Int64? {
        let (count, overflow) = upper.subtractingReportingOverflow(lower)
        return overflow ? nil : max(0, count)
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
