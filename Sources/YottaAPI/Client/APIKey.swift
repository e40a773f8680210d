/// An API key. Its text is reachable only through `reveal()`: printing, interpolating or dumping the
/// value shows a mask, so the key cannot leak into output, errors or logs by accident.
public struct APIKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let secret: String

    public init(_ secret: String) { self.secret = secret }

    /// The key itself, for the `X-Api-Key` header and nothing else.
    public func reveal() -> String { secret }

    /// Why the key cannot travel in an HTTP header, without showing it ("contains a carriage return
    /// (character 19 of 19)"), or nil when it can: visible ASCII only, no spaces.
    public var headerProblem: String? {
        guard !secret.isEmpty else { return "is empty" }
        let characters = Array(secret.unicodeScalars)
        guard let index = characters.firstIndex(where: { !(0x21...0x7E).contains($0.value) }) else { return nil }
        let what: String =
            switch characters[index] {
            case "\r": "a carriage return"
            case "\n": "a newline"
            case "\0": "a NUL"
            case "\t": "a tab"
            case " ": "a space"
            case let scalar where scalar.value < 0x20 || scalar.value == 0x7F: "a control character"
            default: "a non-ASCII character"
            }
        let trailingLine = index == characters.count - 1 && (characters[index] == "\r" || characters[index] == "\n")
        let hint = trailingLine ? " (a trailing newline from a file or `echo` is the usual cause)" : ""
        return "contains \(what) (character \(index + 1) of \(characters.count))\(hint)"
    }

    /// The last four characters, for telling keys apart: `••••1a2b` (one that is not visible ASCII
    /// shown escaped: a stray carriage return is `\u{D}`, not a return that moves the cursor).
    public var masked: String {
        guard secret.count > 8 else { return "••••" }
        return "••••"
            + secret.suffix(4).unicodeScalars.map { scalar in
                (0x21...0x7E).contains(scalar.value)
                    ? String(scalar) : "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }.joined()
    }

    public var description: String { masked }
    public var debugDescription: String { "APIKey(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }
}
