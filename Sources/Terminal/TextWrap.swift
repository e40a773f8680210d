/// Long lines broken at spaces to fit a terminal, continuation lines indented under their first.
public enum TextWrap {
    /// Each line of `text` wider than `width` is broken at the last space that fits; what follows is
    /// indented four columns past the line's own indentation. A word longer than the width stays
    /// whole. A width under 20 (or 0: not a terminal) leaves the text as it is.
    public static func wrap(_ text: String, width: Int) -> String {
        guard width >= 20 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.count > width else { return String(line) }
            let leading = line.prefix { $0 == " " }
            let indent = String(repeating: " ", count: leading.count + 4)
            var lines: [String] = []
            var current = String(leading)
            for word in line.dropFirst(leading.count).split(separator: " ") {
                if current.count == leading.count {
                    current += word
                } else if current.count + 1 + word.count <= width {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = indent + word
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
