import Foundation
import VigilCore

/// A dosing room on a hand-driven clock: the tests' way of living through a session second by
/// second without waiting for it.
struct Room {
    let clock = ManualClock()
    var monitor: RoomMonitor<ManualClock>
    /// Every alarm event so far, in order.
    var alarms: [AlarmEvent] = []
    var sessionEvents: [SessionEvent] = []

    init(profile: AlarmProfile = .clinicDefault) {
        monitor = RoomMonitor(clock: clock, profile: profile)
    }

    /// Seconds on the room's clock.
    var now: Double { clock.now.offset.seconds }

    mutating func record(_ events: [RoomEvent]) {
        for event in events {
            switch event {
            case .alarm(let a): alarms.append(a)
            case .session(let s): sessionEvents.append(s)
            }
        }
    }

    mutating func perform(_ command: RoomCommand) throws {
        record(try monitor.perform(command))
    }

    /// Lets time pass, waking the monitor at each of its deadlines on the way.
    mutating func wait(_ seconds: Double) {
        let target = clock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        while let deadline = monitor.nextDeadline(), deadline <= target {
            clock.advance(to: deadline)
            record(monitor.tick())
        }
        clock.advance(to: target)
        record(monitor.tick())
    }

    /// The oximeter sends these values once a second for `seconds` seconds.
    mutating func oximeter(spo2: Double?, pulse: Double? = 72, quality: ReadingQuality = .valid,
                           for seconds: Int, device: String = "oximeter") {
        for _ in 0..<seconds {
            // A device with the finger out still sends frames; they carry no value.
            if spo2 != nil || quality != .valid { send(.spo2, spo2, quality: quality, device: device) }
            if pulse != nil || quality != .valid { send(.pulseRate, pulse, quality: quality, device: device) }
            wait(1)
        }
    }

    mutating func send(_ vital: Vital, _ value: Double?, quality: ReadingQuality = .valid, device: String = "oximeter") {
        let shown = quality == .sensorOff ? nil : value
        record(monitor.receive(Reading(time: clock.wallNow, vital: vital, value: shown, device: device, quality: quality)))
    }

    /// One blood-pressure measurement, as the monitor sends it (without a MAP: Vigil derives it).
    mutating func bloodPressure(_ systolic: Double, _ diastolic: Double) {
        let readings = [Reading(time: clock.wallNow, vital: .systolic, value: systolic, device: "nibp"),
                        Reading(time: clock.wallNow, vital: .diastolic, value: diastolic, device: "nibp")]
        record(monitor.receive(measurement: readings).events)
    }

    /// A room 20 minutes after the dose, in the peak, nothing active: where most clinic stories begin.
    static func inPeak(profile: AlarmProfile = .clinicDefault) throws -> Room {
        var room = Room(profile: profile)
        try room.startAndDose()
        room.normalUntil(minutesAfterDose: 20)
        return room
    }

    /// Starts a session, takes a normal baseline and marks the dose.
    mutating func startAndDose() throws {
        try perform(.startSession(by: .doula, patientReference: nil))
        oximeter(spo2: 98, for: 60)
        bloodPressure(125, 80)
        oximeter(spo2: 98, for: 60)
        try perform(.markDose(by: .doula))
    }

    /// Keeps vitals normal (and BP on time) until `minutes` after the dose.
    mutating func normalUntil(minutesAfterDose minutes: Double) {
        let doseAt = sessionEvents.first { $0.kind == .dose }!.time
        while clock.wallNow.timeIntervalSince(doseAt) < minutes * 60 {
            if Int(clock.wallNow.timeIntervalSince(doseAt).rounded()) % 240 == 0 { bloodPressure(128, 82) }
            oximeter(spo2: 97, for: 1)
        }
    }

    /// The id of the active alarm of `condition`.
    func alarmID(_ condition: String) -> String {
        guard case .acknowledge(_, let id) = monitor.resolvingAlarmName(.acknowledge(by: .nurse, alarm: condition)) else {
            return condition
        }
        return id
    }

    /// A nurse acknowledges the active alarm of `condition`.
    mutating func acknowledge(_ condition: String, by role: Role = .nurse) throws {
        try perform(.acknowledge(by: role, alarm: alarmID(condition)))
    }

    /// A nurse pauses the audio of the active alarm of `condition`.
    mutating func pauseAudio(_ condition: String, by role: Role = .nurse) throws {
        try perform(.pauseAudio(by: role, alarm: alarmID(condition)))
    }

    func events(_ condition: String) -> [AlarmEvent] { alarms.filter { $0.condition == condition } }
    func events(_ condition: String, _ state: AlarmState) -> [AlarmEvent] {
        alarms.filter { $0.condition == condition && $0.state == state }
    }

    /// Seconds after the dose at which an event happened.
    func minuteMark(_ event: AlarmEvent) -> Double { event.sinceDose ?? -1 }
}
