import Testing
import VigilCore

/// Alarms about the equipment: silence, probe off, unplugging, implausible values, failed BP.
@Suite("Technical alarms")
struct TechnicalAlarmTests {
    @Test("Silence from the oximeter for 10 s raises a medium technical alarm; data clears it")
    func oximeterSilence() throws {
        var room = Room()
        try room.startAndDose()
        room.normalOximeter(untilMinutesAfterDose: 3)
        let lastReading = room.now - 1
        room.wait(8)
        #expect(room.events("no_data").isEmpty)
        room.wait(1)
        let raised = try #require(room.events("no_data", .raised).first)
        #expect(raised.kind == .technical)
        #expect(raised.priority == .medium)
        #expect(raised.device == "oximeter")
        #expect(raised.time.timeIntervalSince(room.clock.wallStart) - lastReading == 10)
        room.oximeter(spo2: 97, for: 1)
        #expect(room.events("no_data", .cleared).count == 1)
    }

    @Test("A watched device that never sends anything raises no_data 10 s into the session")
    func watchedDeviceNeverSends() throws {
        var room = Room()
        room.monitor.watch(device: "oximeter", continuous: true)
        room.wait(60)
        #expect(room.alarms.isEmpty, "nothing is monitored before the session starts")
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.wait(10)
        #expect(room.events("no_data", .raised).count == 1)
    }

    @Test("A finger out raises a low alarm after 10 s that rises to medium after 60 s in the peak")
    func probeOffInPeak() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.oximeter(spo2: nil, pulse: nil, quality: .sensorOff, for: 5)
        room.oximeter(spo2: 97, for: 5)
        #expect(room.alarms.isEmpty, "a 5 s finger-out raises nothing")
        room.oximeter(spo2: nil, pulse: nil, quality: .sensorOff, for: 11)
        let raised = try #require(room.events("sensor_off", .raised).first)
        #expect(raised.priority == .low)
        #expect(raised.detail == "probe off or finger out")
        room.oximeter(spo2: nil, pulse: nil, quality: .sensorOff, for: 50)
        let escalated = try #require(room.events("sensor_off", .escalated).first)
        #expect(escalated.priority == .medium)
        #expect(escalated.time.timeIntervalSince(raised.time) == 50)
        room.oximeter(spo2: 97, for: 1)
        #expect(room.events("sensor_off", .cleared).count == 1)
    }

    @Test("Before the dose a finger out stays a low alarm")
    func probeOffInBaseline() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.oximeter(spo2: 98, for: 10)
        room.oximeter(spo2: nil, pulse: nil, quality: .sensorOff, for: 90)
        #expect(room.events("sensor_off").map(\.state) == [.raised])
    }

    @Test("Unplugging raises device_disconnected at once without also raising no_data; replugging clears it")
    func unplugReplug() throws {
        var room = Room()
        try room.startAndDose()
        room.normalOximeter(untilMinutesAfterDose: 2)
        try room.perform(.deviceDisconnected("oximeter", reason: "port closed"))
        let raised = try #require(room.events("device_disconnected", .raised).first)
        #expect(raised.priority == .medium)
        #expect(raised.detail == "port closed")
        room.wait(30)
        #expect(room.events("no_data").isEmpty)
        try room.perform(.deviceConnected("oximeter"))
        #expect(room.events("device_disconnected", .cleared).count == 1)
        room.wait(10)
        #expect(room.events("no_data", .raised).count == 1, "connected but silent is still no data")
    }

    @Test("An implausible value is a technical alarm and never a physiological one")
    func implausible() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.send(.spo2, 104)
        room.oximeter(spo2: nil, pulse: 350, for: 1)
        #expect(room.events("spo2_low").isEmpty)
        #expect(room.events("pulse_rate_high").isEmpty)
        #expect(room.events("implausible_value", .raised).map(\.vital) == [.spo2, .pulseRate])
        room.oximeter(spo2: 97, pulse: 75, for: 1)
        #expect(room.events("implausible_value", .cleared).count == 2)
    }

    @Test("A failed BP measurement is a low technical alarm with the module's reason")
    func measurementFailed() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 3)
        try room.perform(.measurementFailed("nibp", reason: "cuff loose"))
        let raised = try #require(room.events("nibp_failed", .raised).first)
        #expect(raised.detail == "cuff loose")
        #expect(raised.priority == .low)
        room.bloodPressure(130, 80)
        #expect(room.events("nibp_failed", .cleared).count == 1)
    }
}
