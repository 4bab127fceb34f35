import Foundation

/// Why an alarm command was refused.
public enum AlarmCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAlarm(String)

    public var description: String {
        switch self {
        case .unknownAlarm(let id): "no active alarm has the id \(id)"
        }
    }
}

extension AlarmEngine {
    // MARK: Staff commands

    /// A nurse acknowledges one alarm: it stops sounding and will not escalate. A latched alarm
    /// whose condition has passed clears with it. There is no "acknowledge all".
    public mutating func acknowledge(by role: Role, alarm id: String) throws -> [AlarmEvent] {
        let i = try index(of: id)
        guard active[i].alarm.acknowledgedBy == nil else { return [] }
        active[i].alarm.acknowledgedBy = role
        active[i].audioPausedUntil = nil
        active[i].alarm.isAudioPaused = false
        var out = [emit(active[i], .acknowledged, by: role)]
        if !active[i].alarm.isConditionPresent {
            out.append(emit(active.remove(at: i), .cleared, by: role))
        }
        return out + fireDue()
    }

    /// Silences one sounding alarm for the profile's audio pause (at most 2 minutes); it sounds
    /// again if its condition persists, and a higher priority sounds at once.
    public mutating func pauseAudio(by role: Role, alarm id: String) throws -> [AlarmEvent] {
        let i = try index(of: id)
        guard active[i].alarm.isSounding else { return [] }
        active[i].audioPausedUntil = clock.now.advanced(by: profile.audioPause)
        active[i].alarm.isAudioPaused = true
        return [emit(active[i], .audioPaused, by: role)]
    }

    private func index(of id: String) throws -> Int {
        guard let i = active.firstIndex(where: { $0.alarm.id == id }) else { throw AlarmCommandError.unknownAlarm(id) }
        return i
    }

    // MARK: Transitions

    /// Raises the alarm `key`, or raises its priority if it is already active at a lower one.
    mutating func raise(key: String, kind: AlarmKind, condition: String, vital: Vital?, device: String?,
                        priority: AlarmPriority, value: Double?, limit: Double?,
                        detail: String? = nil) -> [AlarmEvent] {
        if let i = active.firstIndex(where: { $0.key == key }) {
            active[i].alarm.isConditionPresent = true
            active[i].backSince = nil
            if let value {
                active[i].alarm.value = value
                if kind == .physiological { active[i].alarm.noteWorst(value, below: isBelow(condition)) }
            }
            guard priority > active[i].alarm.priority else { return [] }
            return [escalate(at: i, to: priority, limit: limit, detail: detail)]
        }
        let alarm = Alarm(id: "\(idPrefix)\(nextNumber)", kind: kind, condition: condition, vital: vital,
                          device: device, priority: priority, value: value, limit: limit,
                          raisedAt: clock.wallNow, acknowledgedBy: nil, isAudioPaused: false,
                          isConditionPresent: true, worstValue: value)
        nextNumber += 1
        let entry = Entry(alarm: alarm, key: key, raisedIn: inSession ? phase : nil,
                          mediumSince: priority == .medium ? clock.now : nil)
        active.append(entry)
        return [emit(entry, .raised, detail: detail)]
    }

    /// A higher priority sounds again even if the alarm was paused or acknowledged.
    mutating func escalate(at i: Int, to priority: AlarmPriority, condition: String? = nil,
                           limit: Double? = nil, detail: String? = nil) -> AlarmEvent {
        active[i].alarm.priority = priority
        if let condition { active[i].alarm.condition = condition }
        if let limit { active[i].alarm.limit = limit }
        active[i].alarm.acknowledgedBy = nil
        active[i].alarm.isAudioPaused = false
        active[i].audioPausedUntil = nil
        if priority == .medium { active[i].mediumSince = clock.now }
        active[i].alarm.escalatedAt = clock.wallNow
        return emit(active[i], .escalated, detail: detail)
    }

    /// Clears the alarm `key` if it is active (technical alarms never latch).
    mutating func clear(key: String, value: Double? = nil, by role: Role? = nil, detail: String? = nil) -> [AlarmEvent] {
        guard let i = active.firstIndex(where: { $0.key == key }) else { return [] }
        if let value { active[i].alarm.value = value }
        let entry = active.remove(at: i)
        return [emit(entry, .cleared, by: role, detail: detail)]
    }

    /// The condition has passed: a latched alarm waits for its acknowledgement, others clear.
    mutating func conditionResolved(key: String, value: Double, by role: Role? = nil, detail: String? = nil) -> [AlarmEvent] {
        guard let i = active.firstIndex(where: { $0.key == key }) else { return [] }
        active[i].alarm.value = value
        active[i].backSince = nil
        if active[i].latches && active[i].alarm.acknowledgedBy == nil {
            active[i].alarm.isConditionPresent = false
            return []
        }
        return clear(key: key, by: role, detail: detail)
    }

    mutating func emit(_ entry: Entry, _ state: AlarmState, by role: Role? = nil,
                       detail: String? = nil) -> AlarmEvent {
        defer { nextSeq += 1 }
        let a = entry.alarm
        return AlarmEvent(time: clock.wallNow, id: a.id, seq: nextSeq, kind: a.kind, condition: a.condition,
                          vital: a.vital, device: a.device, priority: a.priority, state: state,
                          value: a.value, limit: a.limit, phase: phase, sinceDose: sinceDose,
                          by: role, detail: detail, worstValue: a.worstValue)
    }
}
