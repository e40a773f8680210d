import Foundation
import TestSupport
import Testing

/// `gpus completion bash|zsh|fish` in the real shells: the global options at the root (`-e`,
/// `--json`, `--sandbox`, …), the commands after them, a command's flags (`--columns`), and the
/// values the binary computes (a namespace's commands, through its completion callback).
@Suite(.serialized) struct ShellCompletionTests {
    /// A folder with the three scripts, and an environment whose PATH finds this build's `gpus`.
    final class Shells {
        let folder: URL
        let binaryFolder = Built.folder

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gpus-shells-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for shell in ["bash", "zsh", "fish"] {
                let result = try ChildProcess.runBlocking(
                    [binaryFolder.appendingPathComponent("gpus").path, "completion", shell], environment: environment)
                #expect(result.status == 0)
                try result.stdout.write(
                    to: folder.appendingPathComponent(shell == "zsh" ? "_gpus" : "gpus.\(shell)"), atomically: true,
                    encoding: .utf8)
            }
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        var environment: [String: String] {
            [
                "PATH": binaryFolder.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "HOME": folder.path, "XDG_STATE_HOME": folder.path + "/state",
                "XDG_CONFIG_HOME": folder.path + "/config",
                "GPUS_SANDBOX_STATE": folder.path + "/sandbox.sqlite", "TERM": "xterm",
            ]
        }

        /// What bash's completion function offers for `words` (the last one being completed).
        func bash(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let script = """
                source '\(folder.path)/gpus.bash'
                COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMPREPLY=()
                _gpus gpus '\(words.last ?? "")' '\(words.count > 1 ? words[words.count - 2] : "")'
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let result = try ChildProcess.runBlocking(["bash", "-c", script], environment: environment, timeout: 30)
            return result.stdout.split(separator: "\n").map(String.init)
        }

        /// What fish offers for a command line (`complete -C`: fish's own list of candidates).
        func fish(_ line: String) throws -> [String] {
            let script = "source '\(folder.path)/gpus.fish'; complete -C '\(line)'"
            let result = try ChildProcess.runBlocking(["fish", "-c", script], environment: environment, timeout: 30)
            return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
    }

    @Test func bashOffersGlobalOptionsCommandsAndFlags() async throws {
        try await offPool {
            let shells = try Shells()
            #expect(try shells.bash(["gpus", "--js"]) == ["--json"])
            #expect(try shells.bash(["gpus", "--sa"]) == ["--sandbox"])
            #expect(try shells.bash(["gpus", "-"]).contains("-e"))
            #expect(try shells.bash(["gpus", "--sandbox", "po"]) == ["pods"])
            #expect(try shells.bash(["gpus", "pods", "list", "--col"]) == ["--columns"])
            #expect(try shells.bash(["gpus", "pods", "li"]) == ["list"], "the commands come from the binary")
        }
    }

    @Test func fishOffersGlobalOptionsCommandsAndFlags() async throws {
        try await offPool {
            let shells = try Shells()
            #expect(try shells.fish("gpus --js") == ["--json"])
            #expect(try shells.fish("gpus -").contains("-e"))
            #expect(try shells.fish("gpus --sandbox po") == ["pods"])
            #expect(try shells.fish("gpus pods list --col") == ["--columns"])
        }
    }

    /// zsh and fish ask the binary for a namespace's commands from an interactive line (fish's
    /// `commandline` needs one): typed in tmux, as a person would.
    @Test func zshAndFishCompleteInATerminal() async throws {
        let shells = try Shells()
        for shell in ["zsh", "fish"] {
            let name = "gpus-shell-\(UUID().uuidString.prefix(8))"
            func tmux(_ arguments: [String]) throws -> String {
                try ChildProcess.runBlocking(["tmux", "-L", name] + arguments, environment: shells.environment).stdout
            }
            defer { _ = try? tmux(["kill-server"]) }
            let start =
                shell == "zsh"
                ? "zsh -f" : "fish --no-config"
            _ = try tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "30", start])
            let setup =
                shell == "zsh"
                ? "fpath=(\(shells.folder.path) $fpath); autoload -U compinit; compinit -u; PS1='ready> '"
                : "source \(shells.folder.path)/gpus.fish; function fish_prompt; echo 'ready> '; end"
            _ = try tmux(["send-keys", "-t", name, "-l", setup])
            _ = try tmux(["send-keys", "-t", name, "Enter"])
            // Waits with Task.sleep: a thread of the cooperative pool is not held meanwhile.
            func waitFor(_ text: String) async throws -> Bool {
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline {
                    if try tmux(["capture-pane", "-t", name, "-p"]).contains(text) { return true }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }
            #expect(try await waitFor("ready>"), "\(shell) did not start")
            for (typed, completed) in [("gpus --js", "gpus --json"), ("gpus --json pods li", "gpus --json pods list")] {
                _ = try tmux(["send-keys", "-t", name, "-l", typed])
                _ = try tmux(["send-keys", "-t", name, "Tab"])
                let found = try await waitFor(completed)
                let screen = try tmux(["capture-pane", "-t", name, "-p"])
                #expect(found, "\(shell): \(typed)⇥ → \(screen)")
                _ = try tmux(["send-keys", "-t", name, "C-u"])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
