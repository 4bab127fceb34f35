import Yams

/// A limit rule as read from a file, with the YAML node it came from, so that a problem found
/// by comparing rules names the line of the rule at fault.
struct WrittenRule {
    var rule: LimitRule
    /// The rule's node; `nil` for a rule inherited from the base profile (reported at the list).
    var node: Node?
    /// The rule's key path as problems print it, e.g. `alarms.limits[3]`.
    var key: String
    /// A crisis tier (`crisis:`): checked with the limits, but not counted as the SpO2 watch of
    /// a phase, which is the medium < 90 of `limits:`, not the late backstop at < 85.
    var isCrisis = false
}

extension AlarmProfile {
    /// The most rules a profile may hold. The clinic's table has 30; thousands are a generated or
    /// pasted file, and every reading is checked against each of them.
    static let maximumRules = 500

    /// A profile without an SpO2 low limit in these phases would watch a desaturation after
    /// the dose in silence (respiratory depression is the label's boxed warning).
    static let phasesNeedingSpO2Low: [Phase] = [.onset, .peak, .recovery]

    /// Checks what no single rule shows on its own: a list that is empty, too long or leaves
    /// SpO2 unwatched after the dose; a limit outside what the sensor can report (always or
    /// never breached); two limits of one vital that together breach at every value of a phase
    /// (the alarm could never clear); and inverted tiers (a higher-priority tier of a condition
    /// less extreme than a lower one, so the lower tier could never sound on its own).
    ///
    /// It takes every rule a profile will run, `limits:` and `crisis:` together (a tier of one
    /// list is compared with the other's), so that a list added later is checked by passing its
    /// rules too.
    ///
    /// - Parameters:
    ///   - rules: the rules in file order, each with its node and key.
    ///   - complete: `false` when some rule could not be read (its problem is reported already):
    ///     the list-wide checks (empty, SpO2 coverage) are then skipped rather than misleading.
    ///   - node, key: where a problem of the whole list is reported (the `limits:` node).
    static func validate(_ rules: [WrittenRule], complete: Bool, at node: Node, key: String, reader: YAMLReader) {
        if rules.count > maximumRules {
            let first = rules[maximumRules]
            reader.report(first.node ?? node, first.key,
                          "\(rules.count) limits and crisis tiers: a profile holds at most \(maximumRules) (the clinic's default has "
                          + "\(AlarmProfile.clinicDefault.rules.count + AlarmProfile.clinicDefault.crisis.count)); nothing else was checked")
            return
        }
        if complete {
            if !rules.contains(where: { !$0.isCrisis }) {
                reader.report(node, key, "no limits: the room would raise no physiological alarm at all "
                              + "(leave limits out to keep the defaults)")
            } else {
                for phase in phasesNeedingSpO2Low
                where !rules.contains(where: { !$0.isCrisis && $0.rule.vital == .spo2 && $0.rule.limit.direction == .below && $0.rule.phases.contains(phase) }) {
                    reader.report(node, key, "no spo2 low limit in \(phase.rawValue): a desaturation after the dose would raise no alarm")
                }
            }
        }
        for written in rules { checkRange(written, reader) }
        let inRange = rules.filter { !isOutOfRange($0.rule) }
        for (i, later) in inRange.enumerated() {
            for earlier in inRange[..<i] {
                checkCoverage(earlier, later, reader, fallback: node)
                checkTiers(earlier, later, reader, fallback: node)
            }
        }
    }

    /// A fixed limit beyond the vital's plausible range is breached by every value a working
    /// sensor reports, or by none.
    private static func checkRange(_ written: WrittenRule, _ reader: YAMLReader) {
        let rule = written.rule
        guard !rule.limit.needsBaseline else { return }
        let range = rule.vital.plausibleRange
        let lowest = rule.limit.isBreached(by: range.lowerBound, baseline: nil)
        let highest = rule.limit.isBreached(by: range.upperBound, baseline: nil)
        // A low limit is reachable when the lowest plausible value breaches it; a high one, the highest.
        let reachable = rule.limit.direction == .below ? lowest : highest
        let limitText = describe(rule.limit)
        let plausible = "\(JSONLine.number(range.lowerBound))…\(JSONLine.number(range.upperBound))"
        if lowest && highest {
            reader.report(written.node, "\(written.key).\(limitKey(rule.limit))",
                          "\(rule.vital.rawValue) \(limitText) is always true (a sensor reports \(plausible)): "
                          + "the alarm would sound at every reading")
        } else if !reachable {
            reader.report(written.node, "\(written.key).\(limitKey(rule.limit))",
                          "\(rule.vital.rawValue) \(limitText) can never be true (a sensor reports \(plausible)): "
                          + "the limit would never sound")
        }
    }

    /// Whether a fixed limit lies beyond what a sensor reports (reported by ``checkRange``, and
    /// left out of the comparisons, which would only repeat it).
    private static func isOutOfRange(_ rule: LimitRule) -> Bool {
        guard !rule.limit.needsBaseline else { return false }
        let range = rule.vital.plausibleRange
        let lowest = rule.limit.isBreached(by: range.lowerBound, baseline: nil)
        let highest = rule.limit.isBreached(by: range.upperBound, baseline: nil)
        return (lowest && highest) || !(rule.limit.direction == .below ? lowest : highest)
    }

    /// The pair ordered for reporting: at the later rule, unless only the earlier one was
    /// written in this file (the later being inherited from the base profile).
    private static func placed(_ a: WrittenRule, _ b: WrittenRule) -> (at: WrittenRule, other: WrittenRule) {
        b.node != nil || a.node == nil ? (b, a) : (a, b)
    }

    /// A low and a high limit of one vital that overlap in a phase leave no value unbreached.
    private static func checkCoverage(_ a: WrittenRule, _ b: WrittenRule, _ reader: YAMLReader, fallback: Node) {
        guard a.rule.vital == b.rule.vital, a.rule.limit.direction != b.rule.limit.direction,
              !a.rule.limit.needsBaseline, !b.rule.limit.needsBaseline,
              let ta = a.rule.limit.threshold(baseline: nil), let tb = b.rule.limit.threshold(baseline: nil),
              let phase = Phase.allCases.first(where: { a.rule.phases.contains($0) && b.rule.phases.contains($0) })
        else { return }
        // Between two thresholds, at either one or half-way: if none of these escapes both
        // limits, no value does.
        let escapes = [ta, tb, (ta + tb) / 2].contains { v in
            !a.rule.limit.isBreached(by: v, baseline: nil) && !b.rule.limit.isBreached(by: v, baseline: nil)
        }
        guard !escapes else { return }
        let (at, other) = placed(a, b)
        reader.report(at.node ?? fallback, at.key,
                      "\(at.rule.vital.rawValue) \(describe(at.rule.limit)) with \(describe(other.rule.limit)) (\(other.key)"
                      + "\(line(other))) is always true in \(phase.rawValue): every value breaches one of them")
    }

    /// Tiers of one condition (same vital and direction, a shared phase) must grow more extreme
    /// as their priority rises: high < 85 below medium < 90, not the other way round.
    private static func checkTiers(_ a: WrittenRule, _ b: WrittenRule, _ reader: YAMLReader, fallback: Node) {
        guard a.rule.condition == b.rule.condition, a.rule.vital == b.rule.vital, a.rule.priority != b.rule.priority,
              let ea = extremity(a.rule.limit), let eb = extremity(b.rule.limit), ea.family == eb.family,
              let phase = Phase.allCases.first(where: { a.rule.phases.contains($0) && b.rule.phases.contains($0) })
        else { return }
        let (higher, lower) = a.rule.priority > b.rule.priority ? (a, b) : (b, a)
        let (eh, el) = a.rule.priority > b.rule.priority ? (ea, eb) : (eb, ea)
        guard eh.value < el.value else { return }
        let (at, other) = placed(a, b)
        reader.report(at.node ?? fallback, at.key,
                      "tiers of \(b.rule.condition) in \(phase.rawValue) are inverted: \(higher.rule.priority.rawValue) "
                      + "\(describe(higher.rule.limit)) is less extreme than \(lower.rule.priority.rawValue) "
                      + "\(describe(lower.rule.limit)) (\(other.key)\(line(other))); the higher priority needs the more extreme limit")
    }

    /// How far out a limit lies, comparable only within one family: a lower "below" value, a
    /// higher "above" value or a larger departure from the baseline is more extreme.
    private static func extremity(_ limit: Limit) -> (family: Int, value: Double)? {
        switch limit {
        case .below(let v), .atOrBelow(let v): (0, -v)
        case .above(let v), .atOrAbove(let v): (1, v)
        case .belowBaselinePercent(let p): (2, p)
        case .aboveBaselinePercent(let p): (3, p)
        case .aboveBaselineBy(let d): (4, d)
        }
    }

    private static func line(_ rule: WrittenRule) -> String {
        rule.node?.mark.map { ", line \($0.line)" } ?? ", inherited"
    }

    /// The YAML key a limit is written with.
    private static func limitKey(_ limit: Limit) -> String {
        switch limit {
        case .below: "below"
        case .atOrBelow: "at_or_below"
        case .above: "above"
        case .atOrAbove: "at_or_above"
        case .belowBaselinePercent: "below_baseline_percent"
        case .aboveBaselinePercent: "above_baseline_percent"
        case .aboveBaselineBy: "above_baseline_by"
        }
    }

    /// `below 90`, `at_or_above 180`, …, as the file writes it.
    private static func describe(_ limit: Limit) -> String {
        let value: Double = switch limit {
        case .below(let v), .atOrBelow(let v), .above(let v), .atOrAbove(let v), .belowBaselinePercent(let v),
             .aboveBaselinePercent(let v), .aboveBaselineBy(let v): v
        }
        return "\(limitKey(limit)) \(JSONLine.number(value))"
    }
}
