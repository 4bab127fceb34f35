extension AlarmEngine {
    /// Evaluates a valid, plausible value against every condition of its vital.
    mutating func evaluate(_ vital: Vital, value: Double) -> [AlarmEvent] {
        let now = clock.now
        lastValid[vital] = (value, now)
        if phase == .baseline { accumulateBaseline(vital, value) }
        var out: [AlarmEvent] = []
        if vital.isIntermittent { out += bloodPressureTaken(at: now) }

        var conditions: [String] = []
        for rule in profile.rules where rule.vital == vital && !conditions.contains(rule.condition) {
            conditions.append(rule.condition)
        }
        for condition in conditions {
            if vital.isIntermittent {
                out += evaluateMeasurement(condition: condition, vital: vital, value: value)
            } else {
                updateBreaches(condition: condition, vital: vital, value: value)
            }
            out += clearIfResolved(condition: condition, vital: vital, value: value)
        }
        if vital.isIntermittent { out += reconcileRepeatRequest() }
        return out
    }

    /// Indices of the tiers of `condition` that apply in the current phase.
    func tiers(of condition: String, vital: Vital) -> [Int] {
        profile.rules.indices.filter {
            let r = profile.rules[$0]
            return r.condition == condition && r.vital == vital && r.phases.contains(phase)
        }
    }

    func threshold(_ rule: LimitRule) -> Double? { rule.limit.threshold(baseline: baseline(rule.vital)) }

    /// Continuous vitals: a tier's condition delay runs from the first breaching reading and
    /// restarts when a valid reading is back inside the limit. Readings that are not valid
    /// (finger out, artifact) neither extend nor restart it.
    mutating func updateBreaches(condition: String, vital: Vital, value: Double) {
        for i in tiers(of: condition, vital: vital) {
            if profile.rules[i].limit.isBreached(by: value, baseline: baseline(vital)) {
                if breaches[i] == nil { breaches[i] = Breach(since: clock.now) }
            } else {
                breaches[i] = nil
            }
        }
    }

    /// Intermittent vitals (BP): a tier without confirmation alarms on one reading; a tier that
    /// needs confirmation alarms when a repeat within the confirm window breaches too.
    mutating func evaluateMeasurement(condition: String, vital: Vital, value: Double) -> [AlarmEvent] {
        let base = baseline(vital)
        let breached = tiers(of: condition, vital: vital).map { profile.rules[$0] }
            .filter { $0.limit.isBreached(by: value, baseline: base) }
        var out: [AlarmEvent] = []
        if let top = breached.filter({ !$0.confirm }).max(by: { $0.priority < $1.priority }) {
            out += raisePhysiological(top, value: value)
        }
        let confirming = breached.filter(\.confirm)
        if active.contains(where: { $0.key == condition }) || confirming.isEmpty {
            pendingRepeats[condition] = nil
            return out
        }
        let top = confirming.max(by: { $0.priority < $1.priority })!
        let now = clock.now
        if let first = pendingRepeats[condition], !first.expired, first.at < now,
           first.at.duration(to: now) <= profile.confirmWindow {
            pendingRepeats[condition] = nil
            out += raisePhysiological(top, value: value)
        } else if pendingRepeats[condition].map({ $0.at < now }) ?? true {
            pendingRepeats[condition] = PendingRepeat(at: now, vital: vital, value: value, limit: threshold(top))
        }
        return out
    }

    mutating func raisePhysiological(_ rule: LimitRule, value: Double) -> [AlarmEvent] {
        raise(key: rule.condition, kind: .physiological, condition: rule.condition, vital: rule.vital,
              device: nil, priority: rule.priority, value: value, limit: threshold(rule))
    }

    /// Clears (or, if latched, marks resolved) the alarm of `condition` once no tier of the
    /// current phase is breached with the hysteresis applied.
    mutating func clearIfResolved(condition: String, vital: Vital, value: Double) -> [AlarmEvent] {
        guard active.contains(where: { $0.key == condition }) else { return [] }
        let h = profile.hysteresis(for: vital)
        let base = baseline(vital)
        let stillBreached = tiers(of: condition, vital: vital).contains {
            profile.rules[$0].limit.isBreached(by: value, baseline: base, hysteresis: h)
        }
        return stillBreached ? [] : conditionResolved(key: condition, value: value)
    }

    /// One `nibp_repeat` alarm tells the nurse a BP must be repeated; it clears when every
    /// pending first reading is resolved and rises to medium if the window passes without one.
    mutating func reconcileRepeatRequest() -> [AlarmEvent] {
        let key = TechnicalCondition.nibpRepeat
        let pending = pendingRepeats.values.sorted { ($0.at, $0.vital) < ($1.at, $1.vital) }
        guard let first = pending.first else { return clear(key: key) }
        let priority: AlarmPriority = pending.contains(where: \.expired) ? .medium : .low
        if let i = active.firstIndex(where: { $0.key == key }) {
            guard priority > active[i].alarm.priority else { return [] }
            return [escalate(at: i, to: priority, detail: "no repeat blood pressure within the confirm window")]
        }
        return raise(key: key, kind: .technical, condition: key, vital: first.vital, device: nil,
                     priority: priority, value: first.value, limit: first.limit,
                     detail: "repeat the blood pressure to confirm")
    }

    mutating func accumulateBaseline(_ vital: Vital, _ value: Double) {
        var b = baselineSums[vital] ?? (0, 0, value)
        b.sum += value
        b.count += 1
        b.last = value
        baselineSums[vital] = b
    }
}
