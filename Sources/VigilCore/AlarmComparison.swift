import Foundation

/// One alarm's life in one run, from its events: what it was about, when it was raised and
/// cleared, the highest priority it reached.
public struct AlarmSpan: Sendable, Hashable {
    public var id: String
    public var kind: AlarmKind
    public var condition: String
    public var vital: Vital?
    public var device: String?
    /// The priority it was raised at.
    public var raisedPriority: AlarmPriority
    /// The highest priority it reached (an unacknowledged medium alarm rises to high).
    public var priority: AlarmPriority
    /// `nil` when the alarm was already open as the events begin (carried into the session).
    public var raisedAt: Date?
    public var escalatedAt: Date?
    public var acknowledgedAt: Date?
    public var acknowledgedBy: Role?
    /// `nil` while it was still open at the end of the events.
    public var clearedAt: Date?
    public var worstValue: Double?

    /// What the alarm is about, as a nurse says it: the vital of a physiological alarm, the
    /// device of a technical one.
    public var subject: String {
        (kind == .physiological ? vital?.rawValue ?? device : device ?? vital?.rawValue) ?? "room"
    }

    /// The alarms in a run's events, in the order they were raised.
    public static func spans(_ events: [AlarmEvent]) -> [AlarmSpan] {
        var spans: [AlarmSpan] = []
        var index: [String: Int] = [:]
        for event in events {
            let i: Int
            if let known = index[event.id] {
                i = known
            } else {
                i = spans.count
                index[event.id] = i
                spans.append(AlarmSpan(id: event.id, kind: event.kind, condition: event.condition, vital: event.vital,
                                       device: event.device, raisedPriority: event.priority, priority: event.priority,
                                       raisedAt: event.state == .raised ? event.time : nil))
            }
            spans[i].priority = max(spans[i].priority, event.priority)
            if let worst = event.worstValue { spans[i].worstValue = worst }
            switch event.state {
            case .escalated: if spans[i].escalatedAt == nil { spans[i].escalatedAt = event.time }
            case .acknowledged:
                spans[i].acknowledgedAt = spans[i].acknowledgedAt ?? event.time
                spans[i].acknowledgedBy = spans[i].acknowledgedBy ?? event.by
            case .cleared: spans[i].clearedAt = event.time
            case .raised, .audioPaused, .audioResumed: break
            }
        }
        return spans
    }

    /// How many alarms of each condition and (highest) priority.
    public static func tally(_ spans: [AlarmSpan]) -> [Tally: Int] {
        spans.reduce(into: [:]) { $0[Tally(condition: $1.condition, priority: $1.priority), default: 0] += 1 }
    }

    /// A condition at a priority, the unit a clinic counts alarms in.
    public struct Tally: Sendable, Hashable, Comparable {
        public var condition: String
        public var priority: AlarmPriority

        public init(condition: String, priority: AlarmPriority) {
            self.condition = condition
            self.priority = priority
        }

        /// Highest priority first, then by condition.
        public static func < (a: Tally, b: Tally) -> Bool {
            (b.priority, a.condition) < (a.priority, b.condition)
        }
    }
}

/// The alarms the room recorded for a session set beside those a replay raised, pair by pair.
/// Two alarms are the same alarm when they have the same condition about the same vital or
/// device and overlap in time, or were raised within ``tolerance`` seconds of each other.
public struct AlarmComparison: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        case matched
        case onlyRecorded = "only recorded"
        case onlyReplayed = "only replayed"
    }

    /// One alarm of either run, or one of each that match.
    public struct Row: Sendable, Hashable {
        public var recorded: AlarmSpan?
        public var replayed: AlarmSpan?

        public var outcome: Outcome {
            recorded == nil ? .onlyReplayed : replayed == nil ? .onlyRecorded : .matched
        }

        /// The replay's raise minus the room's, in seconds, for a matched pair.
        public var shift: Double? {
            guard let a = recorded?.raisedAt, let b = replayed?.raisedAt else { return nil }
            return b.timeIntervalSince(a)
        }

        var start: Date { [recorded?.raisedAt, replayed?.raisedAt].compactMap { $0 }.min() ?? .distantPast }
    }

    public static let tolerance: Double = 60

    public var rows: [Row]
    public var recorded: [AlarmSpan]
    public var replayed: [AlarmSpan]

    /// - Parameters:
    ///   - start, end: the session's span: an alarm still open at the end counts as open until it.
    public init(recorded: [AlarmEvent], replayed: [AlarmEvent], start: Date, end: Date) {
        let recorded = AlarmSpan.spans(recorded)
        let replayed = AlarmSpan.spans(replayed)
        self.recorded = recorded
        self.replayed = replayed
        var unmatched = Array(replayed.indices)
        var rows: [Row] = []
        func interval(_ s: AlarmSpan) -> (Date, Date) { (s.raisedAt ?? start, s.clearedAt ?? end) }
        for span in recorded {
            let (a0, a1) = interval(span)
            let candidates = unmatched.filter { j in
                let other = replayed[j]
                guard other.condition == span.condition, other.subject == span.subject else { return false }
                let (b0, b1) = interval(other)
                return (a0 <= b1 && b0 <= a1) || abs(b0.timeIntervalSince(a0)) <= Self.tolerance
            }
            let best = candidates.min { abs(interval(replayed[$0]).0.timeIntervalSince(a0))
                < abs(interval(replayed[$1]).0.timeIntervalSince(a0)) }
            if let best {
                unmatched.removeAll { $0 == best }
                rows.append(Row(recorded: span, replayed: replayed[best]))
            } else {
                rows.append(Row(recorded: span, replayed: nil))
            }
        }
        rows += unmatched.map { Row(recorded: nil, replayed: replayed[$0]) }
        self.rows = rows.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
    }

    public func count(_ outcome: Outcome) -> Int { rows.filter { $0.outcome == outcome }.count }
}
