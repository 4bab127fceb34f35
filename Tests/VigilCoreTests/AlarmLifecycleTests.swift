import Testing
import VigilCore

/// Acknowledgement, audio pause and escalation.
@Suite("Alarm lifecycle")
struct AlarmLifecycleTests {
    @Test("In baseline a pulse of 118 raises a low alarm whose paused audio sounds again after 2 minutes")
    func audioPauseEnds() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.bloodPressure(125, 80)
        room.oximeter(spo2: 98, pulse: 118, for: 31)
        let raised = try #require(room.events("pulse_rate_high", .raised).first)
        #expect(raised.priority == .low)
        try room.pauseAudio("pulse_rate_high")
        let pausedAt = room.now
        #expect(room.monitor.alarms.activeAlarms.first?.isSounding == false)
        room.oximeter(spo2: 98, pulse: 118, for: 119)
        #expect(room.events("pulse_rate_high", .audioResumed).isEmpty)
        room.oximeter(spo2: 98, pulse: 118, for: 2)
        let resumed = try #require(room.events("pulse_rate_high", .audioResumed).first)
        #expect(resumed.time.timeIntervalSince(room.clock.wallStart) - pausedAt == 120)
        #expect(room.monitor.alarms.activeAlarms.first?.isSounding == true)
    }

    @Test("A higher-priority condition sounds even while audio is paused")
    func higherPriorityBreaksPause() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.oximeter(spo2: 88, for: 16)
        try room.pauseAudio("spo2_low")
        #expect(room.events("spo2_low", .audioPaused).count == 1)
        room.oximeter(spo2: 83, for: 6)
        let escalated = try #require(room.events("spo2_low", .escalated).first)
        #expect(escalated.priority == .high)
        #expect(room.monitor.alarms.activeAlarms.first?.isSounding == true)
    }

    @Test("An unacknowledged medium alarm escalates to high after 2 minutes; an acknowledged one does not")
    func unacknowledgedEscalates() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.oximeter(spo2: 97, pulse: 126, for: 30)
        let raised = try #require(room.events("pulse_rate_high", .raised).first)
        #expect(raised.priority == .medium)
        room.oximeter(spo2: 97, pulse: 126, for: 119)
        #expect(room.events("pulse_rate_high", .escalated).isEmpty)
        room.oximeter(spo2: 97, pulse: 126, for: 1)
        let escalated = try #require(room.events("pulse_rate_high", .escalated).first)
        #expect(escalated.priority == .high)
        #expect(escalated.detail == "unacknowledged")
        #expect(room.monitor.alarms.activeAlarms.first { $0.condition == "pulse_rate_high" }?.escalatedAt == escalated.time,
                "the active alarm says when, for the station's retained list")
        var restarted = Room()
        _ = try restarted.monitor.resume(startedAt: restarted.clock.wallStart, lastDoseAt: restarted.clock.wallStart,
                                         patientReference: nil, readings: [], alarmEvents: room.alarms)
        #expect(restarted.monitor.alarms.activeAlarms.first { $0.condition == "pulse_rate_high" }?.escalatedAt == escalated.time,
                "and still says so after the room restarts")

        var acknowledged = Room()
        try acknowledged.startAndDose()
        acknowledged.normalUntil(minutesAfterDose: 20)
        acknowledged.oximeter(spo2: 97, pulse: 126, for: 31)
        try acknowledged.acknowledge("pulse_rate_high")
        acknowledged.oximeter(spo2: 97, pulse: 126, for: 300)
        #expect(acknowledged.events("pulse_rate_high", .escalated).isEmpty)
        #expect(acknowledged.events("pulse_rate_high", .cleared).isEmpty, "acknowledged is not cleared")
    }

    @Test("Acknowledging an alarm by id leaves the others sounding; an unknown id changes nothing")
    func acknowledgeOne() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.oximeter(spo2: 88, pulse: 126, for: 31)
        let ids = room.monitor.alarms.activeAlarms.map(\.id)
        #expect(ids.count == 2)
        try room.perform(.acknowledge(by: .nurse, alarm: ids[0]))
        #expect(room.monitor.alarms.activeAlarms.map(\.isSounding) == [false, true])
        #expect(throws: AlarmCommandError.unknownAlarm("A99")) { try room.perform(.acknowledge(by: .nurse, alarm: "A99")) }
        #expect(room.monitor.alarms.activeAlarms.map(\.isSounding) == [false, true])
    }

    @Test("Ending the session clears its reminders and the alarms whose vital is back, stamped with who ended it")
    func endClears() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.oximeter(spo2: 88, for: 16)
        try room.acknowledge("spo2_low")
        room.oximeter(spo2: 91, for: 500)
        #expect(room.events("nibp_due", .raised).count == 1)
        try room.perform(.endSession(by: .doula))
        #expect(room.events("spo2_low", .cleared).first?.by == .doula, "91% is inside the crisis tiers that watch between sessions")
        #expect(room.events("nibp_due", .cleared).first?.by == .doula)
        #expect(room.events("nibp_due", .cleared).first?.detail == "session ended")
        #expect(room.monitor.alarms.activeAlarms.isEmpty)
    }

    @Test("Every event carries a sequence number that only grows, and an alarm keeps its id for life")
    func stableIDs() throws {
        var room = Room()
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        room.oximeter(spo2: 88, for: 70)
        room.oximeter(spo2: 97, for: 5)
        try room.acknowledge("spo2_low")
        let seqs = room.alarms.map(\.seq)
        #expect(seqs == Array(1...seqs.count))
        #expect(Set(room.events("spo2_low").map(\.id)).count == 1)
    }
}
