import Foundation
import VigilCore

/// The room as the live pages draw it at one moment: the session and its phase, the active
/// alarms, and the BP check that is due next. Vitals are not here: the web keeps the latest
/// readings and their trend as they stream past.
public struct RoomLiveState: Sendable {
    public var identity: RoomIdentity
    public var time: Date
    public var sessionID: String?
    /// `idle`, `running` or `ended`, as the room publishes it.
    public var status: String
    public var phase: Phase
    public var startedAt: Date?
    public var doseAt: Date?
    public var sinceDose: Double?
    public var patientReference: String?
    public var alarms: [Alarm]
    public var bloodPressureDue: (at: Date, reason: String)?
    public var timeline: PhaseTimeline
}

extension RoomAgent {
    /// What the live pages show now.
    public func liveState() -> RoomLiveState {
        let session = monitor.session
        let wall = monitor.clock.wallNow, now = monitor.clock.now
        let due = monitor.alarms.nextBloodPressureCheck.map { check in
            (at: wall.addingTimeInterval(now.duration(to: check.due).seconds), reason: check.reason)
        }
        return RoomLiveState(identity: identity, time: wall, sessionID: sessionID, status: sessionStatus, phase: session.phase,
                             startedAt: sessionTimes.started, doseAt: sessionTimes.dose, sinceDose: session.sinceDose?.seconds,
                             patientReference: session.patientReference, alarms: monitor.alarms.activeAlarms,
                             bloodPressureDue: due, timeline: profile.timeline)
    }

    /// When each phase begins after the dose, by the room's profile.
    public nonisolated var timeline: PhaseTimeline { profile.timeline }

    /// `idle`, `running` or `ended`: the session's status as the room publishes it and the pages show it.
    var sessionStatus: String {
        switch monitor.session.status {
        case .notStarted: "idle"
        case .running: "running"
        case .ended: "ended"
        }
    }
}
