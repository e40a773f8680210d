import Foundation

/// The identifier of a Yotta resource, decoded from a JSON number or a JSON string.
///
/// The real API sends int64 snowflake ids as numbers for some resources and as strings for others
/// (endpoints, live-mode volumes). The id is kept as its exact decimal text, never through `Double`,
/// and re-encoded in the form it arrived in.
public struct ResourceID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral
{
    /// How an id travels in JSON.
    public enum WireForm: Sendable { case number, string }

    /// The id as text, exactly as the server sent it.
    public let rawValue: String
    /// The JSON form the id is encoded in.
    public let wireForm: WireForm

    /// Creates an id from its text; it is encoded as a JSON number when it is an int64.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
        self.wireForm = Int64(rawValue) != nil ? .number : .string
    }

    public init(_ value: Int64) {
        self.rawValue = String(value)
        self.wireForm = .number
    }

    /// Creates an id with an explicit wire form.
    public init(_ rawValue: String, wireForm: WireForm) {
        self.rawValue = rawValue
        self.wireForm = wireForm
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int64) { self.init(value) }

    /// The id as an int64, when it is one.
    public var int64Value: Int64? { Int64(rawValue) }

    public var description: String { rawValue }

    public static func == (lhs: ResourceID, rhs: ResourceID) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

extension ResourceID: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self.init(String(number), wireForm: .number)
        } else if let number = try? container.decode(UInt64.self) {
            self.init(String(number), wireForm: .number)
        } else if let text = try? container.decode(String.self) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "empty id")
            }
            self.init(trimmed, wireForm: .string)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an id must be an integer or a string")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if wireForm == .number, let number = Int64(rawValue) {
            try container.encode(number)
        } else {
            try container.encode(rawValue)
        }
    }
}
