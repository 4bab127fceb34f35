import Foundation
import VigilCore
import Yams

/// `vigil station`'s config file: `station:` (which site, where the archive is, when a room is
/// silent), and the same `mqtt:` and `http:` sections a room's `vigil.yaml` has.
///
/// ```yaml
/// station:
///   site: north-clinic          # omitted: every site on the broker (a group broker's station)
///   database: /var/lib/vigil/station.sqlite   # or postgres://vigil@db.example/vigil
///   silent_after: 30s
/// mqtt: { host: broker.north.example, port: 8883, username: station, password_file: station.pw }
/// http: { address: 0.0.0.0, port: 8443, logins: [...] }
/// ```
public struct StationConfig: Sendable {
    /// The site followed, or `nil` for every site.
    public var site: String?
    /// A SQLite file's path, or a `postgres://` URL.
    public var database: String
    /// 15 s at least: a room republishes its session every 10 s.
    public var silentAfter: Duration
    public var mqtt: MQTTSettings
    public var http: HTTPSettings?

    public init(site: String?, database: String, silentAfter: Duration = .seconds(30), mqtt: MQTTSettings, http: HTTPSettings?) {
        self.site = site
        self.database = database
        self.silentAfter = silentAfter
        self.mqtt = mqtt
        self.http = http
    }

    /// The archive is PostgreSQL rather than a SQLite file.
    public var isPostgres: Bool { database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") }

    public static func load(path: String) throws -> StationConfig {
        try parse(yaml: try TextInput.read(path), file: path)
    }

    /// Reads and validates a station config; throws every problem found, each with its line and key.
    public static func parse(yaml text: String, file: String) throws -> StationConfig {
        let reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else { throw ConfigProblems(reader.problems) }
        var config: StationConfig?
        if let f = reader.fields(root, "", known: ["station", "mqtt", "http"]) {
            let folder = (file as NSString).deletingLastPathComponent
            let mqtt = f["mqtt"].flatMap { MQTTSettings.read($0, reader: reader, relativeTo: folder) }
            if f["mqtt"] == nil { reader.report(root, "mqtt", "missing (the clinic broker the rooms publish on)") }
            let http = f["http"].flatMap { HTTPSettings.read($0, reader: reader, relativeTo: folder) }
            var site: String?, database = "var/station.sqlite", silentAfter = Duration.seconds(30)
            if let node = f["station"], let s = reader.fields(node, "station", known: ["site", "database", "silent_after"]) {
                if let n = s["site"], let name = reader.string(n, "station.site") {
                    if VigilConfig.isValidName(name) { site = name } else {
                        reader.report(n, "station.site", "a site is a plain word: letters, digits, - and _")
                    }
                }
                if let n = s["database"], let path = reader.string(n, "station.database") {
                    database = path.contains("://") ? path : ConfigPath.resolve(path, relativeTo: folder)
                }
                if let n = s["silent_after"], let d = reader.duration(n, "station.silent_after", in: .seconds(15)...(.seconds(600))) {
                    silentAfter = d
                }
            }
            if let mqtt { config = StationConfig(site: site, database: database, silentAfter: silentAfter, mqtt: mqtt, http: http) }
        }
        guard reader.problems.isEmpty, let config else { throw ConfigProblems(reader.problems) }
        return config
    }
}
