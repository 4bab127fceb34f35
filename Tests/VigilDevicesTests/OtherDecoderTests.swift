import Foundation
import Testing
import VigilCore
import VigilDevices

@Suite("Masimo, Nonin and SunTech decoders")
struct OtherDecoderTests {
    static let masimoLines = [
        "09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800",
        "12/01/05 11:56:29 SN=0123456789 SPO2=098% BPM=240 PI=20.00% SPCO=01.0% SPMET=00.5% DESAT=01 PIDELTA=-02 PVI=027 ALARM=0000 EXC=000820",
        "05/15/07 08:12:21 SN=0000070986 SPO2=---% BPM=--- PI=--.--% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000",
        "03/17/16 19:19:36 SN=---------- SPO2=098% BPM=123 PI=00.55 SPCO=--% SPMET=--.-% SPHB=--.- SPOC=-- RESVD=--- DESAT=-- PIDELTA=+-- PVI=--- ALARM=000000 EXC=0000C00 EXC1=00000000",
        "03/19/16 13:37:12 SN=0000093112 SPO2=097% BPM=064 PI=00.80% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000800",
    ]

    @Test("Every Masimo example line parses by key, whatever the model's field set")
    func masimo() {
        var decoder = MasimoDecoder()
        let messages = decoder.decode(Array(Self.masimoLines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A])
        let lines = messages.map { values([$0]) }
        #expect(lines.count == 5)
        #expect(lines[0] == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 64, .valid),
                             DeviceValue(.perfusionIndex, 11.82, .valid)])
        #expect(lines[1].first == DeviceValue(.spo2, nil, .sensorOff), "EXC 0x20: sensor off")
        #expect(lines[2] == [DeviceValue(.spo2, nil, .searching), DeviceValue(.pulseRate, nil, .searching)],
                "dashes: unavailable, never zero")
        #expect(lines[3].first == DeviceValue(.spo2, 98, .poorSignal), "EXC 0x400: low signal IQ, a value with a poor signal")
        #expect(lines[4].prefix(2) == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 64, .valid)])
        #expect(decoder.stats.decoded == 5)
    }

    @Test("Masimo: garbage lines and binary noise are rejected, the next good line decodes")
    func masimoGarbage() {
        var decoder = MasimoDecoder()
        var stream = Array("NOISE WITHOUT FIELDS\r\n".utf8) + [0xFF, 0x00, 0x13, 0x0A]
        stream += Array(repeating: UInt8(ascii: "x"), count: 2000) + [0x0A]
        stream += Array((Self.masimoLines[0] + "\r\n").utf8)
        let v = values(decoder.decodeByteByByte(stream))
        #expect(v.first == DeviceValue(.spo2, 97, .valid))
        #expect(decoder.stats.rejected == 3)
        #expect(decoder.stats.decoded == 1)
    }

    @Test("Nonin #2: frames 1–3 give HR 72 and SpO2 97; the finger-out frames give sensor off")
    func nonin2() {
        var decoder = NoninDecoder(format: .two)
        let good = values(decoder.decode(hex("01 83 7A 00 FE 01 82 80 48 4B 01 82 86 61 6A")))
        #expect(good == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid)])
        var out = NoninDecoder(format: .two)
        let off = values(out.decode(hex("01 89 00 03 8D 01 88 00 7F 08 01 88 00 7F 08")))
        #expect(off == [DeviceValue(.spo2, nil, .sensorOff), DeviceValue(.pulseRate, nil, .sensorOff)])
    }

    @Test("Nonin #2: a bad checksum rejects the frame and loses the packet, not the stream")
    func nonin2Checksum() {
        var decoder = NoninDecoder(format: .two)
        let packet = hex("01 83 7A 00 FE 01 82 80 48 4B 01 82 86 61 6A")
        var broken = packet
        broken[8] = 0x49
        let v = values(decoder.decodeByteByByte(hex("55 01") + broken + packet))
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid)])
        #expect(decoder.stats.rejected >= 1)
    }

    @Test("Nonin #7: 16-bit pleth frames with the status byte as sync")
    func nonin7() {
        // Format #7 frames built from the #2 frames above: STATUS PLETH_MSB PLETH_LSB FLOAT CHK.
        func frame(_ status: UInt8, _ float: UInt8) -> [UInt8] {
            let body: [UInt8] = [status, 0x12, 0x34, float]
            return body + [body.reduce(0, &+)]
        }
        var decoder = NoninDecoder(format: .seven)
        let v = values(decoder.decode([0x00, 0x12] + frame(0x83, 0x00) + frame(0x82, 0x48) + frame(0x82, 0x61)))
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid)])
    }

    @Test("Nonin #8: HR 72 / SpO2 97, HR 150 / SpO2 94, and finger out with 511 and 127")
    func nonin8() {
        var decoder = NoninDecoder(format: .eight)
        let v = values(decoder.decode(hex("80 48 61 00 89 16 5E 00 83 7F 7F 08")))
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid),
                      DeviceValue(.spo2, 94, .valid), DeviceValue(.pulseRate, 150, .valid),
                      DeviceValue(.spo2, nil, .sensorOff), DeviceValue(.pulseRate, nil, .sensorOff)])
    }

    @Test("Nonin #13: the spot check gives HR 72, SpO2 97 and its BCD time stamp")
    func nonin13() throws {
        var decoder = NoninSpotCheckDecoder()
        let messages = decoder.decode(hex("00 02 00 0D 00 0E 20 26 11 22 14 30 15 00 02 00 00 48 00 61 7D 03"))
        #expect(messages.first == .info("spot-check time stamps read as BCD"))
        guard case .values(let v, let time) = try #require(messages.last) else { Issue.record("no values"); return }
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid)])
        #expect(time == Date(timeIntervalSince1970: 1_795_357_815))
    }

    @Test("SunTech: acknowledgement, cuff pressure, a 120/80 result and a loose cuff")
    func suntech() {
        var decoder = SunTechDecoder()
        let messages = decoder.decode(hex("3E 04 4F 6F 3E 05 98 00 25 3E 04 4B 73")
            + hex("3E 18 78 00 50 00 00 00 00 00 00 00 00 00 00 00 48 00 5D 00 00 00 00 3D")
            + hex("3E 18 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 57 00 00 53"))
        #expect(messages == [
            .acknowledged(.received), .cuffPressure(152), .acknowledged(.done),
            .values([DeviceValue(.systolic, 120, .valid), DeviceValue(.diastolic, 80, .valid),
                     DeviceValue(.meanArterial, 93, .valid), DeviceValue(.nibpPulse, 72, .valid)], deviceTime: nil),
            .measurementFailed(code: 0x57, reason: "inflation timeout, leak or loose cuff"),
        ])
    }

    @Test("Every decoder survives random bytes without a crash or a valid zero", arguments: DeviceProtocol.allCases)
    func fuzz(proto: DeviceProtocol) {
        var rng = SeededGenerator(state: UInt64(proto.rawValue.count) * 31)
        var decoder = proto.makeDecoder()
        for _ in 0..<200 {
            let chunk = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let v = values(decoder.decode(chunk))
            #expect(!v.contains { $0.quality == .valid && ($0.value ?? 0) <= 0 })
        }
    }
}
