import Foundation
import VigilCore

/// Nonin serial data formats #2, #7 and #8 (9600 8N1).
///
/// - #2: 5-byte frames `01 STATUS PLETH FLOAT CHK`, 25 frames a packet (SYNC bit on frame 1);
///   the FLOAT byte of frames 1–3 carries the 4-beat HR (MSB, LSB) and SpO2.
/// - #7: the same with a 16-bit pleth: `STATUS PLETH_MSB PLETH_LSB FLOAT CHK`.
/// - #8: 4 bytes once a second: status, HR-D, SpO2-D, status 2 (display values).
///
/// Missing values are HR 511 and SpO2 127. SNSA (sensor alarm) reads as sensor off; OOT (out of
/// track: sustained artifact, the value missing or held) as artifact; ARTF (artifact on a beat)
/// and red perfusion as a value given with a poor signal.
///
/// Checks beyond the sync bits and checksums: reserved bits must be 0 (STATUS bit 6 in #2/#7;
/// in #8 status bit 6 and status-2 bits 6, 4, 2, 1), and a #2/#7 packet is not reported when its
/// SYNC frame came anywhere but 25 frames after the previous one — a flipped SYNC bit would
/// otherwise take HR and SpO2 from the wrong frames; a lost byte forgets the count. Values outside
/// ``PhysiologicalRange`` reject the frame that completes them.
public struct NoninDecoder: DeviceDecoder {
    public enum Format: Int, Sendable { case two = 2, seven = 7, eight = 8 }

    public let format: Format
    public private(set) var stats = DecoderStats()
    private var buffer = ByteBuffer()
    /// Frame number within the current #2/#7 packet (1…25), `nil` until a SYNC frame is seen.
    private var frame: Int?
    /// Whether the current packet's SYNC frame came where the previous packet said it would.
    private var packetInStep = false
    private var floats: [Int: UInt8] = [:]
    private var statuses: [UInt8] = []

    public init(format: Format) { self.format = format }

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        buffer.append(bytes)
        return format == .eight ? decodeFormat8() : decodeFramed()
    }

    private var frameLength: Int { 5 }

    private mutating func decodeFramed() -> [DeviceMessage] {
        var out: [DeviceMessage] = []
        while buffer.count > 0 {
            let statusIndex = format == .two ? 1 : 0
            if format == .two && buffer[0] != 0x01 { skip(); continue }
            guard buffer.count > statusIndex else { break }
            guard buffer[statusIndex] & 0xC0 == 0x80 else { skip(); continue }
            guard buffer.count >= frameLength else { break }
            let f = buffer.slice(frameLength)
            guard f[0..<4].checksum == f[4] else {
                stats.rejected += 1
                buffer.drop(1)
                frame = nil
                continue
            }
            buffer.drop(frameLength)
            let message = take(status: f[statusIndex], float: f[3])
            guard message.map({ PhysiologicalRange.admits($0) }) ?? true else {
                stats.rejected += 1
                frame = nil
                continue
            }
            stats.decoded += 1
            if let message { out.append(message) }
        }
        return out
    }

    /// A byte out of place: whatever packet was being read has lost its frame count.
    private mutating func skip() {
        buffer.drop(1)
        stats.skippedBytes += 1
        frame = nil
    }

    /// Collects one frame's FLOAT byte; after frame 3 of a packet, reports HR and SpO2.
    private mutating func take(status: UInt8, float: UInt8) -> DeviceMessage? {
        if status & 0x01 != 0 {
            // Unknown (stream start, or a byte lost): nothing contradicts this SYNC.
            packetInStep = frame == nil || frame == 25
            frame = 1
            floats.removeAll()
            statuses.removeAll()
        } else if let f = frame {
            frame = f == 25 ? nil : f + 1
        }
        guard let number = frame, packetInStep else { return nil }
        floats[number] = float
        statuses.append(status)
        guard number == 3, let msb = floats[1], let lsb = floats[2], let spo2 = floats[3] else { return nil }
        let hr = Int(msb & 0x03) << 7 | Int(lsb & 0x7F)
        let sensorAlarm = statuses.contains { $0 & 0x08 != 0 }
        let outOfTrack = statuses.contains { $0 & 0x10 != 0 }
        // ARTF on a beat, or red perfusion (RPRF set, GPRF clear: bits 2–1 = 10).
        let poor = statuses.contains { $0 & 0x20 != 0 || $0 & 0x06 == 0x04 }
        return Self.values(hr: hr, spo2: Int(spo2 & 0x7F), sensorAlarm: sensorAlarm, artifact: outOfTrack, poorSignal: poor)
    }

    private mutating func decodeFormat8() -> [DeviceMessage] {
        var out: [DeviceMessage] = []
        while buffer.count > 0 {
            guard buffer[0] & 0x80 != 0 else { skip(); continue }
            guard buffer.count >= 4 else { break }
            if let bad = (1..<4).first(where: { buffer[$0] & 0x80 != 0 }) {
                stats.rejected += 1
                buffer.drop(bad)
                continue
            }
            let f = buffer.slice(4)
            buffer.drop(4)  // bytes 1–3 have bit 7 clear: none of them starts a record
            let hr = Int(f[0] & 0x03) << 7 | Int(f[1] & 0x7F)
            // Status: OOT bit 5, LPRF (low perfusion) bit 4, ARTF bit 2.
            let message = Self.values(hr: hr, spo2: Int(f[2] & 0x7F), sensorAlarm: f[3] & 0x08 != 0,
                                      artifact: f[0] & 0x20 != 0, poorSignal: f[0] & 0x14 != 0)
            // Reserved bits: status bit 6; status 2 bits 6, 4, 2 and 1.
            guard f[0] & 0x40 == 0, f[3] & 0x56 == 0, PhysiologicalRange.admits(message) else {
                stats.rejected += 1
                continue
            }
            stats.decoded += 1
            out.append(message)
        }
        return out
    }

    static func values(hr: Int, spo2: Int, sensorAlarm: Bool, artifact: Bool, poorSignal: Bool = false) -> DeviceMessage {
        let quality: ReadingQuality = sensorAlarm ? .sensorOff : artifact ? .artifact : poorSignal ? .poorSignal : .valid
        let pulse = hr == 511 ? nil : Double(hr)
        let saturation = spo2 == 127 ? nil : Double(spo2)
        return .values([sentinelAware(.spo2, saturation, quality), sentinelAware(.pulseRate, pulse, quality)],
                       deviceTime: nil)
    }
}
