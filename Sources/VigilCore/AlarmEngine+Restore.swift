import Foundation

extension AlarmEngine {
    /// Puts back every alarm the log shows open — raised and never cleared — as it last stood:
    /// its priority, value and limit, who acknowledged it, an audio pause still running, and
    /// since when it has been medium (its escalation clock). A latched high alarm stays until a
    /// person acknowledges it, whatever the vital does meanwhile.
    /// - Parameter events: in the order they happened (the store's order of writing).
    mutating func restore(_ events: [AlarmEvent]) {
        var order: [String] = []
        var byAlarm: [String: [AlarmEvent]] = [:]
        for event in events {
            if byAlarm[event.id] == nil { order.append(event.id) }
            byAlarm[event.id, default: []].append(event)
        }
        for id in order {
            // The database's own failure is found again by writing, and cleared only by that.
            guard let history = byAlarm[id], let last = history.last, last.state != .cleared,
                  last.condition != TechnicalCondition.storageFailed,
                  !active.contains(where: { $0.alarm.id == id || $0.key == Self.key(of: last) }) else { continue }
            let raised = history.first!
            var alarm = Alarm(id: id, kind: last.kind, condition: last.condition, vital: last.vital, device: last.device,
                              priority: last.priority, value: last.value, limit: last.limit, raisedAt: raised.time,
                              worstValue: last.worstValue ?? last.value)
            let sinceEscalation = history.lastIndex { $0.state == .raised || $0.state == .escalated } ?? 0
            alarm.acknowledgedBy = history[sinceEscalation...].last { $0.state == .acknowledged }?.by
            alarm.escalatedAt = history.last { $0.state == .escalated }?.time
            var entry = Entry(alarm: alarm, key: Self.key(of: last), raisedIn: raised.phase)
            if last.priority == .medium {
                entry.mediumSince = clock.instant(atWall: history[sinceEscalation].time)
            }
            entry.sentToClinic = history.contains { $0.state == .escalated && $0.detail?.hasSuffix(Self.sentToClinic) == true }
            if last.state == .audioPaused {
                let until = clock.instant(atWall: last.time).advanced(by: profile.audioPause)
                if until > clock.now {
                    entry.audioPausedUntil = until
                    entry.alarm.isAudioPaused = true
                }
            }
            active.append(entry)
            nextNumber = max(nextNumber, Self.number(of: id, prefix: idPrefix).map { $0 + 1 } ?? nextNumber)
        }
    }

    /// The engine's key for an alarm, from what its events say of it.
    static func key(of event: AlarmEvent) -> String {
        guard event.kind == .technical else { return event.condition }
        switch event.condition {
        case TechnicalCondition.nibpOverdue: return TechnicalCondition.nibpDue
        case TechnicalCondition.noData, TechnicalCondition.sensorOff, TechnicalCondition.deviceDisconnected:
            return event.device.map { "\(event.condition)@\($0)" } ?? event.condition
        case TechnicalCondition.implausibleValue:
            return event.vital.map { "\(event.condition)@\($0.rawValue)" } ?? event.condition
        default: return event.condition
        }
    }

    private static func number(of id: String, prefix: String) -> Int? {
        id.hasPrefix(prefix) ? Int(id.dropFirst(prefix.count)) : nil
    }
}
