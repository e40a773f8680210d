import Foundation
import YottaAPI

/// `$XDG_CONFIG_HOME/gpus/config.toml`: named profiles, each a base URL and an API key (or the name
/// of the environment variable holding it).
///
/// ```toml
/// [profiles.prod]
/// base_url = "https://api.yottalabs.ai"
/// api_key_env = "YOTTA_PROD_KEY"
/// ```
public struct ConfigFile: Equatable, Sendable {
    public struct Profile: Equatable, Sendable {
        public var name: String
        public var baseURL: String?
        public var apiKey: APIKey?
        public var apiKeyEnvironmentVariable: String?
        /// The team's run ledger: `postgres://user@host[:port]/database` (or a SQLite file's path).
        public var ledger: String?
        /// The name of an environment variable holding the ledger's password.
        public var ledgerPasswordEnvironmentVariable: String?
        /// The longest a program run with this profile may take (`8h`), unless `--max-duration` says.
        public var maxDuration: String?
        /// `true`: `gpus run` shows the plan and asks before running, as `--plan-first`.
        public var planFirst: String?

        public init(name: String) { self.name = name }
    }

    /// The settings a profile has, as `gpus config set PROFILE.SETTING VALUE` names them.
    public enum Setting: String, CaseIterable, Sendable {
        case baseURL = "base_url"
        case apiKey = "api_key"
        case apiKeyEnvironmentVariable = "api_key_env"
        case ledger = "ledger"
        case ledgerPasswordEnvironmentVariable = "ledger_password_env"
        case maxDuration = "max_duration"
        case planFirst = "plan_first"

        public var summary: String {
            switch self {
            case .planFirst: "true: gpus run shows the plan and asks y/N before running, as --plan-first"
            case .maxDuration: "the longest a program may run with this profile (8h, 1h30m), as --max-duration"

            case .ledger: "the run ledger shared by a team: postgres://user@host[:port]/database (docs/team.md)"
            case .ledgerPasswordEnvironmentVariable: "the name of an environment variable holding the ledger's password"
            case .baseURL: "the API's base URL (default \(ClientConfiguration.productionBaseURL))"
            case .apiKey: "the API key itself (the file is kept at mode 0600)"
            case .apiKeyEnvironmentVariable: "the name of an environment variable holding the key"
            }
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    public var profiles: [Profile] = []

    public init(profiles: [Profile] = []) { self.profiles = profiles }

    public func profile(named name: String) -> Profile? { profiles.first { $0.name == name } }

    /// Where the file lives: `$XDG_CONFIG_HOME/gpus/config.toml`, else `~/.config/gpus/config.toml`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return base + "/gpus/config.toml"
    }

    // MARK: - Reading

    /// The file at `path`, or an empty configuration when there is none.
    public static func load(path: String) throws(Failure) -> ConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure("cannot read \(path)") }
        do {
            return try parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw Failure("\(path): \(error.message)")
        }
    }

    public static func parse(_ text: String) throws(Failure) -> ConfigFile {
        let document: TOML.Document
        do {
            document = try TOML.parse(text)
        } catch {
            throw Failure(error.description)
        }
        var config = ConfigFile()
        for table in document.tables {
            guard table.path.count == 2, table.path[0] == "profiles" else {
                if table.path == ["profiles"], table.entries.isEmpty { continue }
                let name = table.path.isEmpty ? "the top level" : "[\(table.path.joined(separator: "."))]"
                throw Failure("unexpected settings in \(name): profiles are [profiles.NAME] tables")
            }
            var profile = Profile(name: table.path[1])
            for (key, value) in table.entries {
                guard let setting = Setting(rawValue: key) else {
                    let line = document.lines[table.path + [key]].map { "line \($0): " } ?? ""
                    throw Failure(
                        "\(line)unknown setting '\(key)' in profile '\(profile.name)' (known: "
                            + Setting.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                switch value {
                case .string(let text): try profile.set(setting, to: text)
                case .boolean(let flag) where setting == .planFirst:
                    try profile.set(setting, to: flag ? "true" : "false")
                default: throw Failure("'\(key)' in profile '\(profile.name)' must be a string")
                }
            }
            config.profiles.append(profile)
        }
        return config
    }

    // MARK: - Writing

    public var text: String {
        var document = TOML.Document()
        for profile in profiles {
            var entries: [(key: String, value: TOML.Value)] = []
            for setting in Setting.allCases {
                if let value = profile.rawValue(setting) { entries.append((setting.rawValue, .string(value))) }
            }
            document.tables.append((path: ["profiles", profile.name], entries: entries))
        }
        return TOML.render(
            document,
            header:
                "gpus configuration: profiles for --profile NAME or GPUS_PROFILE.\nEdit with `gpus config set|unset`; this file is kept at mode 0600."
        )
    }

    /// Writes the file with mode 0600 (its folder 0700), replacing it atomically.
    public func save(path: String) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure("cannot create \(folder): \(error.localizedDescription)")
        }
        // An existing folder keeps the mode it had: made 0700 here whatever it was (reliability D15).
        var status = stat()
        if lstat(folder, &status) == 0, status.st_mode & 0o777 != 0o700, status.st_uid == geteuid() {
            guard chmod(folder, 0o700) == 0 else {
                throw Failure("cannot make \(folder) private (mode 0700): \(String(cString: strerror(errno)))")
            }
        }
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: - Editing

    /// `PROFILE.SETTING` split and checked.
    public static func address(_ text: String) throws(Failure) -> (profile: String, setting: Setting) {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex else {
            throw Failure("'\(text)' is not PROFILE.SETTING (for example prod.base_url)")
        }
        let name = String(text[..<dot])
        let key = String(text[text.index(after: dot)...])
        guard let setting = Setting(rawValue: key) else {
            throw Failure(
                "unknown setting '\(key)' (known: " + Setting.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ TOML.Scanner.isBareKey($0) }) else {
            throw Failure("a profile name is letters, digits, '-' and '_': '\(name)'")
        }
        return (name, setting)
    }

    /// Sets a setting, creating the profile; a key replaces a key variable and the other way round.
    public mutating func set(_ setting: Setting, of name: String, to value: String) throws(Failure) {
        // A key that cannot travel in a header would fail every request later: `config set` says so
        // now (a file written by hand still reads, and its requests say the same).
        if setting == .apiKey, !value.isEmpty, let problem = APIKey(value).headerProblem {
            throw Failure("profile '\(name)': the API key \(problem)")
        }
        if let index = profiles.firstIndex(where: { $0.name == name }) {
            var profile = profiles[index]
            if setting == .apiKey { profile.clear(.apiKeyEnvironmentVariable) }
            if setting == .apiKeyEnvironmentVariable { profile.clear(.apiKey) }
            try profile.set(setting, to: value)
            profiles[index] = profile
        } else {
            var profile = Profile(name: name)
            try profile.set(setting, to: value)
            profiles.append(profile)
        }
    }

    /// Removes a setting; a profile left with none is removed. Returns whether anything changed.
    public mutating func unset(_ setting: Setting, of name: String) -> Bool {
        guard let index = profiles.firstIndex(where: { $0.name == name }),
            profiles[index].rawValue(setting) != nil
        else { return false }
        profiles[index].clear(setting)
        if Setting.allCases.allSatisfy({ profiles[index].rawValue($0) == nil }) { profiles.remove(at: index) }
        return true
    }
}

extension ConfigFile.Profile {
    /// The stored text of a setting (the key itself for `api_key`: callers mask it).
    func rawValue(_ setting: ConfigFile.Setting) -> String? {
        switch setting {
        case .baseURL: baseURL
        case .apiKey: apiKey?.reveal()
        case .apiKeyEnvironmentVariable: apiKeyEnvironmentVariable
        case .ledger: ledger
        case .ledgerPasswordEnvironmentVariable: ledgerPasswordEnvironmentVariable
        case .maxDuration: maxDuration
        case .planFirst: planFirst
        }
    }

    /// A setting as it may be shown: the key masked.
    public func display(_ setting: ConfigFile.Setting) -> String? {
        switch setting {
        case .apiKey: apiKey?.masked
        case .ledger: ledger.map(Self.maskingPassword)
        default: rawValue(setting)
        }
    }

    /// A URL with its password (if any) replaced by `••••`.
    static func maskingPassword(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "PASSWORD"
        return (components.string ?? text).replacingOccurrences(of: ":PASSWORD@", with: ":••••@")
    }

    mutating func set(_ setting: ConfigFile.Setting, to value: String) throws(ConfigFile.Failure) {
        switch setting {
        case .baseURL:
            do {
                _ = try ClientConfiguration(baseURL: value, apiKey: nil)
            } catch {
                throw ConfigFile.Failure("profile '\(name)': \(error)")
            }
            baseURL = value
        case .apiKey:
            guard !value.isEmpty else { throw ConfigFile.Failure("profile '\(name)': the API key is empty") }
            guard apiKeyEnvironmentVariable == nil else {
                throw ConfigFile.Failure("profile '\(name)' has both api_key and api_key_env: keep one")
            }
            apiKey = APIKey(value)
        case .apiKeyEnvironmentVariable:
            guard !value.isEmpty, value.unicodeScalars.allSatisfy({ TOML.Scanner.isBareKey($0) && $0 != "-" }) else {
                throw ConfigFile.Failure("profile '\(name)': '\(value)' is not an environment variable name")
            }
            guard apiKey == nil else {
                throw ConfigFile.Failure("profile '\(name)' has both api_key and api_key_env: keep one")
            }
            apiKeyEnvironmentVariable = value
        case .ledger:
            guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") || value.hasPrefix("/") else {
                throw ConfigFile.Failure(
                    "profile '\(name)': the ledger is postgres://user@host[:port]/database or a file's absolute path")
            }
            ledger = value
        case .ledgerPasswordEnvironmentVariable:
            guard !value.isEmpty, value.unicodeScalars.allSatisfy({ TOML.Scanner.isBareKey($0) && $0 != "-" }) else {
                throw ConfigFile.Failure("profile '\(name)': '\(value)' is not an environment variable name")
            }
            ledgerPasswordEnvironmentVariable = value
        case .maxDuration:
            guard DurationText.seconds(value).map({ $0 > 0 }) == true else {
                throw ConfigFile.Failure("profile '\(name)': max_duration is a duration above 0: 30m, 8h, 1h30m")
            }
            maxDuration = value
        case .planFirst:
            guard value == "true" || value == "false" else {
                throw ConfigFile.Failure("profile '\(name)': plan_first is true or false")
            }
            planFirst = value
        }
    }

    mutating func clear(_ setting: ConfigFile.Setting) {
        switch setting {
        case .baseURL: baseURL = nil
        case .apiKey: apiKey = nil
        case .apiKeyEnvironmentVariable: apiKeyEnvironmentVariable = nil
        case .ledger: ledger = nil
        case .ledgerPasswordEnvironmentVariable: ledgerPasswordEnvironmentVariable = nil
        case .maxDuration: maxDuration = nil
        case .planFirst: planFirst = nil
        }
    }
}

/// Durations as people type them on the command line and in the config file: `90d`, `36h`,
/// `1h30m`, `45s`, `2w`.
public enum DurationText {
    /// The seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800]
        var total = 0.0
        var number = ""
        for character in text {
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let count = Double(number), count.isFinite, count >= 0 {
                total += count * unit
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, !text.isEmpty, total.isFinite, total < 1e10 else { return nil }
        return total
    }
}
