import Foundation

/// One alarm as the score counts it, in seconds from the scenario's first second: when it was
/// raised, when it first sounded at medium or high priority, when it cleared, and for how long
/// it sounded. Low priority is a notice (one pulse, once): it is neither a catch, a nuisance nor
/// sound until the alarm rises to medium.
public struct ScoredAlarm: Sendable, Hashable {
    public var id: String
    public var kind: AlarmKind
    public var condition: String
    public var vital: Vital?
    public var raisedAt: Double
    /// When it first sounded at medium or high priority; `nil` for an alarm that stayed low.
    public var loudAt: Double?
    /// When it cleared; `nil` if it was still active when the scenario ended.
    public var clearedAt: Double?
    /// Seconds at medium or high priority while neither acknowledged, paused nor cleared.
    public var soundSeconds: Double

    public init(id: String, kind: AlarmKind, condition: String, vital: Vital?, raisedAt: Double,
                loudAt: Double?, clearedAt: Double?, soundSeconds: Double) {
        self.id = id
        self.kind = kind
        self.condition = condition
        self.vital = vital
        self.raisedAt = raisedAt
        self.loudAt = loudAt
        self.clearedAt = clearedAt
        self.soundSeconds = soundSeconds
    }

    /// The alarms of an engine's event log, one per alarm id in the order raised: an alarm sounds
    /// from `raised` or `escalated` (a higher priority sounds even when acknowledged) at medium or
    /// high, until `acknowledged`, `audio_paused` or `cleared`, again from `audio_resumed`, and at
    /// most until `end` (seconds after `start`, the replay's wall-clock origin).
    public static func from(events: [AlarmEvent], start: Date, end: Double) -> [ScoredAlarm] {
        var order: [String] = []
        var tracks: [String: Track] = [:]
        for event in events {
            let t = event.time.timeIntervalSince(start)
            if tracks[event.id] == nil {
                order.append(event.id)
                tracks[event.id] = Track(alarm: ScoredAlarm(
                    id: event.id, kind: event.kind, condition: event.condition, vital: event.vital,
                    raisedAt: t, loudAt: nil, clearedAt: nil, soundSeconds: 0))
            }
            tracks[event.id]!.apply(event, at: t)
        }
        return order.map { tracks[$0]!.finished(at: end) }
    }

    /// What one alarm's events have done to it so far.
    struct Track {
        var alarm: ScoredAlarm
        var priority: AlarmPriority = .low
        var silenced = false
        var loudSince: Double?

        mutating func apply(_ event: AlarmEvent, at t: Double) {
            if let since = loudSince { alarm.soundSeconds += t - since }
            loudSince = nil
            switch event.state {
            case .raised, .escalated, .audioResumed:
                priority = event.priority
                silenced = false
            case .acknowledged, .audioPaused:
                silenced = true
            case .cleared:
                alarm.clearedAt = t
            }
            guard alarm.clearedAt == nil, !silenced, priority >= .medium else { return }
            loudSince = t
            if alarm.loudAt == nil { alarm.loudAt = t }
        }

        func finished(at end: Double) -> ScoredAlarm {
            var done = alarm
            if let since = loudSince { done.soundSeconds += max(0, end - since) }
            return done
        }
    }
}
