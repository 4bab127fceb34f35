/// A command the agent sends a device, as the simulator reads it.
public enum HostCommand: Sendable, Hashable {
    /// Contec V7: `7D 81 cc …` with its command byte (`A1` start realtime, `AF` keep-alive, …).
    case contec(UInt8)
    case sunTechStart
    case sunTechAbort
    case sunTechCuffPressure
    case sunTechResult
    case sunTechOther([UInt8])

    /// Contec V7 commands are nine bytes, `7D 81 cc` then six argument bytes (0x80 when unused).
    public static func contecCommand(_ code: UInt8) -> [UInt8] { [0x7D, 0x81, code, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80] }

    /// SunTech host frames: `3A`, the command, and a checksum making the frame sum to 0.
    public static func sunTech(_ body: [UInt8]) -> [UInt8] {
        let frame = [0x3A] + body
        return frame + [0 &- frame.checksum]
    }

    public static let sunTechStartAdult = sunTech([0x20])
    public static let sunTechGetCuffPressure = sunTech([0x79, 0x05, 0x00])
    public static let sunTechGetResult = sunTech([0x79, 0x03, 0x00])
    public static let sunTechAbortMeasurement = sunTech([0x79, 0x01, 0x00])

    /// Splits what a host wrote into commands; bytes that form none are dropped.
    public static func parse(_ bytes: [UInt8]) -> [HostCommand] {
        var out: [HostCommand] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x7D, i + 8 < bytes.count, bytes[i + 1] == 0x81 {
                out.append(.contec(bytes[i + 2]))
                i += 9
            } else if bytes[i] == 0x3A, i + 2 < bytes.count {
                let length = bytes[i + 1] == 0x79 ? 5 : 3
                guard i + length <= bytes.count else { break }
                let frame = Array(bytes[i..<(i + length)])
                if frame.checksum == 0 {
                    switch Array(frame.dropFirst().dropLast()) {
                    case [0x20], [0x87], [0x28]: out.append(.sunTechStart)
                    case [0x79, 0x01, 0x00]: out.append(.sunTechAbort)
                    case [0x79, 0x05, 0x00]: out.append(.sunTechCuffPressure)
                    case [0x79, 0x03, 0x00]: out.append(.sunTechResult)
                    default: out.append(.sunTechOther(frame))
                    }
                    i += length
                } else {
                    i += 1
                }
            } else {
                i += 1
            }
        }
        return out
    }
}
