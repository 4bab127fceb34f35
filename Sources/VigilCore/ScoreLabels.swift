import Foundation

/// The true events of a labelled scenario library (`Tests/Fixtures/quality/labels.json`): per
/// scenario file, what happened to the patient that an alarm should answer, found by the
/// library's documented rules rather than by any monitor. `vigil score` judges a profile by them.
///
/// ```json
/// {"sessions": [
///   {"scenario": "session-01.csv", "events": [
///     {"kind": "desaturation", "vital": "spo2", "start": 1557, "end": 1676, "depth": 79}
///   ], "nuisances": {"motion_bursts": 2}}
/// ]}
/// ```
public struct ScoreLabels: Sendable, Hashable, Codable {
    public var sessions: [SessionLabels]

    public init(sessions: [SessionLabels]) { self.sessions = sessions }

    /// Reads a labels file; keys it does not know (the generator's notes) are ignored.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(ScoreLabels.self, from: json)
    }
}

/// One scenario's true events, and a count of the artifacts and nuisances put in it, for the
/// reader: the score never uses those counts, only what each monitor raised.
public struct SessionLabels: Sendable, Hashable, Codable {
    /// The scenario file, relative to the labels file.
    public var scenario: String
    public var events: [TrueEvent]
    public var nuisances: [String: Int]?

    public init(scenario: String, events: [TrueEvent], nuisances: [String: Int]? = nil) {
        self.scenario = scenario
        self.events = events
        self.nuisances = nuisances
    }
}

/// Something that happened to the patient, from `start` to `end` (seconds from the scenario's
/// first second), which a physiological alarm of one of its kind's vitals should answer.
public struct TrueEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// SpO2 below the limit with a good signal, for long enough to matter.
        case desaturation
        /// Blood pressure past the limit, confirmed by a repeat measurement.
        case hypertension

        /// The vitals whose physiological alarms answer an event of this kind.
        public var vitals: Set<Vital> {
            switch self {
            case .desaturation: [.spo2]
            case .hypertension: [.systolic, .diastolic, .meanArterial]
            }
        }
    }

    public var kind: Kind
    public var vital: Vital
    public var start: Double
    public var end: Double
    /// The lowest value of a desaturation.
    public var depth: Double?
    /// The highest value of a hypertension.
    public var peak: Double?

    public init(kind: Kind, vital: Vital, start: Double, end: Double, depth: Double? = nil, peak: Double? = nil) {
        self.kind = kind
        self.vital = vital
        self.start = start
        self.end = end
        self.depth = depth
        self.peak = peak
    }
}
