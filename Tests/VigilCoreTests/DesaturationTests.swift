import Testing
import VigilCore

/// SpO2 limits during the peak: delays, hysteresis, tiers and latching.
@Suite("Desaturation during the peak")
struct DesaturationTests {
    /// A room 20 minutes after the dose, in the peak, with nothing active.
    func roomInPeak() throws -> Room {
        let room = try Room.inPeak()
        #expect(room.monitor.session.phase == .peak)
        #expect(room.alarms.isEmpty)
        return room
    }

    @Test("SpO2 88% for 20 s during peak raises a medium alarm after its 15 s delay and not before")
    func mediumAfterDelay() throws {
        var room = try roomInPeak()
        let dipStart = room.now
        room.oximeter(spo2: 88, for: 14)
        #expect(room.events("spo2_low").isEmpty, "nothing before the 15 s condition delay has passed")
        room.oximeter(spo2: 88, for: 6)
        let raised = try #require(room.events("spo2_low", .raised).first)
        #expect(raised.priority == .medium)
        #expect(raised.kind == .physiological)
        #expect(raised.value == 88)
        #expect(raised.limit == 90)
        #expect(raised.phase == .peak)
        #expect(raised.vital == .spo2)
        #expect(raised.time.timeIntervalSince(room.clock.wallStart) - dipStart == 15)
    }

    @Test("A 5 s dip to 88% raises nothing")
    func briefDip() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 88, for: 5)
        room.oximeter(spo2: 97, for: 60)
        #expect(room.alarms.isEmpty)
    }

    @Test("Dips back inside the limit for 10 s or more each start over: 8 s at 88% between 12 s at 97% raises nothing")
    func separateDips() throws {
        var room = try roomInPeak()
        for _ in 0..<6 {
            room.oximeter(spo2: 88, for: 8)
            room.oximeter(spo2: 97, for: 12)
        }
        #expect(room.alarms.isEmpty)
    }

    @Test("Clearing needs the value back past the limit by the hysteresis")
    func hysteresis() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 88, for: 20)
        room.oximeter(spo2: 91, for: 30)
        #expect(room.events("spo2_low", .cleared).isEmpty, "91% is above 90% but inside the 2% hysteresis")
        room.oximeter(spo2: 92, for: 9)
        #expect(room.events("spo2_low", .cleared).isEmpty, "back past the hysteresis for less than the 10 s gap tolerance")
        room.oximeter(spo2: 92, for: 2)
        let cleared = try #require(room.events("spo2_low", .cleared).first)
        #expect(cleared.value == 92)
        #expect(cleared.id == room.events("spo2_low", .raised).first?.id)
    }

    @Test("SpO2 below 85% raises a high alarm after 5 s, and it latches until acknowledged")
    func highLatches() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 83, for: 6)
        let raised = try #require(room.events("spo2_low", .raised).first)
        #expect(raised.priority == .high)
        room.oximeter(spo2: 97, for: 300)
        #expect(room.events("spo2_low", .cleared).isEmpty, "a high alarm stays until a person acknowledges it")
        #expect(room.monitor.alarms.activeAlarms.first?.isConditionPresent == false)
        try room.acknowledge("spo2_low")
        #expect(room.events("spo2_low").map(\.state) == [.raised, .acknowledged, .cleared])
        #expect(room.events("spo2_low", .acknowledged).first?.by == .nurse)
        #expect(room.monitor.alarms.activeAlarms.isEmpty)
    }

    @Test("A medium desaturation held past 60 s rises to high")
    func heldDesaturationEscalates() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 88, for: 61)
        #expect(room.events("spo2_low").map(\.state) == [.raised, .escalated])
        #expect(room.events("spo2_low", .escalated).first?.priority == .high)
    }

    @Test("Readings while the finger is out neither raise nor reset a desaturation")
    func invalidReadingsDuringDip() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 88, for: 8)
        room.oximeter(spo2: nil, pulse: nil, quality: .artifact, for: 3)
        #expect(room.events("spo2_low").isEmpty)
        room.oximeter(spo2: 88, for: 5)
        #expect(room.events("spo2_low", .raised).count == 1, "the 15 s ran from the first breaching reading")
    }
}
