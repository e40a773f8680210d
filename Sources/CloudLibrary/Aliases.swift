import Language

/// The names people bring from yotta's Python SDK, Docker, Kubernetes and other clouds, and what
/// they mean here — the one table `gpus check`, the run-time errors and `help("aliases")` read.
/// A scope is a built-in (its parameters and the keys inside them), a record kind (its methods),
/// `status` (status words) or `*` (any parameter or key).
enum Aliases {
    static let table: [(scope: String, wrong: String, right: String)] = [
        // Parameters and keys, anywhere.
        ("*", "env", "environmentVars"), ("*", "envs", "environmentVars"), ("*", "environment", "environmentVars"),
        ("*", "envVars", "environmentVars"), ("*", "env_vars", "environmentVars"),
        ("*", "size", "sizeInGb"), ("*", "sizeGb", "sizeInGb"), ("*", "size_gb", "sizeInGb"),
        ("*", "disk", "containerVolumeInGb"), ("*", "diskSize", "containerVolumeInGb"),
        ("*", "volumes", "persistentVolumes"), ("*", "volumes", "volumeMountPaths"),
        ("*", "mounts", "volumeMountPaths"), ("*", "mounts", "persistentVolumes"),
        ("*", "port", "expose"), ("*", "ports", "expose"),
        ("*", "gpu", "gpuType"), ("*", "gpuModel", "gpuType"), ("*", "gpu_type", "gpuType"),
        ("*", "gpus", "gpuCount"), ("*", "numGpus", "gpuCount"), ("*", "gpu_count", "gpuCount"),
        ("*", "count", "gpuCount"), ("*", "replicas", "workers"), ("*", "instances", "workers"),
        ("*", "mode", "serviceMode"), ("*", "cmd", "initializationCommand"),
        ("*", "command", "initializationCommand"), ("*", "startCommand", "initializationCommand"),
        ("*", "registry", "imageRegistry"), ("*", "vmType", "vmTypeId"), ("*", "instanceType", "vmTypeId"),
        ("*", "type", "vmTypeId"), ("*", "type", "storageType"), ("*", "spot", "isSpot"),
        ("*", "shm", "shmInGb"), ("*", "vram", "minSingleCardVramInGb"),
        ("*", "credential", "containerRegistryAuthId"), ("*", "credentialId", "containerRegistryAuthId"),
        ("*", "path", "mountPath"),
        // A task's submission.
        ("Endpoint.submit", "port", "workerPort"), ("Endpoint.submit", "path", "processUri"),
        ("Endpoint.submit", "uri", "processUri"), ("Endpoint.submit", "route", "processUri"),
        ("Endpoint.submit", "payload", "input"), ("Endpoint.submit", "data", "input"),
        ("Endpoint.submit", "body", "input"), ("Endpoint.submit", "id", "taskId"),
        // Methods.
        ("VM", "delete", "terminate"), ("VM", "destroy", "terminate"), ("VM", "stop", "terminate"),
        ("VM", "remove", "terminate"),
        ("Pod", "terminate", "delete"), ("Pod", "destroy", "delete"), ("Pod", "remove", "delete"),
        ("Pod", "stop", "pause"), ("Pod", "start", "resume"),
        ("Endpoint", "terminate", "delete"), ("Endpoint", "destroy", "delete"), ("Endpoint", "remove", "delete"),
        ("Endpoint", "resize", "scale"), ("Endpoint", "logs", "workers"),
        ("Volume", "terminate", "delete"), ("Volume", "destroy", "delete"), ("Volume", "remove", "delete"),
        ("Credential", "terminate", "delete"), ("Credential", "remove", "delete"),
        // Status words.
        ("status", "ready", "running"), ("status", "up", "running"), ("status", "active", "running"),
        ("status", "started", "running"), ("status", "done", "completed"), ("status", "finished", "completed"),
        ("status", "succeeded", "completed"), ("status", "error", "failed"), ("status", "stopped", "paused"),
        ("status", "deleted", "terminated"),
    ]

    static func register(into library: Library) {
        for alias in table { library.declareAlias(alias.wrong, means: alias.right, in: alias.scope) }
    }

    /// The table alone, for checks made when a call runs (they have no library at hand).
    private static let lookup: Library = {
        let library = Library()
        register(into: library)
        return library
    }()

    static func suggest(_ name: String, among candidates: [String], scope: String) -> String? {
        lookup.suggest(name, among: candidates, scope: scope)
    }
}
