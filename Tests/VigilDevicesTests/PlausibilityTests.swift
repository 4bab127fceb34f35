import Foundation
import Testing
import VigilCore
import VigilDevices

/// The plausibility check on a live oximeter stream, through the decoder the agent uses.
@Suite("Plausibility of an oximeter stream")
struct PlausibilityTests {
    typealias State = FrameEncoder.OximeterState

    static func frames(_ proto: DeviceProtocol, _ states: [State]) -> [[UInt8]] {
        states.map { s in
            switch proto {
            case .contecLegacy: FrameEncoder.contecLegacy(s)
            case .nonin8: FrameEncoder.nonin8(s)
            default: FrameEncoder.contecV7(s)
            }
        }
    }

    static func held(_ spo2: Double, _ pulse: Double = 72, for count: Int) -> [State] {
        Array(repeating: State(spo2: spo2, pulse: pulse), count: count)
    }

    /// Feeds one frame at a time, as the line delivers them; returns the SpO2 values in order,
    /// with the number of the frame whose arrival let each one out.
    static func run(_ proto: DeviceProtocol, _ states: [State]) -> (spo2: [(value: Double?, at: Int)], stats: DecoderStats) {
        var decoder = proto.makeDecoder()
        var out: [(value: Double?, at: Int)] = []
        for (i, frame) in frames(proto, states).enumerated() {
            out += values(decoder.decode(frame)).filter { $0.vital == .spo2 }.map { ($0.value, i + 1) }
        }
        out += values(decoder.finish()).filter { $0.vital == .spo2 }.map { ($0.value, states.count + 1) }
        return (out, decoder.stats)
    }

    @Test("A genuine step desaturation, 97 held then 85 held, comes through unchanged and without delay",
          arguments: [DeviceProtocol.contecV7, .contecLegacy, .nonin8])
    func stepDesaturation(proto: DeviceProtocol) {
        let states = Self.held(97, for: 30) + Self.held(85, 88, for: 30)
        let (spo2, stats) = Self.run(proto, states)
        #expect(spo2.map(\.value) == states.map(\.spo2))
        #expect(stats.rejected == 0)
        let firstLow = spo2.firstIndex { $0.value == 85 }!
        #expect(spo2[firstLow].at == 31, "the first 85 comes out with its own frame")
    }

    @Test("A real fall of 20 points or more is believed after two agreeing frames, and nothing is lost")
    func bigStep() {
        let states = Self.held(97, for: 30) + Self.held(70, for: 30)
        let (spo2, stats) = Self.run(.contecV7, states)
        #expect(spo2.map(\.value) == states.map(\.spo2))
        #expect(stats.rejected == 0)
        let firstLow = spo2.firstIndex { $0.value == 70 }!
        #expect(spo2[firstLow].at == 33, "held for the two frames that confirm it")
    }

    @Test("An isolated one-frame spike is rejected and counted; the frames around it are untouched",
          arguments: [DeviceProtocol.contecV7, .contecLegacy, .nonin8])
    func oneFrameSpike(proto: DeviceProtocol) {
        let states = Self.held(97, for: 30) + [State(spo2: 66, pulse: 72)] + Self.held(97, for: 30)
            + [State(spo2: 97, pulse: 130)] + Self.held(97, for: 30)
        let (spo2, stats) = Self.run(proto, states)
        #expect(spo2.map(\.value) == Array(repeating: 97, count: 90))
        #expect(stats.rejected == 2, "the SpO2 dip and the pulse spike")
        #expect(stats.decoded == 90)
    }

    @Test("A two-frame spike is rejected too; a finger-out frame after a jump leaves it unconfirmed")
    func shortSpikes() {
        let states = Self.held(97, for: 10) + Self.held(60, for: 2) + Self.held(97, for: 10)
            + [State(spo2: 40 + 30)] + [State(spo2: nil, pulse: nil, quality: .sensorOff)] + Self.held(97, for: 10)
        let (spo2, stats) = Self.run(.contecV7, states)
        #expect(!spo2.contains { $0.value == 60 || $0.value == 70 })
        #expect(spo2.filter { $0.value == nil }.count == 1, "the finger-out frame itself comes through")
        #expect(stats.rejected == 3)
    }

    @Test("vigil decode runs the same checks: the spike is not printed and counts as rejected")
    func captureDecoding() {
        let states = Self.held(97, for: 5) + [State(spo2: 66)] + Self.held(97, for: 5)
        let lines = CaptureDecoding.lines(for: Self.frames(.contecV7, states).flatMap { $0 }, protocol: .contecV7)
        #expect(!lines.contains { $0.contains(#""value":66"#) })
        #expect(lines.filter { $0.contains(#""vital":"spo2""#) }.count == 10)
        #expect(lines.last == #"{"frames_decoded":10,"frames_rejected":1,"bytes_skipped":0,"bytes":99}"#)
        #expect(lines.contains(#"{"time":7,"offset":63,"vital":"spo2","value":97,"quality":"valid","device":"contec-v7"}"#),
                "each reading keeps its frame's number and end")
    }

    @Test("After garbage, legacy frames wait until five have come back to back")
    func legacyRun() {
        var decoder = DeviceProtocol.contecLegacy.makeDecoder()
        let frame = FrameEncoder.contecLegacy(State(spo2: 97))
        var seen = values(decoder.decode([0x12, 0x34] + frame + frame + frame + frame))
        #expect(seen.isEmpty)
        seen = values(decoder.decode(frame))
        #expect(seen.filter { $0.vital == .spo2 }.count == 5)
        _ = decoder.decode(frame + [0x55] + frame + frame)
        _ = decoder.finish()
        #expect(decoder.stats.rejected == 2, "the two frames after the stray byte never made a run")
    }
}
