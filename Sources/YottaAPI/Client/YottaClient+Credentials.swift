/// Container-registry credentials (`/v2/container-registry-auths`).
extension YottaClient {
    public func listCredentials() async throws(YottaError) -> [Credential] {
        try await send(Call(operation: .listCredentials), as: [Credential].self)
    }

    public func getCredential(id: ResourceID) async throws(YottaError) -> Credential {
        try await send(call(.getCredential, id), as: Credential.self)
    }

    public func createCredential(_ request: CreateCredentialRequest) async throws(YottaError) -> Credential {
        try await send(Call(operation: .createCredential, resourceID: request.name), body: request, as: Credential.self)
    }

    public func updateCredential(
        id: ResourceID, _ request: UpdateCredentialRequest
    ) async throws(YottaError)
        -> Credential
    {
        try await send(call(.updateCredential, id), body: request, as: Credential.self)
    }

    /// Deletes a credential. Refused with code 25002 while a pod or endpoint uses it; the error's
    /// `credentialUsage` lists them.
    public func deleteCredential(id: ResourceID) async throws(YottaError) {
        try await send(call(.deleteCredential, id))
    }

    /// A call addressing one resource by its `{id}` path parameter.
    func call(_ operation: APIOperation, _ id: ResourceID, query: [QueryItem] = []) -> Call {
        Call(operation: operation, pathParameters: ["id": id.rawValue], query: query, resourceID: id.rawValue)
    }
}
