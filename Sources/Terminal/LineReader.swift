/// Where the REPL gets its lines: libedit on a terminal (`LineEditor`), plain reads of piped input,
/// or a script of lines in a test.
public protocol LineReader: AnyObject {
    /// Whether a person is typing (prompts, history, questions) or input is piped.
    var isInteractive: Bool { get }
    func readLine(prompt: String) -> LineInput
    /// Whether a next line (or the input's end) is there to read within `milliseconds`: piped input
    /// looks ahead only at what a producer has already written, never waiting on one that waits
    /// for our output.
    func inputWaiting(within milliseconds: Int32) -> Bool
    /// Adds a whole statement (however many lines) as one history entry.
    func addHistory(_ entry: String)
    func loadHistory(from path: String)
    func saveHistory(to path: String)
}

extension LineReader {
    public func inputWaiting(within milliseconds: Int32) -> Bool { true }
}

/// What one read returned.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt: the line is dropped.
    case interrupted
    /// SIGTERM or SIGHUP arrived (its number): the session should end.
    case terminated(Int32)
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// What TAB inserts at the cursor, and what to show when there is more than one way to go on.
public struct Completion: Equatable, Sendable {
    public var insertion: String
    /// The candidates as listed (a live resource's id with its name and status).
    public var candidates: [String]
    /// A line shown above the candidates: the signature of the call being typed.
    public var heading: String?

    public init(insertion: String, candidates: [String], heading: String? = nil) {
        self.insertion = insertion
        self.candidates = candidates
        self.heading = heading
    }

    public static let none = Completion(insertion: "", candidates: [])

    /// What is printed under the line: the heading, then the candidates in columns when there are
    /// several (one is inserted, so it is not listed).
    public func listing(width: Int = 80) -> String? {
        let lines =
            (heading.map { [TextWrap.wrap($0, width: width)] } ?? [])
            + (candidates.count > 1 ? [Self.columns(candidates, width: width)] : [])
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// Candidates laid out in columns across a line of `width` characters.
    public static func columns(_ items: [String], width: Int = 80) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(1, cell))
        return stride(from: 0, to: items.count, by: perLine).map { start in
            items[start..<min(items.count, start + perLine)].map {
                $0.padding(toLength: cell, withPad: " ", startingAt: 0)
            }
            .joined().trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// What history keeps: statements, not blank lines (libedit drops consecutive duplicates and keeps
/// the last 1000).
public enum History {
    public static func keeps(_ entry: String) -> Bool {
        !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
