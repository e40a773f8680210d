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

    public init(colour: Bool = false) { self.colour = colour }

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
        let header = "\(source.name):\(line):\(startColumn): \(label) \(message)"
        var text = source.line(line)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        // The caret spans the range on its first line, at least one character.
        let (endLine, endColumn) = source.location(of: diagnostic.range.end)
        var column = startColumn
        var width = endLine == line ? max(1, endColumn - column) : max(1, text.count - column + 1)
        // A very long line (a generated expression) is shown as a window around the column.
        if text.count > Self.maximumLineWidth {
            let start = max(0, column - 1 - Self.maximumLineWidth / 3)
            let window = text.dropFirst(start).prefix(Self.maximumLineWidth)
            let cutEnd = start + window.count < text.count
            text = (start > 0 ? "…" : "") + window + (cutEnd ? "…" : "")
            column = column - start + (start > 0 ? 1 : 0)
            width = min(width, Self.maximumLineWidth - (column - 1))
        }
        // The caret's indentation repeats the line's tabs, so it sits under the token whatever the
        // tab width.
        let indent = String(text.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " })
        let caret = indent + String(repeating: "^", count: min(width, 200))
        var lines = [header, "\(gutter) | \(text)", "\(pad) | \(colour ? "\u{1B}[1;32m\(caret)\u{1B}[0m" : caret)"]
        if let code = diagnostic.code { lines.append("\(pad) = code \(code)") }
        lines += diagnostic.notes.map { "\(pad) = \($0)" }
        return lines.joined(separator: "\n")
    }

    public func render(_ diagnostics: [Diagnostic], in source: SourceFile) -> String {
        diagnostics.map { render($0, in: source) }.joined(separator: "\n")
    }
}
