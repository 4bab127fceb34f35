import Foundation
import VigilCore

/// An acknowledgement from the SunTech Advantage module.
public enum SunTechAck: UInt8, Sendable, Hashable {
    case received = 0x4F      // 'O'
    case done = 0x4B          // 'K'
    case aborted = 0x41       // 'A'
    case busy = 0x42          // 'B'
    case error = 0x45         // 'E'
    case undefined = 0x4E     // 'N'
    case unrecognizable = 0x44 // 'D'
    case sleeping = 0x53      // 'S'
    case timeout = 0x54       // 'T'
}

/// SunTech Advantage / Advantage A+ NIBP module, module to host (9600 8N1): `3E LEN data CS`,
/// LEN counting every byte of the frame, and every byte of the frame summing to 0 mod 256.
/// Four-byte frames acknowledge, five-byte frames give the cuff pressure, 24-byte frames the
/// measurement (systolic, diastolic, pulse, MAP, error code). A measurement outside
/// ``PhysiologicalRange`` is rejected like a bad checksum.
public struct SunTechDecoder: DeviceDecoder {
    public private(set) var stats = DecoderStats()
    private var buffer = ByteBuffer()

    public init() {}

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        buffer.append(bytes)
        var out: [DeviceMessage] = []
        while buffer.count > 0 {
            guard buffer[0] == 0x3E else {
                buffer.drop(1)
                stats.skippedBytes += 1
                continue
            }
            guard buffer.count >= 2 else { break }
            let length = Int(buffer[1])
            guard length >= 4 else {
                stats.rejected += 1
                buffer.drop(1)
                continue
            }
            guard buffer.count >= length else { break }
            let frame = buffer.slice(length)
            guard frame.checksum == 0 else {
                stats.rejected += 1
                buffer.drop(1)
                continue
            }
            buffer.drop(length)
            let message = Self.message(frame)
            guard PhysiologicalRange.admits(message) else {
                stats.rejected += 1
                continue
            }
            stats.decoded += 1
            out.append(message)
        }
        return out
    }

    static func message(_ f: [UInt8]) -> DeviceMessage {
        func le(_ i: Int) -> Int { Int(f[i]) | Int(f[i + 1]) << 8 }
        switch f.count {
        case 4:
            return SunTechAck(rawValue: f[2]).map(DeviceMessage.acknowledged)
                ?? .info(String(format: "acknowledgement 0x%02X", f[2]))
        case 5:
            let pressure = le(2)
            return .cuffPressure(pressure == 0xFFFF ? nil : pressure)
        case 24:
            let code = f[20]
            guard code == 0 else { return .measurementFailed(code: code, reason: errorMeaning(code)) }
            return .values([DeviceValue(.systolic, Double(le(2)), .valid),
                            DeviceValue(.diastolic, Double(le(4)), .valid),
                            DeviceValue(.meanArterial, Double(le(18)), .valid),
                            DeviceValue(.nibpPulse, Double(le(16)), .valid)], deviceTime: nil)
        default:
            return .info("module frame of \(f.count) bytes")
        }
    }

    /// The module's error codes (nPM's enum; decimal codes, not the hex its comparison implies).
    static func errorMeaning(_ code: UInt8) -> String {
        switch code {
        case 0x01: "weak or no signal"
        case 0x02: "erratic signal or artifact"
        case 0x03: "blood pressure out of range"
        case 0x04: "measurement timeout"
        case 0x55: "pneumatic blockage"
        case 0x56: "aborted by user"
        case 0x57: "inflation timeout, leak or loose cuff"
        case 0x58: "safety timeout"
        case 0x59: "cuff overpressure"
        case 0x5A: "power or hardware fault"
        case 0x5B: "permission or auto-zero fault"
        case 0x61: "transducer out of range"
        case 0x63: "EEPROM calibration failure"
        default: "error code \(code)"
        }
    }
}
