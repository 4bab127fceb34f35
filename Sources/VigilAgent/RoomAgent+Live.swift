import Foundation
import VigilCore
import VigilStore

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
        let status = switch session.status {
        case .notStarted: "idle"
        case .running: "running"
        case .ended: "ended"
        }
        let wall = monitor.clock.wallNow, now = monitor.clock.now
        let due = monitor.alarms.nextBloodPressureCheck.map { check in
            (at: wall.addingTimeInterval(now.duration(to: check.due).seconds), reason: check.reason)
        }
        return RoomLiveState(identity: identity, time: wall, sessionID: sessionID, status: status, phase: session.phase,
                             startedAt: sessionTimes.started, doseAt: sessionTimes.dose, sinceDose: session.sinceDose?.seconds,
                             patientReference: session.patientReference, alarms: monitor.alarms.activeAlarms,
                             bloodPressureDue: due, timeline: profile.timeline)
    }

    /// Audits a request refused before anyone could be named (no login, an expired session, a
    /// forged form): `who` says what is known (`anonymous`, or the role the login claimed).
    public func auditRefusal(_ verb: String, by who: String, reason: String, source: String) {
        guard let store else { return }
        var record = AuditRecord(time: monitor.clock.wallNow, sessionId: sessionID, role: .system, action: "refused",
                                 detail: "\(verb): \(reason)", source: source)
        record.role = who
        do { try store.audit(record) } catch { storage(.failed("\(error)")) }
    }
}

extension RoomAgent {
    /// When each phase begins after the dose, by the room's profile.
    public nonisolated var timeline: PhaseTimeline { profile.timeline }
}
