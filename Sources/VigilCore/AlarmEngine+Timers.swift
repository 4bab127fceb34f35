extension AlarmEngine {
    /// Everything the engine waits for. Each timer disappears once it has fired, which is what
    /// lets ``fireDue()`` run until nothing is due.
    enum Timer: Sendable {
        case breachEnded(LimitRule.Key)
        case alarmResolved(alarm: String)
        case conditionHeld(LimitRule.Key, AlarmPriority)
        case tierEscalation(LimitRule.Key)
        case noData(device: String)
        case sensorOff(device: String)
        case sensorOffEscalation(device: String)
        case checkProbe(device: String)
        case repeatWindowPassed(condition: String)
        case nibpDue(NIBPCheck<C.Instant>)
        case nibpOverdue
        case unacknowledged(alarm: String)
        case sentToClinic(alarm: String)
        case audioPauseEnds(alarm: String)

        /// Which of two timers due at the same instant goes first: a breach or condition that
        /// has just ended before anything that would raise on it, and the higher tier first.
        var rank: Int {
            switch self {
            case .breachEnded: 0
            case .alarmResolved: 1
            case .conditionHeld(_, let p): p == .high ? 2 : p == .medium ? 3 : 4
            case .tierEscalation: 5
            case .noData: 6
            case .sensorOff: 7
            case .sensorOffEscalation: 8
            case .checkProbe: 9
            case .repeatWindowPassed: 10
            case .nibpDue: 11
            case .nibpOverdue: 12
            case .unacknowledged: 13
            case .sentToClinic: 14
            case .audioPauseEnds: 15
            }
        }
    }

    /// Every pending timer, in a stable order (rules, then devices and conditions by name), so
    /// that the same inputs always give the same events.
    func timers() -> [(at: C.Instant, timer: Timer)] {
        var out: [(at: C.Instant, timer: Timer)] = []
        let gap = profile.gapTolerance
        for rule in rulesNow where !rule.vital.isIntermittent {
            guard let breach = breaches[rule.key] else { continue }
            // Before its alarm: no breaching reading for the gap ends it. After: valid readings back inside.
            if let end = breach.fired ? breach.insideSince : breach.lastBreachingAt {
                out.append((end.advanced(by: gap), .breachEnded(rule.key)))
            }
            if !breach.delayPassed {
                // An integral tier is judged at each reading (its area grows only with them).
                if rule.integral == nil {
                    out.append((breach.since.advanced(by: delay(of: rule, breach)), .conditionHeld(rule.key, rule.priority)))
                }
            } else if breach.fired, let after = rule.escalateAfter, !breach.escalationPassed {
                out.append((breach.since.advanced(by: after), .tierEscalation(rule.key)))
            }
        }
        for entry in active {
            if let back = entry.backSince { out.append((back.advanced(by: gap), .alarmResolved(alarm: entry.alarm.id))) }
        }
        if inSession { out += deviceTimers() }
        for condition in pendingRepeats.keys.sorted() {
            guard let pending = pendingRepeats[condition], !pending.expired else { continue }
            // "Within 5 minutes" includes a repeat at exactly 5:00: the window passes just after.
            out.append((pending.at.advanced(by: profile.confirmWindow + .milliseconds(1)), .repeatWindowPassed(condition: condition)))
        }
        out += reminderTimers()
        for entry in active {
            if entry.alarm.priority == .medium, entry.alarm.acknowledgedBy == nil, let since = entry.mediumSince {
                let at = since.advanced(by: profile.escalateUnacknowledgedAfter)
                if escalatesWhenIgnored(entry) {
                    out.append((at, .unacknowledged(alarm: entry.alarm.id)))
                } else if !entry.sentToClinic {
                    out.append((at, .sentToClinic(alarm: entry.alarm.id)))
                }
            }
            if let until = entry.audioPausedUntil {
                out.append((until, .audioPauseEnds(alarm: entry.alarm.id)))
            }
        }
        return out
    }

    private func deviceTimers() -> [(at: C.Instant, timer: Timer)] {
        var out: [(at: C.Instant, timer: Timer)] = []
        let tech = profile.technical
        for name in devices.keys.sorted() {
            let track = devices[name]!
            if track.isContinuous, !track.isDisconnected, !isActive(deviceKey(TechnicalCondition.noData, name)) {
                out.append((track.lastReading.advanced(by: tech.noDataAfter), .noData(device: name)))
            }
            // One probe alarm at a time: once the signal is lost outright, sensor_off says it.
            if let poor = track.poorSince, !isActive(deviceKey(TechnicalCondition.checkProbe, name)),
               !isActive(deviceKey(TechnicalCondition.sensorOff, name)) {
                out.append((poor.advanced(by: tech.checkProbeAfter), .checkProbe(device: name)))
            }
            guard let since = track.invalidSince else { continue }
            let key = deviceKey(TechnicalCondition.sensorOff, name)
            if let entry = active.first(where: { $0.key == key }) {
                if entry.alarm.priority == .low, phase.isPostDoseWatch {
                    out.append((since.advanced(by: tech.sensorOffEscalatesAfter), .sensorOffEscalation(device: name)))
                }
            } else {
                out.append((since.advanced(by: tech.sensorOffAfter), .sensorOff(device: name)))
            }
        }
        return out
    }

    /// A missing BP measurement is a process failure: its reminders go to the clinic but stay
    /// medium instead of turning red.
    func escalatesWhenIgnored(_ entry: Entry) -> Bool { !entry.alarm.condition.hasPrefix("nibp_") }

    static var sentToClinic: String { "sent to the clinic" }

    func isActive(_ key: String) -> Bool { active.contains { $0.key == key } }

    /// Fires every timer that is due, earliest first, until none is.
    mutating func fireDue() -> [AlarmEvent] {
        var out: [AlarmEvent] = []
        let now = clock.now
        while let next = timers().filter({ $0.at <= now }).min(by: { ($0.at, $0.timer.rank) < ($1.at, $1.timer.rank) }) {
            out += fire(next.timer)
        }
        return out
    }

    mutating func fire(_ timer: Timer) -> [AlarmEvent] {
        switch timer {
        case .breachEnded(let key):
            breaches[key] = nil
            return []
        case .alarmResolved(let id):
            let i = active.firstIndex { $0.alarm.id == id }!
            active[i].backSince = nil
            guard let vital = active[i].alarm.vital, let last = lastValid[vital], isFresh(last.at),
                  isResolved(active[i].alarm.condition, vital: vital, value: last.value) else { return [] }
            return conditionResolved(key: active[i].key, value: last.value)
        case .conditionHeld(let key, _):
            breaches[key]?.delayPassed = true
            guard let rule = rulesNow.first(where: { $0.key == key }) else { return [] }
            guard let last = lastValid[rule.vital], isFresh(last.at) else {
                breaches[key] = nil  // the value is no longer known; a fresh breach starts over
                return []
            }
            return isBreached(rule, by: last.value) ? fireTier(rule) : []
        case .tierEscalation(let key):
            breaches[key]?.escalationPassed = true
            guard let rule = rulesNow.first(where: { $0.key == key }), let last = lastValid[rule.vital],
                  isFresh(last.at), isBreached(rule, by: last.value) else { return [] }
            return escalateTier(rule)
        case .noData(let device):
            return raise(key: deviceKey(TechnicalCondition.noData, device), kind: .technical,
                         condition: TechnicalCondition.noData, vital: nil, device: device, priority: .medium,
                         value: nil, limit: nil, detail: "no data for \(Int(profile.technical.noDataAfter.seconds)) s")
        case .sensorOff(let device):
            return clear(key: deviceKey(TechnicalCondition.checkProbe, device)) + raise(key: deviceKey(TechnicalCondition.sensorOff, device), kind: .technical,
                         condition: TechnicalCondition.sensorOff, vital: .spo2, device: device, priority: .low,
                         value: nil, limit: nil, detail: devices[device]?.invalidBecause)
        case .sensorOffEscalation(let device):
            let index = active.firstIndex { $0.key == deviceKey(TechnicalCondition.sensorOff, device) }!
            return [escalate(at: index, to: .medium, detail: "no valid SpO2 signal after the dose")]
        case .checkProbe(let device):
            let seconds = Int(profile.technical.checkProbeAfter.seconds)
            return raise(key: deviceKey(TechnicalCondition.checkProbe, device), kind: .technical,
                         condition: TechnicalCondition.checkProbe, vital: .spo2, device: device, priority: .low,
                         value: lastValid[.spo2]?.value, limit: nil,
                         detail: "a poor signal for \(seconds) s (low perfusion or motion): check the probe")
        case .repeatWindowPassed(let condition):
            pendingRepeats[condition]?.expired = true
            return reconcileRepeatRequest()
        case .nibpDue(let check):
            return remind(check)
        case .nibpOverdue:
            let index = active.firstIndex { $0.key == TechnicalCondition.nibpDue }!
            return [escalate(at: index, to: .medium, condition: TechnicalCondition.nibpOverdue,
                             detail: remindedCheck?.reason)]
        case .unacknowledged(let id):
            let index = active.firstIndex { $0.alarm.id == id }!
            return [escalate(at: index, to: .high, detail: "unacknowledged")]
        case .sentToClinic(let id):
            let index = active.firstIndex { $0.alarm.id == id }!
            active[index].sentToClinic = true
            active[index].alarm.escalatedAt = clock.wallNow
            let after = Int(profile.escalateUnacknowledgedAfter.seconds / 60)
            return [emit(active[index], .escalated, detail: "unacknowledged for \(after) min: \(Self.sentToClinic)")]
        case .audioPauseEnds(let id):
            let index = active.firstIndex { $0.alarm.id == id }!
            active[index].audioPausedUntil = nil
            active[index].alarm.isAudioPaused = false
            return active[index].alarm.acknowledgedBy == nil ? [emit(active[index], .audioResumed)] : []
        }
    }
}
