import Foundation

/// Why the room refused a session command because of its alarms.
public enum AlarmGuardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Ending a session while a high alarm nobody has acknowledged is active.
    case unacknowledgedHigh([String])
    /// Marking the dose while a baseline "hold the dose" alarm nobody has acknowledged is active.
    case holdTheDose([String])

    public var description: String {
        switch self {
        case .unacknowledgedHigh(let ids):
            "a high alarm is active and not acknowledged (\(ids.joined(separator: ", "))): a nurse acknowledges it first, or ends the session with an override"
        case .holdTheDose(let ids):
            "a baseline alarm says to hold the dose (\(ids.joined(separator: ", "))): a nurse acknowledges it first"
        }
    }
}

extension AlarmEngine {
    // MARK: Session lifecycle (driven by `RoomMonitor`)

    /// A new session begins in baseline: nothing of the last session's schedule, baseline or
    /// repeat requests is kept; a breach or alarm that is still true of the patient in the
    /// probe carries on under the baseline limits.
    public mutating func sessionStarted() -> [AlarmEvent] {
        inSession = true
        sessionStartedAt = clock.now
        doseAt = nil
        baselineSums = [:]
        lastValidBP = nil
        measuringSince = nil
        remindedCheck = nil
        pendingRepeats = [:]
        let now = clock.now
        for name in Array(devices.keys) {
            devices[name]?.lastReading = now
            devices[name]?.invalidSince = nil
        }
        return phaseChanged(to: .baseline)
    }

    /// Monitoring picks up after a restart, where the records say it was: the last dose, the
    /// baseline from the pre-dose readings, the last valid BP, and every alarm that was open,
    /// with its state (latched, acknowledged, audio paused until), which still needs a person.
    /// - Parameter baselineUntil: the first dose: the baseline is what came before it, whatever
    ///   boosters followed.
    mutating func resume(startedAt: C.Instant, doseAt: C.Instant?, baselineUntil: Date?, phase: Phase, readings: [Reading],
                         alarmEvents: [AlarmEvent]) {
        inSession = true
        sessionStartedAt = startedAt
        self.doseAt = doseAt
        self.phase = phase
        for reading in readings where baselineUntil.map({ reading.time < $0 }) ?? true {
            if let v = reading.validValue, reading.hasGoodSignal { accumulateBaseline(reading.vital, v) }
        }
        if let lastBP = readings.last(where: { $0.vital.isIntermittent && $0.validValue != nil }) {
            lastValidBP = clock.instant(atWall: lastBP.time)
        }
        rulesNow = currentRules()
        restore(alarmEvents)
        let now = clock.now
        for name in Array(devices.keys) { devices[name]?.lastReading = now }
        if active.contains(where: { $0.key == TechnicalCondition.nibpDue }) {
            remindedCheck = nibpChecks(through: now).last { $0.due <= now }
        }
    }

    /// The dose: refused while a baseline alarm that says to hold the dose is unacknowledged.
    public func checkDoseAllowed() throws {
        let holding = active.filter {
            $0.alarm.kind == .physiological && ($0.raisedIn == .baseline || $0.raisedIn == nil) && $0.alarm.acknowledgedBy == nil
                && $0.alarm.priority >= .medium
        }
        if !holding.isEmpty { throw AlarmGuardError.holdTheDose(holding.map(\.alarm.id)) }
    }

    public mutating func doseMarked() -> [AlarmEvent] {
        doseAt = clock.now
        var out: [AlarmEvent] = []
        if lastValidBP == nil {
            out += raise(key: TechnicalCondition.nibpBeforeDoseMissing, kind: .technical,
                         condition: TechnicalCondition.nibpBeforeDoseMissing, vital: nil, device: nil,
                         priority: .medium, value: nil, limit: nil, detail: "no blood pressure before the dose")
        }
        return out + fireDue()
    }

    /// A booster restarts the timeline from its time: the BP schedule and its checkpoints follow
    /// the last dose (the session moves the phase back to onset).
    public mutating func boosterMarked() -> [AlarmEvent] {
        doseAt = clock.now
        return fireDue()
    }

    /// Ending a session is refused while a high alarm is unacknowledged, unless a nurse (or the
    /// station, as a nurse) overrides it; the caller audits the override.
    public func checkEndAllowed(overriding: Bool) throws {
        let unacknowledged = active.filter { $0.alarm.priority == .high && $0.alarm.acknowledgedBy == nil }
        if !unacknowledged.isEmpty, !overriding { throw AlarmGuardError.unacknowledgedHigh(unacknowledged.map(\.alarm.id)) }
    }

    /// The session ends and the room goes back to watching between sessions: the session's own
    /// reminders and probe alarms clear, stamped with who ended it; an alarm whose vital is still
    /// past a crisis tier, or that is latched and unacknowledged, stays.
    public mutating func sessionEnded(by role: Role) -> [AlarmEvent] {
        inSession = false
        remindedCheck = nil
        pendingRepeats = [:]
        measuringSince = nil
        var out: [AlarmEvent] = []
        for entry in active where Self.endsWithSession(entry.alarm) {
            if let i = active.firstIndex(where: { $0.key == entry.key }) {
                out.append(emit(active.remove(at: i), .cleared, by: role, detail: "session ended"))
            }
        }
        out += phaseChanged(to: .baseline, by: role)
        doseAt = nil  // after the end's events, which still tell the time since the dose
        return out
    }

    static func endsWithSession(_ alarm: Alarm) -> Bool {
        alarm.kind == .technical && (alarm.condition.hasPrefix("nibp_") || alarm.condition == TechnicalCondition.sensorOff
            || alarm.condition == TechnicalCondition.noData)
    }

    /// The phase changed (or the session began or ended): the new tiers apply. A breach keeps its
    /// start where its tier goes on, or where the value already breached the condition before; a
    /// value that breaches only the new limits starts its breach now. An active alarm stays while
    /// its value is outside the new limits, with its priority and escalation clock.
    public mutating func phaseChanged(to newPhase: Phase, by role: Role? = nil) -> [AlarmEvent] {
        let endedIn = phase
        phase = newPhase
        let old = breaches
        rulesNow = currentRules()
        let now = clock.now
        var kept: [LimitRule.Key: Breach] = [:]
        for rule in rulesNow where !rule.vital.isIntermittent {
            if let breach = old[rule.key] {
                // The new delay applies from the old start; a raised breach stays raised (its
                // probe-off spell and its "< 90 for 60 s" clock go on), at the new tier's priority.
                kept[rule.key] = Breach(since: breach.since, lastBreachingAt: breach.lastBreachingAt,
                                        insideSince: breach.insideSince, delayPassed: breach.fired, fired: breach.fired,
                                        escalated: breach.escalated)
            } else if let last = lastValid[rule.vital], isFresh(last.at),
                      rule.limit.isBreached(by: last.value, baseline: baseline(rule.vital)) {
                let earlier = old.filter { $0.key.condition == rule.condition }.map(\.value.since).min()
                kept[rule.key] = Breach(since: earlier ?? now, lastBreachingAt: last.at)
            }
        }
        breaches = kept
        let confirming = Set(rulesNow.filter(\.confirm).map(\.condition))
        pendingRepeats = pendingRepeats.filter { confirming.contains($0.key) }
        var out: [AlarmEvent] = []
        if !inSession { phase = endedIn }  // a session's end is told in the phase it ended in
        for rule in rulesNow where kept[rule.key]?.fired == true {
            if let last = lastValid[rule.vital], isFresh(last.at), isBreached(rule, by: last.value) { out += fireTier(rule) }
        }
        for entry in active where entry.alarm.kind == .physiological {
            guard let vital = entry.alarm.vital, let last = lastValid[vital], vital.isIntermittent || isFresh(last.at) else { continue }
            let outgrown = isOutgrown(entry.alarm, vital: vital, value: last.value)
            if isResolved(entry.alarm.condition, vital: vital, value: last.value) || outgrown {
                out += conditionResolved(key: entry.key, value: last.value, by: role,
                                         detail: !inSession ? "session ended" : outgrown ? "inside the \(newPhase.rawValue) limits" : nil)
                // Gone from the board, its tiers' kept breaches must be able to raise it again: a
                // fall back past a limit within the gap tolerance is the same breach, its delay
                // already passed, so it alarms at once rather than never.
                if !active.contains(where: { $0.key == entry.key }) {
                    for key in breaches.keys where key.condition == entry.alarm.condition {
                        breaches[key]?.fired = false
                        breaches[key]?.escalated = false
                    }
                }
            }
        }
        phase = newPhase
        return out + reconcileRepeatRequest() + fireDue()
    }

    /// An acknowledged alarm raised at a limit the new phase no longer has, its value inside the
    /// new limits (if within their hysteresis): it was about the old phase's limit. Kept, it
    /// would take in a later breach of the new limits in silence, since it is acknowledged:
    /// SpO2 91 % acknowledged against the baseline's 93 % would hide a fall to 88 % after the
    /// dose, below onset's 90 %, until its "< 90 for 60 s" escalation. Cleared, that fall raises
    /// an alarm of its own, which sounds. An unacknowledged alarm is still sounding and keeps the
    /// hysteresis rule.
    func isOutgrown(_ alarm: Alarm, vital: Vital, value: Double) -> Bool {
        guard alarm.acknowledgedBy != nil, let limit = alarm.limit else { return false }
        let tiers = tiers(of: alarm.condition, vital: vital)
        return !tiers.contains { isBreached($0, by: value) } && !tiers.contains { threshold($0) == limit }
    }

    /// The tiers in force for the current phase, or between sessions.
    func currentRules() -> [LimitRule] {
        guard inSession else { return profile.betweenSessions }
        return profile.rules(in: phase) { baseline($0) != nil }
    }
}
