/// One BP check of the schedule: due at its time, overdue half an interval later (with the
/// default factor 1.5), each reminded on its own.
struct NIBPCheck<Instant: InstantProtocol>: Sendable, Equatable where Instant.Duration == Duration {
    var due: Instant
    var overdue: Instant
    var reason: String
    /// The earliest reading that counts for it: a checkpoint's reading may come a little before
    /// it (+40 min), except the one as discharge begins, which must be taken in discharge.
    var countsFrom: Instant
}

extension AlarmEngine {
    // MARK: Blood-pressure schedule

    mutating func bloodPressureTaken(at now: C.Instant) -> [AlarmEvent] {
        lastValidBP = now
        measuringSince = nil
        remindedCheck = nil
        return clear(key: TechnicalCondition.nibpDue) + clear(key: TechnicalCondition.nibpFailed)
            + clear(key: TechnicalCondition.nibpBeforeDoseMissing)
    }

    /// The checks from the last valid reading (or the last dose) on, in order, through the
    /// first one after `limit`. Each falls due one interval after the one before, the interval
    /// of the phase it falls in; a checkpoint (+40 min, the start of discharge) not yet met by
    /// a reading takes the place of the regular check it comes before.
    func nibpChecks(through limit: C.Instant) -> [NIBPCheck<C.Instant>] {
        guard inSession, let doseAt else { return [] }
        let plan = profile.nibp
        let timeline = profile.timeline
        func phase(_ t: C.Instant) -> Phase { timeline.phase(sinceDose: doseAt.duration(to: t)) }
        func interval(_ t: C.Instant) -> Duration? { plan.intervals[phase(t)] }
        /// Half an interval (with the default factor): the shorter of the intervals on either side
        /// of `t`, so that a BP 14 min before discharge does not count as the one at its start.
        func grace(_ t: C.Instant) -> Duration {
            let around = [interval(t), interval(t.advanced(by: .milliseconds(-1)))].compactMap { $0 }
            return (around.min() ?? .seconds(600)) * (plan.overdueFactor - 1)
        }

        let discharge = doseAt.advanced(by: timeline.dischargeStarts)
        func countsFrom(_ at: C.Instant) -> C.Instant {
            plan.atDischarge && at == discharge ? at : at.advanced(by: .zero - grace(at))
        }
        var points = plan.checkpoints
        if plan.atDischarge { points.append(timeline.dischargeStarts) }
        var pending = points.sorted().map { doseAt.advanced(by: $0) }.filter { at in
            lastValidBP.map { $0 < countsFrom(at) } ?? true
        }
        var t = max(doseAt, lastValidBP ?? doseAt)
        var out: [NIBPCheck<C.Instant>] = []
        while out.count < 10_000 {
            pending.removeAll { $0 <= t }
            var regular = interval(t).map { t.advanced(by: $0) }
            if let next = regular, phase(next) != phase(t) { regular = interval(next).map { t.advanced(by: $0) } }
            if let checkpoint = pending.first, regular.map({ checkpoint <= $0 }) ?? true {
                let minutes = Int(doseAt.duration(to: checkpoint).seconds / 60)
                out.append(NIBPCheck(due: checkpoint, overdue: checkpoint.advanced(by: grace(checkpoint)),
                                     reason: checkpoint == discharge ? "the check as discharge begins" : "the +\(minutes) min check",
                                     countsFrom: countsFrom(checkpoint)))
                t = checkpoint
            } else if let next = regular {
                let every = Int((interval(next) ?? .zero).seconds / 60)
                out.append(NIBPCheck(due: next, overdue: next.advanced(by: grace(next)),
                                     reason: "every \(every) min in \(phase(next).rawValue)", countsFrom: t))
                t = next
            } else {
                break
            }
            if t > limit { break }
        }
        return out
    }

    /// The reminder of the check that is due now, and of the next one.
    func reminderTimers() -> [(at: C.Instant, timer: Timer)] {
        guard inSession, doseAt != nil else { return [] }
        let now = clock.now
        let checks = nibpChecks(through: now)
        let measuring = measuringSince.map { $0.advanced(by: Self.measurementGrace) }
        var out: [(at: C.Instant, timer: Timer)] = []
        let current = checks.last { $0.due <= now }
        let target = current.flatMap { $0 == remindedCheck ? nil : $0 } ?? checks.first { $0.due > now }
        if let target {
            let remind = target.due.advanced(by: profile.nibp.remindAfter)
            out.append((max(remind, measuring ?? remind), .nibpDue(target)))
        }
        if let check = remindedCheck, let entry = active.first(where: { $0.key == TechnicalCondition.nibpDue }),
           entry.alarm.priority == .low {
            out.append((check.overdue, .nibpOverdue))
        }
        return out
    }

    /// A check falls due: its own reminder, sounding even if the last one was acknowledged. A
    /// reminder still open for an earlier check gives way to it, and an overdue one stays overdue.
    mutating func remind(_ check: NIBPCheck<C.Instant>) -> [AlarmEvent] {
        remindedCheck = check
        let key = TechnicalCondition.nibpDue
        var overdue = false
        var out: [AlarmEvent] = []
        if let previous = active.first(where: { $0.key == key }) {
            overdue = previous.alarm.condition == TechnicalCondition.nibpOverdue
            out += clear(key: key, detail: "the next check is due")
        }
        return out + raise(key: key, kind: .technical,
                           condition: overdue ? TechnicalCondition.nibpOverdue : TechnicalCondition.nibpDue,
                           vital: .systolic, device: nil, priority: overdue ? .medium : .low, value: nil, limit: nil,
                           detail: check.reason)
    }

    /// When an automatic BP measurement should start so that its result lands before it is
    /// due: at once before the dose if there is no baseline BP, `repeatAfter` after a first
    /// reading that needs confirming, and `lead` before each scheduled check.
    public func nextBloodPressureMeasurement(lead: Duration, repeatAfter: Duration = .seconds(60)) -> C.Instant? {
        guard inSession else { return nil }
        var candidates: [C.Instant] = []
        if doseAt == nil, lastValidBP == nil, let start = sessionStartedAt { candidates.append(start) }
        if let first = pendingRepeats.values.filter({ !$0.expired }).map(\.at).min() {
            candidates.append(first.advanced(by: repeatAfter))
        }
        if let check = nibpChecks(through: clock.now).first {
            candidates.append(max(check.due.advanced(by: .zero - lead), check.countsFrom))
        }
        return candidates.min()
    }
}

extension AlarmEngine {
    /// The BP check the schedule waits for next (it may already be due), and why it is taken;
    /// `nil` outside a session or before the dose.
    public var nextBloodPressureCheck: (due: C.Instant, reason: String)? {
        nibpChecks(through: clock.now).first.map { ($0.due, $0.reason) }
    }
}
