import Foundation
import VigilCore

/// Nonin data format #13, the SmartPoint spot check: `00 02 00 0D LEN_MSB LEN_LSB` then LEN data
/// bytes, a checksum (low byte of the sum of the data) and `03`. The data starts with the
/// measurement time — BCD per Nonin's PDF, plain binary in one open-source reader; the decoder
/// accepts both and says which it saw — then status, HR and SpO2. A spot check outside
/// ``PhysiologicalRange`` is rejected like a bad checksum.
public struct NoninSpotCheckDecoder: DeviceDecoder {
    public private(set) var stats = DecoderStats()
    private var buffer = ByteBuffer()
    private var notedEncoding: String?
    static let header: [UInt8] = [0x00, 0x02, 0x00, 0x0D]

    public init() {}

    public mutating func decode(_ bytes: [UInt8]) -> [DeviceMessage] {
        buffer.append(bytes)
        var out: [DeviceMessage] = []
        while buffer.count > 0 {
            let available = min(buffer.count, 4)
            guard (0..<available).allSatisfy({ buffer[$0] == Self.header[$0] }) else {
                buffer.drop(1)
                stats.skippedBytes += 1
                continue
            }
            guard buffer.count >= 6 else { break }
            let length = Int(buffer[4]) << 8 | Int(buffer[5])
            guard length >= 14, length <= 1024 else {
                stats.rejected += 1
                buffer.drop(1)
                continue
            }
            guard buffer.count >= 6 + length + 2 else { break }
            let frame = buffer.slice(6 + length + 2)
            let data = Array(frame[6..<(6 + length)])
            guard frame[6 + length] == data.checksum, frame[7 + length] == 0x03 else {
                stats.rejected += 1
                buffer.drop(1)
                continue
            }
            let noted = notedEncoding
            let messages = message(data)
            guard messages.allSatisfy({ PhysiologicalRange.admits($0) }) else {
                notedEncoding = noted  // a rejected frame's note is not news
                stats.rejected += 1
                buffer.drop(1)
                continue
            }
            buffer.drop(frame.count)
            stats.decoded += 1
            out += messages
        }
        return out
    }

    private mutating func message(_ d: [UInt8]) -> [DeviceMessage] {
        var out: [DeviceMessage] = []
        let (time, encoding) = Self.time(Array(d[0..<7]))
        if let encoding, notedEncoding != encoding {
            notedEncoding = encoding
            out.append(.info("spot-check time stamps read as \(encoding)"))
        }
        let noMeasurement = d[8] & 0x01 != 0
        let hr = Int(d[10] & 0x01) << 8 | Int(d[11])
        let spo2 = Int(d[13] & 0x7F)
        let quality: ReadingQuality = noMeasurement ? .searching : .valid
        out.append(.values([sentinelAware(.spo2, spo2 == 127 ? nil : Double(spo2), quality),
                            sentinelAware(.pulseRate, hr == 511 ? nil : Double(hr), quality)], deviceTime: time))
        return out
    }

    /// The device's clock, taken as UTC (the device knows no time zone).
    static func time(_ b: [UInt8]) -> (Date?, String?) {
        func bcd(_ x: UInt8) -> Int? { x >> 4 < 10 && x & 0x0F < 10 ? Int(x >> 4) * 10 + Int(x & 0x0F) : nil }
        let asBCD = b.map(bcd)
        if asBCD.allSatisfy({ $0 != nil }), let date = makeDate(asBCD.map { $0! }) { return (date, "BCD") }
        if let date = makeDate(b.map(Int.init)) { return (date, "binary") }
        return (nil, nil)
    }

    static func makeDate(_ p: [Int]) -> Date? {
        var c = DateComponents()
        c.year = p[0] * 100 + p[1]
        c.month = p[2]
        c.day = p[3]
        c.hour = p[4]
        c.minute = p[5]
        c.second = p[6]
        guard (1...12).contains(p[2]), (1...31).contains(p[3]), p[4] < 24, p[5] < 60, p[6] < 61 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: c)
    }
}
