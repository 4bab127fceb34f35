import Foundation
import VigilCore
import VigilDevices

extension FuzzTarget {
    /// One target per serial protocol, on the decoder the agent uses (the frame decoder inside
    /// the stream checks) and on the frame decoder alone.
    static let decoders: [FuzzTarget] = DeviceProtocol.allCases.map(decoder)

    /// What must hold for any bytes a port delivers: no crash; every value a decoder vouches for
    /// is inside ``PhysiologicalRange``, finite, never a valid zero; and the readings do not
    /// depend on how the bytes were split into reads (a port delivers whatever one wake-up
    /// found, so a frame is often split between two).
    static func decoder(_ deviceProtocol: DeviceProtocol) -> FuzzTarget {
        FuzzTarget(name: "decoder-\(deviceProtocol.rawValue)", seeds: { seeds(deviceProtocol) }) { bytes in
            var whole = deviceProtocol.makeDecoder()
            let once = whole.decode(bytes) + whole.finish()
            let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
            var split = deviceProtocol.makeDecoder()
            let twice = split.decode(Array(bytes[..<cut])) + split.decode(Array(bytes[cut...])) + split.finish()
            if once != twice { return "read whole and split at byte \(cut), the bytes decode differently: \(once) against \(twice)" }
            var frames = deviceProtocol.makeFrameDecoder()
            for (name, messages) in [("stream", once), ("frame", frames.decode(bytes) + frames.finish())] {
                for case .values(let values, _) in messages {
                    if let bad = values.first(where: { $0.value.map { !$0.isFinite } ?? false }) {
                        return "the \(name) decoder gave a value that is not a number: \(bad)"
                    }
                    if !PhysiologicalRange.admits(values) { return "the \(name) decoder vouched for \(values), outside the physiological range" }
                }
            }
            return nil
        }
    }

    /// A few seconds of what each device sends: a steady patient, a desaturation, finger out,
    /// and (for the SunTech) a whole measurement with its acknowledgements and a failure.
    static func seeds(_ deviceProtocol: DeviceProtocol) -> [[UInt8]] {
        let states: [FrameEncoder.OximeterState] = [
            .init(), .init(spo2: 85, pulse: 110, perfusionIndex: 1.2), .init(spo2: nil, pulse: nil, quality: .sensorOff),
            .init(spo2: 93, pulse: 64, quality: .poorSignal),
        ]
        let start = Date(timeIntervalSince1970: 1_795_400_000)
        func stream(_ frame: (FrameEncoder.OximeterState, Int) -> [UInt8]) -> [[UInt8]] {
            states.map { state in (0..<8).flatMap { frame(state, $0) } } + [(0..<states.count * 6).flatMap { frame(states[$0 / 6], $0) }]
        }
        switch deviceProtocol {
        case .contecV7: return stream { s, _ in FrameEncoder.contecV7(s) }
        case .contecLegacy: return stream { s, _ in FrameEncoder.contecLegacy(s) }
        case .masimoASCII: return stream { s, n in FrameEncoder.masimo(s, at: start.addingTimeInterval(Double(n))) }
        case .nonin2: return stream { s, _ in FrameEncoder.nonin2Packet(s) }
        case .nonin8: return stream { s, _ in FrameEncoder.nonin8(s) }
        case .nonin7:
            // STATUS PLETH_MSB PLETH_LSB FLOAT CHECKSUM, the float byte cycling as in format #2.
            func frame(_ status: UInt8, _ float: UInt8) -> [UInt8] {
                let body: [UInt8] = [status, 0x12, 0x34, float]
                return body + [body.reduce(0, &+)]
            }
            return [(0..<4).flatMap { _ in frame(0x83, 0x00) + frame(0x82, 0x48) + frame(0x82, 0x61) + frame(0x82, 0x00) }]
        case .nonin13:
            return [hex("00 02 00 0D 00 0E 20 26 11 22 14 30 15 00 02 00 00 48 00 61 7D 03")]
        case .suntech:
            return [
                FrameEncoder.sunTechAck(.received) + FrameEncoder.sunTechCuff(152) + FrameEncoder.sunTechCuff(nil)
                    + FrameEncoder.sunTechAck(.done) + FrameEncoder.sunTechResult(systolic: 120, diastolic: 80, mean: 93, pulse: 72),
                FrameEncoder.sunTechResult(systolic: 0, diastolic: 0, mean: 0, pulse: 0, error: 0x57) + FrameEncoder.sunTechAck(.busy),
            ]
        }
    }

    static func hex(_ text: String) -> [UInt8] { text.split(separator: " ").compactMap { UInt8($0, radix: 16) } }
}
