/// What a scenario gave the monitors, in seconds from its first second: every reading's value
/// whatever its quality (probe off and searching send none), the phase after each session event,
/// and how long the scenario ran. The engine and the naive monitor are scored on the same one.
public struct ScoreTimeline: Sendable, Hashable {
    /// One reading: its second, vital and value (`nil` when the device sent none).
    public struct Value: Sendable, Hashable {
        public var seconds: Double
        public var vital: Vital
        public var value: Double?

        public init(seconds: Double, vital: Vital, value: Double?) {
            self.seconds = seconds
            self.vital = vital
            self.value = value
        }
    }

    /// From `seconds` on the session is in `phase` (`nil`: no session, between sessions).
    public struct PhaseMark: Sendable, Hashable {
        public var seconds: Double
        public var phase: Phase?

        public init(seconds: Double, phase: Phase?) {
            self.seconds = seconds
            self.phase = phase
        }
    }

    /// In the order the readings came.
    public var values: [Value]
    /// In time order; before the first mark there is no session.
    public var phases: [PhaseMark]
    public var length: Double

    public init(values: [Value], phases: [PhaseMark], length: Double) {
        self.values = values
        self.phases = phases
        self.length = length
    }
}

/// The monitor Vigil is scored against, as a pure function of the timeline: every reading with
/// a value is judged at once against the profile's fixed limits of its phase, and an alarm of a
/// condition (the profile's: `spo2_low`, `systolic_high`, …) sounds from the first reading past
/// any of its tiers until the first reading of its vital past none. No signal quality (a value
/// the device flags as artifact or poor signal is believed), no condition delay, no gap
/// tolerance, no confirm-by-repeat, no hysteresis, no latching, no technical alarms; limits
/// relative to the baseline are taken as a monitor without a baseline takes them (the
/// profile's `without_baseline` fixed limits). Its priority is the highest tier breached.
public enum NaiveMonitor {
    /// The alarms the naive monitor raises on `timeline` with `profile`'s limits, ids `N1`, `N2`, ….
    public static func alarms(on timeline: ScoreTimeline, profile: AlarmProfile) -> [ScoredAlarm] {
        var out: [Naive] = []
        var active: [String: Int] = [:]  // condition → index into out
        var marks = timeline.phases[...]
        var rules = profile.betweenSessions
        for reading in timeline.values {
            while let mark = marks.first, mark.seconds <= reading.seconds {
                rules = mark.phase.map { profile.rules(in: $0, baselineKnown: { _ in false }) } ?? profile.betweenSessions
                marks = marks.dropFirst()
            }
            guard let value = reading.value else { continue }
            let t = reading.seconds
            let tiers = rules.filter { $0.vital == reading.vital }
            func breached(_ condition: String) -> [LimitRule] {
                tiers.filter { $0.condition == condition && $0.limit.isBreached(by: value, baseline: nil) }
            }
            for (condition, i) in active.sorted(by: { $0.value < $1.value })
            where out[i].alarm.vital == reading.vital && breached(condition).isEmpty {
                out[i].clear(at: t)
                active[condition] = nil
            }
            var conditions: [String] = []
            for tier in tiers where !conditions.contains(tier.condition) { conditions.append(tier.condition) }
            for condition in conditions {
                guard let top = breached(condition).map(\.priority).max() else { continue }
                if let i = active[condition] {
                    out[i].sound(top, at: t)
                } else {
                    active[condition] = out.count
                    out.append(Naive(id: "N\(out.count + 1)", condition: condition, vital: reading.vital, at: t))
                    out[out.count - 1].sound(top, at: t)
                }
            }
        }
        return out.map { $0.finished(at: timeline.length) }
    }

    /// One naive alarm while it is worked out.
    struct Naive {
        var alarm: ScoredAlarm
        var priority: AlarmPriority?

        init(id: String, condition: String, vital: Vital, at t: Double) {
            alarm = ScoredAlarm(id: id, kind: .physiological, condition: condition, vital: vital, raisedAt: t,
                                loudAt: nil, clearedAt: nil, soundSeconds: 0)
        }

        mutating func sound(_ p: AlarmPriority, at t: Double) {
            guard priority.map({ p > $0 }) ?? true else { return }
            priority = p
            if p >= .medium, alarm.loudAt == nil { alarm.loudAt = t }
        }

        mutating func clear(at t: Double) {
            alarm.clearedAt = t
            if let loud = alarm.loudAt { alarm.soundSeconds = t - loud }
        }

        func finished(at end: Double) -> ScoredAlarm {
            var done = alarm
            if done.clearedAt == nil, let loud = done.loudAt { done.soundSeconds = max(0, end - loud) }
            return done
        }
    }
}
