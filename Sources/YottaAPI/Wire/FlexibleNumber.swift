/// A number the API sends either as a JSON number or as numeric text (volume `cost` in live mode).
///
/// Decodes from both and keeps the form so it re-encodes unchanged.
public struct FlexibleNumber: Hashable, Sendable, CustomStringConvertible, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral, Codable
{
    public let value: Double
    public let sentAsText: Bool

    public init(_ value: Double, sentAsText: Bool = false) {
        self.value = value
        self.sentAsText = sentAsText
    }

    public init(floatLiteral value: Double) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(Double(value)) }

    public var description: String { String(value) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self.init(number)
        } else if let text = try? container.decode(String.self), let number = Double(text) {
            self.init(number, sentAsText: true)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if sentAsText { try container.encode(String(value)) } else { try container.encode(value) }
    }
}
