import Foundation

/// A point in time as the API sends it: epoch milliseconds as a number or a string, or ISO 8601 text.
///
/// The value keeps the form it arrived in so that it re-encodes unchanged.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// How a timestamp travels in JSON.
    public enum WireForm: Sendable { case epochMillis, epochMillisString, iso8601 }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let epochMillis: Int64
    public let wireForm: WireForm

    public init(epochMillis: Int64, wireForm: WireForm = .epochMillis) {
        self.epochMillis = epochMillis
        self.wireForm = wireForm
    }

    public init(_ date: Date, wireForm: WireForm = .epochMillis) {
        self.init(epochMillis: Int64((date.timeIntervalSince1970 * 1000).rounded()), wireForm: wireForm)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(epochMillis) / 1000) }

    /// The time as ISO 8601 with milliseconds, in UTC.
    public var iso8601: String {
        let seconds = epochMillis.quotient(dividingBy: 1000)
        let millis = epochMillis - seconds * 1000
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
        let fraction = String(millis + 1000).dropFirst()
        return whole.dropLast() + "." + fraction + "Z"
    }

    public var description: String { iso8601 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.epochMillis < rhs.epochMillis }
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.epochMillis == rhs.epochMillis }
    public func hash(into hasher: inout Hasher) { hasher.combine(epochMillis) }

    /// Parses epoch milliseconds written as digits, or ISO 8601 with or without fractional seconds.
    public static func parse(_ text: String) -> Timestamp? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let millis = Int64(trimmed) { return Timestamp(epochMillis: millis, wireForm: .epochMillisString) }
        guard let date = parseISO(trimmed) else { return nil }
        return Timestamp(date, wireForm: .iso8601)
    }

    static func parseISO(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        // "2026-03-01T10:00:00" without a zone: read as UTC.
        if !text.contains("Z"), !text.contains("+"), text.count == 19 || text.count == 23 {
            return parseISO(text + "Z")
        }
        return nil
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, so times before 1970 format correctly.
    fileprivate func quotient(dividingBy divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}

extension Timestamp: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let millis = try? container.decode(Int64.self) {
            self.init(epochMillis: millis, wireForm: .epochMillis)
        } else if let text = try? container.decode(String.self), let parsed = Timestamp.parse(text) {
            self = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a timestamp must be epoch milliseconds or ISO 8601")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch wireForm {
        case .epochMillis: try container.encode(epochMillis)
        case .epochMillisString: try container.encode(String(epochMillis))
        case .iso8601: try container.encode(iso8601)
        }
    }
}
