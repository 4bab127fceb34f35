import Testing
import VigilCore

/// `shared/clinical.md`, "NIBP schedule": each check reminded on its own, the +40 min check
/// always, a booster restarting the timeline.
@Suite("BP checks, each reminded")
struct BloodPressureScheduleTests {
    /// A room dosed at 300 s with a baseline BP and no BP after the dose.
    func roomWithoutReadings() throws -> Room {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.oximeter(spo2: 98, for: 60)
        room.bloodPressure(125, 80)
        room.oximeter(spo2: 98, for: 240)
        try room.perform(.markDose(by: .doula))
        return room
    }

    @Test("The nurse acknowledges the overdue reminder at 760 s; the next check is reminded again, and so is the +40 min check")
    func acknowledgingQuietsOneReminderOnly() throws {
        var room = try roomWithoutReadings()
        room.oximeter(spo2: 97, for: 760 - Int(room.now))
        let first = try #require(room.monitor.alarms.activeAlarms.first { $0.condition == "nibp_overdue" })
        try room.perform(.acknowledge(by: .nurse, alarm: first.id))
        room.oximeter(spo2: 97, for: 300)
        let reminders = Set(room.alarms.filter { $0.condition.hasPrefix("nibp_") && $0.state == .raised }.map(\.id))
        #expect(reminders.count >= 2, "the next check has a reminder of its own")
        #expect(room.monitor.alarms.activeAlarms.contains { $0.condition.hasPrefix("nibp_") && $0.isSounding })
        room.oximeter(spo2: 97, for: 300 + 2460 - Int(room.now))
        let at40 = room.alarms.filter { $0.detail == "the +40 min check" && $0.state == .raised }
        #expect(at40.count == 1, "the REMS +40 min check is reminded whatever was acknowledged before")
    }

    @Test("Acknowledging the desaturation leaves the BP reminder sounding")
    func acknowledgementNamesOneAlarm() throws {
        var room = try roomWithoutReadings()
        room.oximeter(spo2: 97, for: 670 - Int(room.now))
        room.oximeter(spo2: 88, for: 20)
        try room.acknowledge("spo2_low")
        #expect(room.monitor.alarms.activeAlarms.first { $0.condition.hasPrefix("nibp_") }?.isSounding == true)
    }

    @Test("An overdue check left unacknowledged for 2 min goes to the clinic and stays medium")
    func overdueGoesToTheClinic() throws {
        var room = try roomWithoutReadings()
        room.oximeter(spo2: 97, for: 300 + 450 + 121 - Int(room.now))
        let sent = try #require(room.events("nibp_overdue", .escalated).last)
        #expect(sent.priority == .medium)
        #expect(sent.detail == "unacknowledged for 2 min: sent to the clinic")
        #expect(room.minuteMark(sent) == 570)
    }

    @Test("In discharge the checks come one at the start and then every 30 min")
    func dischargeEveryThirtyMinutes() throws {
        var room = try Room.dosed(at: 300, normalUntil: 300 + 106 * 60 - 1)
        room.bloodPressure(124, 80)
        room.oximeter(spo2: 97, for: 85 * 60)
        let raised = room.alarms.filter { $0.condition.hasPrefix("nibp_") && $0.state == .raised }
            .map { room.minuteMark($0) / 60 }
        // Each reminded a minute after it falls due (remind_after).
        #expect(raised.first == 121, "the start-of-discharge check, before recovery's next one at +121")
        #expect(raised.dropFirst().first == 151)
        #expect(raised.dropFirst(2).first == 181)
    }

    @Test("A booster at +30 min restarts the timeline: onset again, discharge 120 min after the booster, +40 after it")
    func boosterRestartsTheTimeline() throws {
        var room = try Room.dosed(at: 300, normalUntil: 300 + 30 * 60)
        try room.perform(.markBooster(by: .doula))
        #expect(room.monitor.session.phase == .onset)
        room.normalUntil(minutesAfterDose: 30 + 119)
        #expect(room.monitor.session.phase == .recovery, "80 min after the first dose's discharge would have come")
        room.normalUntil(minutesAfterDose: 30 + 121)
        #expect(room.monitor.session.phase == .discharge)
    }

    @Test("A restart of the schedule after a restart never escalates a BP minutes old")
    func resumeKnowsTheLastReading() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.bloodPressure(126, 81)
        let readings = [Reading(time: room.clock.wallNow, vital: .systolic, value: 126, device: "nibp"),
                        Reading(time: room.clock.wallNow, vital: .diastolic, value: 81, device: "nibp")]
        room.oximeter(spo2: 97, for: 60)
        var resumed = RoomMonitor(clock: room.clock, profile: .clinicDefault)
        let dose = try #require(room.sessionEvents.first { $0.kind == .dose })
        _ = try resumed.resume(startedAt: room.clock.wallStart, lastDoseAt: dose.time, patientReference: nil,
                               readings: readings, alarmEvents: [])
        #expect(resumed.alarms.activeAlarms.isEmpty, "the reading a minute ago keeps every reminder away")
    }
}
