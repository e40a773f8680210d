import Foundation
import Language

/// What `:save` writes and what history keeps: the statements typed at the prompt, as a recipe that
/// runs, with secrets read from the environment instead of written down.
public enum Recipe {
    /// A name whose value is a secret: `password`, `token`, `secret`, `apiKey`, `webhookAuthKey`, …
    static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["password", "passwd", "secret", "token"].contains { lower.contains($0) } || lower.hasSuffix("key")
    }

    /// `webhookAuthKey` → `WEBHOOK_AUTH_KEY`.
    static func variableName(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase, !result.isEmpty, result.last != "_" { result.append("_") }
            result.append(character.isLetter || character.isNumber ? Character(character.uppercased()) : "_")
        }
        return result
    }

    /// `entry` with each string given to a secret-looking name (`password: "…"`, in a call or a
    /// map) replaced by `env("PASSWORD")`, and the variables that now need to be set.
    public static func redacting(_ entry: String) -> (text: String, variables: [String]) {
        let tokens = Lexer.tokens(SourceFile(name: "<entry>", text: entry))
        var replacements: [(range: SourceRange, text: String)] = []
        var variables: [String] = []
        for index in tokens.indices.dropLast(2) {
            guard case .identifier(let name) = tokens[index].kind, isSecret(name),
                tokens[index + 1].kind == .symbol(.colon), case .string = tokens[index + 2].kind
            else { continue }
            let variable = variableName(name)
            replacements.append((tokens[index + 2].range, "env(\"\(variable)\")"))
            if !variables.contains(variable) { variables.append(variable) }
        }
        var bytes = Array(entry.utf8)
        for replacement in replacements.reversed()
        where replacement.range.start >= 0 && replacement.range.end <= bytes.count {
            bytes.replaceSubrange(replacement.range.start..<replacement.range.end, with: Array(replacement.text.utf8))
        }
        return (String(decoding: bytes, as: UTF8.self), variables)
    }

    /// Why an entry is left out of a recipe (written as a comment), or nil to keep it.
    static func reasonToComment(_ entry: String) -> String? {
        let tokens = Lexer.tokens(SourceFile(name: "<entry>", text: entry))
        if tokens.contains(where: { $0.kind == .keyword(.exit) }) { return "ended the session" }
        if tokens.contains(where: { $0.kind == .identifier("_") }) { return "uses _, the prompt's last value" }
        let parsed = Parser.parse(SourceFile(name: "<entry>", text: entry))
        if parsed.program.statements.count == 1, case .expression = parsed.program.statements[0],
            !tokens.contains(where: { $0.kind == .symbol(.leftParen) })
        {
            return "shown at the prompt"
        }
        return nil
    }

    /// The recipe for the statements that ran, oldest first: a header naming the variables to set,
    /// then each statement; those that only showed a value, used `_` or ended the session are
    /// comments. Returns the text and how many statements it runs.
    public static func text(_ entries: [String], target: String, date: Date = Date()) -> (text: String, statements: Int)
    {
        var body: [String] = []
        var variables: [String] = []
        var statements = 0
        for entry in entries {
            let (redacted, needed) = redacting(entry)
            for variable in needed where !variables.contains(variable) { variables.append(variable) }
            if let reason = reasonToComment(redacted) {
                body.append(
                    "# (\(reason)) "
                        + redacted.split(separator: "\n", omittingEmptySubsequences: false)
                        .joined(separator: "\n#   "))
            } else {
                body.append(redacted)
                statements += 1
            }
        }
        let stamp = ISO8601DateFormatter().string(from: date)
        var header = ["# Saved from a gpus REPL session (\(target)) at \(stamp)."]
        if !variables.isEmpty {
            header.append(
                "# Secrets are read from the environment: set \(variables.joined(separator: ", ")) before running.")
        }
        return ((header + body).joined(separator: "\n") + "\n", statements)
    }
}
