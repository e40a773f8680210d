import Foundation
import YottaAPI

/// Which cloud a command talks to, and why.
public struct Target: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The simulation inside the process.
        case embeddedSandbox
        /// An HTTP API: Yotta's, or a `gpus sandbox serve`.
        case api(baseURL: String, key: APIKey?)
    }

    public let kind: Kind
    /// What chose it: `--sandbox`, `profile prod (GPUS_PROFILE)`, `YOTTA_API_KEY`, …
    public let origin: String
    /// Where the key came from, when there is one: `$YOTTA_PROD_KEY`, `config file`.
    public let keyOrigin: String?

    /// The short name the prompt shows: `sandbox`, `prod`, `api.yottalabs.ai`.
    public let label: String
    /// The profile chosen, if any: its run ledger and where the ledger's password comes from.
    public var profile: ConfigFile.Profile?

    public init(kind: Kind, origin: String, keyOrigin: String? = nil, label: String) {
        self.kind = kind
        self.origin = origin
        self.keyOrigin = keyOrigin
        self.label = label
    }

    /// One line for `--verbose` and the REPL's banner; the key masked.
    public var summary: String {
        switch kind {
        case .embeddedSandbox: return "sandbox (embedded), chosen by \(origin)"
        case .api(let baseURL, let key):
            let keyText = key.map { "key \($0.masked)" + (keyOrigin.map { " from \($0)" } ?? "") } ?? "no key"
            return "\(baseURL) (\(keyText)), chosen by \(origin)"
        }
    }

    /// What the flags ask for.
    public struct Request: Sendable {
        public var sandbox = false
        public var apiURL: String?
        public var profile: String?
        public init(sandbox: Bool = false, apiURL: String? = nil, profile: String? = nil) {
            self.sandbox = sandbox
            self.apiURL = apiURL
            self.profile = profile
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let message: String
        init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// The target, first match wins: `--sandbox` / `--api-url`; `--profile` (or `GPUS_PROFILE`) from
    /// the config file; `YOTTA_API_KEY` (with `YOTTA_BASE_URL`); else the embedded sandbox.
    ///
    /// A profile that does not exist, or whose key variable is unset, is an error: a typo never
    /// falls through to another target.
    public static func resolve(
        _ request: Request, environment: [String: String], config: () throws(ConfigFile.Failure) -> ConfigFile
    ) throws(Failure) -> Target {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let profileName = request.profile ?? variable("GPUS_PROFILE")
        let profileOrigin = request.profile != nil ? "--profile" : "GPUS_PROFILE"

        if request.sandbox {
            guard request.apiURL == nil else {
                throw Failure("--sandbox and --api-url name different targets: choose one")
            }
            guard request.profile == nil else {
                throw Failure("--sandbox and --profile name different targets: choose one")
            }
            return Target(kind: .embeddedSandbox, origin: "--sandbox", keyOrigin: nil, label: "sandbox")
        }

        var profile: ConfigFile.Profile?
        if let profileName {
            let file: ConfigFile
            do {
                file = try config()
            } catch {
                throw Failure(error.message)
            }
            guard let found = file.profile(named: profileName) else {
                let known = file.profiles.map(\.name)
                throw Failure(
                    "no profile '\(profileName)' (from \(profileOrigin)) in the config file; "
                        + (known.isEmpty
                            ? "it has none: add one with gpus config set \(profileName).base_url URL"
                            : "known: " + known.joined(separator: ", ")))
            }
            profile = found
        }

        // The key a profile gives, if any.
        func profileKey(_ profile: ConfigFile.Profile) throws(Failure) -> (APIKey, String)? {
            if let key = profile.apiKey { return (key, "profile \(profile.name)") }
            guard let name = profile.apiKeyEnvironmentVariable else { return nil }
            guard let value = variable(name) else {
                throw Failure("profile '\(profile.name)' takes its key from $\(name), which is not set")
            }
            return (APIKey(value), "$\(name)")
        }

        if let url = request.apiURL {
            let key: (APIKey, String)?
            if let profile {
                key = try profileKey(profile)
            } else {
                key = variable("YOTTA_API_KEY").map { (APIKey($0), "$YOTTA_API_KEY") }
            }
            var target = try api(url, key: key, origin: "--api-url", label: host(of: url))
            target.profile = profile
            return target
        }
        if let profile, let profileName {
            let key = try profileKey(profile)
            let url = profile.baseURL ?? ClientConfiguration.productionBaseURL
            var target = try api(
                url, key: key, origin: "profile \(profileName) (\(profileOrigin))", label: profileName)
            target.profile = profile
            return target
        }
        if let key = variable("YOTTA_API_KEY") {
            let url = variable("YOTTA_BASE_URL") ?? ClientConfiguration.productionBaseURL
            return try api(
                url, key: (APIKey(key), "$YOTTA_API_KEY"),
                origin: variable("YOTTA_BASE_URL") == nil ? "YOTTA_API_KEY" : "YOTTA_API_KEY and YOTTA_BASE_URL",
                label: host(of: url))
        }
        return Target(
            kind: .embeddedSandbox, origin: "default (no --profile, GPUS_PROFILE or YOTTA_API_KEY)", keyOrigin: nil,
            label: "sandbox")
    }

    static func api(_ url: String, key: (APIKey, String)?, origin: String, label: String) throws(Failure) -> Target {
        if let (key, keyOrigin) = key, let problem = key.headerProblem {
            throw Failure(
                "the API key from \(keyOrigin) \(problem), which an HTTP header cannot carry; nothing was sent")
        }
        do {
            _ = try ClientConfiguration(baseURL: url, apiKey: key?.0)
        } catch {
            throw Failure("\(origin): \(error)")
        }
        return Target(kind: .api(baseURL: url, key: key?.0), origin: origin, keyOrigin: key?.1, label: label)
    }

    static func host(of url: String) -> String {
        URLComponents(string: url).flatMap { components in
            components.host.map { host in components.port.map { "\(host):\($0)" } ?? host }
        } ?? url
    }
}
