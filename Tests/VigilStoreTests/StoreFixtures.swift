import Foundation
import GRDB
import Testing
@testable import VigilStore
import VigilCore

/// The three kinds of database a store runs on; store tests run against each.
enum DatabaseKind: String, CaseIterable, Sendable {
    case inMemory, fileQueue, walPool

    func makeStore(in folder: URL) throws -> Store {
        switch self {
        case .inMemory: try Store(queue: DatabaseQueue())
        case .fileQueue: try Store(queue: DatabaseQueue(path: folder.appendingPathComponent("queue.sqlite").path))
        case .walPool: try Store(path: folder.appendingPathComponent("pool.sqlite").path)
        }
    }
}

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Replays a scenario and records it the way the agent does: the session row, session events,
/// alarm events and readings.
@discardableResult
func recordReplay(_ text: String, profile: AlarmProfile, into store: Store, id: String = "S-test") throws -> ScenarioReplay {
    var replay = ScenarioReplay(scenario: try Scenario.parse(text), profile: profile)
    replay.keepsReadings = true
    let events = try replay.run()
    for event in events {
        switch event {
        case .session(let s):
            if s.kind == .started {
                try store.insert(SessionRecord(id: id, site: "north", room: "room-2", patientReference: "ref-0042",
                                               startedAt: s.time.timeIntervalSince1970, startedBy: s.by?.rawValue ?? "doula"))
            }
            try store.record(s, session: id)
        case .alarm(let a):
            try store.record(a, session: id)
        }
    }
    try store.record(replay.readings.map { ($0, id) })
    return replay
}

/// The clinic's profile without the BP schedule, so a test's alarms are the ones it sets up.
/// Summarizes the replayed session `S-test` from what the store holds, as the agent does, and saves it.
@discardableResult
func summarizeTestSession(in store: Store) throws -> SessionSummary {
    let session = try #require(try store.session("S-test"))
    let summary = SessionSummary.compute(
        readings: try store.readings(session: "S-test"), alarms: try store.alarmEvents(session: "S-test"),
        events: try store.sessionEvents(session: "S-test"), startedAt: Date(timeIntervalSince1970: session.startedAt),
        doseAt: session.doseAt.map(Date.init(timeIntervalSince1970:)),
        endedAt: Date(timeIntervalSince1970: try #require(session.endedAt)), timeline: PhaseTimeline())
    try store.save(summary, session: "S-test")
    return summary
}

var profileWithoutSchedule: AlarmProfile {
    var p = AlarmProfile.clinicDefault
    p.nibp = NIBPPlan(intervals: [:], checkpoints: [], atDischarge: false, overdueFactor: 1.5)
    return p
}
