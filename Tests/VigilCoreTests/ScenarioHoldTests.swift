import Foundation
import Testing
import VigilCore

/// `#hold:` — whether a scenario's oximeter lines are values a live device repeats every second
/// (`until-next`, the default) or readings written out one a line (`each-line`), where the time
/// between two lines is the room hearing nothing.
@Suite("Scenario hold: values held until the next line, or each line one reading")
struct ScenarioHoldTests {
    /// Thirty seconds of readings, 31 s in which the oximeter says nothing, then readings again.
    static func gapRecording(hold: String?) -> String {
        var lines = hold.map { ["#hold: \($0)"] } ?? []
        lines.append("0,session.start,doula")
        for t in Array(0..<30) + Array(61..<90) { lines += ["\(t),spo2,97", "\(t),pulse_rate,72"] }
        lines.append("90,session.end,doula")
        return lines.joined(separator: "\n")
    }

    static func alarms(_ text: String, keep: Bool = false) throws -> (alarms: [AlarmEvent], replay: ScenarioReplay) {
        var replay = ScenarioReplay(scenario: try Scenario.parse(text, file: "s.csv"), profile: .clinicDefault, file: "s.csv")
        replay.keepsReadings = keep
        let alarms = try replay.run().compactMap { if case .alarm(let a) = $0 { a } else { nil } }
        return (alarms, replay)
    }

    @Test("A recording written one reading a line: the oximeter's 31 s of silence raises no_data 10 s after its last reading, and the next reading clears it")
    func eachLineGapIsSilence() throws {
        let (alarms, replay) = try Self.alarms(Self.gapRecording(hold: "each-line"))
        #expect(alarms.map(\.condition) == ["no_data", "no_data"])
        #expect(alarms.map(\.state) == [.raised, .cleared])
        #expect(alarms.map { $0.time.timeIntervalSince(replay.clock.wallStart) } == [39, 61])
    }

    @Test("The same lines held until the next line: the last value goes on every second, so the room hears no silence")
    func untilNextHoldsOverTheGap() throws {
        #expect(try Self.alarms(Self.gapRecording(hold: nil)).alarms.isEmpty)
        #expect(try Self.alarms(Self.gapRecording(hold: "until-next")).alarms.isEmpty)
    }

    @Test("Each line is one reading at its own time: nothing is added between lines, and a probe_off line is one sensor_off reading of each vital")
    func eachLineReadings() throws {
        let text = """
            #hold: each-line    # one reading a line
            0,session.start,
            0,spo2,97
            0,pulse_rate,72
            4,spo2,96
            5,probe_off,oximeter
            9,session.end,
            """
        let (_, replay) = try Self.alarms(text, keep: true)
        let start = replay.clock.wallStart
        #expect(replay.readings.map { "\(Int($0.time.timeIntervalSince(start))) \($0.vital.rawValue) \($0.quality.rawValue)" } == [
            "0 spo2 valid", "0 pulse_rate valid", "4 spo2 valid", "5 spo2 sensor_off", "5 pulse_rate sensor_off",
        ])
        #expect(replay.readings.last?.value == nil)
        let held = try Self.alarms(text.replacingOccurrences(of: "#hold: each-line", with: "#hold: until-next"), keep: true).replay
        #expect(held.readings.count > 15, "held values are sent every second: \(held.readings.count)")
    }

    @Test("The hold setting is kept when a scenario is played twice in a row")
    func repeatedKeepsHold() throws {
        let scenario = try Scenario.parse("#hold: each-line\n0,session.start,\n0,spo2,97\n10,session.end,\n")
        #expect(scenario.hold == .eachLine)
        #expect(scenario.repeated(2, gap: 60).hold == .eachLine)
        #expect(try Scenario.parse("0,session.start,\n").hold == .untilNext)
        #expect(try Scenario.parse("# hold: a comment that merely starts like one\n0,session.start,\n").hold == .untilNext)
    }

    @Test("A hold line that cannot be read fails with file, line and the two settings", arguments: [
        ("#hold: every-second\n0,session.start,",
         "s.csv:1: #hold: \"every-second\" is neither until-next (each value held and sent every second until the next line, the default) nor each-line (each line is one reading; between lines the device is silent)"),
        ("0,session.start,\n#hold: each-line", "s.csv:2: #hold: must come before the first timed line (line 1)"),
        ("#hold: each-line\n#hold: until-next\n0,session.start,", "s.csv:2: #hold: a second hold setting (the first is on line 1)"),
        ("#hold:\n0,session.start,",
         "s.csv:1: #hold: \"\" is neither until-next (each value held and sent every second until the next line, the default) nor each-line (each line is one reading; between lines the device is silent)"),
    ])
    func malformedHold(text: String, message: String) throws {
        let error = try #require(throws: ScenarioError.self) { try Scenario.parse(text, file: "s.csv") }
        #expect(error.description == message)
    }
}
