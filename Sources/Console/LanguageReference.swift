// Generated from docs/language.md by LanguageReferenceTests (GPUS_UPDATE_DOCS=1 swift test
// --disable-xctest --filter LanguageReference): do not edit by hand.

/// The language's reference, docs/language.md, in the binary: `gpus mcp` serves it to agents as
/// the resource gpus://docs/language.
public enum LanguageReference {
    public static let markdown = #"""
        # The gpus language

        A small language for provisioning recipes and interactive exploration: one statement per line,
        familiar expressions, cleanup that always runs, waits that neither hang nor give up early. This page
        is the reference for the language core (`Sources/Language`); the cloud built-ins (`vms`, `pods`, …)
        are added by the cloud library and documented in `docs/builtins.md` when they land.

        ```sh
        gpus recipe.gpus arg1 arg2      # run a file; args == ["arg1", "arg2"]
        gpus run recipe.gpus arg1       # the same; --cleanup deletes what it created, --parallelism N
        gpus -e 'print(1 + 2)'          # run code from the command line
        gpus check recipe.gpus …        # parse and resolve without running or touching the network
        gpus plan recipe.gpus           # what it would create, change and delete, and its $/h, without doing it
        ```

        `gpus check` reports syntax errors, undeclared variables, unknown built-ins and namespace functions
        (`'pods' has no function 'crate'; did you mean 'pods.create'?`) and unknown named arguments of
        built-ins and of methods (`'vms.create' has no parameter 'vmTypId'; did you mean 'vmTypeId'?`),
        keys, types, allowed values and documented limits inside the arguments of the calls that reach the
        API (`'resources[0]' of 'endpoints.create' has no key 'gpuTyp'`), and the names other tools use
        (`help("aliases")`), each with line, column and caret; exit code 65 when anything is found. The
        same checks run before every program; what is computed is checked, with the same words, when the
        call runs (docs/cli.md, `gpus check`).

        ## Exit codes

        | code | meaning |
        |---|---|
        | 0 | success (or `exit 0`) |
        | 1 | runtime error (uncaught), or a deferred statement failed |
        | 2 | API error (uncaught) |
        | 3 | a `wait until` timed out (uncaught) |
        | 4 | `gpus run --cleanup` could not delete everything the run created |
        | 64 | usage: bad flags, unreadable file |
        | 65 | syntax or resolution errors: nothing ran |
        | 129, 130, 143 | interrupted by SIGHUP, SIGINT (Ctrl-C) or SIGTERM (128 + the signal); deferred statements ran |
        | N | `exit N` in the program wins |

        ## Lexical structure

        - `#` starts a comment to the end of the line; a `#!` first line is ignored. Windows line ends (CRLF)
          and old Mac ones (a lone CR) read as newlines (a `\` before one continues the line; a multi-line
          string holds "\n").
        - Statements end at a newline or `;`. A statement continues on the next line inside `()`, `[]` and
          map `{}`, after a binary operator, `,`, `->` or `=`, and after a `\` at the end of a line. A
          statement that ends with a block (`}`) may be followed by another on the same line.
        - Literals: `null`, `true`, `false`; integers (64-bit, `_` separators: `1_000_000`); floats (`2.5`,
          `1e3`); durations (`250ms`, `30s`, `5m`, `2h`, `1d`, `1h30m`, `1.5s`: whole milliseconds, exact up
          to 9223372036854775807ms, a fraction rounded to the nearest millisecond); strings `"…"` with escapes
          `\n \t \r \0 \\ \" \$` and interpolation `${expression}` (strings may span lines); lists `[a, b]`;
          maps `{key: value, "quoted key": value}` (at the start of a statement too: a block never starts with
          `name:`); ranges `1..8` (inclusive) and `0..<n` (exclusive).
        - Names: ASCII letters, digits and `_`, not starting with a digit. Keywords: `let fn if else while
          for in break continue return try catch throw defer wait exit true false null and or not`;
          `until`, `timeout`, `every` and `parallel` are keywords only where the grammar expects them.

        ## Grammar

        The productions are the parser's doc comments (a test checks that each one is here).

        ```ebnf
        program → statement* EOF
        statement → letStatement | fnDeclaration | ifStatement | whileStatement | forStatement | "break" | "continue" | returnStatement | tryStatement | throwStatement | deferStatement | waitStatement | exitStatement | block | expressionStatement
        block → "{" statement* "}"
        letStatement → "let" IDENT "=" expression
        fnDeclaration → "fn" IDENT parameters block
        parameters → "(" (parameter ("," parameter)* ","?)? ")" ; parameter → IDENT ("=" expression)?
        ifStatement → "if" expression block ("else" (ifStatement | block))?
        whileStatement → "while" expression block
        forStatement → "for" IDENT ("," IDENT)? "in" expression block
        returnStatement → "return" expression?
        tryStatement → "try" block "catch" IDENT? block
        throwStatement → "throw" expression
        deferStatement → "defer" statement
        waitStatement → "wait" "until" expression ("timeout" expression)? ("every" expression)?
        exitStatement → "exit" expression?
        expressionStatement → expression (("=" | "+=" | "-=" | "*=" | "/=") expression)?
        expression → lambda | conditional
        conditional → orExpression ("?" expression ":" expression)?
        lambda → (IDENT | "(" IDENT ("," IDENT)* ")") "->" expression
        orExpression → andExpression ("or" andExpression)*
        andExpression → notExpression ("and" notExpression)*
        notExpression → "not" notExpression | comparison
        comparison → range (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") range)?
        range → additive ((".." | "..<") additive)?
        additive → multiplicative (("+" | "-") multiplicative)*
        multiplicative → unary (("*" | "/" | "%") unary)*
        unary → "-" unary | postfix
        postfix → primary ("(" arguments? ")" | "." IDENT | "[" expression "]")*
        arguments → argument ("," argument)* ","? ; argument → (IDENT ":")? expression
        primary → literal | IDENT | "(" expression ")" | list | map | parallelFor | "fn" parameters block
        parallelFor → "parallel" "for" IDENT "in" expression block
        list → "[" (expression ("," expression)* ","?)? "]"
        map → "{" (key ":" expression ("," key ":" expression)* ","?)? "}" ; key → IDENT | STRING
        ```

        A `{` where a statement starts is a block; where an expression is expected, a map.

        Two limits keep the parser (and `gpus check`) within its stack on any input: blocks, statements
        (`defer defer …`), parentheses, lists and maps nest at most **200** levels deep (`too deeply nested
        (more than 200 levels)`), and one expression holds at most **1,000** operators, calls or nested levels
        (`expression too long (more than 1000 operators, calls or nested levels in one expression)`): split
        a longer one with a variable. (Python's own limit lies between 2,000 and 5,000 terms.)

        ## Values

        | type | examples | notes |
        |---|---|---|
        | `null` | `null` | |
        | `bool` | `true` | |
        | `int` | `42`, `-1_000` | 64-bit; overflow is an error |
        | `float` | `2.5`, `1e-3` | |
        | `string` | `"vm ${name}"` | `s[i]` is a character; negative indexes count from the end |
        | `duration` | `90s`, `1h30m` | prints as `1m30s`; `d.seconds`, `d.minutes`, `d.hours`, `d.ms` |
        | `status` | `running` | a predeclared status word (below) |
        | `list` | `[1, "a"]` | shared and mutable (like Python) |
        | `map` | `{a: 1}` | string keys, insertion order; `m.key` and `m["key"]`; a missing key read with `.` is an error, with `[]` null |
        | `time` | `now()`, `time("2026-12-01T09:30:00Z")`, `p.createdAt` | a point in time (milliseconds since 1970, UTC); prints as ISO 8601 (`2026-12-01T09:30:00Z`); `t2 - t1` is a duration, `t ± 5m` a time, times compare; `t.epochMs`, `t.iso` |
        | `range` | `1..3`, `0..<n` | iterates lazily, whatever its size; may end at the largest int (`(mx - 1)..mx` holds 2 ints) |
        | `function` | `x -> x * 2`, `fn(a) { … }` | closures capture variables (by reference) |
        | `error` | `catch e` | `e.message`, `e.code`, `e.kind`, `e.value` |
        | records | `VM`, `Pod`, … | types the host defines; reading a field the type lacks is an error with a suggestion |

        **Truthiness**: `null`, `false`, `0`, `0.0`, `""`, `[]` and `{}` are false; everything else is true.

        **Operators**: `+ - * / %` on ints and floats (`7 / 2` is `3.5`, `10 / 2` is `5`; `%` takes the sign of
        the divisor); `+` joins strings and lists; durations add, subtract, scale by numbers and divide
        (`1m / 30s` is `2.0`). `== !=` compare by value (lists and maps deeply; ints equal floats of the same
        value, compared exactly: `9007199254740993 == 9007199254740992.0` is false); `< <= > >=` order
        numbers, strings, durations and times (mixing types is an error, and booleans are not ordered:
        `true < false`, `[true, false].sort()` and `max(true, false)` are errors); `in` / `not in` test
        membership in lists, map keys, substrings (the empty string is in every string, at position 0) and
        ranges. `time("2026-02-30")` — a date that does not exist, or a leap second — is an error, never
        rolled over. A function passed to a built-in that talks to the cloud is an error (it would be sent
        as its name). Comparisons do not chain: `1 < 2 < 3` is a syntax error that says to
        write `1 < 2 and 2 < 3` (or to add parentheses). `and`/`or` short-circuit and return an
        operand; `not` negates truthiness. `condition ? this : that` is the conditional expression: the
        condition is read for its truthiness and only the chosen side is evaluated; it binds more loosely
        than `or` (`a or b ? x : y` is `(a or b) ? x : y`) and nests to the right (`n > 9 ? "big" : n > 1 ?
        "mid" : "small"`); a line may end after `?` or `:`; a lambda's body may be one (`x -> x > 0 ? x :
        -x`). Arithmetic never wraps or traps: an int or duration result out
        of range (`(-9223372036854775807 - 1) / -1`, `1s * 1e300`), `round` or `sleep` of a number no int
        or duration can hold, and `len` of a range of more than 2^63 ints are errors a program can catch.
        A list or map may contain itself: it prints with `…` beyond 20 levels; `==` treats values nested
        deeper than 1,000 levels as unequal (so `a == a` is true, but two distinct self-containing lists are
        not equal — where Python raises RecursionError); `json` refuses values nested deeper than 500
        levels, and infinities and NaN, with an error. A string may hold up to 2^28 bytes (256 MiB) and a
        list up to 2^26 items: growing past that (`+`, `repeat`, `append`, `extend`) is an error raised
        before the memory is taken.

        **Status words**: `running initializing initialize stopped stopping terminated terminating paused
        pausing failed active creating resizing deleting processing delivered success maxRetriesExceeded`.
        Comparing a status word with a string ignores case and underscores, so `pod.status == running` holds
        for `RUNNING` and `running`, and `maxRetriesExceeded` matches `MAX_RETRIES_EXCEEDED`.

        ## Statements

        - `let x = expr` declares in the current block; `x = expr` (and `+= -= *= /=`) assigns an existing
          variable, field or element. `xs += ys` extends the list `xs` in place (every variable holding it
          sees the items, as in Python); `s += t` appends to a string without copying it when no other
          variable holds it (building a string in a loop is linear, not quadratic). The right side is
          evaluated first, and the target's container once (`get().n += 1` calls `get` once). An undeclared name is an error before anything runs, with a
          suggestion: `undeclared variable 'cout'; did you mean 'count'?`. Declaring a name twice in one
          block is an error; an inner block may shadow.
        - `if` / `else if` / `else`, `while`, `for x in xs`, `for i, x in list` (index and item),
          `for k, v in map`; `for` walks lists, ranges, map keys and string characters. `break`, `continue`.
        - `fn name(a, b = default) { … }` declares a function visible in its whole block and callable from
          its start (functions can call each other in any order, and a program may call a function declared
          below the call). The variables a function reads must be declared **above the function** — not only
          before it is called, as Python allows: so a read of a variable that does not exist yet is found by
          `gpus check` instead of failing in the middle of a run (`fn f() { return later }` before `let later`
          is `undeclared variable 'later'`); `return [expr]`.
          A `let` is not visible in its own value: `let fact = fn(n) { … fact(n - 1) }` is an error whose
          message says to write `fn fact(n) { … }`. Calls take positional and `name:` arguments. Lambdas:
          `x -> expr`, `(a, b) -> expr`, `() -> expr`; `fn(params) { block }` is an anonymous function.
          Functions are closures; each loop iteration has its own variables.
        - `try { … } catch e { … }` catches runtime errors (not `exit` or Ctrl-C). `throw "message"`,
          `throw {message: "…", code: 24000}`, `throw e` (re-raise: the same error, with its `kind`, code and
          exit status — an API error rethrown still ends the program with exit code 2, a wait timeout with 3),
          `throw error("message", code)`.
        - `e.kind` is one of a fixed set of words (the same `kind` `--json` and `gpus mcp` report):
          `runtime` (the language's own: a bad operand, an index out of range), `user` (`throw`, `error()`),
          `argument` (a wrong type, an unknown key, a missing argument), `validation` (a documented limit,
          found before sending), `api` (the API refused: `e.code` is its business code), `transport` (not
          sent, or the answer lost), `timeout` (a wait ran out), `waitFailed` (what a wait waited on cannot
          reach the state any more), `ledger` (the run ledger could not record a create: nothing was sent),
          `ambiguous` (several resources could be the one meant), `drift` (`ensure` found it different),
          `dependency` (a delete waited for what uses the resource, in vain), `limit` (a limit of the run
          was reached); before running, `syntax` and `check`; and `gpus mcp`'s tool errors `interrupted`,
          `ended`, `plan`, `readOnly`.
        - `defer statement` runs when the enclosing function (or the script) ends — normally, by an error,
          by `exit`, by Ctrl-C, SIGTERM or SIGHUP — last in, first out. An error inside a deferred statement
          is reported at its own line and the other deferred statements still run; when the function is
          ending by an error, that (root) error is reported first and the deferred statements' errors after
          it. A program whose deferred statement failed does not exit 0. `exit` inside a deferred statement
          exits once the other deferred statements have run. Deferred statements read variables when they
          run — their own iteration's, in a loop (`for i in 0..<3 { defer print(i) }` prints 2, 1, 0 when the
          function ends).
        - `wait until condition [timeout D] [every D]` re-checks the condition until it holds: first at
          once, then after 1 s, backing off ×1.5 up to `every` (default 10 s). The default timeout is 30
          minutes. A timeout is a catchable error of kind `timeout` whose message names the condition, the
          values of the variables it reads and the elapsed time:
          `timed out after 5s waiting for 'state == "done"' (state = "pending")`. Before each check, a host
          library may refresh the variables the condition reads (the cloud library refreshes resource records
          and fails the wait at once when a record reaches a failure state the condition does not mention —
          unless the condition is already true). Errors of a wait point at the wait's line. Ctrl-C stops a
          wait.
        - `parallel for x in xs { body }` is an expression: it runs the iterations concurrently (8 at a time
          by default; `gpus run --parallelism N` changes it — with the cloud built-ins that bounds the API
          requests in flight, and the client's retries slow down on 429 and `Retry-After`), and returns the list of each body's last value in input order. The first error
          cancels the other iterations and is raised once they have stopped. Each worker thread reserves a
          large stack; where an address-space limit (`ulimit -v`) lets fewer start, fewer run at once, and
          with none the iterations run one after another — the result is the same.
        - `exit [code]` ends the program (deferred statements run); `exit` alone is `exit 0`. A code is 0 to
          255 (a process status is one byte: `exit 256` would end as a success, so it is an error).

        ## The cloud

        With the cloud library (what `gpus` runs), programs have the namespaces `vms`, `pods`, `endpoints`,
        `volumes`, `credentials` and `gpus`, and records (`VM`, `Pod`, `Endpoint`, `Worker`, `Task`,
        `Volume`, `Credential`, `VMType`, `GPU`) with every field of their data-model type and methods for
        their actions; `docs/builtins.md` lists them all. Every `…At` field is a `time` whatever form the
        API sends (ISO 8601 on VMs and endpoints, epoch milliseconds on pods, tasks and volumes), and
        prices, costs and sizes (`singleCardPrice`, `perHourPrice`, `cost`, `memoryInGb`, …) are numbers even
        where the API sends text — so a janitor can write `now() - p.createdAt > 2h`. Named arguments are the
        API's field names:

        ```
        let vm = vms.create(name: "trainer", vmTypeId: 101, region: "us-east-1")
        let ep = endpoints.ensure(name: "embedder", image: "acme/embed:1.2", serviceMode: "QUEUE",
                                  resources: [{region: "us-east-1", gpuType: "NVIDIA_A100_80G", gpuCount: 1}],
                                  workers: 2, containerVolumeInGb: 20)
        let task = ep.submit(input: {text: "alpha"}, workerPort: 8000, processUri: "/embed")
        ```

        - The target: the real API when `YOTTA_API_KEY` is set (`YOTTA_BASE_URL` for another host), else the
          embedded sandbox (`docs/sandbox.md`).
        - Errors from the API are catchable: `e.kind` is `api` (with `e.code`, the business code, and
          `e.message` naming the operation and resource: `vms.get 42: VM not found (code 11000)`),
          `validation` (a documented constraint, caught before sending) or `transport`.
        - `ensure(name:, …)` returns the live resource of that kind with that name, or creates it, so a
          recipe can run twice and create nothing the second time; two live resources with the name is an
          error that lists their ids. Concurrent runs ensuring one name create it once (a lock from the
          lookup to the recorded create; across machines with a team ledger, docs/team.md). When the
          resource found differs from the call in fields the API returns, `ensure` fails listing the
          differences (`gpuCount: 1 → 4`; `e.kind` is `drift`, `e.differences` a list of
          `{field, have, want}`), unless `onDrift: "keep"` (use it as it is) or `onDrift: "replace"`
          (delete it and create it anew).
        - Every create and ensure also takes `ttl:` (a duration: past it, the run — or once the run is
          gone, `gpus keeper` — deletes the resource) and `keep: true` (`--cleanup` leaves it); docs/runs.md,
          "Limits, time to live and the keeper".
        - Every create is recorded in the run ledger before it is sent (docs/runs.md); `delete()` and
          `terminate()` of something that no longer bills (already terminated, failed, or not found) succeed.
        - Lists (`vms.list()`, `ep.tasks()`, `worker.logs()`) follow every page.
        - **Names mean live resources.** `vms.list()`, `pods.list()`, `endpoints.list()` and
          `volumes.list()` show what bills or can come back (a paused pod, a stopped endpoint) and hide
          what is gone — a VM terminated; a pod terminating, terminated or failed; an endpoint terminated
          or failed; a volume being deleted. `all: true` shows those too, and so does asking for a status
          (`pods.list(status: "terminated")`). `ensure`, the one-line commands' names (`gpus pods delete
          web`) and completion consider only live resources; a `get` by id reaches everything.
        - **Records stay true.** A record of a resource is one object however many variables (or lists)
          hold it. `x.refresh()` updates `x` in place, and returns it; so do the methods that return the
          resource (`rename`, `update`); the methods that change it (`pause`, `resume`, `start`, `stop`,
          `scale`, `resize`) read it again and update it (`p.pause()` then `p.status` is `PAUSING`); a
          `wait until` updates every record it watched. Deletes do not read the resource again (a fleet's
          teardown would make twice the calls): `x.refresh()` shows its state after one. The REPL
          shows the age of a record it prints that was read more than 5 s ago (docs/repl.md).
        - **By id or by name.** `vms.get`, `pods.get`, `endpoints.get`, `volumes.get` and `credentials.get`
          take an id (an int, or a string of digits) or the name of a live resource: `pods.get("trainer")`.
          Two live resources of that name is an error that lists their ids; none is the not-found API error
          a missing id of the kind gets (`e.kind == "api"`, `e.code` 13000 for a pod, 11000 a VM, 14000 an
          endpoint, 10007 a volume or credential; exit 2): `no live Pod is named 'x' (and it is not an id)`.
          The command line (`gpus pods delete trainer`) and `gpus mcp` look resources up the same way.
        - `print` shows a record as aligned fields and a list of records as a table; `vms.types()` as a
          row per GPU type and region (`vmTypeId` is the id `vms.create` takes; prices are in
          `gpus.offers()`). A worker's log lines are `LogLine` records (`timestamp` a time, `log`,
          `offset`) that print as lines, time then text. `p.metrics("gpu")` is a `Metric` record (`metric`,
          `name`, `unit`, `series`, `latestTotal`) whose `series` are `Series` records (`labels`, `points`
          — a list of `{time, value}` —, `min`, `max`, `last`); it prints a sparkline per series with its
          range and last value (bytes as KiB/MiB/GiB): `{pod=…,step=30s}  ▁▃▅█▇▆  min 21.8  max 97.2  last
          45.0  (120 points)`.
        - Environment variables (`environmentVars:`) are given as a map of string to string
          (`{HF_HOME: "/data"}`) or as the API's list of `{key, value}`.
        - A VM's `isSpot:` is the API's `0`/`1` or a boolean (`isSpot: true` is sent as `1`).

        ### Waiting on resources

        `wait until` refreshes every record its condition reads before each check and updates the
        records in place, so every variable and list holding them sees the fresh fields: after `wait until
        vm.status == running`, `vm.ipAddress` is set. Several
        records of one kind are refreshed with one list call (`wait until fleet.all(p -> p.status ==
        running)` makes one `GET /v2/pods` per round, whatever the fleet's size); a single record with one
        get. Rate limiting (429, `Retry-After`) slows the polling down instead of failing it (the client
        waits and retries). The wait fails at once — unless its condition is true with the fresh records — when a record
        reaches a failure state that the condition does not mention (a VM `terminated` or `stopped`, a pod `failed` or `terminated`, an
        endpoint `failed` or `stopped`, a task `failed`, a volume `error`):
        `VM 'trainer' (914…) is terminated after 12s: 'vm.status == running' cannot become true`.
        While it waits, stderr shows the elapsed time and how many records are in each state: a status
        line on a terminal, a line every 15 s in a log (docs/cli.md).

        ### Cleaning up

        - `defer vm.terminate()` runs when the script ends, however it ends: error, `exit`, Ctrl-C.
        - The session keeps a ledger of every resource it created (kind, id, name, time). `gpus run
          --cleanup FILE` deletes all of it after the run, whatever the outcome: endpoints are stopped then
          deleted, pods and VMs deleted, then volumes (once unmounted) and credentials.
        - When a create's response is lost (a timeout, a broken connection), the create may still have
          happened: the resource is looked up by name and recorded, so it is not left untracked.

        ## Built-in functions

        | function | |
        |---|---|
        | `print(a, b, …)` | prints the values separated by spaces (strings without quotes) |
        | `len(x)` | items of a list, map, string or range |
        | `str(x)`, `int(x)`, `float(x)`, `type(x)` | conversions; the type name |
        | `json(x)`, `parseJson(s)` | JSON text out and in: map keys in their order both ways, integers exact, floats stay floats (`json(1.0)` is `1.0`, `parseJson("1.0")` a float), durations as text (`"1h30m"`), records with their type's fields first; deeper than 500 levels, a value containing itself, `inf`, `nan` and functions are errors. The same conversion writes `--json` output and the cloud built-ins' request bodies |
        | `sleep(d)`, `now()`, `monotonic()` | wait; the current time (wall clock, a `time`); the time since the program started as a duration, from a clock that never jumps (for measuring) |
        | `time(x)` | a time from ISO 8601 text (`"2026-12-01"`, `"2026-12-01T09:30:00.5+02:00"`; UTC when no offset is given) or milliseconds since 1970 |
        | `env(name, default)`, `args` | an environment variable — an unset one without a default is an error naming it (a misspelt `env("HF_TOKNE")` stops the recipe instead of sending null; `env("X", null)` gives null); the program's arguments |
        | `min(…)`, `max(…)`, `abs(x)`, `round(x, decimals)` | `round(x)` is an int; `round(x, 2)` a float with 2 decimals; `round(1234.5, -2)` is `1200.0` (`1200` for an int) |
        | `range(n)`, `range(a, b)` | `0..<n`, `a..<b` |
        | `error(message, code)` | an error value to throw |
        | `help(x)` | what a function (its signature with types, and each parameter's shape, unit or allowed values), namespace (`vms` or `"vms"`), a namespace's function (`vms.create`), a type or record kind (`"list"`, `Pod` or `"Pod"`: every field with its meaning and unit, the methods with their parameters, the kind's status words), a method (`"Pod.delete"`), a status word (`running`: which kinds have it) or a value offers |

        **Methods** (`help("list")` lists them): lists — `len`, `isEmpty`, `first`, `last` (also readable
        without parentheses), `append`, `extend`, `insert`, `pop`, `remove`, `contains`, `indexOf`, `map`,
        `filter`, `find`, `all`, `any`, `count`, `sum`, `sort` (in place; `sort(p -> p.name)` by key or
        `sort((a, b) -> a > b)` by comparison), `reverse`, `slice`, `join`, `copy`, `unique`. Maps — `len`,
        `isEmpty`, `keys`, `values`, `get`, `contains`, `remove`, `entries`, `copy`. Strings — `len`,
        `isEmpty`, `upper`, `lower`, `trim`, `startsWith`, `endsWith`, `contains`, `split`, `replace`,
        `indexOf`, `slice`, `repeat`, `chars` (`split`, `replace` and `in` find text wherever its characters
        occur, even inside a character: `"a\r\nb".split("\n")` is `["a\r", "b"]`). Durations — `ms`, `seconds`, `minutes`, `hours`. Ranges —
        `len`, `isEmpty`, `first`, `last`, `list`, `contains`, `map`, `filter`, `all`, `any`, `find`, `sum`,
        `join`, `count`. A function given to `map`, `filter`, `find`, `all`, `any`, `count` may take
        `(item, index)`.

        Argument errors read the same everywhere: `bad argument 'text' to 'string.startsWith' (string
        expected, got int)`, `'round' has no parameter 'digits'`, `missing argument 'new' to 'string.replace'`.

        ## Diagnostics

        ```
        recipe.gpus:2:30: error: ')' expected (to close '(' at 2:20), found end of input
        2 | let vm = vms.create(name: "a"
          |                              ^
        ```

        Every syntax and resolution error of a file is reported before anything runs, one per statement.
        Runtime errors show where the program stopped and the user functions it was in (`= in deploy`). A run
        of identical frames is one line and a count (`= [previous frame repeated 1,998 more times]`, as Python
        does), and a stack deeper than a screenful shows its 13 innermost and 6 outermost lines with the number
        left out between them.
        Colour only on a terminal (and never with `NO_COLOR`).

        ## Embedding

        A host (the cloud library, the REPL) registers built-ins through `Library`: `register(Builtin)`
        for functions and namespaced functions (`vms.create`), `registerMethod(_:on:property:)` for methods,
        `register(RecordType)` for record types, `define(name, value)` for constants. A `Builtin` declares its
        name, summary and parameters once; its body is `sync` (runs on the interpreter thread, may call back
        into the program) or `async` (runs off it; cancellation reaches it). `Arguments` is the one checking
        helper (`arguments.int("gpuCount")`, …). `Interpreter.run` runs a program; `Interpreter.check`
        parses and resolves without running; `Parser.parse(…).isIncomplete` tells a REPL to read another
        line; `Interpreter.Session` evaluates REPL entries that share their top-level variables (a bare
        expression's value is returned and kept in `_`; an entry with errors declares nothing). A
        `WaitHook` refreshes what `wait until` reads.

        How it runs: the program is parsed, then compiled once to closures over frames, with variables
        resolved to slots and captured variables boxed (a walk over the syntax tree finds them first), and
        runs on a thread of its own, each call's frame pushed and popped in the thread's frame memory.
        Async built-ins (the cloud's, `sleep`) and the `wait until` hook run without the interpreter lock,
        so they get copies of their arguments made while it is held, as `SendableValue`s — plain data the
        compiler checks can cross threads. A value that contains itself, nests more than 500 levels or holds
        more than 1,000,000 values cannot be copied: the call (or the wait) fails with an error that says so
        (`an argument that contains itself cannot be passed to 'vms.create'`, `cannot wait on 'xs': it
        contains itself`). Async built-ins run as Swift tasks
        while the interpreter thread waits; `parallel for` iterations run on several interpreter threads
        that take turns under one lock, releasing it while they wait.

        """#
}
