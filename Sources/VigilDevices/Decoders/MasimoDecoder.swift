import Foundation
import VigilCore

/// Masimo Rad-8 / Radical-5/7 serial ASCII (9600 8N1): one line per update, `MM/DD/YY
/// HH:MM:SS` then `KEY=value` tokens, ending CR LF. Field sets differ by model and firmware,
/// so tokens are read by key, never by column; a value whose second character is `-` is
/// unavailable. The EXC bit field says whether the sensor is usable.
///
/// The protocol has no sync bits and no checksum; a line is rejected when it holds anything but
/// printable ASCII, lacks `SPO2` or `BPM`, has a vital that is neither a number nor dashes, an
/// `EXC` that is not hexadecimal, or a value outside ``PhysiologicalRange``.
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
              let message = Self.parse(String(decoding: line, as: UTF8.self)),
              PhysiologicalRange.admits(message) else {
            stats.rejected += 1
            return nil
        }
        stats.decoded += 1
        return message
    }

    /// No usable sensor: no sensor, defective, sensor off, no cable.
    static let sensorOffBits = 0x01 | 0x02 | 0x20 | 0x1000
    static let searchingBits = 0x08
    /// Interference: a value not to be believed.
    static let interferenceBits = 0x10
    /// Low perfusion, low signal IQ: a value given with a poor signal.
    static let poorSignalBits = 0x04 | 0x400

    static func parse(_ text: String) -> DeviceMessage? {
        var fields: [String: String] = [:]
        for token in text.split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let spo2 = fields["SPO2"].flatMap(field), let bpm = fields["BPM"].flatMap(field) else { return nil }
        var pi: Double?
        if let text = fields["PI"] {
            guard let given = field(text) else { return nil }
            pi = given.value
        }
        // A garbled EXC must not read as "no exception": the line is rejected instead.
        let exc: Int
        if let text = fields["EXC"] {
            guard let bits = Int(text, radix: 16) else { return nil }
            exc = bits
        } else {
            exc = 0
        }
        let quality: ReadingQuality = exc & sensorOffBits != 0 ? .sensorOff
            : exc & searchingBits != 0 ? .searching
            : exc & interferenceBits != 0 ? .artifact
            : exc & poorSignalBits != 0 ? .poorSignal : .valid
        var values = [sentinelAware(.spo2, spo2.value, quality), sentinelAware(.pulseRate, bpm.value, quality)]
        if let pi, quality == .valid {
            values.append(DeviceValue(.perfusionIndex, pi, .valid))
        }
        return .values(values, deviceTime: nil)
    }

    /// A vital's field: a number, or unavailable.
    enum Field: Equatable {
        case number(Double)
        case unavailable

        var value: Double? { if case .number(let x) = self { x } else { nil } }
    }

    /// `097%` → 97; `---%` or `--.--` → unavailable; anything else (`0;7%`, a flipped bit) → `nil`.
    static func field(_ text: String) -> Field? {
        let chars = Array(text)
        if chars.count > 1 && chars[1] == "-" { return .unavailable }
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let x = Double(digits) else { return nil }
        return .number(x)
    }
}
