import ArgumentParser
import CloudLibrary
import Console
import Foundation
import Language
import Logging
import Runs
import Settings
import Synchronization
import Terminal

/// `gpus completion bash|zsh|fish`: the shell completion script.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            Examples:
              source <(gpus completion bash)                               (in ~/.bashrc)
              gpus completion zsh > "${fpath[1]}/_gpus"
              gpus completion fish > ~/.config/fish/completions/gpus.fish
            """)

    @Argument(help: "bash, zsh or fish.") var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("unknown shell '\(shell)': bash, zsh or fish")
        }
        print(CompletionRoot.completionScript(for: kind))
    }
}

/// The root as the shells see it: the commands, and the options of `gpus [options] [FILE]` —
/// `-e`, `--json`, `--sandbox`, `--profile`, … — which the parser declares on the hidden `repl` and
/// on `run` (docs/cli.md), so that a script generated from `GPUS` alone would not offer them.
struct CompletionRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpus", version: GPUS.version, subcommands: GPUS.configuration.subcommands)

    @OptionGroup var session: SessionOptions
}
