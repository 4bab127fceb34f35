import Foundation
import Testing
import VigilCore

/// A room's day: several patients, who may do what, and what a session's end or a restart must
/// never silence.
@Suite("A room's day")
struct RoomDayTests {
    @Test("After a session ends the next start begins a new one, with nothing of the last one's phase, schedule or alarms")
    func twoSessionsInARow() throws {
        var room = try Room.dosed(at: 300, normalUntil: 600)
        try room.perform(.endSession(by: .doula))
        #expect(room.monitor.session.status == .ended)
        room.oximeter(spo2: 97, for: 600)
        #expect(room.monitor.alarms.activeAlarms.isEmpty, "no BP reminder between sessions")
        try room.perform(.startSession(by: .doula, patientReference: "P-0042"))
        #expect(room.monitor.session.status == .running)
        #expect(room.monitor.session.phase == .baseline)
        #expect(room.monitor.session.doseAt == nil)
        #expect(room.monitor.session.patientReference == "P-0042")
        #expect(room.monitor.session.events.map(\.kind) == [.started])
        room.oximeter(spo2: 97, for: 600)
        #expect(room.monitor.alarms.activeAlarms.isEmpty, "the new session has no dose, so no BP schedule yet")
        try room.perform(.markDose(by: .doula))
        #expect(room.monitor.session.phase == .onset)
    }

    @Test("Ending the session while SpO2 is 82% is refused until a nurse acknowledges, and 82% still alarms after it")
    func stopNeverSilencesADesaturation() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.oximeter(spo2: 82, for: 10)
        #expect(throws: AlarmGuardError.self) { try room.perform(.endSession(by: .doula)) }
        #expect(room.monitor.session.status == .running)
        try room.acknowledge("spo2_low")
        try room.perform(.endSession(by: .doula))
        #expect(room.events("spo2_low", .cleared).isEmpty, "82% is past the crisis tier that watches between sessions")
        room.oximeter(spo2: 82, for: 30)
        #expect(room.monitor.alarms.activeAlarms.contains { $0.condition == "spo2_low" && $0.priority == .high })
    }

    @Test("A nurse may end a session over an unacknowledged high alarm with an explicit override; a doula may not")
    func overrideIsANurses() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.oximeter(spo2: 82, for: 10)
        #expect(throws: PermissionDenied(role: .doula, action: .respondToAlarm)) {
            try room.perform(.endSession(by: .doula, overridingAlarms: true))
        }
        try room.perform(.endSession(by: .nurse, overridingAlarms: true))
        #expect(room.monitor.session.status == .ended)
        #expect(room.monitor.alarms.activeAlarms.contains { $0.condition == "spo2_low" }, "the alarm still needs a nurse")
    }

    @Test("Between sessions a device that is unplugged still raises its alarm")
    func technicalAlarmsBetweenSessions() throws {
        var room = Room()
        try room.perform(.deviceDisconnected("oximeter", reason: "unplugged"))
        #expect(room.events("device_disconnected", .raised).count == 1)
    }

    @Test("The clinic's table: a doula may not acknowledge or pause, a provider may not run a session, a station acknowledges as a nurse")
    func rolesPerVerb() throws {
        var room = try Room.dosed(at: 300, normalUntil: 1500)
        room.oximeter(spo2: 83, for: 6)
        let id = room.alarmID("spo2_low")
        #expect(throws: PermissionDenied(role: .doula, action: .respondToAlarm)) {
            try room.perform(.acknowledge(by: .doula, alarm: id))
        }
        #expect(throws: PermissionDenied(role: .doula, action: .respondToAlarm)) {
            try room.perform(.pauseAudio(by: .doula, alarm: id))
        }
        #expect(throws: PermissionDenied(role: .provider, action: .runSession)) {
            try room.perform(.addNote("looks fine", by: .provider))
        }
        #expect(room.events("spo2_low", .acknowledged).isEmpty)
        try room.perform(.acknowledge(by: .station, alarm: id))
        #expect(room.events("spo2_low", .acknowledged).first?.by == .station)
        #expect(Role.doula.may(.music) && Role.nurse.may(.music) && !Role.station.may(.music) && !Role.provider.may(.music))
    }

    @Test("A note longer than 2,000 characters is refused and nothing is recorded")
    func longNote() throws {
        var room = try Room.dosed(at: 300, normalUntil: 400)
        let before = room.monitor.session.events.count
        #expect(throws: SessionError.noteTooLong) {
            try room.perform(.addNote(String(repeating: "x", count: 2_001), by: .doula))
        }
        #expect(room.monitor.session.events.count == before)
        try room.perform(.addNote(String(repeating: "x", count: 2_000), by: .doula))
    }

    @Test("Marking the dose during a baseline hold-the-dose SpO2 alarm is refused until a nurse acknowledges it")
    func doseWaitsForTheHoldAlarm() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.bloodPressure(125, 80)
        room.oximeter(spo2: 91, for: 35)
        #expect(room.events("spo2_low", .raised).first?.priority == .medium)
        #expect(throws: AlarmGuardError.self) { try room.perform(.markDose(by: .doula)) }
        #expect(room.monitor.session.doseAt == nil)
        try room.acknowledge("spo2_low")
        try room.perform(.markDose(by: .doula))
        #expect(room.monitor.session.phase == .onset)
    }

    @Test("Without a pulse before the dose, discharge judges the pulse by recovery's fixed limits: 120 is medium")
    func pulseWithoutBaseline() throws {
        var room = Room()
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.bloodPressure(125, 80)
        room.oximeter(spo2: 98, pulse: nil, for: 240)
        try room.perform(.markDose(by: .doula))
        room.normalUntil(minutesAfterDose: 121)
        room.oximeter(spo2: 97, pulse: 120, for: 40)
        #expect(room.events("pulse_rate_high", .raised).first?.priority == .medium)
    }

    @Test("A restart keeps a latched high desaturation open, unacknowledged, after the SpO2 came back; only a nurse closes it")
    func restartKeepsLatchedAlarms() throws {
        var room = try Room.dosed(at: 60, normalUntil: 600)
        room.oximeter(spo2: 80, for: 40)
        room.oximeter(spo2: 97, for: 60)
        let latched = try #require(room.monitor.alarms.activeAlarms.first { $0.condition == "spo2_low" })
        #expect(latched.priority == .high)
        let dose = try #require(room.sessionEvents.first { $0.kind == .dose })

        var restarted = Room()
        restarted.clock.advance(to: room.clock.now)
        _ = try restarted.monitor.resume(startedAt: restarted.clock.wallStart, lastDoseAt: dose.time,
                                         patientReference: nil, readings: [], alarmEvents: room.alarms)
        let restored = try #require(restarted.monitor.alarms.activeAlarms.first { $0.id == latched.id })
        #expect(restored.priority == .high)
        #expect(restored.acknowledgedBy == nil)
        restarted.oximeter(spo2: 97, for: 120)
        #expect(restarted.monitor.alarms.activeAlarms.contains { $0.id == latched.id }, "still latched after the restart")
        try restarted.perform(.acknowledge(by: .nurse, alarm: latched.id))
        #expect(restarted.events("spo2_low", .cleared).count == 1)
    }

    @Test("A restart does not bring back a storage failure: the agent finds it again by writing, and only that clears it")
    func restartLeavesStorageFailureToTheDisk() throws {
        var room = Room()
        try room.perform(.storageFailed(reason: "disk full"))
        #expect(room.events("storage_failed", .raised).count == 1)
        var restarted = Room()
        restarted.clock.advance(to: room.clock.now)
        _ = restarted.monitor.restoreOpenAlarms(room.alarms)
        #expect(restarted.monitor.alarms.activeAlarms.isEmpty)
    }

    @Test("A restart keeps a medium alarm's acknowledgement and its escalation clock")
    func restartKeepsState() throws {
        var room = try Room.dosed(at: 60, normalUntil: 600)
        room.oximeter(spo2: 97, pulse: 130, for: 40)
        try room.acknowledge("pulse_rate_high")
        let dose = try #require(room.sessionEvents.first { $0.kind == .dose })
        var restarted = Room()
        restarted.clock.advance(to: room.clock.now)
        _ = try restarted.monitor.resume(startedAt: restarted.clock.wallStart, lastDoseAt: dose.time,
                                         patientReference: nil, readings: [], alarmEvents: room.alarms)
        #expect(restarted.monitor.alarms.activeAlarms.first?.acknowledgedBy == .nurse)
        restarted.oximeter(spo2: 97, pulse: 130, for: 300)
        #expect(restarted.events("pulse_rate_high", .escalated).isEmpty, "acknowledged before the restart: no escalation")
    }
}
