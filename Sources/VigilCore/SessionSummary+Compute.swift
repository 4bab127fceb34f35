import Foundation

extension SessionSummary {
    /// Builds the summary from what was recorded. Readings carry wall-clock time; phases come
    /// from the dose time and the profile's timeline; `events` are the session's events, whose
    /// boosters move discharge readiness to the timeline's discharge start after the last dose.
    public static func compute(readings: [Reading], alarms: [AlarmEvent], events: [SessionEvent], startedAt: Date,
                               doseAt: Date?, endedAt: Date, timeline: PhaseTimeline, noDataAfter: Double = 10,
                               criteria: DischargeCriteria = .clinicDefault) -> SessionSummary {
        let valid = readings.filter(isValueReading).sorted { $0.time < $1.time }
        func phase(_ t: Date) -> Phase {
            timeline.phase(sinceDose: doseAt.flatMap { t >= $0 ? .milliseconds(Int64(t.timeIntervalSince($0) * 1000)) : nil })
        }
        func since(_ t: Date) -> Double? { doseAt.map { t.timeIntervalSince($0) } }

        var byPhase: [String: [String: [Double]]] = [:]
        for r in valid { byPhase[phase(r.time).rawValue, default: [:]][r.vital.rawValue, default: []].append(r.value!) }
        let phases = byPhase.mapValues { vitals in vitals.mapValues(stats) }

        let pressures = bloodPressures(valid, since: since)
        let preDose = pressures.filter { doseAt == nil || $0.time < doseAt! }
        let pulseBefore = valid.filter { $0.vital == .pulseRate && (doseAt == nil || $0.time < doseAt!) }.map { $0.value! }
        var baseline: [String: Double] = [:]
        if let bp = preDose.last {
            baseline["systolic"] = bp.systolic
            baseline["diastolic"] = bp.diastolic
        }
        if !pulseBefore.isEmpty { baseline["pulse_rate"] = pulseBefore.reduce(0, +) / Double(pulseBefore.count) }

        let spo2 = valid.filter { $0.vital == .spo2 }
        let (below, longest) = timeBelow(90, spo2, until: endedAt, maxStep: noDataAfter)
        let afterDose = pressures.filter { $0.sinceDose.map { $0 >= 0 } ?? false }
        let at40 = afterDose.filter { abs($0.sinceDose! - 2400) <= 600 }.min { abs($0.sinceDose! - 2400) < abs($1.sinceDose! - 2400) }

        let records = alarmRecords(alarms)
        var byPriority: [String: Int] = [:]
        for r in records { byPriority[r.priority.rawValue, default: 0] += 1 }

        let lastDoseAt = lastDose(doseAt: doseAt, events: events)
        let dischargeStart = lastDoseAt.map { $0.addingTimeInterval(timeline.dischargeStarts.seconds) }
        var discharge: [String: Double] = [:]
        if let lastBP = pressures.last, dischargeStart.map({ lastBP.time >= $0 }) ?? false {
            discharge["systolic"] = lastBP.systolic
            discharge["diastolic"] = lastBP.diastolic
        }
        if let lastPulse = valid.last(where: { $0.vital == .pulseRate }), dischargeStart.map({ lastPulse.time >= $0 }) ?? false {
            discharge["pulse_rate"] = lastPulse.value
        }
        let within: Bool? = discharge.isEmpty ? nil : discharge.allSatisfy { key, value in
            baseline[key].map { abs(value - $0) <= 0.2 * $0 } ?? true
        }

        let readiness = DischargeJudge(valid: valid, alarms: records, baseline: baseline, lastDose: lastDoseAt,
                                       timeline: timeline, end: endedAt, criteria: criteria).readiness
        return SessionSummary(
            startedAt: startedAt, doseAt: doseAt, endedAt: endedAt,
            monitoredMinutes: endedAt.timeIntervalSince(startedAt) / 60,
            phases: phases, baseline: baseline,
            highestSystolic: afterDose.max { $0.systolic < $1.systolic },
            minimumSpO2: spo2.map { $0.value! }.min(),
            secondsSpO2Below90: below, longestSpO2Below90Seconds: longest,
            alarmsByPriority: byPriority, alarms: records,
            dataGaps: gaps(spo2, from: startedAt, to: endedAt, longerThan: noDataAfter),
            discharge: discharge, dischargeWithin20PercentOfBaseline: within,
            bloodPressureBeforeDose: preDose.last, bloodPressureAt40Minutes: at40,
            bloodPressureBeforeEnd: pressures.last,
            readyToLeaveAt: readiness.readyAt,
            allBloodPressures: pressures, lastDoseAt: lastDoseAt, readiness: readiness)
    }

    /// A valid reading with a value. An SpO2 or pulse of exactly 0 that a device marks valid is
    /// a lost signal (clinical.md), never a reading: it would make the minimum 0.
    static func isValueReading(_ r: Reading) -> Bool {
        guard r.quality == .valid, let value = r.value else { return false }
        return !(value == 0 && [.spo2, .pulseRate, .nibpPulse].contains(r.vital))
    }

    static func stats(_ values: [Double]) -> Stats {
        Stats(min: values.min()!, max: values.max()!, mean: values.reduce(0, +) / Double(values.count), count: values.count)
    }

    /// Systolic readings paired with the diastolic of the same measurement (same second).
    static func bloodPressures(_ valid: [Reading], since: (Date) -> Double?) -> [BloodPressure] {
        let diastolic = valid.filter { $0.vital == .diastolic }
        return valid.filter { $0.vital == .systolic }.map { s in
            let d = diastolic.first { abs($0.time.timeIntervalSince(s.time)) < 1 }
            return BloodPressure(time: s.time, sinceDose: since(s.time), systolic: s.value!, diastolic: d?.value)
        }
    }

    /// Each reading's value holds until the next, for at most `maxStep` seconds.
    static func timeBelow(_ limit: Double, _ spo2: [Reading], until end: Date, maxStep: Double) -> (total: Double, longest: Double) {
        var total = 0.0, longest = 0.0, run = 0.0
        for (i, r) in spo2.enumerated() {
            let next = i + 1 < spo2.count ? spo2[i + 1].time : end
            let step = min(next.timeIntervalSince(r.time), maxStep)
            if r.value! < limit {
                total += step
                run += step
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return (total, longest)
    }

    static func gaps(_ spo2: [Reading], from start: Date, to end: Date, longerThan limit: Double) -> [Gap] {
        var out: [Gap] = []
        var previous = start
        for t in spo2.map(\.time) + [end] {
            let gap = t.timeIntervalSince(previous)
            if gap > limit { out.append(Gap(start: previous, seconds: gap)) }
            previous = max(previous, t)
        }
        return out
    }

    static func alarmRecords(_ events: [AlarmEvent]) -> [AlarmRecord] {
        var records: [String: AlarmRecord] = [:]
        var order: [String] = []
        for e in events.sorted(by: { $0.seq < $1.seq }) {
            if records[e.id] == nil {
                records[e.id] = AlarmRecord(id: e.id, condition: e.condition, priority: e.priority, raisedAt: e.time)
                order.append(e.id)
            }
            records[e.id]!.priority = max(records[e.id]!.priority, e.priority)
            switch e.state {
            case .acknowledged where records[e.id]!.acknowledgedAt == nil:
                records[e.id]!.acknowledgedAt = e.time
                records[e.id]!.acknowledgedBy = e.by
            case .cleared: records[e.id]!.clearedAt = e.time
            default: break
            }
        }
        return order.map { records[$0]! }
    }
}
