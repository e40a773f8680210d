import Foundation
import YottaAPI

/// Where a team ledger is: `postgres://user[:password]@host[:port]/database[?sslmode=…]`. The
/// password is best kept out of the URL (a profile's `ledger_password_env`, or `PGPASSWORD`); it is
/// never shown: `masked` is what messages print.
public struct PostgresAddress: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// As libpq: `disable` (plain, as the URL must say for a remote host), `require` (encrypted, the
    /// certificate not verified), `verify-ca` (encrypted, the certificate signed by a trusted CA),
    /// `verify-full` (and issued for the host), or nil (`verify-full` for a remote host, plain on
    /// loopback).
    public var sslMode: String?
    /// The CA certificates (PEM) that verify the server's, as libpq's `sslrootcert`; the system's
    /// trust store when nil.
    public var sslRootCert: String?

    /// The sslmode values accepted.
    public static let sslModes = ["disable", "require", "verify-ca", "verify-full"]

    /// Whether a string names a PostgreSQL ledger rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL; the password comes from the URL or `password` (`ledger_password_env`, `PGPASSWORD`).
    /// Errors never echo the password.
    public init(url text: String, password given: String? = nil) throws {
        let shown = Self.mask(text)
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased()), let host = components.host, !host.isEmpty
        else {
            throw LedgerError("invalid ledger URL '\(shown)': expected postgres://user@host[:port]/database")
        }
        guard let user = components.user, !user.isEmpty else {
            throw LedgerError("invalid ledger URL '\(shown)': it names no user (postgres://USER@host/database)")
        }
        let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard !database.isEmpty else {
            throw LedgerError("invalid ledger URL '\(shown)': it names no database (postgres://user@host/DATABASE)")
        }
        var sslMode: String?
        var sslRootCert: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, Self.sslModes.contains(value) else {
                    let hint =
                        ["prefer", "allow"].contains(item.value ?? "")
                        ? " ('\(item.value ?? "")' may fall back to plain text, which gpus never does)" : ""
                    throw LedgerError(
                        "invalid ledger URL '\(shown)': sslmode must be disable, require, verify-ca or verify-full"
                            + hint)
                }
                sslMode = value
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else {
                    throw LedgerError("invalid ledger URL '\(shown)': sslrootcert needs the path of a PEM file")
                }
                sslRootCert = value
            default:
                throw LedgerError(
                    "invalid ledger URL '\(shown)': unknown parameter '\(item.name)' (sslmode and sslrootcert are known)"
                )
            }
        }
        if sslRootCert != nil, sslMode == "disable" {
            throw LedgerError("invalid ledger URL '\(shown)': sslrootcert with sslmode=disable (no TLS to verify)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password ?? given
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// Whether the connection is encrypted: always, unless the URL says `sslmode=disable` or the
    /// host is this machine (with no sslmode).
    public var usesTLS: Bool {
        switch sslMode {
        case "disable": false
        case nil: !ClientConfiguration.isLoopback(host)
        default: true
        }
    }

    /// The address for messages: `postgres://user:••••@host:port/database`.
    public var masked: String {
        "postgres://\(user)\(password == nil ? "" : ":••••")@\(host):\(port)/\(database)"
            + (sslMode.map { "?sslmode=\($0)" } ?? "")
            + (sslRootCert.map { "\(sslMode == nil ? "?" : "&")sslrootcert=\($0)" } ?? "")
    }

    /// A URL as text with its password replaced.
    static func mask(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "(unreadable URL)" }
        if components.password != nil { components.password = "••••" }
        return components.string?.replacingOccurrences(of: "%E2%80%A2", with: "•") ?? "(unreadable URL)"
    }
}
