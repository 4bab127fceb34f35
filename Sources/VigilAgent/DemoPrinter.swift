import Foundation
import Synchronization
import VigilCore

/// The demo's terminal: every session and alarm event, each BP measurement, and the oximeter's
/// values every five minutes of session time.
public final class DemoPrinter: Sendable {
    private struct State {
        var doseAt: Date?
        /// Between sessions (and before the first) readings are not timed from any dose.
        var inSession = false
        var phase: Phase = .baseline
        var lastSlot: Int?
        var latest: [Vital: Reading] = [:]
    }

    private let state = Mutex(State())
    private let live = LivePrinter()
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    public func handle(_ output: AgentOutput) {
        let line: String? = state.withLock { s in
            switch output {
            case .room(let event):
                if case .session(let e) = event {
                    s.phase = e.phase
                    switch e.kind {
                    case .dose, .booster: s.doseAt = e.time  // a booster restarts the timeline
                    // A new session has no dose yet; a resumed one says how long ago its dose was.
                    case .started: (s.doseAt, s.inSession) = (nil, true)
                    case .resumed: (s.doseAt, s.inSession) = (e.sinceDose.map { e.time.addingTimeInterval(-$0) }, true)
                    case .ended: (s.doseAt, s.inSession) = (nil, false)
                    default: break
                    }
                }
                return live.line(for: event)
            case .summary(let id, let summary):
                return "summary \(id): \(Int(summary.monitoredMinutes)) min monitored, lowest SpO2 "
                    + (summary.minimumSpO2.map { "\(JSONLine.number($0)) %" } ?? "--")
                    + ", \(summary.alarms.count) alarms; see vigil report \(id)"
            case .reading(let r):
                s.latest[r.vital] = r
                let prefix = s.inSession ? "\(live.clock(s.doseAt.map { r.time.timeIntervalSince($0) })) \(live.pad(s.phase.rawValue))"
                    : " (no session)" + String(repeating: " ", count: 6)
                if r.vital == .nibpPulse, let sys = s.latest[.systolic]?.value, let dia = s.latest[.diastolic]?.value {
                    let map = s.latest[.meanArterial]?.value.map { " (MAP \(JSONLine.number($0)))" } ?? ""
                    return "\(prefix) BP     \(JSONLine.number(sys))/\(JSONLine.number(dia)) mmHg\(map)"
                }
                // Pulse follows SpO2 in every oximeter frame, so both are fresh here.
                guard r.vital == .pulseRate else { return nil }
                let slot = Int(r.time.timeIntervalSince1970 / 300)
                guard slot != s.lastSlot else { return nil }
                s.lastSlot = slot
                let spo2 = s.latest[.spo2].map { $0.value.map { "\(JSONLine.number($0)) %" } ?? $0.quality.rawValue } ?? "--"
                let pulse = r.value.map { "\(JSONLine.number($0))/min" } ?? r.quality.rawValue
                return "\(prefix) VITALS SpO2 \(spo2), pulse \(pulse)"
            }
        }
        if let line { write(line) }
    }
}
