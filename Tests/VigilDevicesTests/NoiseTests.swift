import Foundation
import Testing
import VigilCore
import VigilDevices

/// Noise must not become readings: random bytes and a bit-flipped real stream go through the
/// same decoder the agent and `vigil decode` use (`DeviceProtocol.makeDecoder()`).
@Suite("Noise on the line")
struct NoiseTests {
    /// Every protocol with sync bits or a checksum (all but Masimo's plain ASCII, which has a
    /// line terminator and `KEY=value` tokens instead — measured here too, it is just as quiet).
    static let checked = DeviceProtocol.allCases

    @Test("A megabyte of random bytes gives less than one valid reading, whatever the protocol",
          arguments: checked)
    func randomBytes(proto: DeviceProtocol) {
        let megabytes = 2
        var valid = 0
        for seed in 1...megabytes {
            var rng = SeededGenerator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(proto.rawValue.count))
            var decoder = proto.makeDecoder()
            var bytes = [UInt8](repeating: 0, count: 1 << 20)
            for i in stride(from: 0, to: bytes.count, by: 8) {
                withUnsafeBytes(of: rng.next()) { for (j, b) in $0.enumerated() { bytes[i + j] = b } }
            }
            var messages: [DeviceMessage] = []
            for chunk in stride(from: 0, to: bytes.count, by: 4096) {
                messages += decoder.decode(Array(bytes[chunk..<(chunk + 4096)]))
            }
            messages += decoder.finish()
            valid += values(messages).filter { $0.quality == .valid && $0.value != nil }.count
        }
        let perMegabyte = Double(valid) / Double(megabytes)
        #expect(perMegabyte < 1, "\(proto.rawValue): \(perMegabyte) valid readings per MB of noise")
    }

    /// What each simulated device sends: a quiet start, a slow desaturation to 85 % with the
    /// pulse rising, and the recovery; the values are the set a decoded reading must stay near.
    static func story(frames: Int) -> [FrameEncoder.OximeterState] {
        (0..<frames).map { i in
            let t = Double(i) / Double(frames)
            let dip = t < 0.3 ? 0 : t < 0.5 ? (t - 0.3) / 0.2 : t < 0.7 ? 1 : max(0, 1 - (t - 0.7) / 0.2)
            return FrameEncoder.OximeterState(spo2: (97 - 12 * dip).rounded(), pulse: (72 + 18 * dip).rounded())
        }
    }

    static func stream(_ proto: DeviceProtocol, _ states: [FrameEncoder.OximeterState]) -> [UInt8] {
        let start = Date(timeIntervalSince1970: 1_795_357_815)
        return states.enumerated().flatMap { i, s -> [UInt8] in
            switch proto {
            case .contecV7: FrameEncoder.contecV7(s)
            case .contecLegacy: FrameEncoder.contecLegacy(s)
            case .masimoASCII: FrameEncoder.masimo(s, at: start.addingTimeInterval(Double(i)))
            case .nonin2: FrameEncoder.nonin2Packet(s)
            case .nonin8: FrameEncoder.nonin8(s)
            default: []
            }
        }
    }

    @Test("A 1 % bit-flipped stream gives no reading far from every value the device sent",
          arguments: [(DeviceProtocol.contecV7, 36_000), (.contecLegacy, 36_000), (.nonin8, 36_000),
                      (.nonin2, 12_000), (.masimoASCII, 6_000)])
    func bitFlips(proto: DeviceProtocol, frames: Int) {
        let states = Self.story(frames: frames)
        var bytes = Self.stream(proto, states)
        var rng = SeededGenerator(state: 2026)
        for i in bytes.indices {
            for bit in 0..<8 where UInt64.random(in: 0..<100, using: &rng) == 0 { bytes[i] ^= 1 << UInt8(bit) }
        }
        var decoder = proto.makeDecoder()
        var messages: [DeviceMessage] = []
        for chunk in stride(from: 0, to: bytes.count, by: 64) {
            messages += decoder.decode(Array(bytes[chunk..<min(chunk + 64, bytes.count)]))
        }
        messages += decoder.finish()
        let decoded = values(messages).filter { $0.quality == .valid && $0.value != nil }
        let sent: [Vital: Set<Double>] = [.spo2: Set(states.compactMap(\.spo2)), .pulseRate: Set(states.compactMap(\.pulse))]
        let invented = decoded.filter { v in
            guard let shown = sent[v.vital] else { return false }
            return !shown.contains { abs($0 - v.value!) < PlausibilityFilter.band }
        }
        #expect(invented.isEmpty, "\(proto.rawValue): \(invented.count) of \(decoded.count) readings the device never sent, e.g. \(invented.prefix(5).map { "\($0.vital.rawValue) \($0.value!)" })")
        if proto != .masimoASCII {
            let spo2 = decoded.filter { $0.vital == .spo2 }.count
            #expect(spo2 * 100 / frames >= 20, "\(proto.rawValue): only \(spo2) of \(frames) SpO2 values came through")
        }
    }
}
