import Foundation
import VigilCore
import Yams

/// The room's `vigil.yaml`: which site and room this agent is, its devices, its database, the
/// clinic's broker (optional) and the clinic's alarm profile. Files it names are relative to it.
public struct VigilConfig: Sendable, Equatable {
    /// Site and room names appear in MQTT topics, so they are plain identifiers.
    public var site: String
    public var room: String
    public var alarms: AlarmProfile
    public var database: String
    public var devices: [DeviceSettings]
    /// Without it the room runs alone.
    public var mqtt: MQTTSettings?
    /// Without it the room has no music.
    public var audio: AudioSettings?
    /// The staff's pages; without it (and without `--http`) `vigil run` serves none.
    public var http: HTTPSettings?

    public init(site: String, room: String, alarms: AlarmProfile = .clinicDefault, database: String = "var/vigil.sqlite",
                devices: [DeviceSettings] = [], mqtt: MQTTSettings? = nil, audio: AudioSettings? = nil) {
        self.audio = audio
        self.site = site
        self.room = room
        self.alarms = alarms
        self.database = database
        self.devices = devices
        self.mqtt = mqtt
    }

    static let keys = ["site", "room", "alarms", "database", "devices", "mqtt", "audio", "http"]

    /// Reads and validates a config file; throws every problem found, each with its line.
    public static func load(path: String) throws -> VigilConfig {
        try parse(yaml: try TextInput.read(path), file: path)
    }

    public static func parse(yaml text: String, file: String) throws -> VigilConfig {
        let reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else { throw ConfigProblems(reader.problems) }
        var config: VigilConfig?
        if let f = reader.fields(root, "", known: keys) {
            let site = name(f["site"], "site", root, reader)
            let room = name(f["room"], "room", root, reader)
            let alarms = f["alarms"].map { AlarmProfile.read($0, key: "alarms", reader: reader) } ?? .clinicDefault
            let folder = (file as NSString).deletingLastPathComponent
            let database = f["database"].flatMap { reader.string($0, "database") }
                .map { ConfigPath.resolve($0, relativeTo: folder) } ?? "var/vigil.sqlite"
            let devices = f["devices"].map { DeviceSettings.readList($0, reader: reader, relativeTo: folder) } ?? []
            let mqtt = f["mqtt"].flatMap { MQTTSettings.read($0, reader: reader, relativeTo: folder) }
            let audio = f["audio"].flatMap { AudioSettings.read($0, reader: reader, relativeTo: folder) }
            let http = f["http"].flatMap { HTTPSettings.read($0, reader: reader, relativeTo: folder) }
            if let site, let room, let alarms {
                config = VigilConfig(site: site, room: room, alarms: alarms, database: database, devices: devices, mqtt: mqtt,
                                     audio: audio)
                config?.http = http
            }
        }
        guard reader.problems.isEmpty, let config else { throw ConfigProblems(reader.problems) }
        return config
    }

    /// Checks a site or room name given on the command line.
    public static func isValidName(_ text: String) -> Bool {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
        return !text.isEmpty && text.count <= 64 && text.unicodeScalars.allSatisfy { $0.isASCII && allowed.contains($0) }
    }

    private static func name(_ node: Node?, _ key: String, _ root: Node, _ reader: YAMLReader) -> String? {
        guard let node else {
            reader.report(root, key, "missing (a short name such as north-clinic or room-2)")
            return nil
        }
        guard let text = reader.string(node, key) else { return nil }
        guard isValidName(text) else {
            reader.report(node, key, "\"\(text)\" must be 1–64 letters, digits, - or _ (it is part of MQTT topics)")
            return nil
        }
        return text
    }
}

/// Loads an alarm profile file for `vigil replay --profile`.
public enum ProfileFile {
    public static func load(path: String) throws -> AlarmProfile {
        try AlarmProfile.load(yaml: try TextInput.read(path), file: path)
    }
}

/// A file the user named, or standard input for `-`.
public enum TextInput {
    public struct Unreadable: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func read(_ path: String) throws -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw Unreadable(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw Unreadable(path: path, reason: "is not UTF-8 text") }
        return text
    }
}
