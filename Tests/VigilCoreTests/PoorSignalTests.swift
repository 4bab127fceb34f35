import Testing
import VigilCore

/// What the oximeter says about its own signal, in the decision: a dip seen only with a poor
/// signal waits longer, the same dip with a good signal alarms on time, and a poor signal that
/// persists asks for the probe to be checked instead of sounding a desaturation.
@Suite("Signal quality in the alarm decision")
struct PoorSignalTests {
    func roomInPeak() throws -> Room {
        let room = try Room.inPeak()
        #expect(room.monitor.session.phase == .peak)
        #expect(room.alarms.isEmpty)
        return room
    }

    @Test("A 20 s motion dip to 86 % with a poor signal raises nothing; the same dip with a good signal alarms after 15 s")
    func motionDipWaits() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 86, quality: .poorSignal, for: 20)
        room.oximeter(spo2: 97, for: 60)
        #expect(room.alarms.isEmpty, "\(room.alarms.map { "\($0.condition) \($0.state)" })")

        let start = room.now
        room.oximeter(spo2: 86, for: 20)
        let raised = try #require(room.events("spo2_low", .raised).first)
        #expect(raised.time.timeIntervalSince(room.clock.wallStart) - start == 15, "a good signal is never delayed")
    }

    @Test("While it waits, the dip is questionable: past its own 15 s delay, not yet raised")
    func questionableWhileWaiting() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 88, quality: .poorSignal, for: 14)
        #expect(room.monitor.alarms.questionable.isEmpty, "not yet past the tier's own delay")
        room.oximeter(spo2: 88, quality: .poorSignal, for: 4)
        #expect(room.monitor.alarms.questionable.map(\.condition) == ["spo2_low"])
        #expect(room.events("spo2_low").isEmpty)
    }

    @Test("A poor-signal dip that a good reading then confirms alarms at once, its delay counted from the dip's start")
    func goodReadingConfirms() throws {
        var room = try roomInPeak()
        let start = room.now
        room.oximeter(spo2: 87, quality: .poorSignal, for: 18)
        #expect(room.events("spo2_low").isEmpty)
        room.oximeter(spo2: 87, for: 1)
        let raised = try #require(room.events("spo2_low", .raised).first)
        #expect(raised.time.timeIntervalSince(room.clock.wallStart) - start == 18, "raised with the first good reading")
    }

    @Test("A poor signal for 25 s raises a low check_probe, before any desaturation; a good signal clears it")
    func persistentPoorSignal() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 88, quality: .poorSignal, for: 26)
        let check = try #require(room.events("check_probe", .raised).first)
        #expect(check.kind == .technical)
        #expect(check.priority == .low)
        #expect(check.device == "oximeter")
        #expect(check.detail?.contains("check the probe") == true)
        #expect(room.events("spo2_low").isEmpty, "the probe is asked about first")
        room.oximeter(spo2: 97, for: 2)
        #expect(room.events("check_probe", .cleared).count == 1)
    }

    @Test("A desaturation that stays poor-signal still alarms, after its delay and the poor-signal wait: never silenced")
    func persistentPoorDesaturationStillAlarms() throws {
        var room = try roomInPeak()
        let start = room.now
        room.oximeter(spo2: 86, quality: .poorSignal, for: 50)
        let raised = try #require(room.events("spo2_low", .raised).first)
        #expect(raised.time.timeIntervalSince(room.clock.wallStart) - start == 45, "15 s delay + 30 s poor-signal wait")
        #expect(raised.priority == .medium)
    }

    @Test("A poor-signal reading back above the limit does not clear a desaturation; good ones do")
    func poorSignalNeverClears() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 86, for: 20)
        #expect(room.events("spo2_low", .raised).count == 1)
        room.oximeter(spo2: 97, quality: .poorSignal, for: 40)
        #expect(room.events("spo2_low", .cleared).isEmpty, "a weak signal cannot prove the patient recovered")
        room.oximeter(spo2: 97, for: 12)
        #expect(room.events("spo2_low", .cleared).count == 1)
    }

    @Test("The profile's technical.poor_signal_delay and check_probe_after are read from YAML")
    func profileSettings() throws {
        let profile = try AlarmProfile.load(yaml: "technical: { poor_signal_delay: 10s, check_probe_after: 1m }", file: "p.yaml")
        #expect(profile.technical.poorSignalDelay == .seconds(10))
        #expect(profile.technical.checkProbeAfter == .seconds(60))
        #expect(AlarmProfile.clinicDefault.technical.poorSignalDelay == .seconds(30))
    }
}

extension PoorSignalTests {
    @Test("The baseline is what the probe saw clearly: poor-signal readings before the dose do not lower it")
    func baselineFromGoodSignal() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.oximeter(spo2: 98, for: 60)
        room.oximeter(spo2: 80, quality: .poorSignal, for: 20)
        #expect(room.monitor.alarms.baseline(.spo2) == 98)
    }
}

extension PoorSignalTests {
    @Test("One probe alarm at a time: a poor signal then the probe off turns check_probe into sensor_off")
    func probeOffReplacesCheckProbe() throws {
        var room = try roomInPeak()
        room.oximeter(spo2: 97, quality: .poorSignal, for: 26)
        #expect(room.events("check_probe", .raised).count == 1)
        room.oximeter(spo2: nil, quality: .sensorOff, for: 12)
        #expect(room.events("sensor_off", .raised).count == 1)
        #expect(room.events("check_probe", .cleared).count == 1, "sensor_off says it now")
        #expect(room.monitor.alarms.activeAlarms.filter { $0.condition == "check_probe" }.isEmpty)
    }
}
