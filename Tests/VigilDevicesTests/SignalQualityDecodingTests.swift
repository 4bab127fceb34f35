import Foundation
import Testing
import VigilCore
@testable import VigilDevices

/// What each oximeter says about its signal, decoded: a weak signal keeps its value, marked
/// `poor_signal`; sustained artifact or interference is still no value at all.
@Suite("Signal quality from each oximeter")
struct SignalQualityDecodingTests {
    /// Frames the simulator makes for `state`, through the protocol's own decoder (with its
    /// stream checks), and the last SpO2 it gave.
    func lastSpO2(_ proto: DeviceProtocol, _ state: FrameEncoder.OximeterState) -> DeviceValue? {
        var decoder = proto.makeDecoder()
        var bytes: [UInt8] = []
        for _ in 0..<6 {
            let frame: [UInt8] = switch proto {
            case .contecV7: FrameEncoder.contecV7(state)
            case .contecLegacy: FrameEncoder.contecLegacy(state)
            case .masimoASCII: FrameEncoder.masimo(state, at: Date())
            case .nonin2: FrameEncoder.nonin2Packet(state)
            default: FrameEncoder.nonin8(state)
            }
            bytes += frame
        }
        return values(decoder.decode(bytes) + decoder.finish()).last { $0.vital == .spo2 }
    }

    static let oximeters: [DeviceProtocol] = [.contecV7, .contecLegacy, .masimoASCII, .nonin2, .nonin8]

    @Test("A weak signal (Contec strength 1, Masimo low signal IQ, Nonin ARTF) keeps its value as poor_signal", arguments: oximeters)
    func poorSignalKeepsItsValue(_ proto: DeviceProtocol) {
        let spo2 = lastSpO2(proto, .init(spo2: 88, pulse: 110, quality: .poorSignal))
        #expect(spo2 == DeviceValue(.spo2, 88, .poorSignal))
    }

    @Test("A good signal is valid, and sustained artifact (Masimo interference, Nonin OOT) has no value", arguments: oximeters)
    func goodAndArtifact(_ proto: DeviceProtocol) {
        #expect(lastSpO2(proto, .init(spo2: 97, pulse: 72)) == DeviceValue(.spo2, 97, .valid))
        let artifact = lastSpO2(proto, .init(spo2: 80, pulse: 140, quality: .artifact))
        #expect(artifact?.value == nil, "\(String(describing: artifact))")
    }

    @Test("Nonin #8 low perfusion (LPRF) and #2 red perfusion read as poor_signal; Masimo low perfusion too")
    func perfusionFlags() {
        var nonin8 = NoninDecoder(format: .eight)
        // Status 0x90: LPRF; HR 72, SpO2 95, status 2 clear.
        #expect(values(nonin8.decode([0x90, 0x48, 0x5F, 0x00])).first == DeviceValue(.spo2, 95, .poorSignal))
        var masimo = MasimoDecoder()
        let line = "03/19/16 13:37:12 SN=0000093112 SPO2=093% BPM=064 PI=00.10% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000804\r\n"
        #expect(values(masimo.decode(Array(line.utf8))).first == DeviceValue(.spo2, 93, .poorSignal))
    }
}
