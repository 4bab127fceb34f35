import Foundation
import VigilCore
import Yams

/// One supported device model, as a file in `Devices/`: how it connects, which protocol it
/// speaks (or which to probe, in order), the port settings, the vitals it gives, and the USB ids
/// a udev rule can match to give it a stable name.
public struct DeviceProfile: Sendable, Hashable {
    public enum Transport: String, Sendable, Hashable, CaseIterable { case serial, mqtt }

    /// A device that publishes JSON on an MQTT topic (a bridge board, a gateway).
    public struct MQTTSource: Sendable, Hashable {
        /// The topic it publishes on; a room's config may name another.
        public var topic: String?
        public var mapping: JSONDeviceMapping
        /// Whether it streams (so silence raises `no_data`) or reports now and then.
        public var continuous: Bool
    }

    public var model: String
    public var transport: Transport
    /// Serial only: protocols to try in order; the first that yields valid frames is kept.
    public var protocols: [DeviceProtocol]
    /// MQTT only.
    public var mqtt: MQTTSource?
    public var settings: SerialSettings
    public var vitals: [Vital]
    public var usbVendor: String?
    public var usbProduct: String?
    public var watchdog: Duration

    static let keys = ["model", "transport", "protocol", "probe", "port", "vitals", "usb", "watchdog", "notes", "topic", "json", "continuous"]

    /// Reads and validates a profile; throws every problem with its line.
    public static func load(yaml text: String, file: String) throws -> DeviceProfile {
        let reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else { throw ConfigProblems(reader.problems) }
        let profile = read(root, reader: reader)
        guard reader.problems.isEmpty, let profile else { throw ConfigProblems(reader.problems) }
        return profile
    }

    static func read(_ root: Node, reader: YAMLReader) -> DeviceProfile? {
        guard let f = reader.fields(root, "", known: keys) else { return nil }
        func required(_ key: String) -> Node? {
            if let n = f[key] { return n }
            reader.report(root, key, "missing")
            return nil
        }
        let model = required("model").flatMap { reader.string($0, "model") }
        let transport = required("transport").flatMap { reader.choice($0, "transport", as: Transport.self) }
        if transport == .mqtt { return readMQTT(f, root: root, model: model, reader: reader) }
        let primary = required("protocol").flatMap { reader.choice($0, "protocol", as: DeviceProtocol.self) }
        var protocols = primary.map { [$0] } ?? []
        if let n = f["probe"], let items = reader.list(n, "probe") {
            let probed = items.compactMap { reader.choice($0, "probe", as: DeviceProtocol.self) }
            if let primary, !probed.contains(primary) { reader.report(n, "probe", "must include the protocol \(primary.rawValue)") }
            protocols = probed
        }
        var settings = primary?.defaultSettings ?? SerialSettings(baud: 9_600)
        if let n = f["port"] { settings = readPort(n, reader, settings) }
        var vitals: [Vital] = []
        if let n = required("vitals"), let items = reader.list(n, "vitals") {
            vitals = items.compactMap { reader.choice($0, "vitals", as: Vital.self) }
            for vital in vitals where primary.map({ !$0.vitals.contains(vital) }) ?? false {
                reader.report(n, "vitals", "\(primary!.rawValue) does not give \(vital.rawValue)")
            }
        }
        var vendor: String?, product: String?
        if let n = f["usb"], let u = reader.fields(n, "usb", known: ["vendor", "product"]) {
            vendor = u["vendor"].flatMap { hexID($0, "usb.vendor", reader) }
            product = u["product"].flatMap { hexID($0, "usb.product", reader) }
        }
        let watchdog = f["watchdog"].flatMap { reader.duration($0, "watchdog") } ?? .seconds(5)
        guard let model, !protocols.isEmpty else { return nil }
        return DeviceProfile(model: model, transport: .serial, protocols: protocols, mqtt: nil, settings: settings,
                             vitals: vitals, usbVendor: vendor, usbProduct: product, watchdog: watchdog)
    }

    static func readPort(_ node: Node, _ reader: YAMLReader, _ base: SerialSettings) -> SerialSettings {
        guard let f = reader.fields(node, "port", known: ["baud", "data_bits", "parity", "stop_bits", "flow_control"]) else { return base }
        var s = base
        if let n = f["baud"], let b = reader.number(n, "port.baud") {
            if SerialSettings.supportedBauds.contains(Int(b)) { s.baud = Int(b) } else {
                reader.report(n, "port.baud", "\(Int(b)) is not a supported rate (\(SerialSettings.supportedBauds.map(String.init).joined(separator: ", ")))")
            }
        }
        if let n = f["data_bits"], let d = reader.number(n, "port.data_bits", in: 5...8) { s.dataBits = Int(d) }
        if let n = f["parity"], let p = reader.choice(n, "port.parity", as: SerialSettings.Parity.self) { s.parity = p }
        if let n = f["stop_bits"], let b = reader.number(n, "port.stop_bits", in: 1...2) { s.stopBits = Int(b) }
        if let n = f["flow_control"], let c = reader.choice(n, "port.flow_control", as: SerialSettings.FlowControl.self) { s.flowControl = c }
        return s
    }

    static func hexID(_ node: Node, _ key: String, _ reader: YAMLReader) -> String? {
        guard let text = reader.string(node, key) else { return nil }
        guard text.count == 4, UInt16(text, radix: 16) != nil else {
            reader.report(node, key, "\"\(text)\" is not four hex digits (as lsusb prints it)")
            return nil
        }
        return text.lowercased()
    }
}

extension DeviceProtocol {
    /// The vitals a protocol can carry.
    public var vitals: [Vital] {
        switch self {
        case .suntech: [.systolic, .diastolic, .meanArterial, .nibpPulse]
        case .contecV7, .masimoASCII: [.spo2, .pulseRate, .perfusionIndex]
        case .contecLegacy, .nonin2, .nonin7, .nonin8, .nonin13: [.spo2, .pulseRate]
        }
    }
}
