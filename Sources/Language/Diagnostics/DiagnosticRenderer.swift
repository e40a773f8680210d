/// Formats diagnostics the one way gpus shows them:
///
/// ```
/// recipe.gpus:3:17: error: ')' expected (to close '(' at 3:10)
/// 3 | let vm = vms.create(name: "a", region: "us-east-1"
///   |                 ^
/// ```
public struct DiagnosticRenderer: Sendable {
    public var colour: Bool
    /// Whether the header is followed by the source line and a caret.
    public var showsSource = true
    /// The terminal's width when errors go to one: the message is broken at spaces and a long source
    /// line shown as a window around the caret, so nothing wraps in the middle of a word or under
    /// the caret. 0: not a terminal (a source line is cut at 120 characters only).
    public var width = 0

    public init(colour: Bool = false) { self.colour = colour }

    /// The same renderer for a terminal `width` columns wide (0: not a terminal).
    public func fitted(to width: Int) -> DiagnosticRenderer {
        var fitted = self
        fitted.width = width
        return fitted
    }

    /// How much of a source line a diagnostic shows.
    static let maximumLineWidth = 120

    public func render(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
        let (line, startColumn) = source.location(of: diagnostic.range.start)
        let severity = diagnostic.severity.rawValue
        let label = colour ? "\u{1B}[1;31m\(severity):\u{1B}[0m" : "\(severity):"
        let message = Printer.visible(diagnostic.message)
        guard showsSource else {
            let notes =
                (diagnostic.code.map { ["code \($0)"] } ?? []) + diagnostic.notes.filter { !$0.hasPrefix("in ") }
            return (["\(source.name): \(label) \(message)"] + notes.map { "  = \($0)" }).joined(separator: "\n")
        }
        let header = Self.broken("\(source.name):\(line):\(startColumn): \(label) \(message)", width: width)
        var text = source.line(line)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        let shown = width > 0 ? max(20, min(Self.maximumLineWidth, width - gutter.count - 3)) : Self.maximumLineWidth
        // The caret spans the range on its first line, at least one character.
        let (endLine, endColumn) = source.location(of: diagnostic.range.end)
        var column = startColumn
        var span = endLine == line ? max(1, endColumn - column) : max(1, text.count - column + 1)
        // A very long line (a generated expression) is shown as a window around the column.
        // A line wider than that (a generated expression, a long call at 80 columns) is shown as a
        // window around the column, … marking what is left out.
        if text.count > shown {
            let start = max(0, min(column - 1 - shown / 3, text.count - (shown - 1)))
            let room = shown - (start > 0 ? 1 : 0)
            let cutEnd = start + room < text.count
            let window = text.dropFirst(start).prefix(cutEnd ? room - 1 : room)
            text = (start > 0 ? "…" : "") + window + (cutEnd ? "…" : "")
            column = column - start + (start > 0 ? 1 : 0)
            span = max(1, min(span, text.count - (column - 1)))
        }
        // The caret's indentation repeats the line's tabs, so it sits under the token whatever the
        // tab width.
        let indent = String(text.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " })
        let caret = indent + String(repeating: "^", count: min(span, 200))
        var lines = [header, "\(gutter) | \(text)", "\(pad) | \(colour ? "\u{1B}[1;32m\(caret)\u{1B}[0m" : caret)"]
        if let code = diagnostic.code { lines.append("\(pad) = code \(code)") }
        // A note broken like the message, its next lines under its first word.
        lines += diagnostic.notes.map { note in
            let room = width > 0 ? max(21, width - pad.count - 3) : 0
            return "\(pad) = "
                + Self.broken(note, width: room, indent: "").replacingOccurrences(of: "\n", with: "\n\(pad)   ")
        }
        return lines.joined(separator: "\n")
    }

    /// `text` broken at spaces to `width` (0: whole), the lines after the first indented (by two).
    static func broken(_ text: String, width: Int, indent: String = "  ") -> String {
        guard width > 20, visible(text) > width else { return text }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let limit = lines.isEmpty ? width : width - indent.count
            if !line.isEmpty, visible(line) + 1 + visible(word) > limit {
                lines.append(line)
                line = String(word)
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        lines.append(line)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : indent + $0.element }.joined(separator: "\n")
    }

    /// How many columns `text` takes: its characters but the colour sequences (`ESC[…m`).
    public static func visible(_ text: some StringProtocol) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }

    public func render(_ diagnostics: [Diagnostic], in source: SourceFile) -> String {
        diagnostics.map { render($0, in: source) }.joined(separator: "\n")
    }
}
