/// A closed set of values the API documents, used through `Open` so unknown values survive decoding.
public protocol WireEnum: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// Other spellings the API is known to use for a case (another case, another vocabulary).
    static var aliases: [String: Self] { get }
}

extension WireEnum {
    public static var aliases: [String: Self] { [:] }

    /// Finds the case for a wire string: exact, then case-insensitive, then through the aliases.
    public static func matching(_ text: String) -> Self? {
        if let exact = Self(rawValue: text) { return exact }
        let folded = text.uppercased()
        if let found = allCases.first(where: { $0.rawValue.uppercased() == folded }) { return found }
        return aliases.first(where: { $0.key.uppercased() == folded })?.value
    }
}

/// A documented enum value, or a value the documentation does not list, kept as it was sent.
///
/// Decoding never fails on an unknown value: the API adds states and codes over time.
public enum Open<Known: WireEnum>: Hashable, Sendable, CustomStringConvertible {
    case known(Known)
    case unknown(String)

    public init(_ known: Known) { self = .known(known) }

    /// Reads a wire string, tolerant of case and of documented aliases.
    public init(wire text: String) {
        if let known = Known.matching(text) { self = .known(known) } else { self = .unknown(text) }
    }

    /// The documented case, or nil for a value the documentation does not list.
    public var known: Known? {
        if case .known(let value) = self { return value }
        return nil
    }

    /// The text of the value as it is encoded.
    public var rawValue: String {
        switch self {
        case .known(let value): value.rawValue
        case .unknown(let text): text
        }
    }

    public var description: String { rawValue }

    /// Whether this value is `other`, whatever spelling or vocabulary it came in.
    public static func == (lhs: Open<Known>, rhs: Known) -> Bool { lhs.known == rhs }

    public static func != (lhs: Open<Known>, rhs: Known) -> Bool { lhs.known != rhs }
}

extension Open: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.init(wire: text)
        } else if let number = try? container.decode(Int64.self) {
            self.init(wire: String(number))
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension Open: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(wire: value) }
}
