import Foundation
import Logging
import VigilCore
import VigilMQTT
import Yams

/// The `mqtt:` section of `vigil.yaml`: where the clinic's broker is and how to log in. The
/// password lives in a file of its own (mode 0600), never in the config.
public struct MQTTSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var clientID: String?
    public var username: String?
    public var passwordFile: String?
    public var tls: MQTTOptions.TLS?

    public init(host: String, port: Int = 1883, clientID: String? = nil, username: String? = nil,
                passwordFile: String? = nil, tls: MQTTOptions.TLS? = nil) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.username = username
        self.passwordFile = passwordFile
        self.tls = tls
    }

    /// `HOST:PORT` from the command line (`--mqtt`); the port defaults to 1883.
    public static func parse(address: String) -> MQTTSettings? {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 2 else { return nil }
        guard parts.count == 2 else { return MQTTSettings(host: String(host)) }
        guard let port = Int(parts[1]), (1...65_535).contains(port) else { return nil }
        return MQTTSettings(host: String(host), port: port)
    }

    /// The client's options for this room; reads the password file.
    public func options(site: String, room: String) throws -> MQTTOptions {
        var password: String?
        if let passwordFile {
            password = try TextInput.read(passwordFile).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return MQTTOptions(host: host, port: port, clientID: clientID ?? "vigil-\(site)-\(room)", username: username,
                           password: password, tls: tls)
    }

    /// The room's publisher on this broker; alarm events and summaries go through `outbox`.
    public func publisher(for identity: RoomIdentity, outbox: (any Outbox)?,
                          log: Logger) throws -> RoomPublisher {
        try RoomPublisher(options: try options(site: identity.site, room: identity.room),
                          topics: RoomTopics(site: identity.site, room: identity.room), outbox: outbox, log: log)
    }

    static func read(_ node: Node, reader: YAMLReader, relativeTo folder: String) -> MQTTSettings? {
        guard let f = reader.fields(node, "mqtt", known: ["host", "port", "client_id", "username", "password_file", "tls"]) else { return nil }
        guard let hostNode = f["host"] else {
            reader.report(node, "mqtt.host", "missing (the clinic broker's name or address)")
            return nil
        }
        guard let host = reader.string(hostNode, "mqtt.host") else { return nil }
        var settings = MQTTSettings(host: host)
        if let n = f["port"], let p = reader.number(n, "mqtt.port", in: 1...65_535) { settings.port = Int(p) }
        settings.clientID = f["client_id"].flatMap { reader.string($0, "mqtt.client_id") }
        settings.username = f["username"].flatMap { reader.string($0, "mqtt.username") }
        settings.passwordFile = f["password_file"].flatMap { ConfigPath.existingFile($0, "mqtt.password_file", reader, folder) }
        if settings.passwordFile != nil && settings.username == nil {
            reader.report(f["password_file"], "mqtt.password_file", "needs mqtt.username")
        }
        if let n = f["tls"], let t = reader.fields(n, "mqtt.tls", known: ["ca", "cert", "key"]) {
            if let ca = t["ca"].flatMap({ ConfigPath.existingFile($0, "mqtt.tls.ca", reader, folder) }) {
                let cert = t["cert"].flatMap { ConfigPath.existingFile($0, "mqtt.tls.cert", reader, folder) }
                let key = t["key"].flatMap { ConfigPath.existingFile($0, "mqtt.tls.key", reader, folder) }
                if (cert == nil) != (key == nil) { reader.report(n, "mqtt.tls", "cert and key go together") }
                settings.tls = MQTTOptions.TLS(caFile: ca, certFile: cert, keyFile: key)
            } else if t["ca"] == nil {
                reader.report(n, "mqtt.tls.ca", "missing (the CA that signed the broker's certificate)")
            }
        }
        return settings
    }

}
