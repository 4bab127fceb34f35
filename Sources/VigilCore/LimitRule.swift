/// One tier of one physiological limit: "SpO2 below 90 during onset, peak and recovery, held for
/// 15 s, raises a medium alarm". Rules that share a `condition` are tiers of one alarm: the
/// alarm takes the highest priority among the tiers that fired, and clears only when no tier of
/// the current phase is breached, hysteresis included.
public struct LimitRule: Sendable, Hashable {
    /// The alarm condition this tier belongs to, e.g. `spo2_low`.
    public var condition: String
    public var vital: Vital
    public var phases: Set<Phase>
    public var limit: Limit
    public var priority: AlarmPriority
    /// How long a continuous vital must stay past the limit before the alarm is raised.
    public var delay: Duration
    /// For intermittent vitals: raise only when a repeat reading within the confirm window also
    /// breaches; the nurse is asked for the repeat at once.
    public var confirm: Bool
    /// After this long past the limit the alarm rises to high (SpO2 < 90 for over 60 s).
    public var escalateAfter: Duration?
    /// An integral delay instead of ``delay``, like Nellcor's SatSeconds: the area past the
    /// limit, in the vital's unit × seconds, that a breach must gather before it alarms. 100
    /// %·s alarms after 50 s at 88 % under a limit of 90, after 10 s at 80 %: a deep fall is
    /// raised sooner than a fixed delay would, a shallow wander later.
    public var integral: Double?

    /// What identifies a tier across phases: a breach of the same condition and limit keeps its
    /// start when the phase changes, and the new phase's delay applies from that start.
    public struct Key: Sendable, Hashable {
        public var condition: String
        public var limit: Limit
    }

    public var key: Key { Key(condition: condition, limit: limit) }

    public init(condition: String? = nil, vital: Vital, phases: Set<Phase>, limit: Limit,
                priority: AlarmPriority, delay: Duration = .zero, confirm: Bool = false,
                escalateAfter: Duration? = nil, integral: Double? = nil) {
        self.condition = condition ?? "\(vital.rawValue)_\(limit.direction == .below ? "low" : "high")"
        self.vital = vital
        self.phases = phases
        self.limit = limit
        self.priority = priority
        self.delay = delay
        self.confirm = confirm
        self.escalateAfter = escalateAfter
        self.integral = integral
    }
}

/// Where a limit lies: a fixed value, or one relative to the patient's own baseline.
public enum Limit: Sendable, Hashable {
    case below(Double)
    case atOrBelow(Double)
    case above(Double)
    case atOrAbove(Double)
    /// Below the baseline by more than this percentage.
    case belowBaselinePercent(Double)
    /// Above the baseline by more than this percentage.
    case aboveBaselinePercent(Double)
    /// At least this much above the baseline (the label's ≥ 40 mmHg systolic rise).
    case aboveBaselineBy(Double)

    public enum Direction: Sendable { case below, above }

    public var direction: Direction {
        switch self {
        case .below, .atOrBelow, .belowBaselinePercent: .below
        case .above, .atOrAbove, .aboveBaselinePercent, .aboveBaselineBy: .above
        }
    }

    public var needsBaseline: Bool {
        switch self {
        case .belowBaselinePercent, .aboveBaselinePercent, .aboveBaselineBy: true
        default: false
        }
    }

    /// The limit's value for this patient; `nil` when it depends on a baseline not yet known.
    public func threshold(baseline: Double?) -> Double? {
        switch self {
        case .below(let v), .atOrBelow(let v), .above(let v), .atOrAbove(let v): return v
        case .belowBaselinePercent(let p): return baseline.map { $0 * (1 - p / 100) }
        case .aboveBaselinePercent(let p): return baseline.map { $0 * (1 + p / 100) }
        case .aboveBaselineBy(let d): return baseline.map { $0 + d }
        }
    }

    /// Whether `value` is past the limit, with the threshold moved inwards by `hysteresis`
    /// (pass the hysteresis when deciding whether an active alarm may clear).
    public func isBreached(by value: Double, baseline: Double?, hysteresis: Double = 0) -> Bool {
        guard let t = threshold(baseline: baseline) else { return false }
        switch self {
        case .below, .belowBaselinePercent: return value < t + hysteresis
        case .atOrBelow: return value <= t + hysteresis
        case .above, .aboveBaselinePercent: return value > t - hysteresis
        case .atOrAbove, .aboveBaselineBy: return value >= t - hysteresis
        }
    }
}
