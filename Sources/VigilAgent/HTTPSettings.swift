import Foundation
import Logging
import VigilCore
import Yams

/// The `http:` section of `vigil.yaml`: where the staff's pages listen, the TLS certificate
/// when they are served beyond the room's own machine, how long a login lasts, and who may log
/// in. A login is a role with a PIN (staff at the bedside) or a long token (scripts), kept only
/// as a bcrypt hash (`vigil hash-pin` prints one).
public struct HTTPSettings: Sendable, Equatable {
    /// One way in: a role and the bcrypt hash of its PIN or token.
    public struct Login: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable { case pin, token }
        public var role: Role
        public var kind: Kind
        public var hash: String
        public init(role: Role, kind: Kind, hash: String) { self.role = role; self.kind = kind; self.hash = hash }
    }

    public var address: String
    public var port: Int
    /// PEM files; without them the pages are plain HTTP (fine on 127.0.0.1 only).
    public var certificate: String?
    public var key: String?
    public var sessionLifetime: Duration
    public var logins: [Login]

    public init(address: String = "127.0.0.1", port: Int = 8080, certificate: String? = nil, key: String? = nil,
                sessionLifetime: Duration = .seconds(12 * 3600), logins: [Login] = []) {
        self.address = address
        self.port = port
        self.certificate = certificate
        self.key = key
        self.sessionLifetime = sessionLifetime
        self.logins = logins
    }

    /// The roles that log in to the pages (the station and the agent itself never do).
    public static let staffRoles: [Role] = [.nurse, .doula, .provider]

    /// Whether the pages are reachable from this machine only.
    public static func isLoopback(_ address: String) -> Bool { ["127.0.0.1", "::1", "localhost"].contains(address) }

    /// Plain HTTP beyond this machine: PINs and vitals would cross the network in clear.
    public var isPlainBeyondLoopback: Bool { certificate == nil && !Self.isLoopback(address) }

    /// The bcrypt hash of PIN 2580 that `deploy/vigil.example.yaml` (installed as
    /// `/etc/vigil/vigil.yaml`) ships with: published with Vigil, so no PIN at all.
    public static let examplePINHash = "$2b$12$VnGXVFU9BPjpVnkdOsd0uu9Gu5NJ/VNn5R6EvTPHABpR2v9FvekVa"

    /// The roles whose login is still the example's published PIN.
    /// What to say when the pages start: PINs in clear beyond this machine, a login left on the
    /// example's PIN, no login at all. `pages` names them (`the pages`, `the page`).
    public func startupWarnings(pages: String) -> [(Logger.Level, String)] {
        var out: [(Logger.Level, String)] = []
        if isPlainBeyondLoopback {
            out.append((.warning, "WARNING: no TLS certificate in http.tls: PINs and vitals cross the network to \(address) in clear"))
        }
        let example = rolesOnExamplePIN.map(\.rawValue)
        if !example.isEmpty {
            out.append((.error, "the \(example.joined(separator: ", ")) login still has the example config's PIN 2580, published with Vigil: put your own in http.logins (vigil hash-pin)"))
        }
        if logins.isEmpty {
            out.append((.warning, "no logins in http.logins: \(pages) will refuse everyone (vigil hash-pin makes a PIN's hash)"))
        }
        return out
    }

    public var rolesOnExamplePIN: [Role] { logins.filter { $0.hash == Self.examplePINHash }.map(\.role) }

    /// `ADDRESS:PORT` from the command line (`--http`).
    public static func parse(address text: String) -> (address: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { return nil }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    /// A bcrypt hash as `vigil hash-pin` and other bcrypt tools print it.
    static func isBcryptHash(_ text: String) -> Bool {
        text.count == 60 && ["$2a$", "$2b$", "$2y$"].contains(String(text.prefix(4)))
    }

    static func read(_ node: Node, reader: YAMLReader, relativeTo folder: String) -> HTTPSettings? {
        let known = ["address", "port", "tls", "session_lifetime", "logins"]
        guard let f = reader.fields(node, "http", known: known) else { return nil }
        var settings = HTTPSettings()
        if let n = f["address"], let a = reader.string(n, "http.address") { settings.address = a }
        if let n = f["port"], let p = reader.number(n, "http.port", in: 1...65_535) { settings.port = Int(p) }
        if let n = f["session_lifetime"],
           let d = reader.duration(n, "http.session_lifetime", in: .seconds(60)...Duration.seconds(24 * 3600)) {
            settings.sessionLifetime = d
        }
        if let n = f["tls"], let t = reader.fields(n, "http.tls", known: ["certificate", "key"]) {
            settings.certificate = t["certificate"].flatMap { ConfigPath.existingFile($0, "http.tls.certificate", reader, folder) }
            settings.key = t["key"].flatMap { ConfigPath.existingFile($0, "http.tls.key", reader, folder) }
            if (t["certificate"] == nil) != (t["key"] == nil) { reader.report(n, "http.tls", "certificate and key go together") }
        }
        for (i, entry) in (f["logins"].flatMap { reader.list($0, "http.logins") } ?? []).enumerated() {
            let key = "http.logins[\(i)]"
            guard let e = reader.fields(entry, key, known: ["role", "pin", "token"]) else { continue }
            guard let roleNode = e["role"] else { reader.report(entry, "\(key).role", "missing (nurse, doula or provider)"); continue }
            guard let name = reader.string(roleNode, "\(key).role") else { continue }
            guard let role = Role(rawValue: name), staffRoles.contains(role) else {
                reader.report(roleNode, "\(key).role", "\"\(name)\" is not one of nurse, doula, provider")
                continue
            }
            let given = [Login.Kind.pin, .token].compactMap { kind in e[kind.rawValue].map { (kind, $0) } }
            guard given.count == 1, let (kind, hashNode) = given.first else {
                reader.report(entry, key, "needs exactly one of pin or token (a bcrypt hash: vigil hash-pin prints one)")
                continue
            }
            guard let hash = reader.string(hashNode, "\(key).\(kind.rawValue)") else { continue }
            guard isBcryptHash(hash) else {
                reader.report(hashNode, "\(key).\(kind.rawValue)", "is not a bcrypt hash; a PIN is never kept in the config (run vigil hash-pin)")
                continue
            }
            settings.logins.append(Login(role: role, kind: kind, hash: hash))
        }
        return settings
    }
}
