import Foundation

/// How one monitor did on one labelled session: each true event caught (and how late) or
/// missed, the nuisance alarms, the notices and technical alarms, and the seconds of sound.
///
/// The rules (README, "Scoring a profile"): a physiological alarm *answers* a true event when
/// its vital is one of the event's kind's and it first sounds at medium or high priority within
/// [start, end + ``matchAfter``], or was already sounding at the start (lateness 0); the event is
/// caught by the first such alarm, its lateness measured from the event's start. A physiological
/// alarm that sounds at medium or high and answers no event is a nuisance. Alarms that stayed
/// low are notices; technical alarms are counted apart. Sound is every alarm's ``ScoredAlarm/soundSeconds``.
public struct SessionScore: Sendable, Hashable {
    /// The end of a true event's window: an alarm first sounding up to this long after its end
    /// still answers it (an SpO2 alarm's clearing takes 10 s back past the hysteresis).
    public static let matchAfter: Double = 30

    /// One true event and the alarm that caught it.
    public struct Outcome: Sendable, Hashable {
        public var event: TrueEvent
        /// Seconds from the event's start to the first alarm that answered it; `nil`: missed.
        public var lateness: Double?
        public var alarm: String?
    }

    public var scenario: String
    public var seconds: Double
    public var outcomes: [Outcome]
    public var nuisances: [ScoredAlarm]
    public var notices: Int
    public var technical: Int
    public var alarmSeconds: Double

    public var hours: Double { seconds / 3600 }

    /// Judges `alarms` against `events` by the rules above.
    public init(scenario: String, seconds: Double, events: [TrueEvent], alarms: [ScoredAlarm]) {
        self.scenario = scenario
        self.seconds = seconds
        let physiological = alarms.filter { $0.kind == .physiological }
        outcomes = events.map { event in
            let answers = physiological.compactMap { alarm -> (Double, String)? in
                guard let vital = alarm.vital, event.kind.vitals.contains(vital), let loud = alarm.loudAt else { return nil }
                if loud >= event.start, loud <= event.end + Self.matchAfter { return (loud - event.start, alarm.id) }
                if loud < event.start, (alarm.clearedAt ?? .infinity) > event.start { return (0, alarm.id) }
                return nil
            }
            let first = answers.min { $0.0 < $1.0 }
            return Outcome(event: event, lateness: first?.0, alarm: first?.1)
        }
        nuisances = physiological.filter { alarm in
            guard let loud = alarm.loudAt, let vital = alarm.vital else { return false }
            return !events.contains {
                $0.kind.vitals.contains(vital) && loud >= $0.start && loud <= $0.end + Self.matchAfter
            }
        }
        notices = physiological.filter { $0.loudAt == nil }.count
        technical = alarms.filter { $0.kind == .technical }.count
        alarmSeconds = alarms.reduce(0) { $0 + $1.soundSeconds }
    }
}

/// A profile's (or the naive monitor's) scores over a library, one row of the table.
public struct ScoreRow: Sendable, Hashable {
    public var name: String
    public var sessions: [SessionScore]
    /// The naive monitor has no technical alarms to count.
    public var isNaive: Bool

    public init(name: String, sessions: [SessionScore], isNaive: Bool = false) {
        self.name = name
        self.sessions = sessions
        self.isNaive = isNaive
    }

    public func outcomes(_ kind: TrueEvent.Kind? = nil) -> [SessionScore.Outcome] {
        sessions.flatMap(\.outcomes).filter { kind == nil || $0.event.kind == kind }
    }

    public var hours: Double { sessions.reduce(0) { $0 + $1.hours } }
    public var nuisances: Int { sessions.reduce(0) { $0 + $1.nuisances.count } }
    public var nuisancesPerHour: Double { hours > 0 ? Double(nuisances) / hours : 0 }
    public var notices: Int { sessions.reduce(0) { $0 + $1.notices } }
    public var technical: Int { sessions.reduce(0) { $0 + $1.technical } }
    public var alarmSeconds: Double { sessions.reduce(0) { $0 + $1.alarmSeconds } }

    /// The latenesses of the caught events, smallest first.
    public func latenesses(_ kind: TrueEvent.Kind? = nil) -> [Double] {
        outcomes(kind).compactMap(\.lateness).sorted()
    }

    public func missed(_ kind: TrueEvent.Kind? = nil) -> [SessionScore.Outcome] {
        outcomes(kind).filter { $0.lateness == nil }
    }

    /// The middle lateness (the mean of the two middle ones for an even count); `nil` if none caught.
    public func medianLateness(_ kind: TrueEvent.Kind? = nil) -> Double? {
        let l = latenesses(kind)
        guard !l.isEmpty else { return nil }
        return l.count % 2 == 1 ? l[l.count / 2] : (l[l.count / 2 - 1] + l[l.count / 2]) / 2
    }
}

/// Runs scenarios through a profile for the score. A replay has no nurse, and a high alarm
/// latches until a nurse acknowledges it: left alone it would sound until the end of the file
/// and swallow every later alarm of its condition. So the score's replay has a stand-in nurse
/// who does one thing: acknowledges a latched alarm the moment its condition has passed, which
/// clears it. Nothing else is acknowledged or paused; every other sound lasts until it clears.
/// Where an alarm still sounding would hold the end of the session, the stand-in nurse ends it
/// with the audited override instead of the replay stopping there.
public enum ScoredReplay {
    /// The replays' wall-clock origin, the second 0 of every scenario.
    public static let origin = Date(timeIntervalSince1970: 1_767_258_000)

    /// The alarms `profile` raises on `scenario`, and the timeline the naive monitor is given.
    public static func run(_ scenario: Scenario, profile: AlarmProfile, file: String = "scenario") throws
        -> (alarms: [ScoredAlarm], timeline: ScoreTimeline)
    {
        var nursed = scenario
        nursed.steps = scenario.steps.map { step in
            guard case .command(.endSession) = step.action else { return step }
            return Scenario.Step(seconds: step.seconds, line: step.line,
                                 action: .command(.endSession(by: .nurse, overridingAlarms: true)))
        }
        var replay = ScenarioReplay(scenario: nursed, profile: profile, file: file, wallStart: origin)
        replay.keepsReadings = true
        var events: [AlarmEvent] = []
        var phases: [ScoreTimeline.PhaseMark] = []
        func take(_ out: [RoomEvent]) {
            for event in out {
                switch event {
                case .alarm(let alarm): events.append(alarm)
                case .session(let session):
                    guard session.kind != .note else { continue }
                    phases.append(.init(seconds: session.time.timeIntervalSince(origin),
                                        phase: session.kind == .ended ? nil : session.phase))
                }
            }
        }
        while let moment = try replay.step() {
            take(moment.events)
            let passed = replay.monitor.alarms.activeAlarms.filter { !$0.isConditionPresent && $0.acknowledgedBy == nil }
            for alarm in passed { take(try replay.perform(.acknowledge(by: .nurse, alarm: alarm.id))) }
        }
        let values = replay.readings.map {
            ScoreTimeline.Value(seconds: $0.time.timeIntervalSince(origin), vital: $0.vital, value: $0.value)
        }
        let timeline = ScoreTimeline(values: values, phases: phases, length: scenario.length)
        return (ScoredAlarm.from(events: events, start: origin, end: scenario.length), timeline)
    }

    /// Scores a library: one row for the naive monitor (with the first profile's limits and
    /// phase timeline), then one per profile. `scenarios` holds each labelled file's scenario.
    public static func score(labels: ScoreLabels, scenarios: [String: Scenario],
                             profiles: [(name: String, profile: AlarmProfile)]) throws -> [ScoreRow] {
        var naive: [SessionScore] = []
        var rows = profiles.map { ScoreRow(name: $0.name, sessions: []) }
        for session in labels.sessions {
            guard let scenario = scenarios[session.scenario] else {
                throw ScenarioError(file: session.scenario, line: 0, reason: "the labels name a scenario that was not given")
            }
            for (i, entry) in profiles.enumerated() {
                let (alarms, timeline) = try run(scenario, profile: entry.profile, file: session.scenario)
                rows[i].sessions.append(SessionScore(scenario: session.scenario, seconds: scenario.length,
                                                     events: session.events, alarms: alarms))
                if i == 0 {
                    naive.append(SessionScore(scenario: session.scenario, seconds: scenario.length, events: session.events,
                                              alarms: NaiveMonitor.alarms(on: timeline, profile: entry.profile)))
                }
            }
        }
        let name = "naive monitor (\(profiles.first?.name ?? "no") limits, at once)"
        return [ScoreRow(name: name, sessions: naive, isNaive: true)] + rows
    }
}
