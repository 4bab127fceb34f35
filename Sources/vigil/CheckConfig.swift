import ArgumentParser
import Foundation
import VigilAgent
import VigilCore
import VigilDevices

/// `vigil check-config`: validate a room's config before the agent needs it.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a vigil.yaml, an alarm profile (--profile) or a device profile (--device).",
        discussion: "Prints FILE:LINE: key: problem for each error and exits 1; prints a summary and exits 0 when valid."
    )

    @Argument(help: "The file to check.")
    var file: String

    @Flag(help: "The file is an alarm profile (the alarms: section on its own), as vigil replay --profile takes.")
    var profile = false

    @Flag(help: "The file is a device profile, as in Devices/.")
    var device = false

    func run() throws {
        do {
            if device {
                let d = try DeviceProfile.load(yaml: try TextInput.read(file), file: file)
                switch d.transport {
                case .serial: print("\(file): ok: \(d.model), \(d.protocols.map(\.rawValue).joined(separator: " or ")) at \(d.settings.baud) baud")
                case .mqtt: print("\(file): ok: \(d.model), JSON over MQTT on \(d.mqtt?.topic ?? "the topic its room names")")
                }
            } else if profile {
                let p = try ProfileFile.load(path: file)
                print("\(file): ok: alarm profile with \(p.rules.count) limits and \(p.crisis.count) crisis tiers")
            } else {
                let config = try VigilConfig.load(path: file)
                let devices = config.devices.map { "\($0.name) (\($0.profile.model))" }.joined(separator: ", ")
                print("\(file): ok: site \(config.site), room \(config.room), \(config.alarms.rules.count) alarm limits and \(config.alarms.crisis.count) crisis tiers, "
                      + "devices: \(devices.isEmpty ? "none" : devices), "
                      + "broker: \(config.mqtt.map { "\($0.host):\($0.port)\($0.tls == nil ? "" : " over TLS")" } ?? "none (the room runs alone)"), "
                      + "pages: \(config.http.map(Self.describe) ?? "none")")
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The pages' address and who may log in, as the check prints them.
    static func describe(_ http: HTTPSettings) -> String {
        let roles = HTTPSettings.staffRoles.map { role in "\(http.logins.filter { $0.role == role }.count) \(role.rawValue)" }
        let warning = http.isPlainBeyondLoopback
            ? " (WARNING: no TLS certificate, PINs and vitals would cross the network in clear)" : ""
        return "\(http.certificate == nil ? "http" : "https")://\(http.address):\(http.port) with logins \(roles.joined(separator: ", "))" + warning
    }
}
