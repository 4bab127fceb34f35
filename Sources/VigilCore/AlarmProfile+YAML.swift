import Yams

extension AlarmProfile {
    /// Parses a profile file: the same keys as the `alarms:` section of `vigil.yaml`. Every key is
    /// optional and overrides `base`; a `limits:` list replaces the base's limits whole.
    public static func load(yaml text: String, file: String, base: AlarmProfile = .clinicDefault) throws -> AlarmProfile {
        let reader = YAMLReader(file: file)
        let node = reader.compose(text)
        let profile = node.flatMap { AlarmProfile.read($0, key: "", reader: reader, base: base) } ?? (node == nil ? nil : base)
        guard reader.problems.isEmpty, let profile else { throw ConfigProblems(reader.problems) }
        return profile
    }

    static let keys = ["timeline", "limits", "crisis", "hysteresis", "confirm_window", "technical", "nibp",
                       "audio_pause", "escalate_unacknowledged_after", "gap_tolerance", "without_baseline"]

    /// Reads a profile from a mapping node, recording problems in `reader`.
    public static func read(_ node: Node, key: String, reader: YAMLReader, base: AlarmProfile = .clinicDefault) -> AlarmProfile? {
        guard let f = reader.fields(node, key, known: keys) else { return nil }
        let p = { (name: String) in key.isEmpty ? name : "\(key).\(name)" }
        var profile = base
        if let n = f["timeline"] { profile.timeline = readTimeline(n, p("timeline"), reader, base.timeline) }
        var written = base.rules.map { WrittenRule(rule: $0, node: nil, key: p("limits")) }
        let problemsBeforeLimits = reader.problems.count
        if let n = f["limits"], let items = reader.list(n, p("limits")) {
            written = items.enumerated().compactMap { i, item in
                readRule(item, "\(p("limits"))[\(i)]", reader).map { WrittenRule(rule: $0, node: item, key: "\(p("limits"))[\(i)]") }
            }
            profile.rules = written.map(\.rule)
        }
        var crisis = base.crisis.map { WrittenRule(rule: $0, node: nil, key: p("crisis"), isCrisis: true) }
        if let n = f["crisis"], let items = reader.list(n, p("crisis")) {
            crisis = items.enumerated().compactMap { i, item in
                readRule(item, "\(p("crisis"))[\(i)]", reader, phasesByDefault: Set(Phase.allCases))
                    .map { WrittenRule(rule: $0, node: item, key: "\(p("crisis"))[\(i)]", isCrisis: true) }
            }
            profile.crisis = crisis.map(\.rule)
        }
        if let n = f["gap_tolerance"], let d = reader.duration(n, p("gap_tolerance")) {
            if d >= .zero && d <= .seconds(60) { profile.gapTolerance = d } else {
                reader.report(n, p("gap_tolerance"), "must be from 0 to 1m")
            }
        }
        if let n = f["without_baseline"] {
            if reader.string(n, p("without_baseline")) == "none" { profile.withoutBaseline = nil } else {
                profile.withoutBaseline = reader.choice(n, p("without_baseline"), as: Phase.self) ?? base.withoutBaseline
            }
        }
        if let n = f["hysteresis"], let h = reader.fields(n, p("hysteresis"), known: Vital.allCases.map(\.rawValue)) {
            for (name, value) in h {
                if let v = reader.number(value, "\(p("hysteresis")).\(name)", in: 0...50) { profile.hysteresis[Vital(rawValue: name)!] = v }
            }
        }
        if let n = f["confirm_window"] { profile.confirmWindow = reader.duration(n, p("confirm_window")) ?? base.confirmWindow }
        if let n = f["technical"] { profile.technical = readTechnical(n, p("technical"), reader, base.technical) }
        if let n = f["nibp"] { profile.nibp = readNIBP(n, p("nibp"), reader, base.nibp) }
        if let n = f["audio_pause"], let d = reader.duration(n, p("audio_pause")) {
            if d > .zero && d <= .seconds(120) { profile.audioPause = d } else {
                reader.report(n, p("audio_pause"), "must be more than 0 and at most 2m (IEC 60601-1-8)")
            }
        }
        if let n = f["escalate_unacknowledged_after"] {
            profile.escalateUnacknowledgedAfter = reader.duration(n, p("escalate_unacknowledged_after")) ?? base.escalateUnacknowledgedAfter
        }
        validate(written + crisis, complete: reader.problems.count == problemsBeforeLimits, at: f["limits"] ?? node, key: p("limits"),
                 reader: reader)
        return profile
    }

    private static func readTimeline(_ node: Node, _ key: String, _ reader: YAMLReader, _ base: PhaseTimeline) -> PhaseTimeline {
        guard let f = reader.fields(node, key, known: ["peak", "recovery", "discharge"]) else { return base }
        var t = base
        if let n = f["peak"], let d = reader.duration(n, "\(key).peak") { t.peakStarts = d }
        if let n = f["recovery"], let d = reader.duration(n, "\(key).recovery") { t.recoveryStarts = d }
        if let n = f["discharge"], let d = reader.duration(n, "\(key).discharge") { t.dischargeStarts = d }
        if !(t.peakStarts > .zero && t.peakStarts < t.recoveryStarts && t.recoveryStarts < t.dischargeStarts) {
            reader.report(node, key, "phases must start in order after the dose: 0 < peak < recovery < discharge")
        }
        return t
    }

    private static let limitKeys = ["below", "at_or_below", "above", "at_or_above", "below_baseline_percent",
                                    "above_baseline_percent", "above_baseline_by"]

    /// One tier; `phasesByDefault` (crisis tiers: every phase) stands where `phases` is left out.
    private static func readRule(_ node: Node, _ key: String, _ reader: YAMLReader,
                                 phasesByDefault: Set<Phase>? = nil) -> LimitRule? {
        let known = ["vital", "phases", "condition", "priority", "delay", "confirm", "escalate_after", "integral"] + limitKeys
        guard let f = reader.fields(node, key, known: known) else { return nil }
        let before = reader.problems.count
        func required(_ name: String) -> Node? {
            if let n = f[name] { return n }
            reader.report(node, "\(key).\(name)", "missing")
            return nil
        }
        let vital = required("vital").flatMap { reader.choice($0, "\(key).vital", as: Vital.self) }
        let priority = required("priority").flatMap { reader.choice($0, "\(key).priority", as: AlarmPriority.self) }
        var phases: Set<Phase> = phasesByDefault ?? []
        if let n = phasesByDefault == nil ? required("phases") : f["phases"], let items = reader.list(n, "\(key).phases") {
            phases = Set(items.compactMap { reader.choice($0, "\(key).phases", as: Phase.self) })
            if items.isEmpty { reader.report(n, "\(key).phases", "name at least one phase") }
        }
        let given = limitKeys.filter { f[$0] != nil }
        var limit: Limit?
        if given.count != 1 {
            reader.report(node, key, "give exactly one of \(limitKeys.joined(separator: ", "))")
        } else if let n = f[given[0]] {
            let isPercent = given[0].hasSuffix("percent")
            if let v = reader.number(n, "\(key).\(given[0])", in: isPercent ? 0...100 : 0...400) {
                limit = switch given[0] {
                case "below": .below(v)
                case "at_or_below": .atOrBelow(v)
                case "above": .above(v)
                case "at_or_above": .atOrAbove(v)
                case "below_baseline_percent": .belowBaselinePercent(v)
                case "above_baseline_percent": .aboveBaselinePercent(v)
                default: .aboveBaselineBy(v)
                }
            }
        }
        let delay = f["delay"].flatMap { reader.duration($0, "\(key).delay") } ?? .zero
        let confirm = f["confirm"].flatMap { reader.bool($0, "\(key).confirm") } ?? false
        let escalate = f["escalate_after"].flatMap { reader.duration($0, "\(key).escalate_after") }
        let integral = f["integral"].flatMap { reader.number($0, "\(key).integral", in: 1...10_000) }
        if let n = f["integral"] {
            if f["delay"] != nil { reader.report(n, "\(key).integral", "give a delay or an integral, not both") }
            if vital?.isIntermittent == true { reader.report(n, "\(key).integral", "an integral needs a continuous vital (spo2, pulse_rate)") }
        }
        if let vital {
            if vital.isIntermittent, let n = f["delay"], delay > .zero {
                reader.report(n, "\(key).delay", "\(vital.rawValue) is measured intermittently; use confirm: true, not a delay")
            }
            if !vital.isIntermittent, confirm, let n = f["confirm"] {
                reader.report(n, "\(key).confirm", "\(vital.rawValue) is continuous; use a delay, not confirm")
            }
        }
        if let escalate, escalate <= delay, let n = f["escalate_after"] {
            reader.report(n, "\(key).escalate_after", "must be longer than the delay")
        }
        let condition = f["condition"].flatMap { reader.string($0, "\(key).condition") }
        guard reader.problems.count == before, let vital, let priority, let limit else { return nil }
        return LimitRule(condition: condition, vital: vital, phases: phases, limit: limit, priority: priority,
                         delay: delay, confirm: confirm, escalateAfter: escalate, integral: integral)
    }

    private static func readTechnical(_ node: Node, _ key: String, _ reader: YAMLReader, _ base: TechnicalLimits) -> TechnicalLimits {
        let known = ["no_data_after", "sensor_off_after", "sensor_off_escalates_after", "poor_signal_delay", "check_probe_after"]
        guard let f = reader.fields(node, key, known: known) else { return base }
        var t = base
        if let n = f["no_data_after"], let d = reader.duration(n, "\(key).no_data_after") { t.noDataAfter = d }
        if let n = f["sensor_off_after"], let d = reader.duration(n, "\(key).sensor_off_after") { t.sensorOffAfter = d }
        if let n = f["sensor_off_escalates_after"], let d = reader.duration(n, "\(key).sensor_off_escalates_after") {
            t.sensorOffEscalatesAfter = d
        }
        if let n = f["poor_signal_delay"], let d = reader.duration(n, "\(key).poor_signal_delay") { t.poorSignalDelay = d }
        if let n = f["check_probe_after"], let d = reader.duration(n, "\(key).check_probe_after") { t.checkProbeAfter = d }
        return t
    }

    private static func readNIBP(_ node: Node, _ key: String, _ reader: YAMLReader, _ base: NIBPPlan) -> NIBPPlan {
        guard let f = reader.fields(node, key, known: ["intervals", "checkpoints", "at_discharge", "overdue_factor", "remind_after"]) else { return base }
        var plan = base
        let phases = [Phase.onset, .peak, .recovery, .discharge].map(\.rawValue)
        if let n = f["intervals"], let m = reader.fields(n, "\(key).intervals", known: phases) {
            for (name, value) in m {
                if let d = reader.duration(value, "\(key).intervals.\(name)") {
                    if d > .zero { plan.intervals[Phase(rawValue: name)!] = d } else {
                        reader.report(value, "\(key).intervals.\(name)", "must be more than 0")
                    }
                }
            }
        }
        if let n = f["checkpoints"], let items = reader.list(n, "\(key).checkpoints") {
            plan.checkpoints = items.compactMap { reader.duration($0, "\(key).checkpoints") }
        }
        if let n = f["remind_after"], let d = reader.duration(n, "\(key).remind_after") {
            if d >= .zero && d <= .seconds(600) { plan.remindAfter = d } else {
                reader.report(n, "\(key).remind_after", "must be from 0 to 10m")
            }
        }
        if let n = f["at_discharge"], let b = reader.bool(n, "\(key).at_discharge") { plan.atDischarge = b }
        if let n = f["overdue_factor"], let v = reader.number(n, "\(key).overdue_factor", in: 1...10) { plan.overdueFactor = v }
        return plan
    }
}
