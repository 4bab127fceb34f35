import Testing
import VigilCore

@Suite("Scenario files")
struct ScenarioTests {
    @Test("A scenario reads times, vitals, events and comments")
    func parses() throws {
        let scenario = try Scenario.parse("""
            # a comment line
            0,session.start,
            300,dose,           # trailing comment
            310,spo2,97
            2400,systolic,172
            2500,ack,nurse:A3
            2600,probe_off,oximeter
            7300,session.end,
            """)
        #expect(scenario.steps.map(\.seconds) == [0, 300, 310, 2400, 2500, 2600, 7300])
        #expect(scenario.steps.map(\.line) == [2, 3, 4, 5, 6, 7, 8])
        #expect(scenario.steps[2].action == .hold(.spo2, 97))
        #expect(scenario.steps[3].action == .measure(.systolic, 172))
        #expect(scenario.steps[4].action == .command(.acknowledge(by: .nurse, alarm: "A3")))
        #expect(scenario.steps[5].action == .signal(device: "oximeter", .sensorOff))
    }

    @Test("Two sessions in a row: the second copy starts the gap after the first's last line, device and staff lines alike")
    func repeated() throws {
        let once = try Scenario.parse("0,session.start,\n0,spo2,98\n120,dose,\n150,spo2,87\n300,session.end,\n")
        let twice = once.repeated(2, gap: 60)
        #expect(twice.steps.map(\.seconds) == [0, 0, 120, 150, 300, 360, 360, 480, 510, 660])
        #expect(twice.steps.suffix(5).map(\.action) == once.steps.map(\.action))
        #expect(twice.steps.suffix(5).map(\.line) == once.steps.map(\.line), "errors still name the file's lines")
        #expect(twice.staffSteps.count == 6)
        #expect(once.repeated(1, gap: 60) == once)
    }

    @Test("A malformed line fails with file, line and reason", arguments: [
        ("0,session.start,\nten,spo2,97", "s.csv:2: time \"ten\" is not a number of seconds"),
        ("0,session.start,\n5,spo2,high", "s.csv:2: spo2: value \"high\" is not a number"),
        ("0,session.start,\n5,heart,80", "s.csv:2: unknown name \"heart\" (a vital such as spo2 or systolic, or an event such as dose)"),
        ("10,spo2,97\n5,spo2,96", "s.csv:2: time 5 goes back before 10"),
        ("0,ack,janitor", "s.csv:1: unknown role \"janitor\" (nurse, doula, provider or station)"),
        ("\n\n0", "s.csv:3: expected seconds,name,value but found \"0\""),
    ])
    func malformed(text: String, message: String) throws {
        let error = try #require(throws: ScenarioError.self) { try Scenario.parse(text, file: "s.csv") }
        #expect(error.description == message)
    }

    @Test("A command the session refuses stops the replay at its line")
    func refusedCommand() throws {
        let scenario = try Scenario.parse("0,session.start,\n10,spo2,97\n60,booster,", file: "s.csv")
        var replay = ScenarioReplay(scenario: scenario, profile: .clinicDefault, file: "s.csv")
        let error = try #require(throws: ScenarioError.self) { try replay.run() }
        #expect(error.description == "s.csv:3: no dose has been marked yet")
    }

    @Test("The simulated oximeter repeats a held value every second until told otherwise")
    func heldValues() throws {
        let scenario = try Scenario.parse("""
            0,session.start,
            0,spo2,97
            100,spo2,88
            106,spo2,97
            200,silent,oximeter
            300,session.end,
            """)
        var replay = ScenarioReplay(scenario: scenario, profile: .clinicDefault)
        let alarms = try replay.run().compactMap { if case .alarm(let a) = $0 { a } else { nil } }
        // Baseline: below 93 for 30 s is needed, so a 6 s dip raises nothing; silence does.
        #expect(alarms.map(\.condition) == ["no_data", "no_data"])
        #expect(alarms.map(\.state) == [.raised, .cleared])
        #expect(alarms[0].time.timeIntervalSince(replay.clock.wallStart) == 209)
    }
}
