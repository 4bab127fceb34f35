import Testing
import VigilCore
import VigilDevices

@Suite("Contec CMS50 decoders")
struct ContecDecoderTests {
    /// The realtime frames captured from a real CMS50 (headrotor/contec_data).
    static let capture = hex("01 E0 85 B3 96 C1 E1 FF FF 01 E0 85 B0 96 C1 E1 FF FF")

    @Test("The real CMS50 capture decodes to pulse 65 and SpO2 97, PI not given")
    func realCapture() {
        var decoder = ContecV7Decoder()
        let v = values(decoder.decode(Self.capture))
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 65, .valid),
                      DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 65, .valid)])
        #expect(decoder.stats.decoded == 2)
        #expect(decoder.stats.rejected == 0)
    }

    @Test("The high byte restores bit 7: pulse 150 (not 22) and PI 2.35 %")
    func highBits() {
        var decoder = ContecV7Decoder()
        let v = values(decoder.decode(hex("01 A8 C6 E0 89 96 E2 EB 80")))
        #expect(v == [DeviceValue(.spo2, 98, .valid), DeviceValue(.pulseRate, 150, .valid),
                      DeviceValue(.perfusionIndex, 2.35, .valid)])
    }

    @Test("Finger out and searching frames give their quality, never a valid zero")
    func sentinels() {
        var decoder = ContecV7Decoder()
        #expect(values(decoder.decode(hex("01 E9 80 C0 90 FF FF FF FF")))
            == [DeviceValue(.spo2, nil, .sensorOff), DeviceValue(.pulseRate, nil, .sensorOff)])
        #expect(values(decoder.decode(hex("01 EA 90 80 90 FF FF FF FF")))
            == [DeviceValue(.spo2, nil, .searching), DeviceValue(.pulseRate, nil, .searching)])
    }

    @Test("Command feedback packets from the captured exchange decode without vitals")
    func otherPackets() {
        var decoder = ContecV7Decoder()
        let messages = decoder.decode(hex("0C 80 06 80 80 87 0E 80 81 04 80 F5 F3 E5 F2 A0 A0 A0"))
        #expect(messages.count == 4)
        #expect(values(messages).isEmpty)
        #expect(decoder.stats.decoded == 4)
    }

    @Test("A stream that starts mid-frame, drops a byte and carries garbage resynchronises")
    func resync() {
        var decoder = ContecV7Decoder()
        let good = hex("01 E0 85 B3 96 C1 E1 FF FF")
        var stream = Array(good[4...])                  // starts mid-frame
        stream += good
        stream += Array(good[0..<5]) + Array(good[6...]) // a byte dropped
        stream += [0x7F, 0x33, 0x99, 0x42]              // garbage
        stream += good
        let v = values(decoder.decodeByteByByte(stream))
        #expect(v.filter { $0.vital == .spo2 } == Array(repeating: DeviceValue(.spo2, 97, .valid), count: 2))
        #expect(decoder.stats.decoded == 2)
        #expect(decoder.stats.rejected >= 1)
        #expect(decoder.stats.skippedBytes > 0)
    }

    @Test("Flipped bits never crash the decoder and never invent a valid zero")
    func bitFlips() {
        var rng = SeededGenerator(state: 7)
        var stream: [UInt8] = []
        for _ in 0..<500 { stream += hex("01 A8 C6 E0 89 96 E2 EB 80") }
        for _ in 0..<300 { stream[Int.random(in: 0..<stream.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng) }
        var decoder = ContecV7Decoder()
        let v = values(decoder.decode(stream))
        #expect(decoder.stats.decoded > 200)
        #expect(!v.contains { $0.quality == .valid && ($0.value ?? 0) <= 0 })
    }

    @Test("Legacy 5-byte frames: pulse 72 / SpO2 97, pulse 150 with its bit 7, and a probe error")
    func legacy() {
        var decoder = ContecLegacyDecoder()
        let v = values(decoder.decode(hex("87 40 05 48 61 C8 55 49 16 5F 80 00 10 00 00")))
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid),
                      DeviceValue(.spo2, 95, .valid), DeviceValue(.pulseRate, 150, .valid),
                      DeviceValue(.spo2, nil, .sensorOff), DeviceValue(.pulseRate, nil, .sensorOff)])
    }

    @Test("Legacy: the disputed byte-0 bit 4 reads as no valid reading and is noted once")
    func legacyDisputedBit() {
        var decoder = ContecLegacyDecoder()
        let messages = decoder.decode(hex("97 40 05 48 61 97 40 05 48 61"))
        #expect(messages.filter { if case .info = $0 { true } else { false } }.count == 1)
        #expect(values(messages).allSatisfy { $0.quality == .searching && $0.value == nil })
    }

    @Test("Legacy: a sync byte inside a frame rejects it and decoding resumes there")
    func legacyResync() {
        var decoder = ContecLegacyDecoder()
        let v = values(decoder.decodeByteByByte(hex("40 05 87 40 87 40 05 48 61 33")))
        #expect(v == [DeviceValue(.spo2, 97, .valid), DeviceValue(.pulseRate, 72, .valid)])
        #expect(decoder.stats.rejected == 1)
    }
}
