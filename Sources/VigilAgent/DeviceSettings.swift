import Foundation
import VigilCore
import VigilDevices
import Yams

/// One device of the room, from the `devices:` list of `vigil.yaml`: its name in the room
/// (`oximeter`, `nibp`), the profile of its model, and where to find it — a serial port
/// (best a stable `/dev/serial/by-id/…` or udev symlink) or an MQTT topic.
public struct DeviceSettings: Sendable, Hashable {
    public var name: String
    public var profile: DeviceProfile
    public var port: String?
    public var topic: String?

    /// Where profiles named without a path are looked up, in order.
    public static var profileFolders: [String] { ["Devices", "/usr/share/vigil/Devices"] }

    static func readList(_ node: Node, reader: YAMLReader, relativeTo folder: String) -> [DeviceSettings] {
        guard let items = reader.list(node, "devices") else { return [] }
        var names: Set<String> = [], ports: Set<String> = []
        return items.compactMap { item in
            guard let f = reader.fields(item, "devices", known: ["name", "profile", "port", "topic"]) else { return nil }
            guard let nameNode = f["name"], let name = reader.string(nameNode, "devices.name") else {
                if f["name"] == nil { reader.report(item, "devices.name", "missing (oximeter, nibp, …)") }
                return nil
            }
            // The name is in alarms, MQTT topics, metrics labels and log lines: a plain word.
            if !VigilConfig.isValidName(name) {
                reader.report(nameNode, "devices.name", "\"\(name)\" must be 1–64 letters, digits, - or _ (it names the device in alarms, topics and logs)")
            }
            if !names.insert(name).inserted { reader.report(nameNode, "devices.name", "\"\(name)\" is used twice") }
            guard let profileNode = f["profile"] else {
                reader.report(item, "devices.profile", "missing (a file in Devices/, e.g. contec-cms50-v7)")
                return nil
            }
            guard let profile = loadProfile(profileNode, reader: reader, folder: folder) else { return nil }
            let port = f["port"].flatMap { reader.string($0, "devices.port") }
            if let port, let node = f["port"], !ports.insert(port).inserted {
                reader.report(node, "devices.port", "\(port) is given for two devices: one port carries one device")
            }
            let topic = f["topic"].flatMap { reader.string($0, "devices.topic") } ?? profile.mqtt?.topic
            switch profile.transport {
            case .serial where port == nil:
                reader.report(item, "devices.port", "missing for \(name) (a serial device: /dev/serial/by-id/…)")
                return nil
            case .mqtt where topic == nil:
                reader.report(item, "devices.topic", "missing for \(name) (an MQTT device)")
                return nil
            default:
                return DeviceSettings(name: name, profile: profile, port: port, topic: topic)
            }
        }
    }

    static func loadProfile(_ node: Node, reader: YAMLReader, folder: String) -> DeviceProfile? {
        guard let name = reader.string(node, "devices.profile") else { return nil }
        let candidates = name.contains("/") || name.hasSuffix(".yaml")
            ? [ConfigPath.resolve(name, relativeTo: folder)]
            : profileFolders.map { "\($0)/\(name).yaml" }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            reader.report(node, "devices.profile", "no profile \(candidates.joined(separator: " or "))")
            return nil
        }
        do {
            return try DeviceProfile.load(yaml: try TextInput.read(path), file: path)
        } catch {
            reader.report(node, "devices.profile", "\(path) is not valid: \(error)")
            return nil
        }
    }
}
