import Foundation
import VigilCore

/// One stretch of the session in one phase, as the chart shades it.
struct PhaseSpan: Sendable, Hashable {
    var phase: Phase
    var start: Date
    var end: Date

    /// The session's phases from its start, its dose and boosters, and the timeline: baseline
    /// until the first dose, then onset, peak, recovery and discharge from each dose — a booster
    /// restarts the timeline from its own time, as the room's engine does.
    static func spans(start: Date, doses: [Date], end: Date, timeline: PhaseTimeline) -> [PhaseSpan] {
        guard end > start else { return [] }
        let doses = doses.filter { $0 < end }.sorted()
        guard let first = doses.first else { return [PhaseSpan(phase: .baseline, start: start, end: end)] }
        var out: [PhaseSpan] = []
        if first > start { out.append(PhaseSpan(phase: .baseline, start: start, end: first)) }
        for (i, dose) in doses.enumerated() {
            let until = i + 1 < doses.count ? doses[i + 1] : end
            let phases: [Phase] = [.onset, .peak, .recovery, .discharge]
            for (j, phase) in phases.enumerated() {
                let from = dose.addingTimeInterval(timeline.start(of: phase)?.seconds ?? 0)
                let next = j + 1 < phases.count ? dose.addingTimeInterval(timeline.start(of: phases[j + 1])?.seconds ?? 0) : until
                let a = max(from, dose), b = min(next, until)
                if b > a { out.append(PhaseSpan(phase: phase, start: a, end: b)) }
            }
        }
        return out
    }
}
