import Console
import Foundation
import Testing

/// `:save` writes a recipe that runs; history and recipes never keep a secret.
@Suite struct RecipeTests {
    @Test func secretsComeFromTheEnvironment() {
        let (text, variables) = Recipe.redacting(
            #"credentials.create(name: "hub", username: "me", password: "hunter2")"#)
        #expect(text == #"credentials.create(name: "hub", username: "me", password: env("PASSWORD"))"#)
        #expect(variables == ["PASSWORD"])
        let map = Recipe.redacting(#"let t = {webhookAuthKey: "k-1", apiToken: "t", name: "keep"}"#)
        #expect(
            map.text == #"let t = {webhookAuthKey: env("WEBHOOK_AUTH_KEY"), apiToken: env("API_TOKEN"), name: "keep"}"#)
        #expect(Recipe.redacting("print(\"password: x\")").variables.isEmpty, "text inside a string is not a name")
    }

    @Test func whatOnlyShowedAValueOrEndedTheSessionBecomesAComment() {
        let entries = [
            "let x = 41", "x", "x + 1", "print(x)", "let y = _", "vms.list()", "exit 0",
            "if x > 1 {\n  print(\"big\")\n}",
        ]
        let recipe = Recipe.text(entries, target: "sandbox", date: Date(timeIntervalSince1970: 0))
        #expect(
            recipe.text == """
                # Saved from a gpus REPL session (sandbox) at 1970-01-01T00:00:00Z.
                let x = 41
                # (shown at the prompt) x
                # (shown at the prompt) x + 1
                print(x)
                # (uses _, the prompt's last value) let y = _
                vms.list()
                # (ended the session) exit 0
                if x > 1 {
                  print("big")
                }

                """)
        #expect(recipe.statements == 4)
    }
}
