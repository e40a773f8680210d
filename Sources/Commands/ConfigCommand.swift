import ArgumentParser
import Console
import Foundation
import Language
import Settings
import Terminal

/// `gpus config set|get|unset|list|path`: profiles in `$XDG_CONFIG_HOME/gpus/config.toml`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Edit the profiles of the config file.",
        discussion: """
            A profile names a target: a base URL and an API key, or the name of an environment variable \
            holding the key. Use one with --profile NAME or GPUS_PROFILE=NAME. The file is written with \
            mode 0600; a key is never printed back in full.

            Settings: \(ConfigFile.Setting.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).

            Examples:
              gpus config set prod.api_key_env YOTTA_PROD_KEY
              gpus config set prod.api_key -   (the key from stdin: not in shell history)
              gpus config set local.base_url http://127.0.0.1:8787
              gpus config list
            """,
        subcommands: [Set.self, Get.self, Unset.self, List.self, Path.self])

    static var path: String { ConfigFile.defaultPath() }

    static func load() throws -> ConfigFile {
        do {
            return try ConfigFile.load(path: path)
        } catch {
            throw fail(error.message)
        }
    }

    static func fail(_ message: String) -> ExitCode {
        StandardStream.error.write("gpus config: \(message)\n")
        return ExitCode(ScriptRunner.Status.usage.rawValue)
    }

    static func address(_ text: String) throws -> (profile: String, setting: ConfigFile.Setting) {
        do {
            return try ConfigFile.address(text)
        } catch {
            throw fail(error.message)
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set PROFILE.SETTING to VALUE ('-' reads VALUE from stdin), creating the profile.")

        @Argument(help: "PROFILE.SETTING, for example prod.base_url.") var key: String
        @Argument(help: "The value; '-' reads one line from stdin.") var value: String

        func run() throws {
            let (profile, setting) = try ConfigCommand.address(key)
            var text = value
            if value == "-" {
                guard let line = readLine(strippingNewline: true) else { throw ConfigCommand.fail("nothing on stdin") }
                // A line ending in \r\n (a file from Windows, a pasted key) is the key without it.
                text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var config = try ConfigCommand.load()
            do {
                try config.set(setting, of: profile, to: text)
                try config.save(path: ConfigCommand.path)
            } catch {
                throw ConfigCommand.fail(error.message)
            }
            let shown = config.profile(named: profile)?.display(setting) ?? ""
            print("\(profile).\(setting.rawValue) = \(shown)")
            if setting == .apiKey, value != "-" {
                StandardStream.error.write(
                    "gpus config: note: the key is in your shell history now; 'gpus config set \(profile).api_key -' reads it from stdin\n"
                )
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print PROFILE.SETTING (a key masked).")

        @Argument(help: "PROFILE.SETTING, for example prod.base_url.") var key: String

        func run() throws {
            let (profile, setting) = try ConfigCommand.address(key)
            guard let value = try ConfigCommand.load().profile(named: profile)?.display(setting) else {
                throw ConfigCommand.fail("\(key) is not set")
            }
            print(value)
        }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove PROFILE.SETTING (a profile left empty is removed).")

        @Argument(help: "PROFILE.SETTING, for example prod.api_key.") var key: String

        func run() throws {
            let (profile, setting) = try ConfigCommand.address(key)
            var config = try ConfigCommand.load()
            guard config.unset(setting, of: profile) else { throw ConfigCommand.fail("\(key) is not set") }
            do {
                try config.save(path: ConfigCommand.path)
            } catch {
                throw ConfigCommand.fail(error.message)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every profile and its settings (keys masked).")

        func run() throws {
            let config = try ConfigCommand.load()
            guard !config.profiles.isEmpty else {
                print("no profiles in \(ConfigCommand.path)")
                return
            }
            for profile in config.profiles {
                print(profile.name)
                let present = ConfigFile.Setting.allCases.filter { profile.display($0) != nil }
                let width = present.map(\.rawValue.count).max() ?? 0
                for setting in present {
                    guard let value = profile.display(setting) else { continue }
                    print("  " + setting.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value)
                }
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print where the config file is.")
        func run() { print(ConfigCommand.path) }
    }
}
