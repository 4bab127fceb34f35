import Foundation
import VigilCore
import VigilStore

/// Everything the session page shows, read from the store once: the session row, its summary
/// (the stored one, or computed afresh for a running session, as `vigil report` has it), the
/// oximeter's readings for the trend, every alarm with its events, the notes and the doses.
/// The page is then a pure function of this value.
public struct SessionReview: Sendable {
    public var session: SessionRecord
    public var summary: SessionSummary
    /// Every SpO2 reading, valid or not, in time order: the chart breaks its line at the others.
    var spo2: [Reading]
    /// Every pulse reading from the oximeter, as `spo2`.
    var pulse: [Reading]
    /// The staff's notes, oldest first.
    var notes: [SessionEvent]
    /// The dose and each booster, oldest first.
    var doses: [SessionEvent]
    var alarms: [AlarmLine]
    var phases: [PhaseSpan]

    /// Loads session `id`; throws `StoreError.noSuchSession` when the store has none by that id.
    /// `timeline` is the room's (from its profile): the chart shades the phases by it.
    public static func load(_ id: String, from store: Store, timeline: PhaseTimeline) throws -> SessionReview {
        let (session, summary) = try SessionReport.summary(id, from: store)
        return SessionReview(session: session, summary: summary, readings: try store.readings(session: id),
                             alarmEvents: try store.alarmEvents(session: id), sessionEvents: try store.sessionEvents(session: id),
                             timeline: timeline)
    }

    init(session: SessionRecord, summary: SessionSummary, readings: [Reading], alarmEvents: [AlarmEvent],
         sessionEvents: [SessionEvent], timeline: PhaseTimeline) {
        self.session = session
        self.summary = summary
        let sorted = readings.sorted { $0.time < $1.time }
        spo2 = sorted.filter { $0.vital == .spo2 }
        pulse = sorted.filter { $0.vital == .pulseRate }
        notes = sessionEvents.filter { $0.kind == .note }.sorted { $0.time < $1.time }
        var doses = sessionEvents.filter { $0.kind == .dose || $0.kind == .booster }.sorted { $0.time < $1.time }
        if doses.isEmpty, let dose = summary.doseAt {
            // A session row with a dose time but no dose event (written by hand, or by an older Vigil).
            doses = [SessionEvent(time: dose, kind: .dose, phase: .onset, sinceDose: 0, by: nil)]
        }
        self.doses = doses
        alarms = AlarmLine.lines(summary.alarms, events: alarmEvents)
        phases = PhaseSpan.spans(start: summary.startedAt, doses: doses.map(\.time), end: summary.endedAt, timeline: timeline)
    }

    /// The session is still running: its summary runs to the moment it was loaded.
    public var isRunning: Bool { session.endedAt == nil }

    /// The words for times and values on this session's page, counted from its first dose.
    var text: ReviewText { ReviewText(dose: summary.doseAt) }
}
