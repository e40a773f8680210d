// swift-tools-version: 6.0
// The language alone — its target and its tests, through symbolic links to the project's own — so
// that the release build, AddressSanitizer and ThreadSanitizer can build and run them in minutes
// without building the rest (NIO, Hummingbird, GRDB, …). `scripts/test-language-builds` uses it.
import PackageDescription

let package = Package(
    name: "gpus-language",
    platforms: [.macOS(.v14)],
    targets: [
        .target(
            name: "Language",
            // As in the main package: exclusivity checked in debug builds, not in release builds.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .testTarget(name: "LanguageTests", dependencies: ["Language"], resources: [.copy("Scripts")]),
    ],
    swiftLanguageModes: [.v6]
)
