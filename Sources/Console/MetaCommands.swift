import Foundation
import Language
import Terminal

/// One of the REPL's `:` commands, declared once: the table runs them, and `:help`, completion and
/// the table in `docs/repl.md` (checked by a test) are generated from it.
struct MetaCommand: Sendable {
    /// What the argument is, for completion.
    enum Argument {
        case none
        /// A path (`:load`, `:save`): completed from the file system.
        case file
        /// A help topic: namespaces, functions, kinds.
        case topic
    }

    let name: String
    let aliases: [String]
    let argument: Argument
    /// `:save FILE`, as shown in help.
    let usage: String
    let summary: String
    /// Runs it with the name it was called by and its argument; returns an exit code when the
    /// session ends.
    let run: @Sendable (REPL, _ invokedAs: String, _ argument: String) async -> Int32?

    var names: [String] { [name] + aliases }

    static let all: [MetaCommand] = [
        MetaCommand(
            name: ":help", aliases: [":h"], argument: .topic, usage: ":help [topic]",
            summary:
                "what a built-in, namespace (`vms`), namespace function (`vms.create`), type or record kind (`list`, `Pod`: fields with their meaning and unit, and methods), method (`Pod.delete`) or status word (`running`) offers; without a topic, an overview"
        ) { repl, _, argument in
            // Wrapped to standard output's width, where help is written (not wrapped when piped).
            let width = repl.editor.isInteractive ? TerminalOutput.columns(of: 1) ?? 80 : 0
            repl.write(
                TextWrap.wrap(
                    Help.describe(argument.isEmpty ? nil : .string(argument), library: repl.library), width: width))
            if argument.isEmpty {
                repl.write(
                    "meta-commands:\n"
                        + all.map {
                            "  \($0.usage.padding(toLength: 16, withPad: " ", startingAt: 0))\(Printer.fitted(plain($0.summary), width: 62))"
                        }.joined(separator: "\n"))
            }
            return nil
        },
        MetaCommand(
            name: ":save", aliases: [":save!"], argument: .file, usage: ":save FILE",
            summary:
                "writes the session's successful statements as a recipe that passes `gpus check` and runs: failed entries are left out; bare values shown at the prompt (`x`, `p.status`), uses of `_` and `exit` become comments saying why; a string given to a secret-looking name (`password:`, `token:`, `…Key:`) becomes `env(\"PASSWORD\")`, and the header says which variables to set. An existing file is overwritten only after a `y` (`:save! FILE` overwrites without asking)"
        ) { repl, invokedAs, argument in
            repl.save(to: argument, overwrite: invokedAs == ":save!")
            return nil
        },
        MetaCommand(
            name: ":load", aliases: [], argument: .file, usage: ":load FILE", summary: "runs a file in the session"
        ) { repl, _, argument in
            let text: String
            do {
                text = try SourceFile.read(file: argument).text
            } catch {
                repl.write("\(error)")
                return nil
            }
            if case .exited(let code) = await repl.evaluate(text) { return await repl.finish(code) }
            return nil
        },
        MetaCommand(
            name: ":history", aliases: [], argument: .none, usage: ":history",
            summary: "the session's successful statements, numbered (secrets shown as `env(…)`)"
        ) { repl, _, _ in
            repl.write(
                repl.transcript.enumerated().map { "\($0 + 1)  \(Recipe.redacting($1).text)" }.joined(separator: "\n"))
            return nil
        },
        MetaCommand(
            name: ":defers", aliases: [], argument: .none, usage: ":defers",
            summary: "the deferred statements that run when the session ends, in the order they will run"
        ) { repl, _, _ in
            let defers = repl.session.deferredStatements
            repl.write(defers.isEmpty ? "no deferred statements" : defers.joined(separator: "\n"))
            return nil
        },
        MetaCommand(
            name: ":target", aliases: [], argument: .none, usage: ":target",
            summary: "the target the session talks to"
        ) { repl, _, _ in
            repl.write(repl.host.target)
            return nil
        },
        MetaCommand(
            name: ":quit", aliases: [":q", ":exit"], argument: .none, usage: ":quit",
            summary: "leave (with the same check as Ctrl-D)"
        ) { repl, _, _ in
            await repl.leave()
        },
    ]

    /// The command a line starts with (`:save! f` → `:save`), by any of its names.
    static func named(_ word: String) -> MetaCommand? { all.first { $0.names.contains(word) } }

    /// A summary without markdown's backquotes, for the terminal.
    static func plain(_ text: String) -> String { text.replacingOccurrences(of: "`", with: "") }

    /// The "Meta-commands" table of `docs/repl.md`.
    static var markdown: String {
        (["| command | |", "|---|---|"] + all.map { "| `\($0.usage)` | \($0.summary) |" }).joined(separator: "\n")
    }
}

extension REPL {
    /// A line starting with `:`; returns the exit code when the session ends.
    func meta(_ line: String) async -> Int32? {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard let command = MetaCommand.named(parts[0]) else {
            write("unknown command \(parts[0]); :help lists them")
            return nil
        }
        return await command.run(self, parts[0], argument)
    }

    /// `:save FILE`: the recipe, never over an existing file without a `y` (or `:save!`).
    func save(to path: String, overwrite: Bool) {
        guard !path.isEmpty else { return write(":save needs a file name") }
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            guard editor.isInteractive,
                case .line(let answer) = editor.readLine(prompt: "\(path) exists; overwrite it? [y/N] "),
                answer.lowercased().hasPrefix("y")
            else {
                return write("not saved: \(path) exists (:save! \(path) overwrites it)")
            }
        }
        let recipe = Recipe.text(transcript, target: host.label)
        do {
            try recipe.text.write(toFile: path, atomically: true, encoding: .utf8)
            write("saved \(recipe.statements) statement(s) to \(path)")
        } catch {
            write("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
