import Foundation
import VigilCore
import VigilMQTT

/// The room as the live pages draw it at one moment: the session as the room publishes it on
/// the broker, the active alarms, and the BP check that is due next. Vitals are not here: the
/// web keeps the latest readings and their trend as they stream past.
public struct RoomLiveState: Sendable {
    public var identity: RoomIdentity
    public var session: SessionState
    public var time: Date { session.time }
    public var alarms: [Alarm]
    public var bloodPressureDue: (at: Date, reason: String)?
    public var timeline: PhaseTimeline
    /// Limits crossed past their own delay by readings with a poor signal only: not alarms yet,
    /// shown so that the nurse can look before they sound (`AlarmEngine.questionable`).
    public var questionable: [LimitRule] = []
}

extension RoomAgent {
    /// What the live pages show now.
    public func liveState() -> RoomLiveState {
        let state = sessionState()
        let now = monitor.clock.now
        let due = monitor.alarms.nextBloodPressureCheck.map { check in
            (at: state.time.addingTimeInterval(now.duration(to: check.due).seconds), reason: check.reason)
        }
        return RoomLiveState(identity: identity, session: state, alarms: monitor.alarms.activeAlarms,
                             bloodPressureDue: due, timeline: profile.timeline, questionable: monitor.alarms.questionable)
    }

    /// The session now, as the broker's retained `session` topic and the live pages carry it.
    func sessionState() -> SessionState {
        let session = monitor.session
        return SessionState(time: monitor.clock.wallNow, id: sessionID, status: sessionStatus, phase: session.phase,
                            startedAt: sessionTimes.started, doseAt: sessionTimes.dose,
                            sinceDose: session.sinceDose.map(\.seconds), patientReference: session.patientReference)
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
