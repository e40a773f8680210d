/// A value the API documents as a string that some responses send as a number (`memoryInGb: "32"`).
///
/// Decodes from a JSON string or number and keeps the text; encodes as a string.
public struct FlexibleString: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral, Codable {
    public let text: String

    public init(_ text: String) { self.text = text }
    public init(stringLiteral value: String) { self.text = value }

    /// The value read as a number, when it is one.
    public var number: Double? { Double(text) }

    public var description: String { text }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let number = try? container.decode(Int64.self) {
            self.text = String(number)
        } else if let number = try? container.decode(Double.self) {
            self.text = String(number)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or a number")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
