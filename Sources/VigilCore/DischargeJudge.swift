import Foundation

/// Judges discharge readiness at any moment of a recorded session, from its valid readings and
/// its alarms, against `DischargeCriteria`. The summary asks it twice: at the session's end
/// (ready, and why not) and for the first moment every criterion held.
struct DischargeJudge {
    typealias Point = (time: Date, value: Double)

    let criteria: DischargeCriteria
    let lastDose: Date?
    let dischargeStart: Date?
    let timeline: PhaseTimeline
    let end: Date
    /// Baseline values by vital; a vital missing here is judged against the fixed limits.
    let baseline: [Vital: Double]
    /// Valid readings of the judged vitals, oldest first.
    let series: [Vital: [Point]]
    let alarms: [SessionSummary.AlarmRecord]

    static let judged: [Vital] = [.systolic, .diastolic, .pulseRate]

    init(valid: [Reading], alarms: [SessionSummary.AlarmRecord], baseline: [String: Double], lastDose: Date?,
         timeline: PhaseTimeline, end: Date, criteria: DischargeCriteria) {
        self.criteria = criteria
        self.lastDose = lastDose
        self.dischargeStart = lastDose.map { $0.addingTimeInterval(timeline.dischargeStarts.seconds) }
        self.timeline = timeline
        self.end = end
        self.baseline = Dictionary(uniqueKeysWithValues: Self.judged.compactMap { v in baseline[v.rawValue].map { (v, $0) } })
        var series: [Vital: [Point]] = [:]
        for r in valid where Self.judged.contains(r.vital) || r.vital == .spo2 {
            if let value = r.value { series[r.vital, default: []].append((r.time, value)) }
        }
        self.series = series
        self.alarms = alarms
    }

    var readiness: SessionSummary.Readiness {
        let atEnd = reasons(at: end)
        let fixed = Self.judged.filter { baseline[$0] == nil }
        return SessionSummary.Readiness(ready: atEnd.isEmpty, readyAt: firstReady(), reasons: atEnd,
                                        fixedLimits: fixed, basis: Self.basis(fixed),
                                        minutesAfterLastDose: timeline.dischargeStarts.seconds / 60)
    }

    /// "judged against fixed limits: no blood pressure before the dose", naming what was missing.
    static func basis(_ fixed: [Vital]) -> String? {
        guard !fixed.isEmpty else { return nil }
        var missing: [String] = []
        if fixed.contains(.systolic) && fixed.contains(.diastolic) {
            missing.append("blood pressure")
        } else {
            missing += fixed.filter { $0 != .pulseRate }.map(name)
        }
        if fixed.contains(.pulseRate) { missing.append("pulse") }
        return "judged against fixed limits: no \(missing.joined(separator: " or ")) before the dose"
    }

    /// The first moment every criterion held: the criteria change only at the discharge start,
    /// at a reading, when a reading leaves the continuous window, or when an alarm clears.
    func firstReady() -> Date? {
        guard let start = dischargeStart, start <= end else { return nil }
        var candidates: Set<Date> = [start, end]
        for points in series.values {
            for p in points {
                candidates.insert(p.time)
                candidates.insert(p.time.addingTimeInterval(criteria.continuousWindow))
            }
        }
        for a in alarms { if let c = a.clearedAt { candidates.insert(c) } }
        return candidates.filter { $0 >= start && $0 <= end }.sorted().first { reasons(at: $0).isEmpty }
    }

    /// Why the patient is not ready at `t`, in the clinic's words; empty when ready.
    func reasons(at t: Date) -> [String] {
        var out: [String] = []
        guard let lastDose, let start = dischargeStart else { return ["no dose was marked"] + continuousReasons(at: t) + alarmReasons(at: t) }
        if t < start {
            // Whole seconds, as the review prints times; never "only 120 min" a moment before 120.
            let required = Int(timeline.dischargeStarts.seconds / 60)
            let minutes = min(Int(t.timeIntervalSince(lastDose).rounded()) / 60, max(required - 1, 0))
            out.append("only \(minutes) min after the last dose")
        } else {
            // Blood pressure is measured minutes apart: the latest measurement in discharge counts.
            let missing = [Vital.systolic, .diastolic].filter { v in
                guard let p = latest(v, from: start, to: t) else { return true }
                if let why = judge(v, p.value) { out.append(why) }
                return false
            }
            if missing.count == 2 {
                out.append("no blood pressure taken in discharge")
            } else if let v = missing.first {
                out.append("no \(Self.name(v)) reading in discharge")
            }
        }
        return out + continuousReasons(at: t) + alarmReasons(at: t)
    }

    /// Pulse and SpO2: every reading in the window before `t` must hold.
    func continuousReasons(at t: Date) -> [String] {
        var out: [String] = []
        let window = criteria.continuousWindow == 60 ? "the last minute" : "the last \(Int(criteria.continuousWindow)) s"
        let pulse = recent(.pulseRate, at: t)
        if pulse.isEmpty {
            out.append("no pulse reading in \(window)")
        } else {
            let centre = baseline[.pulseRate] ?? criteria.fixedLimits[.pulseRate].map { ($0.low + $0.high) / 2 } ?? 0
            let failing = pulse.filter { judge(.pulseRate, $0.value) != nil }
            if let worst = failing.max(by: { abs($0.value - centre) < abs($1.value - centre) }), let why = judge(.pulseRate, worst.value) {
                out.append(why)
            }
        }
        let spo2 = recent(.spo2, at: t)
        if let lowest = spo2.map(\.value).min() {
            if lowest < criteria.minimumSpO2 {
                out.append("SpO2 \(Self.words(lowest)) % in \(window) is below \(Self.words(criteria.minimumSpO2)) %")
            }
        } else {
            out.append("no SpO2 reading in \(window)")
        }
        return out
    }

    func alarmReasons(at t: Date) -> [String] {
        alarms.filter { active($0, at: t) }.map { "an alarm was still active: \($0.condition) (\($0.priority.rawValue))" }
    }

    /// Raised by `t` and not cleared by then. The engine clears every alarm still active when
    /// the session ends ("session ended"): that says nothing about the patient, so a clear at
    /// or after the end leaves the alarm active at the end.
    func active(_ a: SessionSummary.AlarmRecord, at t: Date) -> Bool {
        guard a.raisedAt <= t else { return false }
        guard let cleared = a.clearedAt, cleared < end else { return true }
        return cleared > t
    }

    /// `nil` when `value` holds: within the fraction of the baseline, or inside the fixed limit.
    func judge(_ vital: Vital, _ value: Double) -> String? {
        let name = Self.name(vital)
        if let base = baseline[vital] {
            // A tolerance for binary fractions: 96 against 80 is exactly 20 %, and holds.
            guard abs(value - base) > criteria.fromBaseline * base + 1e-9 else { return nil }
            return "\(name) \(Self.words(value)) is more than \(Self.words(criteria.fromBaseline * 100)) % "
                + "\(value > base ? "above" : "below") the baseline \(Self.words(base))"
        }
        guard let fixed = criteria.fixedLimits[vital], !fixed.holds(value) else { return nil }
        if value < fixed.low { return "\(name) \(Self.words(value)) is below the fixed limit \(Self.words(fixed.low))" }
        return "\(name) \(Self.words(value)) is \(fixed.highIncluded ? "above" : "at or above") the fixed limit \(Self.words(fixed.high))"
    }

    /// The newest reading of `vital` taken between `start` and `t`.
    func latest(_ vital: Vital, from start: Date, to t: Date) -> Point? {
        let points = series[vital] ?? []
        let i = Self.firstIndex(after: t, in: points) - 1
        return i >= 0 && points[i].time >= start ? points[i] : nil
    }

    /// The readings of `vital` in the window that ends at `t` (the window's start excluded).
    func recent(_ vital: Vital, at t: Date) -> ArraySlice<Point> {
        let points = series[vital] ?? []
        return points[Self.firstIndex(after: t.addingTimeInterval(-criteria.continuousWindow), in: points)..<Self.firstIndex(after: t, in: points)]
    }

    /// The index of the first point later than `t` (binary search; the points are in time order).
    static func firstIndex(after t: Date, in points: [Point]) -> Int {
        var low = 0, high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].time <= t { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static func name(_ vital: Vital) -> String {
        switch vital {
        case .spo2: "SpO2"
        case .pulseRate, .nibpPulse: "pulse"
        default: vital.rawValue
        }
    }

    /// A value as the review prints it: at most one decimal, none when whole.
    static func words(_ v: Double) -> String { JSONLine.number((v * 10).rounded() / 10) }
}
