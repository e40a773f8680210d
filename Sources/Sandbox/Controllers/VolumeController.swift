import Foundation
import YottaAPI

/// `/v2/volumes`: list (by storage type), get, create, rename, resize, delete.
struct VolumeController {
    let context: RequestContext

    func get() async throws -> SandboxResponse { try .success(await present(find(context.pathID()))) }

    func list() async throws -> SandboxResponse {
        guard let typeText = context.request.queryValue("storageType") else {
            throw APIFailure.invalid("storageType", "is required (S3, CEPH, VENDOR or R2)")
        }
        guard let type = Open<StorageType>(wire: typeText).known else {
            throw APIFailure.invalid("storageType", "must be one of S3, CEPH, VENDOR, R2 (got '\(typeText)')")
        }
        let region = context.request.queryValue("region")
        let now = context.now
        let window = try context.pageWindow()
        var query = ResourceQuery(kind: .volume)
        query.subtype = type.rawValue
        query.regions = region.map { [$0] } ?? []
        query.limit = window.size
        query.offset = window.offset
        try context.store.refreshDue(now: now)
        let page = try await context.store.read { [query] reader in
            try context.page(reader.select(query), window: window) {
                Self.present($0, now: now, mounts: try Self.mountCount($0.id, reader, now: now))
            }
        }
        return try .success(page)
    }

    static func exists(_ stored: StoredResource, now: Int64) -> Bool { stored.goneAt.map { $0 > now } ?? true }

    func find(_ id: Int64) async throws -> StoredResource {
        let now = context.now
        guard let stored = try context.store.resource(id, kind: .volume),
            Self.exists(stored, now: now)
        else { throw APIFailure.business(.recordNotExist, "volume not found") }
        return stored
    }

    /// 10001 when a pod would mount a volume that does not exist or is not active.
    func requireMountable(_ mounts: [PersistentVolumeMount]) async throws {
        for (index, mount) in mounts.enumerated() {
            guard let id = mount.volumeId.int64Value, let stored = try? await find(id) else {
                throw APIFailure.invalid("persistentVolumes[\(index)].volumeId", "no volume \(mount.volumeId)")
            }
            let status = Self.present(stored, now: context.now).status
            guard status == .active else {
                throw APIFailure.invalid(
                    "persistentVolumes[\(index)].volumeId", "volume \(mount.volumeId) is \(status.rawValue), not active"
                )
            }
        }
    }

    func create() async throws -> SandboxResponse {
        let request = try context.body(CreateVolumeRequest.self, as: .createVolume)
        if let region = request.region, !Catalogue.isRegion(region) {
            throw APIFailure.invalid("region", "unknown region '\(region)'")
        }
        let spec = VolumeSpec(
            storageType: request.storageType.rawValue, region: request.region, sizeInGb: request.sizeInGb,
            vendorVolumeType: request.vendorVolumeType?.rawValue)
        let now = context.now
        let event = ResourceEvent(
            .created, at: now, duration: context.timings.volumeCreate, value: request.sizeInGb.map(Int64.init))
        let stored = try await context.store.write { writer in
            try writer.insert(
                kind: .volume, name: request.name, record: spec, events: [event], now: now,
                region: request.region ?? "",
                subtype: request.storageType.known?.rawValue ?? request.storageType.rawValue)
        }
        return try .success(await present(stored))
    }

    func rename() async throws -> SandboxResponse {
        let id = try context.pathID()
        let request = try context.body(RenameRequest.self, as: .renameVolume)
        let now = context.now
        let stored = try await context.store.write { writer -> StoredResource? in
            guard let stored = try writer.reader.resource(id, kind: .volume), Self.exists(stored, now: now) else {
                return nil
            }
            try writer.update(id, name: request.name)
            return try writer.reader.resource(id, kind: .volume)
        }
        guard let stored else { throw APIFailure.business(.recordNotExist, "volume not found") }
        return try .success(await present(stored))
    }

    /// Resize: CEPH/VENDOR only, active and unmounted.
    func resize() async throws -> SandboxResponse {
        let id = try context.pathID()
        let request = try context.body(ResizeVolumeRequest.self, as: .resizeVolume)
        let now = context.now
        let duration = context.timings.volumeResize
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .volume), Self.exists(stored, now: now),
                var spec = try? stored.decode(VolumeSpec.self)
            else { return .failure(.business(.recordNotExist, "volume not found")) }
            guard Open<StorageType>(wire: spec.storageType).known?.isSized == true else {
                return .failure(.invalid("sizeInGb", "\(spec.storageType) volumes have no size to change"))
            }
            let volume = Self.present(stored, now: now, mounts: try Self.mountCount(id, writer.reader, now: now))
            guard volume.status == .active, volume.mountCount == 0 else {
                let state =
                    volume.status == .active ? "mounted \(volume.mountCount ?? 0) time(s)" : volume.status.rawValue
                return .failure(.business(.resourceStatusInvalid, "cannot resize a volume that is \(state)"))
            }
            spec.sizeInGb = request.sizeInGb
            try writer.append(
                ResourceEvent(.resize, at: now, duration: duration, value: Int64(request.sizeInGb)), to: id)
            try writer.update(id, spec: spec.jsonData())
            return .success(())
        }
        try outcome.get()
        return try .success(JSONValue.null)
    }

    /// Delete: only unmounted; deleting → gone.
    func delete() async throws -> SandboxResponse {
        let id = try context.pathID()
        let now = context.now
        let duration = context.timings.volumeDelete
        let outcome = try await context.store.write { writer -> Result<Void, APIFailure> in
            guard let stored = try writer.reader.resource(id, kind: .volume), Self.exists(stored, now: now) else {
                return .failure(.business(.recordNotExist, "volume not found"))
            }
            let volume = Self.present(stored, now: now, mounts: try Self.mountCount(id, writer.reader, now: now))
            guard volume.mountCount == 0, volume.status != .deleting else {
                let state =
                    volume.status == .deleting ? "already being deleted" : "mounted \(volume.mountCount ?? 0) time(s)"
                return .failure(.business(.resourceStatusInvalid, "cannot delete a volume that is \(state)"))
            }
            try writer.append(ResourceEvent(.delete, at: now, duration: duration), to: id)
            try writer.markGone(id, at: now + duration, now: now)
            return .success(())
        }
        try outcome.get()
        return try .success(true)
    }

    /// How many live pods and VMs mount the volume.
    static func mountCount(_ id: Int64, _ reader: StoreReader, now: Int64) throws -> Int {
        try reader.referrers(of: id).count { source in
            switch source.kind {
            case .pod: ![.terminated, .failed].contains(PodController.status(source, now: now))
            case .vm: Lifecycles.vm(source.events(upTo: now)).status(at: now) != .terminated
            case .endpoint, .volume, .credential: false
            }
        }
    }

    func present(_ stored: StoredResource) async throws -> Volume {
        let now = context.now
        let mounts = try await context.store.read { try Self.mountCount(stored.id, $0, now: now) }
        return Self.present(stored, now: now, mounts: mounts)
    }

    static func present(_ stored: StoredResource, now: Int64, mounts: Int = 0) -> Volume {
        let spec = try? stored.decode(VolumeSpec.self)
        let timeline = Lifecycles.volume(stored.events(upTo: now))
        let status = timeline.status(at: now) ?? .creating
        var volume = Volume(
            id: ResourceID(stored.id), name: stored.name, storageType: spec.map { Open(wire: $0.storageType) },
            status: .known(status))
        // The size shown is the one in effect: a resize takes effect when it completes.
        let resized = stored.events.last { $0.kind == .resize && $0.at + $0.duration <= now }
        let created = stored.events.first { $0.kind == .created }
        volume.sizeInGb = (resized?.value ?? created?.value).map(Int.init) ?? spec?.sizeInGb
        volume.region = spec?.region
        volume.vendorVolumeType = spec?.vendorVolumeType.map { Open(wire: $0) }
        volume.mountCount = mounts
        let activeMillis = timeline.duration(upTo: now) { $0 != .creating }
        volume.cost = FlexibleNumber(
            Derived.cost(millis: activeMillis, perHour: Double(volume.sizeInGb ?? 0) * Catalogue.volumePricePerGbHour))
        volume.createdAt = Timestamp(epochMillis: stored.createdAt)
        return volume
    }

}
