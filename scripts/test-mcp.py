"""`gpus mcp` under the official Python MCP client (run by scripts/test-mcp)."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

GPUS = sys.argv[1]
POD = {
    "name": "agent-pod",
    "gpuType": "NVIDIA_RTX_4090_24G",
    "gpuCount": 1,
    "regions": ["us-east-1"],
    "image": "nginx:latest",
}
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def gpus(*arguments):
    return subprocess.run([GPUS, *arguments], capture_output=True, text=True, timeout=120)


def live_pods():
    result = gpus("--json", "-e", "pods.list().map(p -> p.name)")
    return json.loads(result.stdout or "[]")


async def session_round():
    server = StdioServerParameters(command=GPUS, args=["mcp"], env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            info = await session.initialize()
            check(info.server_info.name == "gpus", "the server says it is gpus")
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            check({"offers", "pods_create", "pods_wait", "run_recipe", "eval", "plan", "check"} <= set(tools),
                  f"the tools are listed ({len(tools)})")
            check(tools["offers"].annotations.read_only_hint is True, "offers is read-only")
            check(tools["pods_delete"].annotations.destructive_hint is True, "pods_delete is destructive")
            check(tools["pods_create"].input_schema["properties"]["gpuType"]["type"] == "string",
                  "pods_create's schema comes from the declaration")

            offers = await session.call_tool("offers", {"gpuType": "NVIDIA_RTX_4090_24G", "sort": "price"})
            rows = offers.structured_content["result"]
            check(not offers.is_error and rows and all(r["gpuType"] == "NVIDIA_RTX_4090_24G" for r in rows),
                  "offers filters by GPU type")
            check([r["singleCardPrice"] for r in rows] == sorted(r["singleCardPrice"] for r in rows),
                  "offers sorts by price")

            progress = []

            async def on_progress(value, total, message):
                progress.append((value, message))

            created = await session.call_tool("pods_create", {**POD, "wait": True, "timeout": "5m"},
                                              progress_callback=on_progress)
            pod = created.structured_content.get("result") or {}
            check(not created.is_error and pod.get("status", "").upper() == "RUNNING",
                  f"pods_create with wait returns the pod running: {created.content[0].text[:120]}")
            check(isinstance(pod.get("id"), str), "ids are strings")
            check(len(progress) >= 1 and all(b[0] > a[0] for a, b in zip(progress, progress[1:])),
                  f"progress notifications while waiting, increasing ({len(progress)})")

            bad = await session.call_tool("pods_create", {**POD, "gpuCount": 3})
            check(bad.is_error and "must be a power of 2 from 1 to 8 (got 3)" in bad.content[0].text,
                  "a bad argument is a tool error with the checker's words")

            recipe = await session.call_tool("run_recipe", {
                "source": 'let p = pods.create(name: "from-recipe", gpuType: "NVIDIA_RTX_4090_24G", '
                          'gpuCount: 1, regions: ["us-east-1"], image: "nginx:latest")\n'
                          "wait until p.status == running timeout 5m\np.name",
            })
            check(not recipe.is_error and recipe.structured_content["result"] == "from-recipe",
                  "run_recipe runs a program")
            evaluated = await session.call_tool("eval", {"code": "let n = len(pods.list())\nn"})
            check(evaluated.structured_content.get("result") == 2, "eval sees both pods")
            again = await session.call_tool("eval", {"code": "n + 1"})
            check(again.structured_content.get("result") == 3, "eval's variables persist")
            check(sorted(live_pods()) == ["agent-pod", "from-recipe"], "both pods are live before disconnecting")
    # The client has disconnected: the server deletes what the session made, then exits.
    deadline = time.time() + 60
    while time.time() < deadline and live_pods():
        time.sleep(0.2)
    check(live_pods() == [], "nothing is left live after the client disconnects")


def killed_client_round(with_server):
    """A client killed mid-session: its server sees its input end and cleans up; killed with it
    (the machine lost), the session's run is an orphan that `gpus runs clean --orphans` removes."""
    child = subprocess.Popen([sys.executable, "-c", f"""
import asyncio, os, sys
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
async def main():
    server = StdioServerParameters(command={GPUS!r}, args=["mcp"], env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await session.call_tool("pods_create", {json.dumps(POD)!s})
            print("created", flush=True)
            await asyncio.sleep(3600)
import json
asyncio.run(main())
"""], stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    check(line.strip() == "created", "a client created a pod")
    check(live_pods() == ["agent-pod"], "its pod is live")
    if with_server:
        servers = subprocess.run(["pgrep", "-P", str(child.pid)], capture_output=True, text=True).stdout.split()
        check(len(servers) == 1, f"the client's server is found ({servers})")
        for pid in servers:
            os.kill(int(pid), signal.SIGKILL)
        child.send_signal(signal.SIGKILL)
        child.wait()
        time.sleep(0.5)
        check(live_pods() == ["agent-pod"], "the server killed with its client left the pod live")
    else:
        child.send_signal(signal.SIGKILL)
        child.wait()
        time.sleep(3)
    cleaned = gpus("runs", "clean", "--orphans")
    check(cleaned.returncode == 0, f"gpus runs clean --orphans: {cleaned.stdout}{cleaned.stderr}")
    deadline = time.time() + 60
    while time.time() < deadline and live_pods():
        time.sleep(0.2)
    check(live_pods() == [], "nothing is left live after the client was killed"
          + (" with its server" if with_server else ""))


asyncio.run(session_round())
killed_client_round(with_server=False)
killed_client_round(with_server=True)
if failures:
    print(f"test-mcp: {len(failures)} failure(s)", file=sys.stderr)
    sys.exit(1)
print("test-mcp: all passed")
