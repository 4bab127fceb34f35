import Foundation
import VigilCore

/// Builds the exact bytes devices send, for the simulator. Decoders are tested against the
/// frames published in `shared/devices.md`, not against these, so a bug here cannot hide one
/// there.
public enum FrameEncoder {
    /// What an oximeter shows at one moment.
    public struct OximeterState: Sendable, Hashable {
        public var spo2: Double?
        public var pulse: Double?
        public var perfusionIndex: Double?
        public var quality: ReadingQuality

        public init(spo2: Double? = 98, pulse: Double? = 72, perfusionIndex: Double? = nil, quality: ReadingQuality = .valid) {
            self.spo2 = spo2
            self.pulse = pulse
            self.perfusionIndex = perfusionIndex
            self.quality = quality
        }

        var shows: (spo2: Int?, pulse: Int?) {
            quality == .sensorOff || quality == .searching ? (nil, nil) : (spo2.map { Int($0) }, pulse.map { Int($0) })
        }
    }

    /// A Contec V7 realtime packet (`0x01`), high bits moved into byte 1.
    public static func contecV7(_ s: OximeterState, pleth: UInt8 = 0x33) -> [UInt8] {
        let off = s.quality == .sensorOff
        let searching = s.quality == .searching || s.quality == .artifact
        var b2: UInt8 = s.quality == .poorSignal ? 1 : 5   // signal strength
        if off { b2 |= 0x80 }
        if searching { b2 |= 0x10 }
        let b3: UInt8 = off ? 0x40 : (pleth & 0x7F) | (searching ? 0x80 : 0)
        let pi = s.quality == .valid ? s.perfusionIndex.map { Int(($0 * 100).rounded()) } : nil
        let b4: UInt8 = 6 | (pi == nil ? 0x10 : 0)
        let (spo2, pulse) = s.shows
        let piRaw = pi ?? 0xFFFF
        let real: [UInt8] = [0x01, 0, b2, b3, b4, UInt8(pulse ?? 0xFF), UInt8(spo2 ?? 0x7F),
                             UInt8(piRaw & 0xFF), UInt8(piRaw >> 8)]
        var wire = real
        var high: UInt8 = 0x80
        for i in 2..<9 {
            if real[i] & 0x80 != 0 { high |= 1 << UInt8(i - 2) }
            wire[i] = real[i] | 0x80
        }
        wire[1] = high
        return wire
    }

    /// A legacy Contec 5-byte frame.
    public static func contecLegacy(_ s: OximeterState, pleth: UInt8 = 0x40) -> [UInt8] {
        let (spo2, pulse) = s.shows
        let pr = pulse ?? 0
        var b2: UInt8 = 5
        if s.quality == .sensorOff { b2 |= 0x10 }
        if s.quality == .searching || s.quality == .artifact { b2 |= 0x20 }
        if pr & 0x80 != 0 { b2 |= 0x40 }
        let b0: UInt8 = s.quality == .poorSignal ? 0x81 : 0x87   // signal strength 1 or 7
        return [b0, pleth & 0x7F, b2, UInt8(pr & 0x7F), UInt8(spo2 ?? 0)]
    }

    /// A Masimo ASCII 2 line, dashes for what is unavailable.
    public static func masimo(_ s: OximeterState, at time: Date) -> [UInt8] {
        let exc: Int = switch s.quality {
        case .valid, .derived: 0x800
        case .sensorOff: 0x20
        case .searching: 0x08
        case .artifact, .outOfRange: 0x10        // interference
        case .poorSignal: 0x800 | 0x400          // low signal IQ
        }
        let (spo2, pulse) = s.shows
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "MM/dd/yy HH:mm:ss"
        let pi = s.quality == .valid ? s.perfusionIndex.map { String(format: "%05.2f", $0) } : nil
        let line = "\(f.string(from: time)) SN=0000093112 SPO2=\(spo2.map { String(format: "%03d", $0) } ?? "---")% "
            + "BPM=\(pulse.map { String(format: "%03d", $0) } ?? "---") PI=\(pi ?? "--.--")% SPCO=--.-% SPMET=--.-% "
            + "DESAT=-- PIDELTA=+-- ALARM=0000 EXC=\(String(format: "%06X", exc))\r\n"
        return Array(line.utf8)
    }

    /// A Nonin format #8 record.
    public static func nonin8(_ s: OximeterState) -> [UInt8] {
        let (spo2, pulse) = s.shows
        let hr = pulse ?? 511
        var status: UInt8 = 0x80 | UInt8((hr >> 7) & 0x03)
        if s.quality == .artifact { status |= 0x20 }     // OOT
        if s.quality == .poorSignal { status |= 0x04 }   // ARTF
        return [status, UInt8(hr & 0x7F), UInt8(spo2 ?? 127), s.quality == .sensorOff ? 0x08 : 0x00]
    }

    /// One Nonin format #2 packet: 25 frames, HR and SpO2 in frames 1–3.
    public static func nonin2Packet(_ s: OximeterState) -> [UInt8] {
        let (spo2, pulse) = s.shows
        let hr = pulse ?? 511
        var floats = [UInt8](repeating: 0, count: 25)
        floats[0] = UInt8((hr >> 7) & 0x03)
        floats[1] = UInt8(hr & 0x7F)
        floats[2] = UInt8(spo2 ?? 127)
        return (0..<25).flatMap { i -> [UInt8] in
            var status: UInt8 = 0x82 | (i == 0 ? 0x01 : 0)
            if s.quality == .sensorOff { status |= 0x08 }
            if s.quality == .artifact { status |= 0x10 }     // OOT
            if s.quality == .poorSignal { status |= 0x20 }   // ARTF
            let body: [UInt8] = [0x01, status, 0x80, floats[i]]
            return body + [body.checksum]
        }
    }

    // MARK: SunTech module replies

    public static func sunTech(_ data: [UInt8]) -> [UInt8] {
        let body = [0x3E, UInt8(data.count + 3)] + data
        return body + [0 &- body.checksum]
    }

    public static func sunTechAck(_ ack: SunTechAck) -> [UInt8] { sunTech([ack.rawValue]) }

    public static func sunTechCuff(_ mmHg: Int?) -> [UInt8] {
        let p = mmHg ?? 0xFFFF
        return sunTech([UInt8(p & 0xFF), UInt8(p >> 8)])
    }

    public static func sunTechResult(systolic: Int, diastolic: Int, mean: Int, pulse: Int, error: UInt8 = 0) -> [UInt8] {
        var data = [UInt8](repeating: 0, count: 21)
        func put(_ offset: Int, _ v: Int) { data[offset - 2] = UInt8(v & 0xFF); data[offset - 1] = UInt8(v >> 8 & 0xFF) }
        if error == 0 {
            put(2, systolic)
            put(4, diastolic)
            put(16, pulse)
            put(18, mean)
        }
        data[18] = error
        return sunTech(data)
    }
}
