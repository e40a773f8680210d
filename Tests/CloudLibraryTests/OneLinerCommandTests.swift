import CloudLibrary
import Foundation
import Language
import Testing

/// `gpus NAMESPACE COMMAND …` with the built binary against the embedded sandbox: every namespace,
/// `-o json` parsed back, `--wait`, ids and names, help and usage errors. Serialized: each test waits
/// for processes on a thread of the cooperative pool, and there are two.
@Suite(.serialized) struct OneLinerCommandTests {
    typealias Home = CommandLineTests.Home

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    @Test func theNamespaceListIsTheLibrarys() async throws {
        let harness = try CloudHarness()
        let library = Library.core()
        harness.session.register(into: library)
        #expect(CloudSession.namespaceNames == library.namespaces.keys.sorted())
    }

    /// Flags for every shape: a map as repeatable K=V (or the alias --env, or --env-file), a list as a
    /// repeated flag, a 0/1 int or a boolean as a bare flag and its --no- form.
    @Test func flagsForMapsListsAndBooleans() async throws {
        let home = try Home()
        let file = try home.write("env.txt", "HF_HOME=/data\n# a comment\nexport TOKEN=abc\n")
        let pod = try await home.gpus([
            "pods", "create", "--name", "f1", "--image", "a/b:1", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", "1",
            "--env", "A=1", "--environment-vars", "B=x=y", "--regions", "us-east-1", "--regions", "us-west-2",
            "--expose", "8080/http", "--expose", "22/ssh", "-o", "json",
        ])
        #expect(pod.status == 0, "\(pod.output)")
        let variables = (try Self.json(pod.stdout) as? [String: Any])?["environmentVars"] as? [[String: String]]
        #expect(variables == [["key": "A", "value": "1"], ["key": "B", "value": "x=y"]], "\(pod.stdout)")
        // A port as runpodctl writes it, the same for a pod (repeated) and an endpoint (one).
        let ports = ((try Self.json(pod.stdout) as? [String: Any])?["expose"] as? [[String: Any]])?.map {
            "\($0["port"] ?? "")/\($0["protocol"] ?? "")"
        }
        #expect(ports == ["8080/HTTP", "22/SSH"], "\(pod.stdout)")
        let endpoint = try await home.gpus([
            "endpoints", "create", "--name", "e1", "--image", "a/b:1", "--service-mode", "QUEUE", "--resources",
            #"[{region: "us-east-1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1}]"#, "--workers", "1",
            "--container-volume-in-gb", "20", "--expose", "8000/http", "-o", "json",
        ])
        let exposed = (try Self.json(endpoint.stdout) as? [String: Any])?["expose"] as? [String: Any]
        #expect(exposed?["port"] as? Int == 8000 && exposed?["protocol"] as? String == "HTTP", "\(endpoint.output)")
        let bare = try await home.gpus([
            "pods", "create", "--name", "f3", "--image", "a/b:1", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", "1",
            "--expose", "8080",
        ])
        #expect(bare.status == 64 && bare.stderr.contains("--expose 8080/http"), "\(bare.output)")
        let fromFile = try await home.gpus([
            "pods", "create", "--name", "f2", "--image", "a/b:1", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", "1",
            "--env-file", file, "-o", "json",
        ])
        let loaded = (try Self.json(fromFile.stdout) as? [String: Any])?["environmentVars"] as? [[String: String]]
        #expect(
            loaded == [["key": "HF_HOME", "value": "/data"], ["key": "TOKEN", "value": "abc"]], "\(fromFile.output)")
        let spot = try await home.gpus([
            "vms", "create", "--name", "s1", "--vm-type-id", "101", "--region", "us-east-1", "--is-spot", "--keep",
            "-o", "json",
        ])
        #expect((try Self.json(spot.stdout) as? [String: Any])?["isSpot"] as? Int == 1, "\(spot.output)")
        let onDemand = try await home.gpus([
            "vms", "create", "--name", "s2", "--vm-type-id", "101", "--region", "us-east-1", "--no-is-spot", "-o",
            "json",
        ])
        #expect((try Self.json(onDemand.stdout) as? [String: Any])?["isSpot"] as? Int == 0, "\(onDemand.output)")
        let twice = try await home.gpus([
            "vms", "create", "--name", "a", "--name", "b", "--vm-type-id", "101", "--region", "r",
        ])
        #expect(twice.status == 64 && twice.stderr.contains("--name is given twice"), "\(twice.output)")
        // A word that is not its flag's kind is a usage error with the lexer's reason, before any call.
        let create = ["pods", "create", "--name", "w", "--image", "a/b:1", "--gpu-type", "NVIDIA_H100_80G"]
        for (words, says) in [
            (
                ["--gpu-count", "99999999999999999999"],
                "--gpu-count takes an integer, like 1 (got '99999999999999999999': integer literal '99999999999999999999' does not fit in 64 bits)"
            ),
            (["--gpu-count", "1.5"], "--gpu-count takes an integer, like 1 (got '1.5')"),
            (["--gpu-count", "1", "--ttl", "soon"], "--ttl takes a duration: 90s, 10m, 2h, 1h30m (got 'soon')"),
        ] {
            let wrong = try await home.gpus(create + words)
            #expect(wrong.status == 64 && wrong.stderr.contains(says), "\(wrong.output)")
        }
        let made = try await home.gpus(["pods", "get", "w"])
        #expect(made.status == 2 && made.stderr.contains("13000"), "\(made.output)")
    }

    /// An empty list says so on stderr, not `[]` on stdout (JSON keeps `[]`).
    @Test func anEmptyListSaysSoOnStderr() async throws {
        let home = try Home()
        let table = try await home.gpus(["pods", "list"])
        #expect(table.status == 0 && table.stdout.isEmpty && table.stderr == "no live pods\n", "\(table.output)")
        let all = try await home.gpus(["vms", "list", "--all"])
        #expect(all.stdout.isEmpty && all.stderr == "no vms\n", "\(all.output)")
        let json = try await home.gpus(["pods", "list", "-o", "json"])
        #expect(json.stdout == "[]\n" && json.stderr.isEmpty, "\(json.output)")
    }

    @Test func podsFromCreateToDelete() async throws {
        let home = try Home()
        let created = try await home.gpus([
            "pods", "create", "--name", "w1", "--image", "ubuntu:22.04", "--gpu-type", "NVIDIA_RTX_4090_24G",
            "--gpu-count", "1", "--environment-vars", "[{key: \"A\", value: \"1\"}]", "--wait", "-o", "json",
        ])
        #expect(created.status == 0, "\(created.output)")
        let pod = try Self.json(created.stdout) as? [String: Any]
        #expect(pod?["status"] as? String == "RUNNING", "--wait: \(created.stdout)")
        // Ids are strings in JSON output: jq and JavaScript read numbers as doubles (2^53).
        let id = try #require(pod?["id"] as? String)
        #expect(Int64(id).map { $0 > 9_007_199_254_740_992 } == true, "an 18-digit id: \(id)")
        let listed = try await home.gpus(["-o", "json", "pods", "list", "--status", "running"])
        let pods = try Self.json(listed.stdout) as? [[String: Any]]
        #expect(pods?.map { $0["name"] as? String } == ["w1"])
        let table = try await home.gpus(["pods", "list"])
        #expect(table.stdout.hasPrefix("id "), "a table: \(table.stdout)")
        let byName = try await home.gpus(["pods", "get", "w1", "--json"])
        let byID = try await home.gpus(["pods", "get", id, "--json"])
        // The same pod (its cost grows between the two calls at the sandbox's speed).
        let podByName = try Self.json(byName.stdout) as? [String: Any]
        let podByID = try Self.json(byID.stdout) as? [String: Any]
        #expect(
            byName.status == 0 && podByName?["id"] as? String == id && podByID?["id"] as? String == id,
            "\(byName.output)"
        )
        #expect(podByName?["name"] as? String == "w1")
        let missing = try await home.gpus(["pods", "get", "nosuch"])
        // Not found, as the API's own not-found for a pod: an API error (exit 2), code 13000.
        #expect(missing.status == 2 && missing.stderr.hasPrefix("gpus pods get: error: no live Pod is named 'nosuch'"))
        #expect(missing.stderr.contains("code 13000"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("|"), "no generated code shown: \(missing.stderr)")
        let deleted = try await home.gpus(["pods", "delete", "w1"])
        #expect(deleted.status == 0 && deleted.stdout == "delete: Pod w1 (\(id))\n", "\(deleted.output)")
        // The run ledger knows what the command did.
        let runs = try await home.gpus(["runs", "--json"])
        #expect(runs.stdout.contains("gpus pods create"), "\(runs.stdout)")
    }

    @Test func vmsEndpointsVolumesAndCredentials() async throws {
        let home = try Home()
        let vm = try await home.gpus([
            "vms", "create", "--name", "a", "--vm-type-id", "101", "--region", "us-east-1", "--wait", "--json",
        ])
        let made = try Self.json(vm.stdout) as? [String: Any]
        #expect(vm.status == 0 && made?["status"] as? String == "running", "\(vm.output)")
        let terminated = try await home.gpus(["vms", "terminate", "a"])
        #expect(terminated.status == 0 && terminated.stdout.hasPrefix("terminate: VM a ("), "\(terminated.output)")
        // `delete`, as for every other kind, terminates a VM; a name from another tool is suggested.
        #expect(
            try await home.gpus(["vms", "create", "--name", "b", "--vm-type-id", "101", "--region", "us-east-1"]).status
                == 0)
        let deleted = try await home.gpus(["vms", "delete", "b"])
        #expect(deleted.status == 0 && deleted.stdout.hasPrefix("terminate: VM b ("), "\(deleted.output)")
        let destroy = try await home.gpus(["pods", "destroy", "x"])
        #expect(destroy.status == 64 && destroy.stderr.contains("did you mean 'delete'?"), "\(destroy.output)")

        let endpoint = try await home.gpus([
            "endpoints", "create", "--name", "web", "--image", "i", "--service-mode", "QUEUE", "--workers", "1",
            "--container-volume-in-gb", "20", "--resources",
            "[{region: \"us-east-1\", gpuType: \"NVIDIA_RTX_4090_24G\", gpuCount: 1}]", "-o", "json",
        ])
        #expect(endpoint.status == 0, "\(endpoint.output)")
        let scaled = try await home.gpus(["endpoints", "scale", "web", "--workers", "3"])
        #expect(scaled.status == 0, "\(scaled.output)")
        let shown = try await home.gpus(["endpoints", "get", "web", "-o", "json"])
        let shownEndpoint = try Self.json(shown.stdout) as? [String: Any]
        #expect(shownEndpoint?["totalWorkers"] as? Int == 3, "\(shown.output)")

        let volume = try await home.gpus(["volumes", "create", "--name", "data", "--storage-type", "S3", "-o", "json"])
        #expect(volume.status == 0, "\(volume.output)")
        #expect(try await home.gpus(["volumes", "delete", "data"]).status == 0)

        let credential = try await home.gpus([
            "credentials", "create", "--name", "hub", "--username", "me", "--password", "hunter2",
        ])
        #expect(credential.status == 0 && !credential.output.contains("hunter2"), "\(credential.output)")
        let credentials = try await home.gpus(["credentials", "list"])
        #expect(credentials.stdout.contains("hub"))
        #expect(try await home.gpus(["credentials", "delete", "hub"]).status == 0)
    }

    /// Endpoints on the command line: `--wait --timeout` on a create, `stop --wait` (stopped when it
    /// returns), `start --wait`, `logs` (all workers, one worker, `--follow` until a signal),
    /// `delete --force`; metrics from a time; the usage errors.
    @Test func endpointsWaitsLogsAndTimes() async throws {
        let home = try Home()
        let made = try await home.gpus([
            "endpoints", "create", "--name", "web", "--image", "nginx:latest", "--service-mode", "ALB", "--workers",
            "2",
            "--container-volume-in-gb", "20", "--expose", "{port: 80, protocol: \"HTTP\"}", "--resources",
            "[{region: \"us-east-1\", gpuType: \"NVIDIA_RTX_4090_24G\", gpuCount: 1}]", "--wait", "--timeout", "2m",
            "-o", "json",
        ])
        let madeEndpoint = try Self.json(made.stdout) as? [String: Any]
        #expect(made.status == 0 && madeEndpoint?["status"] as? String == "RUNNING", "\(made.output)")
        let stopped = try await home.gpus(["endpoints", "stop", "web", "--wait", "--timeout", "5m", "-o", "json"])
        #expect(stopped.status == 0, "\(stopped.output)")
        let state = try await home.gpus(["endpoints", "get", "web", "-o", "json"])
        let stateEndpoint = try Self.json(state.stdout) as? [String: Any]
        #expect(stateEndpoint?["status"] as? String == "STOPPED", "\(state.output)")
        #expect(try await home.gpus(["endpoints", "start", "web", "--wait"]).status == 0)
        let logs = try await home.gpus(["endpoints", "logs", "web"])
        let lines = logs.stdout.split(separator: "\n")
        #expect(logs.status == 0 && lines.count >= 2 && lines.allSatisfy { $0.hasPrefix("[w-") }, "\(logs.output)")
        let workers =
            try Self.json(
                try await home.gpus(["-e", "endpoints.get(\"web\").workers().map(w -> w.workerId)", "--json"]).stdout)
            as? [String]
        let one = try #require(workers?.first)
        let single = try await home.gpus(["endpoints", "logs", "web", "--worker", one])
        #expect(single.status == 0 && !single.stdout.isEmpty && !single.stdout.contains("[w-"), "\(single.output)")
        let unknown = try await home.gpus(["endpoints", "logs", "web", "--worker", "w-nosuch"])
        #expect(
            unknown.status == 1 && unknown.stderr.contains("endpoint web has no worker w-nosuch"), "\(unknown.output)")
        let typo = try await home.gpus(["endpoints", "logs", "web", "--folow"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean --follow?"), "\(typo.output)")
        let following = try home.start(["endpoints", "logs", "web", "--follow"])
        try await Task.sleep(for: .seconds(3))
        #expect(following.isRunning, "--follow keeps following")
        following.signal(SIGINT)
        #expect(try await following.finish(timeout: 60) == 130)
        #expect(try await home.gpus(["pods", "list", "--timeout", "3m"]).status == 64)
        let scale = try await home.gpus(["endpoints", "scale", "web", "--workers", "1", "--wait"])
        #expect(scale.status == 64 && scale.stderr.contains("'endpoints stop'"), "\(scale.output)")
        let badTimeout = try await home.gpus(["endpoints", "stop", "web", "--wait", "--timeout", "soon"])
        #expect(badTimeout.status == 64, "\(badTimeout.output)")
        let deleted = try await home.gpus(["endpoints", "delete", "web", "--force"])
        #expect(deleted.status == 0 && deleted.stdout.hasPrefix("delete: Endpoint web"), "\(deleted.output)")
        // Times where a time is taken: a duration ago, ISO 8601, epoch ms.
        #expect(
            try await home.gpus([
                "pods", "create", "--name", "m", "--image", "i", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", "1",
                "--wait",
            ]).status == 0)
        for start in ["20m", "2026-01-01T00:00:00Z"] {
            let metric = try await home.gpus(["pods", "metrics", "m", "--metric", "gpu", "--start", start])
            #expect(metric.status == 0 || metric.stderr.contains("step"), "\(start): \(metric.output)")
        }
        let never = try await home.gpus(["pods", "metrics", "m", "--metric", "gpu", "--start", "yesterday"])
        #expect(never.status == 1 && never.stderr.contains("a time expected"), "\(never.output)")
    }

    /// What the bash and zsh scripts of `gpus completion` ask for: commands, flags, flag values and
    /// live names and ids.
    @Test func shellCompletionOffersCommandsFlagsValuesAndLiveResources() async throws {
        let home = try Home()
        func complete(_ words: [String]) async throws -> [String] {
            // A loaded test machine may take longer than the 2 s a TAB waits for live names.
            let run = try await home.gpus(
                [
                    "---completion", words[1], "--", "positional@0", String(words.count - 1),
                    String(words[words.count - 1].count),
                ]
                    + words, environment: ["GPUS_COMPLETION_TIMEOUT": "60"])
            #expect(run.status == 0, "\(run.output)")
            return run.stdout.split(separator: "\n").map(String.init)
        }
        #expect(try await complete(["gpus", "pods", "del"]) == ["delete"])
        #expect(try await complete(["gpus", "vms", "create", "--vm"]) == ["--vm-type-id"])
        #expect(try await complete(["gpus", "pods", "create", "--gpu-type", "NVIDIA_H1"]).contains("NVIDIA_H100_80G"))
        let made = try await home.gpus([
            "pods", "create", "--name", "tab-me", "--image", "i", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", "1",
        ])
        #expect(made.status == 0, "\(made.output)")
        let vm = try await home.gpus([
            "vms", "create", "--name", "tab-vm", "--vm-type-id", "101", "--region", "us-east-1",
        ])
        #expect(vm.status == 0, "\(vm.output)")
        // Names of the command's kind only: the VM is not offered to `pods delete`.
        #expect(try await complete(["gpus", "pods", "delete", "tab"]) == ["tab-me"])
        #expect(try await complete(["gpus", "vms", "terminate", "tab"]) == ["tab-vm"])
        #expect(try await complete(["gpus", "pods", "list", "--status", "pa"]) == ["paused", "pausing"])
        let code = try await home.gpus(["-e", "print(args)", "pods", "list"])
        #expect(code.stdout == "[\"pods\", \"list\"]\n", "after -e, words are args: \(code.output)")
    }

    /// The catalogue (`POST /api/v2/resource/gpu/list` on the embedded sandbox) and `gpus costs`.
    @Test func offersAndCosts() async throws {
        let home = try Home()
        let offers = try await home.gpus([
            "gpus", "offers", "--regions", "[\"us-east-1\"]", "--min-vram-in-gb", "80", "-o", "json",
        ])
        let list = try Self.json(offers.stdout) as? [[String: Any]]
        #expect(offers.status == 0 && (list?.count ?? 0) > 3, "\(offers.output)")
        #expect(
            list?.allSatisfy { $0["region"] as? String == "us-east-1" && ($0["singleCardVramInGb"] as? Int ?? 0) >= 80 }
                == true)
        #expect(list?.first { $0["gpuType"] as? String == "NVIDIA_H100_80G" }?["singleCardPrice"] as? Double == 2.49)
        // From a price to a VM in one line: the cheapest available offer of a type (in a region).
        let offered = try await home.gpus([
            "vms", "create", "--name", "o1", "--offer", "NVIDIA_H100_80G/us-east-2", "--wait", "-o", "json",
        ])
        let offeredVM = try Self.json(offered.stdout) as? [String: Any]
        #expect(offered.status == 0 && offeredVM?["region"] as? String == "us-east-2", "\(offered.output)")
        #expect(offeredVM?["gpuType"] as? String == "NVIDIA_H100_80G" && offeredVM?["status"] as? String == "running")
        let nowhere = try await home.gpus(["vms", "create", "--name", "o2", "--offer", "NVIDIA_H100_80G/mars-1"])
        #expect(nowhere.status == 1 && nowhere.stderr.contains("no region is named 'mars-1'"), "\(nowhere.output)")
        let soldOut = try await home.gpus(["vms", "create", "--name", "o2", "--offer", "AWS_Trainium_32G/us-east-2"])
        #expect(soldOut.status == 1 && soldOut.stderr.contains("no available VM offer"), "\(soldOut.output)")
        let both = try await home.gpus([
            "vms", "create", "--name", "o3", "--offer", "NVIDIA_H100_80G", "--region", "us-east-1",
        ])
        #expect(both.status == 64, "\(both.output)")
        #expect(try await home.gpus(["vms", "terminate", "o1"]).status == 0)
        let none = try await home.gpus(["costs"])
        #expect(none.status == 0 && none.stdout == "nothing live is billing GPU time\n", "\(none.output)")
        for (name, count) in [("a", "2"), ("b", "1")] {
            let made = try await home.gpus([
                "pods", "create", "--name", name, "--image", "i", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", count,
            ])
            #expect(made.status == 0, "\(made.output)")
        }
        let table = try await home.gpus(["costs"])
        #expect(table.stdout.hasSuffix("total: $7.47/h for 2 resources\n"), "\(table.output)")
        #expect(table.stdout.contains("perHour $/h"), "the header says the unit: \(table.stdout)")
        let json = try Self.json(try await home.gpus(["costs", "--json"]).stdout) as? [String: Any]
        #expect(json?["perHour"] as? Double == 7.47)
        #expect(
            (json?["resources"] as? [[String: Any]])?.compactMap { $0["perHour"] as? Double }.sorted() == [2.49, 4.98])
    }

    /// `-o yaml` (ids quoted: they stay strings), `-o wide` (every plain field), `--columns` (checked
    /// against the result's kind), and "1 resource" when one is live.
    @Test func outputFormats() async throws {
        let home = try Home()
        let made = try await home.gpus([
            "pods", "create", "--name", "y1", "--image", "i", "--gpu-type", "NVIDIA_H100_80G", "--gpu-count", "1",
            "-o", "json",
        ])
        let id = try #require((try Self.json(made.stdout) as? [String: Any])?["id"] as? String)
        let yaml = try await home.gpus(["pods", "list", "-o", "yaml"])
        #expect(yaml.status == 0 && yaml.stdout.hasPrefix("- id: \"\(id)\"\n  name: y1\n"), "\(yaml.output)")
        let record = try await home.gpus(["pods", "get", "y1", "-o", "yaml"])
        #expect(record.stdout.hasPrefix("id: \"\(id)\"\n"), "\(record.output)")
        let columns = try await home.gpus(["pods", "list", "--columns", "name,status,cost"])
        #expect(columns.status == 0, "\(columns.output)")
        #expect(
            columns.stdout.split(separator: "\n").first?.split(separator: " ").map(String.init) == [
                "name", "status", "cost", "$",
            ])
        #expect(columns.stdout.contains("y1"))
        let typo = try await home.gpus(["pods", "list", "--columns", "id,nam"])
        #expect(
            typo.status == 64 && typo.stderr.contains("Pod has no field 'nam'; did you mean 'name'?"), "\(typo.output)")
        let both = try await home.gpus(["pods", "list", "--columns", "id", "-o", "json"])
        #expect(both.status == 64, "\(both.output)")
        let wide = try await home.gpus(["pods", "list", "-o", "wide"])
        let header = wide.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            wide.status == 0 && header.contains("sshCmd") && header.contains("singleCardPrice $/h"), "\(wide.output)")
        #expect(!header.contains("environmentVars"), "lists are not columns")
        let costs = try await home.gpus(["costs"])
        #expect(costs.stdout.hasSuffix("for 1 resource\n"), "\(costs.output)")
    }

    @Test func helpUsageAndAFileNamedLikeANamespace() async throws {
        let home = try Home()
        let help = try await home.gpus(["pods", "help"])
        #expect(help.status == 0 && help.stdout.contains("  delete ID-OR-NAME"), "\(help.output)")
        let commandHelp = try await home.gpus(["vms", "create", "--help"])
        #expect(commandHelp.status == 0 && commandHelp.stdout.contains("  --vm-type-id INT"), "\(commandHelp.output)")
        // In the command line's terms: how each shape is typed, the language's literals as flags.
        let podHelp = try await home.gpus(["pods", "create", "--help"]).stdout
        for line in [
            "  --keep, --no-keep (optional)", "  --ttl DURATION (optional; 90s, 10m, 2h, 1h30m)",
            "e.g. --environment-vars HF_HOME=/data", "  --regions VALUE (optional; repeat it for more)",
        ] {
            #expect(podHelp.contains(line), "\(line)\n\(podHelp)")
        }
        #expect(!podHelp.contains(#"["us-east-1"]"#), "\(podHelp)")
        let typo = try await home.gpus(["pods", "lst"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean 'list'?"), "\(typo.output)")
        let flag = try await home.gpus(["vms", "create", "--name", "a", "--vm-type", "101", "--region", "r"])
        #expect(flag.status == 64 && flag.stderr.contains("did you mean --vm-type-id?"), "\(flag.output)")
        let file = try home.write("pods", "print(\"a file\")\n")
        let ran = try await home.gpus(["run", file])
        #expect(ran.stdout == "a file\n", "\(ran.output)")
        let dotted = try await home.gpus([home.folder.path + "/pods"])
        #expect(dotted.stdout == "a file\n", "\(dotted.output)")
    }
}
