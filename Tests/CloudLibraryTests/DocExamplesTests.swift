import Foundation
import Testing

/// docs/cli.md is the reference: every concrete command line in its code blocks (not the
/// synopses with placeholders, not output) runs through the binary in a home prepared with what
/// the examples name — a pod `w1`, an endpoint `web`, a credential `hub`, `recipe.gpus` — and none
/// is refused as a usage or syntax error, or dies of a signal.
@Suite struct DocExamplesTests {
    /// The example command lines of docs/cli.md, with their trailing descriptions cut.
    static func examples() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        var inBlock = false
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            var line = String(raw)
            if line.hasPrefix("$ ") { line.removeFirst(2) }
            guard line.hasPrefix("gpus ") else { continue }
            // What follows two spaces or a `#` is a description.
            if let description = line.range(of: "  ") { line = String(line[..<description.lowerBound]) }
            if let comment = line.range(of: " #") { line = String(line[..<comment.lowerBound]) }
            // Synopses (placeholders, alternatives), output lines, redirections, multi-line code.
            let placeholders = ["[", "|", "…", "FILE", "CODE", "NAMESPACE", "RUN", "COMMAND", ">", "gpus plan:"]
            guard !placeholders.contains(where: line.contains), line.filter({ $0 == "'" }).count % 2 == 0 else {
                continue
            }
            lines.append(line.trimmingCharacters(in: .whitespaces))
        }
        return lines
    }

    /// A command line's words, as a shell splits them (single quotes only: the examples use those).
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                started = true
            } else if character == " ", !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    @Test func everyExampleOfTheCommandLineReferenceRuns() async throws {
        let examples = try Self.examples()
        #expect(examples.count >= 24, "\(examples)")
        let home = try CommandLineTests.Home()
        let recipe = try home.write(
            "recipe.gpus",
            #"let p = pods.ensure(name: "planned", image: "nginx:latest", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)"#
                + "\nprint(p.name)\n")
        let setup = """
            pods.create(name: "w1", image: "nginx:latest", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1, keep: true)
            let web = endpoints.create(name: "web", image: "nginx:latest", serviceMode: "ALB", workers: 1, containerVolumeInGb: 20, expose: {port: 80, protocol: "HTTP"}, resources: [{region: "us-east-1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1}], keep: true)
            credentials.create(name: "hub", username: "me", password: "pw", keep: true)
            wait until web.status == running
            """
        let prepared = try await home.gpus(["-q", "-e", setup])
        #expect(prepared.status == 0, "\(prepared.output)")
        for line in examples {
            // The examples' recipe is the home's (they are run from its folder).
            let words = Self.words(line).dropFirst().map { $0 == "recipe.gpus" ? recipe : $0 }
            if words.contains("--follow") {
                // Follows until Ctrl-C: it must be following, and end on SIGINT.
                let following = try home.start(words)
                try await Task.sleep(for: .seconds(2))
                #expect(following.isRunning, "\(line) stopped by itself")
                following.signal(SIGINT)
                #expect(try await following.finish(timeout: 60) == 130, "\(line)")
                continue
            }
            let run = try await home.gpus(words, stdin: "k-example-key\n")
            #expect(
                ![64, 65].contains(run.status) && run.status < 128,
                "docs/cli.md example `\(line)` exited \(run.status): \(run.output.prefix(400))")
        }
    }
}
