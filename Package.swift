// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gpus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gpus", targets: ["GPUSCommand"]),
        .executable(name: "gpus-mcp", targets: ["GPUSMCP"]),
        .library(name: "YottaAPI", targets: ["YottaAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "YottaAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Language",
            // Exclusivity is checked at run time in debug builds — every test, golden script and
            // fuzz run — and not in release builds, where the checks cost fib(30) and closure calls
            // 35–45% (docs/performance.md says why skipping them is safe).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "Runs",
            dependencies: [
                "YottaAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CloudLibrary",
            dependencies: ["Language", "YottaAPI", "Runs", "Terminal"]
        ),
        .target(
            name: "CLibEdit",
            // libedit is loaded at run time (dlopen): no headers or development symlink needed.
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        .target(
            name: "Terminal",
            dependencies: ["CLibEdit"]
        ),
        .target(
            name: "Console",
            dependencies: ["CLibEdit", "Language", "Terminal"]
        ),
        .target(
            name: "Sandbox",
            dependencies: [
                "YottaAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Settings",
            dependencies: ["YottaAPI"]
        ),
        // Every command; the two programs below are its entry points.
        .target(
            name: "Commands",
            dependencies: [
                "YottaAPI",
                "Settings",
                "Sandbox",
                "Language",
                "Console",
                "CloudLibrary",
                "Runs",
                "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "GPUSCommand",
            dependencies: ["Commands"],
            path: "Sources/gpus"
        ),
        // `gpus mcp` execs it: the MCP SDK links FoundationNetworking, which `gpus` does not load.
        .executableTarget(
            name: "GPUSMCP",
            dependencies: [
                "Commands",
                "YottaAPI",
                "Settings",
                "Language",
                "Console",
                "CloudLibrary",
                "Runs",
                "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MCP", package: "swift-sdk"),
            ],
            path: "Sources/gpus-mcp"
        ),
        // What the test targets share: one process runner, one served sandbox, temporary folders
        // that go away, offPool for synchronous heavy tests.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "YottaAPITests",
            dependencies: ["YottaAPI"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LanguageTests",
            dependencies: ["Language"],
            resources: [.copy("Scripts")]
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "Language", "Terminal", "TestSupport"]
        ),
        .testTarget(
            name: "CloudLibraryTests",
            dependencies: ["CloudLibrary", "Language", "Runs", "Sandbox", "Settings", "TestSupport", "YottaAPI"],
            exclude: ["CheckCases"]
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: [
                "Sandbox",
                "TestSupport",
                "YottaAPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
