extension AlarmEngine {
    /// Evaluates a valid, plausible value against every tier of its vital in force now;
    /// `goodSignal` is false for a value the device gives with a poor signal.
    mutating func evaluate(_ vital: Vital, value: Double, goodSignal: Bool = true) -> [AlarmEvent] {
        let now = clock.now
        lastValid[vital] = (value, now)
        // The patient's own baseline is what the probe saw clearly: a motion dip is not part of it.
        if inSession, phase == .baseline, goodSignal { accumulateBaseline(vital, value) }
        var out: [AlarmEvent] = []
        if vital.isIntermittent {
            if inSession { out += bloodPressureTaken(at: now) }
            var conditions: [String] = []
            for rule in rulesNow where rule.vital == vital && !conditions.contains(rule.condition) {
                conditions.append(rule.condition)
            }
            for condition in conditions { out += evaluateMeasurement(condition: condition, vital: vital, value: value) }
        } else {
            out += updateBreaches(vital, value: value, goodSignal: goodSignal)
        }
        out += followActiveAlarms(of: vital, value: value, goodSignal: goodSignal)
        if vital.isIntermittent { out += reconcileRepeatRequest() }
        return out
    }

    /// Whether `condition` alarms below its limits (SpO2 low) rather than above (systolic high).
    func isBelow(_ condition: String) -> Bool {
        (profile.rules + profile.crisis).first { $0.condition == condition }?.limit.direction == .below
    }

    func tiers(of condition: String, vital: Vital) -> [LimitRule] {
        rulesNow.filter { $0.condition == condition && $0.vital == vital }
    }

    func threshold(_ rule: LimitRule) -> Double? { rule.limit.threshold(baseline: baseline(rule.vital)) }

    func isBreached(_ rule: LimitRule, by value: Double, hysteresis: Double = 0) -> Bool {
        rule.limit.isBreached(by: value, baseline: baseline(rule.vital), hysteresis: hysteresis)
    }

    /// Continuous vitals: each breaching reading starts or extends its tier's breach; the breach
    /// ends by itself (a timer) once no breaching reading has come for the gap tolerance, so a
    /// blip back inside the limit neither stops nor restarts the delay. Readings that are not
    /// valid (finger out, artifact) never reach here; one with a poor signal extends a breach
    /// but leaves it waiting ``delay(of:_:)``'s longer delay until a good one confirms it.
    mutating func updateBreaches(_ vital: Vital, value: Double, goodSignal: Bool = true) -> [AlarmEvent] {
        let now = clock.now
        var out: [AlarmEvent] = []
        for rule in rulesNow where rule.vital == vital {
            guard isBreached(rule, by: value) else {
                if goodSignal, breaches[rule.key]?.insideSince == nil { breaches[rule.key]?.insideSince = now }
                continue
            }
            var breach = breaches[rule.key] ?? Breach(since: now, lastBreachingAt: now)
            if rule.integral != nil, let limit = threshold(rule) {
                // Each reading stands for the time since the last breaching one, at most a second.
                let seconds = min(breach.lastBreachingAt.duration(to: now).seconds, 1)
                breach.area += abs(limit - value) * seconds
            }
            breach.lastBreachingAt = now
            breach.insideSince = nil
            if goodSignal { breach.goodSignal = true }
            if let integral = rule.integral, !breach.delayPassed, breach.area >= integral,
               breach.goodSignal || breach.since.advanced(by: profile.technical.poorSignalDelay) <= now {
                breach.delayPassed = true
            }
            breaches[rule.key] = breach
            if breach.delayPassed, !breach.fired { out += fireTier(rule) }
            if breach.escalationPassed, !breach.escalated { out += escalateTier(rule) }
        }
        return out
    }

    /// How long a breach of `rule` must last before it alarms (for a tier with a fixed delay): the tier's delay, and
    /// `technical.poor_signal_delay` more while only readings with a poor signal have crossed it.
    func delay(of rule: LimitRule, _ breach: Breach) -> Duration {
        breach.goodSignal ? rule.delay : rule.delay + profile.technical.poorSignalDelay
    }

    /// Limits crossed for longer than their own delay by readings with a poor signal only: what
    /// the nurse's view shows as questionable while the engine waits for a good signal.
    public var questionable: [LimitRule] {
        let now = clock.now
        return rulesNow.filter { rule in
            guard let breach = breaches[rule.key], !breach.goodSignal, !breach.fired else { return false }
            return rule.integral.map { breach.area >= $0 } ?? (breach.since.advanced(by: rule.delay) <= now)
        }
    }

    /// The tier's delay has passed and its value breaches now: the alarm is raised at its priority.
    mutating func fireTier(_ rule: LimitRule) -> [AlarmEvent] {
        guard let last = lastValid[rule.vital] else { return [] }
        breaches[rule.key]?.fired = true
        return raisePhysiological(rule, value: last.value)
    }

    /// "< 90 for more than 60 s": the alarm rises to high once the breach has lasted that long.
    mutating func escalateTier(_ rule: LimitRule) -> [AlarmEvent] {
        breaches[rule.key]?.escalated = true
        guard let i = active.firstIndex(where: { $0.key == rule.condition }), active[i].alarm.priority < .high else { return [] }
        let held = Int(rule.escalateAfter?.seconds ?? 0)
        return [escalate(at: i, to: .high, detail: "past the limit for over \(held) s")]
    }

    /// Intermittent vitals (BP): a tier without confirmation alarms on one reading; a tier that
    /// needs confirmation alarms when a repeat within the confirm window (its end included)
    /// breaches too.
    mutating func evaluateMeasurement(condition: String, vital: Vital, value: Double) -> [AlarmEvent] {
        let breached = tiers(of: condition, vital: vital).filter { isBreached($0, by: value) }
        var out: [AlarmEvent] = []
        if let top = breached.filter({ !$0.confirm }).max(by: { $0.priority < $1.priority }) {
            out += raisePhysiological(top, value: value)
        }
        // A confirming tier waits for its repeat unless the alarm already sounds at its priority.
        let sounding = active.first { $0.key == condition }?.alarm.priority
        guard let top = breached.filter(\.confirm).max(by: { $0.priority < $1.priority }),
              sounding.map({ $0 < top.priority }) ?? true else {
            pendingRepeats[condition] = nil
            return out
        }
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

    /// Whether no tier of `condition` in force now is breached, hysteresis included.
    func isResolved(_ condition: String, vital: Vital, value: Double) -> Bool {
        let h = profile.hysteresis(for: vital)
        return !tiers(of: condition, vital: vital).contains { isBreached($0, by: value, hysteresis: h) }
    }

    /// Active alarms of `vital` show its current value and the worst since they were raised. A BP
    /// alarm's condition ends with a reading back past the limit by the hysteresis; a continuous
    /// vital's once such readings have lasted the gap tolerance (a timer). A reading with a poor
    /// signal never proves the condition over: it interrupts a run back inside, as a lost one does.
    mutating func followActiveAlarms(of vital: Vital, value: Double, goodSignal: Bool = true) -> [AlarmEvent] {
        var resolved: [String] = []
        for i in active.indices where active[i].alarm.kind == .physiological && active[i].alarm.vital == vital {
            active[i].alarm.value = value
            active[i].alarm.noteWorst(value, below: isBelow(active[i].alarm.condition))
            if isResolved(active[i].alarm.condition, vital: vital, value: value) {
                if !goodSignal {
                    active[i].backSince = nil
                } else if vital.isIntermittent {
                    resolved.append(active[i].key)
                } else if active[i].backSince == nil, active[i].alarm.isConditionPresent {
                    active[i].backSince = clock.now
                }
            } else {
                active[i].backSince = nil
                active[i].alarm.isConditionPresent = true  // an acknowledgement must not clear it now
            }
        }
        return resolved.flatMap { conditionResolved(key: $0, value: value) }
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
