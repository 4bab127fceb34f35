import Foundation
import Testing
import VigilCore
import VigilDevices

@Suite("Device profiles")
struct DeviceProfileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Devices")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test("Every shipped profile in Devices/ is valid", arguments: files)
    func shipped(file: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let profile = try DeviceProfile.load(yaml: text, file: file)
        #expect(!profile.vitals.isEmpty)
        switch profile.transport {
        case .serial: #expect(profile.vitals.allSatisfy { profile.protocols[0].vitals.contains($0) })
        case .mqtt: #expect(Set(profile.mqtt?.mapping.fields.map(\.vital) ?? []) == Set(profile.vitals))
        }
    }

    @Test("The CMS50 profile probes V7 first, then the legacy protocol, and names its USB bridge")
    func contec() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("contec-cms50-v7.yaml"), encoding: .utf8)
        let profile = try DeviceProfile.load(yaml: text, file: "contec-cms50-v7.yaml")
        #expect(profile.protocols == [.contecV7, .contecLegacy])
        #expect(profile.settings == SerialSettings(baud: 115_200))
        #expect(profile.usbVendor == "10c4")
        #expect(profile.usbProduct == "ea60")
        let legacy = try DeviceProfile.load(yaml: String(contentsOf: Self.folder.appendingPathComponent("contec-cms50-legacy.yaml"), encoding: .utf8), file: "l")
        #expect(legacy.settings == SerialSettings(baud: 19_200, parity: .odd, flowControl: .software))
    }

    @Test("A bad profile names file, line and key for every problem")
    func problems() throws {
        let text = """
            model: Mystery oximeter
            transport: serial
            protocol: contec-v9
            port: { baud: 12345, parity: maybe }
            vitals: [spo2, temperature]
            usb: { vendor: 10c4x }
            """
        let error = try #require(throws: ConfigProblems.self) { try DeviceProfile.load(yaml: text, file: "mystery.yaml") }
        let lines = error.problems.map(\.description)
        #expect(lines.contains { $0.hasPrefix("mystery.yaml:3: protocol: \"contec-v9\" is not one of") })
        #expect(lines.contains { $0.hasPrefix("mystery.yaml:4: port.baud: 12345 is not a supported rate") })
        #expect(lines.contains { $0.hasPrefix("mystery.yaml:4: port.parity: \"maybe\" is not one of") })
        #expect(lines.contains { $0.hasPrefix("mystery.yaml:5: vitals: \"temperature\" is not one of") })
        #expect(lines.contains("mystery.yaml:6: usb.vendor: \"10c4x\" is not four hex digits (as lsusb prints it)"))
    }

    @Test("A BP module's profile cannot claim an SpO2")
    func vitalsMatchProtocol() throws {
        let error = try #require(throws: ConfigProblems.self) {
            try DeviceProfile.load(yaml: "model: x\ntransport: serial\nprotocol: suntech\nvitals: [systolic, spo2]\n", file: "x.yaml")
        }
        #expect(error.problems.map(\.description) == ["x.yaml:4: vitals: suntech does not give spo2"])
    }
}
