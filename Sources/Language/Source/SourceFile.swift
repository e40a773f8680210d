/// A program's text, with the name diagnostics use (`recipe.gpus`, `<repl>`, `-e`).
///
/// Positions everywhere are UTF-8 byte offsets into `bytes`; lines and columns are computed only
/// when a diagnostic is rendered.
public final class SourceFile: Sendable {
    public let name: String
    public let text: String
    let bytes: [UInt8]
    /// The offset at which each line starts.
    let lineStarts: [Int]

    /// Windows line ends (CRLF) and old Mac ones (a lone CR) are read as plain newlines, as Python
    /// and Lua read them, so a file saved anywhere means the same (a `\` before one continues the
    /// line; a multi-line string holds "\n"). A CR inside a string literal is written `\r`.
    public init(name: String, text: String) {
        self.name = name
        let text =
            text.utf8.contains(UInt8(ascii: "\r"))
            ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and column (in characters) of an offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        let start = lineStarts[low]
        let prefix = String(decoding: bytes[start..<clamped], as: UTF8.self)
        return (low + 1, prefix.count + 1)
    }

    /// The text of a 1-based line, without its newline.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    func slice(_ range: SourceRange) -> String {
        // Clamped both ways: a tree built from values has ranges of no text (`SourceRange.none`).
        let lower = max(0, min(range.start, bytes.count))
        return String(decoding: bytes[lower..<max(lower, min(range.end, bytes.count))], as: UTF8.self)
    }
}

/// A half-open range of byte offsets.
public struct SourceRange: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public func to(_ other: SourceRange) -> SourceRange { SourceRange(min(start, other.start), max(end, other.end)) }

    public static let none = SourceRange(0, 0)
}
