import Settings
import Testing
import YottaAPI

/// The config file's TOML subset and target resolution, as pure logic.
@Suite struct SettingsTests {
    @Test func tomlReadsWhatGpusWritesAndBack() throws {
        let text = """
            # a comment
            title = 'literal \\n stays'
            [profiles.prod]   # trailing comment
            base_url = "https://api.yottalabs.ai"
            "quoted key" = "tab\\tquote\\"back\\\\slash\\u00e9"
            count = 1_000
            on = true

            [profiles."with space"]
            """
        let document = try TOML.parse(text)
        #expect(document.tables.count == 3)
        #expect(document.tables[0].entries[0].value == .string("literal \\n stays"))
        #expect(document.tables[1].path == ["profiles", "prod"])
        #expect(document.tables[1].entries.map(\.key) == ["base_url", "quoted key", "count", "on"])
        #expect(document.tables[1].entries[1].value == .string("tab\tquote\"back\\slashé"))
        #expect(document.tables[1].entries[2].value == .integer(1000))
        #expect(document.tables[1].entries[3].value == .boolean(true))
        #expect(document.tables[2].path == ["profiles", "with space"])
        #expect(try TOML.parse(TOML.render(document)) == document)
    }

    @Test(arguments: [
        ("a = [1, 2]", "line 1: arrays are not supported"),
        ("a = {b = 1}", "line 1: inline tables are not supported"),
        ("a.b = 1", "line 1: dotted keys are not supported; use a [table]"),
        ("[t]\n[t]", "line 2: table [t] is defined twice"),
        ("a = 1\na = 2", "line 2: 'a' is defined twice"),
        ("a = \"open", "line 1: unterminated string"),
        ("a = \"\"\"x\"\"\"", "line 1: multi-line strings are not supported"),
        ("a = bare", "line 1: unsupported value 'bare' (quote strings)"),
        ("a = \"x\" y", "line 1: unexpected text after the value"),
        ("[[t]]", "line 1: arrays of tables are not supported"),
        ("a = \"\\q\"", "line 1: invalid escape \\q"),
    ])
    func tomlRefusesWhatItDoesNotRead(_ text: String, _ message: String) {
        #expect(throws: TOML.ParseError.self) { try TOML.parse(text) }
        do {
            _ = try TOML.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func configRefusesUnknownSettingsAndTwoKeys() {
        #expect(throws: ConfigFile.Failure.self) { try ConfigFile.parse("[profiles.p]\nbase_ur = \"x\"\n") }
        #expect(throws: ConfigFile.Failure.self) {
            try ConfigFile.parse("[profiles.p]\napi_key = \"k\"\napi_key_env = \"K\"\n")
        }
        #expect(throws: ConfigFile.Failure.self) { try ConfigFile.parse("stray = \"x\"\n") }
        #expect(throws: ConfigFile.Failure.self) { try ConfigFile.parse("[profiles.p]\nbase_url = 3\n") }
        #expect(throws: ConfigFile.Failure.self) { try ConfigFile.parse("[profiles.p]\nbase_url = \"http://x.com\"\n") }
        // `config set` refuses a key that cannot travel in a header (a stray \r, a tab); a masked
        // key never prints a control character raw (findings reliability D14).
        var config = ConfigFile()
        #expect(throws: ConfigFile.Failure.self) { try config.set(.apiKey, of: "p", to: "sk-abc\t731") }
        #expect(APIKey("sk-abcdef731\r").masked == "••••731\\u{D}")
    }

    @Test func targetOrderWithoutTheBinary() throws {
        var file = ConfigFile()
        try file.set(.baseURL, of: "local", to: "http://127.0.0.1:8787")
        try file.set(.apiKey, of: "local", to: "sandbox-key")
        nonisolated(unsafe) var reads = 0
        let config = { () throws(ConfigFile.Failure) -> ConfigFile in
            reads += 1
            return file
        }
        let key = ["YOTTA_API_KEY": "live-key-1234"]

        #expect(try Target.resolve(.init(), environment: [:], config: config).kind == .embeddedSandbox)
        #expect(
            try Target.resolve(.init(), environment: key, config: config).kind
                == .api(baseURL: "https://api.yottalabs.ai", key: APIKey("live-key-1234")))
        #expect(reads == 0)  // no profile asked for: the file is not read
        let profile = try Target.resolve(
            .init(), environment: key.merging(["GPUS_PROFILE": "local"]) { $1 }, config: config)
        #expect(profile.kind == .api(baseURL: "http://127.0.0.1:8787", key: APIKey("sandbox-key")))
        #expect(profile.label == "local")
        #expect(reads == 1)
        let url = try Target.resolve(.init(apiURL: "http://localhost:9000"), environment: key, config: config)
        #expect(url.label == "localhost:9000")
        #expect(try Target.resolve(.init(sandbox: true), environment: key, config: config).kind == .embeddedSandbox)
        #expect(throws: Target.Failure.self) {
            try Target.resolve(.init(sandbox: true, apiURL: "http://localhost:1"), environment: [:], config: config)
        }
        #expect(throws: Target.Failure.self) {
            try Target.resolve(.init(profile: "missing"), environment: key, config: config)
        }
        #expect(!profile.summary.contains("sandbox-key"))
    }
}
