import Testing
import VigilCore

/// An integral SpO2 delay (Nellcor's SatSeconds) instead of a fixed one: the area below the
/// limit decides, so a deep fall is raised sooner and a shallow wander later.
@Suite("Integral SpO2 delay")
struct IntegralDelayTests {
    /// The clinic's defaults with SpO2 below 90 in the peak judged by 100 %·s, not 15 s.
    static func profile() throws -> AlarmProfile {
        try AlarmProfile.load(yaml: """
            limits:
              - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, integral: 100, escalate_after: 60s }
            """, file: "satseconds.yaml")
    }

    func roomInPeak() throws -> Room {
        let room = try Room.inPeak(profile: try Self.profile())
        #expect(room.alarms.isEmpty)
        return room
    }

    func raisedAfter(_ room: Room, since start: Double) -> Double? {
        room.events("spo2_low", .raised).first.map { $0.time.timeIntervalSince(room.clock.wallStart) - start }
    }

    @Test("SpO2 88 % under a limit of 90 gathers 2 %·s a second: raised at 50 s, not at 15")
    func shallowWaitsLonger() throws {
        var room = try roomInPeak()
        let start = room.now
        room.oximeter(spo2: 88, for: 40)
        #expect(room.events("spo2_low").isEmpty, "80 %·s so far")
        room.oximeter(spo2: 88, for: 15)
        #expect(raisedAfter(room, since: start) == 50, "the first reading counts no time; 50 s later the area is 100")
    }

    @Test("SpO2 86 % gathers 4 %·s a second: raised at 25 s; the crisis tier below 85 still alarms on its own 5 s")
    func deeperSooner() throws {
        var room = try roomInPeak()
        let start = room.now
        room.oximeter(spo2: 86, for: 30)
        #expect(raisedAfter(room, since: start) == 25)
        var deep = try roomInPeak()
        let fall = deep.now
        deep.oximeter(spo2: 80, for: 12)
        let crisis = try #require(deep.events("spo2_low", .raised).first)
        #expect(crisis.priority == .high, "the crisis tier below 85 % is a fixed 5 s delay")
        #expect(crisis.time.timeIntervalSince(deep.clock.wallStart) - fall == 5)
    }

    @Test("An 8 s dip to 85 % gathers 35 %·s and raises nothing")
    func briefDip() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 85.5, for: 8)
        room.oximeter(spo2: 97, for: 60)
        #expect(room.alarms.isEmpty)
    }

    @Test("A profile gives a delay or an integral, not both; an integral needs a continuous vital")
    func validation() {
        #expect(throws: (any Error).self) {
            try AlarmProfile.load(yaml: "limits:\n  - { vital: spo2, phases: [peak], below: 90, priority: medium, integral: 100, delay: 15s }",
                                  file: "p.yaml")
        }
        #expect(throws: (any Error).self) {
            try AlarmProfile.load(yaml: "limits:\n  - { vital: systolic, phases: [peak], above: 160, priority: medium, integral: 100 }",
                                  file: "p.yaml")
        }
    }
}
