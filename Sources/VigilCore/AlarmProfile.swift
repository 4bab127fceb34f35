/// Everything a clinic's medical director sets about alarms: the phase timeline, the limits per
/// phase and vital, the technical alarm timings, the BP schedule and the alarm lifecycle.
/// `AlarmProfile.clinicDefault` equals the table in `shared/clinical.md`; a `vigil.yaml` changes
/// any part of it.
public struct AlarmProfile: Sendable, Hashable {
    public var timeline: PhaseTimeline
    public var rules: [LimitRule]
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

    public init(timeline: PhaseTimeline, rules: [LimitRule], hysteresis: [Vital: Double],
                confirmWindow: Duration, technical: TechnicalLimits, nibp: NIBPPlan,
                audioPause: Duration, escalateUnacknowledgedAfter: Duration) {
        self.timeline = timeline
        self.rules = rules
        self.hysteresis = hysteresis
        self.confirmWindow = confirmWindow
        self.technical = technical
        self.nibp = nibp
        self.audioPause = audioPause
        self.escalateUnacknowledgedAfter = escalateUnacknowledgedAfter
    }

    /// The tiers that apply to `vital` in `phase`.
    public func rules(for vital: Vital, in phase: Phase) -> [LimitRule] {
        rules.filter { $0.vital == vital && $0.phases.contains(phase) }
    }

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

    public init(noDataAfter: Duration = .seconds(10), sensorOffAfter: Duration = .seconds(10),
                sensorOffEscalatesAfter: Duration = .seconds(60)) {
        self.noDataAfter = noDataAfter
        self.sensorOffAfter = sensorOffAfter
        self.sensorOffEscalatesAfter = sensorOffEscalatesAfter
    }
}

/// When blood pressure must be measured: before the dose, at an interval per phase, at fixed
/// checkpoints after the dose (+40 min), and before discharge. A check is due at its time and
/// overdue when `overdueFactor` × the interval passes without a valid reading.
public struct NIBPPlan: Sendable, Hashable {
    public var intervals: [Phase: Duration]
    /// Times after the dose at which a reading is wanted whatever the interval says.
    public var checkpoints: [Duration]
    public var overdueFactor: Double

    public init(intervals: [Phase: Duration] = [.onset: .seconds(300), .peak: .seconds(600),
                                                 .recovery: .seconds(900), .discharge: .seconds(900)],
                checkpoints: [Duration] = [.seconds(40 * 60)], overdueFactor: Double = 1.5) {
        self.intervals = intervals
        self.checkpoints = checkpoints
        self.overdueFactor = overdueFactor
    }
}
