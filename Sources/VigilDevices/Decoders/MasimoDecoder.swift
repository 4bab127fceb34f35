import Foundation
import VigilCore

/// Masimo Rad-8 / Radical-5/7 serial ASCII (9600 8N1): one line per update, `MM/DD/YY
/// HH:MM:SS` then `KEY=value` tokens, ending CR LF. Field sets differ by model and firmware,
/// so tokens are read by key, never by column; a value whose second character is `-` is
/// unavailable. The EXC bit field says whether the sensor is usable.
public struct MasimoDecoder: DeviceDecoder {
    public private(set) var stats = DecoderStats()
    private var line: [UInt8] = []
    private var discarding = false
    static let maxLine = 512

    public init() {}

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        var out: [DeviceMessage] = []
        for byte in bytes {
            if byte == 0x0A {
                if discarding { discarding = false; line.removeAll(); continue }
                if let message = finish() { out.append(message) }
                continue
            }
            if discarding { stats.skippedBytes += 1; continue }
            line.append(byte)
            if line.count > Self.maxLine {
                stats.rejected += 1
                line.removeAll()
                discarding = true
            }
        }
        return out
    }

    private mutating func finish() -> DeviceMessage? {
        defer { line.removeAll() }
        while line.last == 0x0D { line.removeLast() }
        guard !line.isEmpty else { return nil }
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
              let message = Self.parse(String(decoding: line, as: UTF8.self)) else {
            stats.rejected += 1
            return nil
        }
        stats.decoded += 1
        return message
    }

    /// No usable sensor: no sensor, defective, sensor off, no cable.
    static let sensorOffBits = 0x01 | 0x02 | 0x20 | 0x1000
    static let searchingBits = 0x08
    /// Low perfusion, interference, low signal IQ: a value not to be believed.
    static let lowQualityBits = 0x04 | 0x10 | 0x400

    static func parse(_ text: String) -> DeviceMessage? {
        var fields: [String: String] = [:]
        for token in text.split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let spo2Text = fields["SPO2"], let bpmText = fields["BPM"] else { return nil }
        let exc = fields["EXC"].flatMap { Int($0, radix: 16) } ?? 0
        let quality: ReadingQuality = exc & sensorOffBits != 0 ? .sensorOff
            : exc & searchingBits != 0 ? .searching
            : exc & lowQualityBits != 0 ? .artifact : .valid
        var values = [sentinelAware(.spo2, number(spo2Text), quality),
                      sentinelAware(.pulseRate, number(bpmText), quality)]
        if let pi = fields["PI"].flatMap(number), quality == .valid {
            values.append(DeviceValue(.perfusionIndex, pi, .valid))
        }
        return .values(values, deviceTime: nil)
    }

    /// `097%` → 97; `---%` or `--.--` → unavailable.
    static func number(_ text: String) -> Double? {
        let chars = Array(text)
        if chars.count > 1 && chars[1] == "-" { return nil }
        return Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "%")))
    }
}
