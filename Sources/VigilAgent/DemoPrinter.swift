import Foundation
import Synchronization
import VigilCore

/// The demo's terminal: every session and alarm event, each BP measurement, and the oximeter's
/// values every five minutes of session time.
public final class DemoPrinter: Sendable {
    private struct State {
        var doseAt: Date?
        var phase: Phase = .baseline
        var lastMinute: Int?
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
                    if e.kind == .dose { s.doseAt = e.time }
                }
                return live.line(for: event)
            case .reading(let r):
                s.latest[r.vital] = r
                let prefix = "\(live.clock(s.doseAt.map { r.time.timeIntervalSince($0) })) \(live.pad(s.phase.rawValue))"
                if r.vital == .nibpPulse, let sys = s.latest[.systolic]?.value, let dia = s.latest[.diastolic]?.value {
                    let map = s.latest[.meanArterial]?.value.map { " (MAP \(JSONLine.number($0)))" } ?? ""
                    return "\(prefix) BP     \(JSONLine.number(sys))/\(JSONLine.number(dia)) mmHg\(map)"
                }
                guard r.vital == .spo2 else { return nil }
                let minute = Int(r.time.timeIntervalSince1970 / 300)
                guard minute != s.lastMinute else { return nil }
                s.lastMinute = minute
                let spo2 = r.value.map { "\(JSONLine.number($0)) %" } ?? r.quality.rawValue
                let pulse = s.latest[.pulseRate]?.value.map { "\(JSONLine.number($0))/min" } ?? "--"
                return "\(prefix) VITALS SpO2 \(spo2), pulse \(pulse)"
            }
        }
        if let line { write(line) }
    }
}
