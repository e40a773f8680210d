import Foundation

/// Every v2 operation of the reference (section 2), with its method and path template.
///
/// The one table the client, its error messages, and later the sandbox's routes and OpenAPI
/// document agree on.
public enum APIOperation: String, CaseIterable, Hashable, Sendable {
    case listCredentials = "credentials.list"
    case getCredential = "credentials.get"
    case createCredential = "credentials.create"
    case updateCredential = "credentials.update"
    case deleteCredential = "credentials.delete"

    case listVMTypes = "vms.types"
    case listVMs = "vms.list"
    case getVM = "vms.get"
    case createVM = "vms.create"
    case renameVM = "vms.rename"
    case terminateVM = "vms.terminate"

    case listPods = "pods.list"
    case getPod = "pods.get"
    case createPod = "pods.create"
    case deletePod = "pods.delete"
    case pausePod = "pods.pause"
    case resumePod = "pods.resume"
    case podCPUMetrics = "pods.metrics.cpu"
    case podGPUMetrics = "pods.metrics.gpu"
    case podMemoryMetrics = "pods.metrics.memory"
    case podGPUMemoryMetrics = "pods.metrics.gpuMemory"
    case podStorageMetrics = "pods.metrics.storage"

    case listEndpoints = "endpoints.list"
    case getEndpoint = "endpoints.get"
    case createEndpoint = "endpoints.create"
    case updateEndpoint = "endpoints.update"
    case deleteEndpoint = "endpoints.delete"
    case startEndpoint = "endpoints.start"
    case stopEndpoint = "endpoints.stop"
    case scaleEndpoint = "endpoints.scale"
    case listWorkers = "endpoints.workers"
    case workerLogs = "endpoints.workerLogs"

    case submitTask = "tasks.submit"
    case listTasks = "tasks.list"
    case getTask = "tasks.get"
    case countTasks = "tasks.count"

    /// The GPU catalogue (reference section 2.4: undocumented, with an `/api` prefix).
    case listGPUResources = "gpus.resources"

    case listVolumes = "volumes.list"
    case getVolume = "volumes.get"
    case createVolume = "volumes.create"
    case renameVolume = "volumes.rename"
    case resizeVolume = "volumes.resize"
    case deleteVolume = "volumes.delete"

    /// The HTTP method.
    public var method: HTTPMethod {
        switch self {
        case .createCredential, .createVM, .createPod, .pausePod, .resumePod, .createEndpoint, .startEndpoint,
            .stopEndpoint, .submitTask, .createVolume, .renameVolume, .resizeVolume, .listGPUResources:
            .post
        case .updateCredential, .renameVM, .updateEndpoint: .patch
        case .deleteCredential, .terminateVM, .deletePod, .deleteEndpoint, .deleteVolume: .delete
        case .scaleEndpoint: .put
        default: .get
        }
    }

    /// The path with `{placeholders}`, as in the reference.
    public var pathTemplate: String {
        switch self {
        case .listCredentials, .createCredential: "/v2/container-registry-auths"
        case .getCredential, .updateCredential, .deleteCredential: "/v2/container-registry-auths/{id}"
        case .listVMTypes: "/v2/vms/types"
        case .listVMs, .createVM: "/v2/vms"
        case .getVM, .renameVM, .terminateVM: "/v2/vms/{id}"
        case .listPods, .createPod: "/v2/pods"
        case .getPod, .deletePod: "/v2/pods/{id}"
        case .pausePod: "/v2/pods/{id}/pause"
        case .resumePod: "/v2/pods/{id}/resume"
        case .podCPUMetrics: "/v2/metrics/cpu/pods/{pod_id}"
        case .podGPUMetrics: "/v2/metrics/gpu/pods/{pod_id}"
        case .podMemoryMetrics: "/v2/metrics/memory/pods/{pod_id}"
        case .podGPUMemoryMetrics: "/v2/metrics/gpu/pods/{pod_id}/memory"
        case .podStorageMetrics: "/v2/metrics/storage/pods/{pod_id}"
        case .listEndpoints, .createEndpoint: "/v2/serverless"
        case .getEndpoint, .updateEndpoint, .deleteEndpoint: "/v2/serverless/{id}"
        case .startEndpoint: "/v2/serverless/{id}/start"
        case .stopEndpoint: "/v2/serverless/{id}/stop"
        case .scaleEndpoint, .listWorkers: "/v2/serverless/{id}/workers"
        case .workerLogs: "/v2/serverless/{id}/workers/{workerId}/logs"
        case .submitTask, .listTasks: "/v2/serverless/{id}/tasks"
        case .getTask: "/v2/serverless/{id}/tasks/{taskId}"
        case .countTasks: "/v2/serverless/{id}/tasks/count"
        case .listGPUResources: "/api/v2/resource/gpu/list"
        case .listVolumes, .createVolume: "/v2/volumes"
        case .getVolume, .deleteVolume: "/v2/volumes/{id}"
        case .renameVolume: "/v2/volumes/{id}/name"
        case .resizeVolume: "/v2/volumes/{id}/resize"
        }
    }

    /// Whether sending the request twice has the effect of sending it once, so a transient failure
    /// may be retried. Creates are never repeated; a task submit only when it carries a `taskId`
    /// (the client decides that case).
    public var isIdempotent: Bool {
        switch self {
        case .createCredential, .createVM, .createPod, .createEndpoint, .createVolume, .submitTask: false
        default: true
        }
    }

    /// The metrics operation of a pod metric.
    public static func metrics(_ metric: PodMetric) -> APIOperation {
        switch metric {
        case .cpu: .podCPUMetrics
        case .gpu: .podGPUMetrics
        case .memory: .podMemoryMetrics
        case .gpuMemory: .podGPUMemoryMetrics
        case .storage: .podStorageMetrics
        }
    }

    /// The concrete path for the given path parameters, each percent-encoded as a path segment.
    public func path(_ parameters: [String: String] = [:]) -> String {
        var path = pathTemplate
        for (name, value) in parameters {
            path = path.replacingOccurrences(of: "{\(name)}", with: Self.encodeSegment(value))
        }
        return path
    }

    static func encodeSegment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// The HTTP methods the API uses.
public enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
}
