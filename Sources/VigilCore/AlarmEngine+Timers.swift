extension AlarmEngine {
    /// Everything the engine waits for. Each timer disappears once it has fired, which is what
    /// lets ``fireDue()`` run until nothing is due.
    enum Timer: Sendable, Comparable {
        case conditionHeld(rule: Int)
        case tierEscalation(rule: Int)
        case noData(device: String)
        case sensorOff(device: String)
        case sensorOffEscalation(device: String)
        case repeatWindowPassed(condition: String)
        case nibpDue
        case nibpOverdue
        case unacknowledged(alarm: String)
        case audioPauseEnds(alarm: String)
    }

    func timers() -> [(at: C.Instant, timer: Timer)] {
        var out: [(at: C.Instant, timer: Timer)] = []
        for (i, breach) in breaches {
            let rule = profile.rules[i]
            if !breach.fired {
                out.append((breach.since.advanced(by: rule.delay), .conditionHeld(rule: i)))
            } else if let after = rule.escalateAfter, !breach.escalated {
                out.append((breach.since.advanced(by: after), .tierEscalation(rule: i)))
            }
        }
        let tech = profile.technical
        for (name, track) in devices {
            if track.isContinuous, !track.isDisconnected, !isActive(deviceKey(TechnicalCondition.noData, name)) {
                out.append((track.lastReading.advanced(by: tech.noDataAfter), .noData(device: name)))
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
        for (condition, pending) in pendingRepeats where !pending.expired {
            out.append((pending.at.advanced(by: profile.confirmWindow), .repeatWindowPassed(condition: condition)))
        }
        if let schedule = nibpSchedule() {
            if let due = active.first(where: { $0.key == TechnicalCondition.nibpDue }) {
                if due.alarm.priority == .low { out.append((schedule.overdue, .nibpOverdue)) }
            } else {
                let measuring = measuringSince.map { $0.advanced(by: Self.measurementGrace) }
                out.append((max(schedule.due, measuring ?? schedule.due), .nibpDue))
            }
        }
        for entry in active {
            if entry.alarm.priority == .medium, entry.alarm.acknowledgedBy == nil, escalatesWhenIgnored(entry),
               let since = entry.mediumSince {
                out.append((since.advanced(by: profile.escalateUnacknowledgedAfter), .unacknowledged(alarm: entry.alarm.id)))
            }
            if let until = entry.audioPausedUntil {
                out.append((until, .audioPauseEnds(alarm: entry.alarm.id)))
            }
        }
        return out
    }

    /// Reminders about the BP schedule are for the nurse in the room, not the clinic.
    func escalatesWhenIgnored(_ entry: Entry) -> Bool { !entry.alarm.condition.hasPrefix("nibp_") }

    func isActive(_ key: String) -> Bool { active.contains { $0.key == key } }

    /// Fires every timer that is due, earliest first, until none is.
    mutating func fireDue() -> [AlarmEvent] {
        var out: [AlarmEvent] = []
        let now = clock.now
        while let next = timers().filter({ $0.at <= now }).min(by: { ($0.at, $0.timer) < ($1.at, $1.timer) }) {
            out += fire(next.timer)
        }
        return out
    }

    mutating func fire(_ timer: Timer) -> [AlarmEvent] {
        switch timer {
        case .conditionHeld(let i):
            let rule = profile.rules[i]
            guard let last = lastValid[rule.vital],
                  last.at.advanced(by: profile.technical.noDataAfter) >= clock.now else {
                breaches[i] = nil  // the value is no longer known; a fresh breach starts over
                return []
            }
            breaches[i]?.fired = true
            return raisePhysiological(rule, value: last.value)
        case .tierEscalation(let i):
            breaches[i]?.escalated = true
            guard let index = active.firstIndex(where: { $0.key == profile.rules[i].condition }),
                  active[index].alarm.priority < .high else { return [] }
            let held = Int(profile.rules[i].escalateAfter?.seconds ?? 0)
            return [escalate(at: index, to: .high, detail: "past the limit for over \(held) s")]
        case .noData(let device):
            return raise(key: deviceKey(TechnicalCondition.noData, device), kind: .technical,
                         condition: TechnicalCondition.noData, vital: nil, device: device, priority: .medium,
                         value: nil, limit: nil, detail: "no data for \(Int(profile.technical.noDataAfter.seconds)) s")
        case .sensorOff(let device):
            return raise(key: deviceKey(TechnicalCondition.sensorOff, device), kind: .technical,
                         condition: TechnicalCondition.sensorOff, vital: .spo2, device: device, priority: .low,
                         value: nil, limit: nil, detail: devices[device]?.lastQuality.rawValue)
        case .sensorOffEscalation(let device):
            let index = active.firstIndex { $0.key == deviceKey(TechnicalCondition.sensorOff, device) }!
            return [escalate(at: index, to: .medium, detail: "no valid SpO2 signal after the dose")]
        case .repeatWindowPassed(let condition):
            pendingRepeats[condition]?.expired = true
            return reconcileRepeatRequest()
        case .nibpDue:
            let reason = nibpSchedule()?.reason
            return raise(key: TechnicalCondition.nibpDue, kind: .technical, condition: TechnicalCondition.nibpDue,
                         vital: .systolic, device: nil, priority: .low, value: nil, limit: nil, detail: reason)
        case .nibpOverdue:
            let index = active.firstIndex { $0.key == TechnicalCondition.nibpDue }!
            return [escalate(at: index, to: .medium, condition: TechnicalCondition.nibpOverdue,
                             detail: nibpSchedule()?.reason)]
        case .unacknowledged(let id):
            let index = active.firstIndex { $0.alarm.id == id }!
            return [escalate(at: index, to: .high, detail: "unacknowledged")]
        case .audioPauseEnds(let id):
            let index = active.firstIndex { $0.alarm.id == id }!
            active[index].audioPausedUntil = nil
            active[index].alarm.isAudioPaused = false
            return active[index].alarm.acknowledgedBy == nil ? [emit(active[index], .audioResumed)] : []
        }
    }
}
