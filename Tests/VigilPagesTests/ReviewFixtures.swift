import Foundation
import Testing
import VigilCore
import VigilStore
@testable import VigilPages

/// A room's database in a folder of its own, a real SQLite file as the agent keeps it.
struct ReviewDatabase {
    let folder: URL
    let store: Store

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Replays a scenario and records it as the agent does — the session row, its events, every
    /// alarm event and reading — then, for a session that ended, saves its summary.
    @discardableResult
    func record(_ text: String, id: String = "S-test", patientReference: String? = "ref-0042",
                profile: AlarmProfile = ReviewDatabase.profileWithoutSchedule,
                wallStart: Date = Date(timeIntervalSince1970: 1_767_258_000)) throws -> ScenarioReplay {
        var replay = ScenarioReplay(scenario: try Scenario.parse(text), profile: profile, wallStart: wallStart)
        replay.keepsReadings = true
        for event in try replay.run() {
            switch event {
            case .session(let s):
                if s.kind == .started {
                    try store.insert(SessionRecord(id: id, site: "north", room: "room-2", patientReference: patientReference,
                                                   startedAt: s.time.timeIntervalSince1970, startedBy: s.by?.rawValue ?? "doula"))
                }
                try store.record(s, session: id)
            case .alarm(let a):
                try store.record(a, session: id)
            }
        }
        try store.record(replay.readings.map { ($0, id) })
        let session = try #require(try store.session(id))
        if let ended = session.endedAt {
            let summary = SessionSummary.compute(
                readings: try store.readings(session: id), alarms: try store.alarmEvents(session: id),
                events: try store.sessionEvents(session: id), startedAt: Date(timeIntervalSince1970: session.startedAt),
                doseAt: session.doseAt.map(Date.init(timeIntervalSince1970:)),
                endedAt: Date(timeIntervalSince1970: ended), timeline: PhaseTimeline())
            try store.save(summary, session: id)
        }
        return replay
    }

    func review(_ id: String = "S-test", timeline: PhaseTimeline = PhaseTimeline()) throws -> SessionReview {
        try SessionReview.load(id, from: store, timeline: timeline)
    }

    /// The clinic's profile without the BP schedule, so a test's alarms are the ones it sets up.
    static var profileWithoutSchedule: AlarmProfile {
        var p = AlarmProfile.clinicDefault
        p.nibp = NIBPPlan(intervals: [:], checkpoints: [], atDischarge: false, overdueFactor: 1.5)
        return p
    }
}

let provider = Viewer(role: .provider, csrfToken: "csrf-test", room: "north/room-2")

/// The points of each `M … L …` stretch of an SVG path, in drawing units.
func stretches(ofPath d: String) -> [[(x: Double, y: Double)]] {
    d.split(separator: "M").map { part in
        part.split(separator: "L").compactMap { pair in
            let xy = pair.split(separator: " ").compactMap { Double($0) }
            return xy.count == 2 ? (xy[0], xy[1]) : nil
        }
    }
}

/// The `d` of the trace of class `name` (`spo2`, `pulse`) in an SVG.
func tracePath(_ name: String, in svg: String) throws -> String {
    let marker = "<path class=\"trace \(name)\" d=\""
    let start = try #require(svg.range(of: marker)).upperBound
    let end = try #require(svg[start...].firstIndex(of: "\""))
    return String(svg[start..<end])
}
