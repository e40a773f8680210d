import ArgumentParser
import Foundation
import Logging
import Sandbox
import YottaAPI

/// `gpus sandbox serve|reset`.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the simulated Yotta cloud over HTTP, or empty its state.",
        subcommands: [Serve.self, Reset.self, Seed.self]
    )
}

/// Options that say where the sandbox keeps its state.
struct StateOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The SQLite state file (':memory:' for a private one). Default: $XDG_STATE_HOME/gpus/sandbox.sqlite.")
    var state: String?

    var path: String { state ?? SandboxStore.defaultPath() }
}

extension SandboxCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the Yotta v2 API, simulated, for curl, Yotta's SDK or any other client.",
            discussion: """
                Examples:
                  gpus sandbox serve
                  gpus sandbox serve --port 9000 --api-key s3cret --speed 60
                  gpus sandbox serve --faults rate=0.1,codes=10002+503 --seed 7
                  curl -H 'X-Api-Key: sandbox' http://127.0.0.1:8787/v2/vms/types
                """
        )

        @Option(help: "The address to bind; loopback unless you say otherwise.") var host = "127.0.0.1"
        @Option(help: "The port; 0 picks a free one.") var port = 8787
        @Option(name: .customLong("api-key"), help: "The key clients must send in X-Api-Key.")
        var apiKey = SandboxOptions.defaultServeKey
        @OptionGroup var state: StateOptions
        @Option(help: "How much faster than real time lifecycles run (1: a VM boots in about a minute).")
        var speed: Double = 1
        @Option(
            help:
                "Faults to inject, e.g. rate=0.1,codes=10002+503,latency=20ms-80ms,ops=pods.create,capacity=us-west-2,preempt=0.5,nth=4."
        )
        var faults = ""
        @Option(help: "Seed for fault injection, to make a run repeatable.") var seed: UInt64?
        @Option(help: "Connections served at once; more wait to be accepted.")
        var maxConnections = SandboxApplication.Limits().connections
        @Option(help: "Seconds after which a connection that sends nothing is closed (slow or half-open clients).")
        var idleTimeout: Double = 10
        @Option(help: "Threads for socket I/O (requests are handled on Swift's own pool).")
        var ioThreads = SandboxApplication.Limits().eventLoopThreads
        @Flag(help: "Do not log each request.") var quiet = false

        func validate() throws {
            guard speed > 0 else { throw ValidationError("--speed must be greater than 0") }
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            guard !apiKey.isEmpty else { throw ValidationError("--api-key must not be empty") }
            guard (1...100_000).contains(maxConnections) else {
                throw ValidationError("--max-connections must be from 1 to 100000")
            }
            guard (1...64).contains(ioThreads) else { throw ValidationError("--io-threads must be from 1 to 64") }
            guard idleTimeout > 0, idleTimeout <= 86_400 else {
                throw ValidationError("--idle-timeout must be more than 0 and at most 86400 seconds")
            }
        }

        func run() async throws {
            var logger = Logger(label: "gpus.sandbox")
            logger.logLevel = quiet ? .warning : .info
            let plan = try FaultPlan(spec: faults)
            let store = try SandboxStore(path: state.path)
            let options = SandboxOptions(apiKeys: [apiKey], speed: speed, faults: plan, seed: seed)
            let service = SandboxService(store: store, options: options, logger: logger)
            let webhooks = AsyncHTTPClientTransport(connectTimeout: .seconds(5))
            let dispatcher = WebhookDispatcher(service: service, transport: webhooks)
            let host = host
            let statePath = state.path
            let limits = SandboxApplication.Limits(
                connections: maxConnections, idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
                eventLoopThreads: ioThreads)
            let application = SandboxApplication.build(
                service: service, host: host, port: port, limits: limits, logger: logger
            ) {
                port in
                print(
                    "gpus sandbox: listening on http://\(host):\(port)  (X-Api-Key: \(apiKey == SandboxOptions.defaultServeKey ? apiKey : "as given"), state: \(statePath), speed: \(speed))"
                )
                fflush(nil)  // the line tells scripts and tests that the server is up
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await application.runService() }
                group.addTask { await dispatcher.run() }
                try await group.next()
                group.cancelAll()
            }
            try await webhooks.shutdown()
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill a sandbox state with many resources of every kind, for load tests.",
            discussion: """
                30 % VMs, 40 % pods, 10 % endpoints, 15 % volumes, 5 % credentials, created over the last
                hour; one pod or endpoint in ten has a long event history. Example:
                  gpus sandbox seed --count 100000 --state /tmp/big.sqlite
                """)

        @OptionGroup var state: StateOptions
        @Option(help: "How many resources to add (1 to 10,000,000).") var count = 100_000
        @Option(help: "Only these kinds, comma-separated (vm, pod, endpoint, volume, credential).")
        var kinds: String?

        func validate() throws {
            guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be from 1 to 10000000") }
            _ = try chosenKinds()
        }

        func chosenKinds() throws -> Set<ResourceKind>? {
            guard let kinds else { return nil }
            return Set(
                try kinds.split(separator: ",").map { name in
                    guard let kind = ResourceKind(stored: name.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--kinds: unknown kind '\(name)' (vm, pod, endpoint, volume, credential)")
                    }
                    return kind
                })
        }

        func run() async throws {
            let store = try SandboxStore(path: state.path)
            let started = ContinuousClock.now
            var seeder = SandboxSeeder(count: count)
            seeder.kinds = try chosenKinds()
            let report = try seeder.seed(store, now: SystemClock().nowMillis())
            let kinds = ResourceKind.allCases.map { "\(report.created[$0] ?? 0) \($0.stored)s" }.joined(
                separator: ", ")
            print("gpus sandbox: added \(kinds) to \(state.path) in \(ContinuousClock.now - started)")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every resource of a sandbox state.")

        @OptionGroup var state: StateOptions

        func run() async throws {
            let store = try SandboxStore(path: state.path)
            try await store.reset()
            print("gpus sandbox: state \(state.path) emptied")
        }
    }
}
