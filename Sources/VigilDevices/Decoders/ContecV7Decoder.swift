import Foundation
import VigilCore

/// Contec CMS50 protocol V7.0 (115200 8N1): packets start with a type byte whose bit 7 is 0;
/// byte 1 carries bit 7 of bytes 2…8; every other byte has bit 7 forced to 1 on the wire.
/// Realtime packets (`0x01`) carry SpO2, pulse and PI; the rest are decoded as valid but
/// carry no vitals.
///
/// A realtime packet is also rejected when its reserved bits (byte 4, bits 5–7) are not zero,
/// its signal strength is above the documented 8, or a value is outside ``PhysiologicalRange``.
public struct ContecV7Decoder: DeviceDecoder {
    public private(set) var stats = DecoderStats()
    private var buffer = ByteBuffer()

    /// Whole packet length by type (`lengths[type]`, 0 for no such type), from the PDF's table 2
    /// and OSCAR's length table. An array, not a dictionary: it is read for every byte.
    static let lengths: [Int] = [
        0, 9, 9, 9, 9, 9, 4, 8, 8, 6, 4, // 0x00–0x0A
        4, 2, 3, 3, 8, 3, 9, 8, 9, 9, 9, // 0x0B–0x15
    ]

    public init() {}

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        buffer.append(bytes)
        var out: [DeviceMessage] = []
        while buffer.count > 0 {
            let type = buffer[0]
            let length = Int(type) < Self.lengths.count ? Self.lengths[Int(type)] : 0
            guard length > 0 else {
                buffer.drop(1)
                stats.skippedBytes += 1
                continue
            }
            guard buffer.count >= length else { break }
            if let bad = (1..<length).first(where: { buffer[$0] < 0x80 }) {
                stats.rejected += 1
                buffer.drop(bad)
                continue
            }
            let raw = buffer.slice(length)
            let real = Self.restoreHighBits(raw)
            // Every byte after the type has bit 7 set, so none of them can start the next packet.
            buffer.drop(length)
            let message = Self.message(type: type, real: real)
            guard Self.isWellFormed(type: type, real: real), PhysiologicalRange.admits(message) else {
                stats.rejected += 1
                continue
            }
            stats.decoded += 1
            out.append(message)
        }
        return out
    }

    /// `real[i] = (raw[i] & 0x7F) | (bit i-2 of the high byte) << 7`.
    static func restoreHighBits(_ raw: [UInt8]) -> [UInt8] {
        guard raw.count > 2 else { return raw }
        let high = raw[1]
        return raw.indices.map { i in
            i < 2 ? raw[i] : (raw[i] & 0x7F) | (((high >> UInt8(i - 2)) & 1) << 7)
        }
    }

    /// The realtime packet's fixed bits (PDF table 3): byte 4 bits 5–7 are 0, signal strength
    /// (byte 2 bits 0–3) is 0…8. Other packet types have no documented fixed bits.
    static func isWellFormed(type: UInt8, real: [UInt8]) -> Bool {
        guard type == 0x01 else { return true }
        return real[4] & 0xE0 == 0 && real[2] & 0x0F <= 8
    }

    static func message(type: UInt8, real: [UInt8]) -> DeviceMessage {
        guard type == 0x01 else { return .info(String(format: "packet 0x%02X", type)) }
        let probeError = real[2] & 0x80 != 0
        let searching = real[2] & 0x10 != 0 || real[3] & 0x80 != 0
        let weak = real[2] & 0x0F <= ContecSignal.poorAtOrBelow
        let quality: ReadingQuality = probeError ? .sensorOff : searching ? .searching : weak ? .poorSignal : .valid
        let pulse = real[5] == 0xFF || real[5] == 0 ? nil : Double(real[5])
        let spo2 = real[6] == 0x7F || real[6] == 0 ? nil : Double(real[6])
        let piRaw = Int(real[7]) | Int(real[8]) << 8
        let piValid = real[4] & 0x10 == 0 && piRaw != 0xFFFF && quality == .valid
        var values = [sentinelAware(.spo2, spo2, quality), sentinelAware(.pulseRate, pulse, quality)]
        if piValid { values.append(DeviceValue(.perfusionIndex, Double(piRaw) / 100, .valid)) }
        return .values(values, deviceTime: nil)
    }
}

/// A valid-looking frame whose value is a sentinel still says "no value": it is reported as
/// searching, never as a valid zero. A value given with a poor signal keeps its value.
func sentinelAware(_ vital: Vital, _ value: Double?, _ quality: ReadingQuality) -> DeviceValue {
    guard quality == .valid || quality == .poorSignal else { return DeviceValue(vital, nil, quality) }
    return DeviceValue(vital, value, value == nil ? .searching : quality)
}

/// The Contec oximeters' signal strength (0…8, realtime byte 2 bits 0–3; the legacy frame's byte
/// 0 bits 0–3): at or below this, a value is read as given with a poor signal. A judgement
/// value: the manuals document the field, not where a signal stops being believable.
enum ContecSignal {
    static let poorAtOrBelow: UInt8 = 2
}
