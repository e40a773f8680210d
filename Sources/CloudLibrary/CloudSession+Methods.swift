import Foundation
import Language
import YottaAPI

extension CloudSession {
    /// After a method changed the resource: its receiver takes the resource as it is now (a read
    /// that fails leaves the record as it was). Deletes do not read again: a fleet's teardown would
    /// make twice the calls for records about to be dropped.
    func reread(_ kind: ResourceKind, _ id: ResourceID, for arguments: AsyncArguments) async {
        let fresh: Value? =
            switch kind {
            case .vm: try? await record(client.getVM(id: id))
            case .pod: try? await record(client.getPod(id: id))
            case .endpoint: try? await record(client.getEndpoint(id: id))
            case .volume: try? await record(client.getVolume(id: id))
            case .credential: try? await record(client.getCredential(id: id))
            }
        if let fresh { arguments.updateReceiver(fresh) }
    }

    var vmMethods: [Builtin] {
        [
            op("VM.refresh", "The VM as it is now.") { session, arguments in
                session.record(try await session.client.getVM(id: try Self.receiverID(arguments)), "VM")
            },
            op("VM.rename", "Renames the VM.", [RequestShapes.parameter("name", .string, .renameVM)]) {
                session, arguments in
                session.record(
                    try await session.client.renameVM(
                        id: try Self.receiverID(arguments), name: try arguments.string("name")), "VM")
            },
            op("VM.terminate", "Terminates the VM (a VM already terminated or gone counts as terminated).") {
                session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.remove(.vm, id)
                return .null
            },
        ]
    }

    var podMethods: [Builtin] {
        [
            op("Pod.refresh", "The pod as it is now.") { session, arguments in
                session.record(try await session.client.getPod(id: try Self.receiverID(arguments)), "Pod")
            },
            op("Pod.pause", "Pauses a running pod.") { session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.client.pausePod(id: id)
                await session.reread(.pod, id, for: arguments)
                return .null
            },
            op("Pod.resume", "Resumes a paused pod.") { session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.client.resumePod(id: id)
                await session.reread(.pod, id, for: arguments)
                return .null
            },
            op("Pod.delete", "Deletes the pod (one already terminated, failed or gone counts as deleted).") {
                session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.remove(.pod, id)
                return .null
            },
            op(
                "Pod.metrics",
                "A metric of the pod over a window (the last hour unless start/end say): cpu, gpu, memory, gpuMemory or storage; prints as one sparkline a series.",
                [
                    ParameterSpec("metric", .string), .optional("start", .any, Self.instant),
                    .optional("end", .any, Self.instant), .optional("step", .string),
                ]
            ) { session, arguments in
                let name = try arguments.string("metric")
                guard let metric = PodMetric(rawValue: name) else {
                    throw arguments.failure(
                        "bad argument 'metric' to 'Pod.metrics' (cpu, gpu, memory, gpuMemory or storage expected)")
                }
                let step = try arguments.optionalString("step").flatMap(MetricStep.init(rawValue:))
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let query = MetricsQuery(
                    start: try arguments.optionalInstant("start", now: now),
                    end: try arguments.optionalInstant("end", now: now), step: step)
                let series = try await session.client.podMetrics(metric, podID: try Self.receiverID(arguments), query)
                return RecordViews.metric(series, metric)
            },
        ]
    }

    var endpointMethods: [Builtin] {
        [
            op("Endpoint.refresh", "The endpoint as it is now.") { session, arguments in
                session.record(try await session.client.getEndpoint(id: try Self.receiverID(arguments)), "Endpoint")
            },
            op(
                "Endpoint.update", "Changes a stopped endpoint; unspecified fields keep their values.",
                RequestShapes.parameters(
                    UpdateEndpointRequest.self, .updateEndpoint, allOptional: true, excluding: ["envVars"])
            ) { session, arguments in
                var current: [String: SendableValue] = [:]
                for (key, field) in [
                    ("name", "name"), ("resources", "resources"), ("workers", "totalWorkers"),
                    ("containerVolumeInGb", "containerVolumeInGb"),
                ] {
                    if case .record(_, let fields, _) = arguments.receiver, let value = fields[field], !value.isNull {
                        current[key] = value
                    }
                }
                let request = try ValueBridge.request(UpdateEndpointRequest.self, from: arguments, extra: current)
                return session.record(
                    try await session.client.updateEndpoint(id: try Self.receiverID(arguments), request), "Endpoint")
            },
            op("Endpoint.start", "Starts a stopped endpoint (workers get new ids).") { session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.client.startEndpoint(id: id)
                await session.reread(.endpoint, id, for: arguments)
                return .null
            },
            op("Endpoint.stop", "Stops the endpoint.") { session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.client.stopEndpoint(id: id)
                await session.reread(.endpoint, id, for: arguments)
                return .null
            },
            op(
                "Endpoint.delete",
                "Stops the endpoint (waiting until it is stopped), then deletes it (gone counts as deleted)."
            ) {
                session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.delete(.endpoint, id)
                return .null
            },
            op("Endpoint.scale", "Sets the number of workers.", [ParameterSpec("workers", .int)]) {
                session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.client.scaleEndpoint(id: id, workers: Int(try arguments.int("workers")))
                await session.reread(.endpoint, id, for: arguments)
                return .null
            },
            op("Endpoint.workers", "The endpoint's workers.", [.optional("status")]) { session, arguments in
                let id = try Self.receiverID(arguments)
                let workers = try await session.client.listWorkers(endpointID: id, statuses: Self.statuses(arguments))
                return .list(
                    ListBox(
                        workers.map { worker in
                            var value = session.record(worker, "Worker")
                            if case .record(let record) = value {
                                record.fields["endpointId"] = .string(id.rawValue)
                                value = .record(record)
                            }
                            return value
                        }))
            },
            op(
                "Endpoint.submit", "Submits a task to a QUEUE endpoint; returns the task.",
                RequestShapes.parameters(SubmitTaskRequest.self, .submitTask)
            ) { session, arguments in
                let id = try Self.receiverID(arguments)
                let request = try ValueBridge.request(SubmitTaskRequest.self, from: arguments)
                let submitted = try await session.client.submitTask(endpointID: id, request)
                return session.record(
                    try await session.client.getTask(endpointID: id, taskID: submitted.taskId), "Task")
            },
            op(
                "Endpoint.tasks", "The endpoint's tasks (every page), optionally with one status.",
                [.optional("status", .string)]
            ) {
                session, arguments in
                let given = try arguments.optionalString("status")
                let status = given.flatMap { Open<TaskStatus>(wire: $0).known }
                if let given, status == nil {
                    // A status no task takes filtered nothing: every task came back.
                    let words = TaskStatus.allCases.map { "\($0)" }
                    let hint = suggestion(for: given, among: words).map { "; did you mean '\($0)'?" } ?? ""
                    throw arguments.failure(
                        "a Task's status is never '\(given)'\(hint) (Task statuses: \(words.joined(separator: ", ")))",
                        kind: .argument)
                }
                return session.records(
                    try await session.client.allTasks(endpointID: try Self.receiverID(arguments), status: status)
                        .collect(), "Task")
            },
            op("Endpoint.task", "One task by its id, with input and output.", [ParameterSpec("taskId", .string)]) {
                session, arguments in
                session.record(
                    try await session.client.getTask(
                        endpointID: try Self.receiverID(arguments), taskID: try arguments.string("taskId")), "Task")
            },
            op("Endpoint.taskCount", "How many tasks are pending or processing.") { session, arguments in
                .int(Int64(try await session.client.countTasks(endpointID: try Self.receiverID(arguments)).processing))
            },
        ]
    }

    /// What a parameter that takes a point in time accepts.
    static let instant = "a time (now() - 1h), ISO 8601 text, epoch ms, or a duration ago (30m)"

    var workerMethods: [Builtin] {
        [
            op(
                "Worker.logs",
                "The worker's log lines, every page (following the cursor); they print as lines: time, then text.",
                [
                    .optional("keyword", .string), .optional("startTime", .any, Self.instant),
                    .optional("endTime", .any, Self.instant),
                    .optional("direction", .string),
                    .optional("pageSize", .int),
                ]
            ) { session, arguments in
                guard let endpoint = ValueBridge.id(Self.field(arguments, "endpointId")) else {
                    throw arguments.failure("this worker record does not know its endpoint")
                }
                let workerID = Printer.text(Self.field(arguments, "workerId"))
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let query = WorkerLogQuery(
                    pageSize: try arguments.optionalInt("pageSize").map(Int.init),
                    keyword: try arguments.optionalString("keyword"),
                    startTime: try arguments.optionalInstant("startTime", now: now).map { String($0) },
                    endTime: try arguments.optionalInstant("endTime", now: now).map { String($0) },
                    direction: try arguments.optionalString("direction").flatMap { Open<LogDirection>(wire: $0).known })
                let lines = try await session.client.allWorkerLogs(endpointID: endpoint, workerID: workerID, query)
                    .collect()
                return .list(
                    ListBox(
                        lines.map { line in
                            .record(
                                Record(
                                    type: RecordViews.logLine,
                                    fields: [
                                        "timestamp": .time(line.timestamp.epochMillis),
                                        "log": .string(line.log), "offset": .int(line.offset),
                                    ]))
                        }))
            }
        ]
    }

    var taskMethods: [Builtin] {
        [
            op("Task.refresh", "The task as it is now.") { session, arguments in
                guard let endpoint = ValueBridge.id(Self.field(arguments, "endpointId")) else {
                    throw arguments.failure("task without an endpoint")
                }
                return session.record(
                    try await session.client.getTask(
                        endpointID: endpoint, taskID: Printer.text(Self.field(arguments, "taskId"))), "Task")
            }
        ]
    }

    var volumeMethods: [Builtin] {
        [
            op("Volume.refresh", "The volume as it is now.") { session, arguments in
                session.record(try await session.client.getVolume(id: try Self.receiverID(arguments)), "Volume")
            },
            op("Volume.rename", "Renames the volume.", [RequestShapes.parameter("name", .string, .renameVolume)]) {
                session, arguments in
                session.record(
                    try await session.client.renameVolume(
                        id: try Self.receiverID(arguments), name: try arguments.string("name")), "Volume")
            },
            op(
                "Volume.resize", "Resizes an active, unmounted CEPH or VENDOR volume.",
                [RequestShapes.parameter("sizeInGb", .int, .resizeVolume)]
            ) { session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.client.resizeVolume(id: id, sizeInGb: Int(try arguments.int("sizeInGb")))
                await session.reread(.volume, id, for: arguments)
                return .null
            },
            op(
                "Volume.delete",
                "Deletes the volume, waiting while the pods that mount it are terminating (being deleted or gone counts as deleted)."
            ) {
                session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.delete(.volume, id)
                return .null
            },
        ]
    }

    var credentialMethods: [Builtin] {
        [
            op("Credential.refresh", "The credential as it is now.") { session, arguments in
                session.record(try await session.client.getCredential(id: try Self.receiverID(arguments)), "Credential")
            },
            op(
                "Credential.update", "Changes name, username or password.",
                RequestShapes.parameters(UpdateCredentialRequest.self, .updateCredential, allOptional: true)
            ) { session, arguments in
                let request = try ValueBridge.request(UpdateCredentialRequest.self, from: arguments)
                return session.record(
                    try await session.client.updateCredential(id: try Self.receiverID(arguments), request), "Credential"
                )
            },
            op(
                "Credential.delete",
                "Deletes the credential, waiting while the pods that use it are terminating (gone counts as deleted)."
            ) {
                session, arguments in
                let id = try Self.receiverID(arguments)
                try await session.delete(.credential, id)
                return .null
            },
        ]
    }
}
