import Testing
import VigilCore

/// What goes on of an oximeter's 60 frames a second: every change at once, a steady value once
/// per interval (250 ms at the device's edge, a second in the record).
@Suite("Which readings go on")
struct ReadingThrottleTests {
    typealias Instant = ManualClock.Instant
    static func at(_ milliseconds: Int64) -> Instant { Instant(offset: .milliseconds(milliseconds)) }

    /// The instants (ms) at which a 60 Hz stream of `values` passed a throttle of `interval` ms.
    static func passed(every interval: Int64, _ values: [Double?], quality: (Int) -> ReadingQuality = { _ in .valid }) -> [Int64] {
        var throttle = ReadingThrottle<Instant>(interval: .milliseconds(interval))
        return values.indices.compactMap { i in
            let ms = Int64(i) * 1000 / 60
            return throttle.admits(device: "oximeter", vital: .spo2, value: values[i], quality: quality(i), at: at(ms)) ? ms : nil
        }
    }

    @Test("A steady SpO2 at 60 frames a second goes on once a second to the record, four times to the engine")
    func steady() {
        let threeSeconds = [Double?](repeating: 97, count: 180)
        #expect(Self.passed(every: 1000, threeSeconds) == [0, 1000, 2000])
        #expect(Self.passed(every: 250, threeSeconds).count == 12)
    }

    @Test("SpO2 97 → 88 a quarter-second after a reading passed goes on with its first frame, and is then steady again")
    func desaturationAtOnce() {
        let values: [Double?] = Array(repeating: 97, count: 15) + Array(repeating: 88, count: 61)
        #expect(Self.passed(every: 1000, values) == [0, 250, 1250])
    }

    @Test("The probe coming off passes at once, and so does its return")
    func qualityAtOnce() {
        let values: [Double?] = Array(repeating: 97, count: 10) + Array(repeating: nil, count: 10) + Array(repeating: 97, count: 10)
        let quality: (Int) -> ReadingQuality = { (10..<20).contains($0) ? .sensorOff : .valid }
        #expect(Self.passed(every: 1000, values, quality: quality) == [0, 166, 333])
    }

    @Test("Each device and vital has its own second; a blood pressure always goes on")
    func keyedAndIntermittent() {
        var throttle = ReadingThrottle<Instant>(interval: .seconds(1))
        let offered: [(String, Vital, Double)] = [("a", .spo2, 97), ("b", .spo2, 97), ("a", .pulseRate, 72), ("a", .spo2, 97),
                                                  ("nibp", .systolic, 120), ("nibp", .systolic, 120)]
        let passed = offered.enumerated().map { i, reading in
            throttle.admits(device: reading.0, vital: reading.1, value: reading.2, quality: .valid, at: Self.at(Int64(i) * 10))
        }
        #expect(passed == [true, true, true, false, true, true])
    }
}
