/// Everything a clinic's medical director sets about alarms: the phase timeline, the limits per
/// phase and vital, the technical alarm timings, the BP schedule and the alarm lifecycle.
/// `AlarmProfile.clinicDefault` equals the table in `shared/clinical.md`; a `vigil.yaml` changes
/// any part of it.
public struct AlarmProfile: Sendable, Hashable {
    public var timeline: PhaseTimeline
    /// The limits of each phase (`limits:` in YAML; a clinic's list replaces the default whole).
    public var rules: [LimitRule]
    /// Crisis tiers (`crisis:`), kept apart from `rules` so that a clinic's own `limits:` never
    /// drops them: a patient is never "only not ready to leave" at 220/125 or at SpO2 80 %.
    /// They hold in every phase they name (all by default) and, between sessions, those that
    /// hold in `baseline` watch whoever still has a finger in the probe.
    public var crisis: [LimitRule]
    /// How far back past a limit a value must come before its alarm clears, per vital.
    public var hysteresis: [Vital: Double]
    /// A repeat BP reading confirms a breach only within this window of the first.
    public var confirmWindow: Duration
    public var technical: TechnicalLimits
    public var nibp: NIBPPlan
    /// Audio paused lasts this long, then the alarm sounds again (IEC 60601-1-8: at most 2 min).
    public var audioPause: Duration
    /// A medium alarm unacknowledged this long rises to high and goes to the clinic.
    public var escalateUnacknowledgedAfter: Duration
    /// A continuous vital's return inside its limit shorter than this neither stops nor
    /// restarts the condition delay (real SpO2 hovers ±1 around a limit); an alarm clears once
    /// the value has been back past the limit by the hysteresis this long.
    public var gapTolerance: Duration
    /// Where the limits relative to the baseline have no baseline (no BP or pulse before the
    /// dose), that vital takes this phase's fixed limits instead (`nil`: no such limit at all).
    public var withoutBaseline: Phase?

    public init(timeline: PhaseTimeline, rules: [LimitRule], hysteresis: [Vital: Double],
                confirmWindow: Duration, technical: TechnicalLimits, nibp: NIBPPlan,
                audioPause: Duration, escalateUnacknowledgedAfter: Duration, crisis: [LimitRule] = [],
                gapTolerance: Duration = .seconds(10), withoutBaseline: Phase? = .recovery) {
        self.timeline = timeline
        self.rules = rules
        self.crisis = crisis
        self.gapTolerance = gapTolerance
        self.withoutBaseline = withoutBaseline
        self.hysteresis = hysteresis
        self.confirmWindow = confirmWindow
        self.technical = technical
        self.nibp = nibp
        self.audioPause = audioPause
        self.escalateUnacknowledgedAfter = escalateUnacknowledgedAfter
    }

    /// Every tier that applies in `phase`: the phase's limits and the crisis tiers, one tier per
    /// condition and limit (the higher priority, then the shorter delay, where both name one).
    /// A vital whose relative limits lack a baseline takes the fixed limits of ``withoutBaseline``.
    public func rules(in phase: Phase, baselineKnown: (Vital) -> Bool) -> [LimitRule] {
        var chosen = rules.filter { $0.phases.contains(phase) }
        let orphaned = Set(chosen.filter { $0.limit.needsBaseline && !baselineKnown($0.vital) }.map(\.vital))
        if !orphaned.isEmpty {
            chosen.removeAll { $0.limit.needsBaseline && orphaned.contains($0.vital) }
            if let fallback = withoutBaseline, fallback != phase {
                chosen += rules.filter { $0.phases.contains(fallback) && orphaned.contains($0.vital) && !$0.limit.needsBaseline }
            }
        }
        chosen += crisis.filter { $0.phases.contains(phase) }
        var byKey: [LimitRule.Key: LimitRule] = [:]
        var order: [LimitRule.Key] = []
        for rule in chosen {
            guard let kept = byKey[rule.key] else { byKey[rule.key] = rule; order.append(rule.key); continue }
            if (rule.priority, -rule.delay.seconds) > (kept.priority, -kept.delay.seconds) { byKey[rule.key] = rule }
        }
        return order.map { byKey[$0]! }
    }

    /// The crisis tiers that still watch the probe between sessions.
    public var betweenSessions: [LimitRule] { crisis.filter { $0.phases.contains(.baseline) } }

    public func hysteresis(for vital: Vital) -> Double { hysteresis[vital] ?? 0 }
}

/// Timings of the technical alarms (judgement values from `shared/clinical.md`).
public struct TechnicalLimits: Sendable, Hashable {
    /// A continuous device (the oximeter) silent this long raises `no_data`.
    public var noDataAfter: Duration
    /// Probe off, finger out or no valid SpO2 for this long raises `sensor_off` (low).
    public var sensorOffAfter: Duration
    /// `sensor_off` rises to medium after this long in onset, peak and recovery.
    public var sensorOffEscalatesAfter: Duration
    /// How much longer a limit crossed only by readings with a poor signal waits before it
    /// alarms. Motion drops SpO2 for seconds with the device saying so; a genuine desaturation
    /// with a good signal is never delayed by this, and one that persists alarms after it anyway.
    public var poorSignalDelay: Duration
    /// A poor signal with no good one for this long raises `check_probe` (low): the nurse is
    /// asked to look at the probe before any desaturation would sound.
    public var checkProbeAfter: Duration

    public init(noDataAfter: Duration = .seconds(10), sensorOffAfter: Duration = .seconds(10),
                sensorOffEscalatesAfter: Duration = .seconds(60), poorSignalDelay: Duration = .seconds(30),
                checkProbeAfter: Duration = .seconds(25)) {
        self.noDataAfter = noDataAfter
        self.sensorOffAfter = sensorOffAfter
        self.sensorOffEscalatesAfter = sensorOffEscalatesAfter
        self.poorSignalDelay = poorSignalDelay
        self.checkProbeAfter = checkProbeAfter
    }
}

/// When blood pressure must be measured: before the dose, at an interval per phase, at fixed
/// checkpoints after the last dose (+40 min), and as discharge begins. A check is due at its time and
/// overdue when `overdueFactor` × the interval passes without a valid reading.
public struct NIBPPlan: Sendable, Hashable {
    public var intervals: [Phase: Duration]
    /// Times after the dose at which a reading is wanted whatever the interval says.
    public var checkpoints: [Duration]
    /// One reading is wanted as discharge begins, before the patient may leave.
    public var atDischarge: Bool
    public var overdueFactor: Double
    /// A check is reminded this long after it falls due, so that a cuff still measuring, or a
    /// monitor that cycles on its own interval, is not chased by a reminder every time.
    public var remindAfter: Duration

    public init(intervals: [Phase: Duration] = [.onset: .seconds(300), .peak: .seconds(600),
                                                 .recovery: .seconds(900), .discharge: .seconds(1800)],
                checkpoints: [Duration] = [.seconds(40 * 60)], atDischarge: Bool = true, overdueFactor: Double = 1.5,
                remindAfter: Duration = .seconds(60)) {
        self.remindAfter = remindAfter
        self.intervals = intervals
        self.checkpoints = checkpoints
        self.atDischarge = atDischarge
        self.overdueFactor = overdueFactor
    }
}
