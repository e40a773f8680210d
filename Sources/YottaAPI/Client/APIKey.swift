/// An API key. Its text is reachable only through `reveal()`: printing, interpolating or dumping the
/// value shows a mask, so the key cannot leak into output, errors or logs by accident.
public struct APIKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let secret: String

    public init(_ secret: String) { self.secret = secret }

    /// The key itself, for the `X-Api-Key` header and nothing else.
    public func reveal() -> String { secret }

    /// The last four characters, for telling keys apart: `••••1a2b`.
    public var masked: String { secret.count <= 8 ? "••••" : "••••" + secret.suffix(4) }

    public var description: String { masked }
    public var debugDescription: String { "APIKey(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }
}
