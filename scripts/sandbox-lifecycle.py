#!/usr/bin/env python3
"""Drive the full lifecycle of every resource kind against a Yotta v2 API (the gpus sandbox or
the real one), using only what Yotta's docs say: paths, the X-Api-Key header, the
{message, code, data} envelope. Standard library only.

    gpus sandbox serve --speed 200 &
    scripts/sandbox-lifecycle.py http://127.0.0.1:8787 sandbox
"""
import json
import sys
import time
import urllib.error
import urllib.request

BASE, KEY = sys.argv[1].rstrip("/"), sys.argv[2]


def call(method, path, body=None, expect=10000):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("X-Api-Key", KEY)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            envelope = json.load(response)
    except urllib.error.HTTPError as error:
        envelope = json.load(error)
    if envelope["code"] != expect:
        raise SystemExit(f"{method} {path}: expected code {expect}, got {envelope}")
    return envelope["data"]


def wait(path, field, wanted, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = call("GET", path)
        if (value.get(field) if isinstance(value, dict) else None) in wanted:
            return value
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {path} {field} in {wanted}")


def step(text):
    print(f"ok  {text}")


# Credentials
cred = call("POST", "/v2/container-registry-auths", {"name": "hub", "username": "me", "password": "pw"})
assert "password" not in cred
call("PATCH", f"/v2/container-registry-auths/{cred['id']}", {"password": "new"})
assert any(c["id"] == cred["id"] for c in call("GET", "/v2/container-registry-auths"))
step("credential created, updated, listed")

# VMs
types = call("GET", "/v2/vms/types")
offer = next(r for t in types for r in t["regions"] if r["available"])
vm = call("POST", "/v2/vms", {"vmTypeId": offer["vmTypeId"], "region": offer["region"], "name": "trainer"})
assert vm["status"] == "initializing"
vm = wait(f"/v2/vms/{vm['id']}", "status", ["running"])
assert vm["sshTemplate"].startswith("ssh ")
call("PATCH", f"/v2/vms/{vm['id']}", {"name": "trainer-2"})
assert call("GET", "/v2/vms?page=1&size=10&status=running")["total"] >= 1
assert call("DELETE", f"/v2/vms/{vm['id']}") is True
call("DELETE", f"/v2/vms/{vm['id']}", expect=11001)
step("VM created, running, renamed, terminated")

# Volumes
vol = call("POST", "/v2/volumes", {"name": "data", "storageType": "CEPH", "region": "us-east-1", "sizeInGb": 10})
wait(f"/v2/volumes/{vol['id']}", "status", ["active"])
call("POST", f"/v2/volumes/{vol['id']}/resize", {"sizeInGb": 20})
assert wait(f"/v2/volumes/{vol['id']}", "status", ["active"])["sizeInGb"] == 20
call("POST", f"/v2/volumes/{vol['id']}/name", {"name": "data2"})
step("volume created, resized, renamed")

# Pods, with the credential and the volume
pod = call("POST", "/v2/pods", {"name": "worker", "image": "pytorch/pytorch:latest", "gpuType": "NVIDIA_RTX_4090_24G",
                                "gpuCount": 1, "containerRegistryAuthId": cred["id"],
                                "persistentVolumes": [{"volumeId": vol["id"], "mountPath": "/data"}]})
wait(f"/v2/pods/{pod['id']}", "status", ["RUNNING"])
assert len(call("GET", "/v2/pods?statusList=RUNNING&regionList=us-east-1,us-east-2,us-west-1,us-west-2,us-central-3,ap-southeast-1")) >= 1
call("GET", f"/v2/metrics/gpu/pods/{pod['id']}")
call("DELETE", f"/v2/container-registry-auths/{cred['id']}", expect=25002)
call("DELETE", f"/v2/volumes/{vol['id']}", expect=12001)
call("POST", f"/v2/pods/{pod['id']}/pause")
wait(f"/v2/pods/{pod['id']}", "status", ["PAUSED"])
call("POST", f"/v2/pods/{pod['id']}/resume")
wait(f"/v2/pods/{pod['id']}", "status", ["RUNNING"])
call("DELETE", f"/v2/pods/{pod['id']}")
wait(f"/v2/pods/{pod['id']}", "status", ["TERMINATED"])
call("DELETE", f"/v2/container-registry-auths/{cred['id']}")
call("DELETE", f"/v2/volumes/{vol['id']}")
step("pod created, running, paused, resumed, deleted; credential and volume freed and deleted")

# Endpoints, workers, tasks, logs
ep = call("POST", "/v2/serverless", {"name": "embedder", "image": "acme/embed:1.2", "serviceMode": "QUEUE",
                                     "resources": [{"region": "us-east-1", "gpuType": "NVIDIA_A100_80G", "gpuCount": 1}],
                                     "workers": 2, "containerVolumeInGb": 20, "expose": {"port": 8000, "protocol": "http"}})
assert isinstance(ep["id"], str)
wait(f"/v2/serverless/{ep['id']}", "status", ["RUNNING"])
task = call("POST", f"/v2/serverless/{ep['id']}/tasks", {"taskId": "job_1", "input": {"text": "alpha"},
                                                          "workerPort": 8000, "processUri": "/embed"})
assert task["taskId"] == "job_1"
done = wait(f"/v2/serverless/{ep['id']}/tasks/job_1", "status", ["SUCCESS", "FAILED"])
assert done["status"] == "SUCCESS" and done["output"]["echo"] == {"text": "alpha"}
assert call("GET", f"/v2/serverless/{ep['id']}/tasks?pageNumber=1&pageSize=10")["total"] == 1
assert call("GET", f"/v2/serverless/{ep['id']}/tasks/count")["processing"] == 0
workers = call("GET", f"/v2/serverless/{ep['id']}/workers")
logs = call("GET", f"/v2/serverless/{ep['id']}/workers/{workers[0]['workerId']}/logs?pageSize=2")
assert len(logs["logs"]) == 2 and logs["hasMore"]
call("PUT", f"/v2/serverless/{ep['id']}/workers?count=3")
call("DELETE", f"/v2/serverless/{ep['id']}", expect=24002)
call("POST", f"/v2/serverless/{ep['id']}/stop")
wait(f"/v2/serverless/{ep['id']}", "status", ["STOPPED"])
call("PATCH", f"/v2/serverless/{ep['id']}", {"name": "embedder", "workers": 1, "containerVolumeInGb": 30,
                                             "resources": [{"region": "us-east-1", "gpuType": "NVIDIA_A100_80G", "gpuCount": 1}]})
call("POST", f"/v2/serverless/{ep['id']}/start")
wait(f"/v2/serverless/{ep['id']}", "status", ["RUNNING"])
call("POST", f"/v2/serverless/{ep['id']}/stop")
wait(f"/v2/serverless/{ep['id']}", "status", ["STOPPED"])
call("DELETE", f"/v2/serverless/{ep['id']}")
call("GET", f"/v2/serverless/{ep['id']}", expect=14000)
step("endpoint created, running, task done, logs paged, scaled, stopped, updated, restarted, deleted")
print("all lifecycles passed")
