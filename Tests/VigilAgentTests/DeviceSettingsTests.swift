import Testing
import VigilAgent

/// The `devices:` list: a device's name is a plain word (it is in alarms, MQTT topics, metrics
/// labels and log lines), and one port carries one device.
@Suite("The devices in vigil.yaml")
struct DeviceSettingsTests {
    func parse(_ devices: String) throws -> VigilConfig {
        try VigilConfig.parse(yaml: "site: north\nroom: room-2\ndevices:\n" + devices, file: "vigil.yaml")
    }

    @Test("A name with a space, a quote or an MQTT wildcard, an empty one, and one port for two devices are each refused at their line")
    func refuses() {
        let profile = VigilCommand.packageRoot.appendingPathComponent("Devices/contec-cms50-v7.yaml").path
        let yaml = """
              - { name: "pulse ox", profile: \(profile), port: /dev/ttyUSB0 }
              - { name: "ox#+", profile: \(profile), port: /dev/ttyUSB1 }
              - { name: "", profile: \(profile), port: /dev/ttyUSB2 }
              - { name: oximeter, profile: \(profile), port: /dev/ttyUSB3 }
              - { name: spare, profile: \(profile), port: /dev/ttyUSB3 }

            """
        #expect {
            try parse(yaml)
        } throws: { error in
            let text = "\(error)"
            return text.contains("vigil.yaml:4: devices.name: \"pulse ox\" must be 1–64 letters, digits, - or _")
                && text.contains("vigil.yaml:5: devices.name: \"ox#+\" must be")
                && text.contains("vigil.yaml:6: devices.name: \"\" must be")
                && text.contains("vigil.yaml:8: devices.port: /dev/ttyUSB3 is given for two devices")
        }
    }

    @Test("Plain names on their own ports are read as given")
    func reads() throws {
        let profile = VigilCommand.packageRoot.appendingPathComponent("Devices/contec-cms50-v7.yaml").path
        let config = try parse("  - { name: oximeter, profile: \(profile), port: /dev/vigil/oximeter }\n  - { name: ox_2, profile: \(profile), port: /dev/vigil/ox2 }\n")
        #expect(config.devices.map(\.name) == ["oximeter", "ox_2"])
    }
}
