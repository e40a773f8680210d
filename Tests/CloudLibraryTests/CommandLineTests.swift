import Foundation
import Settings
import TestSupport
import Testing

/// The built `gpus` binary as a user runs it: every command and flag, every exit code, the target
/// resolution order, the config file, `--json`, `--trace`, and `gpus check` on scripts with known
/// mistakes. Each run has its own home (config, state, sandbox) and a clean environment.
@Suite struct CommandLineTests {
    static var binary: URL { Built.gpus }

    typealias Run = ChildProcess.Result

    /// A temporary home: `XDG_CONFIG_HOME`, `XDG_STATE_HOME` and the sandbox's state live in it.
    final class Home {
        private let home: TemporaryFolder
        var folder: URL { home.url }
        init() throws { home = try TemporaryFolder("gpus-home") }

        var configPath: String { folder.path + "/config/gpus/config.toml" }

        func write(_ name: String, _ text: String) throws -> String { try home.write(name, text) }

        var environment: [String: String] {
            [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path,
                "XDG_CONFIG_HOME": folder.path + "/config", "XDG_STATE_HOME": folder.path + "/state",
                "GPUS_SANDBOX_STATE": folder.path + "/sandbox.sqlite", "GPUS_SANDBOX_SPEED": "100",
            ]
        }

        /// `gpus arguments…` started in the background, its output going to two files in the home
        /// (nothing blocks on a full pipe), its input `stdin` (or nothing).
        func start(
            _ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil,
            executable: String? = nil
        ) throws -> ChildProcess {
            let input = try stdin.map { ChildProcess.Stream.path(try write("\(UUID().uuidString).in", $0)) }
            return try ChildProcess(
                [executable ?? CommandLineTests.binary.path] + arguments,
                environment: environment.merging(extra) { $1 },
                stdin: input ?? .null, in: folder)
        }

        /// `gpus arguments…` to the end, waited for asleep (no thread of the cooperative pool is held
        /// while it runs: a synchronous wait held one of the two, and async tests with deadlines
        /// starved beside it).
        func gpus(
            _ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil,
            executable: String? = nil
        ) async throws -> Run {
            let child = try start(arguments, environment: extra, stdin: stdin, executable: executable)
            try await child.finish(timeout: 120)
            return child.result
        }
    }

    // MARK: - Exit codes

    static let exitCodes: [(String, [String], Int32)] = [
        ("success", ["-e", "print(1)"], 0),
        ("runtime error", ["-e", "throw \"no\""], 1),
        ("API error", ["-e", "vms.get(id: 5)"], 2),
        (
            "wait timeout",
            [
                "-e",
                "let vm = vms.create(name: \"t\", vmTypeId: 101, region: \"us-east-1\")\nwait until vm.status == stopped timeout 1s",
            ],
            3
        ),
        ("usage: unknown flag", ["--bogus"], 64),
        ("usage: missing file", ["run", "/nonexistent/recipe.gpus"], 64),
        ("usage: unknown shell", ["completion", "tcsh"], 64),
        ("syntax", ["-e", "print("], 65),
        ("exit N wins", ["-e", "exit 7"], 7),
        ("API error rethrown", ["-e", "try { vms.get(id: 5) } catch e { throw e }"], 2),
        (
            "wait timeout rethrown",
            ["-e", "let x = 1\ntry { wait until x == 2 timeout 1s } catch e { throw e }"], 3
        ),
        ("arguments without -e or a file", ["repl", "stray"], 64),
    ]

    @Test(arguments: exitCodes.indices)
    func exitCode(_ index: Int) async throws {
        let (name, arguments, expected) = Self.exitCodes[index]
        let run = try await Home().gpus(arguments)
        #expect(run.status == expected, "\(name): \(run.output)")
    }

    // MARK: - Targets

    @Test func targetsResolveInTheDocumentedOrder() async throws {
        let home = try Home()
        let key = "yk-live-0123456789abcdef"
        func target(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> Run {
            try await home.gpus(["--verbose"] + arguments + ["-e", "print(1)"], environment: environment)
        }
        // Nothing set: the embedded sandbox.
        #expect(try await target([]).stderr.contains("target: sandbox (embedded), chosen by default"))
        // YOTTA_API_KEY: the real API.
        let byKey = try await target([], ["YOTTA_API_KEY": key])
        #expect(byKey.stderr.contains("target: https://api.yottalabs.ai (key ••••cdef from $YOTTA_API_KEY)"))
        #expect(
            try await target([], ["YOTTA_API_KEY": key, "YOTTA_BASE_URL": "http://127.0.0.1:9"]).stderr.contains(
                "http://127.0.0.1:9"))

        // A profile beats YOTTA_API_KEY; --profile beats GPUS_PROFILE.
        _ = try await home.gpus(["config", "set", "local.base_url", "http://127.0.0.1:9"])
        _ = try await home.gpus(["config", "set", "local.api_key", "-"], stdin: "sk-local-secret-9999\n")
        _ = try await home.gpus(["config", "set", "staging.api_key_env", "STAGING_KEY"])
        let byProfile = try await target([], ["YOTTA_API_KEY": key, "GPUS_PROFILE": "local"])
        #expect(
            byProfile.stderr.contains(
                "http://127.0.0.1:9 (key ••••9999 from profile local), chosen by profile local (GPUS_PROFILE)"))
        let byFlag = try await target(
            ["--profile", "staging"], ["GPUS_PROFILE": "local", "STAGING_KEY": "st-abcdefgh"])
        #expect(byFlag.stderr.contains("(key ••••efgh from $STAGING_KEY), chosen by profile staging (--profile)"))

        // --api-url and --sandbox beat everything.
        let byURL = try await target(
            ["--api-url", "http://127.0.0.1:8"], ["GPUS_PROFILE": "local", "YOTTA_API_KEY": key])
        #expect(byURL.stderr.contains("http://127.0.0.1:8 (key ••••9999 from profile local), chosen by --api-url"))
        let bySandbox = try await target(["--sandbox"], ["GPUS_PROFILE": "local", "YOTTA_API_KEY": key])
        #expect(bySandbox.stderr.contains("sandbox (embedded), chosen by --sandbox"))

        // A typo never falls through to another target.
        let typo = try await target([], ["GPUS_PROFILE": "lcoal", "YOTTA_API_KEY": key])
        #expect(typo.status == 64)
        #expect(
            typo.stderr.contains("no profile 'lcoal' (from GPUS_PROFILE) in the config file; known: local, staging"))
        let unsetVariable = try await target(["--profile", "staging"])
        #expect(unsetVariable.status == 64)
        #expect(unsetVariable.stderr.contains("takes its key from $STAGING_KEY, which is not set"))
        #expect(try await target(["--sandbox", "--profile", "local"]).status == 64)
        let plain = try await target(["--api-url", "http://api.example.com"], ["YOTTA_API_KEY": key])
        #expect(plain.status == 64)
        #expect(plain.stderr.contains("http"))

        // The keys never show in full.
        for run in [byKey, byProfile, byFlag, byURL] {
            #expect(!run.output.contains(key) && !run.output.contains("sk-local-secret-9999"))
        }
    }

    // MARK: - Config

    @Test func configIsPrivateAndNeverShowsAKey() async throws {
        let home = try Home()
        let secret = "sk-very-secret-key-4242"
        let set = try await home.gpus(["config", "set", "prod.api_key", "-"], stdin: secret + "\n")
        #expect(set.status == 0, "\(set.output)")
        #expect(set.stdout == "prod.api_key = ••••4242\n")
        #expect(try await home.gpus(["config", "set", "prod.base_url", "https://api.yottalabs.ai"]).status == 0)

        let attributes = try FileManager.default.attributesOfItem(atPath: home.configPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(
            atPath: (home.configPath as NSString).deletingLastPathComponent)
        #expect((folder[.posixPermissions] as? Int) == 0o700)

        let get = try await home.gpus(["config", "get", "prod.api_key"])
        #expect(get.stdout == "••••4242\n")
        let list = try await home.gpus(["config", "list"])
        #expect(list.stdout == "prod\n  base_url  https://api.yottalabs.ai\n  api_key   ••••4242\n")
        #expect(try await home.gpus(["config", "path"]).stdout == home.configPath + "\n")
        for run in [set, get, list] { #expect(!run.output.contains(secret)) }

        // The file reads back; a key variable replaces the key.
        let file = try ConfigFile.load(path: home.configPath)
        #expect(file.profile(named: "prod")?.apiKey?.reveal() == secret)
        #expect(try await home.gpus(["config", "set", "prod.api_key_env", "PROD_KEY"]).status == 0)
        #expect(try ConfigFile.load(path: home.configPath).profile(named: "prod")?.apiKey == nil)

        // A key on the command line works, with a note about shell history.
        let inline = try await home.gpus(["config", "set", "dev.api_key", "inline-key-0001"])
        #expect(inline.stderr.contains("shell history"))
        #expect(!inline.output.contains("inline-key-0001"))

        // Mistakes are usage errors that say what is wrong.
        let unknown = try await home.gpus(["config", "set", "prod.apikey", "x"])
        #expect(unknown.status == 64)
        #expect(
            unknown.stderr.contains(
                "unknown setting 'apikey' (known: base_url, api_key, api_key_env, ledger, ledger_password_env, max_duration, plan_first)"
            ))
        #expect(try await home.gpus(["config", "set", "prod.base_url", "http://api.example.com"]).status == 64)
        #expect(try await home.gpus(["config", "get", "nobody.base_url"]).status == 64)
        #expect(try await home.gpus(["config", "unset", "dev.api_key"]).status == 0)
        #expect(try ConfigFile.load(path: home.configPath).profile(named: "dev") == nil)

        // A hand-edited file with a typo is refused with its line.
        _ = try home.write(
            "config/gpus/config.toml", "[profiles.prod]\nbase_url = \"https://api.yottalabs.ai\"\napi_kye = \"x\"\n")
        let broken = try await home.gpus(["--profile", "prod", "-e", "print(1)"])
        #expect(broken.status == 64)
        #expect(
            broken.stderr.contains("config.toml: line 3: unknown setting 'api_kye' in profile 'prod'"),
            "\(broken.stderr)")
    }

    /// Reliability findings D4, D15, D19: a key a header cannot carry is refused where it is read,
    /// never echoed and never sent; a URL with a password is refused without echoing it; the config
    /// folder is made private whatever it was.
    @Test func secretsAreRefusedWithoutBeingShown() async throws {
        let home = try Home()
        let secret = "K3y-s3cret-abcdWXYZ"
        for bad in ["\r", "\n", " ", "é"] {
            for flags in [[], ["--json"], ["--trace"]] {
                let run = try await home.gpus(
                    flags + ["--api-url", "http://127.0.0.1:1", "-e", "vms.list()"],
                    environment: ["YOTTA_API_KEY": secret + bad])
                #expect(run.status == 64, "\(flags) \(run.output)")
                #expect(run.stderr.contains("the API key from $YOTTA_API_KEY contains"), "\(run.stderr)")
                #expect(!run.output.contains(secret) && !run.output.contains("s3cret"), "\(run.output)")
                // Refused before anything is sent (the trace shows every request it makes); not
                // timed: a loaded machine made a fixed bound fail.
                if flags == ["--trace"] { #expect(!run.stderr.contains("> GET"), "sent: \(run.stderr)") }
            }
        }
        // From the config file (a NUL written as an escape) and from a profile's key variable.
        try FileManager.default.createDirectory(
            atPath: (home.configPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = try home.write(
            "config/gpus/config.toml",
            "[profiles.nul]\nbase_url = \"http://127.0.0.1:1\"\napi_key = \"\(secret)\\u0000x\"\n"
                + "[profiles.env]\nbase_url = \"http://127.0.0.1:1\"\napi_key_env = \"MY_KEY\"\n")
        let fromFile = try await home.gpus(["--profile", "nul", "--trace", "-e", "vms.list()"])
        #expect(fromFile.status == 64)
        #expect(fromFile.stderr.contains("contains a NUL"), "\(fromFile.stderr)")
        #expect(!fromFile.output.contains("s3cret"))
        let fromVariable = try await home.gpus(
            ["--profile", "env", "-e", "vms.list()"], environment: ["MY_KEY": secret + "\n"])
        #expect(fromVariable.status == 64)
        #expect(fromVariable.stderr.contains("the API key from $MY_KEY contains a newline"), "\(fromVariable.stderr)")
        #expect(!fromVariable.output.contains("s3cret"))

        // A URL with a password, on the command line or in a profile.
        let url = "http://alice:UrlPass-777@127.0.0.1:1"
        let inline = try await home.gpus(["--api-url", url, "-e", "vms.list()"])
        #expect(inline.status == 64)
        #expect(inline.stderr.contains("http://••••@127.0.0.1:1"), "\(inline.stderr)")
        #expect(!inline.output.contains("UrlPass") && !inline.output.contains("alice"))
        let configured = try await home.gpus(["config", "set", "p.base_url", url])
        #expect(configured.status == 64)
        #expect(!configured.output.contains("UrlPass"), "\(configured.output)")

        // A folder someone made world-writable is made 0700 by the next write.
        let folder = (home.configPath as NSString).deletingLastPathComponent
        #expect(chmod(folder, 0o777) == 0)
        #expect(try await home.gpus(["config", "set", "a.base_url", "http://127.0.0.1:1"]).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// Options go where people put them: before a subcommand as well as after it; `-e CODE` takes
    /// the arguments after it as `args`.
    @Test func optionsBeforeASubcommandAndArgumentsAfterE() async throws {
        let home = try Home()
        let script = try home.write(
            "made.gpus",
            "let p = pods.create(name: \"placed\", image: \"i\", gpuType: \"NVIDIA_H100_80G\", gpuCount: 1)\nprint(p.name)\n"
        )
        let run = try await home.gpus(["--json", "run", "--cleanup", script])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.split(separator: "\n").first == "\"placed\"", "\(run.stdout)")
        // With --json, what --cleanup did and what a failed run left are JSON on stderr too.
        let notes = run.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(notes.count == run.stderr.split(separator: "\n").count, "every line is JSON: \(run.stderr)")
        let cleaned = notes.compactMap { $0["cleanup"] as? [String: Any] }
        #expect(cleaned.first?["outcome"] as? String == "deleted" && cleaned.first?["name"] as? String == "placed")
        let failing = try home.write(
            "fails.gpus",
            "pods.create(name: \"left\", image: \"i\", gpuType: \"NVIDIA_H100_80G\", gpuCount: 1)\nthrow \"boom\"\n")
        let failed = try await home.gpus(["--json", failing])
        #expect(failed.status == 1)
        let documents = failed.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let live = documents.first { $0["live"] != nil }
        #expect((live?["live"] as? [[String: Any]])?.first?["name"] as? String == "left", "\(failed.stderr)")
        #expect((live?["clean"] as? String)?.hasPrefix("gpus runs clean ") == true)

        let code = try await home.gpus(["-e", "print(args)", "one", "two"])
        #expect(code.status == 0, "\(code.output)")
        #expect(code.stdout == "[\"one\", \"two\"]\n", "\(code.stdout)")
        let quiet = try await home.gpus(["-q", "-e", "len(args)", "a", "-b"])
        #expect(quiet.stdout == "2\n", "\(quiet.output)")
    }

    /// `--api-url` with no key anywhere: the refusal says where keys come from.
    @Test func aRefusalWithoutAKeySaysWhereKeysComeFrom() async throws {
        let home = try Home()
        let server = try SandboxServer()
        let run = try await home.gpus(["--api-url", server.url, "-e", "vms.list()"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no API key was sent: set YOTTA_API_KEY, or use --profile NAME"), "\(run.stderr)")
        let wrong = try await home.gpus(
            ["--api-url", server.url, "-e", "vms.list()"], environment: ["YOTTA_API_KEY": "wrong-key-0000"])
        #expect(wrong.status == 2)
        #expect(!wrong.stderr.contains("no API key was sent"), "a wrong key is not a missing one")
    }

    /// Piped input runs as a script: the first error ends it with the script's exit status, after
    /// the deferred statements; `exit` is honoured; errors name lines of the input.
    @Test func pipedInputRunsAsAScript() async throws {
        let home = try Home()
        let failing = try await home.gpus([], stdin: "defer print(\"cleaned\")\nprint(1)\nthrow \"boom\"\nprint(2)\n")
        #expect(failing.status == 1)
        #expect(failing.stdout == "1\ncleaned\n", "\(failing.stdout)")
        #expect(failing.stderr.contains("<stdin>:3:1: error: boom"), "\(failing.stderr)")
        let exited = try await home.gpus([], stdin: "print(1)\nexit 3\nprint(2)\n")
        #expect(exited.status == 3)
        #expect(exited.stdout == "1\n")
        let undeclared = try await home.gpus([], stdin: "let x = 1\nprint(\n  x +\n  y)\nprint(5)\n")
        #expect(undeclared.status == 65)
        #expect(undeclared.stderr.contains("<stdin>:4:3: error: undeclared variable 'y'"), "\(undeclared.stderr)")
        #expect(!undeclared.stdout.contains("5"))
        let api = try await home.gpus([], stdin: "print(1)\nvms.get(id: 5)\nprint(2)\n")
        #expect(api.status == 2)
        #expect(api.stdout == "1\n")
        let unfinished = try await home.gpus([], stdin: "print(1)\nif true {\n  print(2)\n")
        #expect(unfinished.status == 65)
        #expect(unfinished.stderr.contains("<stdin>:3:"), "\(unfinished.stderr)")
        #expect(try await home.gpus([], stdin: "print(1)\nprint(2)\n").stdout == "1\n2\n")
    }

    /// Help for a namespace's function, a method and a record kind with its fields.
    @Test func helpForFunctionsMethodsAndKinds() async throws {
        let home = try Home()
        let create = try await home.gpus(["-e", "help(\"vms.create\")"])
        #expect(create.stdout.hasPrefix("vms.create("), "\(create.output)")
        #expect(create.stdout.contains("vmTypeId"))
        let kind = try await home.gpus(["-e", "help(\"Pod\")"])
        // Every field with its meaning and unit, methods with their parameters, the kind's statuses.
        #expect(kind.stdout.contains("fields:") && kind.stdout.contains("\n  .status "), "\(kind.stdout)")
        #expect(kind.stdout.contains("  .singleCardPrice        US$ per GPU per hour\n"), "\(kind.stdout)")
        #expect(kind.stdout.contains("methods:") && kind.stdout.contains("  .delete() — "))
        #expect(kind.stdout.contains("  .metrics(metric, start?, end?, step?) — "))
        #expect(kind.stdout.contains("statuses: initialize, running, pausing, paused"))
        let shapes = try await home.gpus(["-e", "help(endpoints.create)"])
        #expect(shapes.stdout.contains("resources: list — where workers may run: list of {region, gpuType, gpuCount}"))
        #expect(
            try await home.gpus(["-e", "help(vms.create)"]).stdout.contains("isSpot (optional): int — 1 or true: spot"))
        let method = try await home.gpus(["-e", "help(\"Pod.delete\")"])
        #expect(method.stdout.contains("Deletes the pod"), "\(method.output)")
        let field = try await home.gpus(["-e", "help(\"VM.status\")"])
        #expect(field.stdout.hasPrefix("VM.status"), "\(field.output)")
        #expect(try await home.gpus(["-e", "help(\"list.map\")"]).stdout.hasPrefix("list.map("))
        #expect(try await home.gpus(["-e", "help(\"nothing.here\")"]).stdout == "no help for 'nothing.here'\n")
    }

    /// Under an address-space limit the 512 MiB stacks of `parallel for`'s threads cannot all be
    /// reserved: fewer threads run (or none, and the iterations run one after another), and the
    /// program finishes; it used to wait for ever (reliability finding D12).
    @Test func parallelForFinishesUnderAnAddressSpaceLimit() async throws {
        let home = try Home()
        let script = try home.write("p.gpus", "let r = parallel for i in 0..<10 { i * 2 }\nprint(len(r), r[9])\n")
        for limit in ["3000000", "1500000"] {
            let run = try await home.gpus(
                ["-c", "ulimit -v \(limit) && exec \"$0\" -q \"$1\"", CommandLineTests.binary.path, script],
                executable: "/bin/sh")
            #expect(run.status == 0, "ulimit -v \(limit): \(run.output)")
            #expect(run.stdout == "10 18\n", "ulimit -v \(limit): \(run.output)")
        }
    }

    // MARK: - Output modes

    @Test func jsonOutputParsesBack() async throws {
        let home = try Home()
        let script = try home.write(
            "json.gpus",
            """
            print("hello", 2)
            print({"a": [1, 2.5, true, null]})
            let vm = vms.create(name: "j", vmTypeId: 101, region: "us-east-1")
            print(vm)
            print(args)
            vm.refresh()
            """)
        let run = try await home.gpus(["--json", script, "x", "y"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        let documents = try lines.map {
            try JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])
        }
        #expect(documents[0] as? [AnyHashable] == ["hello", 2])
        #expect((documents[1] as? [String: Any])?["a"] != nil)
        #expect((documents[2] as? [String: Any])?["name"] as? String == "j")
        #expect(documents[3] as? [String] == ["x", "y"])
        #expect((documents[4] as? [String: Any])?["status"] != nil)  // the final result

        let failing = try await home.gpus(["--json", "-e", "let a = 1\nvms.get(id: 42)"])
        #expect(failing.status == 2)
        let error = try JSONSerialization.jsonObject(with: Data(failing.stderr.utf8)) as? [String: [String: Any]]
        #expect(error?["error"]?["kind"] as? String == "api", "the vocabulary of e.kind")
        #expect(error?["error"]?["id"] as? String == "apiError")
        #expect(error?["error"]?["code"] as? Int == 11000)
        #expect(error?["error"]?["line"] as? Int == 2)
        #expect(error?["error"]?["column"] as? Int == 1)
        #expect(error?["error"]?["file"] as? String == "-e")

        let invalid = try await home.gpus(["--json", "-e", "print(nope)"])
        #expect(invalid.status == 65)
        let syntax = try JSONSerialization.jsonObject(with: Data(invalid.stderr.utf8)) as? [String: [String: Any]]
        #expect(syntax?["error"]?["kind"] as? String == "syntax")
        #expect(syntax?["error"]?["id"] as? String == "undeclaredVariable")

        // The same kinds a program sees: a thrown error's kind and code, as data.
        let thrown = try await home.gpus([
            "--json", "-e", "try { vms.get(id: 42) } catch e { print(e.kind) }\nthrow {message: \"x\", code: 7}",
        ])
        #expect(thrown.stdout == "\"api\"\n", "\(thrown.stdout)")
        let user = try JSONSerialization.jsonObject(with: Data(thrown.stderr.utf8)) as? [String: [String: Any]]
        #expect(user?["error"]?["kind"] as? String == "user")
        #expect(user?["error"]?["code"] as? Int == 7)
        #expect(user?["error"]?["notes"] == nil, "the code is data, not a note")
    }

    @Test func eFlagPrintsTheFinalResultAndFilesDoNot() async throws {
        let home = try Home()
        #expect(try await home.gpus(["-e", "1 + 2"]).stdout == "3\n")
        #expect(try await home.gpus(["-e", "let x = 1"]).stdout == "")
        let script = try home.write("last.gpus", "print(\"printed\")\n1 + 2\n")
        #expect(try await home.gpus([script]).stdout == "printed\n")
        // Options may come before FILE; what follows FILE is the program's.
        let arguments = try home.write("args.gpus", "print(args)\n")
        #expect(try await home.gpus(["--quiet", arguments, "--json", "-e"]).stdout == "[\"--json\", \"-e\"]\n")
    }

    @Test func quietLeavesOnlyOutputAndErrors() async throws {
        let home = try Home()
        let script = try home.write(
            "leak.gpus", "let vm = vms.create(name: \"q\", vmTypeId: 101, region: \"us-east-1\")\nprint(\"made\")\n")
        let loud = try await home.gpus(["run", "--cleanup", script])
        #expect(loud.stderr.contains("deleted VM q"))
        let quiet = try await home.gpus(["run", "--cleanup", "--quiet", "--verbose", script])
        #expect(quiet.stdout == "made\n")
        #expect(quiet.stderr == "")
    }

    @Test func traceShowsEachExchangeWithTheKeyMasked() async throws {
        let home = try Home()
        let key = "sandbox-key-for-trace-7777"
        let server = try SandboxServer(key: key)
        let url = server.url
        let run = try await home.gpus(
            [
                "--api-url", url, "--trace", "-e",
                "credentials.create(name: \"r\", username: \"u\", password: \"hunter2-secret\")\nlen(vms.list())",
            ], environment: ["YOTTA_API_KEY": key])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "0\n")
        #expect(run.stderr.contains("> POST \(url)/v2/container-registry-auths"))
        #expect(run.stderr.contains("> X-Api-Key: ••••7777"))
        #expect(run.stderr.contains("\"password\":\"••••\""))
        #expect(run.stderr.contains("> GET \(url)/v2/vms?page=1"))
        #expect(run.stderr.contains("< 200 ("))
        #expect(run.stderr.contains(" ms)"))
        #expect(!run.output.contains(key))
        #expect(!run.output.contains("hunter2-secret"))
    }

    @Test func parallelismBoundsHowManyIterationsRunAtOnce() async throws {
        let home = try Home()
        let script = try home.write(
            "sleepers.gpus",
            "let started = now()\nparallel for i in 0..4 { sleep(300ms) }\nprint((now() - started).seconds >= 1)\n")
        #expect(try await home.gpus(["run", "--parallelism", "1", script]).stdout == "true\n")
        #expect(try await home.gpus(["run", "--parallelism", "4", script]).stdout == "false\n")
    }

    @Test func sandboxResetEmptiesTheState() async throws {
        let home = try Home()
        let created = try await home.gpus(["-e", "vms.create(name: \"r\", vmTypeId: 101, region: \"us-east-1\").name"])
        #expect(created.stdout == "r\n", "\(created.stderr)")
        #expect(try await home.gpus(["-e", "len(vms.list())"]).stdout == "1\n")
        let reset = try await home.gpus(["sandbox", "reset", "--state", home.folder.path + "/sandbox.sqlite"])
        #expect(reset.status == 0, "\(reset.output)")
        #expect(try await home.gpus(["-e", "len(vms.list())"]).stdout == "0\n")
    }

    // MARK: - Help, version, completion

    @Test func helpVersionAndCompletion() async throws {
        let home = try Home()
        let help = try await home.gpus(["--help"])
        #expect(help.status == 0)
        for text in ["Examples:", "--sandbox", "--api-url", "--profile", "--json", "--trace", "Exit codes"] {
            #expect(help.stdout.contains(text), "help lacks \(text)")
        }
        for command in [["run"], ["check"], ["config"], ["completion"], ["sandbox", "serve"]] {
            #expect(
                try await home.gpus(command + ["--help"]).stdout.contains("Example"), "\(command) help lacks examples")
        }
        #expect(try await home.gpus(["--version"]).stdout == "0.1.0\n")
        let bash = try await home.gpus(["completion", "bash"])
        #expect(bash.status == 0 && bash.stdout.contains("complete") && bash.stdout.contains("gpus"))
        #expect(try await home.gpus(["completion", "zsh"]).stdout.contains("#compdef gpus"))
        #expect(try await home.gpus(["completion", "fish"]).stdout.contains("complete -c 'gpus'"))
    }

    // MARK: - gpus check

    /// Each script in `CheckCases` lists the findings expected of it (`# finding: LINE:COL: message`).
    /// `gpus pod list`: a word that is neither a command nor a file, close to a command, is a typo.
    @Test func aMistypedCommandSuggestsTheCommand() async throws {
        let home = try Home()
        let typo = try await home.gpus(["pod", "list"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'gpus pods'?"), "\(typo.output)")
        let behind = try await home.gpus(["--json", "rnus"])
        #expect(behind.status == 64 && behind.stderr.contains("did you mean 'gpus runs'?"), "\(behind.output)")
        // A word close to no command is a program that cannot be read.
        let missing = try await home.gpus(["nosuchthing"])
        #expect(
            missing.status == 64 && missing.stderr == "gpus: cannot read 'nosuchthing': no such file\n",
            "\(missing.output)")
    }

    /// Global options work before a subcommand at any depth, as gh, kubectl and aws take them:
    /// every command of the tree (read from `--experimental-dump-help`) is run with the target,
    /// ledger and output options it declares written before its path — `gpus --sandbox --json runs
    /// show RUN` — and none may be refused as unknown or unexpected. (An option that takes a value
    /// and is missing from `GPUS.optionsWithValues` fails here: its value would read as a command.)
    @Test func globalOptionsWorkBeforeEverySubcommandAtAnyDepth() async throws {
        let home = try Home()
        let dump = try await home.gpus(["--experimental-dump-help"])
        let tool = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let ledger = home.folder.path + "/ledger.sqlite"
        // What makes each command stop after parsing, without waiting or serving.
        let tails: [String: [String]] = [
            "run": ["missing.gpus"], "plan": ["missing.gpus"], "check": ["missing.gpus"], "runs show": ["nosuchrun"],
            "runs clean": ["--orphans"], "keeper": ["--once"], "repl": ["-e", "1"],
            "pods": ["list"], "vms": ["list"], "endpoints": ["list"], "volumes": ["list"], "credentials": ["list"],
            "gpus": ["list"],
        ]
        let values: [String: String] = ["ledger": ledger, "o": "json"]
        let optionValues: [String: String] = [
            "ledger": ledger, "o": "json", "max-duration": "1h", "max-cost": "5", "timeout": "5m", "columns": "id",
            "parallelism": "2", "cleanup-timeout": "5", "older-than": "90d", "port": "0", "state": ledger + ".state",
        ]
        var checked = 0
        func walk(_ command: [String: Any], _ path: [String]) async throws {
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            for subcommand in subcommands {
                try await walk(subcommand, path + [subcommand["commandName"] as? String ?? ""])
            }
            guard subcommands.isEmpty, !path.isEmpty, !["sandbox", "config", "completion", "help"].contains(path[0])
            else { return }
            let declared = (command["arguments"] as? [[String: Any]] ?? []).compactMap { argument -> String? in
                guard ["option", "flag"].contains(argument["kind"] as? String),
                    let names = argument["names"] as? [[String: Any]], let name = names.first?["name"] as? String
                else { return nil }
                return name
            }
            var before: [String] = []
            for name in ["sandbox", "json", "ledger", "o", "q", "trace"] where declared.contains(name) {
                before += [name.count == 1 ? "-\(name)" : "--\(name)"] + (values[name].map { [$0] } ?? [])
            }
            guard !before.isEmpty else { return }
            let run = try await home.gpus(before + path + (tails[path.joined(separator: " ")] ?? []))
            for refusal in ["Unknown option", "Unexpected argument", "Missing value", "is not a namespace"] {
                #expect(!run.stderr.contains(refusal), "gpus \(before + path): \(run.stderr)")
            }
            checked += 1
            // Every option that takes a value, alone before the path: its value must not be read as
            // a command (it would be, were it missing from `GPUS.optionsWithValues`).
            let valued = (command["arguments"] as? [[String: Any]] ?? []).compactMap { argument -> String? in
                guard argument["kind"] as? String == "option",
                    let names = argument["names"] as? [[String: Any]], let name = names.first?["name"] as? String
                else { return nil }
                return name
            }
            for name in valued where !["e", "api-url", "profile"].contains(name) {
                let value = optionValues[name] ?? "1"
                let alone = try await home.gpus(
                    [name.count == 1 ? "-\(name)" : "--\(name)", value] + path
                        + (tails[path.joined(separator: " ")] ?? []))
                for refusal in [
                    "Unknown option", "Unexpected argument", "is not a namespace", "cannot read '\(value)'",
                    "is not a command",
                ] {
                    #expect(!alone.stderr.contains(refusal), "gpus --\(name) \(value) \(path): \(alone.stderr)")
                }
            }
        }
        try await walk(try #require(tool["command"] as? [String: Any]), [])
        #expect(checked >= 15, "\(checked) commands checked")
    }

    /// Help that reads at 80 columns, piped or not: no indented line (an example, an option) is
    /// broken in the middle (the parser wraps a long line at 80 when piped); `gpus help pods create` is the
    /// command's help, with examples, in the command line's words.
    @Test func helpFitsEightyColumnsAndSpeaksTheCommandLine() async throws {
        let home = try Home()
        let dump = try await home.gpus(["--experimental-dump-help"])
        let tool = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            if !path.isEmpty, path != ["help"] { paths.append(path) }
            for subcommand in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(subcommand, path + [subcommand["commandName"] as? String ?? ""])
            }
        }
        walk(try #require(tool["command"] as? [String: Any]), [])
        #expect(paths.count >= 15)
        for path in [[]] + paths {
            let help = try await home.gpus(path + ["--help"])
            #expect(
                help.status == 0 && !help.stdout.isEmpty, "gpus \(path.joined(separator: " ")) --help: \(help.stderr)")
            // An indented line (an example, an option) is never followed at once by an unindented
            // one: that is the end of a long indented line, broken at 80 columns.
            var previous = ""
            for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if previous.hasPrefix("  "), let first = line.first, first != " " {
                    Issue.record("gpus \(path.joined(separator: " ")) --help: a broken line: '\(previous)' / '\(line)'")
                }
                previous = line
            }
        }
        let create = try await home.gpus(["help", "pods", "create"])
        #expect(create.status == 0 && create.stdout.hasPrefix("gpus pods create --name STRING"), "\(create.output)")
        #expect(create.stdout.contains("Examples:\n  gpus pods create --name a"), "\(create.stdout)")
        let vms = try await home.gpus(["vms", "create", "--help"])
        #expect(vms.stdout.contains("from 'gpus vms types'") && !vms.stdout.contains("vms.types()"), "\(vms.stdout)")
        #expect(try await home.gpus(["endpoints", "help"]).stdout.contains("logs ID-OR-NAME"))
    }

    @Test func checkFindsTheListedMistakesInAFolderOfScripts() async throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CheckCases")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".gpus") }
            .sorted()
        #expect(files.count >= 5)
        let home = try Home()
        var total = 0
        for file in files {
            let path = folder.appendingPathComponent(file).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let expected = text.split(separator: "\n").compactMap { line in
                line.hasPrefix("# finding: ") ? String(line.dropFirst("# finding: ".count)) : nil
            }
            total += expected.count
            let run = try await home.gpus(["check", "--json", path])
            #expect(run.status == (expected.isEmpty ? 0 : 65), "\(file): \(run.stderr)")
            let found = try run.stderr.split(separator: "\n").map { line -> String in
                let document = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [String: Any]]
                let error = try #require(document?["error"])
                return "\(error["line"] ?? 0):\(error["column"] ?? 0): \(error["message"] ?? "")"
            }
            #expect(found == expected, "\(file)")
        }
        // All at once, as a person types it: every finding, and the count.
        let all = try await home.gpus(["check"] + files.map { folder.appendingPathComponent($0).path })
        #expect(all.status == 65)
        #expect(all.stderr.contains("gpus check: \(total) problem(s) in \(files.count) file(s)"))
        #expect(all.stderr.contains("6 | print(vm.stauts)\n  |          ^^^^^^\n"))  // a caret under the field
        // Nothing ran: no sandbox state was made.
        #expect(!FileManager.default.fileExists(atPath: home.folder.path + "/sandbox.sqlite"))
    }
}

extension CommandLineTests {
    @Test func aProfileNamesATeamLedgerWithItsPasswordKeptOut() async throws {
        let home = try Home()
        #expect(
            try await home.gpus(["config", "set", "team.ledger", "postgres://gpus:Hidden-99@db.example.com/gpus"])
                .status == 0
        )
        let list = try await home.gpus(["config", "list"])
        #expect(list.stdout.contains("ledger  postgres://gpus:••••@db.example.com/gpus"), "\(list.stdout)")
        #expect(!list.output.contains("Hidden-99"))
        #expect(try await home.gpus(["config", "set", "team.ledger", "mysql://nope"]).status == 64)
        #expect(try await home.gpus(["config", "set", "team.ledger", "postgres://gpus@127.0.0.1:1/gpus"]).status == 0)
        #expect(try await home.gpus(["config", "set", "team.ledger_password_env", "TEAM_PW"]).status == 0)
        #expect(try await home.gpus(["config", "set", "team.base_url", "http://127.0.0.1:9"]).status == 0)
        // The password's variable is not set: a usage error naming it, before anything runs.
        let missing = try await home.gpus(["--profile", "team", "-e", "1"])
        #expect(missing.status == 64)
        #expect(
            missing.stderr.contains("takes the ledger's password from $TEAM_PW, which is not set"), "\(missing.stderr)")
        // Set, but the server is not there: named, password masked.
        let down = try await home.gpus(["--profile", "team", "-e", "1"], environment: ["TEAM_PW": "Secret-From-Env"])
        #expect(down.status == 64)
        #expect(down.stderr.contains("postgres://gpus:••••@127.0.0.1:1/gpus"), "\(down.stderr)")
        #expect(!down.output.contains("Secret-From-Env"))
    }

    /// A program that cannot be read says why; anything that reads to its end is a program (a pipe,
    /// `/dev/stdin`, `/dev/null`); options of `gpus run` say whose they are (findings reliability D13).
    @Test func unreadableProgramsAndMisplacedOptionsSayWhy() async throws {
        let home = try Home()
        let binary = try home.write("bad.gpus", "print(1)\n")
        FileManager.default.createFile(atPath: binary, contents: Data([0x70, 0x72, 0xFF, 0x0A]))
        let bad = try await home.gpus(["check", binary])
        #expect(bad.status == 64 && bad.stderr.contains("not UTF-8 text (byte 0xFF at offset 2)"), "\(bad.output)")
        let folder = try await home.gpus(["run", home.folder.path])
        #expect(folder.status == 64 && folder.stderr.contains("it is a folder"), "\(folder.output)")
        let missing = try await home.gpus(["run", home.folder.path + "/nosuch.gpus"])
        #expect(missing.status == 64 && missing.stderr.contains("no such file"), "\(missing.output)")
        let piped = try await home.gpus(["run", "/dev/stdin"], stdin: "print(\"from stdin\")\n")
        #expect(piped.status == 0 && piped.stdout == "from stdin\n", "\(piped.output)")
        #expect(try await home.gpus(["check", "/dev/null"]).status == 0)
        let misplaced = try await home.gpus(["--parallelism", "2", "-e", "1"])
        #expect(
            misplaced.status == 64 && misplaced.stderr.contains("is an option of 'gpus run'"), "\(misplaced.output)")
        let zero = try await home.gpus(["run", "--parallelism", "0", binary])
        #expect(zero.status == 64 && zero.stderr.contains("--parallelism takes 1 or more"), "\(zero.output)")
        let nan = try await home.gpus(["run", "--cleanup-timeout", "nan", binary])
        #expect(nan.status == 64 && nan.stderr.contains("--cleanup-timeout takes seconds"), "\(nan.output)")
        // An empty id is not a path to ask for; a region nobody sells in is a mistake, not [].
        let empty = try await home.gpus(["credentials", "delete", ""])
        #expect(
            empty.status == 1 && empty.stderr.contains("id or name expected, got an empty string"), "\(empty.output)")
        let region = try await home.gpus(["gpus", "offers", "--regions", "us-eats-1"])
        #expect(region.status == 1 && region.stderr.contains("did you mean 'us-east-1'?"), "\(region.output)")
    }
}
