import VigilCore

/// The older Contec CMS50 live protocol (19200 8O1): 5-byte frames whose first byte has bit 7
/// set and whose other bytes do not; the device streams them unprompted at about 60 Hz.
///
/// Byte 0 bit 4 is disputed between sources ("searching too long" or "finger out"); either way
/// it is no valid reading, and the decoder says once which reading it applied.
///
/// The protocol has no checksum and no reserved bits: the sync bit of each byte is the only
/// check a frame carries, so random bytes pass it one time in 32. Values outside
/// ``PhysiologicalRange`` reject the frame; the stream-level checks (``StreamCheck``) do the rest.
public struct ContecLegacyDecoder: DeviceDecoder {
    public private(set) var stats = DecoderStats()
    private var buffer = ByteBuffer()
    private var notedDisputedBit = false

    public init() {}

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        buffer.append(bytes)
        var out: [DeviceMessage] = []
        while buffer.count > 0 {
            guard buffer[0] & 0x80 != 0 else {
                buffer.drop(1)
                stats.skippedBytes += 1
                continue
            }
            guard buffer.count >= 5 else { break }
            if let bad = (1..<5).first(where: { buffer[$0] & 0x80 != 0 }) {
                stats.rejected += 1
                buffer.drop(bad)
                continue
            }
            let f = buffer.slice(5)
            buffer.drop(5)
            let message = Self.message(f)
            guard PhysiologicalRange.admits(message) else {
                stats.rejected += 1
                continue
            }
            stats.decoded += 1
            if f[0] & 0x10 != 0 && !notedDisputedBit {
                notedDisputedBit = true
                out.append(.info("byte 0 bit 4 set: read as searching (sources disagree: finger out or searching too long)"))
            }
            out.append(message)
        }
        return out
    }

    static func message(_ f: [UInt8]) -> DeviceMessage {
        let quality: ReadingQuality = f[2] & 0x10 != 0 ? .sensorOff
            : (f[2] & 0x20 != 0 || f[0] & 0x10 != 0) ? .searching
            : f[0] & 0x0F <= ContecSignal.poorAtOrBelow ? .poorSignal : .valid
        let pulseRaw = Int(f[2] & 0x40) << 1 | Int(f[3] & 0x7F)
        let spo2Raw = Int(f[4] & 0x7F)
        // No sentinels are documented for this protocol; sources see 0 and 127 (0xFF for the pulse).
        let pulse = pulseRaw == 0 || pulseRaw == 0xFF ? nil : Double(pulseRaw)
        let spo2 = spo2Raw == 0 || spo2Raw == 0x7F ? nil : Double(spo2Raw)
        return .values([sentinelAware(.spo2, spo2, quality), sentinelAware(.pulseRate, pulse, quality)], deviceTime: nil)
    }
}
