import CLibEdit
import Foundation

/// Reads lines with libedit (emacs keys, history, Ctrl-R search, completion) on a terminal, or
/// plainly when stdin is not one. Knows nothing of the language: a completer plugs in.
public final class LineEditor {
    public enum Input: Equatable, Sendable {
        case line(String)
        /// Ctrl-C at the prompt: the line is dropped.
        case interrupted
        /// SIGTERM or SIGHUP arrived (its number): the session should end.
        case terminated(Int32)
        /// Ctrl-D on an empty line, or the end of piped input.
        case endOfInput
    }

    /// What TAB inserts at the cursor, and the candidates to list when there are several.
    public struct Completion: Equatable, Sendable {
        public var insertion: String
        public var candidates: [String]
        public init(insertion: String, candidates: [String]) {
            self.insertion = insertion
            self.candidates = candidates
        }
    }

    public typealias Completer = (String) -> Completion

    final class CompleterBox {
        let completer: Completer
        init(_ completer: @escaping Completer) { self.completer = completer }
    }

    private let editor: OpaquePointer?
    private let box: CompleterBox
    public let isInteractive: Bool

    /// Line editing when both stdin and stdout are terminals, plain reading otherwise.
    public init(program: String = "gpus", completer: @escaping Completer) {
        box = CompleterBox(completer)
        isInteractive = isatty(0) == 1 && isatty(1) == 1
        guard isInteractive else {
            editor = nil
            return
        }
        let callback: gpus_completer = { client, line in
            guard let client, let line else { return nil }
            let box = Unmanaged<CompleterBox>.fromOpaque(client).takeUnretainedValue()
            let completion = box.completer(String(cString: line))
            let text =
                ([completion.insertion]
                + (completion.candidates.count > 1 ? [LineEditor.columns(completion.candidates)] : []))
                .joined(separator: "\n")
            return strdup(text)
        }
        editor = gpus_editor_open(program, Unmanaged.passUnretained(box).toOpaque(), callback)
        if editor == nil {
            let reason = gpus_editor_unavailable_reason().map { String(cString: $0) } ?? "libedit did not start"
            let note = "gpus: line editing is off (\(reason)); reading plain lines\n"
            _ = note.withCString { write(2, $0, strlen($0)) }
        }
    }

    /// Whether libedit can be loaded on this machine, and if not why.
    public static var lineEditingUnavailableReason: String? {
        gpus_editor_unavailable_reason().map { String(cString: $0) }
    }

    deinit {
        if let editor { gpus_editor_close(editor) }
    }

    public func readLine(prompt: String) -> Input {
        if let signal = Self.terminationSignal { return .terminated(signal) }
        guard let editor else {
            // A terminal without libedit still shows the prompt; piped input does not.
            if isInteractive {
                _ = prompt.withCString { write(1, $0, strlen($0)) }
            }
            var terminated: Int32 = 0
            guard let line = gpus_plain_read_line(&terminated) else {
                return Self.terminationSignal.map { .terminated($0) } ?? .endOfInput
            }
            defer { free(line) }
            var text = String(cString: line)
            if text.hasSuffix("\r") { text.removeLast() }
            return .line(text)
        }
        gpus_editor_set_prompt(editor, prompt)
        var interrupted: Int32 = 0
        guard let line = gpus_editor_gets(editor, &interrupted) else {
            if let signal = Self.terminationSignal { return .terminated(signal) }
            return interrupted != 0 ? .interrupted : .endOfInput
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Adds a whole statement (however many lines) as one history entry.
    public func addHistory(_ entry: String) {
        guard let editor, History.keeps(entry) else { return }
        gpus_editor_history_add(editor, entry)
    }

    public func loadHistory(from path: String) {
        guard let editor else { return }
        _ = gpus_editor_history_load(editor, path)
    }

    public func saveHistory(to path: String) {
        guard let editor else { return }
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = gpus_editor_history_save(editor, path)
    }

    /// Candidates laid out in columns across an 80-character line.
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

    /// Installs the SIGINT handler that marks an interrupt for `takeInterrupt()`, and the SIGTERM
    /// and SIGHUP handler behind `terminationSignal`.
    public static func installInterruptHandler() {
        gpus_sigint_install()
        gpus_terminate_install()
    }

    /// The SIGTERM or SIGHUP received, if any (it stays set: the session is ending).
    public static var terminationSignal: Int32? {
        let signal = gpus_terminate_signal()
        return signal == 0 ? nil : signal
    }

    /// Whether Ctrl-C was pressed since the last call.
    public static func takeInterrupt() -> Bool { gpus_sigint_take() != 0 }
}

/// What history keeps: statements, not blank lines, and never the same entry twice in a row.
public enum History {
    public static func keeps(_ entry: String) -> Bool {
        !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// The entries after adding one: blank ones dropped, consecutive duplicates merged, bounded.
    public static func adding(_ entry: String, to entries: [String], limit: Int = 1000) -> [String] {
        guard keeps(entry), entries.last != entry else { return entries }
        return Array((entries + [entry]).suffix(limit))
    }
}
