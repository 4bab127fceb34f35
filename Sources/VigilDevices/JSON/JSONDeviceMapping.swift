import Foundation
import VigilCore

/// How a device that publishes JSON over MQTT maps onto vitals: which field holds which vital,
/// in which unit, where its timestamp is, and which values mean "no reading". There is no
/// common schema among such bridges (an ESP32 with a MAX30102 publishes whatever its sketch
/// says), so each gets a profile in `Devices/` instead of code.
public struct JSONDeviceMapping: Sendable, Hashable {
    /// One vital's field. An empty path means the whole payload is the number (`97`).
    public struct Field: Sendable, Hashable {
        public var vital: Vital
        public var path: [String]
        public var unit: IncomingUnit
        /// Multiplies the value after the unit conversion (e.g. 0.1 for tenths).
        public var scale: Double

        public init(vital: Vital, path: [String], unit: IncomingUnit? = nil, scale: Double = 1) {
            self.vital = vital
            self.path = path
            self.unit = unit ?? .native
            self.scale = scale
        }
    }

    public enum TimeFormat: String, Sendable, Hashable, CaseIterable {
        case epochSeconds = "epoch_s"
        case epochMilliseconds = "epoch_ms"
        case iso8601
    }

    public var fields: [Field]
    public var timePath: [String]?
    public var timeFormat: TimeFormat
    /// Values the device sends instead of a reading (finger out, searching): a reading with no
    /// value and quality `sensor_off`, never a number the alarm engine acts on.
    public var invalid: Set<Double>

    public init(fields: [Field], timePath: [String]? = nil, timeFormat: TimeFormat = .epochSeconds, invalid: Set<Double> = []) {
        self.fields = fields
        self.timePath = timePath
        self.timeFormat = timeFormat
        self.invalid = invalid
    }

    /// Why a payload gave no reading, for the agent's counters and its log.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The values in one payload. A field that is absent gives nothing; `null` or an invalid
    /// sentinel gives a reading with no value; anything else that is not a number is a problem.
    public func decode(_ payload: [UInt8]) throws(Problem) -> DeviceMessage {
        guard let root = try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed]) else {
            throw Problem(description: "not JSON: \(String(decoding: payload.prefix(60), as: UTF8.self))")
        }
        var values: [DeviceValue] = []
        for field in fields {
            guard let found = Self.lookup(field.path, in: root) else { continue }
            if found is NSNull {
                values.append(DeviceValue(field.vital, nil, .sensorOff))
                continue
            }
            guard let raw = Self.number(found) else {
                throw Problem(description: "\(field.pathText): \(found) is not a number")
            }
            if invalid.contains(raw) {
                values.append(DeviceValue(field.vital, nil, .sensorOff))
            } else {
                let value = field.unit.convert(raw) * field.scale
                guard value.isFinite else { throw Problem(description: "\(field.pathText): \(found) is past any number") }
                values.append(DeviceValue(field.vital, value, .valid))
            }
        }
        guard !values.isEmpty else { throw Problem(description: "no mapped field in the payload") }
        var time: Date?
        if let timePath, let stamp = Self.lookup(timePath, in: root) {
            time = timeFormat.date(from: stamp)
            if time == nil { throw Problem(description: "\(timePath.joined(separator: ".")): \(stamp) is not a \(timeFormat.rawValue) time") }
        }
        return .values(values, deviceTime: time)
    }

    static func lookup(_ path: [String], in root: Any) -> Any? {
        var node: Any = root
        for key in path {
            if let object = node as? [String: Any], let next = object[key] {
                node = next
            } else if let array = node as? [Any], let index = Int(key), array.indices.contains(index) {
                node = array[index]
            } else {
                return nil
            }
        }
        return node
    }

    static func number(_ value: Any) -> Double? {
        // `true` is an NSNumber too; a flag is never a vital's value.
        // Nor is "nan" or "inf" (which Double reads): a NaN compares false with every limit, so
        // a desaturation read as one would never alarm (found by fuzzing).
        var number: Double?
        if let n = value as? NSNumber, String(cString: n.objCType) != "c" { number = n.doubleValue }
        if let s = value as? String { number = Double(s.trimmingCharacters(in: .whitespaces)) }
        return number?.isFinite == true ? number : nil
    }
}

extension JSONDeviceMapping.Field {
    var pathText: String { path.isEmpty ? "(payload)" : path.joined(separator: ".") }
}

extension JSONDeviceMapping.TimeFormat {
    func date(from value: Any) -> Date? {
        switch self {
        case .epochSeconds: JSONDeviceMapping.number(value).map { Date(timeIntervalSince1970: $0) }
        case .epochMilliseconds: JSONDeviceMapping.number(value).map { Date(timeIntervalSince1970: $0 / 1000) }
        case .iso8601: (value as? String).flatMap { try? Date($0, strategy: .iso8601) }
        }
    }
}
